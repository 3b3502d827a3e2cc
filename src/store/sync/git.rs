//! The `git` command, run on the store (`git -C <store>`), so that the
//! user's credential helpers, ssh agent, proxies and `insteadOf` rules apply
//! exactly as configured. Only variables that would point git at another
//! repository are removed from its environment; its configuration is the
//! user's.

use super::error::SyncError;
use std::path::Path;
use std::process::{Command, Output};

/// Variables that would make git work on another repository than the store.
const REPOSITORY_VARS: [&str; 9] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_CEILING_DIRECTORIES",
];

/// One ref update for [`push`]: what the remote ref becomes, and the value
/// it must still have (the one fetched), `None` for "must not exist".
#[derive(Debug, Clone)]
pub(super) struct Update {
    pub refname: String,
    pub new: git2::Oid,
    pub expected: Option<git2::Oid>,
}

/// How a push went.
#[derive(Debug)]
pub(super) enum Pushed {
    /// Every ref was updated.
    Done,
    /// At least one ref was refused because the remote moved since the
    /// fetch (the lease failed), or was refused as a whole by `--atomic`.
    Stale,
}

fn git(store: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(store);
    for v in REPOSITORY_VARS {
        c.env_remove(v);
    }
    c
}

fn run(mut c: Command, what: &str) -> Result<Output, SyncError> {
    c.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
            SyncError::GitMissing {
                reason: e.to_string(),
            }
        }
        _ => SyncError::Git {
            what: what.to_string(),
            detail: e.to_string(),
        },
    })
}

/// The line of git's error output that says what went wrong: the first
/// `fatal:` or `error:` line, else the last non-empty line.
fn detail(stderr: &[u8], code: Option<i32>) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let pick = lines
        .iter()
        .find(|l| l.starts_with("fatal:") || l.starts_with("error:"))
        .or(lines.last());
    let mut d = match pick {
        Some(l) => format!("git said: {l}"),
        None => format!(
            "git exited with {}",
            code.map_or("a signal".to_string(), |c| format!("code {c}"))
        ),
    };
    if d.len() > 400 {
        let mut cut = 400;
        while !d.is_char_boundary(cut) {
            cut -= 1;
        }
        d.truncate(cut);
        d.push('…');
    }
    d
}

/// `git fetch --prune --no-tags --refmap= REMOTE REFSPEC...`.
pub(super) fn fetch(store: &Path, remote: &str, refspecs: &[String]) -> Result<(), SyncError> {
    let what = format!("fetching from {remote}");
    let mut c = git(store);
    // `--refmap=`: only the refspecs given here map what is fetched; the
    // remote's configured ones (`+refs/*:refs/*` in a `clone --mirror`)
    // would otherwise overwrite the local document branches.
    c.args([
        "fetch",
        "--prune",
        "--no-tags",
        "--quiet",
        "--refmap=",
        "--",
        remote,
    ])
    .args(refspecs);
    let out = run(c, &what)?;
    if out.status.success() {
        Ok(())
    } else {
        Err(SyncError::Git {
            what,
            detail: detail(&out.stderr, out.status.code()),
        })
    }
}

/// Pushes `updates` to REMOTE, each with `--force-with-lease` against its
/// expected value, atomically when the server supports it.
/// Updates go in batches of [`BATCH`] so that the command line stays far
/// below the system's limit; each batch is atomic, and every ref keeps its
/// own lease whatever the batch.
pub(super) fn push(store: &Path, remote: &str, updates: &[Update]) -> Result<Pushed, SyncError> {
    for batch in updates.chunks(BATCH) {
        if let Pushed::Stale = push_batch(store, remote, batch)? {
            return Ok(Pushed::Stale);
        }
    }
    Ok(Pushed::Done)
}

/// Refs per `git push` (each takes two arguments of about 100 bytes).
const BATCH: usize = 500;

fn push_batch(store: &Path, remote: &str, updates: &[Update]) -> Result<Pushed, SyncError> {
    match push_once(store, remote, updates, true)? {
        // A server without atomic pushes refuses before looking at a ref.
        Some(p) => Ok(p),
        None => push_once(store, remote, updates, false)?.ok_or_else(|| SyncError::Git {
            what: format!("pushing to {remote}"),
            detail: "git reported no ref status".into(),
        }),
    }
}

/// One push; `None` when git failed before reporting any ref.
fn push_once(
    store: &Path,
    remote: &str,
    updates: &[Update],
    atomic: bool,
) -> Result<Option<Pushed>, SyncError> {
    let what = format!("pushing to {remote}");
    let mut c = git(store);
    // A remote configured as a mirror (`clone --mirror`) would make git
    // refuse the explicit, leased refspecs.
    c.arg("-c")
        .arg(format!("remote.{remote}.mirror=false"))
        .args(["push", "--porcelain"]);
    if atomic {
        c.arg("--atomic");
    }
    for u in updates {
        let expected = u.expected.map(|o| o.to_string()).unwrap_or_default();
        c.arg(format!("--force-with-lease={}:{expected}", u.refname));
    }
    c.arg("--").arg(remote);
    for u in updates {
        c.arg(format!("{}:{}", u.new, u.refname));
    }
    let out = run(c, &what)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Porcelain: "<flag>\t<from>:<to>\t<summary>" per ref; '!' is refused.
    let mut statuses = 0;
    let mut refused = Vec::new();
    for line in stdout.lines() {
        let mut parts = line.splitn(3, '\t');
        let (Some(flag), Some(_), Some(summary)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        statuses += 1;
        if flag == "!" {
            refused.push(summary.to_string());
        }
    }
    if out.status.success() && refused.is_empty() {
        return Ok(Some(Pushed::Done));
    }
    if statuses == 0 {
        if atomic {
            return Ok(None);
        }
        return Err(SyncError::Git {
            what,
            detail: detail(&out.stderr, out.status.code()),
        });
    }
    let stale = |s: &str| {
        s.contains("stale info")
            || s.contains("fetch first")
            || s.contains("non-fast-forward")
            || s.contains("atomic push failed")
    };
    if !refused.is_empty() && refused.iter().all(|s| stale(s)) {
        return Ok(Some(Pushed::Stale));
    }
    let reason = refused
        .iter()
        .find(|s| !stale(s))
        .cloned()
        .unwrap_or_else(|| detail(&out.stderr, out.status.code()));
    Err(SyncError::Git {
        what,
        detail: format!("the remote refused: {reason}"),
    })
}
