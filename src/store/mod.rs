//! The store: an ordinary bare git repository. The only module that uses git.
//!
//! Each document has its own branch `refs/heads/<doc-id>`; each revision is
//! one commit whose tree holds `<doc-id>.txt`, byte for byte, and any other
//! files recorded beside it. Metadata lives in the commit: the capture time
//! as author and committer time, the message, and trailers
//! (`Redliner-Revision`, `Redliner-Words`, `Redliner-Added`,
//! `Redliner-Removed`, `Source`; see [`trailers`]).
//!
//! Files, by what they hold: `repo` (creating and opening), `refs` (document
//! refs, listing, HEAD), `walk` (the one first-parent walker and everything
//! built on it), `read` (one revision and its text), `select` (selectors),
//! `trailers`, `write`, `lock`, `integrity` (object checks), `verify`, and
//! `error`. `git2` types never leave this folder: callers see
//! [`RevisionId`](crate::model::RevisionId), [`Revision`](crate::model::Revision)
//! and [`StoreError`].

mod blobs;
mod error;
mod integrity;
mod lock;
mod pack;
mod read;
mod refs;
mod repo;
mod select;
mod side;
mod sync;
pub mod trailers;
mod verify;
mod walk;
mod write;

pub use blobs::{BlobId, RevisionBlob};
pub use error::{Damage, StoreError, WriteFailure};
pub use integrity::{LooseDamage, ObjectDamage};
pub use lock::WriterLock;
pub use pack::{Objects, PackKind, DEFAULT_AUTO_PACK};
pub use refs::Listed;
pub use sync::{
    Event as SyncEvent, Figures, RemoteInfo, SyncError, SyncReport, MAX_ROUNDS as SYNC_MAX_ROUNDS,
};
pub use trailers::{TrailerKey, Trailers};
pub use verify::{Problem, VerifyReport};
pub use walk::Texts;
pub use write::{CommitMeta, TreeFile, Written};

use crate::model::{DocId, RevisionId};
use git2::{Oid, Repository};
use std::path::PathBuf;

/// An open store.
pub struct Store {
    repo: Repository,
    path: PathBuf,
    /// Which loose-object directories (`objects/00` .. `objects/ff`)
    /// existed when first asked: the loose guard skips looking for a file
    /// in a directory that did not (after `gc`, none does).
    loose_dirs: std::cell::OnceCell<[bool; 256]>,
}

/// The revision id of a commit.
fn revision_id(oid: Oid) -> RevisionId {
    RevisionId::from_hex_unchecked(oid.to_string())
}

/// The name of the file holding a document's text, `<doc-id>.txt`.
pub fn text_name(doc: &DocId) -> String {
    format!("{doc}.txt")
}

/// The name of the file holding a revision's raw capture,
/// `<doc-id>.raw.<ext>` (`html`, `pdf`, `txt`).
pub fn raw_name(doc: &DocId, ext: &str) -> String {
    format!("{doc}.raw.{ext}")
}

#[cfg(test)]
mod tests;

/// The version of libgit2 this build links, as `1.9.0`.
pub fn libgit2_version() -> String {
    let (major, minor, patch) = git2::Version::get().libgit2_version();
    format!("{major}.{minor}.{patch}")
}
