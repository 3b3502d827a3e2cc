//! What is not a revision but lives in the store, under `refs/redliner/`, so
//! that a clone or a push carries it:
//! - the watch list, `refs/redliner/watch`: a commit whose tree holds
//!   `watch.json`, a new commit for each change;
//! - each document's observation log, `refs/redliner/checks/<doc-id>`: one
//!   commit per check (empty tree; outcome, revision and reason in trailers),
//!   the previous check its parent.
//!
//! Both refs move only by compare-and-swap, retried, so concurrent writers
//! never lose each other's entries.

use super::error::StoreError;
use super::trailers::Trailers;
use super::Store;
use crate::model::{CaptureTime, DocId, Observation, Outcome, Validators, WatchEntry};
use git2::{ErrorCode, Oid};

/// The watch list's ref and file.
pub(super) const WATCH_REF: &str = "refs/redliner/watch";
pub(super) const WATCH_FILE: &str = "watch.json";
/// Attempts at moving a side ref before giving up.
const ATTEMPTS: u32 = 200;

pub(super) fn checks_ref(doc: &DocId) -> String {
    format!("refs/redliner/checks/{doc}")
}

fn side_error(what: &'static str) -> impl Fn(git2::Error) -> StoreError {
    move |source| StoreError::Side { what, source }
}

impl Store {
    fn side_tip(&self, refname: &str, what: &'static str) -> Result<Option<Oid>, StoreError> {
        match self.repo.find_reference(refname) {
            Ok(r) => Ok(r.target()),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(side_error(what)(e)),
        }
    }

    /// Writes a commit of `tree` on `refname` after `parent`; `false` when
    /// the ref moved meanwhile (nothing changed).
    fn side_commit(
        &self,
        refname: &str,
        parent: Option<Oid>,
        tree: Oid,
        message: &str,
        time: CaptureTime,
        what: &'static str,
    ) -> Result<bool, StoreError> {
        let err = side_error(what);
        let tree = self.repo.find_tree(tree).map_err(&err)?;
        let when = git2::Time::new(time.unix, time.offset_minutes);
        let sig = git2::Signature::new("redliner", "redliner@localhost", &when).map_err(&err)?;
        let parent_commit = match parent {
            Some(p) => Some(self.repo.find_commit(p).map_err(&err)?),
            None => None,
        };
        let parents: Vec<&git2::Commit<'_>> = parent_commit.iter().collect();
        let oid = self
            .repo
            .commit(None, &sig, &sig, message, &tree, &parents)
            .map_err(&err)?;
        match self.repo.reference_matching(
            refname,
            oid,
            true,
            parent.unwrap_or(Oid::ZERO_SHA1),
            "redliner",
        ) {
            Ok(_) => Ok(true),
            Err(e)
                if matches!(
                    e.code(),
                    ErrorCode::Modified | ErrorCode::Locked | ErrorCode::Exists
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(err(e)),
        }
    }

    /// The watch list, in the order entries were added.
    pub fn watch_list(&self) -> Result<Vec<WatchEntry>, StoreError> {
        Ok(self.watch_list_at()?.1)
    }

    fn watch_list_at(&self) -> Result<(Option<Oid>, Vec<WatchEntry>), StoreError> {
        let what = "reading the watch list";
        let Some(tip) = self.side_tip(WATCH_REF, what)? else {
            return Ok((None, Vec::new()));
        };
        Ok((Some(tip), self.watch_list_of(tip)?))
    }

    /// The watch list kept in commit `tip`.
    pub(super) fn watch_list_of(&self, tip: Oid) -> Result<Vec<WatchEntry>, StoreError> {
        let what = "reading the watch list";
        let err = side_error(what);
        let commit = self.repo.find_commit(tip).map_err(&err)?;
        let tree = commit.tree().map_err(&err)?;
        let Some(entry) = tree.get_name(WATCH_FILE) else {
            return Ok(Vec::new());
        };
        let blob = self.repo.find_blob(entry.id()).map_err(&err)?;
        serde_json::from_slice(blob.content()).map_err(|e| StoreError::WatchListDamaged {
            reason: e.to_string(),
        })
    }

    /// Changes the watch list with `edit` (which may refuse with an error),
    /// retrying on a concurrent change; returns what `edit` returned.
    pub fn edit_watch_list<T, E: From<StoreError>>(
        &self,
        time: CaptureTime,
        message: &str,
        mut edit: impl FnMut(&mut Vec<WatchEntry>) -> Result<T, E>,
    ) -> Result<T, E> {
        let what = "writing the watch list";
        let err = side_error(what);
        for _ in 0..ATTEMPTS {
            let (tip, mut list) = self.watch_list_at()?;
            let result = edit(&mut list)?;
            let json =
                serde_json::to_vec_pretty(&list).map_err(|e| StoreError::WatchListDamaged {
                    reason: e.to_string(),
                })?;
            let blob = self.repo.blob(&json).map_err(&err)?;
            let mut tb = self.repo.treebuilder(None).map_err(&err)?;
            tb.insert(WATCH_FILE, blob, 0o100644).map_err(&err)?;
            let tree = tb.write().map_err(&err)?;
            if self.side_commit(WATCH_REF, tip, tree, message, time, what)? {
                return Ok(result);
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        Err(StoreError::Contention {
            doc: WATCH_REF.to_string(),
            attempts: ATTEMPTS,
        }
        .into())
    }

    /// Appends one check to a document's observation log.
    pub fn observe(&self, doc: &DocId, obs: &Observation) -> Result<(), StoreError> {
        let what = "writing the observation log";
        let err = side_error(what);
        let refname = checks_ref(doc);
        let tree = self
            .repo
            .treebuilder(None)
            .and_then(|tb| tb.write())
            .map_err(&err)?;
        let mut trailers = Trailers::default();
        trailers.revision = obs.rev;
        trailers.outcome = Some(obs.outcome.as_str().to_string());
        trailers.reason = obs.reason.clone();
        trailers.etag = obs.validators.etag.clone();
        trailers.last_modified = obs.validators.last_modified.clone();
        trailers.select = obs.validators.select.clone();
        trailers.remove = obs.validators.remove.clone();
        let message = trailers.message(&format!("check {doc}: {}", obs.outcome.as_str()));
        for attempt in 0..ATTEMPTS {
            let tip = self.side_tip(&refname, what)?;
            if self.side_commit(&refname, tip, tree, &message, obs.time, what)? {
                return Ok(());
            }
            std::thread::sleep(std::time::Duration::from_millis(
                1 + u64::from(attempt % 10),
            ));
        }
        Err(StoreError::Contention {
            doc: doc.to_string(),
            attempts: ATTEMPTS,
        })
    }

    /// The latest entry of a document's observation log.
    pub fn latest_observation(&self, doc: &DocId) -> Result<Option<Observation>, StoreError> {
        Ok(self.read_observations(doc, Some(1))?.pop())
    }

    /// A document's observation log, newest first.
    pub fn observations(&self, doc: &DocId) -> Result<Vec<Observation>, StoreError> {
        self.read_observations(doc, None)
    }

    fn read_observations(
        &self,
        doc: &DocId,
        limit: Option<usize>,
    ) -> Result<Vec<Observation>, StoreError> {
        let what = "reading the observation log";
        let err = side_error(what);
        let mut out = Vec::new();
        let mut next = self.side_tip(&checks_ref(doc), what)?;
        while let Some(oid) = next.filter(|_| limit.is_none_or(|l| out.len() < l)) {
            let c = self.repo.find_commit(oid).map_err(&err)?;
            let raw = String::from_utf8_lossy(c.message_bytes());
            let (_, t) = Trailers::parse(&raw);
            let when = c.author().when();
            out.push(Observation {
                time: CaptureTime {
                    unix: when.seconds(),
                    offset_minutes: when.offset_minutes(),
                },
                outcome: t
                    .outcome
                    .as_deref()
                    .and_then(Outcome::parse)
                    .unwrap_or(Outcome::Failed),
                rev: t.revision,
                reason: t.reason,
                validators: Validators {
                    etag: t.etag,
                    last_modified: t.last_modified,
                    select: t.select,
                    remove: t.remove,
                },
            });
            next = c.parent_id(0).ok();
        }
        Ok(out)
    }
}
