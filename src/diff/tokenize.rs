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
struct FigureJoin {
    pending: Option<Range<usize>>,
    sep: Option<Range<usize>>,
}

impl FigureJoin {
    #[inline]
    fn push(&mut self, b: &[u8], t: Range<usize>, emit: &mut impl FnMut(Range<usize>)) {
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
        return count_ascii_words(text.as_bytes());
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

/// Words in ASCII `b`, without forming tokens: the same count as the
/// tokens of `each_ascii_token` joined by `FigureJoin` that hold a letter
/// or a digit, from local rules (a diff's statistics count every word of
/// the new text, so this runs over whole documents). A word starts at a
/// letter or digit that does not continue the token before it (a letter,
/// digit or `_` just before, or a joining middle character between two
/// letters or two digits, UAX #29's WB6/7 and WB11/12); a token of `_`
/// counts if it holds a letter or digit; each figure separator (`-`, `/`,
/// `:` between two digits) joins two words into one.
fn count_ascii_words(b: &[u8]) -> u64 {
    // Eight bytes at a time: a word starts at a letter or digit after a
    // byte that is neither. Only where a joining character (`.`, `'`, `:`,
    // `,`, `;`, `-`, `/`, `_`) stands before a letter or digit can the
    // other rules apply; such a word of eight bytes is counted byte by byte.
    const REP: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // 0x80 in each byte of `x` (ASCII) within `lo..=hi`.
    let in_range = |x: u64, lo: u8, hi: u8| {
        (x.wrapping_add(REP * u64::from(0x80 - lo)) & !x.wrapping_add(REP * u64::from(0x7f - hi)))
            & HIGH
    };
    // 0x80 in each byte of `x` (ASCII) equal to `c`.
    let eq = |x: u64, c: u8| {
        let t = x ^ (REP * u64::from(c));
        !((t.wrapping_add(REP * 0x7f)) | t) & HIGH
    };
    let joiner = |c: u8| matches!(c, b'.' | b'\'' | b':' | b',' | b';' | b'-' | b'/' | b'_');
    let bit = |yes: bool, at: u32| if yes { 0x80u64 << (8 * at) } else { 0 };
    let len = b.len();
    let mut n = 0u64;
    let mut joins = 0u64;
    let mut i = 0;
    // Whether the byte before the word of eight is a letter or digit, or
    // a joining character (0x80 if so).
    let (mut carry_alnum, mut carry_joining) = (0u64, 0u64);
    for chunk in b.chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let alnum = in_range(w | (REP * 0x20), b'a', b'z') | in_range(w, b'0', b'9');
        // Most words of prose hold no joining character at all: `'` to
        // `/`, `:`, `;` or `_`.
        let joining = in_range(w, b'\'', b'/') | in_range(w, b':', b';') | eq(w, b'_');
        // A joining character matters only before a letter or digit (one
        // at the start of the next word of eight is that word's concern).
        let simple = joining & (alnum >> 8) == 0 && carry_joining & alnum == 0;
        let carry = carry_alnum;
        carry_alnum = (alnum >> 56) & 0x80;
        carry_joining = (joining >> 56) & 0x80;
        if simple {
            n += count_high_bits(alnum & !((alnum << 8) | carry));
            i += 8;
            continue;
        }
        let letter = in_range(w | (REP * 0x20), b'a', b'z');
        let digit = in_range(w, b'0', b'9');
        let prev = if i > 0 { b[i - 1] } else { b' ' };
        let next = b.get(i + 8).copied().unwrap_or(b' ');
        // The bytes before and after each byte, as masks.
        let prev_letter = (letter << 8) | bit(prev.is_ascii_alphabetic(), 0);
        let next_letter = (letter >> 8) | bit(next.is_ascii_alphabetic(), 7);
        let prev_digit = (digit << 8) | bit(prev.is_ascii_digit(), 0);
        let next_digit = (digit >> 8) | bit(next.is_ascii_digit(), 7);
        // Where another rule than "a letter or digit after neither" may
        // apply: a character that joins two letters, one that joins two
        // digits (or makes a figure), and `_` before a letter or digit.
        let joins_letters = (eq(w, b'.') | eq(w, b'\'') | eq(w, b':')) & prev_letter & next_letter;
        let joins_digits = (eq(w, b'.')
            | eq(w, b'\'')
            | eq(w, b',')
            | eq(w, b';')
            | eq(w, b'-')
            | eq(w, b'/')
            | eq(w, b':'))
            & prev_digit
            & next_digit;
        let underscore = eq(w, b'_') & ((alnum >> 8) | bit(next.is_ascii_alphanumeric(), 7));
        let care = joins_letters | joins_digits | underscore != 0
            || (joiner(prev) && b[i].is_ascii_alphanumeric());
        if care {
            let (s, j) = count_ascii_words_in(b, i, i + 8);
            n += s;
            joins += j;
        } else {
            let carry = if prev.is_ascii_alphanumeric() {
                0x80
            } else {
                0
            };
            n += count_high_bits(alnum & !((alnum << 8) | carry));
        }
        i += 8;
    }
    let (s, j) = count_ascii_words_in(b, i, len);
    n.saturating_add(s).saturating_sub(joins + j)
}

/// The number of bytes of `m` whose high bit is set (only high bits may
/// be): one multiply, where `count_ones` may be emulated without POPCNT.
#[inline(always)]
fn count_high_bits(m: u64) -> u64 {
    ((m >> 7).wrapping_mul(0x0101_0101_0101_0101)) >> 56
}

/// Word starts and figure joins among the bytes `from..to` of ASCII `b`,
/// one byte at a time (the bytes before `from` are looked at, not counted).
fn count_ascii_words_in(b: &[u8], from: usize, to: usize) -> (u64, u64) {
    // Byte classes as bit flags, looked up once per byte.
    const L: u8 = 1;
    const N: u8 = 2;
    const E: u8 = 4;
    /// Joins two letters (MidLetter, MidNumLet, Single_Quote).
    const ML: u8 = 8;
    /// Joins two digits (MidNum, MidNumLet, Single_Quote).
    const MN: u8 = 16;
    /// Joins two digits into a figure (`FigureJoin`).
    const SEP: u8 = 32;
    static FLAGS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut x = 0;
        while x < 256 {
            let c = x as u8;
            t[x] = match wb_of(c) {
                Wb::Letter => L,
                Wb::Numeric => N,
                Wb::ExtendNumLet => E,
                Wb::MidLetter => ML,
                Wb::MidNumLetQ => ML | MN,
                Wb::MidNum => MN,
                _ => 0,
            } | if matches!(c, b'-' | b'/' | b':') {
                SEP
            } else {
                0
            };
            x += 1;
        }
        t
    };
    let flag = |k: usize| FLAGS[b[k] as usize];
    // Whether the `_` run ending at `k` follows a letter or digit.
    let after_word = |k: usize| {
        let mut j = k;
        while j > 0 && flag(j) == E {
            j -= 1;
        }
        flag(j) & (L | N) != 0
    };
    let (mut n, mut joins) = (0u64, 0u64);
    let mut f2 = if from >= 2 { flag(from - 2) } else { 0 };
    let mut f1 = if from >= 1 { flag(from - 1) } else { 0 };
    for (i, &byte) in b.iter().enumerate().take(to).skip(from) {
        let f0 = FLAGS[byte as usize];
        let word_byte = f0 & (L | N) != 0;
        let mut continues = (f1 & (L | N) != 0)
            | ((f2 & f0 & L != 0) & (f1 & ML != 0))
            | ((f2 & f0 & N != 0) & (f1 & MN != 0));
        if f1 == E {
            // After a `_`, the token is a word already if a letter or
            // digit came before the `_` run.
            continues = after_word(i - 1);
        }
        n += u64::from(word_byte & !continues);
        joins += u64::from((f1 & SEP != 0) & (f2 & f0 & N != 0));
        f2 = f1;
        f1 = f0;
    }
    (n, joins)
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        #[test]
        fn ascii_word_count_matches_the_tokens(s in "[a-cA-C0-2xyzXYZ89 _:.',;!?()/@\\[`{\"\\-\t\r\n]{0,90}") {
            let n = tokenize(&s).into_iter().filter(|r| is_word(&s[r.clone()])).count() as u64;
            proptest::prop_assert_eq!(count_ascii_words(s.as_bytes()), n);
        }

        #[test]
        fn ascii_word_count_matches_the_tokens_in_prose(s in "([a-zA-Z0-9]{0,9}[ \n]{1,2}){0,12}([.,'_:/;-][a-z0-9 ]{0,9}){0,4}[a-z ]{0,30}") {
            let n = tokenize(&s).into_iter().filter(|r| is_word(&s[r.clone()])).count() as u64;
            proptest::prop_assert_eq!(count_ascii_words(s.as_bytes()), n);
        }
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
