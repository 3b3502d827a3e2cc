//! Recording a revision: read the tip, compute the word counts against it,
//! write the commit, and move the ref by compare-and-swap, retrying a bounded
//! number of times when another writer got there first.

use crate::diff;
use crate::error::{Error, Result};
use crate::model::{CaptureTime, DocId, Revision};
use crate::store::{
    raw_name, text_name, CommitMeta, Store, StoreError, Trailers, TreeFile, Written,
};
use std::time::{Duration, Instant};

/// Most attempts at moving a document's ref before giving up.
pub const MAX_ATTEMPTS: u32 = 200;
/// Longest time spent retrying before giving up.
pub const MAX_RETRY_TIME: Duration = Duration::from_secs(20);

/// What to record.
#[derive(Debug, Clone)]
pub struct RecordRequest<'a> {
    pub doc: &'a DocId,
    pub text: &'a str,
    /// The date the source claims, kept as `Published:`.
    pub published: Option<CaptureTime>,
    pub time: CaptureTime,
    pub message: Option<String>,
    pub source: Option<String>,
    /// A raw capture kept beside the text, and what made the text from it.
    pub capture: Option<CaptureRecord<'a>>,
}

/// The parts of a capture that are recorded with its text.
#[derive(Debug, Clone)]
pub struct CaptureRecord<'a> {
    /// The raw bytes, kept as `<doc>.raw.<raw_ext>`.
    pub raw: &'a [u8],
    pub raw_ext: &'a str,
    pub final_url: Option<String>,
    pub content_type: String,
    pub extractor: String,
    pub select: Vec<String>,
    pub remove: Vec<String>,
    /// Refuse a text with less than a fifth of the latest revision's words
    /// (a page that lost its statement); `--force` turns this off.
    pub refuse_shrink: bool,
    /// A technical revision, and why (`reextract`).
    pub technical: Option<String>,
}

/// A capture whose text has under this share of the latest revision's words
/// is refused unless forced (a drop of more than 80 %).
pub const SHRINK_LIMIT_PERCENT: u64 = 20;

/// A git lock file older than this, found while redliner holds the
/// document's writer lock, was left by a process that died.
pub const STALE_LOCK_AGE: Duration = Duration::from_secs(2);

/// What `record` did, and any stale lock it removed on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordReport {
    pub outcome: RecordOutcome,
    /// A lock file left by a dead process that was removed, with its age.
    pub removed_stale_lock: Option<(std::path::PathBuf, Duration)>,
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
pub fn record(store: &Store, req: &RecordRequest) -> Result<RecordReport> {
    let words = diff::tokenize::count_words(req.text);
    let text_file = text_name(req.doc);
    let raw_file = req.capture.as_ref().map(|c| raw_name(req.doc, c.raw_ext));
    let mut files = vec![TreeFile::new(&text_file, req.text.as_bytes())];
    if let (Some(c), Some(name)) = (&req.capture, &raw_file) {
        files.push(TreeFile::new(name, c.raw));
    }
    let started = Instant::now();
    let _writer = store.lock_writer(req.doc, MAX_RETRY_TIME)?;
    store.sweep_temporary_objects(Duration::from_secs(3600));
    let mut removed_stale_lock = None;
    let done = |outcome, removed: &Option<(std::path::PathBuf, Duration)>| RecordReport {
        outcome,
        removed_stale_lock: removed.clone(),
    };
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let tip = store.tip_id(req.doc)?;
        let (rev, added, removed, restores) = match tip {
            None => (1, words, 0, None),
            Some(_) => {
                let latest = store
                    .latest(req.doc)?
                    .ok_or_else(|| StoreError::UnknownDocument {
                        doc: req.doc.to_string(),
                    })?;
                let old = store.read_text(req.doc, &latest)?;
                if old == req.text {
                    return Ok(done(RecordOutcome::Unchanged(latest), &removed_stale_lock));
                }
                if let Some(c) = &req.capture {
                    let old_words = diff::tokenize::count_words(&old);
                    if c.refuse_shrink && words * 100 < old_words * SHRINK_LIMIT_PERCENT {
                        return Err(Error::Shrunk {
                            doc: req.doc.to_string(),
                            rev: latest.rev,
                            old: old_words,
                            new: words,
                        });
                    }
                }
                // The new text's words are counted above, once.
                let opts = diff::Options {
                    skip_unchanged_count: true,
                    ..diff::Options::default()
                };
                let d = diff::diff_with(&old, req.text, &opts);
                let restores = store.restored_revision(req.doc, req.text.as_bytes())?;
                let (added, removed) = (d.stats.words_added, d.stats.words_removed);
                (latest.rev + 1, added, removed, restores)
            }
        };
        let message = match &req.message {
            Some(m) if !m.trim().is_empty() => m.clone(),
            _ => format!("Record {} revision {rev}", req.doc),
        };
        let mut trailers = Trailers::default();
        if let Some(n) = restores {
            trailers.set_restores(n);
        }
        if let Some(p) = &req.published {
            trailers.set_published(&p.rfc3339());
        }
        trailers.revision = Some(rev);
        trailers.words = Some(words);
        trailers.added = Some(added);
        trailers.removed = Some(removed);
        trailers.source = req.source.clone();
        if let Some(c) = &req.capture {
            trailers.final_url = c.final_url.clone();
            trailers.content_type = Some(c.content_type.clone());
            trailers.extractor = Some(c.extractor.clone());
            trailers.select = c.select.clone();
            trailers.remove = c.remove.clone();
            trailers.technical = c.technical.clone();
        }
        let meta = CommitMeta {
            time: req.time,
            message,
            trailers,
        };
        match store.write_revision(req.doc, tip.as_ref(), &files, &meta)? {
            Written::Done(r) => return Ok(done(RecordOutcome::Recorded(r), &removed_stale_lock)),
            Written::Locked => {
                // We hold the writer lock, so no live redliner holds this
                // ref's lock; once it is old enough no git command does either.
                if let Some((path, age)) = store.ref_lock(req.doc) {
                    if age >= STALE_LOCK_AGE {
                        store.remove_ref_lock(&path)?;
                        removed_stale_lock = Some((path, age));
                        continue;
                    }
                    if started.elapsed() > MAX_RETRY_TIME {
                        return Err(StoreError::Locked {
                            doc: req.doc.to_string(),
                            path,
                            age_secs: age.as_secs(),
                        }
                        .into());
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Written::Moved => {
                if attempt >= MAX_ATTEMPTS || started.elapsed() > MAX_RETRY_TIME {
                    return Err(StoreError::Contention {
                        doc: req.doc.to_string(),
                        attempts: attempt,
                    }
                    .into());
                }
                // Back off a little, more on each attempt, jittered by the
                // attempt count so that writers spread out.
                let ms = (attempt as u64 * 3 + (std::process::id() as u64 % 7)).min(100);
                std::thread::sleep(Duration::from_millis(ms));
            }
        }
    }
}
