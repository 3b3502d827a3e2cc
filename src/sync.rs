//! `sync`: the store's reconciliation with a git remote, given the word
//! figures `record` writes, so that a re-linked revision carries the same
//! numbers it would have had if it had been recorded there.

use crate::diff;
use crate::error::Result;
use crate::model::CaptureTime;
use crate::store::{Figures, Store, SyncReport};

/// Words added and removed from `old` to `new`, as `record` counts them.
pub fn changes(old: &str, new: &str) -> (u64, u64) {
    let opts = diff::Options {
        skip_unchanged_count: true,
        ..diff::Options::default()
    };
    let d = diff::diff_with(old, new, &opts);
    (d.stats.words_added, d.stats.words_removed)
}

/// Syncs `store` with its remote `remote` (see `Store::sync`); `now` names
/// the replaced tips.
pub fn sync(store: &Store, remote: &str, now: CaptureTime) -> Result<SyncReport> {
    let words = |t: &str| diff::tokenize::count_words(t);
    let fig = Figures {
        words: &words,
        changes: &changes,
    };
    Ok(store.sync(remote, now, &fig)?)
}
