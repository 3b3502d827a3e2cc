//! `log` and `list` output: human tables and JSON arrays.

use super::escape::visible;
use super::json::to_writer;
use crate::model::{DocSummary, Observation, Revision};
use jiff::tz::TimeZone;
use std::io::{self, Write};

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// `log`, newest first, one line per revision (and one for its source).
pub fn log(w: &mut dyn Write, revs: &[Revision], tz: &TimeZone) -> io::Result<()> {
    log_churn(w, revs, tz, None)
}

/// `log` with a churn bar before each line when `bars` is `Some(colour)` (a
/// terminal): words added `+` and removed `-`, scaled to the largest change
/// after the first revision (whose bar, all `+`, is capped at full width).
pub fn log_churn(
    w: &mut dyn Write,
    revs: &[Revision],
    tz: &TimeZone,
    bars: Option<bool>,
) -> io::Result<()> {
    let width = revs
        .iter()
        .map(|r| r.rev.to_string().len())
        .max()
        .unwrap_or(1);
    let largest = super::churn::largest_change(revs);
    for r in revs {
        if let Some(colour) = bars {
            let (plus, minus) = super::churn::bar(r.added, r.removed, largest);
            let pad = " ".repeat(super::churn::WIDTH - plus - minus + 2);
            if colour {
                super::terminal::churn_bar(w, plus, minus)?;
            } else {
                write!(w, "{}{}", "+".repeat(plus), "-".repeat(minus))?;
            }
            w.write_all(pad.as_bytes())?;
        }
        let change = format!("+{} -{}", r.added, r.removed);
        let mark = match &r.technical {
            Some(why) => format!("[technical: {}] ", visible(why)),
            None => String::new(),
        };
        writeln!(
            w,
            "@{:<width$}  {}  {}  {:>13}  {mark}{}",
            r.rev,
            r.short_id(),
            r.time.human(tz),
            format!("{change} words"),
            visible(first_line(&r.message)),
        )?;
        if let Some(src) = &r.source {
            writeln!(w, "{:width$}   source: {}", "", visible(src))?;
        }
        if let Some(p) = &r.published {
            writeln!(w, "{:width$}   published: {}", "", p.human(tz))?;
        }
        if let Some(n) = r.restores {
            writeln!(w, "{:width$}   restores @{n}", "")?;
        }
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct LogEntry<'a> {
    rev: u64,
    id: &'a str,
    time: String,
    published: Option<String>,
    restores: Option<u64>,
    words: u64,
    added: u64,
    removed: u64,
    message: &'a str,
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    technical: Option<&'a str>,
}

/// `log --json`: an array, newest first.
pub fn log_json(w: &mut dyn Write, revs: &[Revision]) -> io::Result<()> {
    let entries: Vec<LogEntry> = revs
        .iter()
        .map(|r| LogEntry {
            rev: r.rev,
            id: &r.id,
            time: r.time.rfc3339(),
            published: r.published.map(|p| p.rfc3339()),
            restores: r.restores,
            words: r.words,
            added: r.added,
            removed: r.removed,
            message: &r.message,
            source: r.source.as_deref(),
            technical: r.technical.as_deref(),
        })
        .collect();
    to_writer(w, &entries)
}

/// `list`: one line per document.
pub fn list(w: &mut dyn Write, docs: &[DocSummary], tz: &TimeZone) -> io::Result<()> {
    if docs.is_empty() {
        return writeln!(
            w,
            "no documents yet; record one with `redliner record DOC FILE`"
        );
    }
    let width = docs
        .iter()
        .map(|d| d.doc.as_str().len())
        .max()
        .unwrap_or(3)
        .max(8);
    writeln!(
        w,
        "{:<width$}  {:>9}  {:<22}  {:>8}",
        "DOCUMENT", "REVISIONS", "LATEST", "WORDS"
    )?;
    for d in docs {
        writeln!(
            w,
            "{:<width$}  {:>9}  {:<22}  {:>8}",
            d.doc.as_str(),
            d.revisions,
            d.latest_time.human(tz),
            d.words
        )?;
    }
    Ok(())
}

/// `list --json`.
pub fn list_json(w: &mut dyn Write, docs: &[DocSummary]) -> io::Result<()> {
    to_writer(w, &docs)
}

/// `log --checks`, newest first: time, outcome, and the revision or reason.
pub fn checks(w: &mut dyn Write, obs: &[Observation], tz: &TimeZone) -> io::Result<()> {
    for o in obs {
        let detail = match (&o.reason, o.rev) {
            (Some(reason), _) => visible(reason),
            (None, Some(rev)) => format!("@{rev}"),
            (None, None) => String::new(),
        };
        writeln!(
            w,
            "{}  {:<9}  {}",
            o.time.human(tz),
            o.outcome.as_str(),
            detail
        )?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct CheckEntry<'a> {
    time: String,
    outcome: &'static str,
    rev: Option<u64>,
    reason: Option<&'a str>,
}

/// `log --checks --json`: an array of `{time, outcome, rev, reason}`,
/// newest first.
pub fn checks_json(w: &mut dyn Write, obs: &[Observation]) -> io::Result<()> {
    let entries: Vec<CheckEntry> = obs
        .iter()
        .map(|o| CheckEntry {
            time: o.time.rfc3339(),
            outcome: o.outcome.as_str(),
            rev: o.rev,
            reason: o.reason.as_deref(),
        })
        .collect();
    to_writer(w, &entries)
}
