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
use std::path::Path;
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
    /// `git gc --auto --quiet`: git's own automatic housekeeping, which
    /// consolidates packs past `gc.autoPackLimit` in the background (git
    /// detaches it, `gc.autoDetach`), so the caller does not wait for it.
    Background,
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

    /// Packs the store through the git command.
    pub fn pack(&self, kind: PackKind) -> Result<(), StoreError> {
        let args: &[&str] = match kind {
            PackKind::Full => &["gc", "--quiet"],
            PackKind::Incremental => &["repack", "-d", "-q"],
            PackKind::Background => &["gc", "--auto", "--quiet"],
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

    /// Packs when more than `threshold` objects are loose (0: never), like
    /// git's `gc.auto`: the loose objects into a new pack, then, past
    /// [`AUTO_PACK_LIMIT`] packs, git's own `gc --auto` in the background to
    /// consolidate them. Skips when another redliner is packing. Returns
    /// what was done.
    pub fn auto_pack(&self, threshold: u64) -> Result<Option<PackKind>, StoreError> {
        if threshold == 0 {
            return Ok(None);
        }
        let objects = self.objects();
        if objects.loose <= threshold {
            return Ok(None);
        }
        // Beside `locks/` (whose files are named after documents), so no
        // document id can share it.
        let dir = self.repo.path().join("redliner");
        let Ok(()) = std::fs::create_dir_all(&dir) else {
            return Ok(None);
        };
        let Ok(file) = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("pack-lock"))
        else {
            return Ok(None);
        };
        if file.try_lock().is_err() {
            return Ok(None);
        }
        self.pack(PackKind::Incremental)?;
        if objects.packs + 1 > AUTO_PACK_LIMIT {
            self.pack(PackKind::Background)?;
            return Ok(Some(PackKind::Background));
        }
        Ok(Some(PackKind::Incremental))
    }
}
