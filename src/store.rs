//! The store: an ordinary bare git repository. The only module that uses git.
//!
//! Each document has its own branch `refs/heads/<doc-id>`; each revision is
//! one commit whose tree holds `<doc-id>.txt`, byte for byte. Metadata lives
//! in the commit: the capture time as author and committer time, the message,
//! and trailers (`Redliner-Revision`, `Redliner-Words`, `Redliner-Added`,
//! `Redliner-Removed`, `Source`).

use crate::error::{Error, Result};
use crate::model::{CaptureTime, DocId, DocSummary, Revision, Selector};
use git2::{ErrorCode, Oid, Repository};
use std::path::{Path, PathBuf};

const CONFIG_KEY: &str = "redliner.store";
const AUTHOR_NAME: &str = "redliner";
const AUTHOR_EMAIL: &str = "redliner@localhost";

/// An open store.
pub struct Store {
    repo: Repository,
    path: PathBuf,
}

/// What a new commit carries besides the text.
#[derive(Debug, Clone)]
pub struct CommitMeta {
    pub time: CaptureTime,
    pub message: String,
    pub source: Option<String>,
    pub rev: u64,
    pub words: u64,
    pub added: u64,
    pub removed: u64,
}

/// The outcome of a compare-and-swap write.
pub enum Written {
    Done(Revision),
    /// The ref no longer had the expected value; nothing was changed.
    Moved,
    /// The ref is locked by another writer right now; nothing was changed.
    Locked,
}

impl Store {
    /// Creates a new empty store at `path` (which must not exist or be empty).
    pub fn init(path: &Path) -> Result<Store> {
        if path.exists() && !is_empty_dir(path) {
            return match Store::open(path) {
                Ok(_) => Err(Error::NotAStore {
                    path: path.to_path_buf(),
                    reason: "it is already a redliner store".into(),
                }),
                Err(e) => Err(e),
            };
        }
        let repo =
            Repository::init_bare(path).map_err(|e| Error::store("creating the store", e))?;
        repo.config()
            .and_then(|mut c| c.set_bool(CONFIG_KEY, true))
            .map_err(|e| Error::store("creating the store", e))?;
        Ok(Store {
            repo,
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing store.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::NoStore {
                path: path.to_path_buf(),
            });
        }
        let not_store = |reason: &str| Error::NotAStore {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        let repo = Repository::open(path).map_err(|_| not_store("not a git repository"))?;
        if !repo.is_bare() {
            return Err(not_store(
                "a git repository with a work tree, not a bare store",
            ));
        }
        let marked = repo
            .config()
            .and_then(|c| c.get_bool(CONFIG_KEY))
            .unwrap_or(false);
        if !marked {
            return Err(not_store(&format!(
                "a bare git repository without the redliner mark; if it is a clone of a store, run: git -C {} config {CONFIG_KEY} true",
                path.display()
            )));
        }
        Ok(Store {
            repo,
            path: path.to_path_buf(),
        })
    }

    /// Opens the store, creating it if the path does not exist or is an
    /// empty directory.
    pub fn open_or_create(path: &Path) -> Result<Store> {
        if !path.exists() || is_empty_dir(path) {
            if let Some(parent) = path.parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| Error::store(format!("creating {}", parent.display()), e))?;
                }
            }
            return Store::init(path);
        }
        Store::open(path)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn refname(doc: &DocId) -> String {
        format!("refs/heads/{doc}")
    }

    /// The commit id the document's ref points at, `None` if the document
    /// does not exist. A ref that exists but cannot be read is an error,
    /// never "no such document".
    pub fn tip_id(&self, doc: &DocId) -> Result<Option<Oid>> {
        let damaged = |reason: String| Error::DamagedRef {
            doc: doc.to_string(),
            store: self.path.clone(),
            reason,
        };
        match self.repo.find_reference(&Self::refname(doc)) {
            Ok(r) => match r.target() {
                Some(oid) => Ok(Some(oid)),
                None => Err(damaged("it is a symbolic ref".into())),
            },
            Err(e) if e.code() == ErrorCode::NotFound && !self.ref_file_exists(doc) => Ok(None),
            Err(e) => Err(damaged(e.message().to_string())),
        }
    }

    fn ref_file_exists(&self, doc: &DocId) -> bool {
        self.repo.path().join(Self::refname(doc)).exists()
    }

    /// The latest revision of a document, `None` if it does not exist.
    pub fn latest(&self, doc: &DocId) -> Result<Option<Revision>> {
        match self.tip_id(doc)? {
            Some(oid) => Ok(Some(self.revision_at(doc, oid, None)?)),
            None => Ok(None),
        }
    }

    fn damaged_rev(doc: &DocId, oid: Oid, e: impl std::fmt::Display) -> Error {
        Error::DamagedRevision {
            doc: doc.to_string(),
            commit: oid.to_string(),
            reason: e.to_string(),
        }
    }

    /// Reads the revision in commit `oid`. `position` is its number when the
    /// caller knows it (commits written by other tools have no trailer).
    fn revision_at(&self, doc: &DocId, oid: Oid, position: Option<u64>) -> Result<Revision> {
        let c = self
            .repo
            .find_commit(oid)
            .map_err(|e| Self::damaged_rev(doc, oid, e.message()))?;
        let raw = String::from_utf8_lossy(c.message_bytes()).into_owned();
        let (message, trailers) = split_trailers(&raw);
        let get = |k: &str| {
            trailers
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let num = |k: &str| get(k).and_then(|v| v.parse::<u64>().ok());
        let t = c.author().when();
        let rev = match num("Redliner-Revision") {
            Some(n) => n,
            None => match position {
                Some(p) => p,
                None => self.count_back(doc, oid)?,
            },
        };
        Ok(Revision {
            rev,
            id: oid.to_string(),
            time: CaptureTime {
                unix: t.seconds(),
                offset_minutes: t.offset_minutes(),
            },
            words: num("Redliner-Words").unwrap_or(0),
            added: num("Redliner-Added").unwrap_or(0),
            removed: num("Redliner-Removed").unwrap_or(0),
            message,
            source: get("Source"),
        })
    }

    /// Number of commits from `oid` back to the root, following first parents.
    fn count_back(&self, doc: &DocId, oid: Oid) -> Result<u64> {
        Ok(self.first_parent_chain(doc, oid)?.len() as u64)
    }

    fn first_parent_chain(&self, doc: &DocId, tip: Oid) -> Result<Vec<Oid>> {
        let mut out = Vec::new();
        let mut cur = Some(tip);
        while let Some(oid) = cur {
            let c = self
                .repo
                .find_commit(oid)
                .map_err(|e| Self::damaged_rev(doc, oid, e.message()))?;
            out.push(oid);
            cur = if c.parent_count() > 0 {
                Some(
                    c.parent_id(0)
                        .map_err(|e| Self::damaged_rev(doc, oid, e.message()))?,
                )
            } else {
                None
            };
        }
        Ok(out)
    }

    /// The history of a document, newest first.
    pub fn history(&self, doc: &DocId) -> Result<Vec<Revision>> {
        let tip = self.tip_id(doc)?.ok_or_else(|| Error::UnknownDocument {
            doc: doc.to_string(),
        })?;
        let chain = self.first_parent_chain(doc, tip)?;
        let total = chain.len() as u64;
        chain
            .into_iter()
            .enumerate()
            .map(|(i, oid)| self.revision_at(doc, oid, Some(total - i as u64)))
            .collect()
    }

    /// Finds the revision a selector names.
    pub fn resolve(&self, doc: &DocId, sel: &Selector) -> Result<Revision> {
        if *sel == Selector::Latest {
            return self.latest(doc)?.ok_or_else(|| Error::UnknownDocument {
                doc: doc.to_string(),
            });
        }
        let history = self.history(doc)?;
        let count = history.len();
        let missing = |detail: String| Error::UnknownRevision {
            doc: doc.to_string(),
            selector: sel.to_string(),
            detail,
        };
        let found = match sel {
            Selector::Latest => history.first(),
            Selector::Number(n) => history.iter().find(|r| r.rev == *n),
            Selector::Back(k) => usize::try_from(*k).ok().and_then(|k| history.get(k)),
            Selector::Commit(prefix) => {
                let hits: Vec<&Revision> = history
                    .iter()
                    .filter(|r| r.id.starts_with(prefix.as_str()))
                    .collect();
                if hits.len() > 1 {
                    return Err(missing(format!(
                        "{} revisions match that prefix; give more digits",
                        hits.len()
                    )));
                }
                hits.first().copied()
            }
            Selector::AtOrBefore(t) => history.iter().find(|r| r.time.unix <= *t),
        };
        found.cloned().ok_or_else(|| {
            missing(match sel {
                Selector::AtOrBefore(_) => {
                    "nothing was captured at or before that time".to_string()
                }
                Selector::Commit(_) => {
                    "no revision of this document has that commit id".to_string()
                }
                _ => format!(
                    "it has {count} revision{}",
                    if count == 1 { "" } else { "s" }
                ),
            })
        })
    }

    /// The recorded bytes of a revision.
    pub fn read_text(&self, doc: &DocId, rev: &Revision) -> Result<Vec<u8>> {
        let oid = Oid::from_str(&rev.id)
            .map_err(|e| Self::damaged_rev(doc, Oid::ZERO_SHA1, e.message()))?;
        let damaged = |e: &dyn std::fmt::Display| Self::damaged_rev(doc, oid, e);
        let commit = self
            .repo
            .find_commit(oid)
            .map_err(|e| damaged(&e.message()))?;
        let tree = commit.tree().map_err(|e| damaged(&e.message()))?;
        let name = format!("{doc}.txt");
        let entry = tree
            .get_name(&name)
            .ok_or_else(|| damaged(&format!("its tree has no {name}")))?;
        let blob = self
            .repo
            .find_blob(entry.id())
            .map_err(|e| damaged(&e.message()))?;
        Ok(blob.content().to_vec())
    }

    /// Writes a new revision whose parent is `expected` (the tip read by the
    /// caller) and moves the ref only if it still points there.
    pub fn write_revision(
        &self,
        doc: &DocId,
        expected: Option<Oid>,
        text: &[u8],
        meta: &CommitMeta,
    ) -> Result<Written> {
        let fail = |e: git2::Error| Error::store(format!("recording {doc}"), e.message());
        let blob = self.repo.blob(text).map_err(fail)?;
        let mut tb = self.repo.treebuilder(None).map_err(fail)?;
        tb.insert(format!("{doc}.txt"), blob, 0o100644)
            .map_err(fail)?;
        let tree_id = tb.write().map_err(fail)?;
        let tree = self.repo.find_tree(tree_id).map_err(fail)?;
        let when = git2::Time::new(meta.time.unix, meta.time.offset_minutes);
        let sig = git2::Signature::new(AUTHOR_NAME, AUTHOR_EMAIL, &when).map_err(fail)?;
        let parent = match expected {
            Some(oid) => Some(self.repo.find_commit(oid).map_err(fail)?),
            None => None,
        };
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let message = commit_message(meta);
        let oid = self
            .repo
            .commit(None, &sig, &sig, &message, &tree, &parents)
            .map_err(fail)?;
        let msg = format!("redliner: record {doc} revision {}", meta.rev);
        match self.repo.reference_matching(
            &Self::refname(doc),
            oid,
            true,
            expected.unwrap_or(Oid::ZERO_SHA1),
            &msg,
        ) {
            Ok(_) => {}
            Err(e) if e.code() == ErrorCode::Modified => return Ok(Written::Moved),
            Err(e) if e.code() == ErrorCode::Locked => return Ok(Written::Locked),
            Err(e) if e.code() == ErrorCode::Exists => return Ok(Written::Moved),
            Err(e) => return Err(fail(e)),
        }
        self.point_head_somewhere(doc);
        Ok(Written::Done(self.revision_at(doc, oid, Some(meta.rev))?))
    }

    /// Makes HEAD point at an existing branch so that `git clone` checks
    /// something out. Best effort: a failure here loses nothing.
    fn point_head_somewhere(&self, doc: &DocId) {
        let head_ok = self.repo.head().ok().and_then(|h| h.target()).is_some();
        if !head_ok {
            let _ = self.repo.set_head(&Self::refname(doc));
        }
    }

    /// Every document with its revision count, latest time and word count,
    /// or the error that stops it from being read (a damaged document never
    /// disappears from the list, and never hides the others). Reads one tip
    /// commit per document.
    pub fn list(&self) -> Result<Vec<(DocId, Result<DocSummary>)>> {
        let refs = self
            .repo
            .references_glob("refs/heads/*")
            .map_err(|e| Error::store("listing documents", e.message()))?;
        let mut names = std::collections::BTreeSet::new();
        for r in refs.flatten() {
            if let Some(name) = r.name().ok().and_then(|n| n.strip_prefix("refs/heads/")) {
                names.insert(name.to_string());
            }
        }
        // libgit2 skips loose refs it cannot parse; find them on disk too.
        if let Ok(dir) = std::fs::read_dir(self.repo.path().join("refs/heads")) {
            for e in dir.flatten() {
                if e.file_type().map(|t| t.is_file()).unwrap_or(false) {
                    names.insert(e.file_name().to_string_lossy().into_owned());
                }
            }
        }
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            let Ok(doc) = DocId::parse(&name) else {
                continue;
            };
            let summary = self.latest(&doc).and_then(|rev| {
                let rev = rev.ok_or_else(|| Error::UnknownDocument {
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

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

/// One line, no NUL: safe inside a trailer.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\0' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn commit_message(meta: &CommitMeta) -> String {
    let body: String = meta.message.replace('\0', " ");
    let body = body.trim_end();
    let mut m = String::new();
    m.push_str(if body.is_empty() { "record" } else { body });
    m.push_str("\n\n");
    m.push_str(&format!("Redliner-Revision: {}\n", meta.rev));
    m.push_str(&format!("Redliner-Words: {}\n", meta.words));
    m.push_str(&format!("Redliner-Added: {}\n", meta.added));
    m.push_str(&format!("Redliner-Removed: {}\n", meta.removed));
    if let Some(src) = &meta.source {
        m.push_str(&format!("Source: {}\n", one_line(src)));
    }
    m
}

/// Splits a commit message into its text and the trailers of its last
/// paragraph (only when every line of that paragraph is a trailer).
fn split_trailers(raw: &str) -> (String, Vec<(String, String)>) {
    let trimmed = raw.trim_end_matches('\n');
    if let Some((body, last)) = trimmed.rsplit_once("\n\n") {
        let parsed: Option<Vec<(String, String)>> = last
            .lines()
            .map(|l| {
                let (k, v) = l.split_once(": ")?;
                let key_ok =
                    !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                key_ok.then(|| (k.to_string(), v.to_string()))
            })
            .collect();
        if let Some(t) = parsed {
            return (body.to_string(), t);
        }
    }
    (trimmed.to_string(), Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_round_trip() {
        let meta = CommitMeta {
            time: CaptureTime {
                unix: 0,
                offset_minutes: 0,
            },
            message: "fix\n\nsecond paragraph: with colon".into(),
            source: Some("https://example.org/a\nb".into()),
            rev: 3,
            words: 10,
            added: 2,
            removed: 1,
        };
        let (msg, t) = split_trailers(&commit_message(&meta));
        assert_eq!(msg, "fix\n\nsecond paragraph: with colon");
        assert!(t.contains(&("Source".into(), "https://example.org/a b".into())));
        assert!(t.contains(&("Redliner-Revision".into(), "3".into())));
    }

    #[test]
    fn message_without_trailers_is_kept_whole() {
        let (msg, t) = split_trailers("hello\n\nworld\n");
        assert_eq!(msg, "hello\n\nworld");
        assert!(t.is_empty());
    }
}
