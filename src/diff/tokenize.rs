//! Splits text into word tokens on Unicode word boundaries (UAX #29), line by
//! line. Whitespace separates tokens and is never part of one.

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
pub fn tokenize_into(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let base = range.start;
    for (start, seg) in text[range].split_word_bound_indices() {
        let trimmed = seg.trim_matches(char::is_whitespace);
        if trimmed.is_empty() {
            continue;
        }
        let lead = seg.len() - seg.trim_start_matches(char::is_whitespace).len();
        let s = base + start + lead;
        out.push(s..s + trimmed.len());
    }
}

/// Whether a token counts as a word (it holds a letter or a digit), as
/// opposed to punctuation or a symbol.
pub fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// Number of words in `text`.
pub fn count_words(text: &str) -> u64 {
    text.split_word_bounds()
        .filter(|seg| is_word(seg.trim_matches(char::is_whitespace)))
        .count() as u64
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
