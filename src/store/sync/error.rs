//! What can go wrong in `remote` and `sync`: one variant per failure, each
//! saying what was being done.

use crate::store::StoreError;

/// Everything that can go wrong while managing remotes or syncing.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("invalid remote name {name:?}: use 1 to 100 ASCII letters, digits, '-', '_' or '.', starting with a letter or digit")]
    InvalidRemoteName { name: String },

    #[error("invalid remote URL {url:?}: give a git URL or path (ssh://host/path, host:path, https://host/path, /path/to/store.git)")]
    InvalidUrl { url: String },

    #[error("no remote named {name:?}; `redliner remote list` shows the remotes, `redliner remote add {name} URL` adds one")]
    UnknownRemote { name: String },

    #[error("a remote named {name:?} already exists ({url}); remove it first with `redliner remote remove {name}`")]
    RemoteExists { name: String, url: String },

    #[error("cannot run git ({reason}); sync works through the git command: install git and put it on PATH")]
    GitMissing { reason: String },

    #[error("{what} failed: {detail}")]
    Git { what: String, detail: String },

    #[error("the remote {remote:?} kept changing while syncing (someone pushed meanwhile; tried {rounds} times); nothing on it was overwritten and every local revision is kept; run `redliner sync {remote}` again")]
    LeaseKeptFailing { remote: String, rounds: u32 },

    #[error("store error while {what}: {}", .source.message())]
    Git2 {
        what: String,
        #[source]
        source: git2::Error,
    },

    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Wraps a libgit2 error with what was being done.
pub(super) fn git2_error(what: impl Into<String>) -> impl Fn(git2::Error) -> SyncError {
    let what = what.into();
    move |source| SyncError::Git2 {
        what: what.clone(),
        source,
    }
}
