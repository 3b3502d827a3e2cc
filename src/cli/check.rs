//! `redliner check [DOC...]`: captures every watched source (or those named),
//! records what changed, and logs every check in the store's observation
//! log. One request at a time per host; `--jobs` hosts at once.

use super::env::{now, Context};
use super::output::Output;
use super::record::{capture_record, Fetching};
use super::CmdResult;
use super::ExitCode;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use redliner::capture;
use redliner::model::{CaptureTime, DocId, Observation, Outcome, Validators, WatchEntry};
use redliner::record::{record, RecordOutcome, RecordRequest};
use redliner::render::escape::visible;
use redliner::store::Store;
use redliner::Error;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Check only these documents (default: every watched source)
    docs: Vec<String>,
    /// Exit 1 when something changed (0 otherwise; 2 when a source failed)
    #[arg(long)]
    exit_code: bool,
    /// Print a JSON array of {doc, outcome, rev, added, removed, reason}
    #[arg(long)]
    json: bool,
    /// How many hosts to fetch from at once (one request at a time per host)
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    jobs: u64,
    /// Check a stable share I of N of the watch list (for splitting a list across machines)
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    #[command(flatten)]
    net: Fetching,
}

/// What checking one source found.
#[derive(Debug, serde::Serialize)]
struct Checked {
    doc: String,
    outcome: Outcome,
    rev: Option<u64>,
    added: Option<u64>,
    removed: Option<u64>,
    reason: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    let path = ctx.store_path()?;
    let store = Store::open(&path)?;
    let list = store.watch_list()?;
    drop(store);
    for d in &args.docs {
        if !list.iter().any(|e| &e.doc == d) {
            return Err(Error::NotWatched { doc: d.clone() });
        }
    }
    let chosen: Vec<&WatchEntry> = list
        .iter()
        .filter(|e| args.docs.is_empty() || args.docs.contains(&e.doc))
        .filter(|e| shard.is_none_or(|(i, n)| stable_hash(&e.doc) % n == i - 1))
        .collect();
    let progress = if std::io::stderr().is_terminal() {
        let bar =
            ProgressBar::with_draw_target(Some(chosen.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("checking {pos}/{len} {wide_bar} {msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let results = check_all(&path, &chosen, &args, &progress);
    progress.finish_and_clear();
    let mut out = Output::plain();
    if args.json {
        serde_json::to_writer(out.writer(), &results).map_err(std::io::Error::from)?;
        writeln!(out.writer())?;
    } else {
        for r in &results {
            let line = match r.outcome {
                Outcome::Changed => format!(
                    "changed {}@{} +{} -{} words",
                    r.doc,
                    r.rev.unwrap_or(0),
                    r.added.unwrap_or(0),
                    r.removed.unwrap_or(0)
                ),
                Outcome::Unchanged => format!("unchanged {}@{}", r.doc, r.rev.unwrap_or(0)),
                Outcome::Failed => format!(
                    "failed {}: {}",
                    r.doc,
                    r.reason.as_deref().unwrap_or("unknown")
                ),
            };
            writeln!(out.writer(), "{}", visible(&line))?;
        }
    }
    out.finish()?;
    let failed = results.iter().any(|r| r.outcome == Outcome::Failed);
    let changed = results.iter().any(|r| r.outcome == Outcome::Changed);
    // Every check writes to the observation log: pack past the threshold.
    if let Ok(store) = Store::open(&path) {
        super::gc::auto_pack(&store);
    }
    Ok(ExitCode::from(if failed {
        super::EXIT_ERROR
    } else if args.exit_code && changed {
        1
    } else {
        0
    }))
}

/// `I/N` with 1 <= I <= N.
fn parse_shard(s: &str) -> Result<(u64, u64), Error> {
    let bad = || Error::InvalidShard {
        value: s.to_string(),
    };
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let i: u64 = i.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    if i == 0 || n == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

/// FNV-1a: the same share on every machine and every version.
fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Checks every entry: hosts in parallel (up to `--jobs`), each host's
/// entries one after another. Results come back in watch-list order.
fn check_all(
    path: &Path,
    chosen: &[&WatchEntry],
    args: &Args,
    progress: &ProgressBar,
) -> Vec<Checked> {
    let mut by_host: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in chosen.iter().enumerate() {
        by_host.entry(capture::host_of(&e.url)).or_default().push(i);
    }
    let queue = Mutex::new(by_host.into_values().collect::<Vec<_>>());
    let results: Mutex<Vec<Option<Checked>>> =
        Mutex::new((0..chosen.len()).map(|_| None).collect());
    let workers = (args.jobs as usize).min(chosen.len()).max(1);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let Some(group) = queue.lock().ok().and_then(|mut q| q.pop()) else {
                    return;
                };
                for i in group {
                    progress.set_message(visible(&chosen[i].doc));
                    let checked = check_one(path, chosen[i], args);
                    progress.inc(1);
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(checked);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .zip(chosen)
        .map(|(r, e)| r.unwrap_or_else(|| failed(&e.doc, "the check did not run".into())))
        .collect()
}

fn failed(doc: &str, reason: String) -> Checked {
    Checked {
        doc: doc.to_string(),
        outcome: Outcome::Failed,
        rev: None,
        added: None,
        removed: None,
        reason: Some(reason),
    }
}

/// Captures one source, records it if it changed, and logs the check.
fn check_one(path: &Path, e: &WatchEntry, args: &Args) -> Checked {
    let time = now();
    let (checked, validators) = match DocId::parse(&e.doc) {
        Ok(doc) => {
            // The validators of the latest check, used only with the same
            // selectors (otherwise the text may differ on an unchanged page).
            let previous = Store::open(path)
                .and_then(|s| s.latest_observation(&doc))
                .ok()
                .flatten()
                .map(|o| o.validators)
                .filter(|v| v.select == e.select && v.remove == e.remove)
                .unwrap_or_default();
            match capture_and_record(path, &doc, e, args, time, &previous) {
                Ok(done) => done,
                Err(err) => (failed(&e.doc, err.to_string()), previous),
            }
        }
        Err(err) => return failed(&e.doc, err.to_string()),
    };
    let obs = Observation {
        time,
        outcome: checked.outcome,
        rev: checked.rev,
        reason: checked.reason.clone(),
        validators,
    };
    let logged = DocId::parse(&e.doc).and_then(|doc| Ok(Store::open(path)?.observe(&doc, &obs)?));
    match logged {
        Ok(()) => checked,
        Err(err) => failed(&e.doc, format!("the check could not be logged: {err}")),
    }
}

fn capture_and_record(
    path: &Path,
    doc: &DocId,
    e: &WatchEntry,
    args: &Args,
    time: CaptureTime,
    previous: &Validators,
) -> Result<(Checked, Validators), Error> {
    let opts = capture::Options::new(
        &e.select,
        &e.remove,
        &e.lang,
        args.net.allow_private,
        Duration::from_secs(args.net.timeout),
    )?;
    let known = (!previous.is_empty()).then_some(previous);
    let store = Store::open(path)?;
    let unchanged = |rev: Option<u64>| Checked {
        doc: e.doc.clone(),
        outcome: Outcome::Unchanged,
        rev,
        added: None,
        removed: None,
        reason: None,
    };
    let Some(c) = capture::capture_url_if(&e.url, &opts, known)? else {
        // 304 Not Modified: an unchanged observation.
        let rev = store.latest(doc)?.map(|r| r.rev);
        return Ok((unchanged(rev), previous.clone()));
    };
    let validators = Validators {
        etag: c.etag.clone(),
        last_modified: c.last_modified.clone(),
        select: e.select.clone(),
        remove: e.remove.clone(),
    };
    let req = RecordRequest {
        doc,
        text: &c.text,
        published: c.published,
        time,
        message: None,
        source: Some(e.url.clone()),
        capture: Some(capture_record(&c, &e.select, &e.remove, false)),
    };
    let report = record(&store, &req)?;
    let checked = match report.outcome {
        RecordOutcome::Recorded(r) => Checked {
            doc: e.doc.clone(),
            outcome: Outcome::Changed,
            rev: Some(r.rev),
            added: Some(r.added),
            removed: Some(r.removed),
            reason: None,
        },
        RecordOutcome::Unchanged(r) => unchanged(Some(r.rev)),
    };
    Ok((checked, validators))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_stable_and_cover_everything() {
        assert_eq!(parse_shard("2/4").unwrap(), (2, 4));
        for bad in ["0/4", "5/4", "1/0", "x", "1/", "/2"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
        // FNV-1a of "a" is fixed forever.
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
