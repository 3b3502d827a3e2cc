//! `redliner reextract DOC`: the latest kept raw capture through today's
//! extractor and selectors; a different text is recorded as a technical
//! revision.

use super::env::{now, Context};
use super::output::Output;
use super::record::capture_record;
use super::CmdResult;
use super::ExitCode;
use redliner::capture::{self, Format};
use redliner::model::DocId;
use redliner::record::{record, RecordOutcome, RecordRequest};
use redliner::store::{raw_name, Store, StoreError};
use redliner::Error;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Document id
    doc: String,
    /// Record the new text even when it lost more than 80 % of the words
    #[arg(long)]
    force: bool,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let doc = DocId::parse(&args.doc)?;
    let store = Store::open(&ctx.store_path()?)?;
    let latest = store
        .latest(&doc)?
        .ok_or_else(|| StoreError::UnknownDocument {
            doc: doc.to_string(),
        })?;
    let no_raw = || Error::NoRawCapture {
        doc: doc.to_string(),
        rev: latest.rev,
    };
    let (name, raw) = store.read_raw(&doc, &latest)?.ok_or_else(no_raw)?;
    let format = name
        .strip_prefix(&raw_name(&doc, ""))
        .and_then(Format::of_raw_ext)
        .ok_or_else(no_raw)?;
    let t = store.revision_trailers(&doc, &latest)?;
    // Today's selectors: the watch list's when the document is watched,
    // else those the capture was made with.
    let watched = store
        .watch_list()?
        .into_iter()
        .find(|e| e.doc == doc.as_str());
    let (select, remove) = match watched {
        Some(e) => (e.select, e.remove),
        None => (t.select.clone(), t.remove.clone()),
    };
    let opts = capture::Options::new(&select, &remove, "en", false, capture::DEFAULT_TIMEOUT)?;
    let shown = format!("{doc}@{} ({name})", latest.rev);
    let mut c = capture::capture_bytes(&shown, raw, format, t.content_type.as_deref(), &opts)?;
    c.final_url = t.final_url.clone();
    let mut kept = capture_record(&c, &select, &remove, args.force);
    kept.technical = Some("reextract".to_string());
    let req = RecordRequest {
        doc: &doc,
        text: &c.text,
        // The same capture, read again: the date the source claims stays.
        published: latest.published.or(c.published),
        time: now(),
        message: Some(format!(
            "Re-extract {doc}@{} with {}",
            latest.rev, c.extractor
        )),
        source: t.source.clone(),
        capture: Some(kept),
    };
    let report = record(&store, &req)?;
    let mut out = Output::plain();
    match report.outcome {
        RecordOutcome::Recorded(r) => writeln!(
            out.writer(),
            "recorded {doc}@{} ({}): +{} -{} words (technical: re-extracted from @{})",
            r.rev,
            r.short_id(),
            r.added,
            r.removed,
            latest.rev
        ),
        RecordOutcome::Unchanged(r) => writeln!(
            out.writer(),
            "unchanged: {doc}@{} (re-extraction gives the same text)",
            r.rev
        ),
    }?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
