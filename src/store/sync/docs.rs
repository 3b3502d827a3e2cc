//! Reconciling one document's history with the remote's.
//!
//! - One side has it, or one chain extends the other: the longer one wins
//!   as it is (a fast-forward, no commit rewritten).
//! - Both recorded revisions since their common base: the union of the
//!   revisions after the base, sorted by capture time (see
//!   [`super::merge`]), becomes one single-parent chain on the base. A
//!   revision is known by its capture time, tree and message (without the
//!   trailers), so a re-linked copy of it is the same revision. A revision
//!   whose parent is already the one it gets keeps its commit as it is (so
//!   a chain that is already the result is adopted unchanged, and both
//!   machines end with the same commit ids); any other is re-linked: same
//!   tree, author, committer, message and trailers, with its number, word
//!   figures and `Restores:` recomputed for its new place.
//! - The same text on both sides becomes one revision: a revision whose text
//!   is the same bytes as the revision just before it in the merged order is
//!   left out (the earlier capture is kept), which is also what `record`
//!   does with a repeated text. The same text further apart (a text restored
//!   later) stays, as `record` keeps it.
//! - A tip that is not part of the result (the local one, or the remote's)
//!   is kept under `refs/redliner/replaced/<doc>/<time>` (`-<remote>` after
//!   the time for the remote's), so nothing becomes unreachable.

use super::error::{git2_error, SyncError};
use super::merge::{common_prefix, union_by_key, Side};
use super::{Event, Figures};
use crate::model::{CaptureTime, DocId};
use crate::store::trailers::Trailers;
use crate::store::Store;
use git2::{ErrorCode, Oid};
use std::collections::HashSet;
use std::time::Duration;

/// Attempts at reconciling a document whose local ref keeps moving.
const ATTEMPTS: u32 = 50;

/// What a re-linked copy of a revision shares with its original: tree,
/// capture time and message (without the trailers).
type Ident = (Oid, i64, String);

/// One revision of a chain, oldest first.
struct Item {
    oid: Oid,
    parent: Option<Oid>,
    time: CaptureTime,
    blob: Oid,
    /// What a re-linked copy shares with its original.
    ident: Ident,
}

impl Store {
    /// The revisions of a document's chain ending at `tip`, oldest first.
    fn rev_items(&self, doc: &DocId, tip: Oid) -> Result<Vec<Item>, SyncError> {
        let mut out = Vec::new();
        for step in self.walk(doc, tip) {
            let (oid, c) = step?;
            let when = c.author().when();
            let body = Trailers::parse(&String::from_utf8_lossy(c.message_bytes())).0;
            out.push(Item {
                ident: (c.tree_id(), when.seconds(), body),
                oid,
                parent: c.parent_id(0).ok(),
                time: CaptureTime {
                    unix: when.seconds(),
                    offset_minutes: when.offset_minutes(),
                },
                blob: self.text_blob(doc, oid, c.tree_id())?,
            });
        }
        out.reverse();
        Ok(out)
    }

    /// The text in a blob, for the figures (a text that is not UTF-8, written
    /// by another tool, is read lossily: only the counts depend on it).
    fn blob_string(&self, blob: Oid) -> Result<String, SyncError> {
        let b = self
            .repo
            .find_blob(blob)
            .map_err(git2_error("reading a text to merge"))?;
        Ok(String::from_utf8_lossy(b.content()).into_owned())
    }

    /// Moves `refname` from `old` to `new` only if it still points at `old`;
    /// `false` when it moved meanwhile.
    pub(super) fn swap_ref(
        &self,
        refname: &str,
        old: Option<Oid>,
        new: Oid,
        log: &str,
    ) -> Result<bool, SyncError> {
        match self
            .repo
            .reference_matching(refname, new, true, old.unwrap_or(Oid::ZERO_SHA1), log)
        {
            Ok(_) => Ok(true),
            Err(e)
                if matches!(
                    e.code(),
                    ErrorCode::Modified | ErrorCode::Locked | ErrorCode::Exists
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(git2_error(format!("moving {refname}"))(e)),
        }
    }

    /// Keeps `oid` under `refs/redliner/replaced/<doc>/<name>` (a suffix is
    /// added when that name is taken by another commit); returns the ref.
    fn keep_replaced(&self, doc: &DocId, name: &str, oid: Oid) -> Result<String, SyncError> {
        let base = format!("refs/redliner/replaced/{doc}/{name}");
        for n in 1..1000 {
            let refname = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            match self.repo.find_reference(&refname) {
                Ok(r) if r.target() == Some(oid) => return Ok(refname),
                Ok(_) => continue,
                Err(e) if e.code() == ErrorCode::NotFound => {}
                Err(e) => return Err(git2_error(format!("reading {refname}"))(e)),
            }
            match self
                .repo
                .reference(&refname, oid, false, "redliner sync: replaced tip")
            {
                Ok(_) => return Ok(refname),
                Err(e) if e.code() == ErrorCode::Exists => continue,
                Err(e) => return Err(git2_error(format!("writing {refname}"))(e)),
            }
        }
        Err(SyncError::Git2 {
            what: format!("keeping the replaced tip of {doc}"),
            source: git2::Error::from_str("too many replaced tips with the same time"),
        })
    }

    /// Writes `item`'s commit again after `parent`, numbered `n`.
    fn relink(
        &self,
        item: Oid,
        parent: Option<Oid>,
        figures: (u64, u64, u64, u64),
        restores: Option<u64>,
    ) -> Result<Oid, SyncError> {
        let err = git2_error("re-linking a revision");
        let c = self.repo.find_commit(item).map_err(&err)?;
        let raw = String::from_utf8_lossy(c.message_bytes());
        let (body, mut t) = Trailers::parse(&raw);
        let (n, words, added, removed) = figures;
        t.revision = Some(n);
        t.words = Some(words);
        t.added = Some(added);
        t.removed = Some(removed);
        t.replace_restores(restores);
        let message = t.message(&body);
        let tree = c.tree().map_err(&err)?;
        let (author, committer) = (c.author().to_owned(), c.committer().to_owned());
        let parent = parent
            .map(|p| self.repo.find_commit(p))
            .transpose()
            .map_err(&err)?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        self.repo
            .commit(None, &author, &committer, &message, &tree, &parents)
            .map_err(&err)
    }

    /// Reconciles `doc` with the remote's tip `remote` (as fetched) and
    /// returns the tip the remote should have afterwards. The local ref
    /// moves only by compare-and-swap under the document's writer lock, so
    /// a concurrent `record` is never lost: when the ref moved anyway, the
    /// document is reconciled again.
    pub(super) fn sync_document(
        &self,
        doc: &DocId,
        remote_name: &str,
        remote: Option<Oid>,
        stamp: &str,
        fig: &Figures<'_>,
        events: &mut Vec<Event>,
    ) -> Result<Option<Oid>, SyncError> {
        let _lock = self.lock_writer(doc, Duration::from_secs(60))?;
        let refname = Self::refname(doc);
        let log = format!("redliner sync {remote_name}");
        for _ in 0..ATTEMPTS {
            let local = self.tip_oid(doc)?;
            let (l, r) = match (local, remote) {
                (None, None) => return Ok(None),
                (Some(l), None) => return Ok(Some(l)),
                (None, Some(r)) => {
                    if !self.swap_ref(&refname, None, r, &log)? {
                        continue;
                    }
                    self.point_head_somewhere(doc);
                    events.push(Event::Fetched {
                        doc: doc.to_string(),
                        from: None,
                        to: self.revision_at(doc, r, None)?.rev,
                    });
                    return Ok(Some(r));
                }
                (Some(l), Some(r)) if l == r => return Ok(Some(l)),
                (Some(l), Some(r)) => (l, r),
            };
            let descends = |a: Oid, b: Oid| self.repo.graph_descendant_of(a, b).unwrap_or(false);
            if descends(l, r) {
                return Ok(Some(l));
            }
            if descends(r, l) {
                if !self.swap_ref(&refname, Some(l), r, &log)? {
                    continue;
                }
                events.push(Event::Fetched {
                    doc: doc.to_string(),
                    from: Some(self.revision_at(doc, l, None)?.rev),
                    to: self.revision_at(doc, r, None)?.rev,
                });
                return Ok(Some(r));
            }
            let mut merged = Vec::new();
            let result = self.merge_chains(doc, l, r, remote_name, fig, &mut merged)?;
            let kept: HashSet<Oid> = result.1;
            let result = result.0;
            if !kept.contains(&l) {
                let refname = self.keep_replaced(doc, stamp, l)?;
                merged.push(Event::Replaced {
                    doc: doc.to_string(),
                    refname,
                });
            }
            if !kept.contains(&r) {
                let refname = self.keep_replaced(doc, &format!("{stamp}-{remote_name}"), r)?;
                merged.push(Event::Replaced {
                    doc: doc.to_string(),
                    refname,
                });
            }
            if result != l && !self.swap_ref(&refname, Some(l), result, &log)? {
                continue;
            }
            events.extend(merged);
            return Ok(Some(result));
        }
        Err(crate::store::StoreError::Contention {
            doc: doc.to_string(),
            attempts: ATTEMPTS,
        }
        .into())
    }

    /// Builds the merged chain of two diverged tips; returns its tip and the
    /// commits it is made of after the common base.
    fn merge_chains(
        &self,
        doc: &DocId,
        l: Oid,
        r: Oid,
        remote_name: &str,
        fig: &Figures<'_>,
        events: &mut Vec<Event>,
    ) -> Result<(Oid, HashSet<Oid>), SyncError> {
        let li = self.rev_items(doc, l)?;
        let ri = self.rev_items(doc, r)?;
        let k = common_prefix(
            &li.iter().map(|i| i.oid).collect::<Vec<_>>(),
            &ri.iter().map(|i| i.oid).collect::<Vec<_>>(),
        );
        let (ls, rs) = (&li[k..], &ri[k..]);
        let prefix: HashSet<&Ident> = li[..k].iter().map(|i| &i.ident).collect();
        let local_idents: HashSet<&Ident> = ls.iter().map(|i| &i.ident).collect();
        let mut blobs: Vec<Oid> = li[..k].iter().map(|i| i.blob).collect();
        let mut parent = k.checked_sub(1).map(|i| li[i].oid);
        let mut kept = HashSet::new();
        let mut prev_text: Option<(Oid, String)> = None;
        let (mut from_remote, mut renumbered, mut same) = (0, 0, 0);
        // Sorted by capture time, then tree and message: the ident.
        let union = union_by_key(ls, rs, |it| (it.ident.1, it.ident.0, it.ident.2.clone()));
        for copies in union {
            let pick = |(side, i): (Side, usize)| match side {
                Side::Local => (&ls[i], (k + i + 1) as u64),
                Side::Remote => (&rs[i], (k + i + 1) as u64),
            };
            let (it, _) = pick(copies[0]);
            if prefix.contains(&it.ident) {
                continue;
            }
            let here = copies
                .iter()
                .find(|(s, _)| *s == Side::Local)
                .map(|&c| pick(c).1);
            if blobs.last() == Some(&it.blob) {
                same += 1;
                events.push(Event::SameText {
                    doc: doc.to_string(),
                    time: it.time,
                    here: here.is_some(),
                    rev: here.unwrap_or_else(|| pick(copies[0]).1),
                    kept: blobs.len() as u64,
                });
                continue;
            }
            let n = blobs.len() as u64 + 1;
            // A copy already after the right parent is kept as it is.
            let reusable = copies
                .iter()
                .map(|&c| pick(c).0)
                .find(|c| c.parent == parent);
            let oid = if let Some(c) = reusable {
                c.oid
            } else {
                let text = self.blob_string(it.blob)?;
                let words = (fig.words)(&text);
                let (added, removed) = match (parent, blobs.last()) {
                    (Some(_), Some(&pb)) => {
                        let prev = match prev_text.take() {
                            Some((b, t)) if b == pb => t,
                            _ => self.blob_string(pb)?,
                        };
                        (fig.changes)(&prev, &text)
                    }
                    _ => (words, 0),
                };
                prev_text = Some((it.blob, text));
                let restores = blobs
                    .iter()
                    .rposition(|b| *b == it.blob)
                    .map(|p| p as u64 + 1);
                self.relink(it.oid, parent, (n, words, added, removed), restores)?
            };
            match here {
                None if !local_idents.contains(&it.ident) => from_remote += 1,
                Some(old) if old != n => {
                    renumbered += 1;
                    events.push(Event::Renumbered {
                        doc: doc.to_string(),
                        time: it.time,
                        from: old,
                        to: n,
                    });
                }
                _ => {}
            }
            blobs.push(it.blob);
            parent = Some(oid);
            kept.insert(oid);
        }
        let tip = parent.ok_or_else(|| SyncError::Git2 {
            what: format!("merging {doc}"),
            source: git2::Error::from_str("the merged history is empty"),
        })?;
        events.insert(
            0,
            Event::Merged {
                doc: doc.to_string(),
                remote: remote_name.to_string(),
                from_remote,
                renumbered,
                same,
                rev: blobs.len() as u64,
            },
        );
        Ok((tip, kept))
    }
}
