//! The library's error type: one variant per failure, each saying what was
//! being done. The binary prints them as one line and maps them to exit codes.

use crate::store::StoreError;

/// The exit codes redliner documents (the man page's EXIT STATUS is made
/// from this table, so the two cannot drift apart).
pub mod exit {
    /// Success; for `diff`, the texts are equal.
    pub const SUCCESS: u8 = 0;
    /// `diff`: the texts differ; `check --exit-code`: something changed.
    pub const DIFFERENT: u8 = 1;
    /// Any error (after an error message of one line on standard error).
    pub const ERROR: u8 = 2;

    /// Every exit code with what it means, for the manual page.
    pub const DOCUMENTED: &[(u8, &str)] = &[
        (SUCCESS, "Success. For diff: the two texts are equal."),
        (
            DIFFERENT,
            "diff: the two texts differ. check --exit-code: a watched source changed.",
        ),
        (
            ERROR,
            "An error, reported as one line on standard error; nothing already recorded was changed. check: a source failed (after checking the others).",
        ),
    ];
}

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

    #[error("{doc}@{rev} has no raw capture (it was recorded from text, not from a URL or a saved page); `redliner show {doc}@{rev}` prints its text")]
    NoRawCapture { doc: String, rev: u64 },

    #[error("the raw capture of {doc}@{rev} ({name}) is binary; write it to a file instead: redliner show {doc}@{rev} --raw > {name}")]
    BinaryToTerminal { doc: String, rev: u64, name: String },

    #[error("{arg:?} is not a URL; watch needs an http:// or https:// address")]
    NotAUrl { arg: String },

    #[error("{doc} is not watched; `redliner watch list` shows the watched sources")]
    NotWatched { doc: String },

    #[error("invalid --shard {value:?}: use I/N with 1 <= I <= N, for example --shard 2/4")]
    InvalidShard { value: String },

    #[error("--source is the URL itself when recording a URL; leave --source out")]
    SourceWithUrl,

    #[error("--select and --remove apply to a URL or a saved page (.html, .htm, .pdf, or --as html|pdf), not to text")]
    SelectorsOnText,

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

    #[error("the capture of {doc} has {new} words against {old} in {doc}@{rev}, a drop of more than 80 %; nothing was recorded; check the page and the selectors, or pass --force to record it")]
    Shrunk {
        doc: String,
        rev: u64,
        old: u64,
        new: u64,
    },

    /// Fetching or extracting a capture.
    #[error(transparent)]
    Capture(#[from] crate::capture::CaptureError),

    /// Something went wrong in the store (opening, reading, writing, locks).
    #[error(transparent)]
    Store(#[from] StoreError),

    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),

    /// Managing remotes or syncing with one.
    #[error(transparent)]
    Sync(#[from] crate::store::SyncError),
    #[error("cannot write {path}: {source}")]
    Export {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot import from the git repository {repo}: {reason}")]
    GitImport { repo: String, reason: String },

    #[error("import refused, nothing was recorded: {item} has the capture time {time}, earlier than {previous} ({previous_time}); revisions are recorded in time order, so give the files oldest first (or rename them with their dates)")]
    ImportOutOfOrder {
        item: String,
        time: String,
        previous: String,
        previous_time: String,
    },

    #[error("import needs {what}: redliner import DOC FILE... or redliner import DOC --git REPO PATH [--rev RANGE]")]
    ImportUsage { what: &'static str },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
