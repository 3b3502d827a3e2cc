//! Document refs: each document is the branch `refs/heads/<doc-id>`. Reading
//! tips, naming every document, listing them, and pointing HEAD somewhere.

use super::error::StoreError;
use super::{revision_id, Store};
use crate::model::{DocId, DocSummary, RevisionId};
use git2::{ErrorCode, Oid};
use std::collections::{BTreeMap, BTreeSet};

/// One document of [`Store::list`]: its summary, or why it cannot be read.
pub type Listed = (DocId, Result<DocSummary, StoreError>);

impl Store {
    /// The full name of a document's ref.
    pub(super) fn refname(doc: &DocId) -> String {
        format!("refs/heads/{doc}")
    }

    /// The revision the document's ref points at, `None` if the document
    /// does not exist. A ref that exists but cannot be read is an error,
    /// never "no such document".
    pub fn tip_id(&self, doc: &DocId) -> Result<Option<RevisionId>, StoreError> {
        Ok(self.tip_oid(doc)?.map(revision_id))
    }

    /// [`Store::tip_id`] as a git object id.
    pub(super) fn tip_oid(&self, doc: &DocId) -> Result<Option<Oid>, StoreError> {
        match self.repo.find_reference(&Self::refname(doc)) {
            Ok(r) => match r.target() {
                Some(oid) => Ok(Some(oid)),
                None => Err(StoreError::SymbolicRef {
                    doc: doc.to_string(),
                    store: self.path.clone(),
                }),
            },
            Err(e) if e.code() == ErrorCode::NotFound && !self.ref_file_exists(doc) => Ok(None),
            Err(source) => Err(StoreError::DamagedRef {
                doc: doc.to_string(),
                store: self.path.clone(),
                source,
            }),
        }
    }

    fn ref_file_exists(&self, doc: &DocId) -> bool {
        self.repo.path().join(Self::refname(doc)).exists()
    }

    /// Makes HEAD point at an existing branch so that `git clone` checks
    /// something out. Best effort: a failure here loses nothing.
    pub(super) fn point_head_somewhere(&self, doc: &DocId) {
        let head_ok = self.repo.head().ok().and_then(|h| h.target()).is_some();
        if !head_ok {
            let _ = self.repo.set_head(&Self::refname(doc));
        }
    }

    /// Every branch with its tip as git lists it: `None` for the names of
    /// loose ref files that libgit2 skips because it cannot parse them.
    fn document_tips(&self) -> Result<BTreeMap<String, Option<Oid>>, StoreError> {
        let refs = self
            .repo
            .references_glob("refs/heads/*")
            .map_err(|source| StoreError::ListDocuments { source })?;
        let mut tips = BTreeMap::new();
        for r in refs.flatten() {
            if let Some(name) = r.name().ok().and_then(|n| n.strip_prefix("refs/heads/")) {
                tips.insert(name.to_string(), r.target());
            }
        }
        if let Ok(dir) = std::fs::read_dir(self.repo.path().join("refs/heads")) {
            for e in dir.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if e.file_type().map(|t| t.is_file()).unwrap_or(false) && !name.ends_with(".lock") {
                    tips.entry(name).or_insert(None);
                }
            }
        }
        Ok(tips)
    }

    /// The names of every branch, including loose ref files that libgit2
    /// skips because it cannot parse them.
    pub(super) fn document_names(&self) -> Result<BTreeSet<String>, StoreError> {
        Ok(self.document_tips()?.into_keys().collect())
    }

    /// Every document with its revision count, latest time and word count,
    /// or the error that stops it from being read (a damaged document never
    /// disappears from the list, and never hides the others). Reads one tip
    /// commit per document.
    pub fn list(&self) -> Result<Vec<Listed>, StoreError> {
        // Tips straight from the ref iteration; names libgit2 skips (damaged
        // loose refs) are looked up one by one so that their error shows.
        let tips = self.document_tips()?;
        let mut out = Vec::with_capacity(tips.len());
        for (name, tip) in tips {
            let Ok(doc) = DocId::parse(&name) else {
                continue;
            };
            let rev = match tip {
                Some(oid) => self.revision_at(&doc, oid, None).map(Some),
                None => self.latest(&doc),
            };
            let summary = rev.and_then(|rev| {
                let rev = rev.ok_or_else(|| StoreError::UnknownDocument {
                    doc: doc.to_string(),
                })?;
                Ok(DocSummary {
                    doc: doc.clone(),
                    revisions: rev.rev,
                    latest_time: rev.time,
                    words: rev.words,
                })
            });
            out.push((doc, summary));
        }
        Ok(out)
    }
}
