//! The one first-parent walker. A document's history is the chain of first
//! parents from its tip back to its root commit; everything that reads more
//! than one revision (history, numbering, selectors, the oldest-first
//! iterators, verify) walks it here, reading each commit once.

use super::error::{Damage, StoreError};
use super::integrity::check_object;
use super::read::parse_revision;
use super::Store;
use crate::model::{DocId, Revision};
use git2::Oid;
use std::sync::Arc;

/// How each commit is checked before libgit2 parses it.
pub(super) enum Check<'o> {
    /// The loose-object guard (cheap; enough for reading).
    Loose,
    /// The full check of `verify`: read through the object database, type
    /// and hash compared.
    Full(&'o git2::Odb<'o>),
}

/// Commits from a tip back to the root along first parents, newest first.
/// A commit that cannot be read ends the walk with its error.
pub(super) struct FirstParents<'s> {
    store: &'s Store,
    next: Option<Oid>,
    check: Check<'s>,
}

impl<'s> FirstParents<'s> {
    /// Checks each commit as `verify` does instead of with the loose guard.
    pub(super) fn checked_by(mut self, odb: &'s git2::Odb<'s>) -> FirstParents<'s> {
        self.check = Check::Full(odb);
        self
    }
}

impl<'s> Iterator for FirstParents<'s> {
    type Item = Result<(Oid, git2::Commit<'s>), (Oid, Damage)>;

    fn next(&mut self) -> Option<Self::Item> {
        let oid = self.next.take()?;
        let checked = match self.check {
            Check::Loose => self.store.guard_loose(oid),
            Check::Full(odb) => {
                check_object(self.store, odb, oid, git2::ObjectType::Commit).map(drop)
            }
        };
        let read = checked
            .map_err(Damage::from)
            .and_then(|()| self.store.repo.find_commit(oid).map_err(Damage::Git));
        Some(match read {
            Ok(c) => {
                self.next = if c.parent_count() > 0 {
                    c.parent_id(0).ok()
                } else {
                    None
                };
                Ok((oid, c))
            }
            Err(d) => Err((oid, d)),
        })
    }
}

/// One revision of a walked chain, with what is needed to read its text.
pub(super) struct Link {
    pub(super) revision: Revision,
    pub(super) commit: Oid,
    pub(super) tree: Oid,
}

/// A document's texts oldest first, built by [`Store::texts_oldest_first`].
///
/// Each item is a revision and its text. Consecutive revisions whose text
/// is the same blob share one `Arc<str>` and the blob is read once: a
/// caller that wants to handle each distinct text once (search) can skip an
/// item whose text is `Arc::ptr_eq` to the previous one.
pub struct Texts<'s> {
    store: &'s Store,
    doc: DocId,
    links: std::iter::Rev<std::vec::IntoIter<Link>>,
    last: Option<(Oid, Arc<str>)>,
}

impl Texts<'_> {
    /// The text of `link`, shared with the previous one when it is the same blob.
    fn text_of(&mut self, link: &Link) -> Result<Arc<str>, StoreError> {
        let blob = self.store.text_blob(&self.doc, link.commit, link.tree)?;
        if let Some((last, text)) = &self.last {
            if *last == blob {
                return Ok(Arc::clone(text));
            }
        }
        let text: Arc<str> = self
            .store
            .blob_text(&self.doc, &link.revision, link.commit, blob)?
            .into();
        self.last = Some((blob, Arc::clone(&text)));
        Ok(text)
    }
}

impl Iterator for Texts<'_> {
    type Item = Result<(Revision, Arc<str>), StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        let link = self.links.next()?;
        Some(self.text_of(&link).map(|text| (link.revision, text)))
    }
}

impl Store {
    /// The first-parent walk from `tip`, each commit checked by the loose guard.
    pub(super) fn first_parents(&self, tip: Oid) -> FirstParents<'_> {
        FirstParents {
            store: self,
            next: Some(tip),
            check: Check::Loose,
        }
    }

    /// The first-parent walk from `tip` with errors naming the revision.
    pub(super) fn walk<'s>(
        &'s self,
        doc: &'s DocId,
        tip: Oid,
    ) -> impl Iterator<Item = Result<(Oid, git2::Commit<'s>), StoreError>> + 's {
        self.first_parents(tip)
            .map(move |step| step.map_err(|(oid, damage)| damaged(doc, oid, damage)))
    }

    /// Number of commits from `oid` back to the root, following first parents.
    pub(super) fn count_back(&self, doc: &DocId, oid: Oid) -> Result<u64, StoreError> {
        self.walk(doc, oid)
            .try_fold(0, |n, step| step.map(|_| n + 1))
    }

    /// The whole chain of a document, newest first, numbered: a commit
    /// without a revision trailer (written by another tool) gets its position.
    pub(super) fn chain(&self, doc: &DocId) -> Result<Vec<Link>, StoreError> {
        let tip = self
            .tip_oid(doc)?
            .ok_or_else(|| StoreError::UnknownDocument {
                doc: doc.to_string(),
            })?;
        // One pass: each commit is read once.
        let mut out: Vec<(Link, bool)> = Vec::new();
        for step in self.walk(doc, tip) {
            let (oid, c) = step?;
            let (revision, numbered) = parse_revision(&c, oid);
            let link = Link {
                revision,
                commit: oid,
                tree: c.tree_id(),
            };
            out.push((link, numbered));
        }
        let total = out.len() as u64;
        Ok(out
            .into_iter()
            .enumerate()
            .map(|(i, (mut link, numbered))| {
                if !numbered {
                    link.revision.rev = total - i as u64;
                }
                link
            })
            .collect())
    }

    /// The history of a document, newest first.
    pub fn history(&self, doc: &DocId) -> Result<Vec<Revision>, StoreError> {
        Ok(self.chain(doc)?.into_iter().map(|l| l.revision).collect())
    }

    /// The revisions of a document, oldest first (revision 1 first). The
    /// chain is walked once from the tip, then handed out reversed.
    pub fn revisions_oldest_first(
        &self,
        doc: &DocId,
    ) -> Result<impl DoubleEndedIterator<Item = Revision>, StoreError> {
        Ok(self.history(doc)?.into_iter().rev())
    }

    /// The revisions of a document with their texts, oldest first. The chain
    /// is walked once from the tip; texts are read as the iterator goes, and
    /// consecutive identical texts are read once and shared (see [`Texts`]).
    pub fn texts_oldest_first(&self, doc: &DocId) -> Result<Texts<'_>, StoreError> {
        Ok(Texts {
            store: self,
            doc: doc.clone(),
            links: self.chain(doc)?.into_iter().rev(),
            last: None,
        })
    }
}

/// The error for a revision that cannot be read.
pub(super) fn damaged(doc: &DocId, oid: Oid, damage: impl Into<Damage>) -> StoreError {
    StoreError::DamagedRevision {
        doc: doc.to_string(),
        commit: oid.to_string(),
        damage: damage.into(),
    }
}
