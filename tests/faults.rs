//! Damage, crashes and failing disks: verify finds damage, a SIGKILL never
//! loses an acknowledged revision, a stale lock is recovered, a full or
//! read-only filesystem gives one clear error and loses nothing.

mod common;
use common::Env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

fn record_text(env: &Env, doc: &str, text: &str) -> common::Run {
    env.run_stdin(&["record", doc, "-"], Some(text.as_bytes()))
}

/// Files whose names mark an unfinished write: lock files and libgit2's
/// temporary objects.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
            } else if name.ends_with(".lock") || name.starts_with("tmp_") {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn verify_is_clean_on_a_good_store() {
    let env = Env::new();
    for v in ["01", "02", "03"] {
        env.record_fixture(
            "dod",
            "dod-trilateral",
            v,
            &format!("2023-11-1{}T00:00:00Z", &v[1..]),
        );
    }
    env.record_fixture("typo", "typo-fix", "01", "2023-11-12T00:00:00Z");
    let out = env.ok(&["verify"]);
    assert_eq!(
        out,
        "verified 2 documents, 4 revisions, 12 objects: no problems\n"
    );
}

#[test]
fn verify_finds_a_truncated_object_and_garbage_ref_and_others_still_read() {
    let env = Env::new();
    for v in ["01", "02", "03"] {
        env.record_fixture(
            "dod",
            "dod-trilateral",
            v,
            &format!("2023-11-1{}T00:00:00Z", &v[1..]),
        );
    }
    env.record_fixture("other", "typo-fix", "01", "2023-11-12T00:00:00Z");
    env.record_fixture("third", "typo-fix", "02", "2023-11-12T00:00:00Z");
    // Truncate the text of dod@2 (a loose object).
    let (_, blob) = env.git(&["rev-parse", "dod~1:dod.txt"]);
    let blob = blob.trim();
    let obj = env
        .store()
        .join("objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    let bytes = std::fs::read(&obj).unwrap();
    std::fs::remove_file(&obj).unwrap();
    std::fs::write(&obj, &bytes[..20]).unwrap();
    // Garbage in another document's ref.
    std::fs::write(env.store().join("refs/heads/other"), b"garbage\n").unwrap();

    let r = env.run(&["verify"]);
    assert_eq!(r.code, 2);
    let out = r.out();
    let problems: Vec<&str> = out.lines().filter(|l| l.starts_with("problem: ")).collect();
    assert_eq!(problems.len(), 2, "{out}");
    assert!(
        problems[0].starts_with("problem: dod@2 (commit ") && problems[0].contains(blob),
        "{out}"
    );
    assert!(problems[0].contains("damaged"), "{out}");
    assert!(
        problems[1].starts_with("problem: other: ") && problems[1].contains("damaged"),
        "{out}"
    );
    assert!(r.stderr.contains("2 problems"), "{}", r.stderr);

    // Reading the damaged revision fails fast with a clear error; everything
    // else keeps working.
    let started = std::time::Instant::now();
    let msg = env.fails(&["show", "dod@2"]);
    assert!(msg.contains("damaged"), "{msg}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "no hang on a truncated object"
    );
    env.fails(&["diff", "dod@2", "dod@3"]);
    assert_eq!(
        env.run(&["show", "dod@3"]).stdout,
        std::fs::read(Env::fixture("dod-trilateral", "03")).unwrap()
    );
    assert_eq!(
        env.run(&["show", "third"]).stdout,
        std::fs::read(Env::fixture("typo-fix", "02")).unwrap()
    );
    env.ok(&["log", "dod"]);
    let out = env.ok(&[
        "record",
        "dod",
        Env::fixture("dod-trilateral", "04").to_str().unwrap(),
    ]);
    assert!(out.starts_with("recorded dod@4"), "{out}");
}

#[test]
fn abandoned_temporary_objects_are_swept() {
    let env = Env::new();
    env.record_fixture("dod", "dod-trilateral", "01", "2023-11-12T00:00:00Z");
    let old = env.store().join("objects/tmp_object_git2_deadbeef");
    let young = env.store().join("objects/tmp_object_git2_cafef00d");
    std::fs::write(&old, b"partial").unwrap();
    std::fs::write(&young, b"partial").unwrap();
    let f = std::fs::File::options().write(true).open(&old).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(7200))
        .unwrap();
    drop(f);
    env.record_fixture("dod", "dod-trilateral", "02", "2023-11-13T00:00:00Z");
    assert!(!old.exists(), "an hour-old temporary object is swept");
    assert!(young.exists(), "a young one may belong to a live writer");
}

#[test]
fn a_stale_lock_from_a_dead_process_is_removed() {
    let env = Env::new();
    env.record_fixture("dod", "dod-trilateral", "01", "2023-11-12T00:00:00Z");
    let lock = env.store().join("refs/heads/dod.lock");
    let f = std::fs::File::create(&lock).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(60))
        .unwrap();
    drop(f);
    let r = env.run(&[
        "record",
        "dod",
        Env::fixture("dod-trilateral", "02").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.out().starts_with("recorded dod@2"));
    assert!(
        r.stderr.contains("removed a stale lock") && r.stderr.contains("dod.lock"),
        "{}",
        r.stderr
    );
    assert!(!lock.exists());
    let (ok, out) = env.git(&["fsck", "--full", "--strict"]);
    assert!(ok, "{out}");
}

/// SIGKILLs `redliner record` at random moments. Every acknowledged revision
/// must survive unaltered, fsck must stay clean, and the next record must
/// succeed. The soak script runs the same loop for longer.
#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_revision() {
    let env = Env::new();
    env.ok(&["init"]);
    let rounds: u64 = std::env::var("REDLINER_KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let mut acked: Vec<(u64, String)> = Vec::new();
    // Kill anywhere in a record's lifetime: up to twice what one takes here.
    let started = std::time::Instant::now();
    let warm = record_text(&env, "doc", "Warm-up capture.\n");
    assert_eq!(warm.code, 0, "{}", warm.stderr);
    acked.push((1, "Warm-up capture.\n".to_string()));
    let span_us = (started.elapsed().as_micros() as u64 * 2).max(2_000);
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut stale_locks = 0;
    for round in 0..rounds {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let text = format!("Statement, capture {round}. The ministers met on day {round}.\n");
        let mut c = env.command();
        c.args(["record", "doc", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = c.spawn().unwrap();
        {
            use std::io::Write;
            let mut si = child.stdin.take().unwrap();
            let _ = si.write_all(text.as_bytes());
        }
        std::thread::sleep(Duration::from_micros(seed % span_us));
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        if let Some(rest) = stdout.strip_prefix("recorded doc@") {
            let n: u64 = rest.split(' ').next().unwrap().parse().unwrap();
            acked.push((n, text));
        }
        if leftovers(&env.store())
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "lock"))
        {
            stale_locks += 1;
        }
        let (ok, fsck) = env.git(&["fsck", "--full", "--strict", "--no-dangling"]);
        assert!(ok, "round {round}: fsck failed: {fsck}");
    }
    // The next record always succeeds (a stale lock is recovered).
    let r = record_text(&env, "doc", "Final capture after the crashes.\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (n, text) in &acked {
        let r = env.run(&["show", &format!("doc@{n}")]);
        assert_eq!(r.code, 0, "acknowledged doc@{n} is missing: {}", r.stderr);
        assert_eq!(&r.out(), text, "doc@{n} altered");
    }
    env.ok(&["verify"]);
    // No lock survives the next record. Killed writers may leave libgit2's
    // unfinished temporary object files (no ref points at them; fsck
    // ignores them); record sweeps those once they are an hour old.
    let left = leftovers(&env.store());
    let locks: Vec<&PathBuf> = left
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "lock"))
        .collect();
    assert!(locks.is_empty(), "left behind: {locks:?}");
    eprintln!(
        "{rounds} rounds, {} acknowledged, 0 lost, fsck clean every round, {stale_locks} rounds left a stale lock (all recovered), {} temporary object files left",
        acked.len(),
        left.len()
    );
}

/// Mounts a small tmpfs (needs root, as CI and the development machines
/// run); returns None where mounting is not permitted.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
    fn remount(&self, opts: &str) {
        let st = Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(st.success(), "remount {opts}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false)
}

#[test]
fn full_and_read_only_filesystems_fail_cleanly_and_lose_nothing() {
    if !is_root() {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    }
    let env = Env::new();
    let mnt = env.path().join("mnt");
    let fs = Tmpfs::mount(&mnt, "256k").expect("root can mount a tmpfs");
    let store = mnt.join("store.git");
    let s = store.to_str().unwrap();
    let small = Env::fixture("typo-fix", "01");
    let out = env.ok(&["--store", s, "record", "doc", small.to_str().unwrap()]);
    assert!(out.starts_with("recorded doc@1"));

    // Full: a text that does not fit.
    let mut big = String::new();
    let mut i = 0u64;
    while big.len() < 600_000 {
        i = i
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        big.push_str(&format!("word{} ", i >> 40));
    }
    let big_path = env.file("big.txt", &big);
    let r = env.run(&["--store", s, "record", "doc", big_path.to_str().unwrap()]);
    assert_eq!(r.code, 2, "stdout {}", r.out());
    assert_eq!(r.stderr.trim_end().lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("NOT recorded") && r.stderr.contains("doc still ends at @1"),
        "{}",
        r.stderr
    );
    assert_eq!(leftovers(&store), Vec::<PathBuf>::new());
    assert_eq!(
        env.run(&["--store", s, "show", "doc"]).stdout,
        std::fs::read(&small).unwrap()
    );
    fs.remount("size=8m");
    let out = env.ok(&["--store", s, "record", "doc", big_path.to_str().unwrap()]);
    assert!(out.starts_with("recorded doc@2"), "{out}");

    // Read-only.
    fs.remount("ro");
    let r = env.run(&["--store", s, "record", "doc", small.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.trim_end().lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("NOT recorded"), "{}", r.stderr);
    assert_eq!(
        env.run(&["--store", s, "show", "doc@2"]).stdout,
        big.as_bytes()
    );
    env.ok(&["--store", s, "log", "doc"]);
    fs.remount("rw");
    let out = env.ok(&["--store", s, "record", "doc", small.to_str().unwrap()]);
    assert!(out.starts_with("recorded doc@3"), "{out}");
    assert_eq!(leftovers(&store), Vec::<PathBuf>::new());
    env.ok(&["--store", s, "verify"]);
}
