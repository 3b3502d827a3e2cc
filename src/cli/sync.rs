//! `redliner sync [REMOTE]`: fetch, reconcile and push with a lease.

use super::env::{now, Context};
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use redliner::render::escape::visible;
use redliner::store::{Store, SyncEvent};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The remote to sync with (see `redliner remote`)
    #[arg(default_value = "origin")]
    remote: String,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let store = Store::open(&ctx.store_path()?)?;
    let report = redliner::sync::sync(&store, &args.remote, now())?;
    let remote = visible(&args.remote);
    let mut out = Output::plain();
    let w = out.writer();
    for e in &report.events {
        match e {
            SyncEvent::Fetched { doc, from, to } => match from {
                None => writeln!(w, "fetched {doc}: @1..@{to} from {remote}")?,
                Some(f) => writeln!(w, "fetched {doc}: @{}..@{to} from {remote}", f + 1)?,
            },
            SyncEvent::Pushed { doc, rev } => writeln!(w, "pushed {doc}@{rev} to {remote}")?,
            SyncEvent::Merged {
                doc,
                from_remote,
                renumbered,
                same,
                rev,
                ..
            } => {
                let same = if *same > 0 {
                    format!(", {same} with the same text kept once")
                } else {
                    String::new()
                };
                writeln!(
                    w,
                    "merged {doc}: {from_remote} revision{} from {remote}, {renumbered} renumbered here{same}; now @{rev}",
                    plural(*from_remote),
                )?
            }
            SyncEvent::Renumbered {
                doc,
                time,
                from,
                to,
            } => writeln!(
                w,
                "  renumbered {doc}@{from} -> @{to} (captured {})",
                time.human(ctx.tz())
            )?,
            SyncEvent::SameText {
                doc,
                time,
                here,
                rev,
                kept,
            } => writeln!(
                w,
                "  same text as {doc}@{kept}: {doc}@{rev} {} (captured {}), kept once",
                if *here { "here" } else { "on the remote" },
                time.human(ctx.tz())
            )?,
            SyncEvent::Replaced { doc, refname } => {
                writeln!(w, "  kept the replaced tip of {doc} as {refname}")?
            }
            SyncEvent::WatchFetched => writeln!(w, "fetched the watch list from {remote}")?,
            SyncEvent::WatchMerged { entries } => {
                writeln!(w, "merged the watch lists: {entries} entries")?
            }
            SyncEvent::WatchPushed => writeln!(w, "pushed the watch list to {remote}")?,
            SyncEvent::ChecksFetched { logs } => writeln!(
                w,
                "fetched {logs} observation log{} from {remote}",
                plural(*logs)
            )?,
            SyncEvent::ChecksPushed { logs } => writeln!(
                w,
                "pushed {logs} observation log{} to {remote}",
                plural(*logs)
            )?,
            SyncEvent::ChecksMerged { doc, checks } => {
                writeln!(w, "merged the observation logs of {doc}: {checks} checks")?
            }
            SyncEvent::Skipped { branch } => {
                writeln!(w, "skipped branch {}: not a document id", visible(branch))?
            }
            SyncEvent::Retry { round } => {
                writeln!(w, "{remote} changed during round {round}; fetching again")?
            }
        }
    }
    let changed = report
        .events
        .iter()
        .any(|e| !matches!(e, SyncEvent::Skipped { .. }));
    if !changed {
        writeln!(w, "up to date with {remote}")?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
