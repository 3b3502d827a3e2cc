//! `diff --format html` and `export`: self-contained, escaped pages; a
//! static site with relative links that resolve, exported deterministically
//! and incrementally; and the same pages rendered by headless Chromium.

mod common;
use common::html::{assert_safe_page, tags, texts_of};
use common::{dod_store, Env};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const T1: &str = "2023-11-12T14:05:00Z";
const T2: &str = "2023-11-13T09:30:00Z";
const T3: &str = "2023-11-14T10:00:00Z";

const HOSTILE_OLD: &str = "Statement <script>alert(1)</script> on the policy.\n\n\
<img src=x onerror=alert(1)> and </style><style>body{display:none}</style>\n\n\
See [terms](javascript:alert(1)) <!-- comment --> and \u{1b}[31mred\u{7} text.\n\n\
Price: 100 \u{202e}dlrow\u{202c} units.\n";
const HOSTILE_NEW: &str = "Statement <script>alert(2)</script> on the new policy.\n\n\
<img src=y onerror=alert(2)> and </style><style>body{display:none}</style>\n\n\
See [terms](javascript:alert(2)) <!-- other --> and \u{1b}[32mgreen\u{7} text.\n\n\
Price: 120 \u{202e}dlrow\u{202c} units.\n";

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A store with `hostile` (two revisions, a javascript: source and a
/// message holding markup).
fn hostile_store() -> Env {
    let env = Env::new();
    let a = env.file("a.txt", HOSTILE_OLD);
    let b = env.file("b.txt", HOSTILE_NEW);
    env.ok(&[
        "record",
        "hostile",
        s(&a),
        "--at",
        T1,
        "-m",
        "<b onmouseover=x>first</b>",
        "--source",
        "javascript:alert(document.cookie)",
    ]);
    env.ok(&[
        "record",
        "hostile",
        s(&b),
        "--at",
        T2,
        "-m",
        "second \u{202e}txet",
        "--source",
        "https://example.org/a?b=1&c=\"><script>",
    ]);
    env
}

fn html_diff(env: &Env, args: &[&str]) -> String {
    let mut a = vec!["diff", "--format", "html"];
    a.extend_from_slice(args);
    let r = env.run(&a);
    assert!(r.code == 1 || r.code == 0, "{}", r.stderr);
    r.out()
}

#[test]
fn hostile_documents_stay_text() {
    let env = hostile_store();
    let page = html_diff(&env, &["hostile"]);
    assert_safe_page(&page);
    // No script element, no event handler attribute, one style element.
    assert!(!page.contains("<script"), "{page}");
    assert_eq!(page.matches("<style>").count(), 1);
    assert_eq!(page.matches("</style>").count(), 1);
    assert!(!page.contains("<!--"));
    assert!(page.contains("&lt;script&gt;alert("));
    assert!(
        page.contains("onerror=alert("),
        "the text is still there, as text"
    );
    // Control and bidi characters are visible escapes.
    assert!(page.contains(r#"<span class="esc">\x1b</span>"#));
    assert!(page.contains(r#"<span class="esc">\u{202e}</span>"#));
    // The javascript: source is text, never a link; the https one is a
    // link, escaped in its attribute.
    assert!(
        page.contains("javascript:alert(document.cookie)") || !page.contains("document.cookie")
    );
    let hrefs: Vec<String> = tags(&page)
        .into_iter()
        .flat_map(|t| {
            t.attrs
                .into_iter()
                .filter(|(n, _)| n == "href")
                .map(|(_, v)| v)
        })
        .collect();
    assert!(
        hrefs
            .iter()
            .all(|h| !h.to_ascii_lowercase().contains("javascript")),
        "{hrefs:?}"
    );
    assert!(
        hrefs
            .iter()
            .any(|h| h == "https://example.org/a?b=1&amp;c=&quot;&gt;&lt;script&gt;"),
        "{hrefs:?}"
    );
    let dels = texts_of(&page, "del");
    let inss = texts_of(&page, "ins");
    assert!(dels.iter().any(|d| d.contains('1')), "{dels:?}");
    assert!(inss.iter().any(|d| d.contains('2')), "{inss:?}");
    assert!(inss.iter().any(|d| d == "new"), "{inss:?}");
    // The export's pages are just as inert.
    let site = env.path().join("site");
    env.ok(&["export", s(&site)]);
    for f in files(&site) {
        if f.extension().is_some_and(|e| e == "html") {
            assert_safe_page(&std::fs::read_to_string(&f).expect("page"));
        }
    }
}

#[test]
fn marks_carry_times_kinds_and_accessible_text() {
    let env = Env::new();
    env.ok(&[
        "record",
        "doc",
        s(&env.file("1", "The fee is 100 dollars.\n\nWe care.\n")),
        "--at",
        T1,
    ]);
    env.ok(&[
        "record",
        "doc",
        s(&env.file("2", "The fee is 120 dollars.\n\nWe really care.\n")),
        "--at",
        T2,
    ]);
    let page = html_diff(&env, &["doc"]);
    assert_safe_page(&page);
    assert!(
        page.contains(r#"<del class="k-number" datetime="2023-11-12T14:05:00Z">100</del>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<ins class="k-number" datetime="2023-11-13T09:30:00Z">120</ins>"#),
        "{page}"
    );
    assert!(page.contains(r#"<span class="sr">[deletion: </span>"#));
    assert!(page.contains(r#"<span class="sr">[insertion: </span>"#));
    assert!(page.contains("<main>") && page.contains("<header>") && page.contains("<footer>"));
    assert!(
        page.contains("2 words added, 1 word removed"),
        "summary as --stat: {page}"
    );
    // --hide number leaves the number change out of the markup.
    let hidden = html_diff(&env, &["doc", "--hide", "number"]);
    assert!(
        !hidden.contains(">100<") && !hidden.contains("k-number"),
        "{hidden}"
    );
    assert!(hidden.contains("Hidden: number 1."), "{hidden}");
    assert!(hidden.contains("really"));
    // -o writes the same page to a file.
    let out = env.path().join("r.html");
    let r = env.run(&["diff", "doc", "-o", s(&out)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).expect("written"), page);
}

#[test]
fn moves_link_both_ways_and_context_folds_into_details() {
    let env = Env::new();
    let paras: Vec<String> = (1..=8)
        .map(|i| format!("Paragraph number {i} says something quite long about topic {i}."))
        .collect();
    let old = paras.join("\n\n") + "\n";
    let mut moved = paras.clone();
    let p = moved.remove(1);
    moved.insert(6, p.replace("something", "nothing"));
    let new = moved.join("\n\n") + "\n";
    env.ok(&["record", "doc", s(&env.file("1", &old)), "--at", T1]);
    env.ok(&["record", "doc", s(&env.file("2", &new)), "--at", T2]);
    let page = html_diff(&env, &["doc", "--context", "0"]);
    assert_safe_page(&page);
    assert!(
        page.contains(r##"<a class="moved-from" id="move-0-from" href="#move-0-to">"##)
            || page.contains(r##"id="move-1-from" href="#move-1-to""##),
        "{page}"
    );
    let ids: Vec<String> = tags(&page)
        .into_iter()
        .flat_map(|t| {
            t.attrs
                .into_iter()
                .filter(|(n, _)| n == "id")
                .map(|(_, v)| v)
        })
        .collect();
    for t in tags(&page) {
        for (n, v) in &t.attrs {
            if n == "href" {
                if let Some(frag) = v.strip_prefix('#') {
                    assert!(ids.iter().any(|i| i == frag), "fragment {v} has a target");
                }
            }
        }
    }
    assert!(
        texts_of(&page, "del").contains(&"something".to_string()),
        "word edits inside the move"
    );
    assert!(texts_of(&page, "ins").contains(&"nothing".to_string()));
    // The unchanged paragraphs are folded, not lost.
    assert!(page.contains(r#"<details class="fold"><summary>"#));
    for para in &paras[2..6] {
        assert!(page.contains(para.as_str()), "{para} is in the page");
    }
}

#[test]
fn diff_page_snapshot() {
    let env = Env::new();
    env.ok(&[
        "record",
        "doc",
        s(&env.file(
            "1",
            "Title\n\nThe quick brown fox jumps.\n\n1. one\n2. two\n",
        )),
        "--at",
        T1,
        "--source",
        "https://example.org/x",
    ]);
    env.ok(&[
        "record",
        "doc",
        s(&env.file(
            "2",
            "Title\n\nThe quick red fox leaps.\n\nNew para.\n\n1. one\n2. two\n",
        )),
        "--at",
        T2,
        "--source",
        "https://example.org/x",
    ]);
    let page = html_diff(&env, &["doc"]);
    let body = &page[page.find("<body>").expect("body")..];
    insta::assert_snapshot!("html_diff_body", body);
}

/// Every file under `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn site_bytes(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).expect("inside").to_path_buf(),
                std::fs::read(&p).expect("read"),
            )
        })
        .collect()
}

fn mtimes(dir: &Path) -> BTreeMap<PathBuf, std::time::SystemTime> {
    files(dir)
        .into_iter()
        .map(|p| {
            let m = std::fs::metadata(&p)
                .and_then(|m| m.modified())
                .expect("mtime");
            (p.strip_prefix(dir).expect("inside").to_path_buf(), m)
        })
        .collect()
}

/// Asserts that every relative link of every page resolves to a file of
/// the site, and every fragment to an id of its page.
fn assert_links_resolve(site: &Path) {
    let mut checked = 0;
    for f in files(site) {
        if f.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = std::fs::read_to_string(&f).expect("page");
        assert_safe_page(&page);
        let all = tags(&page);
        let ids: Vec<&str> = all
            .iter()
            .flat_map(|t| {
                t.attrs
                    .iter()
                    .filter(|(n, _)| n == "id")
                    .map(|(_, v)| v.as_str())
            })
            .collect();
        for t in &all {
            for (n, v) in &t.attrs {
                if n != "href" || v.starts_with("http") {
                    continue;
                }
                let (path, frag) = v.split_once('#').unwrap_or((v, ""));
                if path.is_empty() {
                    assert!(
                        ids.contains(&frag),
                        "{}: #{frag} has no target",
                        f.display()
                    );
                } else {
                    let target = f.parent().expect("parent").join(path);
                    let target = target
                        .canonicalize()
                        .unwrap_or_else(|_| panic!("{}: link {v} does not resolve", f.display()));
                    assert!(
                        target.starts_with(site.canonicalize().expect("site")),
                        "{v} stays in the site"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "links were checked: {checked}");
}

#[test]
fn export_is_linked_deterministic_and_incremental() {
    let env = dod_store();
    env.ok(&[
        "record",
        "other",
        s(&env.file("o1", "One.\n\nTwo.\n")),
        "--at",
        T1,
    ]);
    env.ok(&[
        "record",
        "other",
        s(&env.file("o2", "One.\n\nTwo and a half.\n")),
        "--at",
        T2,
    ]);
    let site = env.path().join("site");
    let r = env.run(&["export", s(&site)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("exported 2 documents"), "{}", r.stderr);
    for p in [
        "index.html",
        "dod-trilateral/index.html",
        "dod-trilateral/latest.html",
        "dod-trilateral/blame.html",
        "dod-trilateral/diff-1.html",
        "dod-trilateral/diff-5.html",
        "other/diff-2.html",
    ] {
        assert!(site.join(p).is_file(), "{p}");
    }
    assert_links_resolve(&site);
    let index = std::fs::read_to_string(site.join("index.html")).expect("index");
    assert!(index.contains("<svg class=\"churn\""), "churn chart");
    let history = std::fs::read_to_string(site.join("dod-trilateral/index.html")).expect("history");
    assert!(history.contains("rel=\"noopener noreferrer nofollow\""));
    // A second export: byte-identical, nothing written.
    let before = site_bytes(&site);
    let times = mtimes(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let r = env.run(&["export", s(&site), "-v"]);
    assert!(r.stderr.contains("0 files written"), "{}", r.stderr);
    assert_eq!(site_bytes(&site), before);
    assert_eq!(mtimes(&site), times);
    // A fresh export elsewhere gives the same bytes.
    let other = env.path().join("site2");
    env.ok(&["export", s(&other)]);
    assert_eq!(site_bytes(&other), before);
    // One new revision of `other`: only the pages that show it change.
    env.ok(&[
        "record",
        "other",
        s(&env.file("o3", "One.\n\nTwo and three quarters.\n")),
        "--at",
        T3,
    ]);
    let r = env.run(&["export", s(&site), "-v"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut wrote: Vec<&str> = r
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("wrote "))
        .collect();
    wrote.sort();
    assert_eq!(
        wrote,
        [
            "index.html",
            "other/blame.html",
            "other/diff-2.html",
            "other/diff-3.html",
            "other/index.html",
            "other/latest.html"
        ],
        "{}",
        r.stderr
    );
    let now = mtimes(&site);
    for (p, t) in &times {
        let rewritten = wrote.iter().any(|w| Path::new(w) == p) || p.ends_with(".redliner-export");
        assert_eq!(now[p] != *t, rewritten, "{}", p.display());
    }
    assert_links_resolve(&site);
    // Exporting one document: the others' pages are removed.
    let r = env.run(&["export", s(&site), "other"]);
    assert!(r.stderr.contains("exported 1 document"), "{}", r.stderr);
    assert!(!site.join("dod-trilateral").join("diff-1.html").exists());
    assert_links_resolve(&site);
    let e = env.fails(&["export", s(&site), "nope"]);
    assert!(e.contains("nope"), "{e}");
}

#[test]
fn raw_captures_are_downloads_restores_are_marked_and_pages_snapshot() {
    let env = Env::new();
    let page = "<!doctype html><html lang=\"fr\"><head><title>T</title></head><body><article><h1>Avis</h1><p>Le prix est de 100 euros par mois pour tous les clients.</p><p>Bonne journée à tous les lecteurs de cette page.</p><script>alert('raw')</script></article></body></html>";
    let f = env.file("page.html", page);
    env.ok(&["record", "avis", s(&f), "--at", T1, "-m", "saved page"]);
    let t2 = env.file("t2.txt", "Avis\n\nLe prix est de 120 euros.\n");
    env.ok(&["record", "avis", s(&t2), "--at", T2, "-m", "price"]);
    let first = env.ok(&["show", "avis@1"]);
    let again = env.file("again.txt", &first);
    env.ok(&["record", "avis", s(&again), "--at", T3, "-m", "reverted"]);
    let site = env.path().join("site");
    env.ok(&["export", s(&site)]);
    let raw = site.join("avis/raw-1.html.txt");
    assert_eq!(
        std::fs::read(&raw).expect("raw capture kept"),
        page.as_bytes()
    );
    let history = std::fs::read_to_string(site.join("avis/index.html")).expect("history");
    assert!(
        history.contains(r#"<a href="raw-1.html.txt" download="avis-1.raw.html">download</a>"#),
        "{history}"
    );
    assert!(
        !history.contains("alert('raw')") && !history.contains("alert(&#39;raw&#39;)"),
        "never inlined"
    );
    assert!(
        history.contains(r##"restores <a href="#rev-1">@1</a>"##),
        "{history}"
    );
    let body = |p: &str| {
        let page = std::fs::read_to_string(site.join(p)).expect("page");
        page[page.find("<body>").expect("body")..].to_string()
    };
    insta::assert_snapshot!("export_history_body", body("avis/index.html"));
    insta::assert_snapshot!("export_blame_body", body("avis/blame.html"));
    let index = body("index.html");
    assert!(
        index.contains(r#"<a href="avis/index.html">avis</a>"#),
        "{index}"
    );
    assert_links_resolve(&site);
}

#[test]
fn a_watched_documents_language_is_the_texts_lang() {
    let env = Env::new();
    env.ok(&[
        "record",
        "avis",
        s(&env.file("1", "Le prix est de 100 euros.\n")),
        "--at",
        T1,
    ]);
    env.ok(&[
        "record",
        "avis",
        s(&env.file("2", "Le prix est de 120 euros.\n")),
        "--at",
        T2,
    ]);
    let page = html_diff(&env, &["avis"]);
    assert!(
        page.contains(r#"<div class="text">"#),
        "no language when unknown"
    );
    env.ok(&[
        "watch",
        "add",
        "avis",
        "http://127.0.0.1:9/avis",
        "--lang",
        "fr-CA,fr;q=0.8",
    ]);
    let page = html_diff(&env, &["avis"]);
    assert!(
        page.contains(r#"<div class="text" lang="fr-CA">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<html lang="en">"#),
        "redliner's own words are English"
    );
    let site = env.path().join("site");
    env.ok(&["export", s(&site)]);
    let latest = std::fs::read_to_string(site.join("avis/latest.html")).expect("latest");
    assert!(
        latest.contains(r#"<div class="text" lang="fr-CA">"#),
        "{latest}"
    );
}
