//! `redliner show DOC[@REV] [--raw]`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use redliner::model::{DocId, Revision};
use redliner::render::escape::visible;
use redliner::store::Store;
use redliner::Error;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Document and optional revision: DOC, DOC@3, DOC@latest, DOC@~1, DOC@<commit>, DOC@2023-11-12
    target: String,
    /// Print the raw capture (the web page or PDF the text was extracted from) instead of the text
    #[arg(long)]
    raw: bool,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let (store, doc, rev) = super::diff::open_revision(ctx, &args.target)?;
    if args.raw {
        return show_raw(ctx, &store, &doc, &rev);
    }
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

/// The raw capture, byte for byte to a pipe or file; on a terminal only
/// when it is text, with hidden characters escaped.
fn show_raw(ctx: &Context, store: &Store, doc: &DocId, rev: &Revision) -> CmdResult {
    let Some((name, bytes)) = store.read_raw(doc, rev)? else {
        return Err(Error::NoRawCapture {
            doc: doc.to_string(),
            rev: rev.rev,
        });
    };
    if ctx.stdout_is_terminal {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return Err(Error::BinaryToTerminal {
                doc: doc.to_string(),
                rev: rev.rev,
                name,
            });
        };
        let mut out = Output::paged(ctx);
        out.writer().write_all(visible(text).as_bytes())?;
        out.finish()?;
    } else {
        let mut out = Output::plain();
        out.writer().write_all(&bytes)?;
        out.finish()?;
    }
    Ok(ExitCode::SUCCESS)
}
