//! Renders diffs and histories. The layout (`layout`) decides once what a
//! diff shows; each painter only paints it (or, for JSON, the diff's data)
//! to any `io::Write`. None of them decides on colour or reads the
//! environment.

pub mod blame;
mod blocks;
mod churn;
pub mod escape;
pub mod history;
pub mod html;
pub mod human;
pub mod json;
pub mod layout;
mod pieces;
pub mod plain;
pub(crate) mod renumber;
pub mod search;
pub mod site;
pub mod terminal;

pub use layout::Context;

use crate::diff::{Diff, Filter, Trivial};
use crate::model::CaptureTime;
use serde::Serialize;
use std::io::{self, Write};

/// Output format of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Coloured for a terminal.
    Color,
    /// `[-removed-]{+added+}` markers.
    Plain,
    Json,
    /// A self-contained HTML page.
    Html,
}

/// Options for rendering a diff.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    pub format: Format,
    pub context: Context,
    pub stat_only: bool,
    /// What is shown: hidden kinds, wdiff's -1 and -2.
    pub filter: Filter,
    /// Only the changed lines, each shown whole, with fold lines between.
    pub changes_only: bool,
    /// Time zone for human-readable times.
    pub tz: jiff::tz::TimeZone,
    /// The document's language (a BCP 47 tag), when known (HTML).
    pub lang: Option<String>,
}

impl DiffOptions {
    /// Default options for a format.
    pub fn new(format: Format, tz: jiff::tz::TimeZone) -> DiffOptions {
        DiffOptions {
            format,
            context: Context::Paragraphs(2),
            stat_only: false,
            filter: Filter::default(),
            changes_only: false,
            tz,
            lang: None,
        }
    }
}

/// One side of a diff: a revision of a stored document, or a file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RevRef {
    pub doc: Option<String>,
    pub rev: Option<u64>,
    pub id: Option<String>,
    pub time: Option<CaptureTime>,
    #[serde(skip)]
    pub path: Option<String>,
    /// The earlier revision this one restores, named in the header.
    #[serde(skip)]
    pub restores: Option<u64>,
    /// Where the revision was captured from (shown in HTML).
    #[serde(skip)]
    pub source: Option<String>,
}

impl RevRef {
    /// `doc@3 (abc1234, 2023-11-12 14:00 +0000)` or the file name.
    pub fn label(&self, tz: &jiff::tz::TimeZone) -> String {
        if let (Some(doc), Some(rev)) = (&self.doc, self.rev) {
            let mut s = format!("{doc}@{rev}");
            let short = self.id.as_deref().map(|i| i.get(..7).unwrap_or(i));
            match (short, &self.time) {
                (Some(id), Some(t)) => s.push_str(&format!(" ({id}, {})", t.human(tz))),
                (Some(id), None) => s.push_str(&format!(" ({id})")),
                _ => {}
            }
            if let Some(n) = self.restores {
                s.push_str(&format!(", restores @{n}"));
            }
            escape::visible(&s)
        } else {
            escape::visible(self.path.as_deref().unwrap_or("-"))
        }
    }
}

/// What a trivial change is called in human output and JSON.
pub fn trivial_name(t: Trivial) -> &'static str {
    match t {
        Trivial::LineEndings => "line endings",
        Trivial::ByteOrderMark => "byte-order mark",
        Trivial::UnicodeNormalization => "Unicode normalization (NFC/NFD)",
    }
}

/// Renders a diff in the chosen format.
pub fn render_diff(
    w: &mut dyn Write,
    diff: &Diff,
    old: &RevRef,
    new: &RevRef,
    opts: &DiffOptions,
) -> io::Result<()> {
    match opts.format {
        Format::Json => json::diff(w, diff, old, new, opts),
        Format::Html => html::diff(w, diff, old, new, opts, &html::DiffPage::default()),
        Format::Plain => human::paint(w, diff, old, new, opts, &plain::Plain),
        Format::Color => human::paint(w, diff, old, new, opts, &terminal::Terminal::new()),
    }
}

/// The summary lines of `--stat`: word counts, changes by kind, and wdiff's
/// statistics for each side.
pub fn stat_lines(diff: &Diff) -> Vec<String> {
    let s = diff.stats;
    let unchanged = s.words_unchanged.unwrap_or(0);
    let mut first = format!(
        "{} added, {} removed, {} unchanged",
        plural(s.words_added, "word"),
        plural(s.words_removed, "word"),
        plural(unchanged, "word")
    );
    if s.words_moved > 0 {
        first.push_str(&format!(" ({} moved)", s.words_moved));
    }
    let mut lines = vec![first];
    let counts = &diff.changes;
    if !counts.is_empty() {
        let parts: Vec<String> = counts
            .iter()
            .map(|(k, n)| format!("{} {n}", k.name()))
            .collect();
        lines.push(format!("changes by kind: {}", parts.join(", ")));
    }
    let w = diff.wdiff;
    // wdiff's two lines: common, then wholly removed (or added), then
    // changed words, each with its share of that side's words.
    let side = |name: &str, total: u64, only: (&str, u64), changed: u64| {
        let pct = |n: u64| (n * 100).checked_div(total).unwrap_or(0);
        let u = unchanged;
        format!(
            "{name}: {total} words  {u} {}% common  {} {}% {}  {changed} {}% changed",
            pct(u),
            only.1,
            pct(only.1),
            only.0,
            pct(changed)
        )
    };
    lines.push(side(
        "old",
        unchanged + s.words_removed,
        ("deleted", w.deleted),
        w.changed_old,
    ));
    lines.push(side(
        "new",
        unchanged + s.words_added,
        ("inserted", w.inserted),
        w.changed_new,
    ));
    lines
}

/// `1 word`, `2 words`.
pub fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}
