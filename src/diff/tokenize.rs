//! Splits text into word tokens on Unicode word boundaries (UAX #29).
//! Whitespace separates tokens and is never a token itself.

use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Byte ranges of the non-whitespace segments of `text`, in order.
pub fn tokenize(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    for (start, seg) in text.split_word_bound_indices() {
        if !seg.chars().all(char::is_whitespace) {
            out.push(start..start + seg.len());
        }
    }
    out
}

/// Whether a token counts as a word (it holds a letter or a digit), as
/// opposed to punctuation or a symbol.
pub fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// Number of words in `text`.
pub fn count_words(text: &str) -> u64 {
    tokenize(text)
        .into_iter()
        .filter(|r| is_word(&text[r.clone()]))
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
    fn whitespace_is_never_a_token() {
        assert!(toks(" \t\n\r\n \u{a0}").is_empty());
        assert_eq!(count_words("a , b -- c"), 3);
    }
}
