//! `redliner search PHRASE [DOC...]`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use redliner::history::{self, Matcher, Period, SearchOptions};
use redliner::model::DocId;
use redliner::render::search as render;
use redliner::store::Store;
use redliner::Error;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The phrase; its whitespace matches any run of whitespace, line breaks included
    phrase: String,
    /// Documents to search (default: every document)
    docs: Vec<String>,
    /// The phrase is a regular expression (Rust regex syntax)
    #[arg(long)]
    regex: bool,
    /// Ignore letter case
    #[arg(short = 'i', long)]
    ignore_case: bool,
    /// Fold quotes, dashes and special spaces before matching
    #[arg(long)]
    normalize: bool,
    /// Print a JSON array
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let opts = SearchOptions {
        ignore_case: args.ignore_case,
        normalize: args.normalize,
    };
    let matcher = if args.regex {
        Matcher::regex(&args.phrase, opts).map_err(|reason| Error::InvalidRegex {
            pattern: args.phrase.clone(),
            reason,
        })?
    } else {
        Matcher::new(&args.phrase, opts).ok_or(Error::EmptyPhrase)?
    };
    let store = Store::open(&ctx.store_path()?)?;
    let named = !args.docs.is_empty();
    let docs: Vec<DocId> = if named {
        args.docs
            .iter()
            .map(|d| DocId::parse(d))
            .collect::<Result<_, _>>()?
    } else {
        store.list()?.into_iter().map(|(d, _)| d).collect()
    };
    let mut found: Vec<(DocId, Vec<Period>)> = Vec::new();
    for doc in docs {
        let periods = history::search(&store, &doc, &|t| matcher.is_match(t))?;
        if named || !periods.is_empty() {
            found.push((doc, periods));
        }
    }
    let mut out = if args.json {
        Output::plain()
    } else {
        Output::paged(ctx)
    };
    if args.json {
        render::json(out.writer(), &found)?;
    } else {
        render::human(out.writer(), &found, ctx.tz())?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
