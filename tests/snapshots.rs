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

#[test]
fn every_fixture_pair_in_every_format() {
    let env = Env::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 11, "fixtures missing");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let readme = std::fs::read_to_string(case.join("README")).expect("every case has a README");
        assert!(
            !readme.lines().next().unwrap_or("").trim().is_empty(),
            "{name}: README first line"
        );
        let v = versions(&case);
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
                    for op in v["ops"].as_array().unwrap() {
                        let t = op["text"].as_str().unwrap();
                        match op["op"].as_str().unwrap() {
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
                        std::fs::read(case.join(&pair[0])).unwrap(),
                        "{name} old"
                    );
                    assert_eq!(
                        n.as_bytes(),
                        std::fs::read(case.join(&pair[1])).unwrap(),
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
}
