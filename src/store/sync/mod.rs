//! Sync with git remotes: `remote add|list|remove` and `sync`.
//!
//! A round: `git fetch` the remote's document branches, watch list and
//! observation logs into a private namespace,
//! `refs/redliner/remotes/<remote>/{heads,watch,checks}` (never pushed);
//! reconcile each document, the watch list and each log locally (see
//! [`docs`] and [`side`]); then `git push` every ref whose result differs
//! from what was fetched, each with `--force-with-lease=<ref>:<fetched>`
//! (and `--atomic` where the server supports it). When a lease fails
//! (someone pushed meanwhile) the round starts again, at most
//! [`MAX_ROUNDS`] times. Fetching and pushing go through the `git` command
//! (see [`git`]), so the user's git configuration applies.

mod docs;
mod error;
mod git;
mod merge;
mod side;

pub use error::SyncError;

use super::Store;
use crate::model::{CaptureTime, DocId};
use error::git2_error;
use git2::Oid;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// Rounds of fetch, reconcile and push before giving up on a remote that
/// keeps moving.
pub const MAX_ROUNDS: u32 = 5;

/// How the word figures of a re-linked revision are computed (the caller's
/// diff engine, so that they are the ones `record` writes).
pub struct Figures<'a> {
    /// Words in a text.
    pub words: &'a dyn Fn(&str) -> u64,
    /// Words added and removed from the first text to the second.
    pub changes: &'a dyn Fn(&str, &str) -> (u64, u64),
}

/// A configured remote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteInfo {
    pub name: String,
    pub url: String,
}

/// Something `sync` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The local document took the remote's history (it was new here, or
    /// the remote's extends it): from revision `from` to `to`.
    Fetched {
        doc: String,
        from: Option<u64>,
        to: u64,
    },
    /// The remote's document now ends at `rev`.
    Pushed { doc: String, rev: u64 },
    /// Two diverged histories were merged into one of `rev` revisions.
    Merged {
        doc: String,
        remote: String,
        from_remote: u64,
        renumbered: u64,
        same: u64,
        rev: u64,
    },
    /// A local revision (captured at `time`) has a new number.
    Renumbered {
        doc: String,
        time: CaptureTime,
        from: u64,
        to: u64,
    },
    /// A revision (here or on the remote, numbered `rev` there) has the same
    /// text as the one before it in the merged order, `kept`: one revision.
    SameText {
        doc: String,
        time: CaptureTime,
        here: bool,
        rev: u64,
        kept: u64,
    },
    /// A tip that is not in the merged history, kept under `refname`.
    Replaced { doc: String, refname: String },
    /// The watch list was taken from the remote.
    WatchFetched,
    /// The two watch lists were merged.
    WatchMerged { entries: u64 },
    /// The watch list was pushed.
    WatchPushed,
    /// Observation logs taken from the remote (new here, or extended there).
    ChecksFetched { logs: u64 },
    /// Observation logs pushed.
    ChecksPushed { logs: u64 },
    /// Two observation logs were merged into one of `checks` checks.
    ChecksMerged { doc: String, checks: u64 },
    /// A branch of the remote that is not a document id, left alone.
    Skipped { branch: String },
    /// The remote moved between the fetch and the push; starting again.
    Retry { round: u32 },
}

/// What `sync` did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub events: Vec<Event>,
    /// Rounds of fetch, reconcile and push (more than one when the remote
    /// moved meanwhile).
    pub rounds: u32,
}

/// A remote name is used inside ref names: a slug.
fn check_name(name: &str) -> Result<(), SyncError> {
    let b = name.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= 100
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && !name.contains("..")
        && !name.ends_with(".lock")
        && !name.ends_with('.');
    if ok {
        Ok(())
    } else {
        Err(SyncError::InvalidRemoteName {
            name: name.to_string(),
        })
    }
}

/// The private namespace the remote's refs are fetched into.
fn tracking(remote: &str) -> String {
    format!("refs/redliner/remotes/{remote}")
}

/// What `sync` fetches: the remote's documents, watch list and observation
/// logs, each into the private namespace. (`watch*` is the one pattern
/// that matches the single ref `refs/redliner/watch` and is not an error
/// when the remote has none; only `watch` itself is read.)
fn fetch_refspecs(remote: &str) -> Vec<String> {
    let t = tracking(remote);
    vec![
        format!("+refs/heads/*:{t}/heads/*"),
        format!("+refs/redliner/watch*:{t}/watch*"),
        format!("+refs/redliner/checks/*:{t}/checks/*"),
    ]
}

/// What a plain `git push REMOTE` pushes from a store: the same refs as
/// `sync`, never the private namespace or the replaced tips.
const PUSH_REFSPECS: [&str; 3] = [
    "refs/heads/*:refs/heads/*",
    "refs/redliner/watch:refs/redliner/watch",
    "refs/redliner/checks/*:refs/redliner/checks/*",
];

/// What was fetched from the remote.
#[derive(Default)]
struct Fetched {
    docs: BTreeMap<String, Oid>,
    watch: Option<Oid>,
    checks: BTreeMap<String, Oid>,
}

/// `20231112T140500Z`: the time part of a replaced tip's ref name.
fn stamp(now: CaptureTime) -> String {
    jiff::Timestamp::from_second(now.unix)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|_| now.unix.to_string())
}

impl Store {
    /// Adds a remote, configured so that a plain `git fetch NAME` and `git
    /// push NAME` carry the same refs as `sync` does.
    pub fn remote_add(&self, name: &str, url: &str) -> Result<(), SyncError> {
        check_name(name)?;
        if url.trim().is_empty() || url.starts_with('-') || url.chars().any(char::is_control) {
            return Err(SyncError::InvalidUrl {
                url: url.to_string(),
            });
        }
        if let Ok(r) = self.repo.find_remote(name) {
            return Err(SyncError::RemoteExists {
                name: name.to_string(),
                url: r.url().unwrap_or("?").to_string(),
            });
        }
        let err = git2_error(format!("adding the remote {name}"));
        let specs = fetch_refspecs(name);
        self.repo
            .remote_with_fetch(name, url, &specs[0])
            .map_err(&err)?;
        for s in &specs[1..] {
            self.repo.remote_add_fetch(name, s).map_err(&err)?;
        }
        for s in PUSH_REFSPECS {
            self.repo.remote_add_push(name, s).map_err(&err)?;
        }
        Ok(())
    }

    /// The configured remotes, by name.
    pub fn remote_list(&self) -> Result<Vec<RemoteInfo>, SyncError> {
        let err = git2_error("listing the remotes");
        let names = self.repo.remotes().map_err(&err)?;
        let mut out = Vec::new();
        for name in names.iter().flatten().flatten() {
            let r = self.repo.find_remote(name).map_err(&err)?;
            out.push(RemoteInfo {
                name: name.to_string(),
                url: String::from_utf8_lossy(r.url_bytes()).into_owned(),
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Removes a remote and what was fetched from it (never a revision:
    /// every local document stays as it is).
    pub fn remote_remove(&self, name: &str) -> Result<(), SyncError> {
        check_name(name)?;
        self.known_remote(name)?;
        let err = git2_error(format!("removing the remote {name}"));
        // Not libgit2's remote_delete: it removes refs by the refspecs'
        // sources too, and a document branch matches `refs/heads/*`.
        // The store's own file only (a global setting for the same name is
        // the user's), and only keys that start with `remote.<name>.`.
        let mut cfg = self
            .repo
            .config()
            .and_then(|c| c.open_level(git2::ConfigLevel::Local))
            .map_err(&err)?;
        let section = format!("^remote\\.{}\\..*", name.replace('.', "\\."));
        let mut keys = std::collections::BTreeSet::new();
        {
            let entries = cfg.entries(Some(&section)).map_err(&err)?;
            entries
                .for_each(|e| {
                    if let Ok(n) = e.name() {
                        keys.insert(n.to_string());
                    }
                })
                .map_err(&err)?;
        }
        for k in keys {
            cfg.remove_multivar(&k, ".*").map_err(&err)?;
        }
        let refs: Vec<String> = self
            .repo
            .references_glob(&format!("{}/*", tracking(name)))
            .map_err(&err)?
            .flatten()
            .filter_map(|r| r.name().ok().map(str::to_string))
            .collect();
        for r in refs {
            if let Ok(mut r) = self.repo.find_reference(&r) {
                r.delete().map_err(&err)?;
            }
        }
        Ok(())
    }

    fn known_remote(&self, name: &str) -> Result<(), SyncError> {
        match self.repo.find_remote(name) {
            Ok(_) => Ok(()),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Err(SyncError::UnknownRemote {
                name: name.to_string(),
            }),
            Err(e) => Err(git2_error(format!("reading the remote {name}"))(e)),
        }
    }

    fn fetched(&self, remote: &str) -> Result<Fetched, SyncError> {
        let err = git2_error("reading what was fetched");
        let t = tracking(remote);
        let mut f = Fetched::default();
        for r in self
            .repo
            .references_glob(&format!("{t}/*"))
            .map_err(&err)?
            .flatten()
        {
            let (Some(name), Some(oid)) = (r.name().ok().map(str::to_string), r.target()) else {
                continue;
            };
            let Some(rest) = name.strip_prefix(&format!("{t}/")) else {
                continue;
            };
            if let Some(doc) = rest.strip_prefix("heads/") {
                f.docs.insert(doc.to_string(), oid);
            } else if let Some(doc) = rest.strip_prefix("checks/") {
                f.checks.insert(doc.to_string(), oid);
            } else if rest == "watch" {
                f.watch = Some(oid);
            }
        }
        Ok(f)
    }

    /// One `sync` at a time per store: a lock file of redliner's own,
    /// released when the process ends.
    fn lock_sync(&self) -> Result<std::fs::File, SyncError> {
        let dir = self.repo.path().join("redliner").join("locks");
        let io = |e: std::io::Error| SyncError::Git2 {
            what: "taking the sync lock".into(),
            source: git2::Error::from_str(&e.to_string()),
        };
        std::fs::create_dir_all(&dir).map_err(io)?;
        // Document ids never start with '.', so this name is redliner's.
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(".sync"))
            .map_err(io)?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(std::fs::TryLockError::WouldBlock)
                    if started.elapsed() < Duration::from_secs(600) =>
                {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(io(std::io::Error::other(
                        "another sync has held it for 10 minutes",
                    )))
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
            }
        }
    }

    /// Syncs with the remote `name`: fetch, reconcile, push with a lease,
    /// and again when the remote moved meanwhile.
    pub fn sync(
        &self,
        name: &str,
        now: CaptureTime,
        fig: &Figures<'_>,
    ) -> Result<SyncReport, SyncError> {
        check_name(name)?;
        self.known_remote(name)?;
        let _lock = self.lock_sync()?;
        let stamp = stamp(now);
        let mut report = SyncReport::default();
        for round in 1..=MAX_ROUNDS {
            report.rounds = round;
            git::fetch(&self.path, name, &fetch_refspecs(name))?;
            let fetched = self.fetched(name)?;
            let mut updates = Vec::new();
            let mut pushed = Vec::new();
            let mut events = Vec::new();
            let mut names: BTreeSet<String> = self.document_names()?;
            names.extend(fetched.docs.keys().cloned());
            for branch in names {
                let Ok(doc) = DocId::parse(&branch) else {
                    events.push(Event::Skipped { branch });
                    continue;
                };
                let remote = fetched.docs.get(doc.as_str()).copied();
                let result = self.sync_document(&doc, name, remote, &stamp, fig, &mut events)?;
                if let Some(new) = result.filter(|&n| Some(n) != remote) {
                    updates.push(git::Update {
                        refname: Self::refname(&doc),
                        new,
                        expected: remote,
                    });
                    pushed.push(Event::Pushed {
                        rev: self.revision_at(&doc, new, None)?.rev,
                        doc: doc.to_string(),
                    });
                }
            }
            if let Some(new) = self
                .sync_watch(fetched.watch, &mut events)?
                .filter(|&n| Some(n) != fetched.watch)
            {
                updates.push(git::Update {
                    refname: super::side::WATCH_REF.to_string(),
                    new,
                    expected: fetched.watch,
                });
                pushed.push(Event::WatchPushed);
            }
            let (mut logs_fetched, mut logs_pushed) = (0u64, 0u64);
            let mut logs: BTreeSet<String> = self.local_check_logs()?;
            logs.extend(fetched.checks.keys().cloned());
            for log in logs {
                let Ok(doc) = DocId::parse(&log) else {
                    continue;
                };
                let remote = fetched.checks.get(doc.as_str()).copied();
                let before = self.ref_target(&super::side::checks_ref(&doc))?;
                let result = self.sync_checks(&doc, remote, &mut events)?;
                if result.is_some() && result == remote && before != remote {
                    logs_fetched += 1;
                }
                if let Some(new) = result.filter(|&n| Some(n) != remote) {
                    logs_pushed += 1;
                    updates.push(git::Update {
                        refname: super::side::checks_ref(&doc),
                        new,
                        expected: remote,
                    });
                }
            }
            if logs_fetched > 0 {
                events.push(Event::ChecksFetched { logs: logs_fetched });
            }
            if logs_pushed > 0 {
                pushed.push(Event::ChecksPushed { logs: logs_pushed });
            }
            report.events.extend(events);
            if updates.is_empty() {
                return Ok(report);
            }
            match git::push(&self.path, name, &updates)? {
                git::Pushed::Done => {
                    report.events.extend(pushed);
                    return Ok(report);
                }
                git::Pushed::Stale => report.events.push(Event::Retry { round }),
            }
        }
        Err(SyncError::LeaseKeptFailing {
            remote: name.to_string(),
            rounds: MAX_ROUNDS,
        })
    }

    fn local_check_logs(&self) -> Result<BTreeSet<String>, SyncError> {
        let err = git2_error("listing the observation logs");
        Ok(self
            .repo
            .references_glob("refs/redliner/checks/*")
            .map_err(&err)?
            .flatten()
            .filter_map(|r| {
                r.name()
                    .ok()
                    .and_then(|n| n.strip_prefix("refs/redliner/checks/"))
                    .map(str::to_string)
            })
            .collect())
    }
}
