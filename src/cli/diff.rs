//! `redliner diff DOC[@REV] [DOC[@REV]]` and `redliner diff --files OLD NEW`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use redliner::diff::kinds::Kind;
use redliner::diff::Filter;
use redliner::input::{read_source, InputRules};
use redliner::model::{split_doc_selector, DocId, Revision, Selector};
use redliner::render::{self, Context as Ctx, DiffOptions, Format, RevRef};
use redliner::store::Store;
use redliner::Error;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// DOC[@REV]: compared with its predecessor, or, with a second
    /// DOC[@REV], the old side; with --files, the old file
    #[arg(value_name = "DOC[@REV]")]
    first: String,
    /// The new side: DOC[@REV], or with --files the new file
    #[arg(value_name = "DOC[@REV]")]
    second: Option<String>,
    /// Compare two files without a store: redliner diff --files OLD NEW
    #[arg(long)]
    files: bool,
    /// Output format (default: color on a terminal, plain otherwise; html
    /// when -o names a .html file). html is one self-contained page: no
    /// script, no external resource
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Write the diff to FILE (replaced atomically) instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<std::path::PathBuf>,
    /// Print only the summary
    #[arg(long)]
    stat: bool,
    /// The raw minimal word diff, without folding short unchanged runs into
    /// the changes around them
    #[arg(long)]
    minimal: bool,
    /// Do not look for moved paragraphs and sentences
    #[arg(long)]
    no_moves: bool,
    /// Do not show changes of letter case (same as --hide case)
    #[arg(short = 'i', long)]
    ignore_case: bool,
    /// Do not show typographic changes: quotes, dashes, special spaces,
    /// ligatures, Unicode forms (same as --hide typography)
    #[arg(long)]
    normalize: bool,
    /// Show only these kinds of change: words, number, punctuation, case,
    /// typography, invisible, whitespace, moved, markup (comma-separated)
    #[arg(long, value_name = "KINDS", value_delimiter = ',', value_parser = parse_kind)]
    only: Vec<Kind>,
    /// Hide these kinds of change (comma-separated; see --only)
    #[arg(long, value_name = "KINDS", value_delimiter = ',', value_parser = parse_kind)]
    hide: Vec<Kind>,
    /// Leave out deleted text (wdiff -1)
    #[arg(long)]
    no_deleted: bool,
    /// Leave out inserted text (wdiff -2)
    #[arg(long)]
    no_inserted: bool,
    /// Show only the lines that changed, each whole
    #[arg(long)]
    changes_only: bool,
    /// Unchanged paragraphs to show around each change, or `all`
    #[arg(long, default_value = "2", value_name = "N|all", value_parser = parse_context)]
    context: Ctx,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum FormatArg {
    Color,
    Plain,
    Json,
    Html,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s.trim()).ok_or_else(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        format!("unknown kind {s:?}; use one of {}", names.join(", "))
    })
}

fn parse_context(s: &str) -> Result<Ctx, String> {
    if s == "all" {
        return Ok(Ctx::All);
    }
    s.parse::<usize>()
        .map(Ctx::Paragraphs)
        .map_err(|_| format!("expected a number of paragraphs or `all`, got {s:?}"))
}

/// Opens the store and resolves `DOC[@REV]`.
pub fn open_revision(ctx: &Context, target: &str) -> Result<(Store, DocId, Revision), Error> {
    let store = Store::open(&ctx.store_path()?)?;
    let (doc, rev) = resolve(&store, ctx, target)?;
    Ok((store, doc, rev))
}

fn resolve(store: &Store, ctx: &Context, target: &str) -> Result<(DocId, Revision), Error> {
    let (doc, sel) = split_doc_selector(target);
    let doc = DocId::parse(doc)?;
    let sel = match sel {
        Some(s) => Selector::parse(s, ctx.tz())?,
        None => Selector::Latest,
    };
    let rev = store.resolve(&doc, &sel)?;
    Ok((doc, rev))
}

fn rev_ref(doc: &DocId, rev: &Revision) -> RevRef {
    RevRef {
        doc: Some(doc.to_string()),
        rev: Some(rev.rev),
        id: Some(rev.id.to_string()),
        time: Some(rev.time),
        path: None,
        restores: rev.restores,
        source: rev.source.clone(),
    }
}

fn file_ref(path: &str) -> RevRef {
    RevRef {
        path: Some(path.to_string()),
        ..RevRef::default()
    }
}

/// Texts (old and new bytes together) for which the heap is prepared for a
/// large diff (`redliner::heap`). Below, the set-up costs about what it
/// saves (pair 001 of the real revisions, 72 KB with one edit, ran 6 %
/// slower with it). Above, the texts' own buffers already have huge pages
/// (`input.rs`), and keeping large vectors in the heap raised peak memory
/// on the 10 MB benchmark from 1.3 to 1.7 times git's for no clear gain.
const HEAP_PREPARE: std::ops::Range<usize> = 128 * 1024..8 << 20;

fn prepare_heap(bytes: usize) {
    if HEAP_PREPARE.contains(&bytes) {
        // Tokens and alignments take up to about 16 times the texts.
        redliner::heap::prepare(bytes.saturating_mul(16));
    }
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let ((old_ref, old_bytes), (new_ref, new_bytes)) = match (&args.second, args.files) {
        (Some(second), true) => {
            // Sized from the files, so that reading them is prepared too.
            let size = |p: &str| std::fs::metadata(p).map_or(0, |m| m.len() as usize);
            prepare_heap(size(&args.first) + size(second));
            let rules = InputRules {
                allow_empty: true,
                ..InputRules::default()
            };
            let load = |p: &str| -> Result<(RevRef, String), Error> {
                Ok((file_ref(p), read_source(p, rules)?))
            };
            (load(&args.first)?, load(second)?)
        }
        (None, true) => return Err(Error::FilesNeedTwo),
        (second, false) => stored_pair(ctx, &args.first, second.as_deref())?,
    };
    let (old, new) = (old_bytes.as_str(), new_bytes.as_str());
    prepare_heap(old.len() + new.len());
    let format = match args.format {
        Some(FormatArg::Json) => Format::Json,
        Some(FormatArg::Plain) => Format::Plain,
        Some(FormatArg::Color) => Format::Color,
        Some(FormatArg::Html) => Format::Html,
        None if args.output.as_ref().is_some_and(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
        }) =>
        {
            Format::Html
        }
        None if ctx.color && args.output.is_none() => Format::Color,
        None => Format::Plain,
    };
    let d = redliner::diff::diff_with(
        old,
        new,
        &redliner::diff::Options {
            minimal: args.minimal,
            no_moves: args.no_moves,
            // A redline without statistics does not count unchanged words.
            skip_unchanged_count: !args.stat && !matches!(format, Format::Json | Format::Html),
        },
    );

    let filter = Filter {
        only: args.only,
        hide: args.hide,
        ignore_case: args.ignore_case,
        normalize: args.normalize,
        no_deleted: args.no_deleted,
        no_inserted: args.no_inserted,
    };
    // Times are shown only for revisions, and JSON keeps their own offsets:
    // the local time zone is looked up (a directory walk) only when needed.
    let tz = if args.files || format == Format::Json {
        jiff::tz::TimeZone::UTC
    } else {
        ctx.tz().clone()
    };
    let lang = match (format, &new_ref.doc) {
        (Format::Html, Some(doc)) => document_lang(ctx, doc),
        _ => None,
    };
    let opts = DiffOptions {
        context: args.context,
        stat_only: args.stat,
        filter,
        changes_only: args.changes_only,
        lang,
        ..DiffOptions::new(format, tz)
    };
    if let Some(path) = &args.output {
        let mut bytes = Vec::new();
        render::render_diff(&mut bytes, &d, &old_ref, &new_ref, &opts)?;
        super::export::write_atomic(path, &bytes).map_err(|source| Error::Export {
            path: path.display().to_string(),
            source,
        })?;
    } else {
        let mut out = if matches!(format, Format::Json | Format::Html) || args.stat {
            Output::plain()
        } else {
            Output::paged(ctx)
        };
        render::render_diff(out.writer(), &d, &old_ref, &new_ref, &opts)?;
        out.finish()?;
    }
    Ok(if d.has_visible_changes(&opts.filter) {
        ExitCode::from(redliner::error::exit::DIFFERENT)
    } else {
        ExitCode::SUCCESS
    })
}

/// The language of a watched document (its `--lang`), when it is one.
fn document_lang(ctx: &Context, doc: &str) -> Option<String> {
    let store = Store::open(&ctx.store_path().ok()?).ok()?;
    let list = store.watch_list().ok()?;
    let entry = list.into_iter().find(|e| e.doc == doc)?;
    render::html::primary_lang(&entry.lang)
}

type Side = (RevRef, String);

fn stored_pair(ctx: &Context, first: &str, second: Option<&str>) -> Result<(Side, Side), Error> {
    let store = Store::open(&ctx.store_path()?)?;
    match second {
        None => {
            let (doc, rev) = resolve(&store, ctx, first)?;
            let new = (rev_ref(&doc, &rev), store.read_text(&doc, &rev)?);
            let old = if rev.rev > 1 {
                let prev = store.resolve(&doc, &Selector::Number(rev.rev - 1))?;
                (rev_ref(&doc, &prev), store.read_text(&doc, &prev)?)
            } else {
                (
                    RevRef {
                        path: Some(format!("{doc}@0 (nothing before the first revision)")),
                        ..RevRef::default()
                    },
                    String::new(),
                )
            };
            Ok((old, new))
        }
        Some(second) => {
            let (da, ra) = resolve(&store, ctx, first)?;
            let (db, rb) = resolve(&store, ctx, second)?;
            Ok((
                (rev_ref(&da, &ra), store.read_text(&da, &ra)?),
                (rev_ref(&db, &rb), store.read_text(&db, &rb)?),
            ))
        }
    }
}
