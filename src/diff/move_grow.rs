//! Moves grown over the short passages that travelled with them.
//!
//! A move is paired from passages of at least `moves::MIN_MOVE_WORDS`
//! words, so a section moved whole (a heading of two or three words, its
//! underline, then its paragraphs) came out as a moved paragraph beside a
//! deleted and an inserted heading: three changes where a reader sees one.
//! When the passage just before (or just after) a move's old place and the
//! one just before (after) its new place are the same text, byte for byte,
//! each deleted resp. inserted and nothing else, that passage moved with it:
//! the move is grown over it, repeatedly. Passages are paragraphs (or lines,
//! in a text without blank lines), as for move candidates.

use super::gaps;
use super::moves::Moved;
use super::{Op, OpKind};
use std::ops::Range;

/// The diff inside a moved passage (no moves within moves), as
/// `moves::find` makes it.
const INNER: super::Options = super::Options {
    minimal: false,
    no_moves: true,
    skip_unchanged_count: false,
};

/// Grows each move over the identical passages beside it (see the module
/// comment); the ops still rebuild both texts.
pub(crate) fn grow<'a>(
    old: &'a str,
    new: &'a str,
    mut ops: Vec<Op>,
    mut moves: Vec<Moved<'a>>,
    blank_mode: bool,
) -> (Vec<Op>, Vec<Moved<'a>>) {
    let mut sides = vec![false; ops.len()];
    for m in &moves {
        sides[m.from] = true;
        sides[m.to] = true;
    }
    let mut grown = false;
    for m in &mut moves {
        let mut changed = false;
        // Backwards, then forwards, while a passage travelled with it.
        while m.from > 0 && m.to > 0 && !sides[m.from - 1] && !sides[m.to - 1] {
            let (d, i) = (&ops[m.from - 1], &ops[m.to - 1]);
            if d.kind != OpKind::Delete || i.kind != OpKind::Insert {
                break;
            }
            let (Some(a), Some(b)) = (
                last_passage(old, &d.old, blank_mode),
                last_passage(new, &i.new, blank_mode),
            ) else {
                break;
            };
            if old[a..d.old.end] != new[b..i.new.end] {
                break;
            }
            ops[m.from - 1].old.end = a;
            ops[m.to - 1].new.end = b;
            ops[m.from].old.start = a;
            ops[m.to].new.start = b;
            m.old.start = a;
            m.new.start = b;
            changed = true;
        }
        while m.from + 1 < ops.len()
            && m.to + 1 < ops.len()
            && !sides[m.from + 1]
            && !sides[m.to + 1]
        {
            let (d, i) = (&ops[m.from + 1], &ops[m.to + 1]);
            if d.kind != OpKind::Delete || i.kind != OpKind::Insert {
                break;
            }
            let (Some(a), Some(b)) = (
                first_passage(old, &d.old, blank_mode),
                first_passage(new, &i.new, blank_mode),
            ) else {
                break;
            };
            if old[d.old.start..a] != new[i.new.start..b] {
                break;
            }
            ops[m.from + 1].old.start = a;
            ops[m.to + 1].new.start = b;
            ops[m.from].old.end = a;
            ops[m.to].new.end = b;
            m.old.end = a;
            m.new.end = b;
            changed = true;
        }
        if changed {
            // The passage without surrounding whitespace, as `moves::find`
            // gives it; the ops keep the whitespace between the passages.
            m.old = trim(old, m.old.clone());
            m.new = trim(new, m.new.clone());
            m.inner = super::diff_with(&old[m.old.clone()], &new[m.new.clone()], &INNER);
            grown = true;
        }
    }
    if !grown {
        return (ops, moves);
    }
    // Leave out the ops emptied, and renumber the move ends.
    let mut at = Vec::with_capacity(ops.len());
    let mut kept = Vec::with_capacity(ops.len());
    for op in ops {
        at.push(kept.len());
        let empty = match op.kind {
            OpKind::Delete => op.old.is_empty(),
            OpKind::Insert => op.new.is_empty(),
            OpKind::Equal => false,
        };
        if !empty {
            kept.push(op);
        }
    }
    for m in &mut moves {
        m.from = at[m.from];
        m.to = at[m.to];
    }
    (kept, moves)
}

/// `r` without leading and trailing whitespace.
fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let t = &text[r.clone()];
    let start = r.start + (t.len() - t.trim_start().len());
    let end = r.end - (t.len() - t.trim_end().len());
    start..end.max(start)
}

/// Where the last passage of `text[r]` starts, when `r` ends with it (and
/// whitespace) and it starts a line: after the last paragraph break (or
/// line break) in `r`, or at `r`'s start if that starts a line.
fn last_passage(text: &str, r: &Range<usize>, blank_mode: bool) -> Option<usize> {
    let t = &text[r.clone()];
    let body = t.trim_end();
    if body.is_empty() {
        return None;
    }
    let breaks = gaps(body).filter(|g| !blank_mode || g.newlines >= 2);
    match breaks.last() {
        Some(g) => Some(r.start + g.end),
        None => (r.start == 0 || text[..r.start].ends_with('\n') || starts_blank(t))
            .then(|| r.start + (t.len() - t.trim_start().len())),
    }
}

/// Where the first passage of `text[r]` (with the whitespace before it)
/// ends, when `r` starts with it and it ends a line: at the first paragraph
/// break (or line break) after it in `r`, or at `r`'s end if that ends a
/// line.
fn first_passage(text: &str, r: &Range<usize>, blank_mode: bool) -> Option<usize> {
    let t = &text[r.clone()];
    let lead = t.len() - t.trim_start().len();
    if lead == t.len() {
        return None;
    }
    let mut breaks = gaps(&t[lead..]).filter(|g| !blank_mode || g.newlines >= 2);
    match breaks.next() {
        Some(g) => Some(r.start + lead + g.start),
        None => (r.end == text.len() || text[r.end..].starts_with(['\n', '\r']))
            .then_some(r.end - (t.len() - t.trim_end().len())),
    }
}

/// Whether `t` opens with whitespace holding a line feed.
fn starts_blank(t: &str) -> bool {
    let lead = &t[..t.len() - t.trim_start().len()];
    lead.contains('\n')
}

#[cfg(test)]
mod tests {
    use super::super::{diff, OpKind};

    const A: &str = "These terms apply to every service we offer, to every user in every \
                     country, and to every version of the apps that we publish.";
    const B: &str = "You may stop using the services at any time, and we may stop offering \
                     them, as the sections below describe in much more detail.";

    #[test]
    fn a_heading_moved_with_its_paragraph_is_part_of_the_move() {
        let para = "We provide services that allow you to interact with other users.";
        let old = format!(
            "Intro here.\n\n{A}\n\n{B}\n\n{A}\n\n{B}\n\nWho we are\n----------\n\n{para}\n\nEnd of it.\n"
        );
        let new = format!(
            "Intro here.\n\nWho we are\n----------\n\n{para}\n\n{A}\n\n{B}\n\n{A}\n\n{B}\n\nEnd of it.\n"
        );
        let d = diff(&old, &new);
        let (o, n) = d.rebuild();
        assert_eq!((o.as_str(), n.as_str()), (old.as_str(), new.as_str()));
        assert_eq!(d.moves.len(), 1, "{:?}", d.ops);
        let m = &d.moves[0];
        assert!(old[m.old.clone()].starts_with("Who we are\n---"), "{m:?}");
        assert!(new[m.new.clone()].starts_with("Who we are\n---"), "{m:?}");
        assert!(new[m.new.clone()].ends_with("other users."), "{m:?}");
        // Nothing else changed: no delete or insert outside the move holds
        // a word.
        for (k, op) in d.ops.iter().enumerate() {
            if op.kind != OpKind::Equal && k != m.from && k != m.to {
                assert!(d.text(op).trim().is_empty(), "{:?}", d.text(op));
            }
        }
        assert!(!m.inner.has_changes());
    }

    #[test]
    fn a_different_heading_does_not_join_the_move() {
        let para = "We provide services that allow you to interact with other users.";
        let old = format!(
            "Intro here.\n\n{A}\n\n{B}\n\n{A}\n\n{B}\n\nWho we are\n\n{para}\n\nEnd of it.\n"
        );
        let new = format!(
            "Intro here.\n\nAbout us\n\n{para}\n\n{A}\n\n{B}\n\n{A}\n\n{B}\n\nEnd of it.\n"
        );
        let d = diff(&old, &new);
        let (o, n) = d.rebuild();
        assert_eq!((o.as_str(), n.as_str()), (old.as_str(), new.as_str()));
        assert_eq!(d.moves.len(), 1);
        let m = &d.moves[0];
        assert_eq!(&old[m.old.clone()], para);
        assert_eq!(&new[m.new.clone()], para);
    }

    /// A moved paragraph's full stop, matched by the alignment with the full
    /// stop of the paragraph that took its place, left both passages one
    /// character short: the move was not found at all, and the redline
    /// showed a deletion and an insertion of the same sentence (pair 029).
    #[test]
    fn a_paragraph_moved_into_the_place_of_a_rewritten_one_is_a_move() {
        let m = "Members may cancel their plan at any time from the account settings page without any fee.";
        let old = format!(
            "Intro kept here.\n\n{m}\n\nKept paragraph one stays as it is.\n\nKept two stays too.\n\n\
             Old deleted paragraph with several different words about shipping costs overseas."
        );
        let new = format!(
            "Intro kept here.\n\nA brand new paragraph about data retention and the periods that apply to logs.\n\n\
             Kept paragraph one stays as it is.\n\nKept two stays too.\n\n{m}"
        );
        let d = diff(&old, &new);
        let (o, n) = d.rebuild();
        assert_eq!((o.as_str(), n.as_str()), (old.as_str(), new.as_str()));
        assert_eq!(d.moves.len(), 1, "{:?}", d.ops);
        let mv = &d.moves[0];
        assert_eq!(&old[mv.old.clone()], m);
        assert_eq!(&new[mv.new.clone()], m);
        // The paragraphs that replaced each other keep their full stops.
        let inserted: Vec<&str> = d
            .ops
            .iter()
            .enumerate()
            .filter(|&(k, op)| op.kind == OpKind::Insert && k != mv.to)
            .map(|(_, op)| d.text(op))
            .collect();
        assert!(
            inserted.iter().any(|t| t.contains("apply to logs.")),
            "{inserted:?}"
        );
    }
}
