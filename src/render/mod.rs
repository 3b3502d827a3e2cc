//! Renders diffs and histories. Every renderer writes to any `io::Write`;
//! none of them decides on colour or reads the environment.

pub mod escape;
pub mod history;
pub mod json;
pub mod plain;
pub mod terminal;

use crate::diff::{is_blank, Diff, OpKind};
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
}

/// How much unchanged text to show around changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    All,
    Paragraphs(usize),
}

/// Options for rendering a diff.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    pub format: Format,
    pub context: Context,
    pub stat_only: bool,
    /// Time zone for human-readable times.
    pub tz: jiff::tz::TimeZone,
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
            escape::visible(&s)
        } else {
            escape::visible(self.path.as_deref().unwrap_or("-"))
        }
    }
}

/// How a human-readable renderer marks things. Implemented by the plain and
/// the terminal renderers; the layout logic is shared.
pub(crate) trait Style {
    fn equal(&self, out: &mut String, s: &str);
    fn delete(&self, out: &mut String, s: &str);
    fn insert(&self, out: &mut String, s: &str);
    /// A line of redliner's own (headers, folds, notes); no newline.
    fn note(&self, out: &mut String, s: &str);
    fn header(&self, out: &mut String, s: &str);
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
        Format::Json => json::diff(w, diff, old, new, opts.stat_only),
        Format::Plain => human(w, diff, old, new, opts, &plain::Plain),
        Format::Color => human(w, diff, old, new, opts, &terminal::Terminal),
    }
}

/// The summary line of `--stat`.
pub fn stat_line(diff: &Diff) -> String {
    let s = diff.stats();
    let mut line = format!(
        "{} added, {} removed, {} unchanged",
        plural(s.words_added, "word"),
        plural(s.words_removed, "word"),
        plural(s.words_unchanged, "word")
    );
    if diff.has_changes() && !diff.has_word_changes() {
        line.push_str(" (only whitespace or line breaks changed)");
    }
    line
}

/// `1 word`, `2 words`.
pub fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

fn human(
    w: &mut dyn Write,
    diff: &Diff,
    old: &RevRef,
    new: &RevRef,
    opts: &DiffOptions,
    style: &dyn Style,
) -> io::Result<()> {
    let mut out = String::new();
    style.header(&mut out, &format!("--- {}", old.label(&opts.tz)));
    out.push('\n');
    style.header(&mut out, &format!("+++ {}", new.label(&opts.tz)));
    out.push('\n');
    if opts.stat_only {
        style.note(&mut out, &stat_line(diff));
        out.push('\n');
        return w.write_all(out.as_bytes());
    }
    if !diff.has_changes() {
        style.note(&mut out, "no differences");
        out.push('\n');
        return w.write_all(out.as_bytes());
    }
    if !diff.has_word_changes() {
        style.note(
            &mut out,
            "only whitespace or line breaks changed; no words changed",
        );
        out.push('\n');
        return w.write_all(out.as_bytes());
    }
    if diff.coarse {
        style.note(&mut out, "note: some passages changed too much to align word by word; they are shown as whole replacements");
        out.push('\n');
    }
    let ends_with_newline = body(&mut out, w, diff, opts.context, style)?;
    if !ends_with_newline {
        w.write_all(b"\n")?;
    }
    Ok(())
}

type Piece<'a> = (OpKind, &'a str);

/// Lays out the diff body: paragraphs with changes, with `context`
/// unchanged paragraphs around them, and a fold line for the rest.
/// Output is built in a small buffer and flushed as it grows, so a long
/// document is never held twice in memory.
const FLUSH_AT: usize = 64 * 1024;

struct Sink<'w> {
    buf: String,
    w: &'w mut dyn Write,
    /// Whether what was already written ended with a line feed.
    written_nl: bool,
}

impl Sink<'_> {
    fn maybe_flush(&mut self) -> io::Result<()> {
        if self.buf.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.written_nl = self.buf.ends_with('\n');
            self.w.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }
    fn at_line_start(&self) -> bool {
        if self.buf.is_empty() {
            self.written_nl
        } else {
            self.buf.ends_with('\n')
        }
    }
}

/// Writes the body (after what `out` already holds); returns whether it
/// ended with a line feed.
fn body(
    out: &mut String,
    w: &mut dyn Write,
    diff: &Diff,
    context: Context,
    style: &dyn Style,
) -> io::Result<bool> {
    let mut sink = Sink {
        buf: std::mem::take(out),
        w,
        written_nl: true,
    };
    if context == Context::All {
        for op in &diff.ops {
            piece(&mut sink.buf, op.kind, diff.text(op), style);
            sink.maybe_flush()?;
        }
        sink.flush()?;
        return Ok(sink.written_nl);
    }
    let blank_mode = has_blank_line(diff.old) || has_blank_line(diff.new);
    let blocks = blocks(diff, blank_mode);
    let changed: Vec<bool> = blocks
        .iter()
        .map(|b| b.iter().any(|(k, t)| *k != OpKind::Equal && !is_blank(t)))
        .collect();
    let n = blocks.len();
    let mut show = vec![false; n];
    if let Context::Paragraphs(c) = context {
        for (i, _) in changed.iter().enumerate().filter(|(_, &c)| c) {
            for s in show
                .iter_mut()
                .take((i + c + 1).min(n))
                .skip(i.saturating_sub(c))
            {
                *s = true;
            }
        }
    }
    let unit = if blank_mode { "paragraph" } else { "line" };
    let mut i = 0;
    while i < n {
        if show[i] {
            for (kind, text) in &blocks[i] {
                piece(&mut sink.buf, *kind, text, style);
            }
            sink.maybe_flush()?;
            i += 1;
        } else {
            let start = i;
            while i < n && !show[i] {
                i += 1;
            }
            let k = i - start;
            let plural = if k == 1 { "" } else { "s" };
            if !sink.at_line_start() {
                sink.buf.push('\n');
            }
            style.note(
                &mut sink.buf,
                &format!("[... {k} unchanged {unit}{plural} ...]"),
            );
            sink.buf
                .push_str(if blank_mode && i < n { "\n\n" } else { "\n" });
        }
    }
    sink.flush()?;
    Ok(sink.written_nl)
}

fn piece(out: &mut String, kind: OpKind, text: &str, style: &dyn Style) {
    match kind {
        OpKind::Equal => style.equal(out, text),
        // Old whitespace that changed is not shown; new whitespace is.
        OpKind::Delete if is_blank(text) => {}
        OpKind::Insert if is_blank(text) => style.equal(out, text),
        OpKind::Delete | OpKind::Insert => {
            let core = text.trim_start();
            let lead = &text[..text.len() - core.len()];
            let core = core.trim_end();
            let trail = &text[lead.len() + core.len()..];
            style.equal(out, lead);
            if kind == OpKind::Delete {
                style.delete(out, core);
            } else {
                style.insert(out, core);
            }
            style.equal(out, trail);
        }
    }
}

/// Splits the ops into paragraphs (or lines, for a text without blank
/// lines), cutting only inside unchanged text.
fn blocks<'a>(diff: &Diff<'a>, blank_mode: bool) -> Vec<Vec<Piece<'a>>> {
    let need = if blank_mode { 2 } else { 1 };
    let mut blocks: Vec<Vec<Piece<'a>>> = Vec::new();
    let mut current: Vec<Piece<'a>> = Vec::new();
    let last = diff.ops.len().saturating_sub(1);
    for (k, op) in diff.ops.iter().enumerate() {
        let text = diff.text(op);
        if op.kind != OpKind::Equal {
            current.push((op.kind, text));
            continue;
        }
        let mut start = 0;
        for cut in separator_ends(text, need, k < last) {
            current.push((OpKind::Equal, &text[start..cut]));
            blocks.push(std::mem::take(&mut current));
            start = cut;
        }
        if start < text.len() {
            current.push((OpKind::Equal, &text[start..]));
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Byte offsets just after the last line feed of each whitespace run holding
/// at least `need` line feeds, so that a paragraph's indentation stays with
/// it (a run reaching the end of `text` counts only if `end_counts`).
fn separator_ends(text: &str, need: usize, end_counts: bool) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut cuts = Vec::new();
    let mut run_newlines = 0;
    let mut last_newline_end = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (is_ws, len) = if b < 0x80 {
            (matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
            (c.is_whitespace(), c.len_utf8())
        };
        if is_ws {
            if b == b'\n' {
                run_newlines += 1;
                last_newline_end = i + 1;
            }
        } else if run_newlines > 0 {
            if run_newlines >= need {
                cuts.push(last_newline_end);
            }
            run_newlines = 0;
        }
        i += len;
    }
    if end_counts && run_newlines >= need {
        cuts.push(last_newline_end);
    }
    cuts
}

/// Whether `s` has a line holding only whitespace between two others.
fn has_blank_line(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut prev_newline: Option<usize> = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            if let Some(p) = prev_newline {
                if p > 0 && s[p + 1..i].chars().all(char::is_whitespace) {
                    // Blank, and some text follows it.
                    if !s[i + 1..].chars().all(char::is_whitespace) {
                        return true;
                    }
                }
            }
            prev_newline = Some(i);
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_found_inside_text_only() {
        assert_eq!(separator_ends("a\n\nb\n\n", 2, false), vec![3]);
        assert_eq!(separator_ends("a\n\nb\n\n", 2, true), vec![3, 6]);
        assert_eq!(separator_ends("a\n\n  b", 2, false), vec![3]);
        assert_eq!(separator_ends("a\nb\r\nc", 1, false), vec![2, 5]);
        assert!(has_blank_line("a\n \nb"));
        assert!(!has_blank_line("a\nb\n\n"));
    }
}
