//! Lines as alignment units: the non-blank lines of a text, each with a key
//! that ignores whitespace, computed without segmenting words (so that
//! unchanged text costs one pass over its bytes).

use std::ops::Range;

/// A non-blank line: its content without leading and trailing whitespace,
/// and a hash of that content with every whitespace run folded to one space.
/// Lines with equal keys have equal token sequences (up to hash collisions,
/// which the caller rules out by comparing bytes or tokens).
#[derive(Debug, Clone)]
pub struct Line {
    pub range: Range<usize>,
    pub key: u64,
}

#[inline]
fn ascii_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// A fast, deterministic hash of a byte string (FxHash-style, 8 bytes at a
/// time); used only to find candidate equal lines.
fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    h
}

/// The non-blank lines of `text`.
pub fn lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 64 + 1);
    let mut folded: Vec<u8> = Vec::new();
    let mut i = 0;
    let n = bytes.len();
    while i < n {
        let end = bytes[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(n, |p| i + p);
        let line = &bytes[i..end];
        // Fast path: ASCII with single spaces only is its own folded form.
        let simple = line.iter().all(|&b| b > b' ' && b < 0x80 || b == b' ')
            && !line.windows(2).any(|w| w == b"  ");
        if simple {
            let first = line.iter().position(|&b| b != b' ');
            if let Some(first) = first {
                let last = line.iter().rposition(|&b| b != b' ').unwrap_or(first) + 1;
                out.push(Line {
                    range: i + first..i + last,
                    key: hash_bytes(&line[first..last]),
                });
            }
        } else if let Some(l) = fold_line(text, i, end, &mut folded) {
            out.push(l);
        }
        i = end + 1;
    }
    out
}

/// A line with other whitespace: fold every whitespace run to one space.
fn fold_line(text: &str, start: usize, end: usize, folded: &mut Vec<u8>) -> Option<Line> {
    let bytes = text.as_bytes();
    folded.clear();
    let mut first = usize::MAX;
    let mut last_end = 0;
    let mut pending_space = false;
    let mut i = start;
    while i < end {
        let b = bytes[i];
        let (is_ws, len) = if b < 0x80 {
            (ascii_ws(b), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
            (c.is_whitespace(), c.len_utf8())
        };
        if is_ws {
            pending_space = first != usize::MAX;
        } else {
            if first == usize::MAX {
                first = i;
            }
            if pending_space {
                folded.push(b' ');
                pending_space = false;
            }
            folded.extend_from_slice(&bytes[i..i + len]);
            last_end = i + len;
        }
        i += len;
    }
    (first != usize::MAX).then(|| Line {
        range: first..last_end,
        key: hash_bytes(folded),
    })
}

/// The sentences of `text[range]`: a unit ends after `.`, `!`, `?` (or
/// their CJK forms, or `…`) followed by whitespace, and at every line
/// break. Trimmed, with the same whitespace-blind keys as lines.
pub fn sentences(text: &str, range: Range<usize>) -> Vec<Line> {
    let mut out = Vec::new();
    let mut folded = Vec::new();
    let mut start = range.start;
    let mut iter = text[range.clone()].char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let at = range.start + i;
        let next_ws = iter.peek().is_none_or(|&(_, d)| d.is_whitespace());
        let ends = c == '\n'
            || (matches!(
                c,
                '.' | '!' | '?' | '\u{3002}' | '\u{ff01}' | '\u{ff1f}' | '\u{2026}'
            ) && next_ws);
        if ends {
            let end = at + c.len_utf8();
            if let Some(l) = fold_line(text, start, end, &mut folded) {
                out.push(l);
            }
            start = end;
        }
    }
    if let Some(l) = fold_line(text, start, range.end, &mut folded) {
        out.push(l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_sentence_ends_and_lines() {
        let t = "One two. Three? U.S. policy\nfour 3.5 five";
        let ls = sentences(t, 0..t.len());
        let texts: Vec<&str> = ls.iter().map(|l| &t[l.range.clone()]).collect();
        assert_eq!(
            texts,
            vec!["One two.", "Three?", "U.S.", "policy", "four 3.5 five"]
        );
    }

    #[test]
    fn lines_are_trimmed_and_keys_ignore_whitespace() {
        let t = "  one  two\r\n\n \u{a0}\nthree\u{3000}four \n";
        let ls = lines(t);
        let texts: Vec<&str> = ls.iter().map(|l| &t[l.range.clone()]).collect();
        assert_eq!(texts, vec!["one  two", "three\u{3000}four"]);
        let a = lines("one two");
        assert_eq!(a[0].key, ls[0].key);
        assert_ne!(lines("onetwo")[0].key, ls[0].key);
        assert!(lines("").is_empty());
        assert!(lines(" \n\t\r\n").is_empty());
    }
}
