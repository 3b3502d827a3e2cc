//! `redliner export DIR [DOC...]`: the store as a static site.

use super::env::Context;
use super::CmdResult;
use super::ExitCode;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use redliner::model::DocId;
use redliner::store::Store;
use std::io::IsTerminal;
use std::path::PathBuf;

pub use redliner::export::write_atomic;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The site's folder (created if needed); pages whose inputs did not
    /// change since the last export into it are left as they are
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Only these documents (default: every document)
    #[arg(value_name = "DOC")]
    docs: Vec<String>,
    /// Print every file written or removed
    #[arg(short, long)]
    verbose: bool,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let store = Store::open(&ctx.store_path()?)?;
    let docs = args
        .docs
        .iter()
        .map(|d| DocId::parse(d))
        .collect::<Result<Vec<_>, _>>()?;
    for doc in &docs {
        if store.tip_id(doc)?.is_none() {
            return Err(redliner::store::StoreError::UnknownDocument {
                doc: doc.to_string(),
            }
            .into());
        }
    }
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("exporting {pos}/{len} {wide_bar}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let report = redliner::export::export(&store, &args.dir, &docs, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let report = report?;
    if args.verbose {
        for p in &report.written {
            eprintln!("wrote {}", redliner::render::escape::visible(p));
        }
        for p in &report.removed {
            eprintln!("removed {}", redliner::render::escape::visible(p));
        }
    }
    let dir = redliner::render::escape::visible(&args.dir.display().to_string());
    eprintln!(
        "exported {} to {dir}: {} written, {} unchanged, {} removed; open {dir}/index.html",
        redliner::render::plural(report.documents as u64, "document"),
        redliner::render::plural(report.written.len() as u64, "file"),
        report.unchanged,
        report.removed.len(),
    );
    Ok(ExitCode::SUCCESS)
}
