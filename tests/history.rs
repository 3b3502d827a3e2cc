//! History questions on the CLI: restored revisions and published dates.
//! The chain in tests/history/ is built from a real DoD statement (see its
//! README).

mod common;

use common::Env;
use serde_json::Value;
use std::path::PathBuf;

fn version(n: u32) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/history")
        .join(format!("{n:02}.txt"))
}

const MESSAGES: [&str; 7] = [
    "first capture",
    "brutal -> illegal",
    "sentence added",
    "paragraph moved",
    "paragraph reflowed",
    "sentence dropped",
    "sentence back",
];

/// The seven revisions recorded a day apart, the first with a published date.
fn chain() -> Env {
    let env = Env::new();
    for n in 1..=7u32 {
        let path = version(n);
        let at = format!("2023-11-{:02}T10:00:00Z", 11 + n);
        let mut args = vec![
            "record",
            "dod",
            path.to_str().expect("path"),
            "--at",
            &at,
            "-m",
            MESSAGES[n as usize - 1],
        ];
        if n == 1 {
            args.extend(["--published", "2023-11-12T09:00:00-05:00"]);
        }
        env.ok(&args);
    }
    env
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).expect("JSON")
}

#[test]
fn restores_and_published_in_log_and_diff() {
    let env = chain();
    let log = json(&env.ok(&["log", "dod", "--json"]));
    let entries = log.as_array().expect("array");
    assert_eq!(entries[0]["rev"], 7);
    assert_eq!(entries[0]["restores"], 5);
    for e in &entries[1..] {
        assert_eq!(e["restores"], Value::Null, "{e}");
    }
    assert_eq!(entries[6]["published"], "2023-11-12T09:00:00-05:00");
    assert_eq!(entries[6]["time"], "2023-11-12T10:00:00Z");
    assert_eq!(entries[0]["published"], Value::Null);

    let human = env.ok(&["log", "dod"]);
    assert!(human.contains("restores @5"), "{human}");
    assert!(
        human.contains("published: 2023-11-12 14:00 +0000"),
        "{human}"
    );

    let r = env.run(&["diff", "dod@6", "dod@7", "--stat"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.out().contains("dod@7 ("), "{}", r.out());
    assert!(r
        .out()
        .lines()
        .nth(1)
        .is_some_and(|l| l.contains("restores @5")));

    // Recording the latest text again is unchanged, not a restore.
    let again = env.ok(&["record", "dod", version(7).to_str().expect("path")]);
    assert_eq!(again, "unchanged: dod@7\n");
    // Recording revision 2's text restores @2.
    env.ok(&["record", "dod", version(2).to_str().expect("path")]);
    let log = json(&env.ok(&["log", "dod", "--json", "-n", "1"]));
    assert_eq!(log[0]["restores"], 2);
}

#[test]
fn a_bad_published_time_is_refused() {
    let env = Env::new();
    let err = env.fails(&[
        "record",
        "dod",
        version(1).to_str().expect("path"),
        "--published",
        "last week",
    ]);
    assert!(err.contains("invalid time"), "{err}");
    assert!(!env.store().join("refs/heads/dod").exists());
}
