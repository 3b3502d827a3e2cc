//! Long runs in which no line is left unchanged: too large to align word by
//! word at once, they are cut into alike lines and diffed line by line; a
//! true rewrite stays one replacement.

mod common;

use common::Env;

const NOTE: &str = "changed too much to align word by word";

/// A price table of `rows` rows whose every row has a new date, and one row
/// dropped and one added on the way.
fn table(rows: usize) -> (String, String) {
    let mut old = String::from("| Item | Price | Updated |\n|---|---|---|\n");
    let mut new = old.clone();
    for i in 0..rows {
        let line = |month: u32| {
            format!(
                "| Product {i} | {}.99 | 2024-{month:02}-{:02} |\n",
                i * 3,
                i % 28 + 1
            )
        };
        old.push_str(&line(1));
        if i == rows / 2 {
            continue;
        }
        new.push_str(&line(2));
        if i == rows / 3 {
            new.push_str("| Gift card | 25.00 | 2024-02-01 |\n");
        }
    }
    (old, new)
}

#[test]
fn a_table_whose_every_row_changed_is_diffed_row_by_row() {
    let env = Env::new();
    let (old, new) = table(1500);
    let a = env.file("old.md", &old);
    let b = env.file("new.md", &new);
    let (a, b) = (a.to_str().expect("utf-8"), b.to_str().expect("utf-8"));
    let r = env.run(&[
        "diff",
        "--files",
        a,
        b,
        "--format",
        "plain",
        "--context",
        "0",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let out = r.out();
    assert!(
        !out.contains(NOTE),
        "shown as a replacement:\n{}",
        &out[..400]
    );
    assert!(out.contains("| Product 7 | 21.99 | [-2024-01-08-]{+2024-02-08+} |"));
    assert!(out.contains("[-| Product 750 | 2250.99 | 2024-01-23 |-]"));
    assert!(out.contains("{+| Gift card | 25.00 | 2024-02-01 |+}"));
    assert_eq!(
        out.matches("[-2024-01-").count(),
        1499,
        "one date per kept row"
    );

    // The JSON still rebuilds both texts.
    let r = env.run(&["diff", "--files", a, b, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&r.stdout).expect("json");
    let (mut o, mut n) = (String::new(), String::new());
    for op in json["ops"].as_array().expect("ops") {
        let text = op["text"].as_str().expect("text");
        match op["op"].as_str().expect("op") {
            "delete" => o.push_str(text),
            "insert" => n.push_str(text),
            _ => {
                o.push_str(text);
                n.push_str(text);
            }
        }
    }
    assert_eq!(o, old);
    assert_eq!(n, new);
}

#[test]
fn a_long_rewrite_stays_one_replacement() {
    let env = Env::new();
    let words = |seed: u64, prefix: &str| {
        let mut x = seed;
        let mut s = String::new();
        for i in 0..8000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s.push_str(&format!("{prefix}{} ", (x >> 40) % 500));
            if i % 12 == 11 {
                s.push_str("end.\n");
            }
        }
        s
    };
    let a = env.file("old.txt", words(1, "a"));
    let b = env.file("new.txt", words(2, "b"));
    let (a, b) = (a.to_str().expect("utf-8"), b.to_str().expect("utf-8"));
    let r = env.run(&["diff", "--files", a, b, "--format", "plain"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.out().contains(NOTE), "a rewrite is one replacement");
}
