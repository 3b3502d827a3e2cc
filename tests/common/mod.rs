//! Runs the real binary against a store in a temporary directory, with HOME
//! pointed there and git's system and global config ignored.
#![allow(dead_code)]

pub mod html;
pub mod web;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Env {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn out(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn store(&self) -> PathBuf {
        self.path().join("store.git")
    }

    pub fn fixture(case: &str, version: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(case)
            .join(format!("{version}.txt"))
    }

    /// Writes a file in the temporary directory and returns its path.
    pub fn file(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(name);
        std::fs::write(&p, content).expect("write file");
        p
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_redliner"));
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("TZ", "UTC")
            .env("REDLINER_STORE", self.store())
            .current_dir(self.path());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_stdin(args, None)
    }

    pub fn run_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> Run {
        let mut c = self.command();
        c.args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("spawn redliner");
        if let Some(data) = stdin {
            use std::io::Write;
            let mut si = child.stdin.take().expect("stdin");
            si.write_all(data).expect("write stdin");
        }
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().expect("wait");
        Run {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Runs and asserts success (exit 0), returning stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(r.code, 0, "redliner {args:?} failed: {}", r.stderr);
        r.out()
    }

    /// Runs and asserts exit 2 with a single-line message on stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(
            r.code,
            2,
            "redliner {args:?} should fail; stdout {}",
            r.out()
        );
        assert_eq!(
            r.stderr.trim_end().lines().count(),
            1,
            "one line: {:?}",
            r.stderr
        );
        assert!(r.stderr.starts_with("redliner: "), "{:?}", r.stderr);
        r.stderr
    }

    /// Records a fixture version at a given time.
    pub fn record_fixture(&self, doc: &str, case: &str, version: &str, at: &str) -> String {
        let f = Env::fixture(case, version);
        self.ok(&["record", doc, f.to_str().expect("utf-8 path"), "--at", at])
    }

    /// Runs git on the store with an isolated environment.
    pub fn git(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new("git")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .arg("-C")
            .arg(self.store())
            .args(args)
            .output()
            .expect("run git");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    }

    /// Every file under the store with its bytes, to prove nothing changed.
    pub fn snapshot_store(&self) -> Vec<(PathBuf, Vec<u8>)> {
        snapshot(&self.store())
    }
}

/// Every file under `root` (or `root` itself if it is a file) with its bytes.
pub fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(p: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .expect("read dir")
                .map(|e| e.expect("dir entry").path())
                .collect();
            entries.sort();
            // Directories are part of the shape too (an empty one would
            // otherwise go unnoticed).
            out.push((p.to_path_buf(), b"<dir>".to_vec()));
            for e in entries {
                walk(&e, out);
            }
        } else if p.exists() {
            out.push((p.to_path_buf(), std::fs::read(p).expect("read file")));
        }
    }
    let mut v = Vec::new();
    walk(root, &mut v);
    v
}

/// The seed statement (fixtures/dod-trilateral), every capture recorded.
pub fn dod_store() -> Env {
    let env = Env::new();
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dod-trilateral/README"),
    )
    .expect("README");
    for line in readme.lines() {
        let Some((num, rest)) = line.split_once(": ") else {
            continue;
        };
        if num.len() != 2 || !num.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let (at, msg) = rest.split_once(' ').unwrap_or((rest, ""));
        let f = Env::fixture("dod-trilateral", num);
        env.ok(&[
            "record",
            "dod-trilateral",
            f.to_str().expect("utf-8 path"),
            "--at",
            at,
            "-m",
            msg,
            "--source",
            "https://www.defense.gov/News/Releases/Release/Article/3584872/",
        ]);
    }
    env
}
