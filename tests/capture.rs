//! Capture from the web: `record DOC URL` against a small HTTP server on
//! 127.0.0.1 run by the tests themselves (no other network), with pages built
//! around the seed statement and changing page chrome; saved pages; PDFs;
//! `show --raw`.

mod common;

use common::web::*;
use common::Env;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env() -> Env {
    Env::new()
}

fn ok(env: &Env, args: &[&str]) -> String {
    let r = run(env, args);
    assert_eq!(r.code, 0, "redliner {args:?} failed: {}", r.stderr);
    r.out()
}

/// Asserts exit 2, one line on stderr, and no store change; returns stderr.
fn fails(env: &Env, args: &[&str]) -> String {
    let before = env.snapshot_store();
    let r = run(env, args);
    assert_eq!(r.code, 2, "redliner {args:?} should fail: {}", r.out());
    assert_eq!(
        r.stderr.trim_end().lines().count(),
        1,
        "one line: {:?}",
        r.stderr
    );
    assert!(r.stderr.starts_with("redliner: "), "{:?}", r.stderr);
    assert!(r.stdout.is_empty(), "nothing on stdout: {}", r.out());
    assert!(
        before == env.snapshot_store(),
        "a failed capture changed the store"
    );
    r.stderr
}

fn show(env: &Env, target: &str) -> String {
    ok(env, &["show", target])
}

/// The commit message of a revision (trailers included).
fn message(env: &Env, doc: &str) -> String {
    let (ok, out) = env.git(&["log", "-1", "--format=%B", doc]);
    assert!(ok, "{out}");
    out
}

#[test]
fn url_capture_drops_chrome_keeps_paragraphs_and_raw_page() {
    let (env, srv) = (env(), Server::start());
    let page = press_page(STATEMENT, 12);
    srv.set("/release", html(&page));
    let url = srv.url("/release");
    let out = ok(
        &env,
        &["record", "dod", &url, "--at", "2023-11-12T14:00:00Z"],
    );
    assert!(out.starts_with("recorded dod@1 ("), "{out}");
    let text = show(&env, "dod");
    // Every paragraph of the statement, each a paragraph of its own.
    for p in STATEMENT.split("\n\n") {
        assert!(
            text.contains(&format!("{}\n", p.trim())),
            "missing paragraph: {p}\n---\n{text}"
        );
    }
    assert!(
        text.contains(&format!("{}\n\n{}", first_para(0), first_para(1))),
        "{text}"
    );
    // No chrome.
    for chrome in [
        "News Search",
        "Trending",
        "Hosted by",
        "Air Force Global Strike",
        "analytics",
        "Published Nov",
    ] {
        assert!(!text.contains(chrome), "chrome {chrome:?} kept:\n{text}");
    }
    // The raw page, byte for byte.
    let r = run(&env, &["show", "dod", "--raw"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, page.as_bytes());
    let (ok_ls, files) = env.git(&["ls-tree", "--name-only", "dod"]);
    assert!(ok_ls);
    assert_eq!(files, "dod.raw.html\ndod.txt\n");
    // Trailers: source, final URL, content type, extractor.
    let msg = message(&env, "dod");
    for want in [
        format!("Source: {url}"),
        format!("Redliner-Final-Url: {url}"),
        "Redliner-Content-Type: text/html; charset=utf-8".to_string(),
        "Redliner-Extractor: readability (dom_smoothie 0.19.0), walker 1".to_string(),
    ] {
        assert!(msg.contains(&want), "{want:?} not in:\n{msg}");
    }
    // The fixed request headers.
    let seen = srv.seen();
    assert_eq!(seen.len(), 1);
    let h = &seen[0].headers;
    assert_eq!(
        h["user-agent"],
        format!("redliner/{}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(h["accept-language"], "en");
    assert!(h["accept"].starts_with("text/html"), "{h:?}");
    assert!(h["accept-encoding"].contains("gzip"), "{h:?}");
    // `log` shows the source.
    assert!(ok(&env, &["log", "dod"]).contains(&url));
}

fn first_para(i: usize) -> &'static str {
    STATEMENT.split("\n\n").nth(i).expect("paragraph").trim()
}

#[test]
fn chrome_only_change_records_nothing_and_a_real_change_does() {
    let (env, srv) = (env(), Server::start());
    srv.set("/r", html(&press_page(STATEMENT, 12)));
    let url = srv.url("/r");
    ok(&env, &["record", "dod", &url, "--lang", "en-US,en;q=0.8"]);
    assert_eq!(srv.seen()[0].headers["accept-language"], "en-US,en;q=0.8");
    // Other chrome, same statement: nothing recorded.
    srv.set("/r", html(&press_page(STATEMENT, 13)));
    assert_eq!(ok(&env, &["record", "dod", &url]), "unchanged: dod@1\n");
    // A quiet correction in the statement: a revision, one word changed.
    let edited = STATEMENT.replace("strongly condemned", "condemned");
    srv.set("/r", html(&press_page(&edited, 14)));
    let out = ok(&env, &["record", "dod", &url]);
    assert!(
        out.starts_with("recorded dod@2 ") && out.ends_with(": +0 -1 words\n"),
        "{out}"
    );
    let (_, count) = env.git(&["rev-list", "--count", "dod"]);
    assert_eq!(count.trim(), "2");
}

#[test]
fn redirects_are_followed_and_the_final_url_kept() {
    let (env, srv) = (env(), Server::start());
    srv.set("/page", html(&press_page(STATEMENT, 1)));
    srv.set("/old", redirect("/middle"));
    srv.set("/middle", redirect(&srv.url("/page")));
    let old = srv.url("/old");
    ok(&env, &["record", "dod", &old]);
    let paths: Vec<String> = srv.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(paths, ["/old", "/middle", "/page"]);
    let msg = message(&env, "dod");
    assert!(msg.contains(&format!("Source: {old}\n")), "{msg}");
    assert!(
        msg.contains(&format!("Redliner-Final-Url: {}\n", srv.url("/page"))),
        "{msg}"
    );
    // A loop of redirects stops after five.
    srv.set("/loop", redirect("/loop"));
    let err = fails(&env, &["record", "loop", &srv.url("/loop")]);
    assert!(err.contains("more than 5 redirects"), "{err}");
}

#[test]
fn http_errors_fail_closed() {
    let (env, srv) = (env(), Server::start());
    srv.set("/ok", html(&press_page(STATEMENT, 1)));
    ok(&env, &["record", "dod", &srv.url("/ok")]);
    srv.set("/ok", status(500));
    let err = fails(&env, &["record", "dod", &srv.url("/ok")]);
    assert!(err.contains("HTTP 500"), "{err}");
    let err = fails(&env, &["record", "dod", &srv.url("/missing")]);
    assert!(err.contains("HTTP 404"), "{err}");
    // Nothing recorded: the first capture is still the only revision.
    assert!(ok(&env, &["log", "dod"]).starts_with("@1 "));
}

#[test]
fn script_only_and_challenge_pages_are_refused() {
    let (env, srv) = (env(), Server::start());
    srv.set(
        "/app",
        html("<html><head><script src=app.js></script></head><body><div id=root></div><script>render()</script><noscript>You need to enable JavaScript to run this app.</noscript></body></html>"),
    );
    let err = fails(&env, &["record", "dod", &srv.url("/app")]);
    assert!(err.contains("no readable text"), "{err}");
    srv.set(
        "/challenge",
        html("<html><body><h1>Just a moment...</h1><p>Checking your browser before accessing the site. This process is automatic. Your browser will redirect to your requested content shortly.</p></body></html>"),
    );
    let err = fails(&env, &["record", "dod", &srv.url("/challenge")]);
    assert!(err.contains("bot check"), "{err}");
    assert!(!env.store().join("refs/heads/dod").exists());
}

#[test]
fn stalled_body_hits_the_timeout() {
    let (env, srv) = (env(), Server::start());
    srv.set("/slow", Reply::Stall);
    let started = Instant::now();
    let err = fails(
        &env,
        &["record", "dod", &srv.url("/slow"), "--timeout", "1"],
    );
    assert!(err.contains("timed out after 1 s"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn oversized_body_and_gzip_bomb_are_refused() {
    let (env, srv) = (env(), Server::start());
    // A body without a length that goes past 64 MiB.
    let big = Arc::new(vec![b'a'; 64 * 1024 * 1024 + 10]);
    srv.set("/big", Reply::Unsized { body: big });
    let err = fails(&env, &["record", "dod", &srv.url("/big")]);
    assert!(err.contains("larger than the 64 MiB limit"), "{err}");
    // A declared length past the cap is refused before reading.
    srv.set(
        "/declared",
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: vec![b' '; 64 * 1024 * 1024 + 1],
        },
    );
    let err = fails(&env, &["record", "dod", &srv.url("/declared")]);
    assert!(err.contains("larger than the 64 MiB limit"), "{err}");
    // 100 KiB of gzip that inflates past 64 MiB.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..65 {
        gz.write_all(&zeros).expect("gzip");
    }
    let bomb = gz.finish().expect("gzip");
    assert!(bomb.len() < 1024 * 1024);
    srv.set("/bomb", gzipped(bomb));
    let err = fails(&env, &["record", "dod", &srv.url("/bomb")]);
    assert!(err.contains("counted after decompression"), "{err}");
}

#[test]
fn gzip_page_is_decoded_and_kept_decoded() {
    let (env, srv) = (env(), Server::start());
    let page = press_page(STATEMENT, 2);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(page.as_bytes()).expect("gzip");
    srv.set("/gz", gzipped(gz.finish().expect("gzip")));
    ok(&env, &["record", "dod", &srv.url("/gz")]);
    assert!(show(&env, "dod").contains(first_para(0)));
    assert_eq!(run(&env, &["show", "dod", "--raw"]).stdout, page.as_bytes());
}

#[test]
fn windows_1252_page_declared_only_in_meta() {
    let (env, srv) = (env(), Server::start());
    let statement = format!(
        "The minister\u{2019}s caf\u{e9} remarks \u{2014} \u{201c}d\u{e9}j\u{e0} vu\u{201d} \u{2014} were na\u{ef}ve, said the spokesperson on Sunday.\n\n{STATEMENT}"
    );
    let page = press_page(&statement, 3).replace(
        "<meta charset=\"utf-8\">",
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">",
    );
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&page);
    assert!(!unmappable);
    srv.set("/cp", page_with("text/html", bytes.to_vec()));
    ok(&env, &["record", "dod", &srv.url("/cp")]);
    let text = show(&env, "dod");
    assert!(
        text.contains("The minister\u{2019}s caf\u{e9} remarks \u{2014} \u{201c}d\u{e9}j\u{e0} vu\u{201d} \u{2014} were na\u{ef}ve"),
        "{text}"
    );
    // The raw page is kept as it came, in windows-1252.
    assert_eq!(run(&env, &["show", "dod", "--raw"]).stdout, bytes.as_ref());
}

#[test]
fn select_and_remove_choose_the_text() {
    let (env, srv) = (env(), Server::start());
    srv.set("/r", html(&press_page(STATEMENT, 1)));
    let url = srv.url("/r");
    ok(
        &env,
        &[
            "record", "dod", &url, "--select", "article", "--remove", ".byline", "--remove", "h1",
        ],
    );
    let text = show(&env, "dod");
    assert!(text.starts_with(first_para(0)), "{text}");
    assert!(
        !text.contains("Published") && !text.contains(TITLE),
        "{text}"
    );
    let msg = message(&env, "dod");
    assert!(
        msg.contains("Redliner-Select: article\nRedliner-Remove: .byline\nRedliner-Remove: h1\n"),
        "{msg}"
    );
    assert!(
        msg.contains("Redliner-Extractor: select (dom_query 0.29.0), walker 1"),
        "{msg}"
    );
    // Only the aside.
    ok(&env, &["record", "aside", &url, "--select", "aside p"]);
    // No-break spaces in the page become plain spaces.
    assert!(BOILERPLATE.contains('\u{a0}'));
    assert_eq!(show(&env, "aside"), BOILERPLATE.replace('\u{a0}', " "));
}

#[test]
fn selector_matching_nothing_or_invalid_fails() {
    let (env, srv) = (env(), Server::start());
    srv.set("/r", html(&press_page(STATEMENT, 1)));
    let url = srv.url("/r");
    let err = fails(
        &env,
        &[
            "record", "dod", &url, "--select", "article", "--select", "#gone",
        ],
    );
    assert!(err.contains("--select \"#gone\" matches nothing"), "{err}");
    assert_eq!(srv.seen().len(), 1);
    // An invalid selector is refused before anything is fetched.
    let err = fails(&env, &["record", "dod", &url, "--select", "p["]);
    assert!(err.contains("invalid CSS selector \"p[\""), "{err}");
    let err = fails(&env, &["record", "dod", &url, "--remove", "::bogus"]);
    assert!(err.contains("--remove"), "{err}");
    assert_eq!(srv.seen().len(), 1, "no request for an invalid selector");
}

#[test]
fn guard_refuses_loopback_without_allow_private() {
    let (env, srv) = (env(), Server::start());
    srv.set("/r", html(&press_page(STATEMENT, 1)));
    let url = srv.url("/r");
    let before = env.snapshot_store();
    let r = run_with(&env, &["record", "dod", &url], &[]);
    assert_eq!(r.code, 2, "{}", r.out());
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("127.0.0.1, a loopback address"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--allow-private"), "{}", r.stderr);
    // localhost resolves to loopback too; proxies are not used to get around it.
    let local = url.replace("127.0.0.1", "localhost");
    let r = run_with(
        &env,
        &["record", "dod", &local],
        &[
            ("http_proxy", "http://127.0.0.1:9"),
            ("ALL_PROXY", "http://127.0.0.1:9"),
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("loopback"), "{}", r.stderr);
    // A redirect from an allowed host to loopback is checked per hop: here
    // the first hop is already loopback, so nothing at all reached the server.
    assert!(srv.seen().is_empty(), "{:?}", srv.seen());
    assert!(before == env.snapshot_store());
    // --allow-private and REDLINER_ALLOW_PRIVATE=1 lift it; =0 does not.
    let r = run_with(
        &env,
        &["record", "dod", &url],
        &[("REDLINER_ALLOW_PRIVATE", "0")],
    );
    assert_eq!(r.code, 2);
    let r = run_with(&env, &["record", "dod", &url, "--allow-private"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn unsupported_content_type_is_refused() {
    let (env, srv) = (env(), Server::start());
    srv.set(
        "/img",
        page_with("image/png", b"\x89PNG\r\n\x1a\n....".to_vec()),
    );
    let err = fails(&env, &["record", "dod", &srv.url("/img")]);
    assert!(
        err.contains("unsupported content type \"image/png\""),
        "{err}"
    );
}

#[test]
fn shrinking_by_more_than_80_percent_needs_force() {
    let (env, srv) = (env(), Server::start());
    srv.set("/r", html(&press_page(STATEMENT, 1)));
    let url = srv.url("/r");
    ok(&env, &["record", "dod", &url]);
    let short = STATEMENT.split("\n\n").next().expect("paragraph");
    srv.set("/r", html(&press_page(short, 2)));
    let err = fails(&env, &["record", "dod", &url]);
    assert!(
        err.contains("a drop of more than 80 %") && err.contains("--force"),
        "{err}"
    );
    let out = ok(&env, &["record", "dod", &url, "--force"]);
    assert!(out.starts_with("recorded dod@2 "), "{out}");
}

#[test]
fn saved_page_goes_through_the_same_extraction() {
    let env = env();
    let page = press_page(STATEMENT, 5);
    let f = env.file("release.html", &page);
    let path = f.to_str().expect("path");
    ok(
        &env,
        &[
            "record",
            "dod",
            path,
            "--source",
            "https://www.defense.gov/release",
        ],
    );
    let text = show(&env, "dod");
    assert!(
        text.contains(first_para(0)) && !text.contains("Trending"),
        "{text}"
    );
    assert_eq!(run(&env, &["show", "dod", "--raw"]).stdout, page.as_bytes());
    let msg = message(&env, "dod");
    assert!(
        msg.contains("Source: https://www.defense.gov/release\n"),
        "{msg}"
    );
    assert!(msg.contains("Redliner-Content-Type: text/html\n"), "{msg}");
    assert!(!msg.contains("Redliner-Final-Url"), "{msg}");
    // Other chrome in another saved copy: nothing new.
    let g = env.file("copy.htm", press_page(STATEMENT, 6));
    assert_eq!(
        ok(&env, &["record", "dod", g.to_str().expect("path")]),
        "unchanged: dod@1\n"
    );
    // --as html for a name that does not say so; --as text records it verbatim.
    let h = env.file("saved.page", press_page(STATEMENT, 7));
    let h = h.to_str().expect("path");
    assert_eq!(
        ok(&env, &["record", "dod", h, "--as", "html"]),
        "unchanged: dod@1\n"
    );
    ok(&env, &["record", "verbatim", path, "--as", "text"]);
    assert_eq!(show(&env, "verbatim"), page);
    let err = fails(&env, &["show", "verbatim", "--raw"]);
    assert!(err.contains("verbatim@1 has no raw capture"), "{err}");
    // Selectors make no sense on text.
    let t = env.file("plain.txt", "Some text.\n");
    let err = fails(
        &env,
        &[
            "record",
            "plain",
            t.to_str().expect("path"),
            "--select",
            "p",
        ],
    );
    assert!(err.contains("--select and --remove apply to"), "{err}");
}

/// A one-page PDF whose text is `paragraphs`, one line each, a gap between.
fn pdf(paragraphs: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 11 Tf 50 750 Td 14 TL\n");
    for p in paragraphs {
        let esc = p
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        content.push_str(&format!("({esc}) Tj T* T* T*\n"));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn have_pdftotext() -> bool {
    std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok()
}

#[test]
fn pdf_capture_records_its_text_and_keeps_the_pdf() {
    let paragraphs = [
        "The Secretary and the two Ministers met in Seoul on November 12, 2023.",
        "They agreed to share missile warning data in real time by the end of December.",
    ];
    let doc = pdf(&paragraphs);
    let (env, srv) = (env(), Server::start());
    srv.set("/s.pdf", page_with("application/pdf", doc.clone()));
    if !have_pdftotext() {
        // Without poppler-utils: one line saying to install it.
        let err = fails(&env, &["record", "dod", &srv.url("/s.pdf")]);
        assert!(err.contains("install poppler-utils"), "{err}");
        eprintln!(
            "notice: pdftotext is not installed; the PDF capture test only checked the message"
        );
        return;
    }
    ok(&env, &["record", "dod", &srv.url("/s.pdf")]);
    let text = show(&env, "dod");
    assert_eq!(text, format!("{}\n\n{}\n", paragraphs[0], paragraphs[1]));
    assert_eq!(run(&env, &["show", "dod", "--raw"]).stdout, doc);
    let (_, files) = env.git(&["ls-tree", "--name-only", "dod"]);
    assert_eq!(files, "dod.raw.pdf\ndod.txt\n");
    let msg = message(&env, "dod");
    assert!(
        msg.contains("Redliner-Content-Type: application/pdf\n"),
        "{msg}"
    );
    assert!(msg.contains("Redliner-Extractor: pdftotext "), "{msg}");
    // A saved PDF, recognised by its name.
    let f = env.file("s.pdf", &doc);
    assert_eq!(
        ok(&env, &["record", "dod", f.to_str().expect("path")]),
        "unchanged: dod@1\n"
    );
    // A broken PDF fails closed.
    srv.set(
        "/bad.pdf",
        page_with("application/pdf", b"%PDF-1.4 garbage".to_vec()),
    );
    let err = fails(&env, &["record", "bad", &srv.url("/bad.pdf")]);
    assert!(err.contains("bad.pdf"), "{err}");
}

#[test]
fn bad_urls_and_options_fail_before_fetching() {
    let env = env();
    let err = fails(&env, &["record", "dod", "http://"]);
    assert!(
        err.contains("invalid URL") || err.contains("failed"),
        "{err}"
    );
    let err = fails(
        &env,
        &["record", "dod", "https://example.org/", "--source", "x"],
    );
    assert!(err.contains("--source is the URL itself"), "{err}");
    let err = fails(
        &env,
        &[
            "record",
            "dod",
            "https://example.org/",
            "--lang",
            "en\r\nX: y",
        ],
    );
    assert!(err.contains("invalid --lang"), "{err}");
}

#[test]
fn reextract_records_a_technical_revision_when_the_text_differs() {
    let (env, srv) = (env(), Server::start());
    let page = press_page(STATEMENT, 1);
    srv.set("/r", html(&page));
    let url = srv.url("/r");
    ok(&env, &["record", "dod", &url]);
    // Readability, with the headline kept at the top.
    assert!(show(&env, "dod").starts_with(&format!("{TITLE}\n\n{}", first_para(0))));
    // Today's selectors, from the watch list: the article's body only.
    ok(
        &env,
        &[
            "watch", "add", "dod", &url, "--select", "article", "--remove", ".byline", "--remove",
            "h1",
        ],
    );
    let out = ok(&env, &["reextract", "dod"]);
    assert!(
        out.starts_with("recorded dod@2 ") && out.ends_with("(technical: re-extracted from @1)\n"),
        "{out}"
    );
    assert!(show(&env, "dod").starts_with(first_para(0)));
    assert_eq!(run(&env, &["show", "dod", "--raw"]).stdout, page.as_bytes());
    let log = ok(&env, &["log", "dod"]);
    assert!(
        log.lines()
            .next()
            .unwrap_or("")
            .contains("[technical: reextract] Re-extract dod@1 with select"),
        "{log}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&env, &["log", "dod", "--json"])).expect("json");
    assert_eq!(json[0]["technical"], "reextract");
    assert!(json[1].get("technical").is_none(), "{json}");
    let msg = message(&env, "dod");
    assert!(
        msg.contains("Redliner-Technical: reextract\n")
            && msg.contains("Redliner-Select: article\n"),
        "{msg}"
    );
    // The same extraction again: nothing new. Nothing was fetched.
    assert_eq!(
        ok(&env, &["reextract", "dod"]),
        "unchanged: dod@2 (re-extraction gives the same text)\n"
    );
    assert_eq!(srv.seen().len(), 1);
    // A revision recorded from text has no raw capture to re-extract.
    let f = env.file("plain.txt", "Some plain text of the statement.\n");
    ok(&env, &["record", "plain", f.to_str().expect("path")]);
    let err = fails(&env, &["reextract", "plain"]);
    assert!(err.contains("plain@1 has no raw capture"), "{err}");
}

#[test]
fn the_published_date_comes_from_the_page_unless_given() {
    let (env, srv) = (env(), Server::start());
    let page = press_page(STATEMENT, 1).replace(
        "<meta charset=\"utf-8\">",
        "<meta charset=\"utf-8\"><meta property=\"article:published_time\" content=\"2023-11-12T09:30:00-05:00\">",
    );
    srv.set("/p", html(&page));
    ok(&env, &["record", "dod", &srv.url("/p")]);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&env, &["log", "dod", "--json"])).expect("json");
    assert_eq!(json[0]["published"], "2023-11-12T09:30:00-05:00", "{json}");
    // --published wins; a page without metadata records none.
    srv.set("/p", html(&page.replace("The", "THE")));
    ok(
        &env,
        &[
            "record",
            "dod",
            &srv.url("/p"),
            "--published",
            "2023-11-13T08:00:00Z",
        ],
    );
    srv.set("/q", html(&press_page(STATEMENT, 2)));
    ok(&env, &["record", "other", &srv.url("/q")]);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&env, &["log", "dod", "--json"])).expect("json");
    assert_eq!(json[0]["published"], "2023-11-13T08:00:00Z", "{json}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&env, &["log", "other", "--json"])).expect("json");
    assert!(json[0]["published"].is_null(), "{json}");
}
