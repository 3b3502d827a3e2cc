//! Renders diffs and histories. Every renderer writes to any `io::Write`;
//! none of them decides on colour or reads the environment.

pub mod escape;
pub mod history;
pub mod json;
pub mod plain;
pub mod terminal;

use crate::diff::kinds::Kind;
use crate::diff::{is_blank, Diff, Op, OpKind, Unit};
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
    /// Kinds of change not shown (the new text stands in their place).
    pub hide: Vec<Kind>,
    /// wdiff's -1 and -2: leave out deleted or inserted text.
    pub show_deleted: bool,
    pub show_inserted: bool,
    /// Only the changed lines, each shown whole, with fold lines between.
    pub changes_only: bool,
    /// Time zone for human-readable times.
    pub tz: jiff::tz::TimeZone,
}

impl DiffOptions {
    /// Default options for a format.
    pub fn new(format: Format, tz: jiff::tz::TimeZone) -> DiffOptions {
        DiffOptions {
            format,
            context: Context::Paragraphs(2),
            stat_only: false,
            hide: Vec::new(),
            show_deleted: true,
            show_inserted: true,
            changes_only: false,
            tz,
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
    /// A removed (`deleted`) or added passage, written as an opening, its
    /// text in one or more parts, and a closing, so that a long passage
    /// can be flushed part by part.
    fn open(&self, out: &mut String, deleted: bool);
    fn part(&self, out: &mut String, deleted: bool, s: &str);
    fn close(&self, out: &mut String, deleted: bool);
    fn delete(&self, out: &mut String, s: &str) {
        self.open(out, true);
        self.part(out, true, s);
        self.close(out, true);
    }
    fn insert(&self, out: &mut String, s: &str) {
        self.open(out, false);
        self.part(out, false, s);
        self.close(out, false);
    }
    /// A line of redliner's own (headers, folds, notes); no newline.
    fn note(&self, out: &mut String, s: &str);
    fn header(&self, out: &mut String, s: &str);
    /// A move marker: redliner's own `before` and `after`, around document
    /// text (escaped).
    fn moved(&self, out: &mut String, before: &str, text: &str, after: &str);
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
        Format::Plain => human(w, diff, old, new, opts, &plain::Plain),
        Format::Color => human(w, diff, old, new, opts, &terminal::Terminal),
    }
}

/// The summary lines of `--stat`: word counts, changes by kind, and wdiff's
/// statistics for each side.
pub fn stat_lines(diff: &Diff, units: &[Unit]) -> Vec<String> {
    let s = diff.stats();
    let mut first = format!(
        "{} added, {} removed, {} unchanged",
        plural(s.words_added, "word"),
        plural(s.words_removed, "word"),
        plural(s.words_unchanged, "word")
    );
    if s.words_moved > 0 {
        first.push_str(&format!(" ({} moved)", s.words_moved));
    }
    let mut lines = vec![first];
    let counts = kind_counts(diff, units);
    if !counts.is_empty() {
        let parts: Vec<String> = counts
            .iter()
            .map(|(k, n)| format!("{} {n}", k.name()))
            .collect();
        lines.push(format!("changes by kind: {}", parts.join(", ")));
    }
    let w = wdiff_counts(diff, units);
    // wdiff's two lines: common, then wholly removed (or added), then
    // changed words, each with its share of that side's words.
    let side = |name: &str, total: u64, only: (&str, u64), changed: u64| {
        let pct = |n: u64| (n * 100).checked_div(total).unwrap_or(0);
        let u = s.words_unchanged;
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
        s.words_unchanged + s.words_removed,
        ("deleted", w.deleted),
        w.changed_old,
    ));
    lines.push(side(
        "new",
        s.words_unchanged + s.words_added,
        ("inserted", w.inserted),
        w.changed_new,
    ));
    lines
}

/// Changes per kind, most frequent kinds first; a move counts once.
pub fn kind_counts(diff: &Diff, units: &[Unit]) -> Vec<(Kind, u64)> {
    let mut counts: Vec<(Kind, u64)> = Kind::ALL
        .iter()
        .map(|&k| {
            let of_kind = units.iter().filter(|u| u.kind == k);
            // A move is two units, its old and its new place (with the
            // whitespace that went with it): counted once.
            let n = if k == Kind::Moved {
                of_kind
                    .filter(|u| diff.move_of(u.ops.start).is_some())
                    .count() as u64
                    / 2
            } else {
                of_kind.count() as u64
            };
            (k, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}

#[derive(Default)]
struct WdiffCounts {
    deleted: u64,
    inserted: u64,
    changed_old: u64,
    changed_new: u64,
}

/// Words in pure deletions, pure insertions, and replacements, as wdiff
/// counts them.
fn wdiff_counts(diff: &Diff, units: &[Unit]) -> WdiffCounts {
    let mut w = WdiffCounts::default();
    for u in units.iter().filter(|u| u.kind != Kind::Moved) {
        let (mut o, mut n) = (0, 0);
        for op in &diff.ops[u.ops.clone()] {
            let words = crate::diff::tokenize::count_words(diff.text(op));
            match op.kind {
                OpKind::Delete => o += words,
                OpKind::Insert => n += words,
                OpKind::Equal => {}
            }
        }
        match (o, n) {
            (o, 0) => w.deleted += o,
            (0, n) => w.inserted += n,
            (o, n) => {
                w.changed_old += o;
                w.changed_new += n;
            }
        }
    }
    // A moved passage counts by the edits made inside it, as in the
    // first statistics line; its kept words are common.
    for m in &diff.moves {
        let inner = wdiff_counts(&m.inner, m.inner.units());
        w.deleted += inner.deleted;
        w.inserted += inner.inserted;
        w.changed_old += inner.changed_old;
        w.changed_new += inner.changed_new;
    }
    w
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
    let units = diff.units();
    let note = |out: &mut String, s: &str| {
        style.note(out, s);
        out.push('\n');
    };
    if opts.stat_only {
        for line in stat_lines(diff, units) {
            note(&mut out, &line);
        }
        return w.write_all(out.as_bytes());
    }
    if !diff.has_changes() {
        note(&mut out, "no differences");
        return w.write_all(out.as_bytes());
    }
    if let Some(what) = diff.trivial() {
        note(
            &mut out,
            &format!("only {} changed; no words changed", what.join(" and ")),
        );
        return w.write_all(out.as_bytes());
    }
    let pieces = pieces(diff, units, opts);
    if !pieces
        .iter()
        .any(|(k, t)| k.is_change() && !(*k == Shown::Same && is_blank(t)))
    {
        let hidden: Vec<String> = kind_counts(diff, units)
            .into_iter()
            .filter(|(k, _)| opts.hide.contains(k))
            .map(|(k, n)| format!("{} {n}", k.name()))
            .collect();
        if hidden.is_empty() {
            note(
                &mut out,
                "only whitespace or line breaks changed; no words changed",
            );
        } else {
            note(
                &mut out,
                &format!("no changes shown; hidden: {}", hidden.join(", ")),
            );
        }
        return w.write_all(out.as_bytes());
    }
    if diff.coarse {
        note(&mut out, "note: some passages changed too much to align word by word; they are shown as whole replacements");
    }
    let (context, line_mode) = if opts.changes_only {
        (Context::Paragraphs(0), true)
    } else {
        (opts.context, false)
    };
    let ends_with_newline = body(&mut out, w, diff, &pieces, context, line_mode, style)?;
    if !ends_with_newline {
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// Whether any change unit is shown (not hidden): decides the exit code.
pub fn has_visible_changes(diff: &Diff, opts: &DiffOptions) -> bool {
    diff.units().iter().any(|u| !opts.hide.contains(&u.kind))
}

/// How a piece of the diff is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// Unchanged, or a hidden change shown as its new text.
    Same,
    Deleted,
    Inserted,
    /// Deleted (inserted) text with the space before it, which the other
    /// side lacks: `Cumbria[- and-]{+,+} Lancashire`. The space is inside
    /// the marker, so that each side reads right (not `Cumbriaand`, nor
    /// `Cumbria ,`).
    DeletedSpaced,
    InsertedSpaced,
    /// A paragraph break inserted or removed (a marker; no text).
    BreakAdded,
    BreakRemoved,
    /// Where a moved passage was; the text is its opening words.
    MovedFrom {
        id: usize,
        down: bool,
    },
    /// Where a moved passage is now (a marker; its text follows).
    MovedTo {
        id: usize,
        down: bool,
    },
}

impl Shown {
    fn is_change(self) -> bool {
        self != Shown::Same
    }
}

/// Decides how each op is shown: hidden kinds, wdiff's -1/-2, paragraph
/// breaks made visible.
fn pieces<'a>(diff: &Diff<'a>, units: &[Unit], opts: &DiffOptions) -> Vec<Piece<'a>> {
    let mut out = Vec::with_capacity(diff.ops.len());
    let mut next_unit = units.iter().peekable();
    let mut k = 0;
    while k < diff.ops.len() {
        let op = &diff.ops[k];
        if op.kind == OpKind::Equal {
            out.push((Shown::Same, diff.text(op)));
            k += 1;
            continue;
        }
        let Some(unit) = next_unit.next() else {
            break;
        };
        let ops = &diff.ops[unit.ops.clone()];
        let hidden = opts.hide.contains(&unit.kind);
        if let (Some(m), false) = (diff.move_of(k), hidden) {
            let text = diff.text(op);
            let core = text.trim();
            let lead = &text[..text.len() - text.trim_start().len()];
            let trail = &text[lead.len() + core.len()..];
            let down = m.to > m.from;
            if op.kind == OpKind::Delete {
                if opts.show_deleted {
                    out.push((Shown::Same, lead));
                    out.push((Shown::MovedFrom { id: m.id, down }, opening_words(core, 8)));
                    out.push((Shown::Same, trail));
                } else if !opts.show_inserted {
                    out.push((Shown::Same, text));
                }
            } else if opts.show_inserted {
                out.push((Shown::Same, lead));
                out.push((Shown::MovedTo { id: m.id, down }, ""));
                let inner = &m.inner.ops;
                let mut p = 0;
                while p < inner.len() {
                    let t = m.inner.text(&inner[p]);
                    if let Some(next) = inner.get(p + 1) {
                        let nt = m.inner.text(next);
                        if replaces(&inner[p], t, next, nt) {
                            replacement(&mut out, t, nt, true, true);
                            p += 2;
                            continue;
                        }
                    }
                    let shown = match inner[p].kind {
                        OpKind::Equal => Shown::Same,
                        OpKind::Delete if is_blank(t) => {
                            p += 1;
                            continue;
                        }
                        OpKind::Insert if is_blank(t) => Shown::Same,
                        OpKind::Delete => Shown::Deleted,
                        OpKind::Insert => Shown::Inserted,
                    };
                    out.push((shown, t));
                    p += 1;
                }
                out.push((Shown::Same, trail));
            }
            k = unit.ops.end;
            continue;
        }
        let side = |kind: OpKind| {
            ops.iter()
                .filter(move |o| o.kind == kind)
                .map(|o| diff.text(o))
        };
        let (was, now) = (
            paragraph_breaks(side(OpKind::Delete)),
            paragraph_breaks(side(OpKind::Insert)),
        );
        let both_sides = ops.iter().any(|o| o.kind == OpKind::Delete)
            && ops.iter().any(|o| o.kind == OpKind::Insert);
        let break_change = if hidden || was == now || !both_sides {
            None
        } else if was < now {
            Some(Shown::BreakAdded)
        } else {
            Some(Shown::BreakRemoved)
        };
        if let Some(b) = break_change {
            out.push((b, ""));
        }
        // A replacement is laid out as the new text is: its whitespace, the
        // removed words, the inserted words.
        if let [d, i] = ops {
            let (dt, it) = (diff.text(d), diff.text(i));
            if !hidden && replaces(d, dt, i, it) {
                replacement(&mut out, dt, it, opts.show_deleted, opts.show_inserted);
                k = unit.ops.end;
                continue;
            }
        }
        for op in ops {
            let text = diff.text(op);
            let blank = is_blank(text);
            let shown = match (op.kind, hidden, blank) {
                (OpKind::Delete, true, _) => None,
                (OpKind::Insert, true, _) => Some(Shown::Same),
                // Old whitespace that changed is not shown; new whitespace is
                // (with -2, the old layout is kept instead).
                // Beside the stub of a passage moved away, the old layout
                // keeps the stub on its own line.
                (OpKind::Delete, false, true) if beside_moved_from(diff, &unit.ops) => {
                    Some(Shown::Same)
                }
                (OpKind::Delete, false, true) => (!opts.show_inserted).then_some(Shown::Same),
                (OpKind::Insert, false, true) => opts.show_inserted.then_some(Shown::Same),
                (OpKind::Delete, false, false) => opts.show_deleted.then_some(Shown::Deleted),
                (OpKind::Insert, false, false) => opts.show_inserted.then_some(Shown::Inserted),
                (OpKind::Equal, ..) => Some(Shown::Same),
            };
            match shown {
                // Whitespace before changed words that holds a line break
                // is layout, shown as it is anywhere: a paragraph added after
                // the last one then starts a block of its own, and the
                // unchanged paragraph before it is only context.
                Some(shown @ (Shown::Inserted | Shown::Deleted)) => {
                    let core = text.trim_start();
                    let lead = &text[..text.len() - core.len()];
                    if lead.contains('\n') {
                        out.push((Shown::Same, lead));
                        out.push((shown, core));
                    } else {
                        out.push((shown, text));
                    }
                }
                Some(shown) => out.push((shown, text)),
                None => {}
            }
        }
        k = unit.ops.end;
    }
    out
}

/// Whether ops `d` and `i` (with texts `dt` and `it`) are a replacement of
/// words: a deletion then an insertion, neither only whitespace.
fn replaces(d: &Op, dt: &str, i: &Op, it: &str) -> bool {
    d.kind == OpKind::Delete && i.kind == OpKind::Insert && !is_blank(dt) && !is_blank(it)
}

/// A replacement, laid out as the new text is: its whitespace, the removed
/// words, the inserted words. A space before one side only is that side's,
/// inside its marker (`Cumbria[- and-]{+,+} Lancashire`); before both, it
/// is shared, and shown outside.
fn replacement<'a>(
    out: &mut Vec<Piece<'a>>,
    dt: &'a str,
    it: &'a str,
    show_deleted: bool,
    show_inserted: bool,
) {
    let (ds, is) = (dt.trim_end(), it.trim_end());
    let (dc, ic) = (ds.trim_start(), is.trim_start());
    let (dl, il) = (&ds[..ds.len() - dc.len()], &is[..is.len() - ic.len()]);
    let trail = &it[is.len()..];
    let own = |l: &str, other: &str| !l.is_empty() && other.is_empty() && !l.contains('\n');
    let (deleted, inserted) = if own(dl, il) {
        ((Shown::DeletedSpaced, ds), (Shown::Inserted, ic))
    } else if own(il, dl) {
        ((Shown::Deleted, dc), (Shown::InsertedSpaced, is))
    } else {
        out.push((Shown::Same, il));
        ((Shown::Deleted, dc), (Shown::Inserted, ic))
    };
    if show_deleted {
        out.push(deleted);
    }
    if show_inserted {
        out.push(inserted);
    }
    out.push((Shown::Same, trail));
}

type Piece<'a> = (Shown, &'a str);

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
    pieces: &[Piece],
    context: Context,
    line_mode: bool,
    style: &dyn Style,
) -> io::Result<bool> {
    let mut sink = Sink {
        buf: std::mem::take(out),
        w,
        written_nl: true,
    };
    if context == Context::All {
        for (shown, text) in pieces {
            piece(&mut sink, *shown, text, style)?;
        }
        sink.flush()?;
        return Ok(sink.written_nl);
    }
    let blank_mode = !line_mode && (has_blank_line(diff.old) || has_blank_line(diff.new));
    let blocks = blocks(pieces, blank_mode);
    let changed: Vec<bool> = (0..blocks.len())
        .map(|i| blocks.get(i).any(|(k, _)| k.is_change()))
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
            for (shown, text) in blocks.get(i) {
                piece(&mut sink, shown, text, style)?;
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

/// Whether the op just before or just after `ops` is the old place of a
/// moved passage.
fn beside_moved_from(diff: &Diff, ops: &std::ops::Range<usize>) -> bool {
    let is_from = |k: usize| diff.move_of(k).is_some_and(|m| m.from == k);
    (ops.start > 0 && is_from(ops.start - 1)) || is_from(ops.end)
}

/// The first `n` words of `s` (a prefix slice).
fn opening_words(s: &str, n: usize) -> &str {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == n {
                    return &s[..i];
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    s
}

/// Writes one piece, flushing as the buffer fills: a passage longer than
/// the flush size (a whole document deleted, say) is written in parts, cut
/// after line feeds where it can be, so it is never held twice in memory.
fn piece(sink: &mut Sink, shown: Shown, text: &str, style: &dyn Style) -> io::Result<()> {
    let out = &mut sink.buf;
    match shown {
        Shown::Same => {
            for part in parts(text) {
                style.equal(&mut sink.buf, part);
                sink.maybe_flush()?;
            }
            return Ok(());
        }
        Shown::MovedFrom { id, down } => {
            let arrow = if down {
                "\u{2193} below"
            } else {
                "\u{2191} above"
            };
            let more = if text.len() < 1000 && !text.ends_with('.') {
                "\u{2026}"
            } else {
                ""
            };
            style.moved(
                out,
                &format!("[moved #{id} {arrow}: "),
                text,
                &format!("{more}]"),
            );
        }
        Shown::MovedTo { id, down } => {
            let arrow = if down {
                "\u{2191} from above"
            } else {
                "\u{2193} from below"
            };
            style.moved(out, &format!("[#{id} moved here {arrow}]"), "", " ");
        }
        Shown::BreakAdded => style.insert(out, "\u{b6}"),
        Shown::BreakRemoved => style.delete(out, "\u{b6}"),
        Shown::Deleted | Shown::Inserted | Shown::DeletedSpaced | Shown::InsertedSpaced => {
            let core = if matches!(shown, Shown::DeletedSpaced | Shown::InsertedSpaced) {
                text
            } else {
                text.trim_start()
            };
            let lead = &text[..text.len() - core.len()];
            let core = core.trim_end();
            let trail = &text[lead.len() + core.len()..];
            let deleted = matches!(shown, Shown::Deleted | Shown::DeletedSpaced);
            style.equal(out, lead);
            // One marked passage a line: line breaks inside deleted or
            // inserted text are shown as they are, between markers, so that
            // `{+(revised)+}` ends the title line and a new paragraph is
            // marked on its own.
            let mut from = 0;
            let breaks = crate::diff::gaps(core).map(|g| (g.start, g.end));
            for (start, end) in breaks.chain(std::iter::once((core.len(), core.len()))) {
                // The whitespace before the line feed (a CR) goes with it.
                let start = from + core[from..start].trim_end().len();
                style.open(&mut sink.buf, deleted);
                for part in parts(&core[from..start]) {
                    style.part(&mut sink.buf, deleted, part);
                    sink.maybe_flush()?;
                }
                style.close(&mut sink.buf, deleted);
                style.equal(&mut sink.buf, &core[start..end]);
                from = end;
            }
            style.equal(&mut sink.buf, trail);
        }
    }
    sink.maybe_flush()
}

/// `s` in parts of at most about `FLUSH_AT` bytes, cut after a line feed
/// where there is one, else at a character boundary (never inside CRLF).
fn parts(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.len() <= FLUSH_AT {
            return Some(std::mem::take(&mut rest));
        }
        let bytes = rest.as_bytes();
        let mut cut = memchr::memrchr(b'\n', &bytes[..FLUSH_AT]).map_or(0, |p| p + 1);
        if cut == 0 {
            cut = FLUSH_AT;
            while !rest.is_char_boundary(cut) || (bytes[cut - 1] == b'\r' && bytes[cut] == b'\n') {
                cut -= 1;
            }
        }
        let (head, tail) = rest.split_at(cut);
        rest = tail;
        Some(head)
    })
}

/// Splits the pieces into paragraphs (or lines, for a text without blank
/// lines), cutting only inside unchanged text. The blocks are positions in
/// `pieces`, not copies of them: a long diff's pieces are held once.
fn blocks<'p, 'a>(pieces: &'p [Piece<'a>], blank_mode: bool) -> Blocks<'p, 'a> {
    let need = if blank_mode { 2 } else { 1 };
    let mut out = Blocks {
        pieces,
        cuts: Vec::new(),
    };
    let last = pieces.len().saturating_sub(1);
    // Line feeds in the whitespace that ends the unchanged text so far: a
    // separator may begin in one piece and end in the next (an unchanged
    // line feed, then an inserted one before a new last paragraph).
    let mut carry = 0;
    for (k, &(shown, text)) in pieces.iter().enumerate() {
        if shown != Shown::Same {
            carry = 0;
            continue;
        }
        if text.is_empty() {
            continue;
        }
        let end_counts = k < last;
        if let Some(g) = crate::diff::gaps(text).next() {
            let joined = carry + g.newlines;
            if g.start == 0
                && carry > 0
                && carry < need
                && g.newlines < need
                && joined >= need
                && (end_counts || g.end < text.len())
            {
                out.cuts.push((k, g.after_last_newline));
            }
        }
        for cut in separator_ends(text, need, end_counts) {
            out.cuts.push((k, cut));
        }
        let core = text.trim_end();
        let trailing = text[core.len()..].matches('\n').count();
        carry = if core.is_empty() {
            carry + trailing
        } else {
            trailing
        };
    }
    // What follows the last cut, if anything, is a block too.
    let end = (pieces.len(), 0);
    let tail_start = out.cuts.last().copied().unwrap_or((0, 0));
    if out.span(tail_start, end).next().is_some() {
        out.cuts.push(end);
    }
    out
}

/// Paragraphs (or lines) of pieces: block `i` runs from `cuts[i - 1]` (or
/// the start) to `cuts[i]`, each a (piece index, byte offset in its text).
struct Blocks<'p, 'a> {
    pieces: &'p [Piece<'a>],
    cuts: Vec<(usize, usize)>,
}

impl<'p, 'a> Blocks<'p, 'a> {
    fn len(&self) -> usize {
        self.cuts.len()
    }
    fn get(&self, i: usize) -> impl Iterator<Item = Piece<'a>> + 'p {
        let start = if i == 0 { (0, 0) } else { self.cuts[i - 1] };
        self.span(start, self.cuts[i])
    }
    /// The pieces from `start` to `end`, cut at those offsets; unchanged
    /// text left empty by a cut is skipped, markers are kept.
    fn span(
        &self,
        start: (usize, usize),
        end: (usize, usize),
    ) -> impl Iterator<Item = Piece<'a>> + 'p {
        let pieces = self.pieces;
        let last = end.0.min(pieces.len().saturating_sub(1));
        (start.0..=last)
            .filter(move |&k| k < pieces.len())
            .filter_map(move |k| {
                let (shown, text) = pieces[k];
                let from = if k == start.0 { start.1 } else { 0 };
                let to = if k == end.0 { end.1 } else { text.len() };
                if shown != Shown::Same {
                    // Cuts fall in unchanged text only: a marker or a change
                    // is always whole in one block.
                    return Some((shown, text));
                }
                let t = &text[from..to];
                (!t.is_empty()).then_some((shown, t))
            })
    }
}

/// Byte offsets just after the last line feed of each whitespace run holding
/// at least `need` line feeds, so that a paragraph's indentation stays with
/// it (a run reaching the end of `text` counts only if `end_counts`).
fn separator_ends(text: &str, need: usize, end_counts: bool) -> Vec<usize> {
    crate::diff::gaps(text)
        .filter(|g| g.newlines >= need && (end_counts || g.end < text.len()))
        .map(|g| g.after_last_newline)
        .collect()
}

/// Number of paragraph breaks (whitespace runs holding a blank line) in the
/// concatenation of `parts` (not built: a unit can be a whole document).
fn paragraph_breaks<'t>(parts: impl IntoIterator<Item = &'t str>) -> usize {
    let mut n = 0;
    let mut newlines = 0;
    for part in parts {
        // Line by line: only whether a line holds anything but whitespace
        // matters, which its first characters nearly always tell.
        for (k, line) in part.split('\n').enumerate() {
            if k > 0 {
                newlines += 1;
            }
            if !line.trim_start().is_empty() {
                if newlines >= 2 {
                    n += 1;
                }
                newlines = 0;
            }
        }
    }
    n + usize::from(newlines >= 2)
}

use crate::diff::has_blank_line;

#[cfg(test)]
mod tests {
    use super::*;

    /// Line by line against the definition, character by character: a run
    /// of whitespace holding two or more line feeds, before text or at the
    /// end, is a paragraph break; parts are one text.
    #[test]
    fn paragraph_breaks_match_the_character_rule() {
        fn by_chars(s: &str) -> usize {
            let (mut n, mut newlines) = (0, 0);
            for c in s.chars() {
                if c == '\n' {
                    newlines += 1;
                } else if !c.is_whitespace() {
                    n += usize::from(newlines >= 2);
                    newlines = 0;
                }
            }
            n + usize::from(newlines >= 2)
        }
        let alphabet = ["\n", " ", "a", "\u{a0}", "\r", "\u{2028}", "é"];
        let mut x: u64 = 11;
        for _ in 0..5_000 {
            let mut s = String::new();
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            for _ in 0..(x >> 60) + 2 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                s.push_str(alphabet[(x >> 61) as usize % alphabet.len()]);
            }
            let cut = (x >> 20) as usize % (s.len() + 1);
            let cut = (0..=cut)
                .rev()
                .find(|&c| s.is_char_boundary(c))
                .unwrap_or(0);
            assert_eq!(
                paragraph_breaks([&s[..cut], &s[cut..]]),
                by_chars(&s),
                "{s:?}"
            );
        }
    }

    #[test]
    fn long_text_is_written_in_parts_that_keep_lines_and_characters_whole() {
        // No line feed for a long stretch, a CRLF straddling the cut, and
        // multi-byte characters around it.
        let mut s = "é".repeat(FLUSH_AT / 2 - 1);
        s.push_str("x\r\n");
        s.push_str(&"日本".repeat(FLUSH_AT / 3));
        s.push_str("\nend");
        let cut: Vec<&str> = parts(&s).collect();
        assert!(cut.len() > 2);
        assert_eq!(cut.concat(), s);
        for w in cut.windows(2) {
            assert!(!(w[0].ends_with('\r') && w[1].starts_with('\n')));
        }
        assert!(cut.iter().all(|p| !p.is_empty() && p.len() <= FLUSH_AT));
        assert_eq!(parts(&s[..10]).count(), 1);
        assert_eq!(parts("").count(), 0);
    }

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
