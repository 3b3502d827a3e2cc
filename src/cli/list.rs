//! `redliner list`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use redliner::render::history;
use redliner::store::Store;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print a JSON array
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let store = Store::open(&ctx.store_path()?)?;
    let docs = store.list()?;
    let mut out = if args.json {
        Output::plain()
    } else {
        Output::paged(ctx)
    };
    if args.json {
        history::list_json(out.writer(), &docs)?;
    } else {
        history::list(out.writer(), &docs, &ctx.tz)?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
