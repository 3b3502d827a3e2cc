//! The store's error type: one variant per failure, each saying what was
//! being done, with the underlying `git2::Error` or `std::io::Error` kept as
//! its `source()`. The texts are the ones users have always seen.

use super::integrity::ObjectDamage;
use std::path::PathBuf;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Opening a store that does not exist.
    #[error("no store at {path}; record a document first or run `redliner init {path}`")]
    NoStore { path: PathBuf },

    /// No store was chosen and there is no default location.
    #[error("cannot find a default store: neither XDG_DATA_HOME nor HOME is set; pass --store DIR or set REDLINER_STORE")]
    NoDefaultStore,

    /// `init` on a directory that already holds a store.
    #[error("{path} is not a redliner store (it is already a redliner store); choose another directory with --store or REDLINER_STORE")]
    AlreadyAStore { path: PathBuf },

    /// Opening a directory that is not a git repository.
    #[error("{path} is not a redliner store (not a git repository); choose another directory with --store or REDLINER_STORE")]
    NotARepository {
        path: PathBuf,
        #[source]
        source: git2::Error,
    },

    /// Opening a git repository that has a work tree.
    #[error("{path} is not a redliner store (a git repository with a work tree, not a bare store); choose another directory with --store or REDLINER_STORE")]
    NotBare { path: PathBuf },

    /// Opening a bare git repository without the `redliner.store` mark.
    #[error("{path} is not a redliner store (a bare git repository without the redliner mark; if it is a clone of a store, run: git -C {path} config {key} true); choose another directory with --store or REDLINER_STORE", key = super::repo::CONFIG_KEY)]
    Unmarked { path: PathBuf },

    /// Creating a new store.
    #[error("store error while creating the store: {}", .source.message())]
    Create {
        path: PathBuf,
        #[source]
        source: git2::Error,
    },

    /// Creating the directory a store goes in.
    #[error("store error while creating {}: {source}", .path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Listing the document branches.
    #[error("store error while listing documents: {}", .source.message())]
    ListDocuments {
        #[source]
        source: git2::Error,
    },

    /// Opening the object database for `verify`.
    #[error("store error while opening the object database: {}", .source.message())]
    OpenObjects {
        #[source]
        source: git2::Error,
    },

    /// Removing a git lock file proven stale.
    #[error("store error while removing the stale lock {}: {source}", .path.display())]
    RemoveStaleLock {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Looking up a document that has no branch.
    #[error("no document named {doc:?} in the store; `redliner list` shows the documents")]
    UnknownDocument { doc: String },

    /// Resolving a selector that names no revision.
    #[error(
        "{doc} has no revision {selector:?} ({detail}); `redliner log {doc}` shows its revisions"
    )]
    UnknownRevision {
        doc: String,
        selector: String,
        detail: String,
    },

    /// Reading a document's ref that is a symbolic ref.
    #[error("the ref of document {doc:?} is damaged (it is a symbolic ref); nothing was changed and other documents are unaffected; inspect it with: git -C {store} show-ref --verify refs/heads/{doc}")]
    SymbolicRef { doc: String, store: PathBuf },

    /// Reading a document's ref that git cannot parse.
    #[error("the ref of document {doc:?} is damaged ({}); nothing was changed and other documents are unaffected; inspect it with: git -C {store} show-ref --verify refs/heads/{doc}", .source.message())]
    DamagedRef {
        doc: String,
        store: PathBuf,
        #[source]
        source: git2::Error,
    },

    /// Reading a revision whose objects are damaged or missing.
    #[error("revision {commit} of {doc:?} is damaged ({damage})")]
    DamagedRevision {
        doc: String,
        commit: String,
        #[source]
        damage: Damage,
    },

    /// Reading a text that is not UTF-8 (written by another tool).
    #[error("{doc}@{rev} (commit {commit}) is not valid UTF-8 text (invalid byte at offset {offset}); it was not recorded by redliner")]
    NotUtf8Text {
        doc: String,
        rev: u64,
        commit: String,
        offset: usize,
    },

    /// Writing a tree entry whose name is not a plain file name.
    #[error("cannot record {doc:?}: the file name {name:?} {rule}")]
    InvalidTreeEntry {
        doc: String,
        name: String,
        rule: &'static str,
    },

    /// Reading or writing the watch list or an observation log.
    #[error("store error while {what}: {}", .source.message())]
    Side {
        what: &'static str,
        #[source]
        source: git2::Error,
    },

    /// A watch list that does not parse.
    #[error("the watch list in the store is damaged ({reason}); inspect it with: git show refs/redliner/watch:watch.json")]
    WatchListDamaged { reason: String },

    /// Moving a document's ref while other writers keep moving it.
    #[error("another process kept changing {doc:?}; gave up after {attempts} attempts; nothing was recorded, try again")]
    Contention { doc: String, attempts: u32 },

    /// Moving a document's ref that another process keeps locked.
    #[error("{doc:?} is locked by {path} (held for {age_secs} s); if no other redliner or git process is writing to the store, remove it: rm '{path}'")]
    Locked {
        doc: String,
        path: PathBuf,
        age_secs: u64,
    },

    /// Writing a revision failed before its ref moved.
    #[error("could not record {doc:?}: {cause}; the revision was NOT recorded ({state}); fix the cause and run the same command again (recording the same text twice is safe)")]
    NotRecorded {
        doc: String,
        #[source]
        cause: WriteFailure,
        state: String,
    },

    /// Packing the store with the git command failed.
    #[error("packing the store failed: `{command}` {reason}; nothing was lost (packing only copies objects); run it again, or run `git -C {} fsck`", .store.display())]
    Pack {
        command: String,
        reason: String,
        store: PathBuf,
    },
}

/// Why a revision cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum Damage {
    /// An object failed the integrity check.
    #[error(transparent)]
    Object(#[from] ObjectDamage),
    /// libgit2 could not read or parse an object.
    #[error("{}", .0.message())]
    Git(#[source] git2::Error),
    /// The commit's tree lacks the document's text.
    #[error("its tree has no {0}")]
    MissingText(String),
}

/// Why writing a revision failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteFailure {
    /// libgit2 failed to write an object or move the ref.
    #[error("{}", .0.message())]
    Git(#[source] git2::Error),
    /// The expected parent revision is damaged.
    #[error(transparent)]
    DamagedParent(ObjectDamage),
    /// The writer lock file could not be created.
    #[error("cannot create a lock in {}: {source}", .dir.display())]
    LockFile {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
