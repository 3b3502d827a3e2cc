//! `redliner blame DOC[@REV]`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use redliner::history;
use redliner::model::Selector;
use redliner::render::blame;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Document and optional revision (default the latest): DOC, DOC@3, DOC@~1, DOC@2023-11-12
    #[arg(value_name = "DOC[@REV]")]
    target: String,
    /// Output format (default: color on a terminal, plain otherwise)
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Mark only what came after this revision (a selector as after `@`)
    #[arg(long, value_name = "REV")]
    since: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Color,
    Plain,
    Json,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let (store, doc, rev) = super::diff::open_revision(ctx, &args.target)?;
    let since = match &args.since {
        Some(s) => Some(store.resolve(&doc, &Selector::parse(s, ctx.tz())?)?.rev),
        None => None,
    };
    let b = history::blame(&store, &doc, &rev)?;
    let format = match args.format {
        Some(f) => f,
        None if ctx.color => FormatArg::Color,
        None => FormatArg::Plain,
    };
    if format == FormatArg::Json {
        let mut out = Output::plain();
        blame::json(out.writer(), &doc, rev.rev, &b, since)?;
        out.finish()?;
    } else {
        let mut out = Output::paged(ctx);
        let colour = format == FormatArg::Color;
        blame::human(out.writer(), &b, since, colour, ctx.tz())?;
        out.finish()?;
    }
    Ok(ExitCode::SUCCESS)
}
