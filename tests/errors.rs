//! Bad input: every refusal is one clear line on stderr, exit code 2, and an
//! existing store left byte for byte as it was (and still usable afterwards).

mod common;
use common::Env;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const T1: &str = "2023-11-12T14:05:00Z";
const T2: &str = "2023-11-13T09:30:00Z";

/// A store holding `doc` with two revisions (typo-fix 01 and 02).
fn setup() -> Env {
    let env = Env::new();
    env.record_fixture("doc", "typo-fix", "01", T1);
    env.record_fixture("doc", "typo-fix", "02", T2);
    env
}

fn fixture_bytes(case: &str, version: &str) -> Vec<u8> {
    std::fs::read(Env::fixture(case, version)).expect("read fixture")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Compares two snapshots and names what differs (without dumping bytes).
fn assert_same(before: &[(PathBuf, Vec<u8>)], after: &[(PathBuf, Vec<u8>)], what: &str) {
    if before == after {
        return;
    }
    let names =
        |s: &[(PathBuf, Vec<u8>)]| -> Vec<PathBuf> { s.iter().map(|x| x.0.clone()).collect() };
    let (b, a) = (names(before), names(after));
    let added: Vec<_> = a.iter().filter(|p| !b.contains(p)).collect();
    let removed: Vec<_> = b.iter().filter(|p| !a.contains(p)).collect();
    let changed: Vec<_> = before
        .iter()
        .filter(|(p, bytes)| after.iter().any(|(q, c)| q == p && c != bytes))
        .map(|x| &x.0)
        .collect();
    panic!("{what} changed the store: added {added:?}, removed {removed:?}, changed {changed:?}");
}

/// Runs a command that must be refused: exit 2, one `redliner: ` line, no
/// raw escape byte, and the store unchanged. Returns the message.
fn refused(env: &Env, args: &[&str]) -> String {
    let before = env.snapshot_store();
    let msg = env.fails(args);
    assert!(!msg.contains('\u{1b}'), "raw ESC in {msg:?}");
    assert_same(&before, &env.snapshot_store(), &format!("{args:?}"));
    msg
}

/// The two-revision store still answers and accepts a new revision.
fn still_works(env: &Env) {
    let log = env.ok(&["log", "doc"]);
    assert_eq!(log.lines().count(), 2, "{log}");
    let r = env.run(&["show", "doc@1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, fixture_bytes("typo-fix", "01"));
    let f = env.file("next.txt", "A third version of the text.\n");
    let out = env.ok(&[
        "record",
        "doc",
        path_str(&f),
        "--at",
        "2023-11-14T00:00:00Z",
    ]);
    assert!(out.starts_with("recorded doc@3 ("), "{out}");
    let (ok, fsck) = env.git(&["fsck", "--strict", "--full"]);
    assert!(ok, "fsck: {fsck}");
}

/// Runs git in `dir` with an isolated configuration.
fn git_in(env: &Env, dir: &Path, args: &[&str]) {
    let st = Command::new("git")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("run git");
    assert!(
        st.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}

// ---------------------------------------------------------------- inputs

#[test]
fn record_missing_file() {
    let env = setup();
    let msg = refused(&env, &["record", "doc", "no-such-file.txt"]);
    assert!(msg.contains("no-such-file.txt"), "{msg}");
    assert!(msg.contains("no such file"), "{msg}");
    still_works(&env);
}

#[test]
fn record_missing_file_for_new_document_creates_nothing() {
    let env = setup();
    let msg = refused(&env, &["record", "fresh", "no-such-file.txt"]);
    assert!(msg.contains("no such file"), "{msg}");
    // And no store is created where none was.
    let env2 = Env::new();
    env2.fails(&["record", "fresh", "no-such-file.txt"]);
    assert!(!env2.store().exists(), "a failed record created a store");
    still_works(&env);
}

#[test]
fn record_directory() {
    let env = setup();
    let dir = env.path().join("adir");
    std::fs::create_dir(&dir).unwrap();
    let msg = refused(&env, &["record", "doc", path_str(&dir)]);
    assert!(msg.contains("directory"), "{msg}");
    still_works(&env);
}

#[test]
fn record_not_utf8_names_offset_and_suggests_converting() {
    let env = setup();
    let f = env.file("latin1.txt", b"Hello\xff world, caf\xe9.\n");
    let msg = refused(&env, &["record", "doc", path_str(&f)]);
    assert!(msg.contains("UTF-8"), "{msg}");
    assert!(msg.contains("offset 5"), "{msg}");
    assert!(msg.contains("convert"), "{msg}");
    // The same through standard input.
    let before = env.snapshot_store();
    let r = env.run_stdin(&["record", "doc", "-"], Some(b"Hello\xff world\n"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("offset 5"), "{}", r.stderr);
    assert_same(&before, &env.snapshot_store(), "record - (not UTF-8)");
    still_works(&env);
}

#[test]
fn record_binary_input() {
    let env = setup();
    let mut bytes = b"Looks like text at first".to_vec();
    bytes.push(0);
    bytes.extend_from_slice(b" but has a NUL byte.\n");
    let f = env.file("bin.txt", &bytes);
    let msg = refused(&env, &["record", "doc", path_str(&f)]);
    assert!(msg.contains("binary"), "{msg}");
    assert!(msg.contains("offset 24"), "{msg}");
    // A NUL near the end of the sniffed window counts too.
    let mut late = vec![b'a'; 7999];
    late.push(0);
    let f = env.file("bin2.txt", &late);
    let msg = refused(&env, &["record", "doc", path_str(&f)]);
    assert!(msg.contains("binary"), "{msg}");
    still_works(&env);
}

#[test]
fn record_empty_input_needs_allow_empty() {
    let env = setup();
    let f = env.file("empty.txt", b"");
    let msg = refused(&env, &["record", "doc", path_str(&f)]);
    assert!(msg.contains("empty"), "{msg}");
    assert!(msg.contains("--allow-empty"), "{msg}");
    let msg = refused(&env, &["record", "blank", path_str(&f)]);
    assert!(msg.contains("--allow-empty"), "{msg}");
    let before = env.snapshot_store();
    let r = env.run_stdin(&["record", "doc", "-"], Some(b""));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--allow-empty"), "{}", r.stderr);
    assert_same(&before, &env.snapshot_store(), "record - (empty)");

    let out = env.ok(&["record", "blank", path_str(&f), "--allow-empty"]);
    assert!(out.starts_with("recorded blank@1 ("), "{out}");
    let r = env.run(&["show", "blank"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    still_works(&env);
}

#[test]
fn record_sparse_file_over_64_mib_is_refused_quickly() {
    let env = setup();
    let p = env.path().join("huge.txt");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(64 * 1024 * 1024 + 1).unwrap();
    drop(f);
    let start = Instant::now();
    let msg = refused(&env, &["record", "doc", path_str(&p)]);
    let took = start.elapsed();
    assert!(msg.contains("64 MiB"), "{msg}");
    assert!(
        took < Duration::from_secs(5),
        "refusing a sparse 64 MiB file took {took:?}"
    );
    still_works(&env);
}

#[test]
fn record_stdin_over_64_mib_is_refused() {
    let env = setup();
    let data = vec![b'a'; 64 * 1024 * 1024 + 1];
    let before = env.snapshot_store();
    let r = env.run_stdin(&["record", "doc", "-"], Some(&data));
    assert_eq!(r.code, 2, "stdout {}", r.out());
    assert_eq!(r.stderr.trim_end().lines().count(), 1, "{:?}", r.stderr);
    assert!(r.stderr.starts_with("redliner: "), "{:?}", r.stderr);
    assert!(r.stderr.contains("64 MiB"), "{}", r.stderr);
    assert_same(&before, &env.snapshot_store(), "record - (64 MiB + 1)");
    still_works(&env);
}

// ---------------------------------------------------------------- ids

#[test]
fn invalid_document_ids_state_the_rule() {
    let env = setup();
    let f = Env::fixture("typo-fix", "01");
    let long = "x".repeat(101);
    for id in ["Upper", "a/b", "../x", "-x", "", long.as_str(), "a\u{1b}b"] {
        for args in [
            vec!["record", "--", id, path_str(&f)],
            vec!["log", "--", id],
            vec!["show", "--", id],
            vec!["diff", "--", id],
        ] {
            let msg = refused(&env, &args);
            assert!(msg.contains("invalid document id"), "{args:?}: {msg}");
            assert!(msg.contains("lowercase"), "{args:?}: {msg}");
        }
    }
    // Nothing was created under refs/ for any of them.
    let (_, refs) = env.git(&["for-each-ref", "--format=%(refname)"]);
    assert_eq!(refs.trim(), "refs/heads/doc", "{refs}");
    still_works(&env);
}

#[test]
fn longest_valid_id_is_accepted() {
    let env = setup();
    let id = "x".repeat(100);
    let f = Env::fixture("typo-fix", "01");
    env.ok(&["record", &id, path_str(&f)]);
    env.ok(&["log", &id]);
}

// ---------------------------------------------------------------- lookups

#[test]
fn unknown_document_for_log_show_diff() {
    let env = setup();
    for args in [
        vec!["log", "nosuch"],
        vec!["show", "nosuch"],
        vec!["show", "nosuch@1"],
        vec!["diff", "nosuch"],
        vec!["diff", "doc@1", "nosuch"],
    ] {
        let msg = refused(&env, &args);
        assert!(msg.contains("nosuch"), "{args:?}: {msg}");
        assert!(msg.contains("no document"), "{args:?}: {msg}");
    }
    still_works(&env);
}

#[test]
fn unknown_revision_number() {
    let env = setup();
    for args in [
        vec!["show", "doc@99"],
        vec!["diff", "doc@99"],
        vec!["diff", "doc@1", "doc@99"],
    ] {
        let msg = refused(&env, &args);
        assert!(msg.contains("no revision"), "{args:?}: {msg}");
        assert!(msg.contains("2 revisions"), "{args:?}: {msg}");
    }
    still_works(&env);
}

#[test]
fn unknown_revision_back_from_latest() {
    let env = setup();
    let msg = refused(&env, &["show", "doc@~9"]);
    assert!(msg.contains("no revision"), "{msg}");
    assert!(msg.contains("~9"), "{msg}");
    still_works(&env);
}

#[test]
fn commit_prefix_matching_nothing() {
    let env = setup();
    let log: serde_json::Value = serde_json::from_str(&env.ok(&["log", "doc", "--json"])).unwrap();
    let ids: Vec<String> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let prefix = ["deadbeef", "0000000", "1234567"]
        .into_iter()
        .find(|p| !ids.iter().any(|id| id.starts_with(p)))
        .unwrap();
    let msg = refused(&env, &["show", &format!("doc@{prefix}")]);
    assert!(msg.contains("no revision"), "{msg}");
    assert!(msg.contains("commit id"), "{msg}");
    still_works(&env);
}

#[test]
fn date_before_first_capture() {
    let env = setup();
    for sel in ["doc@2000-01-01", "doc@2023-11-12T14:04:59Z"] {
        let msg = refused(&env, &["show", sel]);
        assert!(msg.contains("no revision"), "{sel}: {msg}");
        assert!(msg.contains("at or before"), "{sel}: {msg}");
    }
    // The exact capture time selects the first revision.
    let r = env.run(&["show", "doc@2023-11-12T14:05:00Z"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, fixture_bytes("typo-fix", "01"));
    still_works(&env);
}

#[test]
fn invalid_selectors() {
    let env = setup();
    for sel in [
        "doc@abc",
        "doc@0",
        "doc@",
        "doc@~",
        "doc@~x",
        "doc@2023-13-45",
    ] {
        for cmd in ["show", "diff"] {
            let msg = refused(&env, &[cmd, sel]);
            assert!(
                msg.contains("invalid revision selector"),
                "{cmd} {sel}: {msg}"
            );
        }
    }
    still_works(&env);
}

#[test]
fn invalid_at_value() {
    let env = setup();
    let f = env.file("new.txt", "Some new text.\n");
    for at in [
        "yesterday",
        "2023-11-12",
        "2023-11-12 14:00",
        "2023-11-12T25:00:00Z",
        "",
    ] {
        let msg = refused(&env, &["record", "doc", path_str(&f), "--at", at]);
        assert!(msg.contains("invalid time"), "{at:?}: {msg}");
        assert!(msg.contains("RFC 3339"), "{at:?}: {msg}");
    }
    still_works(&env);
}

// ---------------------------------------------------------------- stores

/// Runs every command against `--store bad` and checks each is refused with
/// `expect` in the message and `bad` unchanged.
fn refused_store(env: &Env, bad: &Path, expect: &str) {
    let f = Env::fixture("typo-fix", "01");
    let store = path_str(bad).to_string();
    for args in [
        vec!["--store", &store, "record", "doc", path_str(&f)],
        vec!["record", "doc", path_str(&f), "--store", &store],
        vec!["--store", &store, "log", "doc"],
        vec!["--store", &store, "list"],
        vec!["--store", &store, "show", "doc"],
        vec!["--store", &store, "diff", "doc"],
        vec!["--store", &store, "init"],
        vec!["init", &store],
    ] {
        let before = common::snapshot(bad);
        let msg = env.fails(&args);
        assert!(msg.contains(expect), "{args:?}: {msg}");
        assert_same(&before, &common::snapshot(bad), &format!("{args:?}"));
    }
    // The same through REDLINER_STORE.
    let before = common::snapshot(bad);
    let mut c = env.command();
    let out = c
        .env("REDLINER_STORE", bad)
        .args(["record", "doc", path_str(&f)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(expect));
    assert_same(&before, &common::snapshot(bad), "REDLINER_STORE record");
}

#[test]
fn store_is_a_plain_directory_with_files() {
    let env = setup();
    let dir = env.path().join("notes");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("todo.txt"), "buy milk\n").unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/x.md"), "# x\n").unwrap();
    refused_store(&env, &dir, "not a redliner store");
    still_works(&env);
}

#[test]
fn store_is_a_regular_file() {
    let env = setup();
    let file = env.file("store-file", "I am not a store.\n");
    refused_store(&env, &file, "not a redliner store");
    still_works(&env);
}

#[test]
fn store_is_a_non_bare_git_repository() {
    let env = setup();
    let dir = env.path().join("work");
    std::fs::create_dir(&dir).unwrap();
    git_in(&env, &dir, &["init", "-q"]);
    std::fs::write(dir.join("README"), "a project\n").unwrap();
    refused_store(&env, &dir, "not a redliner store");
    still_works(&env);
}

#[test]
fn store_is_a_foreign_bare_repository() {
    let env = setup();
    let dir = env.path().join("other.git");
    std::fs::create_dir(&dir).unwrap();
    git_in(&env, &dir, &["init", "-q", "--bare"]);
    refused_store(&env, &dir, "not a redliner store");
    let msg = env.fails(&["--store", path_str(&dir), "log", "doc"]);
    assert!(msg.contains("redliner mark"), "{msg}");
    still_works(&env);
}

#[test]
fn missing_store_for_log_and_list() {
    let env = Env::new();
    let missing = env.path().join("nowhere").join("store.git");
    for args in [
        vec!["--store", path_str(&missing), "log", "doc"],
        vec!["--store", path_str(&missing), "list"],
        vec!["--store", path_str(&missing), "show", "doc"],
        vec!["--store", path_str(&missing), "diff", "doc"],
        // The default (REDLINER_STORE) store does not exist either.
        vec!["log", "doc"],
        vec!["list"],
    ] {
        let msg = env.fails(&args);
        assert!(msg.contains("no store"), "{args:?}: {msg}");
        assert!(
            msg.contains("redliner init") && msg.contains("record"),
            "{args:?}: {msg}"
        );
        assert!(!missing.exists() && !env.path().join("nowhere").exists());
        assert!(!env.store().exists(), "{args:?} created a store");
    }
}

// ---------------------------------------------------------------- damage

fn two_docs() -> Env {
    let env = Env::new();
    env.record_fixture("a", "typo-fix", "01", T1);
    env.record_fixture("a", "typo-fix", "02", T2);
    env.record_fixture("b", "softened-verb", "01", T1);
    env.record_fixture("b", "softened-verb", "02", T2);
    env
}

fn check_damaged_a(env: &Env, garbage: &[u8]) {
    let ref_file = env.store().join("refs/heads/a");
    let f = Env::fixture("dod-trilateral", "01");
    for args in [
        vec!["log", "a"],
        vec!["log", "a", "--json"],
        vec!["show", "a"],
        vec!["show", "a@1"],
        vec!["diff", "a"],
        vec!["record", "a", path_str(&f)],
    ] {
        let msg = refused(env, &args);
        assert!(msg.contains("damaged"), "{args:?}: {msg}");
        assert!(!msg.contains("no document"), "{args:?}: {msg}");
        assert!(!msg.contains("no such"), "{args:?}: {msg}");
        assert_eq!(std::fs::read(&ref_file).unwrap(), garbage, "{args:?}");
    }
    // The other document is untouched and usable.
    let log = env.ok(&["log", "b"]);
    assert_eq!(log.lines().count(), 2, "{log}");
    let r = env.run(&["show", "b"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, fixture_bytes("softened-verb", "02"));
    let r = env.run(&["show", "b@1"]);
    assert_eq!(r.stdout, fixture_bytes("softened-verb", "01"));
    let r = env.run(&["diff", "b", "--format", "plain"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let out = env.ok(&["record", "b", path_str(&f)]);
    assert!(out.starts_with("recorded b@3 ("), "{out}");
    assert_eq!(std::fs::read(&ref_file).unwrap(), garbage);
}

#[test]
fn damaged_ref_is_reported_not_overwritten() {
    let env = two_docs();
    let ref_file = env.store().join("refs/heads/a");
    assert!(ref_file.is_file(), "refs are expected to be loose files");
    let garbage = b"not-a-sha\n";
    std::fs::write(&ref_file, garbage).unwrap();
    check_damaged_a(&env, garbage);
}

#[test]
fn ref_to_missing_object_is_reported_not_overwritten() {
    let env = two_docs();
    let ref_file = env.store().join("refs/heads/a");
    assert!(ref_file.is_file(), "refs are expected to be loose files");
    let mut sha = "0123456789abcdef0123456789abcdef01234567".to_string();
    let (ok, _) = env.git(&["cat-file", "-e", &sha]);
    if ok {
        sha = "fedcba9876543210fedcba9876543210fedcba98".into();
    }
    let garbage = format!("{sha}\n");
    std::fs::write(&ref_file, &garbage).unwrap();
    check_damaged_a(&env, garbage.as_bytes());
}

// ---------------------------------------------------------------- exit codes

#[test]
fn diff_exit_codes() {
    let env = setup();
    // Identical revisions: 0.
    let r = env.run(&["diff", "doc@1", "doc@1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.out().contains("no differences"), "{}", r.out());
    let r = env.run(&["diff", "doc@2", "doc", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Different revisions: 1, whatever the format.
    for fmt in ["plain", "json", "color"] {
        let r = env.run(&["diff", "doc", "--format", fmt]);
        assert_eq!(r.code, 1, "{fmt}: {}", r.stderr);
        assert!(r.stderr.is_empty(), "{fmt}: {}", r.stderr);
        let r = env.run(&["diff", "doc@1", "doc@2", "--format", fmt, "--stat"]);
        assert_eq!(r.code, 1, "{fmt} --stat: {}", r.stderr);
    }
    // Files: identical 0, different 1, missing 2.
    let x = Env::fixture("typo-fix", "01");
    let y = Env::fixture("typo-fix", "02");
    let r = env.run(&["diff", "--files", path_str(&x), path_str(&x)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = env.run(&["diff", "--files", path_str(&x), path_str(&y)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let msg = refused(&env, &["diff", "--files", path_str(&x), "missing.txt"]);
    assert!(msg.contains("missing.txt"), "{msg}");
    let msg = refused(&env, &["diff", "--files", "missing.txt", path_str(&x)]);
    assert!(msg.contains("missing.txt"), "{msg}");
    // --files works with no store at all.
    let bare = Env::new();
    let r = bare.run(&["diff", "--files", path_str(&x), path_str(&y)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!bare.store().exists());
    still_works(&env);
}

#[test]
fn usage_errors_exit_2() {
    let env = setup();
    for args in [
        vec!["record", "doc", "x.txt", "--bogus"],
        vec!["--bogus", "list"],
        vec!["diff", "doc", "--bogus"],
        vec!["diff", "doc", "--format", "pdf"],
        vec!["diff", "doc", "--context", "some"],
        vec!["diff", "a", "b", "c"],
        vec!["log"],
        vec!["frobnicate"],
        vec!["--color", "sometimes", "list"],
        vec![],
    ] {
        let before = env.snapshot_store();
        let r = env.run(&args);
        assert_eq!(
            r.code,
            2,
            "{args:?}: stdout {} stderr {}",
            r.out(),
            r.stderr
        );
        assert!(!r.stderr.is_empty(), "{args:?}");
        assert_same(&before, &env.snapshot_store(), &format!("{args:?}"));
    }
    still_works(&env);
}

#[test]
fn list_does_not_hide_a_damaged_ref() {
    let env = two_docs();
    let ref_file = env.store().join("refs/heads/a");
    std::fs::write(&ref_file, b"not-a-sha\n").unwrap();
    for args in [vec!["list"], vec!["list", "--json"]] {
        let before = env.snapshot_store();
        let r = env.run(&args);
        assert_same(&before, &env.snapshot_store(), &format!("{args:?}"));
        let listed_a = r.code == 0
            && r.out()
                .lines()
                .any(|l| l.starts_with("a ") || l.contains("\"doc\":\"a\""));
        let reported = r.code == 2 && r.stderr.contains("damaged") && r.stderr.contains("\"a\"");
        assert!(
            listed_a || reported,
            "{args:?} hid the damaged document a: exit {}, stdout {:?}, stderr {:?}",
            r.code,
            r.out(),
            r.stderr
        );
    }
}

#[test]
fn damaged_ref_message_suggests_only_real_commands() {
    let env = two_docs();
    std::fs::write(env.store().join("refs/heads/a"), b"not-a-sha\n").unwrap();
    let msg = env.fails(&["log", "a"]);
    assert!(msg.contains("damaged"), "{msg}");
    for part in msg.split("`redliner ").skip(1) {
        let sub = part.split([' ', '`']).next().unwrap_or_default();
        let r = env.run(&[sub, "--help"]);
        assert_eq!(
            r.code, 0,
            "the message suggests `redliner {sub}`, which does not exist: {msg}"
        );
    }
}

#[test]
fn no_default_store_says_so_once() {
    // Neither XDG_DATA_HOME nor HOME nor REDLINER_STORE: no default store.
    let env = Env::new();
    for args in [&["list"][..], &["log", "doc"], &["init"]] {
        let out = env
            .command()
            .env_remove("HOME")
            .env_remove("REDLINER_STORE")
            .args(args)
            .output()
            .expect("run redliner");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "redliner: cannot find a default store: neither XDG_DATA_HOME nor HOME is set; pass --store DIR or set REDLINER_STORE\n",
            "{args:?}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn diff_files_with_one_file_says_it_needs_two() {
    let env = Env::new();
    let a = env.file("a.txt", "one two\n");
    let msg = env.fails(&["diff", "--files", path_str(&a)]);
    assert!(msg.contains("--files compares two files"), "{msg}");
    assert!(msg.contains("redliner diff --files OLD NEW"), "{msg}");
}
