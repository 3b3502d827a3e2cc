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
/// Largest object `guard_loose` inflates (texts are capped at 64 MiB).
const MAX_OBJECT_BYTES: u64 = 1 << 30;

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

/// The per-document writer lock; released when dropped or when the process dies.
pub struct WriterLock {
    _file: std::fs::File,
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
            .find_commit_checked(oid)
            .map_err(|e| Self::damaged_rev(doc, oid, e))?;
        let (mut rev, numbered) = parse_revision(&c, oid);
        if !numbered {
            rev.rev = match position {
                Some(p) => p,
                None => self.count_back(doc, oid)?,
            };
        }
        Ok(rev)
    }

    /// Number of commits from `oid` back to the root, following first parents.
    fn count_back(&self, doc: &DocId, oid: Oid) -> Result<u64> {
        Ok(self.first_parent_chain(doc, oid)?.len() as u64)
    }

    fn first_parent_chain(&self, doc: &DocId, tip: Oid) -> Result<Vec<Oid>> {
        let mut out = Vec::new();
        self.walk_first_parents(doc, tip, |_, oid| out.push(oid))?;
        Ok(out)
    }

    /// Visits each commit from `tip` back to the root along first parents,
    /// reading each once.
    fn walk_first_parents(
        &self,
        doc: &DocId,
        tip: Oid,
        mut visit: impl FnMut(&git2::Commit<'_>, Oid),
    ) -> Result<()> {
        let mut cur = Some(tip);
        while let Some(oid) = cur {
            let c = self
                .find_commit_checked(oid)
                .map_err(|e| Self::damaged_rev(doc, oid, e))?;
            visit(&c, oid);
            cur = if c.parent_count() > 0 {
                Some(
                    c.parent_id(0)
                        .map_err(|e| Self::damaged_rev(doc, oid, e.message()))?,
                )
            } else {
                None
            };
        }
        Ok(())
    }

    /// The history of a document, newest first.
    pub fn history(&self, doc: &DocId) -> Result<Vec<Revision>> {
        let tip = self.tip_id(doc)?.ok_or_else(|| Error::UnknownDocument {
            doc: doc.to_string(),
        })?;
        // One pass: each commit is read once.
        let mut out: Vec<(Revision, bool)> = Vec::new();
        self.walk_first_parents(doc, tip, |c, oid| out.push(parse_revision(c, oid)))?;
        let total = out.len() as u64;
        Ok(out
            .into_iter()
            .enumerate()
            .map(|(i, (mut r, numbered))| {
                if !numbered {
                    r.rev = total - i as u64;
                }
                r
            })
            .collect())
    }

    /// Finds the revision a selector names.
    pub fn resolve(&self, doc: &DocId, sel: &Selector) -> Result<Revision> {
        if *sel == Selector::Latest {
            return self.latest(doc)?.ok_or_else(|| Error::UnknownDocument {
                doc: doc.to_string(),
            });
        }
        if let Selector::Number(_) | Selector::Back(_) = sel {
            if let Some(r) = self.resolve_by_count(doc, sel)? {
                return Ok(r);
            }
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

    /// Checks a loose object's bytes before libgit2 reads it: libgit2 1.9
    /// loops forever inflating a truncated loose object, so a damaged store
    /// must be caught here. Packed or missing objects are left to libgit2.
    fn guard_loose(&self, oid: Oid) -> std::result::Result<(), String> {
        use std::io::Read;
        let hex = oid.to_string();
        let path = self
            .repo
            .path()
            .join("objects")
            .join(&hex[..2])
            .join(&hex[2..]);
        let Ok(raw) = std::fs::read(&path) else {
            return Ok(());
        };
        let corrupt = |why: &str| format!("object {oid} is damaged ({why})");
        let mut data = Vec::new();
        flate2::read::ZlibDecoder::new(&raw[..])
            .take(MAX_OBJECT_BYTES)
            .read_to_end(&mut data)
            .map_err(|e| corrupt(&format!("cannot be inflated: {e}")))?;
        let nul = data
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| corrupt("no header"))?;
        let header = std::str::from_utf8(&data[..nul]).map_err(|_| corrupt("bad header"))?;
        let (kind, size) = header
            .split_once(' ')
            .ok_or_else(|| corrupt("bad header"))?;
        let size: usize = size.parse().map_err(|_| corrupt("bad size"))?;
        let body = &data[nul + 1..];
        if body.len() != size {
            return Err(corrupt(&format!(
                "truncated: {} of {size} bytes",
                body.len()
            )));
        }
        let kind = git2::ObjectType::from_str(kind).ok_or_else(|| corrupt("unknown type"))?;
        match Oid::hash_object(kind, body) {
            Ok(h) if h == oid => Ok(()),
            _ => Err(corrupt("content does not match its id")),
        }
    }

    fn find_commit_checked(&self, oid: Oid) -> std::result::Result<git2::Commit<'_>, String> {
        self.guard_loose(oid)?;
        self.repo
            .find_commit(oid)
            .map_err(|e| e.message().to_string())
    }

    /// Numbered selectors, walking back from the tip only as far as needed
    /// and reading no commit message on the way. `None` when the numbering
    /// cannot be trusted (a tip without a revision trailer) or the number is
    /// out of range; the caller then reads the whole history.
    fn resolve_by_count(&self, doc: &DocId, sel: &Selector) -> Result<Option<Revision>> {
        let Some(tip) = self.tip_id(doc)? else {
            return Err(Error::UnknownDocument {
                doc: doc.to_string(),
            });
        };
        let c = self
            .find_commit_checked(tip)
            .map_err(|e| Self::damaged_rev(doc, tip, e))?;
        let (top, numbered) = parse_revision(&c, tip);
        if !numbered {
            return Ok(None);
        }
        let steps = match *sel {
            Selector::Number(n) if n >= 1 && n <= top.rev => top.rev - n,
            Selector::Back(k) if k < top.rev => k,
            _ => return Ok(None),
        };
        let mut oid = tip;
        for _ in 0..steps {
            let c = self
                .find_commit_checked(oid)
                .map_err(|e| Self::damaged_rev(doc, oid, e))?;
            match c.parent_id(0) {
                Ok(p) => oid = p,
                Err(_) => return Ok(None),
            }
        }
        let r = self.revision_at(doc, oid, Some(top.rev - steps))?;
        // A history edited by other tools may be numbered inconsistently.
        Ok((r.rev == top.rev - steps).then_some(r))
    }

    /// The recorded bytes of a revision.
    pub fn read_text(&self, doc: &DocId, rev: &Revision) -> Result<Vec<u8>> {
        let oid = Oid::from_str(&rev.id)
            .map_err(|e| Self::damaged_rev(doc, Oid::ZERO_SHA1, e.message()))?;
        let damaged = |e: &dyn std::fmt::Display| Self::damaged_rev(doc, oid, e);
        let commit = self.find_commit_checked(oid).map_err(|e| damaged(&e))?;
        self.guard_loose(commit.tree_id())
            .map_err(|e| damaged(&e))?;
        let tree = commit.tree().map_err(|e| damaged(&e.message()))?;
        let name = format!("{doc}.txt");
        let entry = tree
            .get_name(&name)
            .ok_or_else(|| damaged(&format!("its tree has no {name}")))?;
        self.guard_loose(entry.id()).map_err(|e| damaged(&e))?;
        let blob = self
            .repo
            .find_blob(entry.id())
            .map_err(|e| damaged(&e.message()))?;
        Ok(blob.content().to_vec())
    }

    /// Takes the per-document writer lock: an advisory lock on a file of
    /// redliner's own inside the store, released by the kernel when the
    /// process dies. While it is held no other redliner writes this document,
    /// which is what makes a leftover git `.lock` file provably stale.
    /// Waits at most `wait`.
    pub fn lock_writer(&self, doc: &DocId, wait: std::time::Duration) -> Result<WriterLock> {
        let dir = self.repo.path().join("redliner").join("locks");
        let fail = |e: std::io::Error| Error::NotRecorded {
            doc: doc.to_string(),
            reason: format!("cannot create a lock in {}: {e}", dir.display()),
            state: "the store was not changed".into(),
        };
        std::fs::create_dir_all(&dir).map_err(fail)?;
        let path = dir.join(doc.as_str());
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(fail)?;
        let started = std::time::Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(WriterLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < wait => {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Error::Contention {
                        doc: doc.to_string(),
                        attempts: 1,
                    })
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(fail(e)),
            }
        }
    }

    /// Removes libgit2's temporary object files (`objects/tmp_object_git2_*`)
    /// older than `max_age`: a writer killed while writing an object leaves
    /// one behind, and writing an object takes milliseconds. Best effort.
    pub fn sweep_temporary_objects(&self, max_age: std::time::Duration) -> usize {
        let mut removed = 0;
        let Ok(dir) = std::fs::read_dir(self.repo.path().join("objects")) else {
            return 0;
        };
        for e in dir.flatten() {
            let name = e.file_name();
            if !name.to_string_lossy().starts_with("tmp_object_git2_") {
                continue;
            }
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|m| m.elapsed().ok())
                .is_some_and(|age| age > max_age);
            if old && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    /// The git lock file of a document's ref, and its age, if one exists.
    pub fn ref_lock(&self, doc: &DocId) -> Option<(PathBuf, std::time::Duration)> {
        let path = self
            .repo
            .path()
            .join(format!("{}.lock", Self::refname(doc)));
        let meta = std::fs::symlink_metadata(&path).ok()?;
        let age = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .unwrap_or_default();
        Some((path, age))
    }

    /// Removes a git lock file that the caller proved stale.
    pub fn remove_ref_lock(&self, path: &Path) -> Result<()> {
        std::fs::remove_file(path)
            .map_err(|e| Error::store(format!("removing the stale lock {}", path.display()), e))
    }

    fn state_of(&self, doc: &DocId) -> String {
        match self.latest(doc) {
            Ok(Some(r)) => format!("{doc} still ends at @{}", r.rev),
            Ok(None) => format!("{doc} still has no revisions"),
            Err(e) => format!("the document could not be re-read: {e}"),
        }
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
        // Until the ref moves, nothing is recorded: an error here leaves at
        // most unreferenced objects.
        let fail = |e: git2::Error| Error::NotRecorded {
            doc: doc.to_string(),
            reason: e.message().to_string(),
            state: self.state_of(doc),
        };
        let blob = self.repo.blob(text).map_err(fail)?;
        let mut tb = self.repo.treebuilder(None).map_err(fail)?;
        tb.insert(format!("{doc}.txt"), blob, 0o100644)
            .map_err(fail)?;
        let tree_id = tb.write().map_err(fail)?;
        let tree = self.repo.find_tree(tree_id).map_err(fail)?;
        let when = git2::Time::new(meta.time.unix, meta.time.offset_minutes);
        let sig = git2::Signature::new(AUTHOR_NAME, AUTHOR_EMAIL, &when).map_err(fail)?;
        let parent = match expected {
            Some(oid) => {
                self.guard_loose(oid).map_err(|reason| Error::NotRecorded {
                    doc: doc.to_string(),
                    reason,
                    state: "the latest revision is damaged; run `redliner verify`".into(),
                })?;
                Some(self.repo.find_commit(oid).map_err(fail)?)
            }
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
            Err(e) => {
                // The ref update reported an error; it may still have happened
                // (libgit2 can fail after the rename). Re-read and tell.
                if self.tip_id(doc).ok().flatten() != Some(oid) {
                    return Err(fail(e));
                }
            }
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

    /// The names of every branch, including loose ref files that libgit2
    /// skips because it cannot parse them.
    fn document_names(&self) -> Result<std::collections::BTreeSet<String>> {
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
        if let Ok(dir) = std::fs::read_dir(self.repo.path().join("refs/heads")) {
            for e in dir.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if e.file_type().map(|t| t.is_file()).unwrap_or(false) && !name.ends_with(".lock") {
                    names.insert(name);
                }
            }
        }
        Ok(names)
    }

    /// Checks the whole store: every document ref is well-formed, every
    /// object reachable from it reads back and hashes to its id, every
    /// revision is a single-parent commit numbered in order whose tree holds
    /// the document's text.
    pub fn verify(&self) -> Result<VerifyReport> {
        let odb = self
            .repo
            .odb()
            .map_err(|e| Error::store("opening the object database", e.message()))?;
        let mut report = VerifyReport::default();
        for name in self.document_names()? {
            report.documents += 1;
            let mut problem = |rev: Option<u64>, commit: Option<Oid>, what: String| {
                report.problems.push(Problem {
                    doc: name.clone(),
                    rev,
                    commit: commit.map(|c| c.to_string()),
                    what,
                });
            };
            let doc = match DocId::parse(&name) {
                Ok(d) => d,
                Err(_) => {
                    problem(
                        None,
                        None,
                        "the branch name is not a valid document id".into(),
                    );
                    continue;
                }
            };
            let tip = match self.tip_id(&doc) {
                Ok(Some(t)) => t,
                Ok(None) => continue,
                Err(e) => {
                    problem(None, None, e.to_string());
                    continue;
                }
            };
            // Walk newest to oldest; numbers are known once the chain is read.
            let mut chain = Vec::new();
            let mut cur = Some(tip);
            while let Some(oid) = cur {
                if chain.len() as u64 > 10_000_000 {
                    break;
                }
                let obj = match check_object(self, &odb, oid, git2::ObjectType::Commit) {
                    Ok(o) => o,
                    Err(what) => {
                        problem(None, Some(oid), what);
                        break;
                    }
                };
                report.objects += 1;
                let commit = match self.repo.find_commit(oid) {
                    Ok(c) => c,
                    Err(e) => {
                        problem(
                            None,
                            Some(oid),
                            format!("commit cannot be parsed: {}", e.message()),
                        );
                        break;
                    }
                };
                drop(obj);
                if commit.parent_count() > 1 {
                    problem(
                        None,
                        Some(oid),
                        format!(
                            "has {} parents; a document's history is a single chain",
                            commit.parent_count()
                        ),
                    );
                }
                chain.push((oid, commit.tree_id()));
                cur = commit.parent_id(0).ok();
            }
            let total = chain.len() as u64;
            for (k, (oid, tree_id)) in chain.iter().enumerate() {
                let rev = total - k as u64;
                report.revisions += 1;
                if let Ok(r) = self.revision_at(&doc, *oid, Some(rev)) {
                    if r.rev != rev {
                        problem(Some(rev), Some(*oid), format!("its trailer says revision {} but it is revision {rev} of the chain", r.rev));
                    }
                }
                let mut found_text = false;
                let mut stack = vec![(*tree_id, String::new())];
                while let Some((tid, prefix)) = stack.pop() {
                    if let Err(what) = check_object(self, &odb, tid, git2::ObjectType::Tree) {
                        problem(Some(rev), Some(*oid), what);
                        continue;
                    }
                    report.objects += 1;
                    let Ok(tree) = self.repo.find_tree(tid) else {
                        problem(
                            Some(rev),
                            Some(*oid),
                            format!("tree {tid} cannot be parsed"),
                        );
                        continue;
                    };
                    for entry in tree.iter() {
                        let name = format!("{prefix}{}", entry.name().unwrap_or("?"));
                        match entry.kind() {
                            Some(git2::ObjectType::Tree) => {
                                stack.push((entry.id(), format!("{name}/")))
                            }
                            Some(git2::ObjectType::Blob) => {
                                match check_object(self, &odb, entry.id(), git2::ObjectType::Blob) {
                                    Ok(_) => report.objects += 1,
                                    Err(what) => {
                                        problem(Some(rev), Some(*oid), format!("{name}: {what}"))
                                    }
                                }
                                if name == format!("{doc}.txt") {
                                    found_text = true;
                                }
                            }
                            _ => problem(
                                Some(rev),
                                Some(*oid),
                                format!("{name}: unexpected entry type"),
                            ),
                        }
                    }
                }
                if !found_text {
                    problem(
                        Some(rev),
                        Some(*oid),
                        format!("its tree has no readable {doc}.txt"),
                    );
                }
            }
        }
        Ok(report)
    }

    /// Every document with its revision count, latest time and word count,
    /// or the error that stops it from being read (a damaged document never
    /// disappears from the list, and never hides the others). Reads one tip
    /// commit per document.
    pub fn list(&self) -> Result<Vec<(DocId, Result<DocSummary>)>> {
        // Tips straight from the ref iteration; names libgit2 skips (damaged
        // loose refs) are looked up one by one so that their error shows.
        let mut tips: std::collections::BTreeMap<String, Option<Oid>> =
            std::collections::BTreeMap::new();
        let refs = self
            .repo
            .references_glob("refs/heads/*")
            .map_err(|e| Error::store("listing documents", e.message()))?;
        for r in refs.flatten() {
            if let Some(name) = r.name().ok().and_then(|n| n.strip_prefix("refs/heads/")) {
                tips.insert(name.to_string(), r.target());
            }
        }
        for name in self.document_names()? {
            tips.entry(name).or_insert(None);
        }
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

/// What `verify` found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub documents: u64,
    pub revisions: u64,
    pub objects: u64,
    pub problems: Vec<Problem>,
}

/// One problem found by `verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub doc: String,
    pub rev: Option<u64>,
    pub commit: Option<String>,
    pub what: String,
}

/// Reads an object and checks its type and that its content hashes to its id.
fn check_object<'o>(
    store: &Store,
    odb: &'o git2::Odb<'_>,
    oid: Oid,
    kind: git2::ObjectType,
) -> std::result::Result<git2::OdbObject<'o>, String> {
    store.guard_loose(oid)?;
    let obj = odb
        .read(oid)
        .map_err(|e| format!("object {oid} cannot be read: {}", e.message()))?;
    if obj.kind() != kind {
        return Err(format!(
            "object {oid} is a {} where a {} was expected",
            obj.kind(),
            kind
        ));
    }
    match Oid::hash_object(kind, obj.data()) {
        Ok(h) if h == oid => Ok(obj),
        Ok(h) => Err(format!(
            "object {oid} is corrupt: its content hashes to {h}"
        )),
        Err(e) => Err(format!("object {oid} cannot be hashed: {}", e.message())),
    }
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

/// The revision a commit records, and whether its number came from its
/// trailer (commits written by other tools have none; the caller numbers
/// them by position).
fn parse_revision(c: &git2::Commit<'_>, oid: Oid) -> (Revision, bool) {
    let raw = String::from_utf8_lossy(c.message_bytes());
    let (message, trailers) = split_trailers(&raw);
    let get = |k: &str| {
        trailers
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let num = |k: &str| get(k).and_then(|v| v.parse::<u64>().ok());
    let t = c.author().when();
    let numbered = num("Redliner-Revision");
    (
        Revision {
            rev: numbered.unwrap_or(0),
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
        },
        numbered.is_some(),
    )
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
