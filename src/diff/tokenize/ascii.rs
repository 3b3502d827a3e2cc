//! The ASCII fast path of the tokenizer: UAX #29's word rules for ASCII
//! bytes, as a byte-class table and one loop.

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
pub(super) fn each_ascii_token(bytes: &[u8], range: Range<usize>, mut f: impl FnMut(Range<usize>)) {
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
