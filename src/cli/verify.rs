//! `redliner verify`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use redliner::render::escape::visible;
use redliner::store::Store;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> CmdResult {
    let store = Store::open(&ctx.store_path()?)?;
    let report = store.verify()?;
    let mut out = Output::plain();
    for p in &report.problems {
        let mut at = p.doc.clone();
        if let Some(r) = p.rev {
            at.push_str(&format!("@{r}"));
        }
        if let Some(c) = &p.commit {
            at.push_str(&format!(" (commit {})", c.get(..12).unwrap_or(c)));
        }
        writeln!(
            out.writer(),
            "problem: {}: {}",
            visible(&at),
            visible(&p.what)
        )?;
    }
    let summary = format!(
        "verified {} documents, {} revisions, {} objects",
        report.documents, report.revisions, report.objects
    );
    if report.problems.is_empty() {
        writeln!(out.writer(), "{summary}: no problems")?;
        out.finish()?;
        Ok(ExitCode::SUCCESS)
    } else {
        out.finish()?;
        eprintln!(
            "redliner: {summary}: {} problem{} (listed above); other documents read normally",
            report.problems.len(),
            if report.problems.len() == 1 { "" } else { "s" }
        );
        Ok(ExitCode::from(super::EXIT_ERROR))
    }
}
