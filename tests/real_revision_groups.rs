//! Change groups on real revisions (issue 12): what a reader sees as one
//! edit is shown as one, through the real binary on pairs of
//! tests/real-revisions.

mod common;
use common::Env;

use std::path::PathBuf;

fn pair(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/real-revisions")
        .join(name);
    (dir.join("old.md"), dir.join("new.md"))
}

/// `redliner diff --files OLD NEW` with `args`; stdout as text.
fn diff(name: &str, args: &[&str]) -> String {
    let (o, n) = pair(name);
    let env = Env::new();
    let mut all = vec![
        "diff",
        "--files",
        o.to_str().expect("UTF-8 path"),
        n.to_str().expect("UTF-8 path"),
    ];
    all.extend_from_slice(args);
    let r = env.run(&all);
    assert_eq!(r.code, 1, "{name}: {}", r.stderr);
    r.out()
}

/// The (op, text) of the JSON ops carrying each `renumbered` run id.
fn renumbered_runs(name: &str) -> Vec<Vec<(String, String)>> {
    let json: serde_json::Value =
        serde_json::from_str(&diff(name, &["--format", "json"])).expect("JSON");
    let mut runs: Vec<Vec<(String, String)>> = Vec::new();
    for op in json["ops"].as_array().expect("ops") {
        if let Some(id) = op.get("renumbered").and_then(serde_json::Value::as_u64) {
            let id = usize::try_from(id).expect("small id");
            assert!(id >= 1 && id <= runs.len() + 1, "run ids go up by one");
            if id > runs.len() {
                runs.push(Vec::new());
            }
            runs[id - 1].push((
                op["op"].as_str().expect("op").to_string(),
                op["text"].as_str().expect("text").to_string(),
            ));
        }
    }
    runs
}

#[test]
fn an_inserted_section_is_whole_and_the_sections_after_it_renumbered_once() {
    // 032: a section 5 was inserted; sections 5 to 9 became 6 to 10. The
    // insertion opens with its own heading (not slid onto the old
    // `### 5\.`), and the renumbering is one summed-up change.
    let name = "032-binance-terms-of-service";
    let out = diff(name, &["--format", "plain", "--context", "0"]);
    assert!(out.contains("\n{+### 5\\. Options Trading+}\n"), "{out}");
    assert!(
        out.contains("\n[5 section numbers changed: 5\\. \u{2192} 6\\. \u{2026}]\n### 6\\. Margins Trading\n"),
        "{out}"
    );
    for (a, b) in [(5, 6), (6, 7), (7, 8), (8, 9), (9, 10)] {
        assert!(!out.contains(&format!("[-{a}-]{{+{b}+}}")), "{out}");
    }
    let runs = renumbered_runs(name);
    assert_eq!(runs.len(), 1, "{runs:?}");
    let texts: Vec<&str> = runs[0].iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(texts, ["5", "6", "6", "7", "7", "8", "8", "9", "9", "10"]);
    // With the whole text shown, every renumbered heading reads with its
    // new number.
    let all = diff(name, &["--format", "plain", "--context", "all"]);
    for h in [
        "### 8\\. Binance Savings",
        "### 9\\. Staking",
        "### 10\\. Binance POS",
    ] {
        assert!(all.contains(h), "{h}");
    }
}

#[test]
fn an_inserted_section_does_not_retitle_the_heading_before_it() {
    // 033: section 17 (South Korea) was inserted before Turnstile, which
    // became 18. It used to read `### 17\. {+SOUTH KOREA ...+}` and
    // `{+### 18\.+} TURNSTILE`, as if section 17 had been retitled.
    let name = "033-cloudflare-privacy-policy";
    let out = diff(name, &["--format", "plain", "--context", "0"]);
    assert!(
        out.contains("\n{+### 17\\. SOUTH KOREA PRIVACY ADDENDUM+}\n"),
        "{out}"
    );
    assert!(
        out.contains("\n### [-17-]{+18+}\\. TURNSTILE PRIVACY ADDENDUM\n"),
        "{out}"
    );
    assert!(
        out.contains("\n### [-18-]{+19+}\\. CONTACT INFORMATION\n"),
        "{out}"
    );
    assert!(!out.contains("{+### 18"), "{out}");
}

#[test]
fn dotted_section_numbers_renumbered_in_one_shift_are_one_change() {
    // 031: 16.1 .. 16.6 became 1\. .. 6\. (the last component is kept).
    let name = "031-roblox-privacy-policy";
    let out = diff(name, &["--format", "plain", "--context", "0"]);
    assert!(
        out.contains(
            "\n[6 section numbers changed: 16.1. \u{2192} 1\\. \u{2026}]\n1\\. In the course"
        ),
        "{out}"
    );
    assert!(!out.contains("[-16."), "{out}");
    let runs = renumbered_runs(name);
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].len(), 12);
    assert_eq!(runs[0][0], ("delete".to_string(), "16.1".to_string()));
}

#[test]
fn section_numbers_changed_without_one_shift_stay_item_by_item() {
    let env = Env::new();
    let old = env.file(
        "old.md",
        "### 3\\. Fees\n\nA.\n\n### 4\\. Terms\n\nB.\n\n### 5\\. Law\n\nC.\n",
    );
    let new = env.file(
        "new.md",
        "### 4\\. Fees\n\nA.\n\n### 9\\. Terms\n\nB.\n\n### 6\\. Law\n\nC.\n",
    );
    let r = env.run(&[
        "diff",
        "--files",
        old.to_str().expect("UTF-8 path"),
        new.to_str().expect("UTF-8 path"),
        "--format",
        "plain",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let out = r.out();
    assert!(!out.contains("changed:"), "{out}");
    for (a, b) in [(3, 4), (4, 9), (5, 6)] {
        assert!(out.contains(&format!("[-{a}-]{{+{b}+}}")), "{out}");
    }
    // The same three headings shifted by one are one summed-up change.
    let shifted = env.file(
        "shifted.md",
        "### 4\\. Fees\n\nA.\n\n### 5\\. Terms\n\nB.\n\n### 6\\. Law\n\nC.\n",
    );
    let r = env.run(&[
        "diff",
        "--files",
        old.to_str().expect("UTF-8 path"),
        shifted.to_str().expect("UTF-8 path"),
        "--format",
        "plain",
    ]);
    let out = r.out();
    assert!(
        out.contains("\n[3 section numbers changed: 3\\. \u{2192} 4\\. \u{2026}]\n### 4\\. Fees\n\nA.\n\n### 5\\. Terms\n"),
        "{out}"
    );
    assert!(!out.contains("[-"), "{out}");
}

#[test]
fn a_section_moved_whole_is_one_move_with_its_heading() {
    // 028: the section "Who we are" (a setext heading and its paragraph)
    // moved to the top. The heading is too short to be a move of its own;
    // it travelled with the paragraph, so it is part of the move.
    let name = "028-discord-terms-of-service";
    let out = diff(name, &["--format", "plain", "--context", "0"]);
    assert!(
        out.contains("[#1 moved here \u{2193} from below] Who we are\n----------\n"),
        "{out}"
    );
    // The stub names the heading, on one line.
    assert!(
        out.contains("\n[moved #1 \u{2191} above: Who we are\u{2026}]\n"),
        "{out}"
    );
    assert!(!out.contains("[-Who we are-]"), "{out}");
    assert!(!out.contains("{+Who we are+}"), "{out}");
    assert!(!out.contains("#2"), "one move: {out}");
    let json: serde_json::Value =
        serde_json::from_str(&diff(name, &["--format", "json"])).expect("JSON");
    let changed: Vec<&serde_json::Value> = json["ops"]
        .as_array()
        .expect("ops")
        .iter()
        .filter(|op| op["op"] != "equal" && !op["text"].as_str().expect("text").trim().is_empty())
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    for op in changed {
        assert_eq!(op["move"], 1, "{op}");
        assert!(op["text"]
            .as_str()
            .expect("text")
            .starts_with("Who we are\n----------\n\nWe provide services"));
    }
}

#[test]
fn a_resorted_list_of_links_is_whole_items_moved_and_inserted() {
    // 030: a list of cookie partners was sorted and two were added. The
    // diff used to keep each item's `* [` and cut across items
    // (`* [[-Twitter](…)¶* [Pinterest](…-]{+Bing](…)¶* [Facebook](…+})`),
    // which reads as if Twitter had been replaced by Bing.
    let name = "030-snapchat-trackers-policy";
    let json: serde_json::Value =
        serde_json::from_str(&diff(name, &["--format", "json"])).expect("JSON");
    let ops = json["ops"].as_array().expect("ops");
    let mut moved: Vec<(String, String)> = Vec::new();
    let mut changed: Vec<(String, String)> = Vec::new();
    for op in ops.iter().filter(|op| op["op"] != "equal") {
        let text = op["text"].as_str().expect("text").trim().to_string();
        if text.is_empty() {
            continue;
        }
        // Every change is whole list items.
        assert!(text.starts_with("* ["), "{op}");
        assert!(text.ends_with(')'), "{op}");
        let side = op["op"].as_str().expect("op").to_string();
        if op.get("move").is_some() {
            moved.push((side, text));
        } else {
            changed.push((side, text));
        }
    }
    let names = |list: &[(String, String)], side: &str| -> Vec<String> {
        let mut v: Vec<String> = list
            .iter()
            .filter(|(s, _)| s == side)
            .flat_map(|(_, t)| t.lines().map(str::trim).filter(|l| !l.is_empty()))
            .map(|l| l[3..l.find(']').expect("link")].to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        names(&moved, "delete"),
        ["Bing", "Facebook", "Pinterest", "Twitter"]
    );
    assert_eq!(
        names(&moved, "insert"),
        ["Bing", "Facebook", "Pinterest", "Twitter"]
    );
    assert_eq!(names(&changed, "delete"), Vec::<String>::new());
    assert_eq!(names(&changed, "insert"), ["PayPal", "Reddit"]);
    // A stub is a line of its own, even with a change right after it; it
    // quotes these short items whole, so it ends without an ellipsis.
    let out = diff(name, &["--format", "plain", "--context", "0"]);
    assert!(
        out.contains("\n[moved #2 \u{2193} below: * [Pinterest](https://policy.pinterest.com/cookies)]\n[#3 moved here \u{2193} from below] * [Bing]("),
        "{out}"
    );
    assert!(
        out.contains("\n[moved #4 \u{2191} above: * [Facebook](https://www.facebook.com/policies/cookies/)]\n{+* [PayPal]("),
        "{out}"
    );
    assert!(!out.contains('\u{2026}'), "{out}");
}

#[test]
fn a_moved_passage_that_opens_a_line_opens_one_after_a_change() {
    // 043: a bullet inserted right before the place a bullet moved to. The
    // moved bullet opens a line in the new text, so its marker does too,
    // instead of reading as part of the inserted bullet's line. (029 had
    // this after a deleted bullet, until that bullet became part of its
    // section's move.)
    let out = diff(
        "043-airbnb-terms-of-service",
        &["--format", "plain", "--context", "0"],
    );
    assert!(
        out.contains(
            "Reviews, or other Content;+}\n[#8 moved here \u{2193} from below] *   cancel"
        ),
        "{out}"
    );
    // The same in HTML, where the text keeps its line breaks (pre-wrap).
    let html = diff("043-airbnb-terms-of-service", &["--format", "html"]);
    assert!(
        html.contains("Reviews, or other Content;</ins><span class=\"sr\">]</span>\n<a class=\"moved-to\" id=\"move-8-to\""),
        "{html}"
    );
    // 029 moves six sections.
    let out = diff(
        "029-google-my-business-terms-of-service",
        &["--format", "plain", "--context", "0"],
    );
    assert_eq!(out.matches(" moved here ").count(), 6, "{out}");
    // Every marker of a moved setext heading starts its line.
    let lines: Vec<&str> = out.lines().collect();
    for w in lines.windows(2) {
        if w[0].contains(" moved here ") && (w[1].starts_with("---") || w[1].starts_with("===")) {
            assert!(w[0].starts_with("[#"), "{}", w[0]);
        }
    }
}
