//! A section inserted (or deleted) just after a heading's marks is shown
//! as a whole section, not slid onto the heading before it.
//!
//! When a numbered section is inserted before another, the minimal diff
//! keeps the old heading's marks with the new section and inserts the marks
//! of the heading that followed:
//! `### 17\. {+SOUTH KOREA ... ### 18\.+} TURNSTILE`, which reads as if
//! section 17 had been retitled. Here the inserted text is re-anchored so
//! that it holds the whole new section, and the old heading's marks are
//! aligned with the heading they belong to:
//! `{+### 17\. SOUTH KOREA ...+}### [-17-]{+18+}\. TURNSTILE` (issue 12,
//! "Markdown structure matched across elements"). The same holds for a
//! deleted section. Heading marks are 1 to 6 `#`, spaces, and optionally a
//! section number (`18\.`, `4.1`, `2)`) and spaces, opening a line.

use super::engine::Raw;
use super::tokenize::count_words;
use super::{Op, OpKind};

/// Re-anchors every inserted or deleted run that ends with the marks of a
/// heading and follows the marks of another heading of the same level.
pub(crate) fn apply(raw: &mut Raw<'_>) {
    let (old, new) = (raw.old, raw.new);
    let mut k = 1;
    while k + 1 < raw.ops.len() {
        let (before, run, after) = (&raw.ops[k - 1], &raw.ops[k], &raw.ops[k + 1]);
        if before.kind != OpKind::Equal || after.kind != OpKind::Equal || run.kind == OpKind::Equal
        {
            k += 1;
            continue;
        }
        // The side the run is on, and its text.
        let (text, run_range, before_range) = match run.kind {
            OpKind::Insert => (new, run.new.clone(), before.new.clone()),
            _ => (old, run.old.clone(), before.old.clone()),
        };
        let Some(p1) = heading_marks_ending(text, before_range.start, before_range.end) else {
            k += 1;
            continue;
        };
        let Some(p2) = heading_marks_ending(text, run_range.start, run_range.end) else {
            k += 1;
            continue;
        };
        let (m1, m2) = (
            &text[before_range.end - p1..before_range.end],
            &text[run_range.end - p2..run_range.end],
        );
        // Same level, and the run holds more than the marks (a section).
        if hashes(m1) != hashes(m2) || p2 == run_range.len() {
            k += 1;
            continue;
        }
        // Word counts: the run's words less those of the ops replacing it.
        let (run_kind, run_text) = (run.kind, &text[run_range.clone()]);
        let before_words = count_words(run_text);
        let changed = splice(raw, k, p1, p2);
        let mut removed = 0;
        let mut added = 0;
        for op in &changed {
            match op.kind {
                OpKind::Delete => removed += count_words(&old[op.old.clone()]),
                OpKind::Insert => added += count_words(&new[op.new.clone()]),
                OpKind::Equal => {}
            }
        }
        if run_kind == OpKind::Insert {
            raw.added = (raw.added + added).saturating_sub(before_words);
            raw.removed += removed;
        } else {
            raw.removed = (raw.removed + removed).saturating_sub(before_words);
            raw.added += added;
        }
        k += 1;
    }
}

/// Number of `#` opening heading marks.
fn hashes(marks: &str) -> usize {
    marks.bytes().take_while(|&b| b == b'#').count()
}

/// The length of the heading marks that end `text[start..end]` and open a
/// line there: `#{1,6}`, spaces, optionally a section number and spaces.
fn heading_marks_ending(text: &str, start: usize, end: usize) -> Option<usize> {
    let piece = &text[start..end];
    let line = piece.rfind('\n').map(|p| start + p + 1);
    let line = match line {
        Some(l) => l,
        None if start == 0 || text[..start].ends_with('\n') => start,
        None => return None,
    };
    let marks = &text[line..end];
    let b = marks.as_bytes();
    let h = hashes(marks);
    if !(1..=6).contains(&h) {
        return None;
    }
    let mut i = h;
    let spaces = |i: usize| b[i..].iter().take_while(|&&c| c == b' ').count();
    let s = spaces(i);
    if s == 0 {
        return None;
    }
    i += s;
    if i < b.len() {
        // A section number: digits ("." digits)*, an optional closer.
        let mut j = i;
        loop {
            let d = b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
            if d == 0 {
                return None;
            }
            j += d;
            if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
                j += 1;
                continue;
            }
            break;
        }
        for closer in ["\\.", ".", ")"] {
            if marks[j..].starts_with(closer) {
                j += closer.len();
                break;
            }
        }
        let s = spaces(j);
        if s == 0 || j + s != b.len() {
            return None;
        }
    }
    Some(marks.len())
}

/// Rewrites ops `k - 1 ..= k + 1` (equal, run, equal) so that the marks
/// (`p1` bytes) ending the first equal op open the run, and the marks
/// (`p2` bytes) ending the run are aligned with them. Returns the changed
/// ops that replace the run: the run re-anchored, then the marks' changed
/// middle.
fn splice(raw: &mut Raw<'_>, k: usize, p1: usize, p2: usize) -> Vec<Op> {
    let (old, new) = (raw.old, raw.new);
    let before = raw.ops[k - 1].clone();
    let run = raw.ops[k].clone();
    let after = raw.ops[k + 1].clone();
    let insert = run.kind == OpKind::Insert;
    // The marks at the end of `before` (the same bytes in both texts), and
    // the marks at the end of the run (on the run's side only).
    let (m1_old, m1_new) = (before.old.end - p1, before.new.end - p1);
    let (a, b) = if insert {
        (
            &old[m1_old..before.old.end],
            &new[run.new.end - p2..run.new.end],
        )
    } else {
        (
            &old[run.old.end - p2..run.old.end],
            &new[m1_new..before.new.end],
        )
    };
    // Whole section numbers: `### [-17-]{+18+}`, never `### 1[-7-]{+8+}`.
    let in_number = |c: u8| c.is_ascii_digit() || c == b'.';
    let mut pre = common_prefix(a, b);
    while pre > 0 && in_number(a.as_bytes()[pre - 1]) && pre < a.len().min(b.len()) {
        pre -= 1;
    }
    let mut suf = common_suffix(&a[pre..], &b[pre..]);
    while suf > 0 && a.as_bytes()[a.len() - suf].is_ascii_digit() {
        suf -= 1;
    }
    // Positions of the marks pair: old marks at `oa`, new marks at `na`.
    let (oa, na) = if insert {
        (m1_old, run.new.end - p2)
    } else {
        (run.old.end - p2, m1_new)
    };
    let mut out: Vec<Op> = Vec::new();
    let new_before = Op {
        kind: OpKind::Equal,
        old: before.old.start..m1_old,
        new: before.new.start..m1_new,
    };
    let new_run = if insert {
        Op {
            kind: OpKind::Insert,
            old: m1_old..m1_old,
            new: m1_new..run.new.end - p2,
        }
    } else {
        Op {
            kind: OpKind::Delete,
            old: m1_old..run.old.end - p2,
            new: m1_new..m1_new,
        }
    };
    let (oe, ne) = (oa + a.len(), na + b.len());
    let mut mid = Vec::new();
    if pre > 0 {
        mid.push(Op {
            kind: OpKind::Equal,
            old: oa..oa + pre,
            new: na..na + pre,
        });
    }
    if oa + pre < oe - suf {
        out.push(Op {
            kind: OpKind::Delete,
            old: oa + pre..oe - suf,
            new: na + pre..na + pre,
        });
    }
    if na + pre < ne - suf {
        out.push(Op {
            kind: OpKind::Insert,
            old: oe - suf..oe - suf,
            new: na + pre..ne - suf,
        });
    }
    let new_after = if out.is_empty() {
        // The same marks: the equal text runs on from them.
        mid.clear();
        Op {
            kind: OpKind::Equal,
            old: oa..after.old.end,
            new: na..after.new.end,
        }
    } else {
        mid.extend(out.iter().cloned());
        Op {
            kind: OpKind::Equal,
            old: oe - suf..after.old.end,
            new: ne - suf..after.new.end,
        }
    };
    mid.push(new_after);
    let mut head = Vec::new();
    if !new_before.old.is_empty() {
        head.push(new_before);
    }
    head.push(new_run.clone());
    head.extend(mid);
    raw.ops.splice(k - 1..=k + 1, head);
    out.insert(0, new_run);
    out
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.char_indices()
        .rev()
        .zip(b.chars().rev())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, x), _)| {
            a.len() - i - x.len_utf8()
        })
}

#[cfg(test)]
mod tests {

    use super::super::tests::marked_raw as marked;

    #[test]
    fn an_inserted_section_opens_with_its_own_heading() {
        let old = "### 17\\. TURNSTILE ADDENDUM\n\nFor more information.\n\n### 18\\. CONTACT\n";
        let new = "### 17\\. SOUTH KOREA ADDENDUM\n\nPlease see our addendum.\n\n\
                   ### 18\\. TURNSTILE ADDENDUM\n\nFor more information.\n\n### 19\\. CONTACT\n";
        let m = marked(old, new);
        assert!(
            m.starts_with("{+### 17\\. SOUTH KOREA ADDENDUM\n\nPlease see our addendum.\n\n+}### [-17-]{+18+}\\. TURNSTILE"),
            "{m}"
        );
    }

    #[test]
    fn a_deleted_section_closes_before_the_next_heading() {
        let old = "Intro.\n\n## Fees\n\nYou pay.\n\n## Terms\n\nThey apply.\n";
        let new = "Intro.\n\n## Terms\n\nThey apply.\n";
        let m = marked(old, new);
        assert_eq!(
            m, "Intro.\n\n[-## Fees\n\nYou pay.\n\n-]## Terms\n\nThey apply.\n",
            "{m}"
        );
    }
}
