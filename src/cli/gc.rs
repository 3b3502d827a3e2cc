//! `redliner gc`: packs the store through git; and the automatic packing
//! that commands which record run after answering.

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use redliner::render::escape::visible;
use redliner::store::{PackKind, Store, DEFAULT_AUTO_PACK};

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> CmdResult {
    let store = Store::open(&ctx.store_path()?)?;
    let before = store.objects();
    store.pack_waiting(PackKind::Full, std::time::Duration::from_secs(120))?;
    let after = store.objects();
    let mut out = Output::plain();
    writeln!(
        out.writer(),
        "packed: {} loose objects and {} packs before, {} loose objects and {} packs after",
        before.loose,
        before.packs,
        after.loose,
        after.packs
    )?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// The loose-object threshold: `REDLINER_GC_AUTO` (0 turns automatic
/// packing off), else [`DEFAULT_AUTO_PACK`].
fn threshold() -> u64 {
    match std::env::var("REDLINER_GC_AUTO") {
        Ok(v) if !v.trim().is_empty() => v.trim().parse().unwrap_or_else(|_| {
            eprintln!(
                "redliner: warning: REDLINER_GC_AUTO={} is not a number of objects; using {DEFAULT_AUTO_PACK}",
                visible(&v)
            );
            DEFAULT_AUTO_PACK
        }),
        _ => DEFAULT_AUTO_PACK,
    }
}

/// Packs the store past the threshold of loose objects. Called after a
/// command has printed its answer; a failure is a warning, since what was
/// recorded is recorded.
pub fn auto_pack(store: &Store) {
    if let Err(e) = store.auto_pack(threshold()) {
        eprintln!("redliner: warning: {}", visible(&e.to_string()));
    }
}
