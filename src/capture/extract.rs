//! From an HTML page to its readable text: `--remove` first, then either the
//! elements `--select` picks or what Readability (dom_smoothie) finds, then
//! redliner's own walker turns the elements into text.

use super::walk::{text_of, WALKER_VERSION};
use super::CaptureError;
use dom_query::{Document, Matcher, NodeRef};
use dom_smoothie::{Readability, ReadabilityError};

/// The versions of the parsing crates, written into each capture's
/// `Redliner-Extractor` trailer (checked against Cargo.lock by a test).
pub const DOM_SMOOTHIE_VERSION: &str = "0.19.0";
pub const DOM_QUERY_VERSION: &str = "0.29.0";

/// Checked CSS selectors: parsed before anything is fetched.
#[derive(Debug, Default)]
pub struct Selectors {
    select: Vec<(String, Matcher)>,
    remove: Vec<(String, Matcher)>,
}

fn parse_all(flag: &'static str, list: &[String]) -> Result<Vec<(String, Matcher)>, CaptureError> {
    list.iter()
        .map(|s| {
            // dom_query's `select` panics on a selector it cannot parse;
            // `Matcher::new` reports it.
            Matcher::new(s)
                .map(|m| (s.clone(), m))
                .map_err(|e| CaptureError::BadSelector {
                    flag,
                    selector: s.clone(),
                    reason: format!("{:?}", e.kind)
                        .split(['(', ' '])
                        .next()
                        .unwrap_or("syntax error")
                        .to_string(),
                })
        })
        .collect()
}

impl Selectors {
    /// Parses `--select` and `--remove` selectors; an invalid one is an error.
    pub fn parse(select: &[String], remove: &[String]) -> Result<Selectors, CaptureError> {
        Ok(Selectors {
            select: parse_all("select", select)?,
            remove: parse_all("remove", remove)?,
        })
    }

    pub fn select(&self) -> impl Iterator<Item = &str> {
        self.select.iter().map(|(s, _)| s.as_str())
    }

    pub fn remove(&self) -> impl Iterator<Item = &str> {
        self.remove.iter().map(|(s, _)| s.as_str())
    }
}

/// The text of an HTML page and the name and version of what extracted it.
/// A panic inside the parsers (third-party code fed hostile pages) becomes
/// an error, never a crash.
pub fn html_text(
    html: &str,
    source: &str,
    sel: &Selectors,
) -> Result<(String, String), CaptureError> {
    // The HTML parser slows down with the square of the nesting depth
    // (200,000 nested elements took minutes): a page nested deeper than any
    // real one is refused before parsing, so `check` is never held on CPU.
    if nests_deeper_than(html, MAX_DEPTH) {
        return Err(CaptureError::Extract {
            origin: source.to_string(),
            reason: format!(
                "the page nests elements more than {MAX_DEPTH} deep, which no readable page does"
            ),
        });
    }
    contain_panics(|| extract(html, source, sel)).unwrap_or_else(|reason| {
        Err(CaptureError::Extract {
            origin: source.to_string(),
            reason: format!("the HTML parser failed ({reason})"),
        })
    })
}

/// The date the page says it was published, from its metadata: a `<meta>`
/// `article:published_time`, `datePublished`, `DC.date.issued` or
/// `dcterms.issued` (or `date`), else a JSON-LD `"datePublished"`, as
/// written (the caller parses it). Read from the raw markup, so it does not
/// depend on which elements `--select` keeps.
pub fn published_date(html: &str) -> Option<String> {
    const KEYS: [&str; 5] = [
        "article:published_time",
        "datepublished",
        "dc.date.issued",
        "dcterms.issued",
        "date",
    ];
    // Metadata sits in the head: the first 512 KiB are enough.
    let mut end = html.len().min(512 * 1024);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let (orig, lower) = (&html[..end], html[..end].to_ascii_lowercase());
    // A quoted or bare attribute value after `at` (just past `name=`).
    let value = |at: usize| -> Option<&str> {
        let rest = &orig[at..];
        let q = rest.chars().next()?;
        let v = if q == '"' || q == '\'' {
            rest[1..].split(q).next()?
        } else {
            rest.split(|c: char| c.is_whitespace() || c == '>').next()?
        };
        Some(v.trim())
    };
    let attr = |tag: std::ops::Range<usize>, name: &str| -> Option<&str> {
        let t = &lower[tag.clone()];
        let mut from = 0;
        while let Some(k) = t[from..].find(name) {
            let at = from + k;
            let before_ok = at == 0 || t.as_bytes()[at - 1].is_ascii_whitespace();
            let after = at + name.len();
            if before_ok && t[after..].starts_with('=') {
                return value(tag.start + after + 1);
            }
            from = after;
        }
        None
    };
    let mut best: Option<(usize, &str)> = None;
    let mut from = 0;
    while let Some(k) = lower[from..].find("<meta") {
        let start = from + k;
        let close = lower[start..].find('>').map_or(lower.len(), |g| start + g);
        from = close;
        let tag = start..close;
        let key = ["property", "name", "itemprop"]
            .iter()
            .find_map(|a| attr(tag.clone(), a))
            .map(str::to_ascii_lowercase);
        let Some(rank) = key.and_then(|k| KEYS.iter().position(|x| *x == k)) else {
            continue;
        };
        if let Some(v) = attr(tag, "content").filter(|v| !v.is_empty()) {
            if best.is_none_or(|(r, _)| rank < r) {
                best = Some((rank, v));
            }
        }
    }
    if let Some((rank, v)) = best {
        if rank < KEYS.len() - 1 {
            return Some(v.to_string());
        }
    }
    // JSON-LD, before the generic `date` meta.
    if let Some(k) = lower.find("\"datepublished\"") {
        let rest = &orig[k + "\"datepublished\"".len()..];
        let rest = rest.trim_start().strip_prefix(':')?.trim_start();
        if let Some(v) = rest.strip_prefix('"').and_then(|r| r.split('"').next()) {
            return Some(v.trim().to_string());
        }
    }
    best.map(|(_, v)| v.to_string())
}

/// Deepest element nesting a page may have (real pages stay under a few
/// hundred).
const MAX_DEPTH: usize = 4096;

/// Whether the elements of `html` nest more than `max` deep, by a scan of
/// its tags: elements that close themselves or are closed implicitly (`p`,
/// `li`, `td`, ...) and void elements are not counted, and comments,
/// scripts and styles are skipped. An estimate from above for tags left
/// open, exact for the nesting a hostile page would use.
fn nests_deeper_than(html: &str, max: usize) -> bool {
    const NOT_COUNTED: &[&[u8]] = &[
        b"area",
        b"base",
        b"br",
        b"col",
        b"embed",
        b"hr",
        b"img",
        b"input",
        b"link",
        b"meta",
        b"source",
        b"track",
        b"wbr",
        b"p",
        b"li",
        b"dt",
        b"dd",
        b"option",
        b"optgroup",
        b"tr",
        b"td",
        b"th",
        b"tbody",
        b"thead",
        b"tfoot",
        b"colgroup",
        b"caption",
        b"rb",
        b"rt",
        b"rp",
        b"html",
        b"head",
        b"body",
    ];
    let b = html.as_bytes();
    let find = |from: usize, needle: &[u8]| {
        memchr::memmem::find(&b[from..], needle).map_or(b.len(), |k| from + k)
    };
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(k) = memchr::memchr(b'<', &b[i..]) {
        let at = i + k + 1;
        if b[at..].starts_with(b"!--") {
            i = (find(at, b"-->") + 3).min(b.len());
            continue;
        }
        let close = b.get(at) == Some(&b'/');
        let start = at + usize::from(close);
        let end = start
            + b[start..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
        i = end.max(at);
        if end == start || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = b[start..end].to_ascii_lowercase();
        if !close && (name == b"script" || name == b"style" || name == b"textarea") {
            let mut closing = b"</".to_vec();
            closing.extend_from_slice(&name);
            // Case-insensitively: the closing tag in lower case is the
            // common form; an upper-case one only makes the skip longer.
            i = (find(end, &closing) + closing.len()).min(b.len());
            continue;
        }
        if NOT_COUNTED.contains(&name.as_slice()) {
            continue;
        }
        let gt = find(end, b">");
        if close {
            depth = depth.saturating_sub(1);
        } else if gt > 0 && gt < b.len() && b[gt - 1] == b'/' {
            // Self-closing (`<div/>`): opens nothing.
        } else {
            depth += 1;
            if depth > max {
                return true;
            }
        }
    }
    false
}

thread_local! {
    /// Set while this thread runs a parser: its panics are reported as
    /// errors, not printed.
    static CONTAINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic into `Err` with its message. The panic hook is
/// wrapped once so that a contained panic prints nothing; other panics are
/// reported as before.
fn contain_panics<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINED.with(|c| c.get()) {
                previous(info);
            }
        }));
    });
    CONTAINED.with(|c| c.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string())
            .lines()
            .next()
            .unwrap_or("panic")
            .to_string()
    })
}

fn extract(html: &str, source: &str, sel: &Selectors) -> Result<(String, String), CaptureError> {
    let doc = Document::from(html);
    for (_, m) in &sel.remove {
        doc.select_matcher(m).remove();
    }
    if !sel.select.is_empty() {
        let mut roots: Vec<NodeRef<'_>> = Vec::new();
        for (s, m) in &sel.select {
            let found = doc.select_matcher(m);
            if found.is_empty() {
                return Err(CaptureError::SelectMatchedNothing {
                    selector: s.clone(),
                    origin: source.to_string(),
                });
            }
            roots.extend(found.nodes().iter().cloned());
        }
        let roots = outermost_in_order(roots);
        let name = format!("select (dom_query {DOM_QUERY_VERSION}), walker {WALKER_VERSION}");
        return Ok((text_of(&roots), name));
    }
    let name =
        format!("readability (dom_smoothie {DOM_SMOOTHIE_VERSION}), walker {WALKER_VERSION}");
    // Readability drops the headline it takes for the page's title; a
    // statement's headline is part of what it says (a changed headline is
    // a change), so the page's first `h1` is kept at the top.
    let headline = doc
        .select("h1")
        .nodes()
        .first()
        .map(|h| text_of(std::slice::from_ref(h)))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let mut r = Readability::with_document(doc, None, None).map_err(|e| readability(source, e))?;
    let article = match r.parse() {
        Ok(a) => a,
        // Nothing readable is the "nearly empty" failure, decided by the caller.
        Err(ReadabilityError::GrabFailed) => return Ok((String::new(), name)),
        Err(e) => return Err(readability(source, e)),
    };
    let content = Document::from(article.content.as_ref());
    let text = text_of(&[content.root()]);
    let text = match headline {
        Some(h) if !text.is_empty() && !text.contains(h.as_str()) => format!("{h}\n\n{text}"),
        _ => text,
    };
    Ok((text, name))
}

fn readability(source: &str, e: ReadabilityError) -> CaptureError {
    CaptureError::Extract {
        origin: source.to_string(),
        reason: e.to_string(),
    }
}

/// The nodes in document order, without any that lies inside another.
fn outermost_in_order(mut nodes: Vec<NodeRef<'_>>) -> Vec<NodeRef<'_>> {
    // Node ids grow in parse order, which is document order.
    nodes.sort_by_key(|n| n.id);
    nodes.dedup_by_key(|n| n.id);
    let ids: std::collections::HashSet<_> = nodes.iter().map(|n| n.id).collect();
    nodes
        .into_iter()
        .filter(|n| !n.ancestors_it(None).any(|a| ids.contains(&a.id)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_date_comes_from_the_metadata() {
        let page = |head: &str| format!("<html><head>{head}</head><body><p>x</p></body></html>");
        assert_eq!(
            published_date(&page("<meta property=\"article:published_time\" content=\"2023-11-12T10:00:00-05:00\"><meta name=\"date\" content=\"2020-01-01\">")).as_deref(),
            Some("2023-11-12T10:00:00-05:00")
        );
        assert_eq!(
            published_date(&page("<META NAME='date' CONTENT='2024-02-20'>")).as_deref(),
            Some("2024-02-20")
        );
        assert_eq!(
            published_date(&page("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\", \"datePublished\" : \"2023-06-01\"}</script>")).as_deref(),
            Some("2023-06-01")
        );
        assert_eq!(
            published_date(&page("<meta name=\"description\" content=\"x\">")),
            None
        );
        assert_eq!(
            published_date("<meta property=article:published_time content="),
            None
        );
    }

    #[test]
    fn the_headline_is_kept_at_the_top() {
        let page = "<html><head><title>Statement</title></head><body><header><nav>News Search</nav></header><main><article><h1>Statement on the trilateral meeting</h1><p>The Defense Ministers of the three countries met on Tuesday and reaffirmed their commitment to regional security in a long statement.</p><p>The ministers also discussed the situation on the peninsula in detail with their staff and partners.</p></article></main></body></html>";
        let (text, _) = html_text(page, "x", &sel(&[], &[])).expect("extracts");
        assert!(
            text.starts_with("Statement on the trilateral meeting\n\nThe Defense Ministers"),
            "{text}"
        );
        assert!(!text.contains("News Search"), "{text}");
    }

    #[test]
    fn pages_nested_deeper_than_any_real_one_are_refused_before_parsing() {
        let deep = "<div>".repeat(MAX_DEPTH + 1) + "text";
        assert!(nests_deeper_than(&deep, MAX_DEPTH));
        let err = html_text(&deep, "page.html", &sel(&[], &[])).expect_err("too deep");
        assert!(err.to_string().contains("nests elements"), "{err}");
        // Implicitly closed, void, self-closing and skipped elements do not
        // count; closed ones unwind.
        let flat = "<p>a<li>b<br><img src=x><div/>".repeat(10_000)
            + &"<div><span>x</span></div>".repeat(10_000)
            + "<script>var s = '<div><div><div>';</script><!-- <div><div> -->";
        assert!(!nests_deeper_than(&flat, 8));
        assert!(nests_deeper_than(&"<section><b>".repeat(5), 8));
    }

    fn sel(select: &[&str], remove: &[&str]) -> Selectors {
        let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Selectors::parse(&v(select), &v(remove)).expect("valid selectors")
    }

    #[test]
    fn bad_selectors_are_refused_not_panicked_on() {
        for bad in ["", "p[", "::nope", "a >", "#"] {
            let err = Selectors::parse(&[bad.to_string()], &[]).expect_err(bad);
            assert!(matches!(err, CaptureError::BadSelector { .. }), "{bad}");
        }
        assert!(Selectors::parse(&[], &["..x".to_string()]).is_err());
    }

    #[test]
    fn select_picks_and_remove_goes_first() {
        let html =
            "<div id=a><p>One</p><p class=ad>Ad</p></div><div id=b><p>Two</p></div><p>Out</p>";
        let (t, name) = html_text(html, "x", &sel(&["#b", "#a", "#a p"], &[".ad"])).unwrap();
        assert_eq!(t, "One\n\nTwo\n");
        assert!(name.starts_with("select (dom_query "));
        let err = html_text(html, "x", &sel(&[".missing"], &[])).unwrap_err();
        assert!(matches!(err, CaptureError::SelectMatchedNothing { .. }));
    }

    #[test]
    fn a_panic_in_a_parser_is_an_error() {
        assert_eq!(contain_panics(|| 7), Ok(7));
        let r: Result<(), String> = contain_panics(|| panic!("boom\nsecond line"));
        assert_eq!(r, Err("boom".to_string()));
    }

    #[test]
    fn crate_versions_match_the_lock_file() {
        let lock = include_str!("../../Cargo.lock");
        for (name, version) in [
            ("dom_smoothie", DOM_SMOOTHIE_VERSION),
            ("dom_query", DOM_QUERY_VERSION),
        ] {
            let entry = format!("name = \"{name}\"\nversion = \"{version}\"");
            assert!(
                lock.contains(&entry),
                "{name} is not {version} in Cargo.lock"
            );
        }
    }
}
