//! Counting words without building tokens: the ASCII count runs eight
//! bytes at a time, since a diff's statistics count whole documents.

use super::ascii::{wb_of, Wb};
use super::known::next_non_ascii;
use super::{tokenize_into, words_among};

/// Number of words in `text`.
pub fn count_words(text: &str) -> u64 {
    let b = text.as_bytes();
    // No token spans ASCII whitespace, so the text is counted in pieces cut
    // there: the stretches of ASCII text by the fast count, and only the
    // pieces between two spaces that hold a non-ASCII character (a curly
    // quote in a word of a Markdown paragraph) through the tokens.
    let mut toks = Vec::new();
    let mut n = 0u64;
    let mut pos = 0;
    while let Some(at) = next_non_ascii(b, pos) {
        let start = b[pos..at]
            .iter()
            .rposition(u8::is_ascii_whitespace)
            .map_or(pos, |k| pos + k + 1);
        let end = b[at..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(b.len(), |k| at + k);
        n += count_ascii_words(&b[pos..start]);
        toks.clear();
        tokenize_into(text, start..end, &mut toks);
        n += words_among(text, &toks);
        pos = end;
    }
    n + count_ascii_words(&b[pos..])
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
pub(super) fn count_ascii_words(b: &[u8]) -> u64 {
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
    // Whether the byte before the word of eight is a letter or digit, or
    // a joining character (0x80 if so).
    let (mut carry_alnum, mut carry_joining) = (0u64, 0u64);
    for (k, chunk) in b.chunks_exact(8).enumerate() {
        let i = 8 * k;
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let letter = in_range(w | (REP * 0x20), b'a', b'z');
        let digit = in_range(w, b'0', b'9');
        let alnum = letter | digit;
        // Most words of prose hold no joining character at all (`'` to
        // `/`, `:`, `;` or `_`), and one matters only before a letter or
        // digit (one at the end is the next word of eight's concern).
        let joining = in_range(w, b'\'', b'/') | in_range(w, b':', b';') | eq(w, b'_');
        let maybe = joining & (alnum >> 8) != 0 || carry_joining & alnum != 0;
        let prev_alnum = carry_alnum;
        carry_alnum = (alnum >> 56) & 0x80;
        carry_joining = (joining >> 56) & 0x80;
        // Where another rule than "a letter or digit after neither" does
        // apply: a character that joins two letters, one that joins two
        // digits (or makes a figure), and `_` before a letter or digit.
        let care = maybe && {
            let prev = if i > 0 { b[i - 1] } else { b' ' };
            let next = b.get(i + 8).copied().unwrap_or(b' ');
            let prev_letter = (letter << 8) | bit(prev.is_ascii_alphabetic(), 0);
            let next_letter = (letter >> 8) | bit(next.is_ascii_alphabetic(), 7);
            let prev_digit = (digit << 8) | bit(prev.is_ascii_digit(), 0);
            let next_digit = (digit >> 8) | bit(next.is_ascii_digit(), 7);
            let joins_letters =
                (eq(w, b'.') | eq(w, b'\'') | eq(w, b':')) & prev_letter & next_letter;
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
            joins_letters | joins_digits | underscore != 0
                || (joiner(prev) && b[i].is_ascii_alphanumeric())
        };
        if care {
            let (s, j) = count_ascii_words_in(b, i, i + 8);
            n += s;
            joins += j;
        } else {
            n += count_high_bits(alnum & !((alnum << 8) | prev_alnum));
        }
    }
    let i = len - len % 8;
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
    for (k, &byte) in b[from..to].iter().enumerate() {
        let i = from + k;
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
    use crate::diff::tokenize::{tokenize, words_among};

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        #[test]
        fn ascii_word_count_matches_the_tokens(s in "[a-cA-C0-2xyzXYZ89 _:.',;!?()/@\\[`{\"\\-\t\r\n]{0,90}") {
            let n = words_among(&s, &tokenize(&s));
            proptest::prop_assert_eq!(count_ascii_words(s.as_bytes()), n);
        }

        #[test]
        fn ascii_word_count_matches_the_tokens_in_prose(s in "([a-zA-Z0-9]{0,9}[ \n]{1,2}){0,12}([.,'_:/;-][a-z0-9 ]{0,9}){0,4}[a-z ]{0,30}") {
            let n = words_among(&s, &tokenize(&s));
            proptest::prop_assert_eq!(count_ascii_words(s.as_bytes()), n);
        }
    }
}
