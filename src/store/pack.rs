//! Packing: libgit2 writes loose objects and never packs them, so the store
//! packs itself through the `git` command (`git gc`, `git repack`).
//!
//! Safety against a concurrent `record`: a writer's new objects are loose
//! and young until its ref moves. `git repack -d` (without `-a`) packs the
//! loose objects reachable from refs and then deletes only loose objects
//! that are now in a pack (`git prune-packed`); `git gc` prunes unreachable
//! loose objects only past git's grace period (`gc.pruneExpire`, two weeks
//! by default), never `--prune=now`. So neither deletes an object a writer
//! has written and not yet referenced. Every ref counts as reachable,
//! `refs/redliner/*` included.

use super::error::StoreError;
use super::Store;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A background packing's lock older than this was left by a packing that
/// died (packing the loose objects takes seconds).
pub const PACK_LOCK_STALE: Duration = Duration::from_secs(600);
use std::process::{Command, Stdio};

/// Loose objects past which `record` packs (git's `gc.auto` is 6,700; a
/// revision writes 3 objects, so this packs about every 330 revisions).
pub const DEFAULT_AUTO_PACK: u64 = 1000;

/// More packs than this and the automatic packing consolidates them
/// (git's `gc.autoPackLimit`).
pub const AUTO_PACK_LIMIT: usize = 50;

/// What the store's object directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Objects {
    /// Loose object files.
    pub loose: u64,
    /// Pack files.
    pub packs: usize,
}

/// How to pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackKind {
    /// `git gc --quiet`: everything into one pack, refs packed, unreachable
    /// loose objects past the grace period pruned.
    Full,
    /// `git repack -d -q`: the loose objects into one new pack; its cost is
    /// in proportion to the loose objects, not to the store.
    Incremental,
}

/// Counts the loose objects in `objects/00` .. `objects/ff` (256 directory
/// reads; about a millisecond on a store of thousands of loose objects).
fn count_loose(objects: &Path) -> u64 {
    let mut n = 0;
    for i in 0..=255u8 {
        let Ok(dir) = std::fs::read_dir(objects.join(format!("{i:02x}"))) else {
            continue;
        };
        n += dir.flatten().filter(|e| e.file_name().len() == 38).count() as u64;
    }
    n
}

fn count_packs(objects: &Path) -> usize {
    std::fs::read_dir(objects.join("pack"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".pack"))
                .count()
        })
        .unwrap_or(0)
}

impl Store {
    /// Loose objects and packs in the store.
    pub fn objects(&self) -> Objects {
        let objects = self.repo.path().join("objects");
        Objects {
            loose: count_loose(&objects),
            packs: count_packs(&objects),
        }
    }

    /// Packs the store through the git command, after waiting (at most
    /// `wait`) for a background packing to end: two git repacks at once
    /// trip over each other's temporary packs. Holds the pack lock while it
    /// runs.
    pub fn pack_waiting(&self, kind: PackKind, wait: Duration) -> Result<(), StoreError> {
        let lock = self.pack_lock_path();
        if let Some(dir) = lock.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let started = std::time::Instant::now();
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock)
            {
                Ok(_) => break,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = std::fs::metadata(&lock)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|m| m.elapsed().ok())
                        .is_some_and(|a| a >= PACK_LOCK_STALE);
                    if stale {
                        let _ = std::fs::remove_file(&lock);
                    } else if started.elapsed() > wait {
                        return Err(StoreError::Pack {
                            command: "git gc".into(),
                            reason: format!(
                                "not started: another packing holds {} (for longer than {} s)",
                                lock.display(),
                                wait.as_secs()
                            ),
                            store: self.path.clone(),
                        });
                    } else {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
                // Without a lock directory, pack anyway.
                Err(_) => return self.pack(kind),
            }
        }
        let result = self.pack(kind);
        let _ = std::fs::remove_file(&lock);
        result
    }

    /// Packs the store through the git command.
    pub fn pack(&self, kind: PackKind) -> Result<(), StoreError> {
        let args: &[&str] = match kind {
            // No cruft pack: git would move the young unreachable objects
            // of a record in progress into one and delete their loose
            // files, and libgit2 in that record then failed to find its
            // own new commit ("target OID for the reference doesn't
            // exist", 1 run in 15 of the concurrency test). Without it they
            // stay loose, untouched, until the grace period.
            PackKind::Full => &["-c", "gc.cruftPacks=false", "gc", "--quiet"],
            PackKind::Incremental => &["repack", "-d", "-q"],
        };
        let command = format!("git {}", args.join(" "));
        let fail = |reason: String| StoreError::Pack {
            command: command.clone(),
            reason,
            store: self.path.clone(),
        };
        let out = Command::new("git")
            .arg("-C")
            .arg(self.repo.path())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| {
                fail(if e.kind() == std::io::ErrorKind::NotFound {
                    "could not start: git is not installed or not on PATH".to_string()
                } else {
                    format!("could not start: {e}")
                })
            })?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Err(fail(format!("failed ({}): {}", out.status, first.trim())));
        }
        Ok(())
    }

    /// Where a background packing keeps its lock: created (exclusively) by
    /// the command that starts it, removed by the packing when it ends.
    pub fn pack_lock_path(&self) -> PathBuf {
        self.repo.path().join("redliner").join("pack.lock")
    }

    /// Starts packing in the background when more than `threshold` objects
    /// are loose (0: never), like git's `gc.auto`: `git repack -d -q` (the
    /// loose objects into a new pack), then, past [`AUTO_PACK_LIMIT`]
    /// packs, `git gc --auto --quiet` to consolidate them. The packing runs
    /// detached and the caller does not wait for it (on a busy machine
    /// packing 1,000 loose objects took 1.3 to 1.8 s of wall time). Only
    /// one packing runs at a time: a lock younger than [`PACK_LOCK_STALE`]
    /// means one is running, and nothing is started. Returns whether one
    /// was started.
    pub fn auto_pack(&self, threshold: u64) -> Result<bool, StoreError> {
        if threshold == 0 {
            return Ok(false);
        }
        let objects = self.objects();
        if objects.loose <= threshold {
            return Ok(false);
        }
        let lock = self.pack_lock_path();
        let fail = |e: std::io::Error| StoreError::Pack {
            command: "git repack -d -q".into(),
            reason: format!("could not start: {e}"),
            store: self.path.clone(),
        };
        if let Some(dir) = lock.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let created = |lock: &Path| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(lock)
        };
        match created(&lock) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let age = std::fs::metadata(&lock)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|m| m.elapsed().ok());
                // A packing that died left its lock: take it over.
                if age.is_none_or(|a| a < PACK_LOCK_STALE) {
                    return Ok(false);
                }
                let _ = std::fs::remove_file(&lock);
                if created(&lock).is_err() {
                    return Ok(false);
                }
            }
            Err(e) => return Err(fail(e)),
        }
        let consolidate = if objects.packs + 1 > AUTO_PACK_LIMIT {
            " && git -C \"$1\" gc --auto --quiet"
        } else {
            ""
        };
        let script = format!("git -C \"$1\" repack -d -q{consolidate}; rm -f \"$2\"");
        let spawned = {
            use std::os::unix::process::CommandExt;
            Command::new("sh")
                .arg("-c")
                .arg(&script)
                .arg("redliner-pack")
                .arg(self.repo.path())
                .arg(&lock)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                // Its own process group: a Ctrl-C meant for the command
                // that started it does not interrupt it.
                .process_group(0)
                .spawn()
        };
        match spawned {
            Ok(_child) => Ok(true),
            Err(e) => {
                let _ = std::fs::remove_file(&lock);
                Err(fail(e))
            }
        }
    }
}
