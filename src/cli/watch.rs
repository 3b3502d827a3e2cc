//! `redliner watch add|list|remove`: the watch list kept in the store.

use super::env::{now, Context};
use super::output::Output;
use super::record::Selection;
use super::CmdResult;
use super::ExitCode;
use redliner::capture;
use redliner::model::{DocId, WatchEntry};
use redliner::render::escape::visible;
use redliner::store::Store;
use redliner::Error;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Watch a URL as the source of DOC (replaces DOC's entry if there is one)
    Add(AddArgs),
    /// List the watched sources
    List(ListArgs),
    /// Stop watching DOC (its revisions and checks stay)
    Remove(RemoveArgs),
}

#[derive(clap::Args, Debug)]
struct AddArgs {
    /// Document id
    doc: String,
    /// The http(s) URL to capture
    url: String,
    #[command(flatten)]
    sel: Selection,
}

#[derive(clap::Args, Debug)]
struct ListArgs {
    /// Print a JSON array of {doc, url, select, remove, lang}
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
struct RemoveArgs {
    /// Document id
    doc: String,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    match args.command {
        Command::Add(a) => add(ctx, a),
        Command::List(a) => list(ctx, a),
        Command::Remove(a) => remove(ctx, a),
    }
}

fn add(ctx: &Context, a: AddArgs) -> CmdResult {
    let doc = DocId::parse(&a.doc)?;
    if !capture::is_url(&a.url) {
        return Err(Error::NotAUrl { arg: a.url });
    }
    // Selectors and language are checked now, not at the first check.
    capture::Options::new(
        &a.sel.select,
        &a.sel.remove,
        &a.sel.lang,
        false,
        capture::DEFAULT_TIMEOUT,
    )?;
    let store = Store::open_or_create(&ctx.store_path()?)?;
    let entry = WatchEntry {
        doc: doc.to_string(),
        url: a.url,
        select: a.sel.select,
        remove: a.sel.remove,
        lang: a.sel.lang,
    };
    let replaced = store.edit_watch_list(now(), &format!("watch {doc}"), |list| {
        let old = list.iter().position(|e| e.doc == entry.doc);
        match old {
            Some(i) => list[i] = entry.clone(),
            None => list.push(entry.clone()),
        }
        Ok::<bool, Error>(old.is_some())
    })?;
    let mut out = Output::plain();
    writeln!(
        out.writer(),
        "{} {doc}: {}",
        if replaced { "updated" } else { "watching" },
        visible(&entry.url)
    )?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Context, a: ListArgs) -> CmdResult {
    let store = Store::open(&ctx.store_path()?)?;
    let list = store.watch_list()?;
    let mut out = Output::plain();
    if a.json {
        serde_json::to_writer(out.writer(), &list).map_err(std::io::Error::from)?;
        writeln!(out.writer())?;
    } else {
        for e in &list {
            let mut line = format!("{}  {}", e.doc, e.url);
            for s in &e.select {
                line.push_str(&format!("  --select {s:?}"));
            }
            for s in &e.remove {
                line.push_str(&format!("  --remove {s:?}"));
            }
            if e.lang != "en" {
                line.push_str(&format!("  --lang {}", e.lang));
            }
            writeln!(out.writer(), "{}", visible(&line))?;
        }
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn remove(ctx: &Context, a: RemoveArgs) -> CmdResult {
    let doc = DocId::parse(&a.doc)?;
    let store = Store::open(&ctx.store_path()?)?;
    store.edit_watch_list(now(), &format!("unwatch {doc}"), |list| {
        let before = list.len();
        list.retain(|e| e.doc != doc.as_str());
        if list.len() == before {
            return Err(Error::NotWatched {
                doc: doc.to_string(),
            });
        }
        Ok(())
    })?;
    let mut out = Output::plain();
    writeln!(out.writer(), "stopped watching {doc}")?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
