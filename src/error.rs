//! The library's error type: one variant per failure, each saying what was
//! being done. The binary prints them as one line and maps them to exit codes.

use std::path::PathBuf;

/// Everything that can go wrong in redliner's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {reason}")]
    ReadInput { path: String, reason: String },

    #[error("{path} is not valid UTF-8 (invalid byte at offset {offset}); convert it first, for example: iconv -f WINDOWS-1252 -t UTF-8")]
    NotUtf8 { path: String, offset: usize },

    #[error(
        "{path} looks like a binary file (NUL byte at offset {offset}); redliner records text only"
    )]
    Binary { path: String, offset: usize },

    #[error("{path} is empty; pass --allow-empty to record an empty revision")]
    Empty { path: String },

    #[error("{path} is larger than the {limit_mib} MiB limit; redliner records documents up to {limit_mib} MiB")]
    TooLarge { path: String, limit_mib: u64 },

    #[error("invalid document id {id:?}: {rule}")]
    InvalidDocId { id: String, rule: &'static str },

    #[error("no document named {doc:?} in the store; `redliner list` shows the documents")]
    UnknownDocument { doc: String },

    #[error(
        "{doc} has no revision {selector:?} ({detail}); `redliner log {doc}` shows its revisions"
    )]
    UnknownRevision {
        doc: String,
        selector: String,
        detail: String,
    },

    #[error("invalid revision selector {selector:?}: use a number (@3), latest, ~K, a commit id of at least 7 hex digits, or a date (@2023-11-12 or RFC 3339)")]
    InvalidSelector { selector: String },

    #[error("invalid time {value:?}: use RFC 3339, for example 2023-11-12T14:00:00Z")]
    InvalidTime { value: String },

    #[error("no store at {path}; record a document first or run `redliner init {path}`")]
    NoStore { path: PathBuf },

    #[error("{path} is not a redliner store ({reason}); choose another directory with --store or REDLINER_STORE")]
    NotAStore { path: PathBuf, reason: String },

    #[error("the ref of document {doc:?} is damaged ({reason}); nothing was changed and other documents are unaffected; inspect it with: git -C {store} show-ref --verify refs/heads/{doc}")]
    DamagedRef {
        doc: String,
        store: PathBuf,
        reason: String,
    },

    #[error("revision {commit} of {doc:?} is damaged ({reason})")]
    DamagedRevision {
        doc: String,
        commit: String,
        reason: String,
    },

    #[error("another process kept changing {doc:?}; gave up after {attempts} attempts; nothing was recorded, try again")]
    Contention { doc: String, attempts: u32 },

    #[error("{doc:?} is locked by {path} (held for {age_secs} s); if no other redliner or git process is writing to the store, remove it: rm '{path}'")]
    Locked {
        doc: String,
        path: PathBuf,
        age_secs: u64,
    },

    #[error("could not record {doc:?}: {reason}; the revision was NOT recorded ({state}); fix the cause and run the same command again (recording the same text twice is safe)")]
    NotRecorded {
        doc: String,
        reason: String,
        state: String,
    },

    #[error("store error while {action}: {reason}")]
    Store { action: String, reason: String },

    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

impl Error {
    /// Wraps a git error with what was being done.
    pub(crate) fn store(action: impl Into<String>, err: impl std::fmt::Display) -> Error {
        Error::Store {
            action: action.into(),
            reason: err.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
