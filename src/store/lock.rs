//! Locks and leftovers: redliner's own per-document writer lock, the sweep of
//! libgit2's abandoned temporary objects, and git's ref lock files.

use super::error::{StoreError, WriteFailure};
use super::Store;
use crate::model::DocId;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The per-document writer lock; released when dropped or when the process dies.
pub struct WriterLock {
    _file: std::fs::File,
}

impl Store {
    /// Takes the per-document writer lock: an advisory lock on a file of
    /// redliner's own inside the store, released by the kernel when the
    /// process dies. While it is held no other redliner writes this document,
    /// which is what makes a leftover git `.lock` file provably stale.
    /// Waits at most `wait`.
    pub fn lock_writer(&self, doc: &DocId, wait: Duration) -> Result<WriterLock, StoreError> {
        let dir = self.repo.path().join("redliner").join("locks");
        let fail = |source: std::io::Error| StoreError::NotRecorded {
            doc: doc.to_string(),
            cause: WriteFailure::LockFile {
                dir: dir.clone(),
                source,
            },
            state: "the store was not changed".into(),
        };
        std::fs::create_dir_all(&dir).map_err(fail)?;
        let path = dir.join(doc.as_str());
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(fail)?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(WriterLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(StoreError::Contention {
                        doc: doc.to_string(),
                        attempts: 1,
                    })
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(fail(e)),
            }
        }
    }

    /// Removes libgit2's temporary object files (`objects/tmp_object_git2_*`)
    /// older than `max_age`: a writer killed while writing an object leaves
    /// one behind, and writing an object takes milliseconds. Best effort.
    pub fn sweep_temporary_objects(&self, max_age: Duration) -> usize {
        let mut removed = 0;
        let Ok(dir) = std::fs::read_dir(self.repo.path().join("objects")) else {
            return 0;
        };
        for e in dir.flatten() {
            let name = e.file_name();
            if !name.to_string_lossy().starts_with("tmp_object_git2_") {
                continue;
            }
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|m| m.elapsed().ok())
                .is_some_and(|age| age > max_age);
            if old && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    /// The git lock file of a document's ref, and its age, if one exists.
    pub fn ref_lock(&self, doc: &DocId) -> Option<(PathBuf, Duration)> {
        let path = self
            .repo
            .path()
            .join(format!("{}.lock", Self::refname(doc)));
        let meta = std::fs::symlink_metadata(&path).ok()?;
        let age = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .unwrap_or_default();
        Some((path, age))
    }

    /// Removes a git lock file that the caller proved stale.
    pub fn remove_ref_lock(&self, path: &Path) -> Result<(), StoreError> {
        std::fs::remove_file(path).map_err(|source| StoreError::RemoveStaleLock {
            path: path.to_path_buf(),
            source,
        })
    }
}
