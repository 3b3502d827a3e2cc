//! HTML pages in a real browser: headless Chromium renders the diff pages
//! of the seed statement and of hostile documents; the rendered DOM has the
//! expected marks and nothing from the documents as markup, and a
//! screenshot shows the deletion and insertion colours. `.ci/run` installs
//! Chromium and sets REDLINER_REQUIRE_BROWSER=1, so CI never skips these;
//! locally a missing browser skips them with one line.

mod common;
use common::html::{artefacts_dir, assert_safe_page, chromium, run_chromium, tags, texts_of};
use common::{dod_store, Env};
use std::path::Path;

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Writes `diff ARGS --format html -o FILE` and returns the file.
fn html_page(env: &Env, name: &str, args: &[&str]) -> std::path::PathBuf {
    let out = env.path().join(name);
    let mut a = vec!["diff", "--format", "html", "-o", s(&out)];
    a.extend_from_slice(args);
    let r = env.run(&a);
    assert_eq!(r.code, 1, "{}", r.stderr);
    out
}

/// RGB pixels of a PNG.
fn pixels(png_path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let file = std::io::BufReader::new(std::fs::File::open(png_path).expect("png"));
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let n = info.color_type.samples();
    assert!(n >= 3, "colour screenshot: {:?}", info.color_type);
    let px = buf[..info.buffer_size()]
        .chunks_exact(n)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    (info.width, info.height, px)
}

fn count_near(px: &[[u8; 3]], rgb: [u8; 3]) -> usize {
    px.iter()
        .filter(|p| p.iter().zip(rgb).all(|(&a, b)| a.abs_diff(b) <= 3))
        .count()
}

#[test]
fn seed_statement_redline_renders_with_its_marks_and_colours() {
    let Some(browser) = chromium() else { return };
    let env = dod_store();
    let page = html_page(
        &env,
        "dod-1-5.html",
        &["dod-trilateral@1", "dod-trilateral@5", "--context", "1"],
    );
    let dom = run_chromium(&browser, &page, &["--dump-dom"]);
    assert!(dom.contains("<del"), "{dom}");
    assert_safe_page(&dom);
    assert!(!dom.contains("<script"));
    let dels = texts_of(&dom, "del");
    let inss = texts_of(&dom, "ins");
    assert!(dels.contains(&"12".to_string()), "{dels:?}");
    assert!(inss.contains(&"13".to_string()), "{inss:?}");
    assert!(dels.contains(&"strongly".to_string()), "{dels:?}");
    assert!(
        inss.iter()
            .any(|t| t.starts_with("Air Force Global Strike Command")),
        "{inss:?}"
    );
    // The move: a stub linked to the passage and back.
    let all = tags(&dom);
    let link = |id: &str, href: &str| {
        all.iter().any(|t| {
            t.attrs.iter().any(|(n, v)| n == "id" && v == id)
                && t.attrs.iter().any(|(n, v)| n == "href" && v == href)
        })
    };
    assert!(
        link("move-1-from", "#move-1-to"),
        "stub links to the passage"
    );
    assert!(link("move-1-to", "#move-1-from"), "passage links back");

    // The screenshot: both colours, not blank.
    let png_path = artefacts_dir().join("seed-statement-redline.png");
    let _ = std::fs::remove_file(&png_path);
    run_chromium(
        &browser,
        &page,
        &[
            &format!("--screenshot={}", png_path.display()),
            "--window-size=1100,1800",
        ],
    );
    let (w, h, px) = pixels(&png_path);
    assert_eq!((w, h), (1100, 1800));
    let total = px.len();
    let not_white = px.iter().filter(|p| p.iter().any(|&c| c < 240)).count();
    assert!(not_white * 50 > total, "not blank: {not_white} of {total}");
    let deleted = count_near(&px, [0xff, 0xd6, 0xd6]);
    let inserted = count_near(&px, [0xcc, 0xf0, 0xcc]);
    assert!(deleted > 200, "deletion colour: {deleted} pixels");
    assert!(inserted > 2000, "insertion colour: {inserted} pixels");
    eprintln!("screenshot: {}", png_path.display());
}

#[test]
fn hostile_documents_render_as_text_in_the_browser() {
    let Some(browser) = chromium() else { return };
    let env = Env::new();
    let old = "Intro <script>document.title='pwned'</script> text.\n\n\
<img src=x onerror=\"document.title='pwned'\"> here.\n\n\
</style><style>body{background:red}</style> <!-- x --> [a](javascript:alert(1))\n\n\
Ctrl \u{1}\u{1b}[31m and \u{202e}evil\u{202c} end.\n";
    let new = old
        .replace("Intro", "Preface")
        .replace("here", "there")
        .replace("evil", "live");
    let a = env.file("a.txt", old);
    let b = env.file("b.txt", new);
    env.ok(&[
        "record",
        "h",
        s(&a),
        "--at",
        "2023-01-01T00:00:00Z",
        "--source",
        "javascript:alert(1)",
        "-m",
        "<i onclick=x>m</i>",
    ]);
    env.ok(&[
        "record",
        "h",
        s(&b),
        "--at",
        "2023-01-02T00:00:00Z",
        "--source",
        "https://example.org/\"onmouseover=\"x",
    ]);
    let page = html_page(&env, "hostile.html", &["h", "--context", "all"]);
    let dom = run_chromium(&browser, &page, &["--dump-dom"]);
    assert_safe_page(&dom);
    assert!(!dom.contains("<script"), "no script element");
    assert!(!dom.contains("<img"), "no image element");
    assert!(
        dom.contains("<title>Redline: h@1 → h@2</title>"),
        "the title was not changed by the document"
    );
    assert_eq!(dom.matches("<style").count(), 1, "one style element");
    assert!(dom.contains("&lt;script&gt;document.title="));
    assert_eq!(
        texts_of(&dom, "del"),
        ["Intro", "here", "evil\\u{202c}"],
        "{dom}"
    );
    assert_eq!(
        texts_of(&dom, "ins"),
        ["Preface", "there", "live\\u{202c}"],
        "{dom}"
    );
    let links: Vec<String> = tags(&dom)
        .into_iter()
        .flat_map(|t| {
            t.attrs
                .into_iter()
                .filter(|(n, _)| n == "href")
                .map(|(_, v)| v)
        })
        .collect();
    assert!(links.iter().all(|l| !l.contains("javascript")), "{links:?}");
    // The screenshot is not red: the document's style never applied.
    let png_path = artefacts_dir().join("hostile-redline.png");
    run_chromium(
        &browser,
        &page,
        &[
            &format!("--screenshot={}", png_path.display()),
            "--window-size=900,900",
        ],
    );
    let (_, _, px) = pixels(&png_path);
    assert!(count_near(&px, [255, 0, 0]) < 100, "no red page");
    assert!(count_near(&px, [0xff, 0xd6, 0xd6]) > 50, "deletions shown");
}
