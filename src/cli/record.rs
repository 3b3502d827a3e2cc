//! `redliner record DOC [FILE|URL|-]`

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use clap::ValueEnum;
use redliner::capture::{self, Capture, CaptureError, Format};
use redliner::input::{read_bytes, read_source, InputRules, MAX_BYTES};
use redliner::model::{CaptureTime, DocId};
use redliner::record::{record, CaptureRecord, RecordOutcome, RecordRequest};
use redliner::render::escape::visible;
use redliner::store::Store;
use redliner::Error;
use std::time::Duration;

/// How to read FILE.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum As {
    /// A saved web page: its readable text is recorded, the page kept beside it
    Html,
    /// A PDF: its text (through pdftotext) is recorded, the PDF kept beside it
    Pdf,
    /// Plain UTF-8 text, recorded byte for byte
    Text,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Document id (lowercase letters, digits, '-', '_', '.')
    doc: String,
    /// File to record, an http(s) URL to fetch, or `-` (the default) for standard input
    #[arg(default_value = "-", value_name = "FILE|URL")]
    file: String,
    /// How to read FILE (default: .html/.htm/.xhtml as html, .pdf as pdf, else text)
    #[arg(long = "as", value_enum, value_name = "FORMAT")]
    format: Option<As>,
    #[command(flatten)]
    sel: Selection,
    #[command(flatten)]
    net: Fetching,
    /// Record a capture even when its text lost more than 80 % of the words
    #[arg(long)]
    force: bool,
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

/// What of a page is recorded: `--select`, `--remove`, `--lang`.
#[derive(clap::Args, Debug)]
pub(super) struct Selection {
    /// Record only what this CSS selector matches (repeatable); default: the readable article
    #[arg(long, value_name = "CSS")]
    pub select: Vec<String>,
    /// Remove what this CSS selector matches before extracting (repeatable)
    #[arg(long, value_name = "CSS")]
    pub remove: Vec<String>,
    /// Accept-Language sent with each request
    #[arg(long, default_value = "en", value_name = "TAG")]
    pub lang: String,
}

/// How a URL is fetched: `--allow-private`, `--timeout`.
#[derive(clap::Args, Debug)]
pub(super) struct Fetching {
    /// Let a URL resolve to loopback, private, link-local or other non-public addresses
    #[arg(long, env = "REDLINER_ALLOW_PRIVATE", value_parser = clap::builder::FalseyValueParser::new())]
    pub allow_private: bool,
    /// Time limit for each fetch, body included, in seconds
    #[arg(long, default_value_t = 60, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

impl Fetching {
    /// Capture options for `sel`, checked (selectors, language) before any
    /// fetch.
    pub(super) fn options(&self, sel: &Selection) -> Result<capture::Options, CaptureError> {
        capture::Options::new(
            &sel.select,
            &sel.remove,
            &sel.lang,
            self.allow_private,
            Duration::from_secs(self.timeout),
        )
    }
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
        None => super::env::now(),
    };
    let format = if capture::is_url(&args.file) {
        None
    } else {
        match args.format {
            Some(As::Html) => Some(Format::Html),
            Some(As::Pdf) => Some(Format::Pdf),
            Some(As::Text) => None,
            None => Format::of_path(&args.file),
        }
    };
    let captured = if capture::is_url(&args.file) {
        if args.source.is_some() {
            return Err(Error::SourceWithUrl);
        }
        let opts = args.net.options(&args.sel)?;
        Some(capture::capture_url(&args.file, &opts)?)
    } else if let Some(format) = format {
        let opts = args.net.options(&args.sel)?;
        let bytes = read_bytes(&args.file, MAX_BYTES)?;
        Some(capture::capture_bytes(
            &args.file, bytes, format, None, &opts,
        )?)
    } else {
        if !args.sel.select.is_empty() || !args.sel.remove.is_empty() {
            return Err(Error::SelectorsOnText);
        }
        None
    };
    let text = match &captured {
        Some(c) => c.text.clone(),
        None => {
            let rules = InputRules {
                allow_empty: args.allow_empty,
                ..InputRules::default()
            };
            read_source(&args.file, rules)?
        }
    };
    let store = Store::open_or_create(&ctx.store_path()?)?;
    let source = match &captured {
        Some(_) if capture::is_url(&args.file) => Some(args.file.clone()),
        _ => args.source.clone(),
    };
    let req = RecordRequest {
        doc: &doc,
        text: &text,
        // --published wins over the date the page's metadata states.
        published: published.or(captured.as_ref().and_then(|c| c.published)),
        time,
        message: args.message.clone(),
        source,
        capture: captured
            .as_ref()
            .map(|c| capture_record(c, &args.sel.select, &args.sel.remove, args.force)),
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
    let recorded = matches!(report.outcome, RecordOutcome::Recorded(_));
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
    // After the answer is out, so packing never delays it.
    if recorded {
        super::gc::auto_pack(&store);
    }
    Ok(ExitCode::SUCCESS)
}

/// What of a capture is recorded with its text.
pub(super) fn capture_record<'a>(
    c: &'a Capture,
    select: &[String],
    remove: &[String],
    force: bool,
) -> CaptureRecord<'a> {
    CaptureRecord {
        raw: &c.raw,
        raw_ext: c.format.raw_ext(),
        final_url: c.final_url.clone(),
        content_type: c.content_type.clone(),
        extractor: c.extractor.clone(),
        select: select.to_vec(),
        remove: remove.to_vec(),
        refuse_shrink: !force,
        technical: None,
    }
}
