//! How each op of a diff is shown, as text segments: hidden kinds,
//! paragraph breaks made visible, move stubs, replacements (the first step
//! of `layout`).

use super::blocks::paragraph_breaks;
use super::layout::{Segment, Shown};
use crate::diff::kinds::Kind;
use crate::diff::{is_blank, Diff, Filter, Op, OpKind};
use crate::text::split_ws;
use std::ops::Range;

/// Decides how each op is shown: hidden kinds, wdiff's -1/-2, paragraph
/// breaks made visible.
pub(super) fn pieces<'a>(
    diff: &Diff<'a>,
    filter: &Filter,
) -> (Vec<Segment<'a>>, Vec<Option<Kind>>) {
    let units = &diff.units;
    let mut out = Vec::with_capacity(diff.ops.len());
    let mut kinds: Vec<Option<Kind>> = Vec::with_capacity(diff.ops.len());
    // The kind of the segments pushed since `kinds` was last filled.
    let mut pending = None;
    let mut next_unit = units.iter().enumerate().peekable();
    let runs = super::renumber::runs(diff);
    let renumbered = super::renumber::by_unit(&runs);
    let mut k = 0;
    while k < diff.ops.len() {
        kinds.resize(out.len(), pending);
        let op = &diff.ops[k];
        if op.kind == OpKind::Equal {
            pending = None;
            out.push((Shown::Same, diff.text(op)));
            k += 1;
            continue;
        }
        let Some((u, unit)) = next_unit.next() else {
            break;
        };
        let ops = &diff.ops[unit.ops.clone()];
        let hidden = filter.hides(unit.kind);
        pending = (!hidden).then_some(unit.kind);
        // A list marker changed in a run of items: summed up once, before
        // the first item, which (like the others) shows its new marker.
        if let (Some(&(n, first)), false) = (renumbered.get(&u), hidden) {
            if let [_, i] = ops {
                if first {
                    let run = &runs[n];
                    let count = run.units.len();
                    let sections = run.sections;
                    // The summary is a line of its own: before a heading's
                    // `#` marks, not between them and the number.
                    let lead = match out.last() {
                        Some(&(Shown::Same, t)) => {
                            // Whether `t` starts a line: the text before it
                            // (if any) ends one.
                            let line_start = out[..out.len() - 1]
                                .iter()
                                .rev()
                                .find(|(_, t)| !t.is_empty())
                                .is_none_or(|(_, t)| t.ends_with('\n'));
                            heading_lead(t, line_start)
                        }
                        _ => None,
                    };
                    if let Some(cut) = lead {
                        if let Some((_, t)) = out.pop() {
                            kinds.truncate(out.len());
                            let (before, marks) = t.split_at(cut);
                            if !before.is_empty() {
                                out.push((Shown::Same, before));
                                kinds.push(None);
                            }
                            out.push((Shown::Renumbered { count, sections }, run.old));
                            out.push((Shown::RenumberedTo, run.new));
                            out.push((Shown::Same, marks));
                        }
                    } else {
                        out.push((Shown::Renumbered { count, sections }, run.old));
                        out.push((Shown::RenumberedTo, run.new));
                    }
                }
                out.push((Shown::Same, diff.text(i)));
                k = unit.ops.end;
                continue;
            }
        }
        if let (Some(m), false) = (diff.move_of(k), hidden) {
            let text = diff.text(op);
            let (lead, core, trail) = split_ws(text);
            let down = m.to > m.from;
            if op.kind == OpKind::Delete {
                if filter.shows_deleted() {
                    out.push((Shown::Same, lead));
                    let stub = opening_words(core, 8);
                    let cut = stub.len() < core.len();
                    out.push((
                        Shown::MovedFrom {
                            id: m.id,
                            down,
                            cut,
                        },
                        stub,
                    ));
                    out.push((Shown::Same, trail));
                } else if !filter.shows_inserted() {
                    out.push((Shown::Same, text));
                }
            } else if filter.shows_inserted() {
                out.push((Shown::Same, lead));
                let at = op.new.start + lead.len();
                let opens_line = diff.new[..at].ends_with('\n') || at == 0;
                out.push((
                    Shown::MovedTo {
                        id: m.id,
                        down,
                        opens_line,
                    },
                    "",
                ));
                let inner = &m.inner.ops;
                let mut p = 0;
                while p < inner.len() {
                    let t = m.inner.text(&inner[p]);
                    if let Some(next) = inner.get(p + 1) {
                        let nt = m.inner.text(next);
                        if replaces(&inner[p], t, next, nt) {
                            replacement(&mut out, t, nt, true, true);
                            p += 2;
                            continue;
                        }
                    }
                    let shown = match inner[p].kind {
                        OpKind::Equal => Shown::Same,
                        OpKind::Delete if is_blank(t) => {
                            p += 1;
                            continue;
                        }
                        OpKind::Insert if is_blank(t) => Shown::Same,
                        OpKind::Delete => Shown::Deleted,
                        OpKind::Insert => Shown::Inserted,
                    };
                    out.push((shown, t));
                    p += 1;
                }
                out.push((Shown::Same, trail));
            }
            k = unit.ops.end;
            continue;
        }
        let side = |kind: OpKind| {
            ops.iter()
                .filter(move |o| o.kind == kind)
                .map(|o| diff.text(o))
        };
        let (was, now) = (
            paragraph_breaks(side(OpKind::Delete)),
            paragraph_breaks(side(OpKind::Insert)),
        );
        let both_sides = ops.iter().any(|o| o.kind == OpKind::Delete)
            && ops.iter().any(|o| o.kind == OpKind::Insert);
        let break_change = if hidden || was == now || !both_sides {
            None
        } else if was < now {
            Some(Shown::BreakAdded)
        } else {
            Some(Shown::BreakRemoved)
        };
        let unit_start = out.len();
        // A replacement is laid out as the new text is: its whitespace, the
        // removed words, the inserted words.
        if let [d, i] = ops {
            let (dt, it) = (diff.text(d), diff.text(i));
            if !hidden && replaces(d, dt, i, it) {
                replacement(
                    &mut out,
                    dt,
                    it,
                    filter.shows_deleted(),
                    filter.shows_inserted(),
                );
                if let Some(b) = break_change {
                    mark_break(&mut out, unit_start, b);
                }
                k = unit.ops.end;
                continue;
            }
        }
        for op in ops {
            let text = diff.text(op);
            let blank = is_blank(text);
            let shown = match (op.kind, hidden, blank) {
                (OpKind::Delete, true, _) => None,
                (OpKind::Insert, true, _) => Some(Shown::Same),
                // Old whitespace that changed is not shown; new whitespace is
                // (with -2, the old layout is kept instead).
                // Beside the stub of a passage moved away, the old layout
                // keeps the stub on its own line.
                (OpKind::Delete, false, true) if beside_moved_from(diff, &unit.ops) => {
                    Some(Shown::Same)
                }
                (OpKind::Delete, false, true) => (!filter.shows_inserted()).then_some(Shown::Same),
                (OpKind::Insert, false, true) => filter.shows_inserted().then_some(Shown::Same),
                (OpKind::Delete, false, false) => filter.shows_deleted().then_some(Shown::Deleted),
                (OpKind::Insert, false, false) => {
                    filter.shows_inserted().then_some(Shown::Inserted)
                }
                (OpKind::Equal, ..) => Some(Shown::Same),
            };
            match shown {
                // Whitespace before changed words that holds a line break
                // is layout, shown as it is anywhere: a paragraph added after
                // the last one then starts a block of its own, and the
                // unchanged paragraph before it is only context.
                Some(shown @ (Shown::Inserted | Shown::Deleted)) => {
                    let (lead, ..) = split_ws(text);
                    let core = &text[lead.len()..];
                    if lead.contains('\n') {
                        out.push((Shown::Same, lead));
                        out.push((shown, core));
                    } else {
                        out.push((shown, text));
                    }
                }
                Some(shown) => out.push((shown, text)),
                None => {}
            }
        }
        if let Some(b) = break_change {
            mark_break(&mut out, unit_start, b);
        }
        k = unit.ops.end;
    }
    kinds.resize(out.len(), pending);
    (out, kinds)
}

/// Where the heading marks (`### `, after indentation) that end `t` start,
/// when the line they open starts in `t`: after a newline, or at its start
/// when `t` starts a line.
fn heading_lead(t: &str, line_start: bool) -> Option<usize> {
    let line = match t.rfind('\n') {
        Some(p) => p + 1,
        None if line_start => 0,
        None => return None,
    };
    let rest = &t[line..];
    let marks = rest.trim_start_matches([' ', '\t']);
    let hashes = marks.bytes().take_while(|&b| b == b'#').count();
    ((1..=6).contains(&hashes) && is_blank(&marks[hashes..]) && marks.len() > hashes)
        .then_some(line)
}

/// Whether the line that opens `rest` is blank or a setext underline (a
/// run of `-` or `=`, spaces around): the line before it ended a paragraph
/// or was a heading.
fn ends_heading_or_paragraph(rest: &str) -> bool {
    let line = rest.split('\n').next().unwrap_or("").trim();
    line.is_empty()
        || (line.len() >= 2 && (line.bytes().all(|b| b == b'-') || line.bytes().all(|b| b == b'=')))
}

/// Puts the mark of a paragraph break added (removed) to a change where
/// the break is: in the first piece of the change's new (old) text that
/// holds one, before the blank line. If no single piece holds it, the mark
/// opens the change.
fn mark_break<'a>(out: &mut Vec<Segment<'a>>, start: usize, mark: Shown) {
    let side = |s: Shown| match mark {
        Shown::BreakAdded => matches!(s, Shown::Inserted | Shown::InsertedSpaced | Shown::Same),
        _ => matches!(s, Shown::Deleted | Shown::DeletedSpaced),
    };
    let found = out[start..].iter().enumerate().find_map(|(k, &(s, t))| {
        side(s)
            .then(|| break_at(t))
            .flatten()
            .map(|p| (start + k, p))
    });
    match found {
        Some((k, p)) => {
            let (s, t) = out[k];
            let (before, after) = t.split_at(p);
            let pieces = [(s, before), (mark, ""), (s, after)];
            out.splice(
                k..=k,
                pieces
                    .into_iter()
                    .filter(|&(x, t)| x == mark || !t.is_empty()),
            );
        }
        None => out.insert(start, (mark, "")),
    }
}

/// Where the first paragraph break in `t` starts: the end of the line
/// before a blank line (trailing spaces left on the line).
fn break_at(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let mut i = memchr::memchr(b'\n', b)?;
    loop {
        let mut j = i + 1;
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r') {
            j += 1;
        }
        if j < b.len() && b[j] == b'\n' {
            let line = &t[..i];
            return Some(line.trim_end_matches([' ', '\t', '\r']).len());
        }
        i = j + memchr::memchr(b'\n', &b[j..])?;
    }
}

/// Whether ops `d` and `i` (with texts `dt` and `it`) are a replacement of
/// words: a deletion then an insertion, neither only whitespace.
fn replaces(d: &Op, dt: &str, i: &Op, it: &str) -> bool {
    d.kind == OpKind::Delete && i.kind == OpKind::Insert && !is_blank(dt) && !is_blank(it)
}

/// A replacement, laid out as the new text is: its whitespace, the removed
/// words, the inserted words. A space before one side only is that side's,
/// inside its marker (`Cumbria[- and-]{+,+} Lancashire`); before both, it
/// is shared, and shown outside.
fn replacement<'a>(
    out: &mut Vec<Segment<'a>>,
    dt: &'a str,
    it: &'a str,
    show_deleted: bool,
    show_inserted: bool,
) {
    let ((dl, dc, _), (il, ic, trail)) = (split_ws(dt), split_ws(it));
    let (ds, is) = (&dt[..dl.len() + dc.len()], &it[..il.len() + ic.len()]);
    let own = |l: &str, other: &str| !l.is_empty() && other.is_empty() && !l.contains('\n');
    let (deleted, inserted) = if own(dl, il) {
        ((Shown::DeletedSpaced, ds), (Shown::Inserted, ic))
    } else if own(il, dl) {
        ((Shown::Deleted, dc), (Shown::InsertedSpaced, is))
    } else {
        out.push((Shown::Same, il));
        ((Shown::Deleted, dc), (Shown::Inserted, ic))
    };
    if show_deleted {
        out.push(deleted);
    }
    if show_inserted {
        out.push(inserted);
    }
    out.push((Shown::Same, trail));
}

/// Whether the op just before or just after `ops` is the old place of a
/// moved passage.
fn beside_moved_from(diff: &Diff, ops: &Range<usize>) -> bool {
    let is_from = |k: usize| diff.move_of(k).is_some_and(|m| m.from == k);
    (ops.start > 0 && is_from(ops.start - 1)) || is_from(ops.end)
}

/// The first `n` words of `s` (a prefix slice), and never past the end of
/// its first paragraph or heading: a stub names a heading, not its
/// underline (issue 12: a stub quoting both spanned two lines).
fn opening_words(s: &str, n: usize) -> &str {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in s.char_indices() {
        if c == '\n' && ends_heading_or_paragraph(&s[i + 1..]) {
            return s[..i].trim_end();
        }
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == n {
                    return &s[..i];
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    s
}
