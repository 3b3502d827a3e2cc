mod common;
use common::Env;

#[test]
fn record_log_list_show_round_trip() {
    let env = Env::new();
    let out = env.record_fixture("dod", "dod-trilateral", "01", "2023-11-12T14:05:00Z");
    assert!(out.starts_with("recorded dod@1 ("), "{out}");
    assert!(out.trim_end().ends_with("words"), "{out}");
    let out = env.record_fixture("dod", "dod-trilateral", "02", "2023-11-13T09:30:00+09:00");
    assert!(
        out.starts_with("recorded dod@2 (") && out.contains(": +1 -1 words"),
        "{out}"
    );

    // The same bytes again record nothing.
    let out = env.record_fixture("dod", "dod-trilateral", "02", "2023-11-14T00:00:00Z");
    assert_eq!(out, "unchanged: dod@2\n");

    let log = env.ok(&["log", "dod"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].starts_with("@2  ") && lines[0].contains("2023-11-13 00:30 +0000"),
        "{log}"
    );
    assert!(
        lines[1].starts_with("@1  ") && lines[1].contains("2023-11-12 14:05 +0000"),
        "{log}"
    );

    let json: serde_json::Value = serde_json::from_str(&env.ok(&["log", "dod", "--json"])).unwrap();
    assert_eq!(json[0]["rev"], 2);
    assert_eq!(json[0]["time"], "2023-11-13T09:30:00+09:00");
    assert_eq!(json[0]["added"], 1);
    assert_eq!(json[0]["removed"], 1);
    assert_eq!(json[1]["source"], serde_json::Value::Null);
    assert_eq!(json.as_array().unwrap().len(), 2);
    let one: serde_json::Value =
        serde_json::from_str(&env.ok(&["log", "dod", "--json", "-n", "1"])).unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1);

    let list: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(list[0]["doc"], "dod");
    assert_eq!(list[0]["revisions"], 2);
    assert_eq!(list[0]["latest_time"], "2023-11-13T09:30:00+09:00");

    for (sel, version) in [
        ("dod@1", "01"),
        ("dod", "02"),
        ("dod@latest", "02"),
        ("dod@~1", "01"),
        ("dod@2023-11-12", "01"),
    ] {
        let r = env.run(&["show", sel]);
        assert_eq!(r.code, 0, "{sel}: {}", r.stderr);
        assert_eq!(
            r.stdout,
            std::fs::read(Env::fixture("dod-trilateral", version)).unwrap(),
            "{sel}"
        );
    }
    // A commit id prefix selects the revision too.
    let id = json[1]["id"].as_str().unwrap();
    let r = env.run(&["show", &format!("dod@{}", &id[..8])]);
    assert_eq!(
        r.stdout,
        std::fs::read(Env::fixture("dod-trilateral", "01")).unwrap()
    );
}

#[test]
fn store_is_an_ordinary_git_repository() {
    let env = Env::new();
    for (v, t) in [
        ("01", "2023-11-12T14:05:00Z"),
        ("02", "2023-11-13T09:30:00Z"),
        ("03", "2023-11-14T16:12:00Z"),
    ] {
        env.record_fixture("dod-trilateral", "dod-trilateral", v, t);
    }
    env.ok(&[
        "record",
        "other",
        Env::fixture("typo-fix", "01").to_str().unwrap(),
        "-m",
        "typo case",
        "--source",
        "https://example.org/x",
    ]);
    let (ok, out) = env.git(&["fsck", "--strict", "--full"]);
    assert!(ok, "fsck: {out}");
    let (ok, out) = env.git(&["log", "--format=%an|%aI|%s", "dod-trilateral"]);
    assert!(ok, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[2].starts_with("redliner|2023-11-12T14:05:00Z|"),
        "{out}"
    );
    let (_, body) = env.git(&["log", "-1", "--format=%B", "other"]);
    assert!(
        body.starts_with("typo case\n") && body.contains("Source: https://example.org/x"),
        "{body}"
    );
    let (_, tree) = env.git(&["ls-tree", "--name-only", "dod-trilateral"]);
    assert_eq!(tree.trim(), "dod-trilateral.txt");
    // The stored bytes are exactly the file's bytes.
    let (_, blob) = env.git(&["show", "dod-trilateral@{0}:dod-trilateral.txt"]);
    let _ = blob;
    let out = std::process::Command::new("git")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", env.path())
        .args([
            "-C",
            env.store().to_str().unwrap(),
            "cat-file",
            "blob",
            "dod-trilateral:dod-trilateral.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.stdout,
        std::fs::read(Env::fixture("dod-trilateral", "03")).unwrap()
    );
    // A plain clone checks something out.
    let clone = env.path().join("clone");
    let st = std::process::Command::new("git")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", env.path())
        .args([
            "clone",
            "-q",
            env.store().to_str().unwrap(),
            clone.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(st.success());
    assert!(std::fs::read_dir(&clone).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".txt")));
}

#[test]
fn stdin_records_and_default_store_location_is_used() {
    let env = Env::new();
    let mut c = env.command();
    c.env_remove("REDLINER_STORE")
        .env("XDG_DATA_HOME", env.path().join("data"));
    let out = c
        .args(["record", "note", "-", "--at", "2024-01-01T00:00:00Z"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut ch| {
            use std::io::Write;
            ch.stdin.take().unwrap().write_all(b"Hello from stdin.\n")?;
            ch.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success());
    assert!(env.path().join("data/redliner/store.git/HEAD").exists());
}

/// Every command that prints results ends quietly (exit status as usual, no
/// message) when its reader has gone: `redliner list | head -c1`.
#[test]
fn a_closed_output_pipe_ends_every_command_quietly() {
    use std::process::Stdio;
    let env = Env::new();
    env.record_fixture("dod", "dod-trilateral", "01", "2023-11-12T14:05:00Z");
    env.record_fixture("dod", "dod-trilateral", "02", "2023-11-13T09:30:00Z");
    let fixture = Env::fixture("dod-trilateral", "03");
    let fixture = fixture.to_str().expect("utf-8 path");
    for (args, code) in [
        (vec!["list"], 0),
        (vec!["list", "--json"], 0),
        (vec!["verify"], 0),
        (vec!["log", "dod"], 0),
        (vec!["log", "dod", "--json"], 0),
        (vec!["log", "dod", "--checks", "--json"], 0),
        (vec!["watch", "list", "--json"], 0),
        (vec!["check", "--json"], 0),
        (vec!["show", "dod@1"], 0),
        (vec!["diff", "dod"], 1),
        (vec!["diff", "dod", "--format", "json"], 1),
        (vec!["record", "dod", fixture], 0),
        (vec!["init", "other.git"], 0),
    ] {
        let mut child = env
            .command()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // The reader goes away before anything is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "{args:?} printed a message"
        );
        // A closed pipe ends the command with success; the pipe's read end
        // can live on for a moment in a child another test thread is
        // starting, and then the command ends normally (diff: 1).
        let got = out.status.code();
        assert!(got == Some(0) || got == Some(code), "{args:?}: {got:?}");
    }
}
