//! Capture: a URL or a saved page turned into readable text, with the raw
//! bytes kept as evidence. The only module that uses the HTTP client and the
//! HTML parser.
//!
//! - `fetch`: ureq with fixed headers, time limits, redirects and the cap.
//! - `guard`: the address guard (in the resolver, for every hop).
//! - `charset`: bytes to text in the WHATWG order.
//! - `extract`: `--remove`, then `--select` or Readability (dom_smoothie).
//! - `walk`: redliner's own HTML-to-text walker.
//! - `pdf`: PDF to text through `pdftotext`.
//!
//! Everything fails closed: a capture that is not clearly the page's text
//! is an error, and nothing is recorded.

mod charset;
mod extract;
mod fetch;
pub mod guard;
mod pdf;
mod walk;

pub use charset::{decode, header_charset, sniff};
pub use extract::Selectors;
pub use fetch::{valid_lang, FetchOptions};

use crate::input::MAX_BYTES;
use crate::model::Validators;
use std::time::Duration;

/// Default `--timeout`: the whole fetch, body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Fewer words than this is an empty page.
pub const MIN_WORDS: u64 = 10;
/// A text this short that reads like a bot challenge is one.
const CHALLENGE_MAX_WORDS: u64 = 200;
/// Phrases of bot-challenge and JavaScript-required pages (lowercase).
const CHALLENGE_PHRASES: &[&str] = &[
    "enable javascript",
    "javascript is disabled",
    "javascript is required",
    "checking your browser",
    "verify you are human",
    "verifying you are human",
    "are you a robot",
    "captcha",
    "just a moment",
    "access denied",
    "unusual traffic",
];

/// What a capture can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    Text,
}

impl Format {
    /// The extension of the kept raw file (`<doc>.raw.<ext>`).
    pub fn raw_ext(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Text => "txt",
        }
    }

    fn mime(self) -> &'static str {
        match self {
            Format::Html => "text/html",
            Format::Pdf => "application/pdf",
            Format::Text => "text/plain",
        }
    }

    /// The format of a kept raw capture, from its extension.
    pub fn of_raw_ext(ext: &str) -> Option<Format> {
        [Format::Html, Format::Pdf, Format::Text]
            .into_iter()
            .find(|f| f.raw_ext() == ext)
    }

    /// The format a saved file's name implies (`.html`, `.htm`, `.xhtml`,
    /// `.pdf`), if any.
    pub fn of_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// The format of a response's `Content-Type` (sniffing the body when
    /// the header is missing), or `None` when redliner cannot read it.
    fn of_response(content_type: Option<&str>, body: &[u8]) -> Option<Format> {
        let Some(ct) = content_type else {
            return Some(if body.starts_with(b"%PDF-") {
                Format::Pdf
            } else {
                Format::Html
            });
        };
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match mime.as_str() {
            "text/html" | "application/xhtml+xml" => Some(Format::Html),
            "application/pdf" | "application/x-pdf" => Some(Format::Pdf),
            "text/plain" => Some(Format::Text),
            _ => None,
        }
    }
}

/// Whether a `record` argument is a URL to fetch.
pub fn is_url(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The host of a URL, lowercased, without user or port: requests to one
/// host are made one at a time.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let auth = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = auth.rsplit_once('@').map_or(auth, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(host)
    } else {
        host.split(':').next().unwrap_or(host)
    };
    host.to_ascii_lowercase()
}

/// How to capture.
#[derive(Debug)]
pub struct Options {
    pub selectors: Selectors,
    pub fetch: FetchOptions,
}

impl Options {
    /// Checks the selectors and the language before anything is fetched.
    pub fn new(
        select: &[String],
        remove: &[String],
        lang: &str,
        allow_private: bool,
        timeout: Duration,
    ) -> Result<Options, CaptureError> {
        if !valid_lang(lang) {
            return Err(CaptureError::BadLang(lang.to_string()));
        }
        Ok(Options {
            selectors: Selectors::parse(select, remove)?,
            fetch: FetchOptions {
                lang: lang.to_string(),
                allow_private,
                timeout,
                max_bytes: MAX_BYTES,
            },
        })
    }
}

/// A capture: the text to record and the raw bytes to keep beside it.
#[derive(Debug, Clone)]
pub struct Capture {
    pub text: String,
    pub raw: Vec<u8>,
    pub format: Format,
    /// The address after redirects (URL captures only).
    pub final_url: Option<String>,
    /// The response's `Content-Type`, or the type a saved file was read as.
    pub content_type: String,
    /// The extractor's name and version.
    pub extractor: String,
    /// The response's `ETag` and `Last-Modified` (URL captures only).
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The date the page says it was published (its metadata), if it
    /// states one that reads as a time.
    pub published: Option<crate::model::CaptureTime>,
}

/// Fetches `url` and extracts its text.
pub fn capture_url(url: &str, opts: &Options) -> Result<Capture, CaptureError> {
    capture_url_if(url, opts, None)?.ok_or_else(|| CaptureError::Status {
        url: url.to_string(),
        status: 304,
        reason: "Not Modified".into(),
    })
}

/// [`capture_url`] as a conditional request when `known` holds validators:
/// `None` when the server says the page is not modified.
pub fn capture_url_if(
    url: &str,
    opts: &Options,
    known: Option<&Validators>,
) -> Result<Option<Capture>, CaptureError> {
    let Some(fetched) = fetch::fetch(url, &opts.fetch, known)? else {
        return Ok(None);
    };
    let ct = fetched.content_type.as_deref();
    let format =
        Format::of_response(ct, &fetched.body).ok_or_else(|| CaptureError::UnsupportedType {
            origin: url.to_string(),
            content_type: ct.unwrap_or("").to_string(),
        })?;
    let content_type = ct.map_or_else(|| format.mime().to_string(), str::to_string);
    let mut c = extract(fetched.body, format, Some(&content_type), url, opts)?;
    c.final_url = Some(fetched.final_url);
    c.etag = fetched.etag;
    c.last_modified = fetched.last_modified;
    Ok(Some(c))
}

/// Extracts the text of a saved page (`name` is how it is shown), with the
/// `Content-Type` it was served with when known (its charset counts).
pub fn capture_bytes(
    name: &str,
    bytes: Vec<u8>,
    format: Format,
    content_type: Option<&str>,
    opts: &Options,
) -> Result<Capture, CaptureError> {
    if bytes.len() as u64 > opts.fetch.max_bytes {
        return Err(CaptureError::TooLarge {
            origin: name.to_string(),
            limit_mib: opts.fetch.max_bytes / (1024 * 1024),
        });
    }
    extract(bytes, format, content_type, name, opts)
}

fn extract(
    raw: Vec<u8>,
    format: Format,
    content_type: Option<&str>,
    source: &str,
    opts: &Options,
) -> Result<Capture, CaptureError> {
    let mut published = None;
    let (text, extractor) = match format {
        Format::Html => {
            let html = decode(&raw, content_type, true);
            published = extract::published_date(&html).and_then(|d| parse_published(&d));
            extract::html_text(&html, source, &opts.selectors)?
        }
        Format::Pdf => pdf::pdf_text(&raw, source, opts.fetch.timeout, opts.fetch.max_bytes)?,
        Format::Text => (
            walk::normalize(&decode(&raw, content_type, false)),
            format!("text, walker {}", walk::WALKER_VERSION),
        ),
    };
    check_readable(&text, source)?;
    Ok(Capture {
        text,
        raw,
        format,
        final_url: None,
        content_type: content_type.unwrap_or(format.mime()).to_string(),
        extractor,
        etag: None,
        last_modified: None,
        published,
    })
}

/// A page's published date as a time: RFC 3339, or a date alone
/// (`2023-11-12`, taken as midnight UTC). Anything else is ignored: a
/// malformed date in a page's metadata never fails a capture.
fn parse_published(d: &str) -> Option<crate::model::CaptureTime> {
    use crate::model::CaptureTime;
    CaptureTime::parse_rfc3339(d).ok().or_else(|| {
        let day = d.get(..10)?;
        let b = day.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10))
            .then(|| CaptureTime::parse_rfc3339(&format!("{day}T00:00:00Z")).ok())
            .flatten()
    })
}

/// Refuses a text that is empty, nearly so, or a bot challenge.
fn check_readable(text: &str, source: &str) -> Result<(), CaptureError> {
    let words = crate::diff::tokenize::count_words(text);
    let lower = text.to_lowercase();
    let challenge =
        words <= CHALLENGE_MAX_WORDS && CHALLENGE_PHRASES.iter().any(|p| lower.contains(p));
    if words < MIN_WORDS || challenge {
        return Err(CaptureError::NearlyEmpty {
            origin: source.to_string(),
            words,
            why: if challenge {
                "it reads like a bot check or a page that needs JavaScript"
            } else {
                "a script-only or empty page"
            },
        });
    }
    Ok(())
}

/// Everything that can go wrong while capturing. Each is one line saying
/// what and how to fix it; nothing is recorded.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("invalid CSS selector {selector:?} for --{flag} ({reason}); fix its syntax, for example --{flag} 'article .body'")]
    BadSelector {
        flag: &'static str,
        selector: String,
        reason: String,
    },

    #[error("invalid --lang {0:?}: use a language tag such as en, fr-CA or 'en-GB,en;q=0.8'")]
    BadLang(String),

    #[error("invalid URL {url}: {reason}")]
    BadUrl { url: String, reason: String },

    #[error("refused to fetch {url}: {host} is {ip}, a {class} address; pass --allow-private (or set REDLINER_ALLOW_PRIVATE=1) to fetch from this machine or a private network")]
    Guarded {
        url: String,
        host: String,
        ip: String,
        class: &'static str,
    },

    #[error(
        "fetching {url} failed: HTTP {status} {reason}; nothing was recorded; check the address"
    )]
    Status {
        url: String,
        status: u16,
        reason: String,
    },

    #[error("fetching {url} timed out after {secs} s; nothing was recorded; try again later or pass a longer --timeout")]
    Timeout { url: String, secs: u64 },

    #[error("fetching {url} failed: {reason}; nothing was recorded")]
    Fetch { url: String, reason: String },

    #[error("{origin} is larger than the {limit_mib} MiB limit (counted after decompression); nothing was recorded")]
    TooLarge { origin: String, limit_mib: u64 },

    #[error("{origin} has the unsupported content type {content_type:?}; redliner captures HTML, PDF and plain text; nothing was recorded")]
    UnsupportedType {
        origin: String,
        content_type: String,
    },

    #[error("--select {selector:?} matches nothing in {origin}; nothing was recorded; check the selector against the page")]
    SelectMatchedNothing { selector: String, origin: String },

    #[error("{origin} has no readable text ({words} words: {why}); nothing was recorded; pass --select for the statement's element, or save the page from a browser and record the file")]
    NearlyEmpty {
        origin: String,
        words: u64,
        why: &'static str,
    },

    #[error("cannot extract the text of {origin}: {reason}; nothing was recorded")]
    Extract { origin: String, reason: String },

    #[error("pdftotext is not installed; install poppler-utils (for example: apt-get install poppler-utils) to record PDFs")]
    PdftotextMissing,

    #[error("pdftotext took longer than {secs} s on {origin}; nothing was recorded")]
    PdfTimeout { origin: String, secs: u64 },

    #[error("cannot read the PDF {origin}: {reason}; nothing was recorded")]
    Pdf { origin: String, reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_formats() {
        assert!(is_url("https://example.org/a"));
        assert!(is_url("HTTP://example.org"));
        assert!(!is_url("ftp://example.org"));
        assert!(!is_url("statement.html"));
        assert!(!is_url("é"));
        assert_eq!(Format::of_path("a/b.HTM"), Some(Format::Html));
        assert_eq!(Format::of_path("b.pdf"), Some(Format::Pdf));
        assert_eq!(Format::of_path("b.txt"), None);
        assert_eq!(Format::of_path("noext"), None);
        assert_eq!(
            Format::of_response(Some("text/html; charset=utf-8"), b""),
            Some(Format::Html)
        );
        assert_eq!(Format::of_response(Some("image/png"), b""), None);
        assert_eq!(Format::of_response(None, b"%PDF-1.4"), Some(Format::Pdf));
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://Example.org:8443/a?b"), "example.org");
        assert_eq!(host_of("http://u:p@127.0.0.1:80"), "127.0.0.1");
        assert_eq!(host_of("http://[::1]:8080/x"), "[::1]");
    }

    #[test]
    fn nearly_empty_and_challenges_are_refused() {
        assert!(check_readable("", "x").is_err());
        assert!(check_readable("Loading\n", "x").is_err());
        assert!(check_readable(
            "Just a moment while we are checking your browser before you reach the site, please wait.\n",
            "x"
        )
        .is_err());
        assert!(check_readable(
            "The ministers met in Seoul on Sunday and agreed to share missile warning data.\n",
            "x"
        )
        .is_ok());
    }
}
