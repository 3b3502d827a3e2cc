//! `redliner list`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use redliner::render::escape::visible;
use redliner::render::history;
use redliner::store::Store;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print a JSON array
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let store = Store::open(&ctx.store_path()?)?;
    let mut docs = Vec::new();
    let mut damaged = Vec::new();
    for (_, entry) in store.list()? {
        match entry {
            Ok(summary) => docs.push(summary),
            Err(e) => damaged.push(e),
        }
    }
    let mut out = if args.json {
        Output::plain()
    } else {
        Output::paged(ctx)
    };
    if args.json {
        history::list_json(out.writer(), &docs)?;
    } else {
        history::list(out.writer(), &docs, ctx.tz())?;
    }
    out.finish()?;
    // Documents that cannot be read are reported, never silently left out.
    for e in &damaged {
        eprintln!("redliner: {}", visible(&e.to_string()));
    }
    Ok(if damaged.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_ERROR)
    })
}
