//! tokenize: ranges are in order, non-overlapping, on char boundaries, each
//! non-empty and not all whitespace; everything outside them is whitespace.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redliner::diff::tokenize::{count_words, is_word, tokenize};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;
    let toks = tokenize(text);
    let mut prev_end = 0usize;
    for r in &toks {
        assert!(r.start >= prev_end, "token {r:?} overlaps or is out of order (prev end {prev_end})");
        assert!(r.start < r.end, "empty token {r:?}");
        assert!(r.end <= text.len(), "token {r:?} past end {}", text.len());
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "token {r:?} not on char boundaries"
        );
        let gap = &text[prev_end..r.start];
        assert!(gap.chars().all(char::is_whitespace), "non-whitespace {gap:?} outside tokens");
        let tok = &text[r.clone()];
        assert!(!tok.chars().all(char::is_whitespace), "whitespace-only token {tok:?}");
        prev_end = r.end;
    }
    let tail = &text[prev_end..];
    assert!(tail.chars().all(char::is_whitespace), "non-whitespace {tail:?} after last token");
    let words = toks.iter().filter(|r| is_word(&text[(*r).clone()])).count() as u64;
    assert_eq!(count_words(text), words);
});
