//! Decoding a fetched body to text, in the WHATWG order: a byte-order mark,
//! the `Content-Type` header's charset, a `<meta>` declaration in the first
//! 1024 bytes, then a guess from the bytes (chardetng). encoding_rs decodes.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

/// How far into the body a `<meta>` declaration is looked for.
const PRESCAN: usize = 1024;

/// Where the encoding came from, for tests and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Bom,
    Header,
    Meta,
    Guess,
}

/// The encoding of `body`, and where it came from. `content_type` is the
/// response header (or `None` for a saved file); `html` enables the
/// `<meta>` prescan.
pub fn sniff(body: &[u8], content_type: Option<&str>, html: bool) -> (&'static Encoding, Origin) {
    if let Some((enc, _)) = Encoding::for_bom(body) {
        return (enc, Origin::Bom);
    }
    if let Some(enc) = content_type
        .and_then(header_charset)
        .and_then(|l| Encoding::for_label(l.as_bytes()))
    {
        return (enc, Origin::Header);
    }
    if html {
        if let Some(enc) = meta_charset(&body[..body.len().min(PRESCAN)]) {
            return (enc, Origin::Meta);
        }
    }
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    det.feed(body, true);
    (det.guess(None, Utf8Detection::Allow), Origin::Guess)
}

/// `body` decoded as text (malformed sequences become U+FFFD; a BOM is
/// removed).
pub fn decode(body: &[u8], content_type: Option<&str>, html: bool) -> String {
    let (enc, _) = sniff(body, content_type, html);
    let (text, _, _) = enc.decode(body);
    text.into_owned()
}

/// The `charset` parameter of a `Content-Type` value, unquoted, or `None`.
pub fn header_charset(value: &str) -> Option<String> {
    let (_, params) = value.split_once(';')?;
    charset_param(params)
}

/// Finds `charset=...` among `;`-separated parameters (as in a header or in
/// a meta `content` attribute).
fn charset_param(params: &str) -> Option<String> {
    for p in params.split(';') {
        let Some((name, val)) = p.split_once('=') else {
            continue;
        };
        if !name.trim().eq_ignore_ascii_case("charset") {
            continue;
        }
        let val = val.trim();
        let val = match val.strip_prefix('"') {
            Some(rest) => rest.split('"').next().unwrap_or(""),
            None => match val.strip_prefix('\'') {
                Some(rest) => rest.split('\'').next().unwrap_or(""),
                None => val.split([' ', '\t']).next().unwrap_or(""),
            },
        };
        if !val.is_empty() {
            return Some(val.to_string());
        }
    }
    None
}

/// The encoding a `<meta charset>` or `<meta http-equiv="content-type">`
/// in `head` declares (a simplified WHATWG prescan: comments are skipped,
/// attribute names are matched case-insensitively).
pub fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while i < head.len() {
        let rest = &head[i..];
        if rest.starts_with(b"<!--") {
            let end = find(&rest[4..], b"-->").map_or(head.len(), |p| i + 4 + p + 3);
            i = end;
            continue;
        }
        if rest.len() > 5
            && rest[..5].eq_ignore_ascii_case(b"<meta")
            && (rest[5].is_ascii_whitespace() || rest[5] == b'/')
        {
            let (attrs, used) = attributes(&rest[5..]);
            if let Some(enc) = meta_declares(&attrs) {
                return Some(fix_meta_encoding(enc));
            }
            i += 5 + used;
            continue;
        }
        i += 1;
    }
    None
}

/// WHATWG: a meta declaring UTF-16 means UTF-8, x-user-defined means
/// windows-1252.
fn fix_meta_encoding(enc: &'static Encoding) -> &'static Encoding {
    if enc == UTF_16BE || enc == UTF_16LE {
        UTF_8
    } else if enc == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        enc
    }
}

fn meta_declares(attrs: &[(String, String)]) -> Option<&'static Encoding> {
    let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    if let Some(cs) = get("charset") {
        return Encoding::for_label(cs.trim().as_bytes());
    }
    let equiv = get("http-equiv")?;
    if !equiv.trim().eq_ignore_ascii_case("content-type") {
        return None;
    }
    let content = get("content")?;
    let label = charset_param(content).or_else(|| {
        // `content="charset=x"` without a type before it.
        let lower = content.to_ascii_lowercase();
        let at = lower.find("charset=")?;
        charset_param(&format!(";{}", &content[at..]))
    })?;
    Encoding::for_label(label.as_bytes())
}

/// Parses attributes up to the closing `>`; returns them (names lowercased)
/// and how many bytes were consumed.
fn attributes(s: &[u8]) -> (Vec<(String, String)>, usize) {
    let mut out = Vec::new();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < s.len() && (s[*i].is_ascii_whitespace() || s[*i] == b'/') {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= s.len() || s[i] == b'>' {
            return (out, (i + 1).min(s.len()));
        }
        let start = i;
        while i < s.len() && !matches!(s[i], b'=' | b'>' | b'/') && !s[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = String::from_utf8_lossy(&s[start..i]).to_ascii_lowercase();
        while i < s.len() && s[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < s.len() && s[i] == b'=' {
            i += 1;
            while i < s.len() && s[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < s.len() && (s[i] == b'"' || s[i] == b'\'') {
                let q = s[i];
                let vs = i + 1;
                let ve = s[vs..]
                    .iter()
                    .position(|&b| b == q)
                    .map_or(s.len(), |p| vs + p);
                value = String::from_utf8_lossy(&s[vs..ve]).into_owned();
                i = (ve + 1).min(s.len());
            } else {
                let vs = i;
                while i < s.len() && s[i] != b'>' && !s[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = String::from_utf8_lossy(&s[vs..i]).into_owned();
            }
        }
        if name.is_empty() {
            i += 1;
            continue;
        }
        if !out.iter().any(|(k, _)| *k == name) {
            out.push((name, value));
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_8859_2, SHIFT_JIS};

    #[test]
    fn header_charset_is_parsed_by_hand() {
        assert_eq!(
            header_charset("text/html; charset=ISO-8859-2").as_deref(),
            Some("ISO-8859-2")
        );
        assert_eq!(
            header_charset("text/html;CharSet=\"utf-8\"; q=1").as_deref(),
            Some("utf-8")
        );
        assert_eq!(
            header_charset("text/html; foo=bar; charset='koi8-r'").as_deref(),
            Some("koi8-r")
        );
        assert_eq!(header_charset("text/html"), None);
        assert_eq!(header_charset("text/html; charset="), None);
    }

    #[test]
    fn order_is_bom_header_meta_guess() {
        let meta = b"<html><head><meta charset=\"iso-8859-2\"></head>".to_vec();
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(&meta);
        assert_eq!(
            sniff(&bom, Some("text/html; charset=shift_jis"), true),
            (UTF_8, Origin::Bom)
        );
        assert_eq!(
            sniff(&meta, Some("text/html; charset=shift_jis"), true),
            (SHIFT_JIS, Origin::Header)
        );
        assert_eq!(
            sniff(&meta, Some("text/html"), true),
            (ISO_8859_2, Origin::Meta)
        );
        // An unknown header label falls through to the meta.
        assert_eq!(
            sniff(&meta, Some("text/html; charset=bogus"), true),
            (ISO_8859_2, Origin::Meta)
        );
        assert_eq!(sniff(b"plain ascii", None, true).1, Origin::Guess);
    }

    #[test]
    fn meta_forms() {
        let e = |s: &str| meta_charset(s.as_bytes());
        assert_eq!(e("<META CHARSET=windows-1252>"), Some(WINDOWS_1252));
        assert_eq!(
            e("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"),
            Some(WINDOWS_1252)
        );
        assert_eq!(
            e("<meta content='text/html;charset=iso-8859-2' http-equiv='content-type'/>"),
            Some(ISO_8859_2)
        );
        assert_eq!(e("<!-- <meta charset=iso-8859-2> --><p>x"), None);
        assert_eq!(e("<meta name=x content='charset=iso-8859-2'>"), None);
        assert_eq!(e("<meta charset=utf-16le>"), Some(UTF_8));
        assert_eq!(e("<metadata charset=iso-8859-2>"), None);
    }

    #[test]
    fn meta_is_only_looked_for_in_the_first_1024_bytes() {
        let mut page = vec![b' '; 1100];
        page.extend_from_slice(b"<meta charset=iso-8859-2>");
        assert_ne!(sniff(&page, None, true).1, Origin::Meta);
    }

    #[test]
    fn guess_finds_windows_1252() {
        let text = "Caf\u{e9} cr\u{e8}me, na\u{ef}ve \u{201c}quotes\u{201d} \u{2014} d\u{e9}j\u{e0} vu, r\u{e9}sum\u{e9}, fa\u{e7}ade.";
        let (bytes, _, _) = WINDOWS_1252.encode(text);
        assert_eq!(decode(&bytes, None, true), text);
        assert_eq!(decode(text.as_bytes(), None, true), text);
    }
}
