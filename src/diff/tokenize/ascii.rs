//! The ASCII fast path of the tokenizer: UAX #29's word rules for ASCII
//! bytes, as a byte-class table and one loop.

use super::known;
use crate::text::is_ascii_ws;
use std::ops::Range;

/// UAX #29 word classes of ASCII characters.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Wb {
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

pub(super) const fn wb_of(b: u8) -> Wb {
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

/// The ASCII bytes that continue any word they follow: letters, digits
/// and `_` (WB5, WB8 to WB10, WB13a/b).
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(wb_of(b as u8), Wb::Letter | Wb::Numeric | Wb::ExtendNumLet);
        b += 1;
    }
    t
};

#[inline]
pub(super) fn wb(b: u8) -> Wb {
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
pub(super) fn each_ascii_token(bytes: &[u8], range: Range<usize>, f: impl FnMut(Range<usize>)) {
    each_token::<true>(bytes, range, f);
}

/// Calls `f` with each token of `bytes[range]`, in order, where every
/// character that is not ASCII is one `known::class_at` knows (see
/// `known::all_known`): the same rules, over characters of several bytes.
#[inline]
pub(super) fn each_known_token(bytes: &[u8], range: Range<usize>, f: impl FnMut(Range<usize>)) {
    each_token::<false>(bytes, range, f);
}

/// The class and byte length of the character at `bytes[i]` (`i` below
/// the end): an ASCII byte by the table; with `ASCII` false, any other
/// character by `known::class_at` (one it does not know, which callers
/// rule out beforehand, is taken for `Other`).
#[inline(always)]
fn unit<const ASCII: bool>(bytes: &[u8], i: usize) -> (Wb, usize) {
    let b = bytes[i];
    if ASCII || b < 0x80 {
        (wb(b), 1)
    } else {
        known::class_at(bytes, i)
    }
}

#[inline(always)]
fn each_token<const ASCII: bool>(
    bytes: &[u8],
    range: Range<usize>,
    mut f: impl FnMut(Range<usize>),
) {
    let end = range.end;
    let class = |i: usize| {
        if i < end {
            Some(unit::<ASCII>(bytes, i))
        } else {
            None
        }
    };
    let mut i = range.start;
    while i < end {
        let (c, len) = unit::<ASCII>(bytes, i);
        if c == Wb::Space {
            i += len;
            continue;
        }
        let start = i;
        let mut cur = c;
        i += len;
        if matches!(c, Wb::Letter | Wb::Numeric | Wb::ExtendNumLet) {
            loop {
                // Most of a word: a run of ASCII letters, digits and `_`,
                // which always continue it.
                let run = i;
                while i < end && WORD_BYTE[bytes[i] as usize] {
                    i += 1;
                }
                if i > run {
                    cur = wb(bytes[i - 1]);
                }
                let Some((next, next_len)) = class(i) else {
                    break;
                };
                let joins = match (cur, next) {
                    (
                        Wb::Letter | Wb::Numeric | Wb::ExtendNumLet,
                        Wb::Letter | Wb::Numeric | Wb::ExtendNumLet,
                    ) => Some((next, 0)),
                    // WB6/7: letter (MidLetter | MidNumLetQ) letter
                    (Wb::Letter, Wb::MidLetter | Wb::MidNumLetQ) => {
                        class(i + next_len).filter(|&(after, _)| after == Wb::Letter)
                    }
                    // WB11/12: digit (MidNum | MidNumLetQ) digit
                    (Wb::Numeric, Wb::MidNum | Wb::MidNumLetQ) => {
                        class(i + next_len).filter(|&(after, _)| after == Wb::Numeric)
                    }
                    _ => None,
                };
                let Some((to, after_len)) = joins else {
                    break;
                };
                // The next character, and the one after it if that one
                // was in the middle.
                i += next_len + after_len;
                cur = to;
            }
        }
        f(start..i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::tokenize::tests::reference;

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
}
