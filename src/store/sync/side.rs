//! Reconciling what is not a revision: each document's observation log
//! (`refs/redliner/checks/<doc>`) and the watch list (`refs/redliner/watch`).
//!
//! - Observation logs: the union of both logs after their common base, in
//!   check-time order (ties by message), as one chain; a check is known by
//!   its time and message, so a re-linked copy is the same check (two checks
//!   of the same second with the same outcome, validators and reason are
//!   one); a check already after the right parent keeps its commit, others
//!   are re-linked unchanged.
//! - The watch list: a three-way merge of the entries against the lists'
//!   common ancestor. An entry added or changed on one side is taken; one
//!   removed on one side and unchanged on the other is removed; one changed
//!   differently on both sides takes the side whose list was written last
//!   (capture time, then commit id). Entries keep the ancestor's order,
//!   and entries new on either side follow in document-id order. The result
//!   is a commit with both lists as parents.

use super::error::{git2_error, SyncError};
use super::merge::{common_prefix, union_by_key, Side};
use super::Event;
use crate::model::{DocId, WatchEntry};
use crate::store::side::{checks_ref, WATCH_FILE, WATCH_REF};
use crate::store::Store;
use git2::Oid;

const ATTEMPTS: u32 = 50;

struct Check {
    oid: Oid,
    parent: Option<Oid>,
    time: i64,
    message: Vec<u8>,
}

impl Store {
    pub(super) fn ref_target(&self, refname: &str) -> Result<Option<Oid>, SyncError> {
        match self.repo.find_reference(refname) {
            Ok(r) => Ok(r.target()),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git2_error(format!("reading {refname}"))(e)),
        }
    }

    fn check_items(&self, tip: Oid) -> Result<Vec<Check>, SyncError> {
        let err = git2_error("reading an observation log");
        let mut out = Vec::new();
        let mut next = Some(tip);
        while let Some(oid) = next {
            let c = self.repo.find_commit(oid).map_err(&err)?;
            next = c.parent_id(0).ok();
            out.push(Check {
                oid,
                parent: next,
                time: c.author().when().seconds(),
                message: c.message_bytes().to_vec(),
            });
        }
        out.reverse();
        Ok(out)
    }

    /// Reconciles a document's observation log; returns the tip the remote
    /// should have afterwards.
    pub(super) fn sync_checks(
        &self,
        doc: &DocId,
        remote: Option<Oid>,
        events: &mut Vec<Event>,
    ) -> Result<Option<Oid>, SyncError> {
        let refname = checks_ref(doc);
        let err = git2_error("merging an observation log");
        for _ in 0..ATTEMPTS {
            let local = self.ref_target(&refname)?;
            let (l, r) = match (local, remote) {
                (None, None) => return Ok(None),
                (Some(l), None) => return Ok(Some(l)),
                (None, Some(r)) => {
                    if self.swap_ref(&refname, None, r, "redliner sync")? {
                        return Ok(Some(r));
                    }
                    continue;
                }
                (Some(l), Some(r)) if l == r => return Ok(Some(l)),
                (Some(l), Some(r)) => (l, r),
            };
            let descends = |a: Oid, b: Oid| self.repo.graph_descendant_of(a, b).unwrap_or(false);
            if descends(l, r) {
                return Ok(Some(l));
            }
            if descends(r, l) {
                if self.swap_ref(&refname, Some(l), r, "redliner sync")? {
                    return Ok(Some(r));
                }
                continue;
            }
            let li = self.check_items(l)?;
            let ri = self.check_items(r)?;
            let k = common_prefix(
                &li.iter().map(|c| c.oid).collect::<Vec<_>>(),
                &ri.iter().map(|c| c.oid).collect::<Vec<_>>(),
            );
            let (ls, rs) = (&li[k..], &ri[k..]);
            let prefix: std::collections::HashSet<(i64, &[u8])> = li[..k]
                .iter()
                .map(|c| (c.time, c.message.as_slice()))
                .collect();
            let mut parent = k.checked_sub(1).map(|i| li[i].oid);
            let mut count = 0u64;
            for copies in union_by_key(ls, rs, |c| (c.time, c.message.clone())) {
                let pick = |(side, i): (Side, usize)| match side {
                    Side::Local => &ls[i],
                    Side::Remote => &rs[i],
                };
                let it = pick(copies[0]);
                if prefix.contains(&(it.time, it.message.as_slice())) {
                    continue;
                }
                let reusable = copies.iter().map(|&c| pick(c)).find(|c| c.parent == parent);
                let oid = if let Some(c) = reusable {
                    c.oid
                } else {
                    let c = self.repo.find_commit(it.oid).map_err(&err)?;
                    let tree = c.tree().map_err(&err)?;
                    let (author, committer) = (c.author().to_owned(), c.committer().to_owned());
                    let p = parent
                        .map(|p| self.repo.find_commit(p))
                        .transpose()
                        .map_err(&err)?;
                    let parents: Vec<&git2::Commit<'_>> = p.iter().collect();
                    let message = String::from_utf8_lossy(c.message_bytes()).into_owned();
                    self.repo
                        .commit(None, &author, &committer, &message, &tree, &parents)
                        .map_err(&err)?
                };
                count += 1;
                parent = Some(oid);
            }
            let Some(result) = parent else {
                return Ok(Some(l));
            };
            if result != l && !self.swap_ref(&refname, Some(l), result, "redliner sync")? {
                continue;
            }
            events.push(Event::ChecksMerged {
                doc: doc.to_string(),
                checks: (k as u64) + count,
            });
            return Ok(Some(result));
        }
        Err(crate::store::StoreError::Contention {
            doc: refname,
            attempts: ATTEMPTS,
        }
        .into())
    }

    /// Reconciles the watch list; returns the tip the remote should have.
    pub(super) fn sync_watch(
        &self,
        remote: Option<Oid>,
        events: &mut Vec<Event>,
    ) -> Result<Option<Oid>, SyncError> {
        let err = git2_error("merging the watch list");
        for _ in 0..ATTEMPTS {
            let local = self.ref_target(WATCH_REF)?;
            let (l, r) = match (local, remote) {
                (None, None) => return Ok(None),
                (Some(l), None) => return Ok(Some(l)),
                (None, Some(r)) => {
                    if self.swap_ref(WATCH_REF, None, r, "redliner sync")? {
                        events.push(Event::WatchFetched);
                        return Ok(Some(r));
                    }
                    continue;
                }
                (Some(l), Some(r)) if l == r => return Ok(Some(l)),
                (Some(l), Some(r)) => (l, r),
            };
            let descends = |a: Oid, b: Oid| self.repo.graph_descendant_of(a, b).unwrap_or(false);
            if descends(l, r) {
                return Ok(Some(l));
            }
            if descends(r, l) {
                if self.swap_ref(WATCH_REF, Some(l), r, "redliner sync")? {
                    events.push(Event::WatchFetched);
                    return Ok(Some(r));
                }
                continue;
            }
            let base = match self.repo.merge_base(l, r) {
                Ok(b) => self.watch_list_of(b)?,
                Err(_) => Vec::new(),
            };
            let lc = self.repo.find_commit(l).map_err(&err)?;
            let rc = self.repo.find_commit(r).map_err(&err)?;
            let key = |c: &git2::Commit<'_>| (c.committer().when().seconds(), c.id());
            let local_wins = key(&lc) > key(&rc);
            let list = three_way(
                &base,
                &self.watch_list_of(l)?,
                &self.watch_list_of(r)?,
                local_wins,
            );
            let json = serde_json::to_vec_pretty(&list).map_err(|e| {
                git2_error("merging the watch list")(git2::Error::from_str(&e.to_string()))
            })?;
            let blob = self.repo.blob(&json).map_err(&err)?;
            let mut tb = self.repo.treebuilder(None).map_err(&err)?;
            tb.insert(WATCH_FILE, blob, 0o100644).map_err(&err)?;
            let tree = self
                .repo
                .find_tree(tb.write().map_err(&err)?)
                .map_err(&err)?;
            let newer = if local_wins { &lc } else { &rc };
            let sig = newer.committer();
            let m = self
                .repo
                .commit(
                    None,
                    &sig,
                    &sig,
                    "merge the watch lists",
                    &tree,
                    &[&rc, &lc],
                )
                .map_err(&err)?;
            if self.swap_ref(WATCH_REF, Some(l), m, "redliner sync")? {
                events.push(Event::WatchMerged {
                    entries: list.len() as u64,
                });
                return Ok(Some(m));
            }
        }
        Err(crate::store::StoreError::Contention {
            doc: WATCH_REF.to_string(),
            attempts: ATTEMPTS,
        }
        .into())
    }
}

/// The three-way merge of two watch lists against their common ancestor.
fn three_way(
    base: &[WatchEntry],
    local: &[WatchEntry],
    remote: &[WatchEntry],
    local_wins: bool,
) -> Vec<WatchEntry> {
    let find = |list: &[WatchEntry], doc: &str| list.iter().find(|e| e.doc == doc).cloned();
    let mut docs: Vec<String> = base.iter().map(|e| e.doc.clone()).collect();
    let mut new: Vec<String> = local
        .iter()
        .chain(remote)
        .map(|e| e.doc.clone())
        .filter(|d| !docs.contains(d))
        .collect();
    new.sort();
    new.dedup();
    docs.extend(new);
    let mut out = Vec::new();
    for doc in docs {
        let (b, l, r) = (find(base, &doc), find(local, &doc), find(remote, &doc));
        let pick = match (l, r) {
            (Some(l), Some(r)) => Some(if l == r || b.as_ref() == Some(&l) {
                r
            } else if b.as_ref() == Some(&r) || local_wins {
                l
            } else {
                r
            }),
            // Removed on one side: gone, unless the other side changed it.
            (Some(x), None) | (None, Some(x)) => (b.as_ref() != Some(&x)).then_some(x),
            (None, None) => None,
        };
        out.extend(pick);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::three_way;
    use crate::model::WatchEntry;

    fn e(doc: &str, url: &str) -> WatchEntry {
        WatchEntry {
            doc: doc.into(),
            url: url.into(),
            select: vec![],
            remove: vec![],
            lang: "en".into(),
        }
    }

    #[test]
    fn watch_lists_merge_three_ways() {
        let base = [e("a", "u1"), e("b", "u2"), e("c", "u3")];
        // Local: removed b, changed c, added z. Remote: added d, changed a.
        let local = [e("a", "u1"), e("c", "u3-local"), e("z", "u9")];
        let remote = [
            e("a", "u1-remote"),
            e("b", "u2"),
            e("c", "u3"),
            e("d", "u4"),
        ];
        let want = vec![
            e("a", "u1-remote"),
            e("c", "u3-local"),
            e("d", "u4"),
            e("z", "u9"),
        ];
        assert_eq!(three_way(&base, &local, &remote, true), want);
        assert_eq!(three_way(&base, &remote, &local, false), want);
        // Both changed one entry: the newer list wins, whichever side it is.
        let l2 = [e("a", "L")];
        let r2 = [e("a", "R")];
        assert_eq!(three_way(&[e("a", "u")], &l2, &r2, true), vec![e("a", "L")]);
        assert_eq!(
            three_way(&[e("a", "u")], &r2, &l2, false),
            vec![e("a", "L")]
        );
        // Removed on one side but changed on the other: kept.
        assert_eq!(three_way(&[e("a", "u")], &[], &r2, true), vec![e("a", "R")]);
    }
}
