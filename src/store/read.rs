//! Reading one revision: its commit as a [`Revision`], and its text.

use super::error::{Damage, StoreError};
use super::trailers::Trailers;
use super::walk::damaged;
use super::{raw_name, revision_id, text_name, Store};
use crate::model::{CaptureTime, DocId, Revision};
use git2::Oid;

impl Store {
    /// The latest revision of a document, `None` if it does not exist.
    pub fn latest(&self, doc: &DocId) -> Result<Option<Revision>, StoreError> {
        match self.tip_oid(doc)? {
            Some(oid) => Ok(Some(self.revision_at(doc, oid, None)?)),
            None => Ok(None),
        }
    }

    /// Reads the revision in commit `oid`. `position` is its number when the
    /// caller knows it (commits written by other tools have no trailer).
    pub(super) fn revision_at(
        &self,
        doc: &DocId,
        oid: Oid,
        position: Option<u64>,
    ) -> Result<Revision, StoreError> {
        let c = self
            .find_commit_checked(oid)
            .map_err(|e| damaged(doc, oid, e))?;
        let (mut rev, numbered) = parse_revision(&c, oid);
        if !numbered {
            rev.rev = match position {
                Some(p) => p,
                None => self.count_back(doc, oid)?,
            };
        }
        Ok(rev)
    }

    /// The recorded text of a revision. redliner records only UTF-8; a text
    /// that is not (written by another tool) is an error naming the revision
    /// and the offset of the first invalid byte, never altered.
    pub fn read_text(&self, doc: &DocId, rev: &Revision) -> Result<String, StoreError> {
        let (oid, commit) = self.commit_of(doc, rev)?;
        let blob = self.text_blob(doc, oid, commit.tree_id())?;
        self.blob_text(doc, rev, oid, blob)
    }

    /// The commit of a revision, checked.
    fn commit_of(
        &self,
        doc: &DocId,
        rev: &Revision,
    ) -> Result<(Oid, git2::Commit<'_>), StoreError> {
        let oid = Oid::from_str(rev.id.as_str()).map_err(|e| StoreError::DamagedRevision {
            doc: doc.to_string(),
            commit: rev.id.to_string(),
            damage: Damage::Git(e),
        })?;
        let commit = self
            .find_commit_checked(oid)
            .map_err(|e| damaged(doc, oid, e))?;
        Ok((oid, commit))
    }

    /// All the trailers of a revision's commit (a capture's URL, type and
    /// selectors among them).
    pub fn revision_trailers(&self, doc: &DocId, rev: &Revision) -> Result<Trailers, StoreError> {
        let (_, commit) = self.commit_of(doc, rev)?;
        let raw = String::from_utf8_lossy(commit.message_bytes());
        Ok(Trailers::parse(&raw).1)
    }

    /// The raw capture kept with a revision, as its file name and bytes, or
    /// `None` when the revision has none (text recorded from a file).
    pub fn read_raw(
        &self,
        doc: &DocId,
        rev: &Revision,
    ) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let (oid, commit) = self.commit_of(doc, rev)?;
        let tree = self
            .read_checked(commit.tree_id(), git2::Repository::find_tree)
            .map_err(|e| damaged(doc, oid, e))?;
        let prefix = raw_name(doc, "");
        let Some((name, id)) = tree.iter().find_map(|e| {
            let name = e.name().ok()?;
            name.starts_with(&prefix)
                .then(|| (name.to_string(), e.id()))
        }) else {
            return Ok(None);
        };
        let blob = self
            .read_checked(id, git2::Repository::find_blob)
            .map_err(|e| damaged(doc, oid, e))?;
        Ok(Some((name, blob.content().to_vec())))
    }

    /// The id of the text blob in the tree `tree` of commit `commit`.
    pub(super) fn text_blob(&self, doc: &DocId, commit: Oid, tree: Oid) -> Result<Oid, StoreError> {
        let tree = self
            .read_checked(tree, git2::Repository::find_tree)
            .map_err(|e| damaged(doc, commit, e))?;
        let name = text_name(doc);
        let entry = tree
            .get_name(&name)
            .ok_or_else(|| damaged(doc, commit, Damage::MissingText(name.clone())))?;
        Ok(entry.id())
    }

    /// The text in blob `blob`, checked to be UTF-8.
    pub(super) fn blob_text(
        &self,
        doc: &DocId,
        rev: &Revision,
        commit: Oid,
        blob: Oid,
    ) -> Result<String, StoreError> {
        let blob = self
            .read_checked(blob, git2::Repository::find_blob)
            .map_err(|e| damaged(doc, commit, e))?;
        String::from_utf8(blob.content().to_vec()).map_err(|e| StoreError::NotUtf8Text {
            doc: doc.to_string(),
            rev: rev.rev,
            commit: commit.to_string(),
            offset: e.utf8_error().valid_up_to(),
        })
    }
}

/// The revision a commit records, and whether its number came from its
/// trailer (commits written by other tools have none; the caller numbers
/// them by position).
pub(super) fn parse_revision(c: &git2::Commit<'_>, oid: Oid) -> (Revision, bool) {
    // Valid UTF-8 (every message redliner writes) is borrowed as it is;
    // `from_utf8` checks it faster than the lossy decoder walks it.
    let bytes = c.message_bytes();
    let raw = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let (message, trailers) = Trailers::parse(&raw);
    let t = c.author().when();
    (
        Revision {
            rev: trailers.revision.unwrap_or(0),
            id: revision_id(oid),
            time: CaptureTime {
                unix: t.seconds(),
                offset_minutes: t.offset_minutes(),
            },
            published: trailers
                .published()
                .and_then(|p| CaptureTime::parse_rfc3339(p).ok()),
            restores: trailers.restores(),
            words: trailers.words.unwrap_or(0),
            added: trailers.added.unwrap_or(0),
            removed: trailers.removed.unwrap_or(0),
            message,
            source: trailers.source,
            technical: trailers.technical,
        },
        trailers.revision.is_some(),
    )
}
