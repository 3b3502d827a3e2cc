//! Hostile text: nothing from a document, a message, a source or a file name
//! reaches a human-facing output raw; byte-exact outputs stay byte-exact.

mod common;
use common::Env;

use std::path::Path;

const T1: &str = "2023-11-12T14:05:00Z";
const T2: &str = "2023-11-13T09:30:00Z";

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A store with `doc` = control-chars 01 then 02.
fn hostile_store() -> Env {
    let env = Env::new();
    env.record_fixture("doc", "control-chars", "01", T1);
    env.record_fixture("doc", "control-chars", "02", T2);
    env
}

/// Panics if `s` holds anything a terminal would interpret or hide.
fn assert_inert(s: &str, what: &str) {
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        assert!(b != 0x1b, "{what}: raw ESC at byte {i}: {s:?}");
        assert!(b != 0x07, "{what}: raw BEL at byte {i}: {s:?}");
        assert!(b != 0x08, "{what}: raw backspace at byte {i}: {s:?}");
        assert!(b != 0x00, "{what}: raw NUL at byte {i}: {s:?}");
        assert!(b != 0x7f, "{what}: raw DEL at byte {i}: {s:?}");
        if b == b'\r' {
            assert_eq!(
                bytes.get(i + 1),
                Some(&b'\n'),
                "{what}: lone CR at byte {i}: {s:?}"
            );
        }
        if b < 0x20 {
            assert!(
                matches!(b, b'\n' | b'\t' | b'\r'),
                "{what}: raw control 0x{b:02x} at byte {i}: {s:?}"
            );
        }
    }
    for c in s.chars() {
        let u = c as u32;
        assert!(
            !(0x80..=0x9f).contains(&u),
            "{what}: raw C1 control U+{u:04X}: {s:?}"
        );
        assert!(
            !matches!(u, 0x200b..=0x200f | 0x202a..=0x202e | 0x2066..=0x2069 | 0xfeff),
            "{what}: raw invisible/bidi U+{u:04X}: {s:?}"
        );
    }
}

fn run_out(env: &Env, args: &[&str], code: i32) -> String {
    let r = env.run(args);
    assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
    assert!(r.stderr.is_empty(), "{args:?}: {}", r.stderr);
    String::from_utf8(r.stdout).expect("output is UTF-8")
}

#[test]
fn plain_diff_escapes_every_hostile_character() {
    let env = hostile_store();
    for args in [
        vec!["diff", "doc", "--format", "plain"],
        vec!["diff", "doc", "--color", "never"],
        vec!["--color", "never", "diff", "doc@1", "doc@2"],
        vec!["diff", "doc", "--format", "plain", "--context", "all"],
    ] {
        let out = run_out(&env, &args, 1);
        assert_inert(&out, &format!("{args:?}"));
        for esc in ["\\x1b", "\\x07", "\\x08", "\\x0d", "\\u{202e}", "\\u{200b}"] {
            assert!(out.contains(esc), "{args:?}: no {esc} in {out}");
        }
        assert!(out.starts_with("--- doc@"), "{args:?}: {out}");
    }
    // Reversed, the hostile text is on the deleted side. (The lone CR is
    // then old whitespace, which a diff never shows.)
    let out = run_out(&env, &["diff", "doc@2", "doc@1", "--format", "plain"], 1);
    assert_inert(&out, "reversed");
    for esc in ["\\x1b", "\\x07", "\\x08", "\\u{202e}", "\\u{200b}"] {
        assert!(out.contains(esc), "reversed: no {esc} in {out}");
    }
    // The first revision against nothing, and identical revisions.
    let out = run_out(&env, &["diff", "doc@1", "--format", "plain"], 1);
    assert_inert(&out, "first revision");
    let out = run_out(&env, &["diff", "doc@2", "doc@2", "--format", "plain"], 0);
    assert_inert(&out, "identical");
    // --stat too.
    let out = run_out(&env, &["diff", "doc", "--format", "plain", "--stat"], 1);
    assert_inert(&out, "--stat");
}

#[test]
fn plain_diff_of_files_escapes_too() {
    let env = Env::new();
    let a = Env::fixture("control-chars", "01");
    let b = Env::fixture("control-chars", "02");
    let out = run_out(
        &env,
        &[
            "diff",
            "--files",
            path_str(&a),
            path_str(&b),
            "--format",
            "plain",
        ],
        1,
    );
    assert_inert(&out, "--files");
    assert!(out.contains("\\x1b[31m"), "{out}");
    assert!(out.contains("\\x1b]0;pwned\\x07"), "{out}");
    // The hostile version against an empty file shows everything as added.
    let empty = env.file("empty.txt", b"");
    let out = run_out(
        &env,
        &[
            "diff",
            "--files",
            path_str(&empty),
            path_str(&b),
            "--format",
            "plain",
        ],
        1,
    );
    assert_inert(&out, "--files empty new");
    assert!(out.contains("\\u{202e}"), "{out}");
}

/// Checks that every ESC in `s` starts `ESC [ (digits|;)* m`, and returns how
/// many there were.
fn assert_only_sgr(s: &str, what: &str) -> usize {
    let b = s.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == 0x1b {
            count += 1;
            assert_eq!(
                b.get(i + 1),
                Some(&b'['),
                "{what}: ESC at {i} not followed by '[': {:?}",
                &s[i..(i + 12).min(s.len())]
            );
            let mut j = i + 2;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b';') {
                j += 1;
            }
            assert_eq!(
                b.get(j),
                Some(&b'm'),
                "{what}: ESC at {i} is not an SGR sequence: {:?}",
                &s[i..(j + 1).min(s.len())]
            );
            i = j + 1;
        } else {
            i += 1;
        }
    }
    count
}

#[test]
fn color_diff_emits_only_its_own_sgr_sequences() {
    let env = hostile_store();
    for args in [
        vec!["--color", "always", "diff", "doc", "--format", "color"],
        vec!["diff", "doc", "--color", "always"],
        vec!["diff", "doc", "--format", "color", "--context", "all"],
        vec!["diff", "doc@2", "doc@1", "--format", "color"],
    ] {
        let out = run_out(&env, &args, 1);
        let n = assert_only_sgr(&out, &format!("{args:?}"));
        assert!(n > 0, "{args:?}: expected colour: {out:?}");
        // With the SGR sequences removed, nothing hostile is left.
        let stripped = strip_sgr(&out);
        assert_inert(&stripped, &format!("{args:?} (SGR removed)"));
        for esc in ["\\x1b", "\\u{202e}", "\\u{200b}"] {
            assert!(stripped.contains(esc), "{args:?}: no {esc} in {stripped}");
        }
        // The document's own sequences are visible text, not codes.
        assert!(!out.contains("\u{1b}]"), "{args:?}: OSC in output");
    }
}

fn strip_sgr(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Checks the ops of a `--format json` diff rebuild both sides exactly.
fn assert_reconstructs(json: &str, old: &[u8], new: &[u8], what: &str) {
    let v: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{what}: bad JSON {e}: {json}"));
    assert_eq!(v["schema"], 1, "{what}");
    let ops = v["ops"]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no ops"));
    let mut rebuilt_old = String::new();
    let mut rebuilt_new = String::new();
    for op in ops {
        let text = op["text"].as_str().expect("op text");
        match op["op"].as_str().expect("op kind") {
            "equal" => {
                rebuilt_old.push_str(text);
                rebuilt_new.push_str(text);
            }
            "delete" => rebuilt_old.push_str(text),
            "insert" => rebuilt_new.push_str(text),
            other => panic!("{what}: unknown op {other}"),
        }
    }
    assert!(rebuilt_old.as_bytes() == old, "{what}: old side differs");
    assert!(rebuilt_new.as_bytes() == new, "{what}: new side differs");
    // The raw JSON text itself holds no raw control characters.
    assert!(!json.contains('\u{1b}'), "{what}: raw ESC in JSON");
}

#[test]
fn json_ops_rebuild_every_fixture_pair() {
    let env = Env::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let mut pairs = 0;
    for case in &cases {
        let mut versions: Vec<_> = std::fs::read_dir(case)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        versions.sort();
        for w in versions.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let r = env.run(&[
                "diff",
                "--files",
                path_str(a),
                path_str(b),
                "--format",
                "json",
            ]);
            let old = std::fs::read(a).unwrap();
            let new = std::fs::read(b).unwrap();
            let expect = if old == new { 0 } else { 1 };
            let what = format!("{} -> {}", a.display(), b.display());
            assert!(r.code == 0 || r.code == 1, "{what}: {}", r.stderr);
            if old == new {
                assert_eq!(r.code, expect, "{what}");
            }
            assert_reconstructs(&r.out(), &old, &new, &what);
            pairs += 1;
        }
    }
    assert!(pairs >= 20, "only {pairs} fixture pairs found");
}

#[test]
fn json_ops_rebuild_stored_hostile_revisions() {
    let env = hostile_store();
    let old = std::fs::read(Env::fixture("control-chars", "01")).unwrap();
    let new = std::fs::read(Env::fixture("control-chars", "02")).unwrap();
    let out = run_out(&env, &["diff", "doc", "--format", "json"], 1);
    assert_reconstructs(&out, &old, &new, "doc");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["old"]["doc"], "doc");
    assert_eq!(v["old"]["rev"], 1);
    assert_eq!(v["new"]["rev"], 2);
    let out = run_out(&env, &["diff", "doc@2", "doc@1", "--format", "json"], 1);
    assert_reconstructs(&out, &new, &old, "reversed");
    // --color always does not put colour into JSON.
    let out = run_out(
        &env,
        &["diff", "doc", "--format", "json", "--color", "always"],
        1,
    );
    assert_reconstructs(&out, &old, &new, "json with --color always");
}

#[test]
fn show_to_a_pipe_is_byte_exact() {
    let env = hostile_store();
    for (sel, v) in [
        ("doc", "02"),
        ("doc@2", "02"),
        ("doc@1", "01"),
        ("doc@~1", "01"),
    ] {
        let r = env.run(&["show", sel]);
        assert_eq!(r.code, 0, "{sel}: {}", r.stderr);
        assert_eq!(
            r.stdout,
            std::fs::read(Env::fixture("control-chars", v)).unwrap(),
            "{sel}"
        );
    }
    // Even with colour forced, a pipe gets the bytes.
    let r = env.run(&["--color", "always", "show", "doc"]);
    assert_eq!(
        r.stdout,
        std::fs::read(Env::fixture("control-chars", "02")).unwrap()
    );
    // Bytes from standard input are stored and shown exactly too.
    let raw =
        "x\u{1b}[2J\u{1b}]8;;http://evil\u{7}link\u{9b}31m\r\u{202e}\u{feff}end\r\n".as_bytes();
    let r = env.run_stdin(&["record", "raw", "-"], Some(raw));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_inert(&r.out(), "record output");
    let r = env.run(&["show", "raw"]);
    assert_eq!(r.stdout, raw);
}

const HOSTILE_MSG: &str = "fixed \u{1b}[31mtypo\u{1b}[0m \u{202e}txet\u{7} \u{9b}2J done";
const HOSTILE_SRC: &str = "https://example.org/\nInjected: line\u{1b}]0;title\u{7}";

fn hostile_metadata_store() -> Env {
    let env = Env::new();
    let f = Env::fixture("typo-fix", "01");
    env.ok(&[
        "record",
        "doc",
        path_str(&f),
        "--at",
        T1,
        "-m",
        HOSTILE_MSG,
        "--source",
        HOSTILE_SRC,
    ]);
    env
}

#[test]
fn hostile_message_and_source_in_log() {
    let env = hostile_metadata_store();
    let out = run_out(&env, &["log", "doc"], 0);
    assert_inert(&out, "log");
    assert_eq!(out.lines().count(), 2, "message and source lines: {out}");
    assert!(out.contains("\\x1b[31mtypo"), "{out}");
    assert!(out.contains("\\u{202e}"), "{out}");
    assert!(out.contains("\\x9b"), "{out}");
    assert!(out.contains("source: https://example.org/"), "{out}");
    assert!(out.contains("\\x1b]0;title\\x07"), "{out}");
    // Forcing colour does not change that.
    let out = run_out(&env, &["log", "doc", "--color", "always"], 0);
    assert_inert(&strip_sgr(&out), "log --color always");
    assert_only_sgr(&out, "log --color always");
}

#[test]
fn hostile_message_round_trips_in_log_json() {
    let env = hostile_metadata_store();
    let out = run_out(&env, &["log", "doc", "--json"], 0);
    assert!(!out.contains('\u{1b}'), "raw ESC in JSON: {out:?}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["message"].as_str(), Some(HOSTILE_MSG));
    let src = v[0]["source"].as_str().expect("source");
    assert!(src.starts_with("https://example.org/"), "{src:?}");
    assert!(src.contains("\u{1b}]0;title\u{7}"), "{src:?}");
    // The source is kept on one line so it cannot forge a trailer.
    assert!(!src.contains('\n'), "{src:?}");
    let (_, body) = env.git(&["log", "-1", "--format=%B", "doc"]);
    assert!(
        !body.lines().any(|l| l.starts_with("Injected:")),
        "source forged a trailer line: {body:?}"
    );
    // A message that looks like trailers cannot override redliner's own.
    let f = Env::fixture("typo-fix", "02");
    let forged = "ok\n\nRedliner-Revision: 99\nSource: forged";
    env.ok(&["record", "doc", path_str(&f), "-m", forged]);
    let v: serde_json::Value = serde_json::from_str(&env.ok(&["log", "doc", "--json"])).unwrap();
    assert_eq!(v[0]["rev"], 2);
    assert_eq!(v[0]["message"].as_str(), Some(forged));
    assert_eq!(v[0]["source"], serde_json::Value::Null);
}

/// Stderr of a refused command: exit 2, one line, nothing raw.
fn refused_inert(env: &Env, args: &[&str]) -> String {
    let msg = env.fails(args);
    assert_inert(&msg, &format!("stderr of {args:?}"));
    msg
}

#[test]
fn error_messages_escape_hostile_text() {
    let env = hostile_store();
    let evil = "a\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}b";
    let msg = refused_inert(&env, &["log", evil]);
    assert!(msg.contains("invalid document id"), "{msg}");
    refused_inert(&env, &["show", evil]);
    refused_inert(&env, &["diff", &format!("{evil}@1")]);
    refused_inert(&env, &["show", &format!("doc@{evil}")]);
    refused_inert(&env, &["record", "doc", "x.txt", "--at", evil]);

    // A missing file whose name carries escape sequences.
    let name = "no\u{1b}[31msuch\u{1b}]0;t\u{7}\u{202e}.txt";
    let msg = refused_inert(&env, &["record", "doc", name]);
    assert!(msg.contains("\\x1b[31msuch"), "{msg}");
    refused_inert(&env, &["diff", "--files", name, name]);

    // Existing files with such names, refused for their content.
    let bad_utf8 = env.file("bad\u{1b}[31m\u{202e}.txt", b"ok \xff no");
    let msg = refused_inert(&env, &["record", "doc", path_str(&bad_utf8)]);
    assert!(msg.contains("offset 3"), "{msg}");
    let binary = env.file("bin\u{1b}]0;x\u{7}.txt", b"a\0b");
    refused_inert(&env, &["record", "doc", path_str(&binary)]);
    let empty = env.file("empty\u{1b}[5m.txt", b"");
    refused_inert(&env, &["record", "doc", path_str(&empty)]);

    // A store path with escape sequences.
    let store = env.path().join("st\u{1b}[31more");
    let msg = refused_inert(&env, &["--store", path_str(&store), "list"]);
    assert!(msg.contains("no store"), "{msg}");
}

#[test]
fn diff_headers_escape_hostile_file_names() {
    let env = Env::new();
    let a = env.file("old\u{1b}[31m\u{202e}.txt", "one two\n");
    let b = env.file("new\u{1b}]0;x\u{7}.txt", "one three\n");
    for fmt in ["plain", "color"] {
        let out = run_out(
            &env,
            &[
                "diff",
                "--files",
                path_str(&a),
                path_str(&b),
                "--format",
                fmt,
            ],
            1,
        );
        if fmt == "color" {
            assert_only_sgr(&out, "color headers");
            assert_inert(&strip_sgr(&out), "color headers");
        } else {
            assert_inert(&out, "plain headers");
        }
        assert!(
            strip_sgr(&out).contains("old\\x1b[31m\\u{202e}.txt"),
            "{out}"
        );
    }
}

#[test]
fn usage_errors_do_not_echo_escape_sequences() {
    let env = hostile_store();
    for args in [
        vec!["record", "doc", "-\u{1b}[31mx.txt"],
        vec!["--color", "\u{1b}]0;x\u{7}", "list"],
        vec!["diff", "doc", "--context", "\u{1b}[2J"],
        vec!["diff", "doc", "--format", "\u{1b}[2J"],
        vec!["\u{1b}[31mverb"],
    ] {
        let r = env.run(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(!r.stderr.contains('\u{1b}'), "{args:?}: {:?}", r.stderr);
        assert!(!r.stderr.contains('\u{7}'), "{args:?}: {:?}", r.stderr);
    }
}

/// On a real terminal (a pty made by util-linux `script`), `show` escapes
/// control characters and `diff` colours by default; skipped where `script`
/// is missing.
#[test]
fn a_terminal_never_gets_raw_control_characters() {
    let Ok(script) = which("script") else {
        eprintln!("skipped: util-linux script not found");
        return;
    };
    let env = Env::new();
    let f = env.file(
        "hostile.txt",
        "Title \u{1b}]0;pwned\u{7} and \u{1b}[31mred\u{1b}[0m \u{202e}text.\n",
    );
    env.ok(&["record", "doc", f.to_str().unwrap()]);
    let run_tty = |args: &str| {
        let bin = env!("CARGO_BIN_EXE_redliner");
        let mut c = env.command();
        c.env("PAGER", "cat").env("TERM", "xterm");
        std::process::Command::new(&script)
            .args(["-qec", &format!("'{bin}' {args}"), "/dev/null"])
            .env_clear()
            .envs(
                c.get_envs()
                    .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))),
            )
            .current_dir(env.path())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("script runs")
            .stdout
    };
    let shown = run_tty("show doc");
    let text = String::from_utf8_lossy(&shown);
    assert!(
        text.contains("\\x1b]0;pwned\\x07") && text.contains("\\u{202e}"),
        "{text:?}"
    );
    assert!(
        !shown.windows(2).any(|w| w == b"\x1b]"),
        "no raw OSC: {text:?}"
    );
    assert!(!text.contains('\u{202e}'));
    // A diff on a terminal is coloured, and its only escapes are SGR codes.
    let diffed = run_tty("diff doc@1 --context all");
    let d = String::from_utf8_lossy(&diffed);
    assert!(
        d.contains("\u{1b}[32m") || d.contains("\u{1b}[4;32m"),
        "coloured: {d:?}"
    );
    assert!(
        !diffed.windows(2).any(|w| w == b"\x1b]"),
        "no raw OSC: {d:?}"
    );
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        })
        .ok_or(())
}
