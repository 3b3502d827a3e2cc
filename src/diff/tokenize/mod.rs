//! Splits text into word tokens on Unicode word boundaries (UAX #29), line by
//! line. Whitespace separates tokens and is never part of one.

mod ascii;
mod count;
mod known;

pub use count::count_words;

use crate::text::{is_ascii_ws, split_ws};
use ascii::{each_ascii_token, each_known_token};
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
///
/// A figure that UAX #29 cuts at its separators (`2023-06-01`, `06/01/2023`,
/// `10:30`, `1-800-555-0100`) is one token: digits joined by `-`, `/` or
/// `:` with nothing between. Figures UAX #29 keeps whole (`1,234.56`,
/// `3.5`, `v2.3.1`, `4.1.2`) stay so. A changed figure is then one change.
///
/// A web address (`https://example.com/terms#fees`) is one token too: a
/// link target is replaced whole or not at all, and never lends its
/// `https://` or `.com` to an unrelated address. Its words still count
/// one by one (`token_words`), as in the text around it.
pub fn tokenize_into(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let first = out.len();
    tokenize_plain(text, range.clone(), out);
    if memchr::memmem::find(&text.as_bytes()[range.clone()], b"://").is_some() {
        join_urls(text.as_bytes(), range, first, out);
    }
}

/// The tokens of `text[range]`, figures joined, web addresses not.
fn tokenize_plain(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut join = FigureJoin::default();
    if bytes[range.clone()].is_ascii() {
        each_ascii_token(bytes, range, |r| join.push(bytes, r, &mut |t| out.push(t)));
        join.finish(&mut |t| out.push(t));
        return;
    }
    // Text whose characters outside ASCII are all common ones (curly
    // quotes, dashes, accented letters: see `known`) takes the same rules
    // over characters of several bytes.
    if known::all_known(&bytes[..range.end], range.start) {
        each_known_token(bytes, range, |r| join.push(bytes, r, &mut |t| out.push(t)));
        join.finish(&mut |t| out.push(t));
        return;
    }
    // Other text is cut at runs of ASCII whitespace followed by an ASCII
    // byte, where UAX #29 always breaks (a combining or joining mark after
    // a space would attach to it, so there is no cut before one); each
    // piece that is ASCII or known takes the fast path, the others UAX #29.
    let mut piece = range.start;
    let mut i = range.start;
    while i < range.end {
        if !is_ascii_ws(bytes[i]) {
            i += 1;
            continue;
        }
        let ws = i;
        while i < range.end && is_ascii_ws(bytes[i]) {
            i += 1;
        }
        if i == range.end || bytes[i] < 0x80 {
            tokenize_piece(text, piece..ws, &mut join, out);
            piece = i;
        }
    }
    tokenize_piece(text, piece..range.end, &mut join, out);
    join.finish(&mut |t| out.push(t));
}

/// The tokens of `text[range]`, a piece whose ends UAX #29 breaks at.
fn tokenize_piece(
    text: &str,
    range: Range<usize>,
    join: &mut FigureJoin,
    out: &mut Vec<Range<usize>>,
) {
    let bytes = text.as_bytes();
    if bytes[range.clone()].is_ascii() {
        each_ascii_token(bytes, range, |r| join.push(bytes, r, &mut |t| out.push(t)));
        return;
    }
    if known::all_known(&bytes[..range.end], range.start) {
        each_known_token(bytes, range, |r| join.push(bytes, r, &mut |t| out.push(t)));
        return;
    }
    uax29_piece(text, range, join, out);
}

/// The tokens of `text[range]` by UAX #29 word segmentation, whitespace
/// dropped.
fn uax29_piece(
    text: &str,
    range: Range<usize>,
    join: &mut FigureJoin,
    out: &mut Vec<Range<usize>>,
) {
    let bytes = text.as_bytes();
    let base = range.start;
    for (start, seg) in text[range].split_word_bound_indices() {
        let (lead, core, _) = split_ws(seg);
        if core.is_empty() {
            continue;
        }
        let s = base + start + lead.len();
        join.push(bytes, s..s + core.len(), &mut |t| out.push(t));
    }
}

/// The web addresses in `b[range]`: `http://` or `https://` (any case)
/// after a byte that is no letter or digit, then ASCII up to whitespace,
/// a control, a quote, `<`, `>`, a bracket or a brace, or a `)` that closes
/// nothing opened inside the address (a Markdown link's end); trailing
/// punctuation (`.`, `,`, `;`, `:`, `!`, `?`, `*`, `_`, `~`) is left out.
pub(crate) fn urls(b: &[u8], range: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut from = range.start;
    std::iter::from_fn(move || {
        while let Some(k) = memchr::memmem::find(&b[from..range.end], b"://") {
            let colon = from + k;
            from = colon + 3;
            let scheme = |n: usize| {
                colon >= range.start + n
                    && b[colon - n..colon].eq_ignore_ascii_case(&b"https"[..n])
                    && (colon - n == range.start || !b[colon - n - 1].is_ascii_alphanumeric())
            };
            let start = if scheme(5) {
                colon - 5
            } else if scheme(4) {
                colon - 4
            } else {
                continue;
            };
            let mut end = colon + 3;
            let mut depth = 0usize;
            while end < range.end {
                match b[end] {
                    b'(' => depth += 1,
                    b')' if depth > 0 => depth -= 1,
                    b')' | b'<' | b'>' | b'"' | b'\'' | b'`' | b'[' | b']' | b'{' | b'}' | b'|'
                    | b'\\' | b'^' => break,
                    c if c <= b' ' || c >= 0x7f => break,
                    _ => {}
                }
                end += 1;
            }
            while end > colon + 3
                && matches!(
                    b[end - 1],
                    b'.' | b',' | b';' | b':' | b'!' | b'?' | b'*' | b'_' | b'~'
                )
            {
                end -= 1;
            }
            if end > colon + 3 {
                from = end;
                return Some(start..end);
            }
        }
        None
    })
}

/// Merges the tokens `out[first..]` that a web address in `b[range]`
/// overlaps into one token each.
fn join_urls(b: &[u8], range: Range<usize>, first: usize, out: &mut Vec<Range<usize>>) {
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len() - first);
    let mut k = first;
    // End of the last address token pushed (`0`: none yet).
    let mut last_url_end = 0;
    for url in urls(b, range) {
        // An address starting inside the token that ended the one before
        // (`http://a'http://b`, where `a'http` is one token) joins it.
        if url.start < last_url_end {
            let mut end = last_url_end.max(url.end);
            while k < out.len() && out[k].start < url.end {
                end = end.max(out[k].end);
                k += 1;
            }
            if let Some(t) = merged.last_mut() {
                t.end = end;
            }
            last_url_end = end;
            continue;
        }
        while k < out.len() && out[k].end <= url.start {
            merged.push(out[k].clone());
            k += 1;
        }
        let Some(start) = out.get(k).map(|t| t.start.min(url.start)) else {
            break;
        };
        let mut end = url.end;
        while k < out.len() && out[k].start < url.end {
            end = end.max(out[k].end);
            k += 1;
        }
        merged.push(start..end);
        last_url_end = end;
    }
    merged.extend(out.drain(k..));
    out.truncate(first);
    out.append(&mut merged);
}

/// Joins the pieces of a figure in a stream of tokens: a token ending in a
/// digit, a one-byte separator (`-`, `/`, `:`) and a token starting with a
/// digit, each touching the next, become one token (repeatedly).
#[derive(Default)]
pub(super) struct FigureJoin {
    pending: Option<Range<usize>>,
    sep: Option<Range<usize>>,
}

impl FigureJoin {
    #[inline]
    pub(super) fn push(&mut self, b: &[u8], t: Range<usize>, emit: &mut impl FnMut(Range<usize>)) {
        // A run of one marker character (`---`, `===`, `**`, `####`) is
        // one token: a setext underline, a rule or an emphasis marker
        // changes whole, not one hyphen at a time.
        let rule_char = |r: &Range<usize>| {
            r.len() == 1 && matches!(b[r.start], b'-' | b'=' | b'*' | b'#' | b'~' | b'+')
        };
        if let Some(sep) = self.sep.take() {
            if sep.end == t.start && b[t.start].is_ascii_digit() {
                if let Some(p) = &mut self.pending {
                    p.end = t.end;
                    return;
                }
            }
            if let Some(p) = self.pending.take() {
                emit(p);
            }
            if sep.end == t.start && rule_char(&t) && b[t.start] == b[sep.start] {
                self.pending = Some(sep.start..t.end);
                return;
            }
            emit(sep);
        } else if let Some(p) = &mut self.pending {
            if p.end == t.start
                && rule_char(&t)
                // `p` is one such character or a run of it (checking its
                // ends is enough: a token has no other way to start and end
                // with a marker byte).
                && b[p.start] == b[t.start]
                && b[p.end - 1] == b[t.start]
            {
                p.end = t.end;
                return;
            }
            if p.end == t.start
                && t.len() == 1
                && matches!(b[t.start], b'-' | b'/' | b':')
                && b[p.end - 1].is_ascii_digit()
            {
                self.sep = Some(t);
                return;
            }
        }
        if let Some(p) = self.pending.replace(t) {
            emit(p);
        }
    }

    #[inline]
    pub(super) fn finish(&mut self, emit: &mut impl FnMut(Range<usize>)) {
        if let Some(p) = self.pending.take() {
            emit(p);
        }
        if let Some(s) = self.sep.take() {
            emit(s);
        }
    }
}

/// Whether a token counts as a word (it holds a letter or a digit), as
/// opposed to punctuation or a symbol.
#[inline]
pub fn is_word(token: &str) -> bool {
    match token.as_bytes() {
        [c, ..] if c.is_ascii_alphanumeric() => true,
        // One byte that is neither: ASCII punctuation (the common case).
        [_] => false,
        _ => is_word_slow(token),
    }
}

/// `is_word` of a token that does not start with an ASCII letter or
/// digit and is longer than one byte.
#[inline(never)]
fn is_word_slow(token: &str) -> bool {
    let b = token.as_bytes();
    if token.is_ascii() {
        return b.iter().any(u8::is_ascii_alphanumeric);
    }
    token.chars().any(char::is_alphanumeric)
}

/// Words in one token: 0 or 1, but a web address counts its words one by
/// one (`https://example.com/terms` is 4), as `count_words` does.
#[inline]
pub fn token_words(token: &str) -> u64 {
    quick_token_words(token.as_bytes()).unwrap_or_else(|| token_words_slow(token))
}

/// `token_words` of the common tokens, from their bytes: a word starting
/// with an ASCII letter or digit that holds no `:` (so no address), or a
/// one-byte mark; `None` for the others.
#[inline(always)]
fn quick_token_words(b: &[u8]) -> Option<u64> {
    match b {
        [c, ..] if c.is_ascii_alphanumeric() && (b.len() <= 7 || !b.contains(&b':')) => Some(1),
        [_] => Some(0),
        _ => None,
    }
}

#[inline(never)]
fn token_words_slow(token: &str) -> u64 {
    // Only an ASCII address: counting one that is not would tokenise it
    // again (`count_words` of non-ASCII text goes through the tokens).
    // (Only a joined address holds `://`: punctuation is one mark a token.)
    if token.len() > 7
        && memchr::memchr(b':', token.as_bytes()).is_some()
        && token.contains("://")
        && token.is_ascii()
    {
        count::count_ascii_words(token.as_bytes())
    } else {
        u64::from(is_word(token))
    }
}

/// Number of words among the tokens `toks` of `text`.
pub fn words_among(text: &str, toks: &[Range<usize>]) -> u64 {
    let b = text.as_bytes();
    toks.iter()
        .map(|r| {
            quick_token_words(&b[r.clone()]).unwrap_or_else(|| token_words_slow(&text[r.clone()]))
        })
        .sum()
}

#[cfg(test)]
pub(super) mod tests {
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
    fn figures_are_single_tokens() {
        assert_eq!(
            toks(
                "on 2023-06-01, 06/01/2023 at 10:30 call 1-800-555-0100 or 1,234.56 v2.3.1 § 4.1.2"
            ),
            vec![
                "on",
                "2023-06-01",
                ",",
                "06/01/2023",
                "at",
                "10:30",
                "call",
                "1-800-555-0100",
                "or",
                "1,234.56",
                "v2.3.1",
                "§",
                "4.1.2"
            ]
        );
        // Not figures: a word before the dash, a space after it, a dash at
        // the end, a dash between words.
        assert_eq!(toks("COVID-19"), vec!["COVID", "-", "19"]);
        assert_eq!(toks("2023- 06"), vec!["2023", "-", "06"]);
        assert_eq!(toks("2023-"), vec!["2023", "-"]);
        assert_eq!(toks("1--2"), vec!["1", "--", "2"]);
        assert_eq!(toks("re-capture"), vec!["re", "-", "capture"]);
        // A run of one marker character is one token.
        assert_eq!(
            toks("Title\n=====\n---- a -- b ** c **d** ###"),
            vec!["Title", "=====", "----", "a", "--", "b", "**", "c", "**", "d", "**", "###"]
        );
        assert_eq!(toks("2023---x"), vec!["2023", "---", "x"]);
        assert_eq!(toks("-=-"), vec!["-", "=", "-"]);
        // The same outside ASCII, and counted as one word.
        assert_eq!(toks("é 2024-02-20 é"), vec!["é", "2024-02-20", "é"]);
        assert_eq!(count_words("2023-06-01 and 10:30"), 3);
        assert_eq!(count_words("é 2023-06-01"), 2);
    }

    #[test]
    fn a_web_address_is_one_token_that_counts_its_words() {
        let s =
            "See [our terms](https://example.com/legal/terms_(2024)#fees). Or http://x.org/a_b, ok";
        assert_eq!(
            toks(s),
            vec![
                "See",
                "[",
                "our",
                "terms",
                "]",
                "(",
                "https://example.com/legal/terms_(2024)#fees",
                ")",
                ".",
                "Or",
                "http://x.org/a_b",
                ",",
                "ok"
            ]
        );
        assert_eq!(count_words(s), words_among(s, &tokenize(s)));
        // `example.com` is one word to UAX #29.
        assert_eq!(token_words("https://example.com/legal/terms"), 4);
        // Not an address: no scheme, or a scheme glued to a word.
        assert_eq!(toks("a://b"), vec!["a", ":", "/", "/", "b"]);
        assert_eq!(toks("xhttp://b").len(), 5);
        assert_eq!(toks("é https://x.org/é"), vec!["é", "https://x.org/", "é"]);
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

    /// The ASCII fast path gives exactly what UAX #29 gives.
    /// UAX #29 alone, whitespace dropped: what the ASCII fast path must
    /// give exactly.
    pub(super) fn reference(s: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for (start, seg) in s.split_word_bound_indices() {
            let (lead, core, _) = crate::text::split_ws(seg);
            if !core.is_empty() {
                out.push(start + lead.len()..start + lead.len() + core.len());
            }
        }
        out
    }

    /// UAX #29 over the whole text, and figures joined: what
    /// `tokenize` must give however it cuts the text into pieces.
    pub(super) fn whole_reference(s: &str) -> Vec<Range<usize>> {
        let b = s.as_bytes();
        let (mut out, mut join) = (Vec::new(), FigureJoin::default());
        for r in reference(s) {
            join.push(b, r, &mut |t| out.push(t));
        }
        join.finish(&mut |t| out.push(t));
        join_urls(b, 0..s.len(), 0, &mut out);
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn mixed_text_in_pieces_matches_whole_uax29(
            s in "([a-c0-9.,:'_/-]{0,6}|[é日本\u{200d}\u{301}\u{2019}“”\u{a0}\u{3000}한국🇺🇸👍🏽]{0,3})([ \t\n\r]{0,2}([a-c0-9.,:'_/-]{0,6}|[é日本\u{200d}\u{301}\u{2019}“”\u{a0}\u{3000}한국👍🏽]{0,3})){0,12}"
        ) {
            proptest::prop_assert_eq!(tokenize(&s), whole_reference(&s));
            // Counting cuts the text at ASCII whitespace, not at lines.
            proptest::prop_assert_eq!(count_words(&s), words_among(&s, &tokenize(&s)));
        }

        #[test]
        fn addresses_count_as_their_words(
            s in "([ (\\[_.é]{0,2}(https?://|HTTP://)?[a-c0-9.,:'_/()#?=é-]{0,8}[ )\\].,]{0,2}){0,6}"
        ) {
            let toks = tokenize(&s);
            proptest::prop_assert_eq!(count_words(&s), words_among(&s, &toks));
            proptest::prop_assert!(toks.windows(2).all(|w| w[0].end <= w[1].start), "{:?}", toks);
            proptest::prop_assert!(toks.iter().all(|t| !t.is_empty() && s[t.clone()].trim() == &s[t.clone()]));
        }
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
