//! Checks on HTML pages: every tag and attribute is one redliner writes
//! (so nothing from a document became an element or an attribute), links
//! are fragments, relative pages or http(s), and no raw control or bidi
//! character is left; and a headless Chromium to render pages with.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

const TAGS: &[&str] = &[
    "!doctype", "html", "head", "meta", "title", "style", "body", "nav", "ul", "ol", "li", "a",
    "header", "h1", "h2", "dl", "dt", "dd", "code", "time", "br", "main", "section", "p", "div",
    "del", "ins", "span", "details", "summary", "footer", "table", "thead", "tbody", "tr", "th",
    "td", "strong", "em", "svg", "line", "g", "rect",
];
const ATTRS: &[&str] = &[
    "lang",
    "charset",
    "http-equiv",
    "content",
    "name",
    "class",
    "id",
    "href",
    "rel",
    "datetime",
    "title",
    "aria-label",
    "aria-hidden",
    "role",
    "scope",
    "download",
    "data-rev",
    "xmlns",
    "width",
    "height",
    "viewbox",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "stroke",
    "stroke-width",
    "fill",
    "html",
];

/// One tag: name and attributes (name, value).
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub close: bool,
    pub attrs: Vec<(String, String)>,
}

/// The tags of `html`, in order; panics on anything that is not a
/// well-formed tag of the kinds above.
pub fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(p) = html[i..].find('<') {
        let start = i + p + 1;
        let end = start + html[start..].find('>').expect("tag closes");
        let inner = &html[start..end];
        let (close, inner) = match inner.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, inner),
        };
        let name_end = inner
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        assert!(
            TAGS.contains(&name.as_str()),
            "unexpected element <{name}> in {:?}",
            &html[start.saturating_sub(40)..(end + 40).min(html.len())]
        );
        let mut attrs = Vec::new();
        let mut rest = inner[name_end..].trim_start().trim_end_matches('/');
        while !rest.trim().is_empty() {
            rest = rest.trim_start();
            let n_end = rest
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(rest.len());
            let n = rest[..n_end].to_ascii_lowercase();
            rest = &rest[n_end..];
            let mut v = String::new();
            if let Some(r) = rest.strip_prefix('=') {
                let r = r.strip_prefix('"').expect("attribute values are quoted");
                let q = r.find('"').expect("attribute value closes");
                v = r[..q].to_string();
                rest = &r[q + 1..];
            }
            assert!(
                ATTRS.contains(&n.as_str()),
                "unexpected attribute {n}= on <{name}>"
            );
            attrs.push((n, v));
        }
        out.push(Tag {
            name: name.clone(),
            close,
            attrs,
        });
        i = end + 1;
        if name == "style" && !close {
            let e = html[i..].find("</style>").expect("style closes");
            let css = &html[i..i + e];
            assert!(!css.contains('<'), "no markup in the style");
            i += e;
        }
        let _ = b;
    }
    out
}

/// Asserts that `html` is inert: only redliner's elements and attributes,
/// no script, safe links, a strict CSP, no raw control or bidi character.
pub fn assert_safe_page(html: &str) {
    for t in tags(html) {
        for (n, v) in &t.attrs {
            if n == "href" {
                let ok = v.starts_with('#')
                    || v.starts_with("http://")
                    || v.starts_with("https://")
                    || (!v.contains(':') && !v.starts_with('/') && !v.starts_with("//"));
                assert!(ok, "unsafe link {v:?}");
                if v.starts_with("http") {
                    let rel = t
                        .attrs
                        .iter()
                        .find(|(n, _)| n == "rel")
                        .map(|(_, v)| v.as_str());
                    assert_eq!(rel, Some("noopener noreferrer nofollow"), "{v}");
                }
            }
            if n == "http-equiv" {
                assert_eq!(v, "Content-Security-Policy");
            }
        }
    }
    assert!(html.contains(
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">"#
    ) || html.contains(
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/>"#
    ), "CSP meta present");
    for (i, c) in html.char_indices() {
        let bad = (c < ' ' && c != '\n' && c != '\t' && c != '\r')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}');
        assert!(!bad, "raw hidden character {c:?} at byte {i}");
    }
}

/// The text content of every `<tag>` element (not nested), with the
/// entities decoded.
pub fn texts_of(html: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = html[i..].find(&open) {
        let s = i + p;
        let after = &html[s + open.len()..];
        if !after.starts_with([' ', '>']) {
            i = s + open.len();
            continue;
        }
        let body_start = s + open.len() + after.find('>').expect("tag closes") + 1;
        let e = body_start + html[body_start..].find(&close).expect("element closes");
        out.push(decode(&strip_tags(&html[body_start..e])));
        i = e;
    }
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

pub fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A headless Chromium, or `None` (with one line on stderr) when there is
/// none; with `REDLINER_REQUIRE_BROWSER=1` (set by `.ci/run`) a missing
/// browser fails the test instead.
pub fn chromium() -> Option<PathBuf> {
    let names = ["chromium", "chromium-browser", "google-chrome"];
    let found = std::env::var_os("REDLINER_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(names.iter().filter_map(|n| which(n)))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var("REDLINER_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "REDLINER_REQUIRE_BROWSER=1 but no chromium was found (apt-get install chromium)"
        );
        // Written past the test harness's capture, once per test binary.
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "skipped the browser tests: no chromium on PATH (apt-get install chromium; CI sets REDLINER_REQUIRE_BROWSER=1)"
            );
        });
    }
    found
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Runs headless Chromium on `page` with `mode` (`--dump-dom` or
/// `--screenshot=...`), in a fresh profile; returns stdout.
pub fn run_chromium(browser: &Path, page: &Path, mode: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!("file://{}", page.display());
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(mode)
        .arg(&url)
        .env("HOME", profile.path())
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("DOM is UTF-8")
}

/// Where test artefacts (screenshots) are kept: `target/test-artefacts`.
pub fn artefacts_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // The test binary is target/<profile>/deps/<name>.
            std::env::current_exe()
                .ok()
                .and_then(|e| e.ancestors().nth(3).map(Path::to_path_buf))
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        });
    let dir = target.join("test-artefacts");
    std::fs::create_dir_all(&dir).expect("artefacts dir");
    dir
}
