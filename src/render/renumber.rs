//! Runs of renumbered markers: list items whose marker alone changed
//! (`*` -> `1.`, `3.` -> `4.`), or numbered headings and paragraphs whose
//! section number alone changed (`### 6\.` -> `### 7\.`, `16.1.` -> `1\.`),
//! in a row. A reader sees such a run as one edit (the list or the sections
//! were renumbered), so the layout sums it up in one line and the JSON marks
//! its ops with one run id.

use crate::diff::{Diff, OpKind};
use std::collections::HashMap;
use std::ops::Range;

/// Fewest items in a row whose marker-only changes are summed up in one
/// line instead of marked item by item.
pub const RENUMBERED_RUN: usize = 3;

/// A run of renumbered items.
#[derive(Debug, Clone)]
pub struct Run<'a> {
    /// The change units of the run, consecutive.
    pub units: Vec<usize>,
    /// Section numbers (headings, numbered paragraphs) rather than list
    /// markers.
    pub sections: bool,
    /// The first item's old and new marker, whole.
    pub old: &'a str,
    pub new: &'a str,
}

/// What a summary calls the items of a run.
pub fn label(sections: bool) -> &'static str {
    if sections {
        "section numbers"
    } else {
        "list markers"
    }
}

/// One item of a would-be run.
struct Item {
    unit: usize,
    sections: bool,
    /// For section numbers: new last component minus old last component;
    /// a run keeps one shift throughout.
    shift: i64,
    old: Range<usize>,
    new: Range<usize>,
}

/// The runs of at least `RENUMBERED_RUN` items with only unchanged text
/// between them, in order.
pub fn runs<'a>(diff: &Diff<'a>) -> Vec<Run<'a>> {
    let items = diff.units.iter().enumerate().filter_map(|(u, unit)| {
        let [d, i] = &diff.ops[unit.ops.clone()] else {
            return None;
        };
        if d.kind != OpKind::Delete
            || i.kind != OpKind::Insert
            || diff.move_of(unit.ops.start).is_some()
        {
            return None;
        }
        if at_list_marker(diff.old, &d.old) && at_list_marker(diff.new, &i.new) {
            return Some(Item {
                unit: u,
                sections: false,
                shift: 0,
                old: d.old.clone(),
                new: i.new.clone(),
            });
        }
        let (old, a) = section_number(diff.old, &d.old)?;
        let (new, b) = section_number(diff.new, &i.new)?;
        Some(Item {
            unit: u,
            sections: true,
            shift: i64::from(b) - i64::from(a),
            old,
            new,
        })
    });
    let mut groups: Vec<Vec<Item>> = Vec::new();
    for item in items {
        match groups.last_mut() {
            Some(run)
                if run.last().is_some_and(|l| {
                    l.unit + 1 == item.unit && l.sections == item.sections && l.shift == item.shift
                }) =>
            {
                run.push(item)
            }
            _ => groups.push(vec![item]),
        }
    }
    groups
        .into_iter()
        .filter(|r| r.len() >= RENUMBERED_RUN)
        .map(|r| Run {
            sections: r[0].sections,
            old: &diff.old[r[0].old.clone()],
            new: &diff.new[r[0].new.clone()],
            units: r.into_iter().map(|i| i.unit).collect(),
        })
        .collect()
}

/// Unit index -> (index of its run in `runs`, whether it is the run's
/// first unit).
pub fn by_unit(runs: &[Run]) -> HashMap<usize, (usize, bool)> {
    let mut out = HashMap::new();
    for (n, run) in runs.iter().enumerate() {
        for (k, &u) in run.units.iter().enumerate() {
            out.insert(u, (n, k == 0));
        }
    }
    out
}

/// Whether `r` replaces the marker that opens a line (after its
/// indentation), and only that marker.
fn at_list_marker(text: &str, r: &Range<usize>) -> bool {
    line_head_all(text, r.start, char::is_whitespace)
        && crate::text::list_marker_len(&text[r.start..])
            .is_some_and(|n| n >= r.len() && text[r.start + n..].starts_with(' '))
}

/// Whether every character of the line holding byte `at` of `text` that
/// comes before `at` passes `ok`, looked at backwards (it stops at the
/// first that fails).
fn line_head_all(text: &str, at: usize, ok: impl Fn(char) -> bool) -> bool {
    text[..at].chars().rev().take_while(|&c| c != '\n').all(ok)
}

/// When `r` lies inside the section number that opens a line or a heading
/// (`16.1.`, `4\.`, `2)`, after indentation and 1 to 6 `#`), followed by a
/// space: the number's whole range and its last component.
fn section_number(text: &str, r: &Range<usize>) -> Option<(Range<usize>, u32)> {
    // Only indentation, `#`, a gap and the number itself can come before
    // `r` on its line: anything else there is answered without finding
    // where the line (maybe a whole paragraph) starts.
    let number_head = |c: char| matches!(c, ' ' | '\t' | '#' | '0'..='9' | '.' | '\\' | ')');
    if !line_head_all(text, r.start, number_head) {
        return None;
    }
    let line = text[..r.start].rfind('\n').map_or(0, |p| p + 1);
    let rest = &text[line..];
    let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let mut start = line + indent;
    let hashes = text[start..].bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) {
        let after = &text[start + hashes..];
        let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
        if gap == 0 {
            return None;
        }
        start += hashes + gap;
    } else if hashes > 0 {
        return None;
    }
    // digits ( "." digits )* then an optional closer
    let b = text.as_bytes();
    let mut end = start;
    let mut last = None;
    loop {
        let digits = b[end..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=3).contains(&digits) {
            return None;
        }
        last = text[end..end + digits].parse::<u32>().ok().or(last);
        end += digits;
        if b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
            end += 1;
            continue;
        }
        break;
    }
    for closer in ["\\.", ".", ")"] {
        if text[end..].starts_with(closer) {
            end += closer.len();
            break;
        }
    }
    let spaced = matches!(b.get(end), Some(b' ' | b'\t'));
    (spaced && start <= r.start && r.end <= end).then_some((start..end, last?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str, what: &str) -> Option<(String, u32)> {
        let at = text.find(what)?;
        section_number(text, &(at..at + what.len())).map(|(r, n)| (text[r].to_string(), n))
    }

    #[test]
    fn section_numbers_open_a_line_or_a_heading() {
        assert_eq!(number("x\n### 6\\. Lending", "6"), Some(("6\\.".into(), 6)));
        assert_eq!(
            number("16.1. In the course", "16.1"),
            Some(("16.1.".into(), 1))
        );
        assert_eq!(number("#### 16.5 Legal", "16.5"), Some(("16.5".into(), 5)));
        assert_eq!(number("  2) Fees", "2"), Some(("2)".into(), 2)));
        // Not at the start of the line, not followed by a space, not a heading.
        assert_eq!(number("See 6. Fees", "6"), None);
        assert_eq!(number("6.5% more", "6.5"), None);
        assert_eq!(number("####### 6. Fees", "6"), None);
        assert_eq!(number("#6. Fees", "6"), None);
        assert_eq!(number("2023. Then", "2023"), None);
    }

    /// The backward check answers as the line's text from its start does,
    /// at every position of texts with numbers, markers and headings.
    #[test]
    fn line_heads_answer_as_the_whole_line_does() {
        let text =
            "x\n### 6\\. Lending\n  2) Fees é\n\t- item\n16.1. In 3 \u{a0}\u{2003}* b\n\n#6 7.";
        for at in (0..=text.len()).filter(|&k| text.is_char_boundary(k)) {
            let line = text[..at].rfind('\n').map_or(0, |p| p + 1);
            let head = &text[line..at];
            assert_eq!(
                line_head_all(text, at, char::is_whitespace),
                crate::diff::is_blank(head)
            );
            let in_number = |c: char| matches!(c, ' ' | '\t' | '#' | '0'..='9' | '.' | '\\' | ')');
            assert_eq!(
                line_head_all(text, at, in_number),
                head.chars().all(in_number)
            );
        }
    }

    #[test]
    fn runs_keep_one_shift() {
        let old = "### 6\\. A\n\nx\n\n### 7\\. B\n\ny\n\n### 8\\. C\n\nz\n\n### 9\\. D\n";
        let new = "### 7\\. A\n\nx\n\n### 8\\. B\n\ny\n\n### 9\\. C\n\nz\n\n### 12\\. D\n";
        let d = crate::diff::diff(old, new);
        let r = runs(&d);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].units.len(), 3);
        assert!(r[0].sections);
        assert_eq!((r[0].old, r[0].new), ("6\\.", "7\\."));
    }
}
