//! Writing a revision: the tree entries and the commit, then the ref moved by
//! compare-and-swap. Objects are written before the ref moves, so a failure
//! leaves at most unreferenced objects.

use super::error::{StoreError, WriteFailure};
use super::trailers::Trailers;
use super::{text_name, Store};
use crate::model::{CaptureTime, DocId, Revision, RevisionId};
use git2::{ErrorCode, Oid};
use std::collections::BTreeSet;

const AUTHOR_NAME: &str = "redliner";
const AUTHOR_EMAIL: &str = "redliner@localhost";

/// What a new commit carries besides its files.
#[derive(Debug, Clone)]
pub struct CommitMeta {
    /// The capture time, written as author and committer time.
    pub time: CaptureTime,
    /// The message's text (its first line the summary).
    pub message: String,
    /// The trailers written after the message; `trailers.revision` is the
    /// number the new revision gets.
    pub trailers: Trailers,
}

/// One file of a revision's tree.
#[derive(Debug, Clone, Copy)]
pub struct TreeFile<'a> {
    /// A plain file name: not empty, no '/', no NUL, not `.` or `..`.
    pub name: &'a str,
    /// The file's bytes, stored verbatim.
    pub bytes: &'a [u8],
}

impl<'a> TreeFile<'a> {
    /// A file of the tree.
    pub fn new(name: &'a str, bytes: &'a [u8]) -> TreeFile<'a> {
        TreeFile { name, bytes }
    }
}

/// The outcome of a compare-and-swap write.
pub enum Written {
    /// The ref moved to the new revision.
    Done(Revision),
    /// The ref no longer had the expected value; nothing was changed.
    Moved,
    /// The ref is locked by another writer right now; nothing was changed.
    Locked,
}

/// Refuses names that are not one plain file name, duplicates, and a tree
/// without the document's text.
fn check_files(doc: &DocId, files: &[TreeFile<'_>]) -> Result<(), StoreError> {
    let bad = |name: &str, rule| StoreError::InvalidTreeEntry {
        doc: doc.to_string(),
        name: name.to_string(),
        rule,
    };
    let mut seen = BTreeSet::new();
    for f in files {
        let rule = if f.name.is_empty() {
            Some("is empty")
        } else if f.name.contains('/') {
            Some("contains '/'")
        } else if f.name.contains('\0') {
            Some("contains a NUL byte")
        } else if f.name == "." || f.name == ".." {
            Some("is not a file name")
        } else if !seen.insert(f.name) {
            Some("is given twice")
        } else {
            None
        };
        if let Some(rule) = rule {
            return Err(bad(f.name, rule));
        }
    }
    let text = text_name(doc);
    if !seen.contains(text.as_str()) {
        return Err(bad(&text, "is missing: every revision holds its text"));
    }
    Ok(())
}

/// Runs an object write again when it failed because its `objects/XX`
/// directory vanished: git's `prune-packed` (run by `git gc` and `git
/// repack -d`, so by `redliner gc` and the automatic packing) removes empty
/// object directories, and libgit2 creates the directory, writes a
/// temporary file and renames it in without retrying when the directory is
/// removed in between (git itself retries).
fn retry_vanished_dir<T>(
    mut write: impl FnMut() -> Result<T, git2::Error>,
) -> Result<T, git2::Error> {
    let mut attempts = 0;
    loop {
        match write() {
            Err(e)
                if attempts < 20
                    && e.class() == git2::ErrorClass::Os
                    && e.message().contains("No such file or directory") =>
            {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            other => return other,
        }
    }
}

impl Store {
    fn state_of(&self, doc: &DocId) -> String {
        match self.latest(doc) {
            Ok(Some(r)) => format!("{doc} still ends at @{}", r.rev),
            Ok(None) => format!("{doc} still has no revisions"),
            Err(e) => format!("the document could not be re-read: {e}"),
        }
    }

    /// Writes a new revision whose parent is `expected` (the tip read by the
    /// caller) and moves the ref only if it still points there. `files` must
    /// hold the text, `<doc-id>.txt` (see [`text_name`]), and may hold others
    /// beside it.
    pub fn write_revision(
        &self,
        doc: &DocId,
        expected: Option<&RevisionId>,
        files: &[TreeFile<'_>],
        meta: &CommitMeta,
    ) -> Result<Written, StoreError> {
        check_files(doc, files)?;
        // Until the ref moves, nothing is recorded: an error here leaves at
        // most unreferenced objects.
        let fail = |e: git2::Error| StoreError::NotRecorded {
            doc: doc.to_string(),
            cause: WriteFailure::Git(e),
            state: self.state_of(doc),
        };
        let expected = expected
            .map(|id| Oid::from_str(id.as_str()))
            .transpose()
            .map_err(fail)?;
        let mut tb = self.repo.treebuilder(None).map_err(fail)?;
        for f in files {
            let blob = retry_vanished_dir(|| self.repo.blob(f.bytes)).map_err(fail)?;
            tb.insert(f.name, blob, 0o100644).map_err(fail)?;
        }
        let tree_id = retry_vanished_dir(|| tb.write()).map_err(fail)?;
        let tree = self.repo.find_tree(tree_id).map_err(fail)?;
        let when = git2::Time::new(meta.time.unix, meta.time.offset_minutes);
        let sig = git2::Signature::new(AUTHOR_NAME, AUTHOR_EMAIL, &when).map_err(fail)?;
        let parent = match expected {
            Some(oid) => {
                self.guard_loose(oid)
                    .map_err(|damage| StoreError::NotRecorded {
                        doc: doc.to_string(),
                        cause: WriteFailure::DamagedParent(damage),
                        state: "the latest revision is damaged; run `redliner verify`".into(),
                    })?;
                Some(self.repo.find_commit(oid).map_err(fail)?)
            }
            None => None,
        };
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let message = meta.trailers.message(&meta.message);
        let oid = retry_vanished_dir(|| {
            self.repo
                .commit(None, &sig, &sig, &message, &tree, &parents)
        })
        .map_err(fail)?;
        let rev = meta.trailers.revision;
        let msg = format!(
            "redliner: record {doc} revision {}",
            rev.map_or_else(|| "?".to_string(), |r| r.to_string())
        );
        match self.repo.reference_matching(
            &Self::refname(doc),
            oid,
            true,
            expected.unwrap_or(Oid::ZERO_SHA1),
            &msg,
        ) {
            Ok(_) => {}
            Err(e) if e.code() == ErrorCode::Modified => return Ok(Written::Moved),
            Err(e) if e.code() == ErrorCode::Locked => return Ok(Written::Locked),
            Err(e) if e.code() == ErrorCode::Exists => return Ok(Written::Moved),
            // A packing running at the same time (git repack) can leave
            // libgit2 unable to see the commit it has just written; write
            // the objects again and retry, as when the ref moved.
            Err(e)
                if e.message()
                    .contains("target OID for the reference doesn't exist") =>
            {
                return Ok(Written::Moved)
            }
            Err(e) => {
                // The ref update reported an error; it may still have happened
                // (libgit2 can fail after the rename). Re-read and tell.
                if self.tip_oid(doc).ok().flatten() != Some(oid) {
                    return Err(fail(e));
                }
            }
        }
        self.point_head_somewhere(doc);
        Ok(Written::Done(self.revision_at(doc, oid, rev)?))
    }
}
