//! History questions on the CLI: restored revisions, published dates, blame
//! through replacements, insertions, moves, reflows and restores, and phrase
//! search periods. The chain in tests/history/ is built from a real DoD
//! statement (see its README).

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

/// The revision of the blame span holding `phrase` (all of it in one span).
fn blamed(spans: &[Value], phrase: &str) -> u64 {
    let hit = spans
        .iter()
        .find(|s| s["text"].as_str().is_some_and(|t| t.contains(phrase)))
        .unwrap_or_else(|| panic!("{phrase:?} not within one span: {spans:#?}"));
    hit["rev"].as_u64().expect("rev")
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

#[test]
fn blame_follows_replacements_moves_reflows_and_restores() {
    let env = chain();
    let out = env.ok(&["blame", "dod", "--format", "json"]);
    let v = json(&out);
    assert_eq!(v["schema"], 1);
    assert_eq!(v["doc"], "dod");
    assert_eq!(v["rev"], 7);
    let spans = v["spans"].as_array().expect("spans");
    let rebuilt: String = spans
        .iter()
        .map(|s| s["text"].as_str().expect("text"))
        .collect();
    assert_eq!(rebuilt, std::fs::read_to_string(version(7)).expect("read"));
    // A word replaced in @2 is @2's; the words around it stay @1's.
    assert_eq!(blamed(spans, "illegal"), 2);
    assert_eq!(blamed(spans, "unprovoked and "), 1);
    // A sentence added in @3.
    assert_eq!(
        blamed(
            spans,
            "The ministers agreed to meet again in Tokyo next year."
        ),
        3
    );
    // A paragraph moved in @4 keeps its words' revision.
    assert_eq!(
        blamed(
            spans,
            "Additionally, the Secretary and the two Ministers emphasized"
        ),
        1
    );
    // A paragraph re-wrapped in @5 keeps its words' revision.
    assert_eq!(
        blamed(spans, "The three leaders stressed the importance"),
        1
    );
    // Dropped in @6, back in @7, which restores @5: the sentence keeps @1.
    assert_eq!(
        blamed(spans, "strongly condemned the DPRK's space launch"),
        1
    );
    for s in spans {
        assert_eq!(s["id"].as_str().map(str::len), Some(40), "{s}");
        assert!(s["time"]
            .as_str()
            .is_some_and(|t| t.starts_with("2023-11-")));
    }

    // @6: the sentence is gone; an older revision is blamed as it was.
    let v6 = json(&env.ok(&["blame", "dod@6", "--format", "json"]));
    let text6: String = v6["spans"]
        .as_array()
        .expect("spans")
        .iter()
        .map(|s| s["text"].as_str().expect("text"))
        .collect();
    assert!(!text6.contains("strongly condemned"));
    let v2 = json(&env.ok(&["blame", "dod@2", "--format", "json"]));
    assert_eq!(blamed(v2["spans"].as_array().expect("spans"), "illegal"), 2);
}

#[test]
fn blame_since_marks_only_later_text() {
    let env = chain();
    let v = json(&env.ok(&["blame", "dod", "--since", "2", "--format", "json"]));
    let spans = v["spans"].as_array().expect("spans");
    let marked: Vec<u64> = spans.iter().filter_map(|s| s["rev"].as_u64()).collect();
    assert_eq!(marked, [3], "{spans:#?}");
    let old = spans
        .iter()
        .find(|s| s["text"].as_str().is_some_and(|t| t.contains("illegal")))
        .expect("span");
    assert_eq!(old["rev"], Value::Null);
    assert_eq!(old["id"], Value::Null);
}

#[test]
fn blame_plain_has_a_legend_margin_and_tags() {
    let env = chain();
    let out = env.ok(&["blame", "dod@3"]);
    assert!(
        out.starts_with("@1  2023-11-12 10:00 +0000  first capture\n@2  2023-11-13 10:00 +0000  brutal -> illegal\n@3  "),
        "{out}"
    );
    let line = out
        .lines()
        .find(|l| l.contains("Russia's unprovoked"))
        .expect("line");
    assert!(line.starts_with("@1,@2 │ "), "{line}");
    assert!(
        line.contains("unprovoked and [@2]illegal[@1] war"),
        "{line}"
    );
    assert!(!out.contains('\u{1b}'));
    // Colour when asked, and the same tags.
    let colour = env.ok(&["blame", "dod@3", "--format", "color"]);
    assert!(colour.contains('\u{1b}'));
    assert!(colour.contains("[@2]"));
}

#[test]
fn blame_errors_are_one_line() {
    let env = chain();
    let e = env.fails(&["blame", "nope"]);
    assert!(e.contains("no document named"), "{e}");
    let e = env.fails(&["blame", "dod@9"]);
    assert!(e.contains("dod"), "{e}");
    env.fails(&["blame", "dod", "--since", "x"]);
}

/// The `(from, to)` revision numbers of `doc`'s periods in search JSON.
fn periods(out: &str, doc: &str) -> Vec<(u64, Option<u64>)> {
    let v = json(out);
    let Some(entry) = v
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["doc"] == doc)
    else {
        return Vec::new();
    };
    entry["present"]
        .as_array()
        .expect("present")
        .iter()
        .map(|p| {
            (
                p["from"]["rev"].as_u64().expect("from"),
                p["to"]["rev"].as_u64(),
            )
        })
        .collect()
}

#[test]
fn search_finds_periods_including_a_phrase_that_comes_back() {
    let env = chain();
    let s = |args: &[&str]| {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.push("--json");
        env.ok(&all)
    };
    assert_eq!(
        periods(&s(&["strongly condemned the DPRK's"]), "dod"),
        [(1, Some(6)), (7, None)]
    );
    assert_eq!(periods(&s(&["brutal war"]), "dod"), [(1, Some(2))]);
    assert_eq!(periods(&s(&["illegal war", "dod"]), "dod"), [(2, None)]);
    // Re-wrapped in @5 onto two lines: whitespace matches the line break.
    let wrapped = std::fs::read_to_string(version(5)).expect("read");
    assert!(wrapped.contains("rules-based\ninternational") || wrapped.contains("the\nrules-based"));
    assert_eq!(
        periods(
            &s(&["stressed the importance of the rules-based international order"]),
            "dod"
        ),
        [(1, None)]
    );
    // Case and typography.
    assert_eq!(periods(&s(&["STRONGLY condemned"]), "dod"), []);
    assert_eq!(
        periods(&s(&["STRONGLY condemned", "-i"]), "dod"),
        [(1, Some(6)), (7, None)]
    );
    assert_eq!(periods(&s(&["People\u{2019}s Republic"]), "dod"), []);
    assert_eq!(
        periods(&s(&["People\u{2019}s Republic", "--normalize"]), "dod"),
        [(1, None)]
    );
    assert_eq!(
        periods(&s(&[r"(brutal|illegal)\s+war", "--regex"]), "dod"),
        [(1, None)]
    );
    assert_eq!(
        periods(&s(&[r"STRONGLY\s+condemned", "--regex", "-i"]), "dod"),
        [(1, Some(6)), (7, None)]
    );
    let e = env.fails(&["search", "(unclosed", "--regex"]);
    assert!(e.contains("invalid regular expression"), "{e}");
    let v = json(&s(&["brutal war"]));
    let p = &v[0]["present"][0];
    assert_eq!(p["from"]["time"], "2023-11-12T10:00:00Z");
    assert_eq!(p["to"]["id"].as_str().map(str::len), Some(40));
}

#[test]
fn search_human_output_and_documents() {
    let env = chain();
    let r = env.run_stdin(
        &["record", "other", "-", "--at", "2024-01-01T00:00:00Z"],
        Some(b"Another statement.\n"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = env.ok(&["search", "strongly condemned"]);
    assert_eq!(
        out,
        "dod  present from @1 (2023-11-12 10:00 +0000), gone at @6 (2023-11-17 10:00 +0000)\n\
         dod  present from @7 (2023-11-18 10:00 +0000), still present\n"
    );
    let out = env.ok(&["search", "strongly condemned", "other"]);
    assert_eq!(out, "other  never present\n");
    let out = env.ok(&["search", "no such words anywhere"]);
    assert_eq!(out, "not found in any revision\n");
    let e = env.fails(&["search", "  ", "dod"]);
    assert!(e.contains("no words"), "{e}");
    env.fails(&["search", "x", "Bad Id"]);
    env.fails(&["search", "x", "missing"]);
}
