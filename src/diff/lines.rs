//! Lines as alignment units: the non-blank lines of a text, each with a key
//! that ignores whitespace, computed without segmenting words (so that
//! unchanged text costs one pass over its bytes).

use crate::text::{
    is_ascii_ws, load_u64, mix, sentence_end_at, whitespace_at, ASCII_SENTENCE_ENDS, MIX_K as K,
};
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

/// A fast, deterministic hash of a byte string (FxHash-style, in four
/// independent lanes of eight bytes so that the multiplications overlap);
/// used only to find candidate equal lines, which are then compared.
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    hash_checked::<false>(bytes).0
}

/// What the eight-bytes-at-a-time check found in a trimmed line.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Check {
    /// Printable ASCII, single spaces only: its own whitespace-folded form.
    Simple,
    /// As `Simple`, but with bytes from 0x80 up, some of which may start a
    /// Unicode space.
    NonAscii,
    /// A control byte (tab, carriage return...) or two spaces in a row.
    Fold,
}

/// `hash_bytes(bytes)`, computed in the same pass as the check when `CHECK`
/// is set (otherwise the check says `Simple`).
#[inline]
fn hash_checked<const CHECK: bool>(bytes: &[u8]) -> (u64, Check) {
    let mut lanes = [bytes.len() as u64, K, K.rotate_left(17), K.rotate_left(41)];
    let mut bad = 0u64;
    let mut high = 0u64;
    let mut prev_space = 0u64;
    let mut blocks = bytes.chunks_exact(32);
    for b in &mut blocks {
        for (k, lane) in lanes.iter_mut().enumerate() {
            let w = load_u64(&b[8 * k..8 * k + 8]);
            if CHECK {
                let (b2, p) = simple_flags(w, prev_space);
                bad |= b2;
                high |= w;
                prev_space = p;
            }
            *lane = mix(*lane, w);
        }
    }
    let rest = blocks.remainder();
    for (k, c) in rest.chunks(8).enumerate() {
        let w = load_u64(c);
        if CHECK {
            // Pad a short tail with letters, which pass the check.
            let w = w | (!0u64).checked_shl(8 * c.len() as u32).unwrap_or(0) & (LO * b'a' as u64);
            let (b2, p) = simple_flags(w, prev_space);
            bad |= b2;
            high |= w;
            prev_space = p;
        }
        lanes[k] = mix(lanes[k], w);
    }
    let [a, b, c, d] = lanes;
    let key = mix(mix(mix(a, b), c), d);
    let check = if bad != 0 {
        Check::Fold
    } else if high & HI != 0 {
        Check::NonAscii
    } else {
        Check::Simple
    };
    (key, check)
}

/// Whether a line whose ASCII passed the check holds a Unicode space
/// (U+0085, U+00A0, U+1680, U+2000..U+205F, U+3000): only the lead bytes
/// 0xC2, 0xE1, 0xE2 and 0xE3 can start one, and they are found with memchr.
fn has_unicode_space(text: &str, range: Range<usize>) -> bool {
    let body = &text.as_bytes()[range.clone()];
    let is_space = |p: usize| whitespace_at(text, range.start + p).is_some();
    memchr::memchr3_iter(0xC2, 0xE2, 0xE3, body).any(is_space)
        || memchr::memchr_iter(0xE1, body).any(is_space)
}

/// The line `text[start..end]`, whose content trimmed of ASCII spaces is
/// `text[first..last]` (not empty), with its key.
#[inline]
fn keyed_line(
    text: &str,
    (start, end): (usize, usize),
    (first, last): (usize, usize),
    folded: &mut Vec<u8>,
) -> Option<Line> {
    let (key, check) = hash_checked::<true>(&text.as_bytes()[first..last]);
    let simple = match check {
        Check::Simple => true,
        Check::NonAscii => !has_unicode_space(text, first..last),
        Check::Fold => false,
    };
    if simple {
        Some(Line {
            range: first..last,
            key,
        })
    } else {
        fold_line(text, start, end, folded)
    }
}

/// For one eight-byte word of a line: nonzero if it holds a byte below 0x20
/// or two spaces in a row (also across the previous word,
/// whose last byte was a space when `prev_space` is 1); and whether this
/// word's last byte is a space.
#[inline]
fn simple_flags(w: u64, prev_space: u64) -> (u64, u64) {
    // Some byte < 0x20 (exact as a yes/no: a borrow only comes from such
    // a byte). Bytes from 0x80 up are not flagged here.
    let special = w.wrapping_sub(LO * 0x20) & !w & HI;
    // Exact flags on the bytes that are spaces.
    let s = w ^ (LO * 0x20);
    let spaces = !(((s & !HI).wrapping_add(!HI)) | s) & HI;
    let double = spaces & (spaces << 8) | (prev_space & (spaces >> 7) & 1);
    (special | double, spaces >> 63)
}

/// The non-blank lines of `text`.
pub fn lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 64 + 1);
    let mut folded: Vec<u8> = Vec::new();
    let mut i = 0;
    let n = bytes.len();
    while i < n {
        let end = memchr::memchr(b'\n', &bytes[i..]).map_or(n, |p| i + p);
        let line = &bytes[i..end];
        // Fast path: printable ASCII with single spaces only is its own
        // folded form once trimmed; checked while hashing.
        let first = line.iter().position(|&b| b != b' ').unwrap_or(line.len());
        let last = line
            .iter()
            .rposition(|&b| b != b' ')
            .map_or(first, |p| p + 1);
        // Spaces only: blank.
        if first != last {
            out.extend(keyed_line(
                text,
                (i, end),
                (i + first, i + last),
                &mut folded,
            ));
        }
        i = end + 1;
    }
    out
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether a line is printable ASCII with no whitespace but single spaces
/// (its own whitespace-folded form).
#[cfg(test)]
fn is_simple(line: &[u8]) -> bool {
    hash_checked::<true>(line).1 == Check::Simple
}

/// A line with other whitespace: fold every whitespace run to one space.
fn fold_line(text: &str, start: usize, end: usize, folded: &mut Vec<u8>) -> Option<Line> {
    let bytes = text.as_bytes();
    // The length of the whitespace character at `i` (0 if none). Printable
    // ASCII other than the space is answered without a call.
    let ws_len = |i: usize| -> usize {
        let b = bytes[i];
        if b.wrapping_sub(0x21) < 0x5f {
            0
        } else {
            whitespace_at(text, i).unwrap_or(0)
        }
    };
    folded.clear();
    // Until a whitespace run other than one ASCII space is met, the folded
    // form is `text[first..last_end]` itself and nothing is copied.
    let mut copied = false;
    let mut first = usize::MAX;
    let mut last_end = 0;
    let mut i = start;
    while i < end {
        let run = i;
        while i < end {
            match ws_len(i) {
                0 => break,
                len => i += len,
            }
        }
        if i >= end {
            break;
        }
        let word_start = i;
        while i < end && ws_len(i) == 0 {
            i += 1;
        }
        if first == usize::MAX {
            first = word_start;
        } else if copied {
            folded.push(b' ');
            folded.extend_from_slice(&bytes[word_start..i]);
        } else if word_start - run != 1 || bytes[run] != b' ' {
            copied = true;
            folded.extend_from_slice(&bytes[first..last_end]);
            folded.push(b' ');
            folded.extend_from_slice(&bytes[word_start..i]);
        }
        last_end = i;
    }
    (first != usize::MAX).then(|| Line {
        range: first..last_end,
        key: if copied {
            hash_bytes(folded)
        } else {
            hash_bytes(&bytes[first..last_end])
        },
    })
}

/// The sentences of `text[range]`: a unit ends at every line break and
/// where `text::sentence_end_at` says: after `.`, `!`, `?` or `…` followed
/// by whitespace, and after the CJK full stops `。`, `！`, `？` (which no
/// space follows in Chinese or Japanese).
/// Trimmed, with the same whitespace-blind keys as lines.
pub fn sentences(text: &str, range: Range<usize>) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut folded = Vec::new();
    let mut push = |start: usize, end: usize, out: &mut Vec<Line>| {
        let piece = &bytes[start..end];
        let first = piece
            .iter()
            .position(|&b| !is_ascii_ws(b))
            .unwrap_or(piece.len());
        let last = piece
            .iter()
            .rposition(|&b| !is_ascii_ws(b))
            .map_or(first, |p| p + 1);
        if first == last {
            return;
        }
        out.extend(keyed_line(
            text,
            (start, end),
            (start + first, start + last),
            &mut folded,
        ));
    };
    let mut start = range.start;
    if bytes[range.clone()].is_ascii() {
        // Candidates found with memchr: line feeds, and `.`, `!`, `?`.
        let region = &bytes[range.clone()];
        let mut next_nl = memchr::memchr(b'\n', region);
        let mut from = 0;
        while from < region.len() {
            let [a, b, c] = ASCII_SENTENCE_ENDS;
            let punct = memchr::memchr3(a, b, c, &region[from..]).map(|p| p + from);
            if next_nl.is_some_and(|p| p < from) {
                next_nl = memchr::memchr(b'\n', &region[from..]).map(|p| p + from);
            }
            let (at, always) = match (punct, next_nl) {
                (Some(p), Some(l)) if l < p => (l, true),
                (Some(p), _) => (p, false),
                (None, Some(l)) => (l, true),
                (None, None) => break,
            };
            let end = range.start + at + 1;
            if always || end >= range.end || is_ascii_ws(bytes[end]) {
                push(start, end, &mut out);
                start = end;
            }
            from = at + 1;
        }
        push(start, range.end, &mut out);
        return out;
    }
    // The bytes that can open a sentence end (`sentence_end_at`) or are a
    // line feed: all others are skipped without a look.
    const OPENS: [bool; 256] = {
        let mut t = [false; 256];
        let mut k = 0;
        while k < ASCII_SENTENCE_ENDS.len() {
            t[ASCII_SENTENCE_ENDS[k] as usize] = true;
            k += 1;
        }
        t[b'\n' as usize] = true;
        t[0xE2] = true;
        t[0xE3] = true;
        t[0xEF] = true;
        t
    };
    let mut i = range.start;
    while i < range.end {
        if !OPENS[bytes[i] as usize] {
            i += 1;
            continue;
        }
        // The length of a sentence-ending character at i (0 if none), and
        // whether it ends a unit even without whitespace after it.
        let (len, always) = match bytes[i] {
            b'\n' => (1, true),
            _ => sentence_end_at(text, i).map_or((0, false), |e| (e.len, e.always)),
        };
        if len == 0 {
            i += 1;
            continue;
        }
        let end = i + len;
        if always || end >= range.end || whitespace_at(text, end).is_some() {
            push(start, end, &mut out);
            start = end;
        }
        i = end;
    }
    push(start, range.end, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_have_the_keys_of_their_folded_text() {
        let t = "Un  deux.\u{a0}Trois\u{3002}四 五？ six\u{2026} sept";
        let ls = sentences(t, 0..t.len());
        let texts: Vec<&str> = ls.iter().map(|l| &t[l.range.clone()]).collect();
        assert_eq!(
            texts,
            vec![
                "Un  deux.",
                "Trois\u{3002}",
                "四 五？",
                "six\u{2026}",
                "sept"
            ]
        );
        assert_eq!(ls[0].key, lines("Un deux.")[0].key);
        // Only a following whitespace makes `.` end a sentence.
        assert_eq!(sentences("3.5 x. y", 0..8).len(), 2);
        // The ASCII path and the general one agree.
        let ascii = "One. Two!Three? four\nfive.\n\nsix ?seven. ";
        let accented = ascii.replace("four", "f\u{f6}ur");
        let a: Vec<_> = sentences(ascii, 0..ascii.len())
            .into_iter()
            .map(|l| l.range)
            .collect();
        let b: Vec<_> = sentences(&accented, 0..accented.len())
            .into_iter()
            .map(|l| l.range)
            .collect();
        let shift = |r: &std::ops::Range<usize>| {
            if r.start > 20 {
                r.start + 1..r.end + 1
            } else if r.end > 16 {
                r.start..r.end + 1
            } else {
                r.clone()
            }
        };
        assert_eq!(a.iter().map(shift).collect::<Vec<_>>(), b);
    }

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
    fn cjk_full_stops_end_sentences_without_a_space() {
        let t = "東京は晴れ。大阪は雨！明日は？「はい。」続く…まだ";
        let ls = sentences(t, 0..t.len());
        let texts: Vec<&str> = ls.iter().map(|l| &t[l.range.clone()]).collect();
        assert_eq!(
            texts,
            vec![
                "東京は晴れ。",
                "大阪は雨！",
                "明日は？",
                "「はい。",
                "」続く…まだ"
            ]
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

    /// `is_simple` (eight bytes at a time) against its definition, and the
    /// keys of simple and folded lines against each other.
    #[test]
    fn simple_lines_match_the_bytewise_rule() {
        let alphabet: [&str; 11] = [
            " ", "a", "Z", "\t", "\u{7f}", "é", "\u{a0}", "’", "\u{3000}", "\u{1680}", "\u{2009}",
        ];
        let mut seeds = crate::text::testing::Lcg::new(7);
        for _ in 0..20_000 {
            let seed = seeds.next_u64();
            let len = (seed >> 59) as usize + (seed >> 33) as usize % 13;
            let mut s = String::new();
            let mut x = crate::text::testing::Lcg::with_increment(seed, 1);
            for _ in 0..len {
                // Mostly letters and spaces, so that long simple lines occur.
                let k = (x.next_u64() >> 60) as usize;
                s.push_str(alphabet[if k < 8 { k % 3 } else { k - 5 }]);
            }
            let b = s.as_bytes();
            let naive = b.iter().all(|&c| c == b' ' || (c > b' ' && c < 0x80)) && !s.contains("  ");
            assert_eq!(is_simple(b), naive, "{s:?}");
            let mut folded = Vec::new();
            let slow = fold_line(&s, 0, s.len(), &mut folded).map(|l| (l.range, l.key));
            let fast = lines(&s).first().map(|l| (l.range.clone(), l.key));
            assert_eq!(slow, fast, "{s:?}");
            // The key is that of the words joined by single spaces.
            let words: Vec<&str> = s.split_whitespace().collect();
            let want = (!words.is_empty()).then(|| hash_bytes(words.join(" ").as_bytes()));
            assert_eq!(slow.map(|(_, k)| k), want, "{s:?}");
        }
    }
}
