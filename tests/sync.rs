//! `remote` and `sync`: two stores ("machines" A and B) and a bare remote in
//! a temporary directory, no network. Git runs with HOME in the temporary
//! directory and its system config ignored, like redliner itself.

mod common;

use common::{Env, Run};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Two machines' stores and a bare remote, in one temporary directory.
struct World {
    env: Env,
}

impl World {
    fn new() -> World {
        let w = World { env: Env::new() };
        let (ok, out) = w.git_in(w.env.path(), &["init", "-q", "--bare", "remote.git"]);
        assert!(ok, "{out}");
        w
    }

    fn remote(&self) -> PathBuf {
        self.env.path().join("remote.git")
    }

    fn store(&self, m: &str) -> PathBuf {
        self.env.path().join(format!("{m}.git"))
    }

    /// Runs redliner on machine `m`'s store.
    fn run(&self, m: &str, args: &[&str]) -> Run {
        let store = self.store(m);
        let mut all = vec!["--store", store.to_str().expect("utf-8 path")];
        all.extend_from_slice(args);
        self.env.run(&all)
    }

    fn ok(&self, m: &str, args: &[&str]) -> String {
        let r = self.run(m, args);
        assert_eq!(r.code, 0, "{m}: redliner {args:?} failed: {}", r.stderr);
        r.out()
    }

    fn fails(&self, m: &str, args: &[&str]) -> String {
        let r = self.run(m, args);
        assert_eq!(r.code, 2, "{m}: redliner {args:?} should fail: {}", r.out());
        assert_eq!(
            r.stderr.trim_end().lines().count(),
            1,
            "one line: {:?}",
            r.stderr
        );
        assert!(r.stderr.starts_with("redliner: "), "{:?}", r.stderr);
        r.stderr
    }

    fn record(&self, m: &str, doc: &str, text: &str, at: &str) -> String {
        let r = self.env.run_stdin(
            &[
                "--store",
                self.store(m).to_str().expect("utf-8 path"),
                "record",
                doc,
                "-",
                "--at",
                at,
                "-m",
                &format!("{m} at {at}"),
            ],
            Some(text.as_bytes()),
        );
        assert_eq!(r.code, 0, "record on {m}: {}", r.stderr);
        r.out()
    }

    fn add_origin(&self, m: &str) {
        let url = self.remote();
        self.ok(
            m,
            &["remote", "add", "origin", url.to_str().expect("utf-8 path")],
        );
    }

    fn sync(&self, m: &str) -> String {
        self.ok(m, &["sync"])
    }

    /// Runs git in `dir` with the isolated environment.
    fn git_in(&self, dir: &Path, args: &[&str]) -> (bool, String) {
        let out = Command::new("git")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.env.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .expect("run git");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    }

    fn rev_parse(&self, dir: &Path, rev: &str) -> String {
        let (ok, out) = self.git_in(dir, &["rev-parse", "--verify", "-q", rev]);
        assert!(ok, "rev-parse {rev}: {out}");
        out.trim().to_string()
    }

    /// `log DOC --json` on machine `m`.
    fn log(&self, m: &str, doc: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(m, &["log", doc, "--json"])).expect("log json")
    }

    /// Every text of a document on machine `m`, oldest first.
    fn texts(&self, m: &str, doc: &str) -> Vec<String> {
        let n = self.log(m, doc).as_array().expect("array").len();
        (1..=n)
            .map(|i| self.ok(m, &["show", &format!("{doc}@{i}")]))
            .collect()
    }

    /// `verify` and `git fsck --strict` clean on the machines and the remote.
    fn all_clean(&self, machines: &[&str]) {
        for m in machines {
            let v = self.ok(m, &["verify"]);
            assert!(v.contains("no problems"), "{m}: {v}");
            let (ok, out) = self.git_in(&self.store(m), &["fsck", "--strict"]);
            assert!(ok && !out.contains("error"), "{m}: {out}");
        }
        let (ok, out) = self.git_in(&self.remote(), &["fsck", "--strict"]);
        assert!(ok && !out.contains("error"), "remote: {out}");
    }
}

/// The log without commit ids: what a store with the same texts recorded
/// in the same order, at the same times, with the same messages shows.
fn without_ids(log: &serde_json::Value) -> serde_json::Value {
    let mut log = log.clone();
    for r in log.as_array_mut().expect("array") {
        r.as_object_mut().expect("object").remove("id");
    }
    log
}

#[test]
fn publish_then_fetch_on_another_machine() {
    let w = World::new();
    w.record(
        "a",
        "doc",
        "First text of the statement.\n",
        "2023-01-01T10:00:00Z",
    );
    w.record(
        "a",
        "doc",
        "Second text of the statement.\n",
        "2023-01-02T10:00:00Z",
    );
    w.add_origin("a");
    assert_eq!(w.sync("a"), "pushed doc@2 to origin\n");
    // The remote has the document's branch, nothing of the private namespace.
    let (_, refs) = w.git_in(&w.remote(), &["for-each-ref", "--format=%(refname)"]);
    assert_eq!(refs, "refs/heads/doc\n");
    w.add_origin("b");
    assert_eq!(w.sync("b"), "fetched doc: @1..@2 from origin\n");
    assert_eq!(w.log("a", "doc"), w.log("b", "doc"));
    assert_eq!(
        w.ok("b", &["show", "doc@1"]),
        "First text of the statement.\n"
    );
    assert_eq!(w.sync("a"), "up to date with origin\n");
    assert_eq!(w.sync("b"), "up to date with origin\n");
    // B goes on; A fast-forwards: the same commits, no rewrite.
    w.record(
        "b",
        "doc",
        "Third text of the statement.\n",
        "2023-01-03T10:00:00Z",
    );
    assert_eq!(w.sync("b"), "pushed doc@3 to origin\n");
    assert_eq!(w.sync("a"), "fetched doc: @3..@3 from origin\n");
    assert_eq!(w.log("a", "doc"), w.log("b", "doc"));
    let (_, replaced) = w.git_in(&w.store("a"), &["for-each-ref", "refs/redliner/replaced"]);
    assert_eq!(replaced, "", "a fast-forward replaces nothing");
    w.all_clean(&["a", "b"]);
}

#[test]
fn divergent_revisions_are_reconciled_into_one_identical_chain() {
    let w = World::new();
    w.add_origin("a");
    w.add_origin("b");
    let base = "The ministers met on Monday.\n\nThey agreed to meet again.\n";
    w.record("a", "doc", base, "2023-01-01T10:00:00Z");
    w.sync("a");
    w.sync("b");
    // Both machines record since the last sync, interleaved in time.
    let texts = [
        (
            "a",
            "The ministers met on Tuesday.\n\nThey agreed to meet again.\n",
            "2023-01-02T10:00:00Z",
        ),
        (
            "b",
            "The ministers met on Tuesday.\n\nThey agreed to meet again soon.\n",
            "2023-01-02T12:00:00Z",
        ),
        (
            "a",
            "The ministers met on Tuesday in Tokyo.\n\nThey agreed to meet again soon.\n",
            "2023-01-03T10:00:00Z",
        ),
        (
            "b",
            "The ministers met on Wednesday in Tokyo.\n\nThey agreed to meet.\n",
            "2023-01-04T09:00:00Z",
        ),
    ];
    for (m, t, at) in texts {
        w.record(m, "doc", t, at);
    }
    let b_tip_before = w.rev_parse(&w.store("b"), "refs/heads/doc");
    let b_revs_before: Vec<String> = w
        .log("b", "doc")
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(w.sync("a"), "pushed doc@3 to origin\n");
    let out_b = w.sync("b");
    assert!(
        out_b.starts_with("merged doc: 2 revisions from origin, 2 renumbered here; now @5\n"),
        "{out_b}"
    );
    assert!(
        out_b.contains("  renumbered doc@2 -> @3 (captured 2023-01-02 12:00 +0000)\n"),
        "{out_b}"
    );
    assert!(
        out_b.contains("  renumbered doc@3 -> @5 (captured 2023-01-04 09:00 +0000)\n"),
        "{out_b}"
    );
    assert!(out_b.ends_with("pushed doc@5 to origin\n"), "{out_b}");
    let out_a = w.sync("a");
    // A's revision @3 was re-linked by B: A takes B's commits as they are.
    assert!(out_a.starts_with("merged doc: 2 revisions from origin, 1 renumbered here; now @5\n  renumbered doc@3 -> @4 (captured 2023-01-03 10:00 +0000)\n"), "{out_a}");
    assert!(!out_a.contains("pushed"), "{out_a}");
    // One identical chain on both machines and the remote.
    let (la, lb) = (w.log("a", "doc"), w.log("b", "doc"));
    assert_eq!(la, lb);
    let tip = w.rev_parse(&w.store("a"), "refs/heads/doc");
    assert_eq!(tip, w.rev_parse(&w.store("b"), "refs/heads/doc"));
    assert_eq!(tip, w.rev_parse(&w.remote(), "refs/heads/doc"));
    // Nothing lost: every text, in capture-time order.
    let mut want = vec![base.to_string()];
    want.extend(texts.iter().map(|(_, t, _)| t.to_string()));
    assert_eq!(w.texts("a", "doc"), want);
    // Numbers, figures, times and messages are those of a store where the
    // same texts were recorded in that order.
    for (t, at, m) in [(base, "2023-01-01T10:00:00Z", "a")]
        .into_iter()
        .chain(texts.iter().map(|(m, t, at)| (*t, *at, *m)))
    {
        w.record("c", "doc", t, at);
        let _ = m;
    }
    let lc = w.log("c", "doc");
    // Messages differ only by machine name; compare the figures and times.
    for (x, y) in la
        .as_array()
        .expect("array")
        .iter()
        .zip(lc.as_array().expect("array"))
    {
        for k in ["rev", "time", "words", "added", "removed"] {
            assert_eq!(x[k], y[k], "{k} of {x} vs {y}");
        }
    }
    assert_eq!(without_ids(&la).as_array().map(Vec::len), Some(5));
    // B's replaced tip stays reachable, with every revision B had.
    let (_, replaced) = w.git_in(
        &w.store("b"),
        &[
            "for-each-ref",
            "--format=%(objectname) %(refname)",
            "refs/redliner/replaced/doc",
        ],
    );
    // B's own tip, and the remote's (whose last revision was re-linked).
    let kept: Vec<&str> = replaced.lines().collect();
    assert_eq!(kept.len(), 2, "{replaced}");
    let mine = kept
        .iter()
        .find(|l| !l.ends_with("-origin"))
        .expect("B's tip kept");
    assert!(
        mine.starts_with(&format!("{b_tip_before} refs/redliner/replaced/doc/")),
        "{replaced}"
    );
    for id in b_revs_before {
        let (ok, _) = w.git_in(
            &w.store("b"),
            &["merge-base", "--is-ancestor", &id, &b_tip_before],
        );
        assert!(ok);
        let (ok, _) = w.git_in(&w.store("b"), &["cat-file", "-e", &id]);
        assert!(ok, "{id} is still in B's store");
    }
    assert!(
        out_b.contains(&format!(
            "  kept the replaced tip of doc as {}",
            mine.split(' ').nth(1).expect("refname")
        )),
        "{out_b}"
    );
    // Re-linked revisions keep their message and trailers, renumbered.
    let (_, body) = w.git_in(&w.store("a"), &["log", "-1", "--format=%B", "doc~2"]);
    assert!(
        body.starts_with("b at 2023-01-02T12:00:00Z\n\nRedliner-Revision: 3\n"),
        "{body}"
    );
    // Syncing again changes nothing anywhere.
    assert_eq!(w.sync("a"), "up to date with origin\n");
    assert_eq!(w.sync("b"), "up to date with origin\n");
    w.all_clean(&["a", "b"]);
}

#[test]
fn the_same_text_captured_on_both_machines_becomes_one_revision() {
    let w = World::new();
    w.add_origin("a");
    w.add_origin("b");
    w.record("a", "doc", "Base text.\n", "2023-01-01T10:00:00Z");
    w.sync("a");
    w.sync("b");
    w.record("a", "doc", "Corrected text.\n", "2023-01-02T10:00:00Z");
    w.record("b", "doc", "Corrected text.\n", "2023-01-02T10:05:00Z");
    w.record(
        "b",
        "doc",
        "Corrected text, again.\n",
        "2023-01-03T10:00:00Z",
    );
    w.sync("a");
    let out = w.sync("b");
    assert!(
        out.contains(
            "  same text as doc@2: doc@2 here (captured 2023-01-02 10:05 +0000), kept once\n"
        ),
        "{out}"
    );
    w.sync("a");
    let log = w.log("a", "doc");
    assert_eq!(log, w.log("b", "doc"));
    assert_eq!(
        w.texts("a", "doc"),
        [
            "Base text.\n",
            "Corrected text.\n",
            "Corrected text, again.\n"
        ]
    );
    // The earlier capture is the one kept.
    assert_eq!(log[1]["time"], "2023-01-02T10:00:00Z");
    assert_eq!(log[1]["message"], "a at 2023-01-02T10:00:00Z");
    w.all_clean(&["a", "b"]);
}

#[test]
fn documents_new_on_both_sides_and_a_document_on_one_side_only() {
    let w = World::new();
    w.add_origin("a");
    w.add_origin("b");
    // The same document started independently on both machines.
    w.record("a", "both", "Started on A.\n", "2023-01-01T10:00:00Z");
    w.record("b", "both", "Started on B.\n", "2023-01-01T09:00:00Z");
    w.record("b", "only-b", "Only on B.\n", "2023-01-01T09:00:00Z");
    w.sync("a");
    w.sync("b");
    w.sync("a");
    assert_eq!(w.log("a", "both"), w.log("b", "both"));
    assert_eq!(w.texts("a", "both"), ["Started on B.\n", "Started on A.\n"]);
    assert_eq!(w.log("a", "only-b"), w.log("b", "only-b"));
    w.all_clean(&["a", "b"]);
}

#[test]
fn watch_lists_and_observation_logs_are_merged() {
    use common::web::{html, press_page, Server};
    let srv = Server::start();
    let statement = "Secretary of Defense Lloyd J. Austin III met with the Japanese and Korean ministers today to discuss the trilateral security cooperation between the three countries.\n\nThe leaders reaffirmed their commitment to a free and open Indo-Pacific region and agreed to meet again next year in Tokyo.";
    srv.set("/w", html(&press_page(statement, 1)));
    let w = World::new();
    w.add_origin("a");
    w.add_origin("b");
    w.ok("a", &["watch", "add", "w", &srv.url("/w")]);
    w.sync("a");
    w.sync("b");
    w.ok("a", &["watch", "add", "u", "https://example.org/u"]);
    w.ok("b", &["watch", "add", "v", "https://example.org/v"]);
    let checked = |m: &str| {
        let r = common::web::run_with(
            &w.env,
            &["--store", w.store(m).to_str().expect("utf-8"), "check", "w"],
            &[("REDLINER_ALLOW_PRIVATE", "1")],
        );
        assert_eq!(r.code, 0, "{} {}", r.out(), r.stderr);
    };
    checked("a");
    // Checks are kept apart by their time (one second).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    checked("b");
    w.sync("a");
    let out = w.sync("b");
    assert!(out.contains("merged the watch lists: 3 entries"), "{out}");
    assert!(
        out.contains("merged the observation logs of w: 2 checks"),
        "{out}"
    );
    w.sync("a");
    let list = |m: &str| w.ok(m, &["watch", "list"]);
    assert_eq!(list("a"), list("b"));
    let docs: BTreeSet<String> = list("a")
        .lines()
        .map(|l| l.split(' ').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        docs,
        BTreeSet::from(["u".to_string(), "v".into(), "w".into()])
    );
    let checks = |m: &str| w.ok(m, &["log", "w", "--checks", "--json"]);
    assert_eq!(checks("a"), checks("b"));
    let c: serde_json::Value = serde_json::from_str(&checks("a")).expect("json");
    assert_eq!(c.as_array().map(Vec::len), Some(2), "{c}");
    // The same page captured on both machines is one revision.
    assert_eq!(w.log("a", "w"), w.log("b", "w"));
    assert_eq!(w.log("a", "w").as_array().map(Vec::len), Some(1));
    w.all_clean(&["a", "b"]);
}

#[test]
fn remote_add_list_remove_and_clear_errors() {
    let w = World::new();
    let url = w.remote();
    let url = url.to_str().expect("utf-8 path");
    assert_eq!(
        w.ok("a", &["remote", "add", "origin", url]),
        format!("added remote origin: {url}\n")
    );
    w.ok("a", &["remote", "add", "backup", "/nowhere/backup.git"]);
    assert_eq!(
        w.ok("a", &["remote", "list"]),
        format!("backup\t/nowhere/backup.git\norigin\t{url}\n")
    );
    // Configured so that plain git carries the watch list and the logs too,
    // into the private namespace, and never pushes that namespace back.
    let (_, fetch) = w.git_in(
        &w.store("a"),
        &["config", "--get-all", "remote.origin.fetch"],
    );
    assert_eq!(
        fetch,
        "+refs/heads/*:refs/redliner/remotes/origin/heads/*\n+refs/redliner/watch*:refs/redliner/remotes/origin/watch*\n+refs/redliner/checks/*:refs/redliner/remotes/origin/checks/*\n"
    );
    let (_, push) = w.git_in(
        &w.store("a"),
        &["config", "--get-all", "remote.origin.push"],
    );
    assert!(
        !push.contains("remotes") && !push.contains("replaced"),
        "{push}"
    );
    let err = w.fails("a", &["remote", "add", "origin", url]);
    assert!(
        err.contains("a remote named \"origin\" already exists"),
        "{err}"
    );
    for bad in ["bad/name", "-x", "a..b", ".hidden", "x.lock"] {
        let err = w.fails("a", &["remote", "add", "--", bad, url]);
        assert!(err.contains("invalid remote name"), "{bad}: {err}");
    }
    let err = w.fails("a", &["remote", "add", "x", ""]);
    assert!(err.contains("invalid remote URL"), "{err}");
    // An unreachable remote: one line, exit 2, nothing changed locally.
    w.record("a", "doc", "Text.\n", "2023-01-01T10:00:00Z");
    let before = common::snapshot(&w.store("a").join("refs"));
    let err = w.fails("a", &["sync", "backup"]);
    assert!(
        err.contains("fetching from backup failed: git said: fatal:"),
        "{err}"
    );
    assert_eq!(common::snapshot(&w.store("a").join("refs")), before);
    // Unknown remote.
    let err = w.fails("a", &["sync", "nope"]);
    assert!(err.contains("no remote named \"nope\""), "{err}");
    assert_eq!(
        w.ok("a", &["remote", "remove", "backup"]),
        "removed remote backup\n"
    );
    let err = w.fails("a", &["remote", "remove", "backup"]);
    assert!(err.contains("no remote named \"backup\""), "{err}");
    assert_eq!(common::snapshot(&w.store("a").join("refs")), before);
    // Removing a remote forgets what was fetched from it, never a document.
    w.ok("a", &["sync"]);
    let (_, refs) = w.git_in(&w.store("a"), &["for-each-ref", "--format=%(refname)"]);
    assert!(
        refs.contains("refs/redliner/remotes/origin/heads/doc"),
        "{refs}"
    );
    w.ok("a", &["remote", "remove", "origin"]);
    let (_, refs) = w.git_in(&w.store("a"), &["for-each-ref", "--format=%(refname)"]);
    assert_eq!(refs, "refs/heads/doc\n");
    assert_eq!(w.ok("a", &["remote", "list"]), "");
    // Without git on PATH: one line saying so.
    w.add_origin("a");
    let empty = w.env.path().join("empty-bin");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let mut c = w.env.command();
    c.env("PATH", &empty)
        .args(["--store", w.store("a").to_str().expect("utf-8"), "sync"]);
    let out = c.output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot run git"), "{err}");
}

/// A `git` first on PATH that moves the remote's `doc` branch (a new
/// revision "sneaky N", as another machine would push) just before each of
/// the first `moves` pushes, then runs the real git.
fn racing_git(w: &World, moves: u32) -> PathBuf {
    let real = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v git"])
            .output()
            .expect("which git")
            .stdout,
    )
    .expect("utf-8")
    .trim()
    .to_string();
    let dir = w.env.path().join("racing-bin");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let remote = w.remote();
    let script = format!(
        r#"#!/bin/sh
is_push=
for a in "$@"; do [ "$a" = push ] && is_push=1; done
if [ -n "$is_push" ]; then
  n=$(cat "{dir}/count" 2>/dev/null || echo 0)
  if [ "$n" -lt {moves} ]; then
    n=$((n + 1)); echo $n > "{dir}/count"
    R="{real} --git-dir={remote}"
    old=$($R rev-parse refs/heads/doc)
    blob=$(printf 'Sneaky revision %s.\n' $n | $R hash-object -w --stdin)
    tree=$(printf '100644 blob %s\tdoc.txt\n' $blob | $R mktree)
    export GIT_AUTHOR_NAME=other GIT_AUTHOR_EMAIL=other@localhost GIT_COMMITTER_NAME=other GIT_COMMITTER_EMAIL=other@localhost
    export GIT_AUTHOR_DATE="2023-01-05T00:00:0${{n}}Z" GIT_COMMITTER_DATE="2023-01-05T00:00:0${{n}}Z"
    new=$($R commit-tree $tree -p $old -m "sneaky $n")
    $R update-ref refs/heads/doc $new $old
    echo $new > "{dir}/last"
  fi
fi
exec {real} "$@"
"#,
        dir = dir.display(),
        remote = remote.display(),
    );
    let path = dir.join("git");
    std::fs::write(&path, script).expect("write script");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    dir
}

fn run_with_git(w: &World, m: &str, bin: &Path, args: &[&str]) -> Run {
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = w.env.command();
    c.env("PATH", path)
        .args(["--store", w.store(m).to_str().expect("utf-8")])
        .args(args);
    let out = c.output().expect("run");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_remote_that_moved_after_the_fetch_is_never_overwritten() {
    let w = World::new();
    w.add_origin("b");
    w.record("b", "doc", "Base.\n", "2023-01-01T10:00:00Z");
    w.sync("b");
    w.record("b", "doc", "B's new text.\n", "2023-01-06T10:00:00Z");
    // The remote moves once between the fetch and the push: the lease
    // refuses the push, sync fetches again and merges the newcomer.
    let bin = racing_git(&w, 1);
    let r = run_with_git(&w, "b", &bin, &["sync"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = r.out();
    assert!(
        out.contains("origin changed during round 1; fetching again"),
        "{out}"
    );
    assert!(out.ends_with("pushed doc@3 to origin\n"), "{out}");
    assert_eq!(
        w.texts("b", "doc"),
        ["Base.\n", "Sneaky revision 1.\n", "B's new text.\n"]
    );
    assert_eq!(
        w.rev_parse(&w.remote(), "refs/heads/doc"),
        w.rev_parse(&w.store("b"), "refs/heads/doc")
    );
    w.all_clean(&["b"]);
}

#[test]
fn a_remote_that_keeps_moving_is_reported_and_left_as_it_is() {
    let w = World::new();
    w.add_origin("b");
    w.record("b", "doc", "Base.\n", "2023-01-01T10:00:00Z");
    w.sync("b");
    w.record("b", "doc", "B's new text.\n", "2023-01-06T10:00:00Z");
    let local = w.rev_parse(&w.store("b"), "refs/heads/doc");
    let bin = racing_git(&w, 100);
    let r = run_with_git(&w, "b", &bin, &["sync"]);
    assert_eq!(r.code, 2, "{}", r.out());
    assert_eq!(r.stderr.trim_end().lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the remote \"origin\" kept changing while syncing")
            && r.stderr.contains("tried 5 times"),
        "{}",
        r.stderr
    );
    // The remote ends with what the other machine pushed last, untouched.
    let last = std::fs::read_to_string(bin.join("last")).expect("last");
    assert_eq!(w.rev_parse(&w.remote(), "refs/heads/doc"), last.trim());
    // Locally every revision is still there (merged with what was fetched).
    let texts = w.texts("b", "doc");
    assert!(texts.contains(&"B's new text.\n".to_string()), "{texts:?}");
    let (ok, _) = w.git_in(&w.store("b"), &["cat-file", "-e", &local]);
    assert!(ok);
    w.all_clean(&["b"]);
}

#[test]
fn a_record_during_sync_is_never_lost() {
    let w = World::new();
    w.add_origin("a");
    w.add_origin("b");
    w.record("a", "doc", "Base text.\n", "2023-01-01T10:00:00Z");
    w.sync("a");
    w.sync("b");
    // B records in a loop (now, so after everything A records below),
    // while A keeps pushing older revisions: each sync of B re-links B's
    // revisions and moves its ref while records are moving it too.
    const N: usize = 25;
    let store_b = w.store("b");
    let env_path = w.env.path().to_path_buf();
    let recorder = {
        let mut cmds = Vec::new();
        for i in 0..N {
            let mut c = w.env.command();
            c.args([
                "--store",
                store_b.to_str().expect("utf-8"),
                "record",
                "doc",
                "-",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .current_dir(&env_path);
            cmds.push((i, c));
        }
        std::thread::spawn(move || {
            for (i, mut c) in cmds {
                let mut child = c.spawn().expect("spawn record");
                {
                    use std::io::Write;
                    let mut si = child.stdin.take().expect("stdin");
                    si.write_all(format!("B's revision number {i}.\n").as_bytes())
                        .expect("write");
                }
                let out = child.wait_with_output().expect("record");
                assert!(
                    out.status.success(),
                    "record {i}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        })
    };
    for k in 0..6 {
        w.record(
            "a",
            "doc",
            &format!("A's revision number {k}.\n"),
            &format!("2023-01-0{}T10:00:00Z", k + 2),
        );
        w.sync("a");
        w.sync("b");
    }
    recorder.join().expect("recorder");
    w.sync("b");
    w.sync("a");
    assert_eq!(w.log("a", "doc"), w.log("b", "doc"));
    let texts: BTreeSet<String> = w.texts("a", "doc").into_iter().collect();
    for i in 0..N {
        assert!(
            texts.contains(&format!("B's revision number {i}.\n")),
            "B's record {i} was lost"
        );
    }
    for k in 0..6 {
        assert!(texts.contains(&format!("A's revision number {k}.\n")));
    }
    assert_eq!(texts.len(), 1 + N + 6);
    w.all_clean(&["a", "b"]);
}

/// The block after `heading` in the README that follows the line `intro`
/// (or the first block when `intro` is empty).
fn readme_block(heading: &str, intro: &str) -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let section = &readme[readme.find(heading).expect("heading")..];
    let from = if intro.is_empty() {
        section
    } else {
        &section[section.find(intro).expect("intro")..]
    };
    let start = from.find("```").expect("block");
    let body = &from[start..];
    let body = &body[body.find('\n').expect("fence line") + 1..];
    body[..body.find("```").expect("end of block")].to_string()
}

#[test]
fn the_readme_two_machine_scenario_runs_as_written() {
    let w = World::new();
    let heading = "### Sync between machines";
    let script = readme_block(heading, "");
    let bin = Path::new(env!("CARGO_BIN_EXE_redliner"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let tmp = w.env.path().join("tmp");
    std::fs::create_dir_all(&tmp).expect("mkdir");
    let out = Command::new("sh")
        .arg("-e")
        .arg("-c")
        .arg(&script)
        .env_clear()
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("HOME", w.env.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TZ", "UTC")
        .env("TMPDIR", &tmp)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run the scenario");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = readme_block(heading, "and both machines' log is:");
    assert!(stdout.ends_with(&log), "{stdout}\nwant:\n{log}");
    // The sync lines shown, but for the time in the replaced tips' names.
    let shown = readme_block(heading, "The three syncs print");
    let strip = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| match l.find("/dod-trilateral/20") {
                Some(i) => l[..i].to_string(),
                None => l.to_string(),
            })
            .collect()
    };
    let got = strip(&stdout);
    for line in strip(&shown) {
        assert!(got.contains(&line), "{line:?} not in:\n{stdout}");
    }
}

#[test]
fn a_server_without_atomic_pushes_still_gets_leased_pushes() {
    let w = World::new();
    let (ok, out) = w.git_in(&w.remote(), &["config", "receive.advertiseAtomic", "false"]);
    assert!(ok, "{out}");
    w.add_origin("a");
    w.add_origin("b");
    w.record("a", "one", "One.\n", "2023-01-01T10:00:00Z");
    w.record("a", "two", "Two.\n", "2023-01-01T10:00:00Z");
    assert_eq!(
        w.sync("a"),
        "pushed one@1 to origin\npushed two@1 to origin\n"
    );
    w.sync("b");
    w.record("b", "one", "One, from B.\n", "2023-01-02T10:00:00Z");
    w.record("a", "one", "One, from A.\n", "2023-01-03T10:00:00Z");
    w.sync("b");
    let out = w.sync("a");
    assert!(out.ends_with("pushed one@3 to origin\n"), "{out}");
    w.sync("b");
    assert_eq!(w.log("a", "one"), w.log("b", "one"));
    w.all_clean(&["a", "b"]);
}
