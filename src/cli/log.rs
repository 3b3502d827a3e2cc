//! `redliner log DOC [--checks]`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use redliner::model::DocId;
use redliner::render::history;
use redliner::store::Store;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Document id
    doc: String,
    /// Print a JSON array
    #[arg(long)]
    json: bool,
    /// List the checks of the document's watched source (time, outcome, revision or reason) instead of its revisions
    #[arg(long)]
    checks: bool,
    /// Show only the N newest revisions
    #[arg(short = 'n', long = "max-count", value_name = "N")]
    max_count: Option<usize>,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let doc = DocId::parse(&args.doc)?;
    let store = Store::open(&ctx.store_path()?)?;
    if args.checks {
        return checks(ctx, &store, &doc, &args);
    }
    let mut revs = store.history(&doc)?;
    if let Some(n) = args.max_count {
        revs.truncate(n);
    }
    let mut out = if args.json {
        Output::plain()
    } else {
        Output::paged(ctx)
    };
    if args.json {
        history::log_json(out.writer(), &revs)?;
    } else {
        let bars = ctx.stdout_is_terminal.then_some(ctx.color);
        history::log_churn(out.writer(), &revs, ctx.tz(), bars)?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// `log --checks`: the observation log, newest first.
fn checks(ctx: &Context, store: &Store, doc: &DocId, args: &Args) -> CmdResult {
    let mut obs = store.observations(doc)?;
    if let Some(n) = args.max_count {
        obs.truncate(n);
    }
    if args.json {
        let mut out = Output::plain();
        history::checks_json(out.writer(), &obs)?;
        out.finish()?;
    } else {
        let mut out = Output::paged(ctx);
        history::checks(out.writer(), &obs, ctx.tz())?;
        out.finish()?;
    }
    Ok(ExitCode::SUCCESS)
}
