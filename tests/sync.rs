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
        let (ok, out) = w.git_in(
            &w.env.path().to_path_buf(),
            &["init", "-q", "--bare", "remote.git"],
        );
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
    assert!(out_b.starts_with("merged doc: 2 revisions from origin, 2 local revisions renumbered, 0 same text kept once; now @5\n"), "{out_b}");
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
    assert!(out_a.starts_with("merged doc: 2 revisions from origin, 1 local revision renumbered, 0 same text kept once; now @5\n  renumbered doc@3 -> @4 (captured 2023-01-03 10:00 +0000)\n"), "{out_a}");
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
