//! Splits text into word tokens on Unicode word boundaries (UAX #29), line by
//! line. Whitespace separates tokens and is never part of one.

mod ascii;
mod count;

pub use count::count_words;

use crate::text::{is_ascii_ws, split_ws};
use ascii::each_ascii_token;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Byte ranges of the tokens of `text`, in order.
pub fn tokenize(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, 0..text.len(), &mut out);
    out
}

/// Appends the tokens of `text[range]` (absolute byte ranges). `range` must
/// start and end on line boundaries or token-free whitespace. Lines are
/// segmented one at a time: a token never spans a line break and never
/// starts or ends with whitespace.
///
/// A figure that UAX #29 cuts at its separators (`2023-06-01`, `06/01/2023`,
/// `10:30`, `1-800-555-0100`) is one token: digits joined by `-`, `/` or
/// `:` with nothing between. Figures UAX #29 keeps whole (`1,234.56`,
/// `3.5`, `v2.3.1`, `4.1.2`) stay so. A changed figure is then one change.
pub fn tokenize_into(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut join = FigureJoin::default();
    if bytes[range.clone()].is_ascii() {
        each_ascii_token(bytes, range, |r| join.push(bytes, r, &mut |t| out.push(t)));
        join.finish(&mut |t| out.push(t));
        return;
    }
    // Text that is not all ASCII (a curly quote in a paragraph is enough)
    // is cut at runs of ASCII whitespace followed by an ASCII byte, where
    // UAX #29 always breaks (a combining or joining mark after a space
    // would attach to it, so there is no cut before one); each piece that
    // is ASCII takes the fast path, the others UAX #29.
    let mut piece = range.start;
    let mut i = range.start;
    while i < range.end {
        if !is_ascii_ws(bytes[i]) {
            i += 1;
            continue;
        }
        let ws = i;
        while i < range.end && is_ascii_ws(bytes[i]) {
            i += 1;
        }
        if i == range.end || bytes[i] < 0x80 {
            tokenize_piece(text, piece..ws, &mut join, out);
            piece = i;
        }
    }
    tokenize_piece(text, piece..range.end, &mut join, out);
    join.finish(&mut |t| out.push(t));
}

/// The tokens of `text[range]`, a piece whose ends UAX #29 breaks at.
fn tokenize_piece(
    text: &str,
    range: Range<usize>,
    join: &mut FigureJoin,
    out: &mut Vec<Range<usize>>,
) {
    let bytes = text.as_bytes();
    if bytes[range.clone()].is_ascii() {
        each_ascii_token(bytes, range, |r| join.push(bytes, r, &mut |t| out.push(t)));
        return;
    }
    let base = range.start;
    for (start, seg) in text[range].split_word_bound_indices() {
        let (lead, core, _) = split_ws(seg);
        if core.is_empty() {
            continue;
        }
        let s = base + start + lead.len();
        join.push(bytes, s..s + core.len(), &mut |t| out.push(t));
    }
}

/// Joins the pieces of a figure in a stream of tokens: a token ending in a
/// digit, a one-byte separator (`-`, `/`, `:`) and a token starting with a
/// digit, each touching the next, become one token (repeatedly).
#[derive(Default)]
pub(super) struct FigureJoin {
    pending: Option<Range<usize>>,
    sep: Option<Range<usize>>,
}

impl FigureJoin {
    #[inline]
    pub(super) fn push(&mut self, b: &[u8], t: Range<usize>, emit: &mut impl FnMut(Range<usize>)) {
        // A run of one marker character (`---`, `===`, `**`, `####`) is
        // one token: a setext underline, a rule or an emphasis marker
        // changes whole, not one hyphen at a time.
        let rule_char = |r: &Range<usize>| {
            r.len() == 1 && matches!(b[r.start], b'-' | b'=' | b'*' | b'#' | b'~' | b'+')
        };
        if let Some(sep) = self.sep.take() {
            if sep.end == t.start && b[t.start].is_ascii_digit() {
                if let Some(p) = &mut self.pending {
                    p.end = t.end;
                    return;
                }
            }
            if let Some(p) = self.pending.take() {
                emit(p);
            }
            if sep.end == t.start && rule_char(&t) && b[t.start] == b[sep.start] {
                self.pending = Some(sep.start..t.end);
                return;
            }
            emit(sep);
        } else if let Some(p) = &mut self.pending {
            if p.end == t.start
                && rule_char(&t)
                // `p` is one such character or a run of it (checking its
                // ends is enough: a token has no other way to start and end
                // with a marker byte).
                && b[p.start] == b[t.start]
                && b[p.end - 1] == b[t.start]
            {
                p.end = t.end;
                return;
            }
            if p.end == t.start
                && t.len() == 1
                && matches!(b[t.start], b'-' | b'/' | b':')
                && b[p.end - 1].is_ascii_digit()
            {
                self.sep = Some(t);
                return;
            }
        }
        if let Some(p) = self.pending.replace(t) {
            emit(p);
        }
    }

    #[inline]
    pub(super) fn finish(&mut self, emit: &mut impl FnMut(Range<usize>)) {
        if let Some(p) = self.pending.take() {
            emit(p);
        }
        if let Some(s) = self.sep.take() {
            emit(s);
        }
    }
}

/// Whether a token counts as a word (it holds a letter or a digit), as
/// opposed to punctuation or a symbol.
pub fn is_word(token: &str) -> bool {
    let b = token.as_bytes();
    if b.first().is_some_and(u8::is_ascii_alphanumeric) {
        return true;
    }
    if token.is_ascii() {
        return b.iter().any(u8::is_ascii_alphanumeric);
    }
    token.chars().any(char::is_alphanumeric)
}

/// Number of words among the tokens `toks` of `text`.
pub fn words_among(text: &str, toks: &[Range<usize>]) -> u64 {
    toks.iter().filter(|r| is_word(&text[(*r).clone()])).count() as u64
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn words_numbers_and_punctuation_are_separate() {
        assert_eq!(
            toks("Hello, world! It's 3.5 km\r\n(U.S.)"),
            vec!["Hello", ",", "world", "!", "It's", "3.5", "km", "(", "U.S", ".", ")"]
        );
    }

    #[test]
    fn figures_are_single_tokens() {
        assert_eq!(
            toks(
                "on 2023-06-01, 06/01/2023 at 10:30 call 1-800-555-0100 or 1,234.56 v2.3.1 § 4.1.2"
            ),
            vec![
                "on",
                "2023-06-01",
                ",",
                "06/01/2023",
                "at",
                "10:30",
                "call",
                "1-800-555-0100",
                "or",
                "1,234.56",
                "v2.3.1",
                "§",
                "4.1.2"
            ]
        );
        // Not figures: a word before the dash, a space after it, a dash at
        // the end, a dash between words.
        assert_eq!(toks("COVID-19"), vec!["COVID", "-", "19"]);
        assert_eq!(toks("2023- 06"), vec!["2023", "-", "06"]);
        assert_eq!(toks("2023-"), vec!["2023", "-"]);
        assert_eq!(toks("1--2"), vec!["1", "--", "2"]);
        assert_eq!(toks("re-capture"), vec!["re", "-", "capture"]);
        // A run of one marker character is one token.
        assert_eq!(
            toks("Title\n=====\n---- a -- b ** c **d** ###"),
            vec!["Title", "=====", "----", "a", "--", "b", "**", "c", "**", "d", "**", "###"]
        );
        assert_eq!(toks("2023---x"), vec!["2023", "---", "x"]);
        assert_eq!(toks("-=-"), vec!["-", "=", "-"]);
        // The same outside ASCII, and counted as one word.
        assert_eq!(toks("é 2024-02-20 é"), vec!["é", "2024-02-20", "é"]);
        assert_eq!(count_words("2023-06-01 and 10:30"), 3);
        assert_eq!(count_words("é 2023-06-01"), 2);
    }

    #[test]
    fn cjk_is_split_per_character_and_hangul_words_stay_whole() {
        assert_eq!(toks("強く非難"), vec!["強", "く", "非", "難"]);
        assert_eq!(toks("국방부 장관"), vec!["국방부", "장관"]);
    }

    #[test]
    fn whitespace_is_never_a_token_nor_part_of_one() {
        assert!(toks(" \t\n\r\n \u{a0}").is_empty());
        assert_eq!(count_words("a , b -- c"), 3);
        // A joiner after a space attaches to the space in UAX #29; the token
        // is the joiner alone, without the space.
        assert_eq!(toks("a \u{200d}b"), vec!["a", "\u{200d}", "b"]);
    }

    /// The ASCII fast path gives exactly what UAX #29 gives.
    /// UAX #29 alone, whitespace dropped: what the ASCII fast path must
    /// give exactly.
    pub(super) fn reference(s: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for (start, seg) in s.split_word_bound_indices() {
            let (lead, core, _) = crate::text::split_ws(seg);
            if !core.is_empty() {
                out.push(start + lead.len()..start + lead.len() + core.len());
            }
        }
        out
    }

    /// UAX #29 over the whole text, and figures joined: what
    /// `tokenize` must give however it cuts the text into pieces.
    fn whole_reference(s: &str) -> Vec<Range<usize>> {
        let b = s.as_bytes();
        let (mut out, mut join) = (Vec::new(), FigureJoin::default());
        for r in reference(s) {
            join.push(b, r, &mut |t| out.push(t));
        }
        join.finish(&mut |t| out.push(t));
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn mixed_text_in_pieces_matches_whole_uax29(
            s in "([a-c0-9.,:'_/-]{0,6}|[é日本\u{200d}\u{301}\u{2019}“”\u{a0}\u{3000}한국🇺🇸👍🏽]{0,3})([ \t\n\r]{0,2}([a-c0-9.,:'_/-]{0,6}|[é日本\u{200d}\u{301}\u{2019}“”\u{a0}\u{3000}한국👍🏽]{0,3})){0,12}"
        ) {
            proptest::prop_assert_eq!(tokenize(&s), whole_reference(&s));
        }
    }

    #[test]
    fn count_matches_tokens() {
        for s in [
            "",
            "a b",
            "The U.S. and 3.5% — “quoted” 日本語 국방부",
            " \u{200d}x y\n\nz",
        ] {
            let n = tokenize(s)
                .into_iter()
                .filter(|r| is_word(&s[r.clone()]))
                .count() as u64;
            assert_eq!(count_words(s), n, "{s:?}");
        }
    }
}
