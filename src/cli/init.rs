//! `redliner init [DIR]`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use redliner::render::escape::visible;
use redliner::store::{Store, StoreError};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where to create the store (default: --store, REDLINER_STORE, or the default location)
    dir: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let path = match args.dir {
        Some(d) => d,
        None => ctx.store_path()?,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let store = Store::init(&path)?;
    let mut out = Output::plain();
    writeln!(
        out.writer(),
        "initialized empty redliner store in {}",
        visible(&store.path().display().to_string())
    )?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
