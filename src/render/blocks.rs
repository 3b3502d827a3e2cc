//! Paragraphs (or lines) of a layout's segments, cut only inside unchanged
//! text, and the paragraph-break count that marks a split or merge.

use super::layout::{Segment, Shown};
#[cfg(test)]
use crate::diff::has_blank_line;

/// Splits the pieces into paragraphs (or lines, for a text without blank
/// lines), cutting only inside unchanged text. The blocks are positions in
/// `pieces`, not copies of them: a long diff's pieces are held once.
pub(super) fn blocks(pieces: &[Segment], blank_mode: bool) -> Blocks {
    let need = if blank_mode { 2 } else { 1 };
    let mut out = Blocks { cuts: Vec::new() };
    let last = pieces.len().saturating_sub(1);
    // Line feeds in the whitespace that ends the unchanged text so far: a
    // separator may begin in one piece and end in the next (an unchanged
    // line feed, then an inserted one before a new last paragraph).
    let mut carry = 0;
    for (k, &(shown, text)) in pieces.iter().enumerate() {
        if shown != Shown::Same {
            carry = 0;
            continue;
        }
        if text.is_empty() {
            continue;
        }
        let end_counts = k < last;
        if let Some(g) = crate::text::gaps(text).next() {
            let joined = carry + g.newlines;
            if g.start == 0
                && carry > 0
                && carry < need
                && g.newlines < need
                && joined >= need
                && (end_counts || g.end < text.len())
            {
                out.cuts.push((k, g.after_last_newline));
            }
        }
        for cut in separator_ends(text, need, end_counts) {
            out.cuts.push((k, cut));
        }
        let core = text.trim_end();
        let trailing = text[core.len()..].matches('\n').count();
        carry = if core.is_empty() {
            carry + trailing
        } else {
            trailing
        };
    }
    // What follows the last cut, if anything, is a block too.
    let end = (pieces.len(), 0);
    let tail_start = out.cuts.last().copied().unwrap_or((0, 0));
    if out.span(pieces, tail_start, end).next().is_some() {
        out.cuts.push(end);
    }
    out
}

/// Paragraphs (or lines) of pieces: block `i` runs from `cuts[i - 1]` (or
/// the start) to `cuts[i]`, each a (piece index, byte offset in its text).
#[derive(Debug, Clone)]
pub(super) struct Blocks {
    cuts: Vec<(usize, usize)>,
}

impl Blocks {
    pub(super) fn len(&self) -> usize {
        self.cuts.len()
    }
    pub(super) fn get<'p, 'a>(
        &self,
        pieces: &'p [Segment<'a>],
        i: usize,
    ) -> impl Iterator<Item = Segment<'a>> + 'p {
        self.get_indexed(pieces, i).map(|(_, s)| s)
    }
    /// Block `i` as `get` gives it, each piece with its index in `pieces`.
    pub(super) fn get_indexed<'p, 'a>(
        &self,
        pieces: &'p [Segment<'a>],
        i: usize,
    ) -> impl Iterator<Item = (usize, Segment<'a>)> + 'p {
        let start = if i == 0 { (0, 0) } else { self.cuts[i - 1] };
        self.span(pieces, start, self.cuts[i])
    }
    /// The pieces from `start` to `end`, cut at those offsets; unchanged
    /// text left empty by a cut is skipped, markers are kept.
    fn span<'p, 'a>(
        &self,
        pieces: &'p [Segment<'a>],
        start: (usize, usize),
        end: (usize, usize),
    ) -> impl Iterator<Item = (usize, Segment<'a>)> + 'p {
        let last = end.0.min(pieces.len().saturating_sub(1));
        (start.0..=last)
            .filter(move |&k| k < pieces.len())
            .filter_map(move |k| {
                let (shown, text) = pieces[k];
                let from = if k == start.0 { start.1 } else { 0 };
                let to = if k == end.0 { end.1 } else { text.len() };
                if shown != Shown::Same {
                    // Cuts fall in unchanged text only: a marker or a change
                    // is always whole in one block.
                    return Some((k, (shown, text)));
                }
                let t = &text[from..to];
                (!t.is_empty()).then_some((k, (shown, t)))
            })
    }
}

/// Byte offsets just after the last line feed of each whitespace run holding
/// at least `need` line feeds, so that a paragraph's indentation stays with
/// it (a run reaching the end of `text` counts only if `end_counts`).
///
/// In a text of paragraphs (`need` 2), the rows of a table and the items
/// of a list are blocks of their own too: a line break before or after a
/// line that opens with `|` or a list marker separates, so that `--context`
/// shows the changed rows or items of a long table or list, not all of it.
fn separator_ends(text: &str, need: usize, end_counts: bool) -> Vec<usize> {
    crate::text::gaps(text)
        .filter(|g| end_counts || g.end < text.len())
        .filter(|g| {
            g.newlines >= need
                || (need == 2 && g.newlines == 1 && {
                    let before = &text[..g.start];
                    let line_before = &before[before.rfind('\n').map_or(0, |p| p + 1)..];
                    let after = &text[g.end..];
                    let line_after = &after[..after.find('\n').unwrap_or(after.len())];
                    is_row(line_before) || is_row(line_after)
                })
        })
        .map(|g| g.after_last_newline)
        .collect()
}

/// Whether a line is a table row or a list item.
fn is_row(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('|') || (!t.is_empty() && crate::text::is_list_item(t))
}

/// Number of paragraph breaks (whitespace runs holding a blank line) in the
/// concatenation of `parts` (not built: a unit can be a whole document).
pub(super) fn paragraph_breaks<'t>(parts: impl IntoIterator<Item = &'t str>) -> usize {
    let mut n = 0;
    let mut newlines = 0;
    for part in parts {
        // Line by line: only whether a line holds anything but whitespace
        // matters, which its first characters nearly always tell.
        for (k, line) in part.split('\n').enumerate() {
            if k > 0 {
                newlines += 1;
            }
            if !crate::text::is_blank(line) {
                if newlines >= 2 {
                    n += 1;
                }
                newlines = 0;
            }
        }
    }
    n + usize::from(newlines >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line by line against the definition, character by character: a run
    /// of whitespace holding two or more line feeds, before text or at the
    /// end, is a paragraph break; parts are one text.
    #[test]
    fn paragraph_breaks_match_the_character_rule() {
        fn by_chars(s: &str) -> usize {
            let (mut n, mut newlines) = (0, 0);
            for c in s.chars() {
                if c == '\n' {
                    newlines += 1;
                } else if !c.is_whitespace() {
                    n += usize::from(newlines >= 2);
                    newlines = 0;
                }
            }
            n + usize::from(newlines >= 2)
        }
        let alphabet = ["\n", " ", "a", "\u{a0}", "\r", "\u{2028}", "é"];
        let mut rng = crate::text::testing::Lcg::with_increment(11, 1);
        for _ in 0..5_000 {
            let mut s = String::new();
            let mut x = rng.next_u64();
            for _ in 0..(x >> 60) + 2 {
                x = rng.next_u64();
                s.push_str(alphabet[(x >> 61) as usize % alphabet.len()]);
            }
            let cut = (x >> 20) as usize % (s.len() + 1);
            let cut = (0..=cut)
                .rev()
                .find(|&c| s.is_char_boundary(c))
                .unwrap_or(0);
            assert_eq!(
                paragraph_breaks([&s[..cut], &s[cut..]]),
                by_chars(&s),
                "{s:?}"
            );
        }
    }

    #[test]
    fn separators_are_found_inside_text_only() {
        assert_eq!(separator_ends("a\n\nb\n\n", 2, false), vec![3]);
        assert_eq!(separator_ends("a\n\nb\n\n", 2, true), vec![3, 6]);
        assert_eq!(separator_ends("a\n\n  b", 2, false), vec![3]);
        assert_eq!(separator_ends("a\nb\r\nc", 1, false), vec![2, 5]);
        assert!(has_blank_line("a\n \nb"));
        assert!(!has_blank_line("a\nb\n\n"));
    }
}
