//! Text primitives shared by the diff engine and the renderers, each written
//! once: what whitespace is and where its runs are, how leading and trailing
//! whitespace is split off, what ends a sentence, and the small hash mixer.
//!
//! Everything here is byte-level and allocation-free where it runs in the
//! engine's hot loops.

use std::ops::Range;

// ---------------------------------------------------------------- whitespace

/// Whether an ASCII byte is whitespace, as `char::is_whitespace` answers for
/// ASCII: space, tab, line feed, vertical tab, form feed, carriage return
/// (unlike `u8::is_ascii_whitespace`, which leaves out the vertical tab).
#[inline(always)]
pub const fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The length of the whitespace character at byte `i` of `text`, if one
/// starts there. Only ASCII and the lead bytes 0xC2, 0xE1, 0xE2, 0xE3 can
/// start one (U+0085, U+00A0, U+1680, U+2000..U+205F, U+3000), so other
/// bytes are answered without decoding (a continuation byte is never
/// whitespace, so callers may step over non-whitespace one byte at a time).
#[inline]
pub fn whitespace_at(text: &str, i: usize) -> Option<usize> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return is_ascii_ws(b).then_some(1);
    }
    if !matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
        return None;
    }
    let c = text.get(i..)?.chars().next()?;
    c.is_whitespace().then(|| c.len_utf8())
}

/// Whether `s` holds only whitespace (or nothing).
#[inline]
pub fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// `s` split into its leading whitespace, its core (`s.trim()`) and its
/// trailing whitespace; the three concatenated give back `s`. A blank `s`
/// is all lead.
#[inline]
pub fn split_ws(s: &str) -> (&str, &str, &str) {
    let rest = s.trim_start();
    let lead = &s[..s.len() - rest.len()];
    let core = rest.trim_end();
    (lead, core, &rest[core.len()..])
}

/// The byte range of `s.trim()` within `s`.
#[inline]
pub fn trimmed_range(s: &str) -> Range<usize> {
    let (lead, core, _) = split_ws(s);
    lead.len()..lead.len() + core.len()
}

/// A whitespace run holding line feeds: from its first line feed to the
/// next non-whitespace character (or the end of the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub start: usize,
    pub end: usize,
    pub newlines: usize,
    /// Just after the run's last line feed.
    pub after_last_newline: usize,
}

/// The whitespace runs of `text` that hold line feeds, in order. Line feeds
/// are found with `memchr`, so the text between them costs almost nothing.
/// This is the one scanner behind paragraph blocks, move candidates and
/// the blank-line test.
pub fn gaps(text: &str) -> impl Iterator<Item = Gap> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        let start = pos + memchr::memchr(b'\n', bytes.get(pos..)?)?;
        let (mut i, mut newlines, mut after) = (start, 0, start);
        while i < bytes.len() {
            if bytes[i] == b'\n' {
                newlines += 1;
                i += 1;
                after = i;
            } else if let Some(len) = whitespace_at(text, i) {
                i += len;
            } else {
                break;
            }
        }
        pos = i;
        Some(Gap {
            start,
            end: i,
            newlines,
            after_last_newline: after,
        })
    })
}

// ------------------------------------------------------------ sentence ends

/// The ASCII sentence-final bytes `.`, `!` and `?` (for `memchr3`).
pub const ASCII_SENTENCE_ENDS: [u8; 3] = [b'.', b'!', b'?'];

/// Whether a byte is one of `ASCII_SENTENCE_ENDS`.
#[inline(always)]
pub const fn is_ascii_sentence_end(b: u8) -> bool {
    matches!(b, b'.' | b'!' | b'?')
}

/// A sentence-final character found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceEnd {
    /// Its length in bytes.
    pub len: usize,
    /// Whether it ends a sentence even without whitespace after it.
    pub always: bool,
}

/// The one sentence-end rule: the sentence-final character starting at
/// byte `i` of `text`, if any. `.`, `!`, `?` and `…` end a sentence when
/// whitespace (or the end of the text) follows them; the CJK full stops
/// `。`, `！`, `？` end one always, as no space follows them in Chinese or
/// Japanese. Other bytes are answered without decoding.
#[inline]
pub fn sentence_end_at(text: &str, i: usize) -> Option<SentenceEnd> {
    match *text.as_bytes().get(i)? {
        b if is_ascii_sentence_end(b) => Some(SentenceEnd {
            len: 1,
            always: false,
        }),
        0xE2 | 0xE3 | 0xEF => match text.get(i..)?.chars().next()? {
            '\u{3002}' | '\u{ff01}' | '\u{ff1f}' => Some(SentenceEnd {
                len: 3,
                always: true,
            }),
            '\u{2026}' => Some(SentenceEnd {
                len: 3,
                always: false,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a token is sentence-final punctuation (one character of the
/// rule of `sentence_end_at`: `.`, `!`, `?`, `…`, `。`, `！`, `？`).
#[inline]
pub fn is_sentence_end(tok: &str) -> bool {
    sentence_end_at(tok, 0).is_some_and(|e| e.len == tok.len())
}

/// The narrow, ASCII-only form of the rule, for cutting identical text
/// byte by byte: whether `k` lies just after an ASCII sentence end (`.`,
/// `!`, `?`) and one ASCII space or line feed. It ignores `…`, the CJK
/// full stops and other whitespace, so it finds fewer boundaries than
/// `sentence_end_at`, never more.
#[inline]
pub fn after_ascii_sentence_break(x: &[u8], k: usize) -> bool {
    k >= 2 && is_ascii_sentence_end(x[k - 2]) && matches!(x[k - 1], b' ' | b'\n')
}

/// Closing marks that may follow a sentence end: `."`, `.)`, `.”`.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '\u{201d}' | '\u{2019}' | '\u{bb}' | '*' | '_'
    )
}

/// The sentence end (by `sentence_end_at`) that closes `s`, perhaps
/// followed by closing quotes or brackets (`end.`, `end."`, `(see
/// below.)`, `終わり。`).
fn sentence_end_before(s: &str) -> Option<SentenceEnd> {
    let t = s.trim_end_matches(is_closer);
    let c = t.chars().next_back()?;
    sentence_end_at(t, t.len() - c.len_utf8())
}

/// Whether a passage boundary lies between `before` (the text before it,
/// without its trailing whitespace) and `gap` (the whitespace there): at
/// the start or end of the text, at a line break, or after a sentence end
/// that whitespace follows (CJK full stops need none).
fn passage_boundary(before: &str, gap: &str, at_edge: bool) -> bool {
    at_edge
        || gap.contains('\n')
        || sentence_end_before(before).is_some_and(|e| !gap.is_empty() || e.always)
}

/// Whether a passage (a paragraph, a line, a sentence) can start at byte
/// `i` of `text`: at the start of the text or of a line (only whitespace
/// before it on its line), or after a sentence end and whitespace.
pub fn is_passage_start(text: &str, i: usize) -> bool {
    let before = &text[..i];
    let core = before.trim_end();
    passage_boundary(core, &before[core.len()..], core.is_empty())
}

/// Whether a passage can end at byte `i` of `text`: at the end of the text
/// or of a line (only whitespace after it on its line), or just after a
/// sentence end (closing quotes and brackets included) that whitespace
/// follows.
pub fn is_passage_end(text: &str, i: usize) -> bool {
    let after = &text[i..];
    let rest = after.trim_start();
    passage_boundary(
        &text[..i],
        &after[..after.len() - rest.len()],
        rest.is_empty(),
    )
}

/// The largest part of `range` in `text` made of whole passages: its start
/// moved forward to the next passage start and its end back to the last
/// passage end, both trimmed of whitespace. `None` when no whole sentence
/// or line is inside it.
pub fn whole_passages(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let mut start = None;
    for (k, _) in s.char_indices() {
        let at = range.start + k;
        if !text[at..].starts_with(char::is_whitespace) && is_passage_start(text, at) {
            start = Some(at);
            break;
        }
    }
    let start = start?;
    let mut end = None;
    for (k, c) in s.char_indices().rev() {
        let at = range.start + k + c.len_utf8();
        if at <= start {
            break;
        }
        if !c.is_whitespace() && is_passage_end(text, at) {
            end = Some(at);
            break;
        }
    }
    end.map(|end| start..end)
}

// ------------------------------------------------------------- list items

/// The byte length of the list marker that opens `line` (after its
/// indentation): a bullet (`-`, `*`, `+`, `•`, `–`, `·`) or a label
/// followed by `.`, `\.` (Markdown's escaped full stop) or `)`: a number of
/// up to three digits, a letter, or a roman numeral (`1.`, `1\.`, `12)`,
/// `a)`, `(iv)`). `None` when the line opens otherwise.
pub fn list_marker_len(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start().len();
    let t = &line[indent..];
    let open = usize::from(t.starts_with('('));
    let t = &t[open..];
    if t.starts_with(['-', '*', '+', '\u{2022}', '\u{2013}', '\u{b7}']) {
        return Some(indent + open + t.chars().next().map_or(0, char::len_utf8));
    }
    let label = t
        .char_indices()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(t.len(), |(i, _)| i);
    let l = &t[..label];
    let numeral = (1..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_digit())
        || l.len() == 1 && l.bytes().all(|b| b.is_ascii_alphabetic())
        || (1..=4).contains(&l.len()) && l.bytes().all(|b| b"ivxlcIVXLC".contains(&b));
    let close = ["\\.", ".", ")"]
        .into_iter()
        .find(|c| t[label..].starts_with(c))?;
    numeral.then_some(indent + open + label + close.len())
}

/// Whether a line opens like a list item: a list marker and a space (not
/// `Mr.` or `No.`, whose labels are too long to be one).
pub fn is_list_item(line: &str) -> bool {
    list_marker_len(line).is_some_and(|n| line[n..].starts_with(' '))
}

// ------------------------------------------------------------------ hashing

/// The multiplier of the FxHash-style mixer (`mix`).
pub const MIX_K: u64 = 0x517c_c1b7_2722_0a95;

/// Up to eight bytes as a little-endian `u64`, zero-padded.
#[inline(always)]
pub fn load_u64(c: &[u8]) -> u64 {
    if let Ok(w) = <[u8; 8]>::try_from(c) {
        return u64::from_le_bytes(w);
    }
    let mut w = [0u8; 8];
    w[..c.len()].copy_from_slice(c);
    u64::from_le_bytes(w)
}

/// One step of the FxHash-style mixer: rotate, add in a word, multiply.
#[inline(always)]
pub fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(MIX_K)
}

/// A small, fast, deterministic hash of a short byte string (a word),
/// eight bytes at a time. Not keyed: use it only to find candidates that
/// are then compared, never to decide an output.
#[inline]
pub fn hash_short(bytes: &[u8]) -> u64 {
    let mut h = (bytes.len() as u64).wrapping_mul(MIX_K);
    for c in bytes.chunks(8) {
        h = mix(h, load_u64(c));
    }
    h
}

/// Deterministic pseudo-random numbers for tests.
#[cfg(test)]
pub(crate) mod testing {
    /// Knuth's MMIX linear congruential generator.
    pub(crate) struct Lcg {
        state: u64,
        increment: u64,
    }

    impl Lcg {
        const MUL: u64 = 6364136223846793005;
        const INC: u64 = 1442695040888963407;

        /// MMIX's own increment.
        pub(crate) fn new(seed: u64) -> Lcg {
            Lcg::with_increment(seed, Lcg::INC)
        }

        pub(crate) fn with_increment(seed: u64, increment: u64) -> Lcg {
            Lcg {
                state: seed,
                increment,
            }
        }

        /// Steps, and returns the new state.
        pub(crate) fn next_u64(&mut self) -> u64 {
            self.state = self
                .state
                .wrapping_mul(Lcg::MUL)
                .wrapping_add(self.increment);
            self.state
        }

        /// Steps, and returns a number below `k` (from the high bits).
        pub(crate) fn below(&mut self, k: u64) -> u64 {
            (self.next_u64() >> 33) % k
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_hold_line_feeds_and_the_whitespace_after() {
        let t = "a \n\u{a0}\n b\nc\n\n";
        let g: Vec<(usize, usize, usize, usize)> = gaps(t)
            .map(|g| (g.start, g.end, g.newlines, g.after_last_newline))
            .collect();
        assert_eq!(g, vec![(2, 7, 2, 6), (8, 9, 1, 9), (10, 12, 2, 12)]);
        assert_eq!(gaps("no line feeds").count(), 0);
    }

    /// `whitespace_at` and `is_ascii_ws` agree with `char::is_whitespace`
    /// on every character.
    #[test]
    fn whitespace_at_matches_char_is_whitespace() {
        for c in (0..=0x10_ffffu32).filter_map(char::from_u32) {
            let s = format!("{c}x");
            let want = c.is_whitespace().then(|| c.len_utf8());
            assert_eq!(whitespace_at(&s, 0), want, "{c:?}");
            if c.is_ascii() {
                assert_eq!(is_ascii_ws(c as u8), c.is_whitespace(), "{c:?}");
            }
        }
        assert_eq!(whitespace_at("a", 1), None);
    }

    #[test]
    fn split_ws_gives_lead_core_and_trail() {
        assert_eq!(split_ws(" \u{a0}a b\t\n"), (" \u{a0}", "a b", "\t\n"));
        assert_eq!(split_ws("word"), ("", "word", ""));
        assert_eq!(split_ws(" \n "), (" \n ", "", ""));
        assert_eq!(split_ws(""), ("", "", ""));
        for s in ["  x ", "\u{3000}y", "z\r\n", " "] {
            let (l, c, t) = split_ws(s);
            assert_eq!(format!("{l}{c}{t}"), s);
            assert_eq!(c, s.trim());
            assert_eq!(&s[trimmed_range(s)], s.trim());
        }
        assert!(is_blank(" \u{a0}\n") && is_blank("") && !is_blank(" a"));
    }

    #[test]
    fn the_sentence_end_rule() {
        for t in [
            ".", "!", "?", "\u{2026}", "\u{3002}", "\u{ff01}", "\u{ff1f}",
        ] {
            assert!(is_sentence_end(t), "{t:?}");
        }
        for t in ["", ",", ";", "..", ".x", "\u{2025}", "\u{ff0c}", "a", "\n"] {
            assert!(!is_sentence_end(t), "{t:?}");
        }
        let t = "a. b\u{3002}c\u{2026}";
        let ends: Vec<(usize, SentenceEnd)> = (0..t.len())
            .filter_map(|i| sentence_end_at(t, i).map(|e| (i, e)))
            .collect();
        let e = |len, always| SentenceEnd { len, always };
        assert_eq!(
            ends,
            vec![(1, e(1, false)), (4, e(3, true)), (8, e(3, false))]
        );
        // The byte-wise ASCII form.
        let x = b"One. Two!\nThree?x U.S. ok";
        let cuts: Vec<usize> = (0..=x.len())
            .filter(|&k| after_ascii_sentence_break(x, k))
            .collect();
        assert_eq!(cuts, vec![5, 10, 23]);
    }

    #[test]
    fn hashes_mix_every_byte() {
        assert_eq!(load_u64(b"ab"), 0x6261);
        assert_eq!(load_u64(b"abcdefgh"), u64::from_le_bytes(*b"abcdefgh"));
        let words = [
            "",
            "a",
            "a\0",
            "ab",
            "ba",
            "policy",
            "policz",
            "a long word",
        ];
        let hashes: std::collections::HashSet<u64> =
            words.iter().map(|w| hash_short(w.as_bytes())).collect();
        assert_eq!(hashes.len(), words.len());
        assert_eq!(hash_short(b"same"), hash_short(b"same"));
    }

    #[test]
    fn whole_passages_start_and_end_at_sentences_or_lines() {
        let t = "Intro words here. The moved sentence stays whole. Tail of it goes on";
        let r = whole_passages(t, 6..t.len() - 6).expect("one whole sentence");
        assert_eq!(&t[r], "The moved sentence stays whole.");
        let t = "First line\n- item one\n- item two";
        assert_eq!(
            &t[whole_passages(t, 3..t.len()).unwrap()],
            "- item one\n- item two"
        );
        let t = "He said (see below.) Then more.";
        assert_eq!(&t[whole_passages(t, 0..t.len()).unwrap()], t);
        assert_eq!(
            &t[whole_passages(t, 0..20).unwrap()],
            "He said (see below.)"
        );
        assert!(whole_passages("a few words in the middle of one", 2..20).is_none());
        let t = "前の文。次の文です。";
        assert_eq!(&t[whole_passages(t, 3..t.len()).unwrap()], "次の文です。");
        assert!(is_passage_start("x", 0) && is_passage_end("x", 1));
        assert!(!is_passage_start("U.S.Army", 4));
    }

    #[test]
    fn list_items_open_with_a_bullet_or_a_short_label() {
        for item in [
            "- a",
            "* a",
            "\u{2022} a",
            "1. a",
            "12) a",
            "a) a",
            "(iv) a",
            "  - a",
            "3\\. a",
        ] {
            assert!(is_list_item(item), "{item:?}");
        }
        for line in [
            "-a",
            "Net income rose.",
            "2024. A year",
            "1.5 million",
            "(a)b",
            "Mr. Smith said",
            "No. 5 applies",
            "",
        ] {
            assert!(!is_list_item(line), "{line:?}");
        }
    }
}
