//! Splits text into word tokens on Unicode word boundaries (UAX #29), line by
//! line. Whitespace separates tokens and is never part of one.

use crate::text::{is_ascii_ws, split_ws};
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
    let base = range.start;
    for (start, seg) in text[range].split_word_bound_indices() {
        let (lead, core, _) = split_ws(seg);
        if core.is_empty() {
            continue;
        }
        let s = base + start + lead.len();
        join.push(bytes, s..s + core.len(), &mut |t| out.push(t));
    }
    join.finish(&mut |t| out.push(t));
}

/// Joins the pieces of a figure in a stream of tokens: a token ending in a
/// digit, a one-byte separator (`-`, `/`, `:`) and a token starting with a
/// digit, each touching the next, become one token (repeatedly).
#[derive(Default)]
struct FigureJoin {
    pending: Option<Range<usize>>,
    sep: Option<Range<usize>>,
}

impl FigureJoin {
    #[inline]
    fn push(&mut self, b: &[u8], t: Range<usize>, emit: &mut impl FnMut(Range<usize>)) {
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
            emit(sep);
        } else if let Some(p) = &self.pending {
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
    fn finish(&mut self, emit: &mut impl FnMut(Range<usize>)) {
        if let Some(p) = self.pending.take() {
            emit(p);
        }
        if let Some(s) = self.sep.take() {
            emit(s);
        }
    }
}

/// UAX #29 word classes of ASCII characters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wb {
    Space,
    Letter,
    Numeric,
    ExtendNumLet,
    /// `:`
    MidLetter,
    /// `.` and `'` (MidNumLet and Single_Quote behave alike for ASCII)
    MidNumLetQ,
    /// `,` and `;`
    MidNum,
    Other,
}

const fn wb_of(b: u8) -> Wb {
    match b {
        b'A'..=b'Z' | b'a'..=b'z' => Wb::Letter,
        b'0'..=b'9' => Wb::Numeric,
        b'_' => Wb::ExtendNumLet,
        b':' => Wb::MidLetter,
        b'.' | b'\'' => Wb::MidNumLetQ,
        b',' | b';' => Wb::MidNum,
        b if is_ascii_ws(b) => Wb::Space,
        _ => Wb::Other,
    }
}

/// `wb_of` for every byte, looked up instead of matched.
static WB: [Wb; 256] = {
    let mut t = [Wb::Other; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = wb_of(b as u8);
        b += 1;
    }
    t
};

#[inline]
fn wb(b: u8) -> Wb {
    WB[b as usize]
}

/// The same tokens as UAX #29 word segmentation gives for ASCII text
/// (rules WB5 to WB13b; there are no Extend, Format, Katakana or Hebrew
/// characters in ASCII), several times faster. Checked against
/// unicode-segmentation by a property test.
#[cfg(test)]
fn ascii_tokens(bytes: &[u8], range: Range<usize>, out: &mut Vec<Range<usize>>) {
    each_ascii_token(bytes, range, |r| out.push(r));
}

/// Calls `f` with each token of ASCII `bytes[range]`, in order.
#[inline]
fn each_ascii_token(bytes: &[u8], range: Range<usize>, mut f: impl FnMut(Range<usize>)) {
    let end = range.end;
    let class = |i: usize| if i < end { Some(wb(bytes[i])) } else { None };
    let mut i = range.start;
    while i < end {
        let c = wb(bytes[i]);
        if c == Wb::Space {
            i += 1;
            continue;
        }
        let start = i;
        let mut cur = c;
        i += 1;
        if matches!(c, Wb::Letter | Wb::Numeric | Wb::ExtendNumLet) {
            while let Some(next) = class(i) {
                let joins = match (cur, next) {
                    (
                        Wb::Letter | Wb::Numeric | Wb::ExtendNumLet,
                        Wb::Letter | Wb::Numeric | Wb::ExtendNumLet,
                    ) => true,
                    // WB6/7: letter (MidLetter | MidNumLetQ) letter
                    (Wb::Letter, Wb::MidLetter | Wb::MidNumLetQ) => {
                        class(i + 1) == Some(Wb::Letter)
                    }
                    // WB11/12: digit (MidNum | MidNumLetQ) digit
                    (Wb::Numeric, Wb::MidNum | Wb::MidNumLetQ) => class(i + 1) == Some(Wb::Numeric),
                    _ => false,
                };
                if !joins {
                    break;
                }
                if matches!(next, Wb::MidLetter | Wb::MidNumLetQ | Wb::MidNum) {
                    // The middle character and the one after it.
                    i += 2;
                    cur = wb(bytes[i - 1]);
                } else {
                    i += 1;
                    cur = next;
                }
            }
        }
        f(start..i);
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

/// Number of words in `text`.
pub fn count_words(text: &str) -> u64 {
    if text.is_ascii() {
        // Line breaks are spaces to the ASCII rules: one pass, no buffer.
        let b = text.as_bytes();
        let mut n = 0u64;
        let mut join = FigureJoin::default();
        let mut count = |r: Range<usize>| {
            n += u64::from(b[r].iter().any(u8::is_ascii_alphanumeric));
        };
        each_ascii_token(b, 0..b.len(), |r| join.push(b, r, &mut count));
        join.finish(&mut count);
        return n;
    }
    let mut toks = Vec::new();
    let mut n = 0u64;
    for line in text.split_inclusive('\n') {
        toks.clear();
        let start = line.as_ptr() as usize - text.as_ptr() as usize;
        tokenize_into(text, start..start + line.len(), &mut toks);
        n += words_among(text, &toks);
    }
    n
}

#[cfg(test)]
mod tests {
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
        assert_eq!(toks("1--2"), vec!["1", "-", "-", "2"]);
        assert_eq!(toks("re-capture"), vec!["re", "-", "capture"]);
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
    fn reference(s: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for (start, seg) in s.split_word_bound_indices() {
            let (lead, core, _) = crate::text::split_ws(seg);
            if !core.is_empty() {
                out.push(start + lead.len()..start + lead.len() + core.len());
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn ascii_fast_path_matches_uax29(s in "[a-cA-C0-2 _:.',;!?()\"\\-\t\r\n]{0,40}") {
            let mut fast = Vec::new();
            ascii_tokens(s.as_bytes(), 0..s.len(), &mut fast);
            proptest::prop_assert_eq!(fast, reference(&s));
        }
    }

    #[test]
    fn ascii_fast_path_cases() {
        for s in [
            "U.S. 3.5% don't a:b 1,000,000 a_b __ x.y.z 1.a a.1 1:2 a,b 9;9 '' .. a'",
            "e.g., i.e.: 3.14; -- ...",
            "a\r\nb\x0bc\x0cd",
        ] {
            let mut fast = Vec::new();
            ascii_tokens(s.as_bytes(), 0..s.len(), &mut fast);
            assert_eq!(fast, reference(s), "{s:?}");
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
