//! Recording a revision: read the tip, compute the word counts against it,
//! write the commit, and move the ref by compare-and-swap, retrying a bounded
//! number of times when another writer got there first.

use crate::diff;
use crate::error::{Error, Result};
use crate::model::{CaptureTime, DocId, Revision};
use crate::store::{CommitMeta, Store, Written};
use std::time::{Duration, Instant};

/// Most attempts at moving a document's ref before giving up.
pub const MAX_ATTEMPTS: u32 = 200;
/// Longest time spent retrying before giving up.
pub const MAX_RETRY_TIME: Duration = Duration::from_secs(20);

/// What to record.
#[derive(Debug, Clone)]
pub struct RecordRequest<'a> {
    pub doc: &'a DocId,
    pub text: &'a [u8],
    pub time: CaptureTime,
    pub message: Option<String>,
    pub source: Option<String>,
}

/// What `record` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOutcome {
    /// A new revision was written.
    Recorded(Revision),
    /// The bytes equal the latest revision; nothing was written.
    Unchanged(Revision),
}

/// Records `req.text` as the next revision of `req.doc`.
pub fn record(store: &Store, req: &RecordRequest) -> Result<RecordOutcome> {
    let new_text = String::from_utf8_lossy(req.text);
    let words = diff::tokenize::count_words(&new_text);
    let started = Instant::now();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let tip = store.tip_id(req.doc)?;
        let (rev, added, removed) = match tip {
            None => (1, words, 0),
            Some(_) => {
                let latest = store
                    .latest(req.doc)?
                    .ok_or_else(|| Error::UnknownDocument {
                        doc: req.doc.to_string(),
                    })?;
                let old = store.read_text(req.doc, &latest)?;
                if old == req.text {
                    return Ok(RecordOutcome::Unchanged(latest));
                }
                let old_text = String::from_utf8_lossy(&old);
                let d = diff::diff(&old_text, &new_text);
                (latest.rev + 1, d.stats.words_added, d.stats.words_removed)
            }
        };
        let message = match &req.message {
            Some(m) if !m.trim().is_empty() => m.clone(),
            _ => format!("Record {} revision {rev}", req.doc),
        };
        let meta = CommitMeta {
            time: req.time,
            message,
            source: req.source.clone(),
            rev,
            words,
            added,
            removed,
        };
        match store.write_revision(req.doc, tip, req.text, &meta)? {
            Written::Done(r) => return Ok(RecordOutcome::Recorded(r)),
            Written::Moved | Written::Locked => {
                if attempt >= MAX_ATTEMPTS || started.elapsed() > MAX_RETRY_TIME {
                    return Err(Error::Contention {
                        doc: req.doc.to_string(),
                        attempts: attempt,
                    });
                }
                // Back off a little, more on each attempt, jittered by the
                // attempt count so that writers spread out.
                let ms = (attempt as u64 * 3 + (std::process::id() as u64 % 7)).min(100);
                std::thread::sleep(Duration::from_millis(ms));
            }
        }
    }
}
