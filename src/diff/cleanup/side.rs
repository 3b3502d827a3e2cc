//! One side of a changed region, measured on demand for cleanup.

use std::ops::Range;

/// One side's tokens, measured on demand: only the runs and edits next to
/// a short unchanged run are ever measured.
pub(super) struct Side<'a> {
    text: &'a str,
    toks: &'a [Range<usize>],
    /// Byte lengths stand for characters (one check for the whole span).
    ascii: bool,
}

impl<'a> Side<'a> {
    pub(super) fn new(text: &'a str, toks: &'a [Range<usize>]) -> Side<'a> {
        let ascii = match (toks.first(), toks.last()) {
            (Some(a), Some(b)) => text.as_bytes()[a.start..b.end].is_ascii(),
            _ => true,
        };
        Side { text, toks, ascii }
    }

    /// Characters in token `i`.
    pub(super) fn chars_of(&self, i: usize) -> usize {
        let t = self.toks[i].clone();
        if self.ascii {
            t.len()
        } else {
            self.text[t].chars().count()
        }
    }

    /// Whether the tokens `r` hold at least `n` characters (counted only as
    /// far as needed: an edit may be a whole rewritten page).
    pub(super) fn has_chars(&self, r: Range<usize>, n: usize) -> bool {
        let mut sum = 0;
        n == 0
            || r.into_iter().any(|i| {
                sum += self.chars_of(i);
                sum >= n
            })
    }

    /// Whether a line break lies just before or just after the tokens `r`
    /// (or between them).
    pub(super) fn line_break_around(&self, r: Range<usize>) -> bool {
        let start = if r.start == 0 {
            0
        } else {
            self.toks[r.start - 1].end
        };
        let end = self.toks.get(r.end).map_or(self.text.len(), |t| t.start);
        self.text[start..end].contains('\n')
    }

    /// Whether a line break lies just before, and just after, the tokens
    /// `r` (a non-empty range).
    pub(super) fn line_breaks_beside(&self, r: Range<usize>) -> (bool, bool) {
        let start = if r.start == 0 {
            0
        } else {
            self.toks[r.start - 1].end
        };
        let end = self.toks.get(r.end).map_or(self.text.len(), |t| t.start);
        (
            self.text[start..self.toks[r.start].start].contains('\n'),
            self.text[self.toks[r.end - 1].end..end].contains('\n'),
        )
    }

    /// Whether the tokens `r` are a line of their own: a line break (or
    /// the text's edge) just before them and just after them. The tail of a
    /// line (`.` before a paragraph break) or its head (`* ` after one) is
    /// not.
    pub(super) fn whole_line(&self, r: Range<usize>) -> bool {
        let start = if r.start == 0 {
            0
        } else {
            self.toks[r.start - 1].end
        };
        let end = self.toks.get(r.end).map_or(self.text.len(), |t| t.start);
        let (Some(first), Some(last)) = (self.toks.get(r.start), r.end.checked_sub(1)) else {
            return false;
        };
        let before = &self.text[start..first.start];
        let after = &self.text[self.toks[last].end..end];
        (r.start == 0 || before.contains('\n'))
            && (r.end == self.toks.len() || after.contains('\n'))
    }

    /// Runs of non-whitespace characters in the tokens `r` ("words" as a
    /// reader counts them: `.`, `](https://` and `Service` are one each).
    pub(super) fn pieces_in(&self, r: Range<usize>) -> usize {
        self.span(r).split_whitespace().count()
    }

    /// Whether the tokens `r` hold at least `n` words.
    pub(super) fn has_words(&self, r: Range<usize>, n: usize) -> bool {
        self.words_in(r, n) >= n
    }

    /// The text from the first to the last of the tokens `r` ("" if none).
    pub(super) fn span(&self, r: Range<usize>) -> &'a str {
        match (self.toks[r.clone()].first(), self.toks[r].last()) {
            (Some(a), Some(b)) => &self.text[a.start..b.end],
            _ => "",
        }
    }

    /// Whitespace-separated pieces among the tokens `r` (what `wc -w`
    /// counts: `. You` is two), counted up to `cap`.
    pub(super) fn pieces_upto(&self, r: Range<usize>, cap: usize) -> usize {
        let first = r.start;
        r.filter(|&k| k == first || self.toks[k - 1].end != self.toks[k].start)
            .take(cap)
            .count()
    }

    /// Words among the tokens `r`, counted up to `cap`.
    pub(super) fn words_in(&self, r: Range<usize>, cap: usize) -> usize {
        self.toks[r]
            .iter()
            .filter(|t| crate::diff::tokenize::is_word(&self.text[(*t).clone()]))
            .take(cap)
            .count()
    }
}
