//! Importing an existing history: the commits of a git repository that
//! changed one path, or dated files. This module finds what to import and
//! its capture times; recording goes through [`crate::record`], so figures,
//! trailers and `verify` are those of `record`.
//!
//! The git repository is read through the `git` command (`git log`, `git
//! show`), not libgit2: `--rev` then takes every range git itself accepts
//! (`v1..v2`, `main~10..`, `--since` is not needed), history simplification
//! for a path is git's own, and the repository may be anything git opens
//! (a worktree, a bare repository, one with `safe.directory` rules), with
//! the user's configuration.

use crate::error::{Error, Result};
use crate::model::CaptureTime;
use std::path::Path;
use std::process::{Command, Stdio};

/// One commit that changed the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitRevision {
    /// The full commit id.
    pub commit: String,
    /// The commit date (git's committer date), with its offset.
    pub time: CaptureTime,
    /// The commit's subject line.
    pub subject: String,
}

fn git_error(repo: &Path, reason: impl Into<String>) -> Error {
    Error::GitImport {
        repo: repo.display().to_string(),
        reason: reason.into(),
    }
}

/// Runs `git -C repo args...` and returns its standard output.
fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "log.showSignature=false", "-c", "core.quotePath=off"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            git_error(
                repo,
                if e.kind() == std::io::ErrorKind::NotFound {
                    "git is not installed or not on PATH".to_string()
                } else {
                    format!("cannot run git: {e}")
                },
            )
        })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("git failed");
        return Err(git_error(repo, first.to_string()));
    }
    Ok(out.stdout)
}

/// The path as git names it inside a commit (`a/b.txt`, no leading `./`).
pub fn tree_path(path: &str) -> &str {
    path.trim_start_matches("./")
}

/// Every commit of `rev` (default `HEAD`) that changed `path`, oldest
/// first, leaving out the commits that deleted it (`--no-renames --diff-filter=AMT`).
pub fn git_revisions(repo: &Path, path: &str, rev: Option<&str>) -> Result<Vec<GitRevision>> {
    if let Some(r) = rev {
        if r.starts_with('-') || r.is_empty() {
            return Err(git_error(
                repo,
                format!("--rev {r:?} is not a revision range; use for example v1..v2 or main~10.."),
            ));
        }
    }
    let path = tree_path(path);
    if path.is_empty() {
        return Err(git_error(
            repo,
            "the path is empty; name a file in the repository",
        ));
    }
    let mut args = vec![
        "log",
        "--reverse",
        "--no-renames",
        "--diff-filter=AMT",
        "--format=%H%x1f%cI%x1f%s",
    ];
    args.push(rev.unwrap_or("HEAD"));
    args.push("--");
    args.push(path);
    let out = git(repo, &args)?;
    let text = String::from_utf8_lossy(&out);
    let mut revs = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let mut parts = line.splitn(3, '\x1f');
        let (Some(commit), Some(date), subject) = (parts.next(), parts.next(), parts.next()) else {
            return Err(git_error(repo, format!("unexpected git log line {line:?}")));
        };
        revs.push(GitRevision {
            commit: commit.to_string(),
            time: CaptureTime::parse_rfc3339(date)?,
            subject: subject.unwrap_or("").to_string(),
        });
    }
    Ok(revs)
}

/// The bytes of `path` in `commit`.
pub fn git_file(repo: &Path, commit: &str, path: &str) -> Result<Vec<u8>> {
    git(
        repo,
        &["cat-file", "blob", &format!("{commit}:{}", tree_path(path))],
    )
}

/// The `Source:` of a revision imported from git: the repository, the
/// commit and the path.
pub fn git_source(repo: &Path, commit: &str, path: &str) -> String {
    format!(
        "git {} commit {commit} path {}",
        repo.display(),
        tree_path(path)
    )
}

/// A capture time in a file name, read as UTC: `2023-11-12`,
/// `2023-11-12T14:05`, `2023-11-12T14:05:30`, `2023-11-12_1405`,
/// `20231112`, `20231112T1405`, `20231112T140530`. The first date that is
/// a real calendar date wins; `None` if there is none.
pub fn time_from_name(name: &str) -> Option<CaptureTime> {
    let b = name.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let s = b.get(from..from + n)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(s).ok()?.parse().ok()
    };
    for start in 0..b.len() {
        // Not in the middle of a longer number.
        if start > 0 && b[start - 1].is_ascii_digit() {
            continue;
        }
        let (y, m, d, mut i) = if let (Some(y), Some(b'-'), Some(m), Some(b'-'), Some(d)) = (
            digits(start, 4),
            b.get(start + 4).copied(),
            digits(start + 5, 2),
            b.get(start + 7).copied(),
            digits(start + 8, 2),
        ) {
            (y, m, d, start + 10)
        } else if let (Some(y), Some(m), Some(d)) =
            (digits(start, 4), digits(start + 4, 2), digits(start + 6, 2))
        {
            (y, m, d, start + 8)
        } else {
            continue;
        };
        if b.get(i).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let (mut hh, mut mm, mut ss) = (0, 0, 0);
        if matches!(b.get(i), Some(b'T' | b't' | b'_' | b' ')) {
            let j = i + 1;
            if let (Some(h), Some(b':' | b'-'), Some(mi)) =
                (digits(j, 2), b.get(j + 2).copied(), digits(j + 3, 2))
            {
                (hh, mm, i) = (h, mi, j + 5);
                if let (Some(b':' | b'-'), Some(s)) = (b.get(i).copied(), digits(i + 1, 2)) {
                    (ss, i) = (s, i + 3);
                }
            } else if let (Some(h), Some(mi)) = (digits(j, 2), digits(j + 2, 2)) {
                (hh, mm, i) = (h, mi, j + 4);
                if let Some(s) = digits(i, 2) {
                    (ss, i) = (s, i + 2);
                }
            }
        }
        let _ = i;
        let Ok(dt) = jiff::civil::DateTime::new(
            i16::try_from(y).ok()?,
            i8::try_from(m).ok()?,
            i8::try_from(d).ok()?,
            i8::try_from(hh).ok()?,
            i8::try_from(mm).ok()?,
            i8::try_from(ss).ok()?,
            0,
        ) else {
            continue;
        };
        let Ok(z) = dt.to_zoned(jiff::tz::TimeZone::UTC) else {
            continue;
        };
        return Some(CaptureTime {
            unix: z.timestamp().as_second(),
            offset_minutes: 0,
        });
    }
    None
}

/// A file's modification time, in UTC.
pub fn mtime(path: &Path) -> Option<CaptureTime> {
    let m = std::fs::metadata(path).ok()?.modified().ok()?;
    let secs = match m.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).ok()?,
        Err(e) => -i64::try_from(e.duration().as_secs()).ok()?,
    };
    Some(CaptureTime {
        unix: secs,
        offset_minutes: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<String> {
        time_from_name(s).map(|t| t.rfc3339())
    }

    #[test]
    fn times_in_file_names() {
        assert_eq!(
            at("statement-2023-11-12.txt").as_deref(),
            Some("2023-11-12T00:00:00Z")
        );
        assert_eq!(
            at("20231112T1405.txt").as_deref(),
            Some("2023-11-12T14:05:00Z")
        );
        assert_eq!(
            at("x_20231112T140530.md").as_deref(),
            Some("2023-11-12T14:05:30Z")
        );
        assert_eq!(
            at("2023-11-12T14:05.txt").as_deref(),
            Some("2023-11-12T14:05:00Z")
        );
        assert_eq!(
            at("2023-11-12_14-05-09.txt").as_deref(),
            Some("2023-11-12T14:05:09Z")
        );
        assert_eq!(at("v20231112.txt").as_deref(), Some("2023-11-12T00:00:00Z"));
        // Not dates: too many digits, an impossible day, nothing.
        assert_eq!(at("1202311120.txt"), None);
        assert_eq!(at("2023-02-30.txt"), None);
        assert_eq!(at("statement.txt"), None);
        // The first real date wins.
        assert_eq!(
            at("2023-13-01-2024-01-02.txt").as_deref(),
            Some("2024-01-02T00:00:00Z")
        );
    }
}
