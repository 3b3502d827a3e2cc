//! Texts by blob: which revisions hold the same bytes. `record` asks whether
//! a new text restores an earlier revision, and `search` reads each distinct
//! text once however often it recurs.

use super::error::StoreError;
use super::Store;
use crate::model::{DocId, Revision};
use git2::Oid;

/// The id of a text's blob, opaque: equal ids mean equal bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlobId(Oid);

/// A revision and the blob holding its text.
#[derive(Debug, Clone)]
pub struct RevisionBlob {
    pub revision: Revision,
    pub blob: BlobId,
    commit: Oid,
}

impl Store {
    /// The blob id `bytes` would have (nothing is written). Hashing fails
    /// only when libgit2 cannot allocate; there is then no id to compare.
    pub fn blob_id_of(bytes: &[u8]) -> Option<BlobId> {
        Oid::hash_object(git2::ObjectType::Blob, bytes)
            .ok()
            .map(BlobId)
    }

    /// Every revision of a document with its text's blob, oldest first:
    /// one walk over commits and their trees, no text read.
    pub fn revision_blobs(&self, doc: &DocId) -> Result<Vec<RevisionBlob>, StoreError> {
        let mut out = Vec::new();
        for link in self.chain(doc)?.into_iter().rev() {
            let blob = self.text_blob(doc, link.commit, link.tree)?;
            out.push(RevisionBlob {
                revision: link.revision,
                blob: BlobId(blob),
                commit: link.commit,
            });
        }
        Ok(out)
    }

    /// The text of a revision found by [`Store::revision_blobs`].
    pub fn read_revision_blob(&self, doc: &DocId, rb: &RevisionBlob) -> Result<String, StoreError> {
        self.blob_text(doc, &rb.revision, rb.commit, rb.blob.0)
    }

    /// The latest revision before the tip whose text is `bytes`, by number:
    /// what a new revision with these bytes restores.
    pub fn restored_revision(&self, doc: &DocId, bytes: &[u8]) -> Result<Option<u64>, StoreError> {
        let Some(want) = Store::blob_id_of(bytes) else {
            return Ok(None);
        };
        let blobs = self.revision_blobs(doc)?;
        let before_tip = blobs.len().saturating_sub(1);
        Ok(blobs[..before_tip]
            .iter()
            .rev()
            .find(|rb| rb.blob == want)
            .map(|rb| rb.revision.rev))
    }
}
