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
        out.contains("\n1 word added, 2 words removed, 569 words unchanged\n"),
        "{out}"
    );
    // Changes by kind, and wdiff's statistics for each side.
    assert!(
        out.contains("\nchanges by kind: words 1, number 1\n"),
        "{out}"
    );
    assert!(
        out.contains("\nold: 571 words  569 99% common  1 0% deleted  1 0% changed\n"),
        "{out}"
    );
    assert!(
        out.ends_with("\nnew: 570 words  569 99% common  0 0% inserted  1 0% changed\n"),
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
    assert!(none.contains("[... 5 unchanged paragraphs ...]"), "{none}");
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
            .contains("only line endings changed; no words changed"),
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

fn files(env: &Env, a: &str, b: &str, flags: &[&str]) -> common::Run {
    let pa = env.file("old.txt", a);
    let pb = env.file("new.txt", b);
    let mut args = vec![
        "diff",
        "--files",
        pa.to_str().unwrap(),
        pb.to_str().unwrap(),
    ];
    args.extend_from_slice(flags);
    env.run(&args)
}

fn json_of(r: &common::Run) -> serde_json::Value {
    serde_json::from_slice(&r.stdout).expect("json")
}

#[test]
fn changes_carry_kinds_and_can_be_filtered() {
    let env = Env::new();
    let a = "The Ministers met on November 12, 2023. They \"strongly\" condemned the launch; it was wrong.\n";
    let b = "the Ministers met on November 13, 2023. They \u{201c}strongly\u{201d} condemned the launch, it was unlawful.\n";
    let j = json_of(&files(&env, a, b, &["--format", "json"]));
    let c = &j["changes"];
    assert_eq!(c["case"], 1, "{c}");
    assert_eq!(c["number"], 1, "{c}");
    assert_eq!(c["typography"], 2, "{c}");
    assert_eq!(c["punctuation"], 1, "{c}");
    assert_eq!(c["words"], 1, "{c}");
    for op in j["ops"].as_array().unwrap() {
        let has_kind = op.get("kind").is_some();
        assert_eq!(has_kind, op["op"] != "equal", "{op}");
    }
    let plain = files(&env, a, b, &["--hide", "typography,case,punctuation"]);
    assert_eq!(plain.code, 1);
    let out = plain.out();
    assert!(
        out.contains("November [-12-]{+13+}") && out.contains("[-wrong-]{+unlawful+}"),
        "{out}"
    );
    assert!(!out.contains("[-The-]") && !out.contains("[-\"-]"), "{out}");
    assert!(
        out.contains("the Ministers") && out.contains("\u{201c}strongly\u{201d}"),
        "hidden changes show the new text: {out}"
    );
    let only = files(&env, a, b, &["--only", "number"]).out();
    assert!(
        only.contains("[-12-]{+13+}") && !only.contains("unlawful+}"),
        "{only}"
    );
    // Hidden ops are marked in JSON, which still reconstructs both texts.
    let j = json_of(&files(&env, a, b, &["--format", "json", "--ignore-case"]));
    let hidden: Vec<&serde_json::Value> = j["ops"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["hidden"] == true)
        .collect();
    assert_eq!(hidden.len(), 2, "the case change's delete and insert");
    let bad = files(&env, a, b, &["--hide", "colour"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn only_hidden_changes_exit_zero() {
    let env = Env::new();
    let r = files(
        &env,
        "The \"quoted\" word.\n",
        "the \u{201c}quoted\u{201d} word.\n",
        &["--ignore-case", "--normalize"],
    );
    assert_eq!(r.code, 0, "{}", r.out());
    assert!(
        r.out()
            .contains("no changes shown; hidden: typography 2, case 1"),
        "{}",
        r.out()
    );
    let r = files(
        &env,
        "The \"quoted\" word.\n",
        "the \u{201c}quoted\u{201d} word.\n",
        &["--ignore-case"],
    );
    assert_eq!(r.code, 1);
}

#[test]
fn line_endings_bom_and_unicode_normalisation_are_reported_in_one_line() {
    let env = Env::new();
    let cases = [
        ("a b\nc\n", "a b\r\nc\r\n", "only line endings changed; no words changed"),
        ("Text.\n", "\u{feff}Text.\n", "only byte-order mark changed; no words changed"),
        ("caf\u{e9}\n", "cafe\u{301}\n", "only Unicode normalization (NFC/NFD) changed; no words changed"),
        ("caf\u{e9}\n", "\u{feff}cafe\u{301}\r\n", "only line endings and byte-order mark and Unicode normalization (NFC/NFD) changed; no words changed"),
    ];
    for (a, b, line) in cases {
        let r = files(&env, a, b, &[]);
        assert_eq!(r.code, 1, "{a:?} -> {b:?}: the bytes differ");
        let out = r.out();
        assert_eq!(out.lines().count(), 3, "{out}");
        assert!(out.ends_with(&format!("{line}\n")), "{a:?} -> {b:?}: {out}");
        let j = json_of(&files(&env, a, b, &["--format", "json"]));
        assert!(j["only"].is_array(), "{j}");
    }
}

#[test]
fn paragraph_splits_and_merges_show_the_break() {
    let env = Env::new();
    let one = "First sentence here. Second sentence there.\n\nLast paragraph.\n";
    let two = "First sentence here.\n\nSecond sentence there.\n\nLast paragraph.\n";
    let r = files(&env, one, two, &["--context", "all"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.out().lines().skip(2).collect::<Vec<_>>().join("\n"),
        "First sentence here.{+\u{b6}+}\n\nSecond sentence there.\n\nLast paragraph."
    );
    let r = files(
        &env,
        two,
        one.replace("Second", "Another").as_str(),
        &["--context", "all"],
    );
    let out = r.out();
    assert!(
        out.contains("First sentence here.[-\u{b6}-] [-Second-]{+Another+} sentence there."),
        "{out}"
    );
    let j = json_of(&files(&env, one, two, &["--format", "json"]));
    assert_eq!(j["changes"]["whitespace"], 1);
    assert_eq!(j["stats"]["words_added"], 0);
    // The mark sits at the break, not at the start of the change.
    let r = files(
        &env,
        "The office is in Rome and it opens every day of the week.\n\nLast paragraph.\n",
        "The office is in Milan now.\n\nIt opens every day of the week.\n\nLast paragraph.\n",
        &["--context", "all"],
    );
    assert_eq!(
        r.out().lines().skip(2).collect::<Vec<_>>().join("\n"),
        "The office is in [-Rome and-]{+Milan now.+}{+\u{b6}+}\n\n[-it-]{+It+} opens every day of the week.\n\nLast paragraph."
    );
}

/// A paragraph added after the last one, or dropped from the end, is a
/// block of its own: `--context 0` shows it alone, `--context 1` with the
/// one paragraph before it, whether the text ended with a line feed or not.
#[test]
fn a_last_paragraph_added_or_dropped_is_shown_alone_without_context() {
    let env = Env::new();
    for end in ["", "\n"] {
        let short = format!("First one two.\n\nSecond three four.{end}");
        let long = format!("First one two.\n\nSecond three four.\n\nThird five six.{end}");
        let body = |r: common::Run| r.out().lines().skip(2).collect::<Vec<_>>().join("\n");
        assert_eq!(
            body(files(&env, &short, &long, &["--context", "0"])),
            "[... 2 unchanged paragraphs ...]\n\n{+Third five six.+}",
            "{end:?}"
        );
        assert_eq!(
            body(files(&env, &long, &short, &["--context", "0"])),
            "[... 2 unchanged paragraphs ...]\n\n[-Third five six.-]",
            "{end:?}"
        );
        assert_eq!(
            body(files(&env, &short, &long, &["--context", "1"])),
            "[... 1 unchanged paragraph ...]\n\nSecond three four.\n\n{+Third five six.+}",
            "{end:?}"
        );
    }
}

#[test]
fn a_requoted_word_beside_an_insertion_is_its_own_change() {
    // The closing quote became curly and a sentence was added right after
    // it: two changes, so hiding typography leaves the sentence alone.
    let env = Env::new();
    let a = "He called her \"the most radical nominee.\"\n";
    let b = "He called her \"the most radical nominee.\u{201d} Two senators voted for her.\n";
    let body = |r: common::Run| r.out().lines().skip(2).collect::<Vec<_>>().join("\n");
    assert_eq!(
        body(files(&env, a, b, &[])),
        "He called her \"the most radical nominee.[-\"-]{+\u{201d}+} {+Two senators voted for her.+}"
    );
    assert_eq!(
        body(files(&env, a, b, &["--hide", "typography"])),
        "He called her \"the most radical nominee.\u{201d} {+Two senators voted for her.+}"
    );
    let kinds: Vec<String> = json_of(&files(&env, a, b, &["--format", "json"]))["ops"]
        .as_array()
        .expect("ops")
        .iter()
        .filter_map(|o| o["kind"].as_str().map(String::from))
        .collect();
    assert_eq!(kinds, ["typography", "typography", "words"]);
}

#[test]
fn a_space_removed_with_a_word_is_shown_removed() {
    // "Cumbria and Lancashire" -> "Cumbria, Lancashire": the space before
    // "and" goes with it, so it is inside the marker; each side then reads
    // right (not "Cumbriaand" nor "Cumbria ,").
    let env = Env::new();
    let a = "Flooding across Cumbria and Lancashire this weekend.\n";
    let b = "Flooding across Cumbria, Lancashire this weekend.\n";
    let body = |r: common::Run| r.out().lines().skip(2).collect::<Vec<_>>().join("\n");
    assert_eq!(
        body(files(&env, a, b, &[])),
        "Flooding across Cumbria[- and-]{+,+} Lancashire this weekend."
    );
    assert_eq!(
        body(files(&env, a, b, &["--no-inserted"])),
        "Flooding across Cumbria[- and-] Lancashire this weekend."
    );
    // The other way round, the space is the inserted text's.
    assert_eq!(
        body(files(&env, b, a, &[])),
        "Flooding across Cumbria[-,-]{+ and+} Lancashire this weekend."
    );
    assert_eq!(
        body(files(&env, b, a, &["--no-deleted"])),
        "Flooding across Cumbria{+ and+} Lancashire this weekend."
    );
    // A space before both sides is shared, outside the markers.
    let c = "Flooding across Cumbria or Lancashire this weekend.\n";
    assert_eq!(
        body(files(&env, a, c, &[])),
        "Flooding across Cumbria [-and-]{+or+} Lancashire this weekend."
    );
}

#[test]
fn wdiff_habits() {
    let env = Env::new();
    let a = "Line one stays.\nThe old word here.\nLine three stays.\nLine four stays.\nAnother old bit.\n";
    let b = "Line one stays.\nThe new word here.\nLine three stays.\nLine four stays.\nAnother new bit.\n";
    let body = |r: common::Run| r.out().lines().skip(2).collect::<Vec<_>>().join("\n");
    let out = body(files(&env, a, b, &["--no-deleted", "--context", "all"]));
    assert!(
        out.contains("The {+new+} word") && !out.contains("old"),
        "{out}"
    );
    let out = body(files(&env, a, b, &["--no-inserted", "--context", "all"]));
    assert!(
        out.contains("The [-old-] word") && !out.contains("new"),
        "{out}"
    );
    let out = files(&env, a, b, &["--changes-only"]).out();
    let body: Vec<&str> = out.lines().skip(2).collect();
    assert_eq!(
        body,
        vec![
            "[... 1 unchanged line ...]",
            "The [-old-]{+new+} word here.",
            "[... 2 unchanged lines ...]",
            "Another [-old-]{+new+} bit."
        ]
    );
}

#[test]
fn moved_paragraphs_are_moves_with_their_edits() {
    let env = Env::new();
    let a = Env::fixture("moved-paragraph-edited", "01");
    let b = Env::fixture("moved-paragraph-edited", "02");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let j: serde_json::Value = serde_json::from_slice(
        &env.run(&["diff", "--files", a, b, "--format", "json"])
            .stdout,
    )
    .unwrap();
    let moves = j["moves"].as_array().unwrap();
    assert_eq!(moves.len(), 1);
    assert_eq!(moves[0]["id"], 1);
    // The paragraph breaks that went with the passage are part of the move,
    // not whitespace changes of their own.
    assert_eq!(j["changes"], serde_json::json!({"moved": 1}));
    let inner: Vec<(String, String)> = moves[0]["ops"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["op"] != "equal")
        .map(|o| {
            (
                o["op"].as_str().unwrap().to_string(),
                o["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        inner,
        vec![
            ("delete".to_string(), "dangerous".to_string()),
            ("insert".to_string(), "unsafe".to_string())
        ]
    );
    let tagged: Vec<&serde_json::Value> = j["ops"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["move"] == 1)
        .collect();
    assert_eq!(tagged.len(), 2);
    assert_eq!(tagged[0]["op"], "delete");
    assert_eq!(tagged[1]["op"], "insert");
    assert!(tagged[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Additionally, the Secretary"));
    assert_eq!(j["changes"]["moved"], 1);
    assert_eq!(j["stats"]["words_added"], 1);
    assert_eq!(j["stats"]["words_removed"], 1);

    let out = env.run(&["diff", "--files", a, b, "--context", "0"]).out();
    assert!(out.contains("[moved #1 \u{2193} below: Additionally, the Secretary and the two Ministers emphasized\u{2026}]"), "{out}");
    assert!(
        out.contains("[#1 moved here \u{2191} from above] Additionally,"),
        "{out}"
    );
    assert!(
        out.contains("condemned recent [-dangerous-]{+unsafe+} activities"),
        "{out}"
    );
    // --no-moves: a deletion and an insertion.
    let j: serde_json::Value = serde_json::from_slice(
        &env.run(&["diff", "--files", a, b, "--format", "json", "--no-moves"])
            .stdout,
    )
    .unwrap();
    assert!(j["moves"].as_array().unwrap().is_empty());
}

#[test]
fn a_passage_larger_than_the_output_buffer_is_marked_line_by_line() {
    // Several hundred KiB inserted (with CRLF line ends and multi-byte
    // characters), then deleted: written in parts, each of its lines comes
    // out inside one pair of markers, with nothing escaped or lost.
    let env = Env::new();
    let big: String = (0..8000)
        .map(|i| format!("Paragraph {i} adds a clause, déjà vu.\r\n"))
        .collect();
    let (a, b) = ("Intro.\n\n", format!("Intro.\n\n{big}end"));
    for (old, new, open, close) in [(a, b.as_str(), "{+", "+}"), (b.as_str(), a, "[-", "-]")] {
        let r = files(&env, old, new, &["--context", "all"]);
        assert_eq!(r.code, 1);
        let out = r.out();
        assert!(out.len() > 4 * 64 * 1024);
        assert_eq!(out.matches(open).count(), 8001, "{open}");
        assert_eq!(out.matches(close).count(), 8001, "{close}");
        for line in out.lines().skip(4).take(8000) {
            assert!(line.starts_with(open) && line.ends_with(close), "{line:?}");
        }
        assert!(
            !out.contains("\\x0d"),
            "a CRLF was cut into a visible lone CR"
        );
        assert!(out.replace(open, "").replace(close, "").contains(&big));
    }
}

#[test]
fn markdown_syntax_changes_are_markup_and_can_be_hidden() {
    let env = Env::new();
    let a = "Terms\n=====\n\nWe **never** sell data.\n\n* First item here.\n* Second item here.\n";
    let b = "Terms\n======\n\nWe never sell data.\n\n1. First item here.\n2. Second item here.\n";
    let j = json_of(&files(&env, a, b, &["--format", "json"]));
    assert_eq!(j["changes"]["markup"], 5, "{j}");
    assert!(j["changes"].get("words").is_none(), "{j}");
    let hidden = files(&env, a, b, &["--hide", "markup"]);
    assert_eq!(hidden.code, 0);
    assert!(
        hidden.out().contains("no changes shown; hidden: markup 5"),
        "{}",
        hidden.out()
    );
    let shown = files(&env, a, b, &["--format", "plain", "--context", "all"]).out();
    assert!(shown.contains("[-\"=====\"-]{+\"======\"+}"), "{shown}");
    assert!(shown.contains("[-*-]{+1.+} First"), "{shown}");
}

#[test]
fn a_run_of_changed_list_markers_is_summed_up_in_one_line() {
    let env = Env::new();
    let old = "Intro.\n\n* Apples are red\n* Pears are green\n* Plums are blue\n* Figs are brown\n\nEnd.\n";
    let new = "Intro.\n\n1. Apples are red\n2. Pears are green\n3. Plums are blue\n4. Figs are brown\n\nEnd.\n";
    let r = files(&env, old, new, &["--context", "all"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.out().lines().skip(2).collect::<Vec<_>>().join("\n"),
        "Intro.\n\n[4 list markers changed: * \u{2192} 1. \u{2026}]\n1. Apples are red\n2. Pears are green\n3. Plums are blue\n4. Figs are brown\n\nEnd."
    );
    // Two changed markers are marked where they are; the JSON keeps every
    // change either way.
    let two = "Intro.\n\n1. Apples are red\n2. Pears are green\n* Plums are blue\n* Figs are brown\n\nEnd.\n";
    let out = files(&env, old, two, &["--context", "all"]).out();
    assert!(out.contains("[-*-]{+1.+} Apples"), "{out}");
    let j = json_of(&files(&env, old, new, &["--format", "json"]));
    assert_eq!(j["changes"]["markup"], 4, "{j}");
    // Hidden with --hide markup: no summary, the new markers as text.
    let out = files(&env, old, new, &["--context", "all", "--hide", "markup"]).out();
    assert!(!out.contains("list markers"), "{out}");
}
