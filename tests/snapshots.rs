//! Snapshots of every output format for every consecutive pair of versions in
//! fixtures/, rendered by the real binary with `diff --files`.

mod common;
use common::Env;
use std::path::Path;

fn versions(case: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(case)
        .expect("fixture dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    v.sort();
    v
}

/// Checks one fixture case: its README, and a snapshot of every format for
/// each consecutive pair of its versions (JSON also rebuilt byte for byte).
fn check_case(name: &str) {
    let env = Env::new();
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    let readme = std::fs::read_to_string(case.join("README")).expect("every case has a README");
    assert!(
        !readme.lines().next().unwrap_or("").trim().is_empty(),
        "{name}: README first line"
    );
    let v = versions(&case);
    assert!(v.len() >= 2, "{name}: a case needs at least two versions");
    for pair in v.windows(2) {
        let mut report = String::new();
        for (label, args) in [
            ("plain", vec!["--format", "plain", "--context", "all"]),
            (
                "plain, context 1",
                vec!["--format", "plain", "--context", "1"],
            ),
            ("color", vec!["--format", "color", "--context", "all"]),
            ("stat", vec!["--stat"]),
            ("json", vec!["--format", "json"]),
        ] {
            let mut c = env.command();
            c.current_dir(&case)
                .args(["diff", "--files", &pair[0], &pair[1]])
                .args(&args);
            let out = c.output().expect("run");
            let code = out.status.code().unwrap_or(-1);
            let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
            assert!(
                code == 0 || code == 1,
                "{name} {pair:?} {label}: exit {code}"
            );
            if label == "json" {
                let v: serde_json::Value = serde_json::from_str(&stdout).expect("json parses");
                let (mut o, mut n) = (String::new(), String::new());
                for op in v["ops"].as_array().expect("ops") {
                    let t = op["text"].as_str().expect("text");
                    match op["op"].as_str().expect("op") {
                        "equal" => {
                            o.push_str(t);
                            n.push_str(t);
                        }
                        "delete" => o.push_str(t),
                        "insert" => n.push_str(t),
                        other => panic!("unknown op {other}"),
                    }
                }
                assert_eq!(
                    o.as_bytes(),
                    std::fs::read(case.join(&pair[0])).expect("old"),
                    "{name} old"
                );
                assert_eq!(
                    n.as_bytes(),
                    std::fs::read(case.join(&pair[1])).expect("new"),
                    "{name} new"
                );
            }
            report.push_str(&format!("==== {label} (exit {code})\n{stdout}"));
        }
        let snap = format!(
            "{name}__{}_{}",
            pair[0].trim_end_matches(".txt"),
            pair[1].trim_end_matches(".txt")
        );
        insta::assert_snapshot!(snap, report);
    }
}

/// One test per fixture case, so that one failure does not hide the others.
macro_rules! cases {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_case($name);
            }
        )*
        /// The cases that have a test.
        const CASES: &[&str] = &[$($name),*];
    };
}

cases! {
    boilerplate_appended => "boilerplate-appended",
    cjk_text => "cjk-text",
    control_chars => "control-chars",
    crlf_line_endings => "crlf-line-endings",
    curly_quotes => "curly-quotes",
    date_change => "date-change",
    dod_trilateral => "dod-trilateral",
    dropped_sentence => "dropped-sentence",
    earnings_release => "earnings-release",
    editor_pass => "editor-pass",
    empty_to_text => "empty-to-text",
    figures_revised => "figures-revised",
    flood_statement => "flood-statement",
    health_update => "health-update",
    korean_text => "korean-text",
    moved_paragraph => "moved-paragraph",
    moved_paragraph_edited => "moved-paragraph-edited",
    moved_sentence_edited => "moved-sentence-edited",
    news_update => "news-update",
    privacy_policy => "privacy-policy",
    quiet_correction => "quiet-correction",
    rtl_text => "rtl-text",
    softened_verb => "softened-verb",
    split_paragraph => "split-paragraph",
    terms_revision => "terms-revision",
    typo_fix => "typo-fix",
    unicode_punctuation => "unicode-punctuation",
    whitespace_reflow => "whitespace-reflow",
}

#[test]
fn every_fixture_case_has_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut found: Vec<String> = std::fs::read_dir(&root)
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(
        found, CASES,
        "add the new case to cases! in tests/snapshots.rs"
    );
}
