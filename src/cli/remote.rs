//! `redliner remote add|list|remove`: the git remotes `sync` talks to.

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use redliner::render::escape::visible;
use redliner::store::Store;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Add a remote: any git URL or path (ssh, https, a bare repository)
    Add {
        /// The remote's name (`origin` is the one `sync` uses by default)
        name: String,
        /// The git URL or path
        url: String,
    },
    /// List the remotes, one `NAME URL` a line
    List,
    /// Remove a remote (local documents are not changed)
    Remove {
        /// The remote's name
        name: String,
    },
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    match args.command {
        Command::Add { name, url } => {
            let store = Store::open_or_create(&ctx.store_path()?)?;
            store.remote_add(&name, &url)?;
            let mut out = Output::plain();
            writeln!(
                out.writer(),
                "added remote {}: {}",
                visible(&name),
                visible(&url)
            )?;
            out.finish()?;
        }
        Command::List => {
            let store = Store::open(&ctx.store_path()?)?;
            let mut out = Output::plain();
            for r in store.remote_list()? {
                writeln!(out.writer(), "{}\t{}", visible(&r.name), visible(&r.url))?;
            }
            out.finish()?;
        }
        Command::Remove { name } => {
            let store = Store::open(&ctx.store_path()?)?;
            store.remote_remove(&name)?;
            let mut out = Output::plain();
            writeln!(out.writer(), "removed remote {}", visible(&name))?;
            out.finish()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
