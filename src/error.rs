//! The library's error type: one variant per failure, each saying what was
//! being done. The binary prints them as one line and maps them to exit codes.

use crate::store::StoreError;

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

    #[error("--files compares two files and got one; give both: redliner diff --files OLD NEW")]
    FilesNeedTwo,

    #[error("invalid revision selector {selector:?}: use a number (@3), latest, ~K, a commit id of at least 7 hex digits, or a date (@2023-11-12 or RFC 3339)")]
    InvalidSelector { selector: String },

    #[error("the search phrase has no words; give at least one word")]
    EmptyPhrase,

    #[error("invalid regular expression {pattern:?}: {reason}")]
    InvalidRegex { pattern: String, reason: String },

    #[error("invalid time {value:?}: use RFC 3339, for example 2023-11-12T14:00:00Z")]
    InvalidTime { value: String },

    /// Something went wrong in the store (opening, reading, writing, locks).
    #[error(transparent)]
    Store(#[from] StoreError),

    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
