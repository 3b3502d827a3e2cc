//! `redliner show DOC[@REV]`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use redliner::render::escape::visible;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Document and optional revision: DOC, DOC@3, DOC@latest, DOC@~1, DOC@<commit>, DOC@2023-11-12
    target: String,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let (store, doc, rev) = super::diff::open_revision(ctx, &args.target)?;
    let text = store.read_text(&doc, &rev)?;
    if ctx.stdout_is_terminal {
        // A terminal never gets control characters raw.
        let mut out = Output::paged(ctx);
        out.writer().write_all(visible(&text).as_bytes())?;
        out.finish()?;
    } else {
        let mut out = Output::plain();
        out.writer().write_all(text.as_bytes())?;
        out.finish()?;
    }
    Ok(ExitCode::SUCCESS)
}
