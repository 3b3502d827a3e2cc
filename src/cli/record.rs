//! `redliner record DOC [FILE|-]`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use redliner::input::{read_source, InputRules};
use redliner::model::{CaptureTime, DocId};
use redliner::record::{record, RecordOutcome, RecordRequest};
use redliner::render::escape::visible;
use redliner::store::Store;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Document id (lowercase letters, digits, '-', '_', '.')
    doc: String,
    /// File to record; `-` or nothing reads standard input
    #[arg(default_value = "-")]
    file: String,
    /// Message describing this revision
    #[arg(short, long)]
    message: Option<String>,
    /// Where the text came from (a URL, a description)
    #[arg(long)]
    source: Option<String>,
    /// Capture time in RFC 3339 (for importing past versions); default now
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// The date the source claims for this text (RFC 3339), kept apart from the capture time
    #[arg(long, value_name = "TIME")]
    published: Option<String>,
    /// Record an empty text instead of refusing it
    #[arg(long)]
    allow_empty: bool,
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let doc = DocId::parse(&args.doc)?;
    let published = args
        .published
        .as_deref()
        .map(CaptureTime::parse_rfc3339)
        .transpose()?;
    let time = match &args.at {
        Some(t) => CaptureTime::parse_rfc3339(t)?,
        None => now(),
    };
    let rules = InputRules {
        allow_empty: args.allow_empty,
        ..InputRules::default()
    };
    let text = read_source(&args.file, rules)?;
    let store = Store::open_or_create(&ctx.store_path()?)?;
    let req = RecordRequest {
        doc: &doc,
        text: &text,
        published,
        time,
        message: args.message,
        source: args.source,
    };
    let report = record(&store, &req)?;
    if let Some((path, age)) = &report.removed_stale_lock {
        eprintln!(
            "redliner: removed a stale lock left by a process that died: {} ({} s old)",
            visible(&path.display().to_string()),
            age.as_secs()
        );
    }
    let mut out = Output::plain();
    match report.outcome {
        RecordOutcome::Recorded(r) => writeln!(
            out.writer(),
            "recorded {}@{} ({}): +{} -{} words",
            doc,
            r.rev,
            r.short_id(),
            r.added,
            r.removed
        ),
        RecordOutcome::Unchanged(r) => writeln!(
            out.writer(),
            "unchanged: {}@{}",
            visible(doc.as_str()),
            r.rev
        ),
    }?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn now() -> CaptureTime {
    let z = jiff::Zoned::now();
    CaptureTime {
        unix: z.timestamp().as_second(),
        offset_minutes: z.offset().seconds() / 60,
    }
}
