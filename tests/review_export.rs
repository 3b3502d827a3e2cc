//! Review: export only ever removes files that an export writes.

mod common;
use common::Env;

#[test]
fn export_never_removes_files_it_does_not_write() {
    let env = Env::new();
    let f = env.file("a1", "One.\n\nTwo.\n");
    env.ok(&[
        "record",
        "doc",
        f.to_str().expect("utf-8"),
        "--at",
        "2023-11-12T14:05:00Z",
    ]);
    let site = env.path().join("site");
    let s = site.to_str().expect("utf-8");
    env.ok(&["export", s]);
    // The user's own files in DIR (a GitHub Pages checkout, say), listed in
    // a manifest that came with it (committed, edited, or from elsewhere).
    std::fs::write(site.join("CNAME"), "example.org\n").expect("write");
    std::fs::create_dir_all(site.join(".git")).expect("mkdir");
    std::fs::write(site.join(".git/config"), "[core]\n").expect("write");
    std::fs::write(site.join("doc/notes.txt"), "mine\n").expect("write");
    let manifest = site.join(".redliner-export");
    let mut m = std::fs::read_to_string(&manifest).expect("manifest");
    m.push_str("file\tCNAME\tk\nfile\t.git/config\tk\nfile\tdoc/notes.txt\tk\n");
    std::fs::write(&manifest, m).expect("write");
    env.ok(&["export", s]);
    for p in ["CNAME", ".git/config", "doc/notes.txt"] {
        assert!(site.join(p).is_file(), "{p} was removed");
    }
    // What an earlier export wrote and no longer belongs still goes.
    std::fs::create_dir_all(site.join("gone")).expect("mkdir");
    std::fs::write(site.join("gone/diff-9.html"), "old").expect("write");
    let mut m = std::fs::read_to_string(&manifest).expect("manifest");
    m.push_str("file\tgone/diff-9.html\tk\n");
    std::fs::write(&manifest, m).expect("write");
    env.ok(&["export", s]);
    assert!(!site.join("gone/diff-9.html").exists());
}

/// A file name with a control character: the page's title shows it escaped,
/// as text, not as the markup of the body's escape marks.
#[test]
fn html_title_has_no_markup() {
    let env = Env::new();
    let a = env.file("a\u{1b}x.txt", "One.\n");
    let b = env.file("b.txt", "Two.\n");
    let r = env.run(&[
        "diff",
        "--files",
        a.to_str().expect("utf-8"),
        b.to_str().expect("utf-8"),
        "--format",
        "html",
    ]);
    assert_eq!(r.code, 1, "the files differ: {}", r.stderr);
    let out = r.out();
    let start = out.find("<title>").expect("title") + "<title>".len();
    let end = out.find("</title>").expect("title end");
    let title = &out[start..end];
    assert!(
        !title.contains('<') && !title.contains('\u{1b}'),
        "{title:?}"
    );
}

/// A document named `index.html` (a valid id) cannot have its folder next
/// to the site's index: one clear error before anything is written, and
/// the other documents still export by name.
#[test]
fn a_document_named_index_html_is_refused_before_writing() {
    let env = Env::new();
    for doc in ["index.html", "other"] {
        let f = env.file(&format!("{doc}.txt"), "One.\n");
        env.ok(&[
            "record",
            doc,
            f.to_str().expect("utf-8"),
            "--at",
            "2023-11-12T14:05:00Z",
        ]);
    }
    let site = env.path().join("site");
    let s = site.to_str().expect("utf-8");
    let r = env.run(&["export", s]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stderr.trim_end().lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("index.html"), "{}", r.stderr);
    assert!(!site.exists(), "nothing is written");
    env.ok(&["export", s, "other"]);
    assert!(site.join("index.html").is_file() && site.join("other/latest.html").is_file());
}
