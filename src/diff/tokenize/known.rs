//! The common characters outside ASCII that the tokenizer's fast path
//! handles without UAX #29's general machinery: curly quotes and
//! apostrophes, dashes, bullets, the no-break space, currency and other
//! symbols, and Latin letters with accents. Each behaves as one of the
//! ASCII word classes does (its UAX #29 Word_Break property, as
//! unicode-segmentation's tables give it); none is Extend, Format, ZWJ,
//! Katakana, Hebrew_Letter or Regional_Indicator, the classes with rules
//! of their own. Text holding another character goes through UAX #29.

use super::ascii::Wb;

/// The word class of `c` if it is one of the known characters.
pub(super) const fn class_of(c: u32) -> Option<Wb> {
    Some(match c {
        // No-break space: Word_Break Other, so UAX #29 breaks on both
        // sides, and whitespace, so the tokens drop it, as a space is.
        0xA0 => Wb::Space,
        // ª µ ¸ º (ALetter), · (MidLetter), the soft hyphen (Format).
        0xAA | 0xB5 | 0xB8 | 0xBA => Wb::Letter,
        0xB7 => Wb::MidLetter,
        0xAD => return None,
        // ¡ ¢ £ ¤ ¥ ¦ § ¨ © « ¬ ® ¯ ° ± ² ³ ´ ¶ ¹ » ¼ ½ ¾ ¿ × ÷
        0xA1..=0xBF | 0xD7 | 0xF7 => Wb::Other,
        // Latin-1 letters, Latin Extended-A and -B, IPA, spacing modifier
        // letters (ALetter), except the spacing accents ˘ ˙ ˚ ˛ ˜ ˝.
        0xC0..=0x2D7 | 0x2DE..=0x2FF => Wb::Letter,
        0x2D8..=0x2DD => Wb::Other,
        // ‘ ’ (MidNumLet, as `.` and `'`), ․ (one dot leader).
        0x2018 | 0x2019 | 0x2024 => Wb::MidNumLetQ,
        // ‧ (hyphenation point).
        0x2027 => Wb::MidLetter,
        // ‐ ‑ ‒ – — ― ‖ ‗, ‚ ‛ “ ” „ ‟ † ‡ • ‣, ‥ …, ‰ ‱ ′ ″ ‴ ‵ ‶ ‷ ‸ ‹ › ※ ‼ ‽ ‾,
        // currency signs (€), ™, −.
        0x2010..=0x2017
        | 0x201A..=0x2023
        | 0x2025..=0x2026
        | 0x2030..=0x203E
        | 0x20A0..=0x20C0
        | 0x2122
        | 0x2212 => Wb::Other,
        _ => return None,
    })
}

/// The code point and byte length of the character at `b[i]`, a byte
/// that is not ASCII, if it is in U+0080..U+07FF or U+2000..U+2FFF (the
/// only ones `class_of` knows). `b` is valid UTF-8.
#[inline(always)]
fn decode(b: &[u8], i: usize) -> (u32, usize) {
    let lead = b[i];
    let cont = |k: usize| u32::from(b.get(i + k).copied().unwrap_or(0) & 0x3F);
    match lead {
        0xC2..=0xDF => ((u32::from(lead & 0x1F) << 6) | cont(1), 2),
        0xE2 => (0x2000 | (cont(1) << 6) | cont(2), 3),
        0xE0..=0xEF => (u32::MAX, 3),
        0xF0..=0xF7 => (u32::MAX, 4),
        // A continuation byte: never at a character boundary.
        _ => (u32::MAX, 1),
    }
}

/// The class and byte length of the character at `b[i]` (not ASCII);
/// `Other` for one `class_of` does not know.
#[inline]
pub(super) fn class_at(b: &[u8], i: usize) -> (Wb, usize) {
    let (c, len) = decode(b, i);
    (class_of(c).unwrap_or(Wb::Other), len)
}

/// Whether every character of `b` from `from` on that is not ASCII is a
/// known one (`from` is at a character boundary).
pub(super) fn all_known(b: &[u8], from: usize) -> bool {
    let mut i = from;
    while let Some(k) = next_non_ascii(b, i) {
        let (c, len) = decode(b, k);
        if class_of(c).is_none() {
            return false;
        }
        i = k + len;
    }
    true
}

/// The first byte of `b` from `from` on that is not ASCII, eight bytes at
/// a time.
#[inline]
pub(super) fn next_non_ascii(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    let mut chunks = rest.chunks_exact(8);
    let mut at = from;
    for chunk in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let high = u64::from_le_bytes(w) & 0x8080_8080_8080_8080;
        if high != 0 {
            return Some(at + (high.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c >= 0x80)
        .map(|k| at + k)
}

#[cfg(test)]
mod tests {
    use super::super::ascii::each_known_token;
    use super::super::tests::{reference, whole_reference};
    use super::super::{token_words_slow, tokenize, words_among};
    use super::*;

    fn fast(s: &str) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        each_known_token(s.as_bytes(), 0..s.len(), |r| out.push(r));
        out
    }

    /// `words_among` token by token, without its quick answers.
    fn slow_words(s: &str, toks: &[std::ops::Range<usize>]) -> u64 {
        toks.iter().map(|r| token_words_slow(&s[r.clone()])).sum()
    }

    fn known_chars() -> impl Iterator<Item = char> {
        (0x80..0x800u32)
            .chain(0x2000..0x3000)
            .filter(|&c| class_of(c).is_some())
            .filter_map(char::from_u32)
    }

    /// Every known character, in every string of up to three characters
    /// over it and ASCII characters of every class, gives UAX #29's tokens
    /// (the rules look at no more than three characters for these classes:
    /// WB6/7 and WB11/12).
    #[test]
    fn every_known_character_acts_as_uax29_says() {
        let ascii = [
            "a", "Z", "1", "_", ":", ".", "'", ",", ";", " ", "\n", "-", "\"",
        ];
        let mut n = 0;
        for c in known_chars() {
            let c = c.to_string();
            let alphabet: Vec<&str> = ascii.iter().copied().chain([c.as_str()]).collect();
            for x in &alphabet {
                for y in &alphabet {
                    for z in ["", "a", "1", ".", c.as_str()] {
                        let s = format!("{x}{c}{y}{z}");
                        let t = format!("{x}{y}{c}{z}");
                        for s in [&s, &t] {
                            assert!(all_known(s.as_bytes(), 0));
                            assert_eq!(fast(s), reference(s), "{s:?}");
                            n += 1;
                        }
                    }
                }
            }
        }
        assert!(n > 500_000, "{n}");
    }

    #[test]
    fn characters_with_rules_of_their_own_are_not_known() {
        // Soft hyphen and bidi marks (Format), combining accents (Extend),
        // the joiner (ZWJ), spaces that join or group (U+202F is
        // ExtendNumLet, U+2003 WSegSpace), line and paragraph separators,
        // Hebrew, Katakana, CJK, a flag, an emoji.
        for s in [
            "\u{ad}", "\u{200e}", "\u{301}", "e\u{301}", "\u{200d}", "\u{202f}", "\u{2003}",
            "\u{2028}", "\u{85}", "\u{5d0}", "\u{30a2}", "日", "🇺🇸", "👍", "\u{203f}",
        ] {
            assert!(!all_known(s.as_bytes(), 0), "{s:?}");
            assert!(!all_known(format!("don’t {s} x").as_bytes(), 0), "{s:?}");
        }
        assert!(all_known("“It’s 5 € — café § 3”\u{a0}•".as_bytes(), 0));
        assert!(all_known(b"plain ascii", 0));
        assert_eq!(next_non_ascii("abcdefghij’".as_bytes(), 0), Some(10));
        assert_eq!(next_non_ascii("’".as_bytes(), 0), Some(0));
        assert_eq!(next_non_ascii(b"abcdefghijklmnop", 3), None);
    }

    /// The whole texts and every line of the real revisions give the same
    /// tokens as UAX #29 (most hold curly quotes and no-break spaces).
    #[test]
    fn real_revisions_give_uax29_tokens() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real-revisions");
        let mut known_lines = 0;
        for dir in std::fs::read_dir(root).expect("tests/real-revisions") {
            let dir = dir.expect("entry").path();
            for side in ["old.md", "new.md"] {
                let Ok(text) = std::fs::read_to_string(dir.join(side)) else {
                    continue;
                };
                let toks = tokenize(&text);
                assert_eq!(toks, whole_reference(&text), "{dir:?} {side}");
                assert_eq!(words_among(&text, &toks), slow_words(&text, &toks));
                for line in text.lines() {
                    if !line.is_ascii() && all_known(line.as_bytes(), 0) {
                        known_lines += 1;
                        assert_eq!(fast(line), reference(line), "{line:?}");
                    }
                }
            }
        }
        assert!(known_lines > 500, "{known_lines}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn known_text_matches_uax29(
            s in "([a-cA-C0-9.,:;'_/\"-]{0,5}[‘’“”–—•§€·․‧é\u{a0}ªµ¸×÷ß\u{2d9}ǅ]{0,3}[ \t\n\r]{0,2}){0,10}"
        ) {
            proptest::prop_assert_eq!(fast(&s), reference(&s));
            proptest::prop_assert_eq!(tokenize(&s), whole_reference(&s));
        }

        #[test]
        fn known_and_unknown_text_matches_uax29(
            s in "([a-c0-9.,:'_-]{0,4}[’“é\u{a0}\u{301}\u{200d}\u{ad}\u{202f}日]{0,2}[ \n]{0,2}){0,10}"
        ) {
            proptest::prop_assert_eq!(tokenize(&s), whole_reference(&s));
        }

        #[test]
        fn quick_word_counts_match_the_slow_ones(
            s in "([ (\\[_.é’]{0,2}(https?://)?[a-c0-9.,:'_/()#?=é’-]{0,9}[ )\\].,]{0,2}){0,8}"
        ) {
            let toks = tokenize(&s);
            proptest::prop_assert_eq!(words_among(&s, &toks), slow_words(&s, &toks));
        }
    }
}
