//! `diff` through the real binary: selectors, formats, colour choice, context.

mod common;
use common::Env;

fn store_with_three(env: &Env) {
    for (v, t) in [
        ("01", "2023-11-12T14:05:00Z"),
        ("02", "2023-11-13T09:30:00Z"),
        ("03", "2023-11-14T16:12:00Z"),
    ] {
        env.record_fixture("dod", "dod-trilateral", v, t);
    }
}

fn has_esc(s: &[u8]) -> bool {
    s.contains(&0x1b)
}

#[test]
fn one_argument_compares_with_the_predecessor() {
    let env = Env::new();
    store_with_three(&env);
    let r = env.run(&["diff", "dod"]);
    assert_eq!(r.code, 1);
    let out = r.out();
    assert!(out.starts_with("--- dod@2 ("), "{out}");
    assert!(
        out.contains("the two Ministers [-strongly-] condemned"),
        "{out}"
    );
    let r = env.run(&["diff", "dod@2"]);
    assert!(
        r.out().contains("November [-12-]{+13+}, 2023"),
        "{}",
        r.out()
    );
    // The first revision is compared with nothing: everything is added.
    let j: serde_json::Value =
        serde_json::from_slice(&env.run(&["diff", "dod@1", "--format", "json"]).stdout).unwrap();
    assert_eq!(j["stats"]["words_removed"], 0);
    assert!(j["stats"]["words_added"].as_u64().unwrap() > 500);
    assert_eq!(j["old"]["doc"], serde_json::Value::Null);
}

#[test]
fn two_arguments_in_order_and_across_documents() {
    let env = Env::new();
    store_with_three(&env);
    env.record_fixture("other", "softened-verb", "02", "2023-11-15T00:00:00Z");
    let out = env.run(&["diff", "dod@3", "dod@1"]).out();
    assert!(
        out.starts_with("--- dod@3") && out.contains("November [-13-]{+12+}"),
        "{out}"
    );
    assert!(out.contains("{+strongly+}"), "{out}");
    let j: serde_json::Value = serde_json::from_slice(
        &env.run(&["diff", "dod@1", "other", "--format", "json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(j["schema"], 1);
    assert_eq!(j["old"]["doc"], "dod");
    assert_eq!(j["new"]["doc"], "other");
    assert_eq!(j["new"]["rev"], 1);
    assert_eq!(j["old"]["time"], "2023-11-12T14:05:00Z");
    assert_eq!(j["new"]["id"].as_str().unwrap().len(), 40);
    let r = env.run(&["diff", "dod@1", "dod@1"]);
    assert_eq!(r.code, 0);
    assert!(r.out().contains("no differences"));
}

#[test]
fn stat_and_context() {
    let env = Env::new();
    store_with_three(&env);
    let out = env.run(&["diff", "dod@1", "dod@3", "--stat"]).out();
    assert!(
        out.ends_with("1 word added, 2 words removed, 569 words unchanged\n"),
        "{out}"
    );
    let j: serde_json::Value = serde_json::from_slice(
        &env.run(&["diff", "dod", "--stat", "--format", "json"])
            .stdout,
    )
    .unwrap();
    assert!(j.get("ops").is_none());
    assert_eq!(j["stats"]["words_removed"], 1);

    let all = env.run(&["diff", "dod", "--context", "all"]).out();
    assert!(!all.contains("unchanged paragraph"), "{all}");
    assert!(all.contains("News Search"));
    let none = env.run(&["diff", "dod", "--context", "0"]).out();
    assert!(none.contains("[... 4 unchanged paragraphs ...]"), "{none}");
    assert!(!none.contains("News Search"));
    let one = env.run(&["diff", "dod", "--context", "1"]).out();
    assert!(one.len() > none.len() && one.len() < all.len());
    let bad = env.run(&["diff", "dod", "--context", "some"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn colour_follows_flag_and_environment() {
    let env = Env::new();
    let a = env.file("a.txt", "one two three\n");
    let b = env.file("b.txt", "one 2 three\n");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let run = |extra: &[(&str, &str)], flags: &[&str]| {
        let mut c = env.command();
        for (k, v) in extra {
            c.env(k, v);
        }
        c.args(["diff", "--files", a, b]).args(flags);
        c.output().unwrap()
    };
    // Not a terminal: plain markers, no escape bytes.
    let o = run(&[], &[]);
    assert!(!has_esc(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).contains("[-two-]{+2+}"));
    assert!(has_esc(&run(&[], &["--color", "always"]).stdout));
    assert!(
        has_esc(&run(&[], &["--color=always"]).stdout),
        "flag after subcommand"
    );
    assert!(has_esc(&run(&[("CLICOLOR_FORCE", "1")], &[]).stdout));
    assert!(!has_esc(
        &run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]).stdout
    ));
    assert!(!has_esc(
        &run(&[("CLICOLOR_FORCE", "1"), ("CLICOLOR", "0")], &[]).stdout
    ));
    assert!(!has_esc(
        &run(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]).stdout
    ));
    assert!(!has_esc(
        &run(&[], &["--color", "always", "--format", "plain"]).stdout
    ));
    let json = run(&[], &["--color", "always", "--format", "json"]);
    assert!(!has_esc(&json.stdout));
    serde_json::from_slice::<serde_json::Value>(&json.stdout).unwrap();
}

#[test]
fn whitespace_only_and_line_ending_changes_are_reported_not_hidden() {
    let env = Env::new();
    let a = Env::fixture("crlf-line-endings", "01");
    let b = Env::fixture("crlf-line-endings", "02");
    let r = env.run(&["diff", "--files", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(r.code, 1, "the bytes differ");
    assert!(
        r.out()
            .contains("only whitespace or line breaks changed; no words changed"),
        "{}",
        r.out()
    );
    let a = Env::fixture("whitespace-reflow", "01");
    let b = Env::fixture("whitespace-reflow", "02");
    let j: serde_json::Value = serde_json::from_slice(
        &env.run(&[
            "diff",
            "--files",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(j["stats"]["words_added"], 0);
    assert_eq!(j["stats"]["words_removed"], 0);
}
