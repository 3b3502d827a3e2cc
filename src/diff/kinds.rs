//! Folding for comparison, and the kind of each change.
//!
//! Tokens are aligned by a folded key (case, typography and Unicode
//! compatibility folded), so a word whose quotes or capitals changed still
//! lines up with itself; it is then reported as its own small change of kind
//! `case` or `typography`, which `--ignore-case`, `--normalize` or `--hide`
//! can leave out. Storage is never normalised.

use crate::text::{is_ascii_ws, is_blank};
use serde::Serialize;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// What kind of change a change unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Anything else: words added, removed or replaced.
    Words,
    /// Only digits changed (dates, amounts, percentages).
    Number,
    /// Only punctuation changed.
    Punctuation,
    /// Only letter case changed.
    Case,
    /// Only typography: quotes, dashes, special spaces, ligatures, Unicode
    /// compatibility forms (NFKC).
    Typography,
    /// Only zero-width, bidirectional or control characters changed.
    Invisible,
    /// Only whitespace (spacing, line breaks, paragraph breaks).
    Whitespace,
    /// One side of a moved passage (its word edits are reported with it).
    Moved,
    /// Only Markdown syntax: emphasis (`**`, `_`), heading marks (`#`), an
    /// underline or rule (`-----`, `=====`), code ticks, quote and table
    /// marks, or a list marker changed (`*` -> `1.`, `3.` -> `4.`).
    Markup,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Words,
        Kind::Number,
        Kind::Punctuation,
        Kind::Case,
        Kind::Typography,
        Kind::Invisible,
        Kind::Whitespace,
        Kind::Moved,
        Kind::Markup,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Words => "words",
            Kind::Number => "number",
            Kind::Punctuation => "punctuation",
            Kind::Case => "case",
            Kind::Typography => "typography",
            Kind::Invisible => "invisible",
            Kind::Whitespace => "whitespace",
            Kind::Moved => "moved",
            Kind::Markup => "markup",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// Typography folded to plain forms: NFKC (ligatures, full-width forms,
/// ellipsis), then curly quotes, primes, dashes and minus signs.
pub fn fold_typography(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.nfkc().map(fold_typography_char).collect())
}

/// One character of NFKC output, typography folded: curly quotes and
/// primes to `'` and `"`, dashes and minus to `-`, spaces to ` `.
fn fold_typography_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{02bc}'
        | '\u{ff07}' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}'
        | '\u{00bb}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{fe58}' => '-',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

/// The key tokens are aligned by: typography folded, then lowercased.
pub fn fold_key(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        };
    }
    let t = fold_typography(s);
    if t.chars().any(char::is_uppercase) {
        Cow::Owned(t.to_lowercase())
    } else {
        t
    }
}

/// `fold_key(t)` without a new string: `t` itself when nothing folds,
/// otherwise the key written into `buf` (reused from token to token).
pub fn fold_key_in<'b>(t: &'b str, buf: &'b mut String) -> &'b str {
    if t.is_ascii() {
        if !t.bytes().any(|b| b.is_ascii_uppercase()) {
            return t;
        }
        buf.clear();
        buf.push_str(t);
        buf.make_ascii_lowercase();
        return buf;
    }
    match fold_key(t) {
        Cow::Borrowed(k) => k,
        Cow::Owned(k) => {
            *buf = k;
            buf
        }
    }
}

/// Whether `c` is invisible or a control character: zero-width and
/// bidirectional format characters, C0 (but tab and line feed), DEL, C1.
/// Such characters are never shown raw.
pub fn is_invisible(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n' && c != '\t')
        || (0x7f..=0x9f).contains(&u)
        || matches!(
            u,
            0x00ad          // soft hyphen
            | 0x034f        // combining grapheme joiner
            | 0x061c        // Arabic letter mark
            | 0x115f | 0x1160 // Hangul fillers
            | 0x180e        // Mongolian vowel separator
            | 0x200b..=0x200f // zero-width space/joiners, LRM, RLM
            | 0x2028 | 0x2029 // line and paragraph separators
            | 0x202a..=0x202e // bidi embeddings and overrides
            | 0x2060..=0x2064 // word joiner, invisible operators
            | 0x2066..=0x2069 // bidi isolates
            | 0x206a..=0x206f // deprecated format characters
            | 0x3164        // Hangul filler
            | 0xfeff        // byte-order mark, zero-width no-break space
            | 0xffa0        // halfwidth Hangul filler
            | 0xfff9..=0xfffb // interlinear annotation
            | 0xe0000..=0xe007f // tag characters
        )
}

/// Classifies a change from `old` to `new` (the removed and the inserted
/// text of one change unit).
pub fn classify(old: &str, new: &str) -> Kind {
    if is_blank(old) && is_blank(new) {
        return Kind::Whitespace;
    }
    let kind = if old.is_ascii() && new.is_ascii() {
        classify_ascii(old.as_bytes(), new.as_bytes())
    } else {
        classify_general(old, new)
    };
    if matches!(kind, Kind::Punctuation | Kind::Number | Kind::Words) && markup_only(old, new) {
        return Kind::Markup;
    }
    kind
}

/// Whether a change touches only Markdown syntax: each side is empty or
/// made of syntax marks (`**`, `_`, `#`, `` ` ``, `~`, `>`, `|`, `\`, or a
/// run of two or more `-`, `=` or `+`), or both sides are one list marker
/// each (`text::list_marker_len`: `*`, `-`, `1.`, `1\.`, `a)`). A lone hyphen is punctuation, not
/// markup, unless it is a list marker replaced by another.
fn markup_only(old: &str, new: &str) -> bool {
    fn marks(side: &str) -> bool {
        side.split_whitespace().all(|piece| {
            piece
                .chars()
                .all(|c| matches!(c, '*' | '_' | '#' | '`' | '~' | '>' | '|' | '\\'))
                || (piece.len() >= 2
                    && matches!(piece.as_bytes()[0], b'-' | b'=' | b'+')
                    && piece.bytes().all(|b| b == piece.as_bytes()[0]))
        })
    }
    // A side that is one list marker and nothing else.
    let list_marker = |side: &str| {
        let t = side.trim();
        crate::text::list_marker_len(t) == Some(t.len())
    };
    (marks(old) && marks(new)) || (list_marker(old) && list_marker(new))
}

fn classify_general(old: &str, new: &str) -> Kind {
    // Each test compares two streams of characters and stops at the first
    // difference: a rewritten passage (most large changes) is told from a
    // retyped one after a few characters, not after folding it all.
    fn visible(s: &str) -> impl Iterator<Item = char> + Clone + '_ {
        s.chars()
            .filter(|&c| !c.is_whitespace() && !is_invisible(c))
    }
    if visible(old).eq(visible(new)) {
        return Kind::Invisible;
    }
    // Invisible characters are shown wherever they are; the rest of the
    // change decides its kind.
    fn folded(s: &str) -> impl Iterator<Item = char> + Clone + '_ {
        visible(s).nfkc().map(fold_typography_char)
    }
    fn lower(i: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
        i.flat_map(char::to_lowercase)
    }
    let same_typography = folded(old).eq(folded(new));
    if !same_typography && lower(visible(old)).eq(lower(visible(new))) {
        return Kind::Case;
    }
    if same_typography {
        return Kind::Typography;
    }
    if lower(folded(old)).eq(lower(folded(new))) {
        return Kind::Case;
    }
    if visible(old)
        .filter(|c| c.is_alphanumeric())
        .eq(visible(new).filter(|c| c.is_alphanumeric()))
    {
        return Kind::Punctuation;
    }
    // Digits changed and the letters the same.
    let letters = |s| visible(s).filter(|c: &char| c.is_alphabetic());
    let digits = |s| visible(s).any(|c: char| c.is_numeric());
    if (digits(old) || digits(new)) && letters(old).eq(letters(new)) {
        return Kind::Number;
    }
    Kind::Words
}

/// `classify` for ASCII text, without allocating: ASCII has no typography
/// to fold, and its only invisible characters are controls.
fn classify_ascii(old: &[u8], new: &[u8]) -> Kind {
    fn visible(s: &[u8]) -> impl Iterator<Item = u8> + '_ {
        s.iter()
            .copied()
            .filter(|&b| !is_ascii_ws(b) && !b.is_ascii_control())
    }
    if visible(old).eq(visible(new)) {
        return Kind::Invisible;
    }
    if visible(old)
        .map(|b| b.to_ascii_lowercase())
        .eq(visible(new).map(|b| b.to_ascii_lowercase()))
    {
        return Kind::Case;
    }
    fn alnum(s: &[u8]) -> impl Iterator<Item = u8> + '_ {
        s.iter().copied().filter(u8::is_ascii_alphanumeric)
    }
    if alnum(old).eq(alnum(new)) {
        return Kind::Punctuation;
    }
    // Digits changed and the letters the same (`45` -> `38`, `2bn` ->
    // `3.5bn`, `Q3` -> `Q4`).
    fn letters(s: &[u8]) -> impl Iterator<Item = u8> + '_ {
        s.iter().copied().filter(u8::is_ascii_alphabetic)
    }
    let digits = |s: &[u8]| s.iter().any(u8::is_ascii_digit);
    if (digits(old) || digits(new)) && letters(old).eq(letters(new)) {
        return Kind::Number;
    }
    Kind::Words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_into_a_buffer_gives_the_same_key() {
        let mut buf = String::new();
        for t in [
            "data",
            "Data",
            "U.S",
            "don\u{2019}t",
            "\u{201c}",
            "\u{c9}t\u{c9}",
            "\u{fb01}le",
            "\u{65e5}",
            "ABC123",
        ] {
            let key = fold_key_in(t, &mut buf).to_owned();
            assert_eq!(key, fold_key(t), "{t:?}");
        }
        // Unchanged tokens are returned as they are, not copied.
        let t = String::from("data");
        assert!(std::ptr::eq(fold_key_in(&t, &mut buf), t.as_str()));
    }

    #[test]
    fn kinds() {
        assert_eq!(classify(" ", "\n\n"), Kind::Whitespace);
        assert_eq!(classify("pub\u{200b}lished", "published"), Kind::Invisible);
        assert_eq!(classify("", "\u{202e}"), Kind::Invisible);
        assert_eq!(classify("The", "the"), Kind::Case);
        assert_eq!(classify("don't", "don\u{2019}t"), Kind::Typography);
        assert_eq!(classify("-", "\u{2014}"), Kind::Typography);
        assert_eq!(classify("\u{fb01}nal", "final"), Kind::Typography);
        assert_eq!(classify("e\u{301}", "\u{e9}"), Kind::Typography);
        assert_eq!(classify(",", ";"), Kind::Punctuation);
        assert_eq!(classify("", "."), Kind::Punctuation);
        assert_eq!(classify("12", "13"), Kind::Number);
        assert_eq!(classify("3.5%", "4%"), Kind::Number);
        // Digits changed and the letters the same.
        assert_eq!(classify("2bn", "3.5bn"), Kind::Number);
        assert_eq!(classify("Q3", "Q4"), Kind::Number);
        assert_eq!(classify("\u{a3}2bn", "\u{a3}3.5bn"), Kind::Number);
        assert_eq!(classify("five", "5"), Kind::Words);
        assert_eq!(classify("2nd", "3rd"), Kind::Words);
        assert_eq!(classify("strongly", ""), Kind::Words);
        assert_eq!(classify("December", "January"), Kind::Words);
    }

    /// The ASCII fast path agrees with the general path.
    #[test]
    fn ascii_fast_path_agrees() {
        let samples = [
            "", " ", "The", "the", "12", "13", ",", ";", "a,b", "a b", "\u{7}x", "x", "3.5%", "4%",
            "Word", "word.", "(a)", "a", "2bn", "3.5bn", "Q3", "Q4",
        ];
        for a in samples {
            for b in samples {
                let general = {
                    // Force the general path by comparing through a non-ASCII-free route.
                    if is_blank(a) && is_blank(b) {
                        Kind::Whitespace
                    } else {
                        classify_general(a, b)
                    }
                };
                assert_eq!(classify(a, b), general, "{a:?} -> {b:?}");
            }
        }
    }

    #[test]
    fn keys_fold_case_and_typography() {
        assert_eq!(fold_key("Don\u{2019}t"), "don't");
        assert_eq!(fold_key("\u{201c}A\u{201d}"), "\"a\"");
        assert_eq!(fold_key("plain"), "plain");
    }

    #[test]
    fn markdown_syntax_changes_are_markup() {
        for (a, b) in [
            ("**", ""),
            ("", "###"),
            ("-----", "======"),
            ("*", "1."),
            ("3.", "4."),
            ("2\\.", "3\\."),
            ("** _", ""),
        ] {
            assert_eq!(classify(a, b), Kind::Markup, "{a:?} -> {b:?}");
        }
        for (a, b, k) in [
            ("-", "", Kind::Punctuation),
            ("4.1", "----", Kind::Number),
            (".**", "", Kind::Punctuation),
            ("45", "38", Kind::Number),
            ("word", "**word**", Kind::Punctuation),
        ] {
            assert_eq!(classify(a, b), k, "{a:?} -> {b:?}");
        }
    }
}
