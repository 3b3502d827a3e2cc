//! `redliner log DOC`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use redliner::model::DocId;
use redliner::render::history;
use redliner::store::Store;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Document id
    doc: String,
    /// Print a JSON array
    #[arg(long)]
    json: bool,
    /// Show only the N newest revisions
    #[arg(short = 'n', long = "max-count", value_name = "N")]
    max_count: Option<usize>,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let doc = DocId::parse(&args.doc)?;
    let store = Store::open(&ctx.store_path()?)?;
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
