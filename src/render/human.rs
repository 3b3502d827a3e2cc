//! The human-readable painters' shared driver: headers, notes, the layout's
//! segments and folds, written to any `io::Write` through a 64 KiB buffer
//! (a long document is never held twice in memory). Plain markers and
//! terminal colour differ only in their `Painter`.

use super::layout::{Item, Layout, Segment, Shown};
use super::{stat_lines, trivial_name, DiffOptions, RevRef};
use crate::diff::Diff;
use std::io::{self, Write};

/// Output is flushed in parts of about this size.
const FLUSH_AT: usize = 64 * 1024;

/// How a human-readable renderer marks things: plain markers or terminal
/// colour. Every method writes document text made visible (no control
/// character reaches the output raw); redliner's own text is written as is.
pub trait Painter {
    /// Unchanged document text.
    fn equal(&self, w: &mut dyn Write, s: &str) -> io::Result<()>;
    /// A removed (`deleted`) or added passage, written as an opening, its
    /// text in one or more parts, and a closing, so that a long passage
    /// can be written part by part.
    fn open(&self, w: &mut dyn Write, deleted: bool) -> io::Result<()>;
    fn part(&self, w: &mut dyn Write, deleted: bool, s: &str) -> io::Result<()>;
    fn close(&self, w: &mut dyn Write, deleted: bool) -> io::Result<()>;
    /// A line of redliner's own (folds, notes, statistics); no newline.
    fn note(&self, w: &mut dyn Write, s: &str) -> io::Result<()>;
    /// A header line (`--- old`, `+++ new`); no newline.
    fn header(&self, w: &mut dyn Write, s: &str) -> io::Result<()>;
    /// A move marker: redliner's own `before` and `after` around document
    /// text.
    fn moved(&self, w: &mut dyn Write, before: &str, text: &str, after: &str) -> io::Result<()>;
}

/// A writer that buffers and remembers whether the output so far ends with
/// a line feed.
struct Out<'w> {
    w: io::BufWriter<&'w mut dyn Write>,
    at_line_start: bool,
    /// The last segment was a move's stub that opened a line: a change or
    /// marker right after it starts a line of its own.
    after_line_stub: bool,
}

impl Write for Out<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.w.write(buf)?;
        if n > 0 {
            self.at_line_start = buf[n - 1] == b'\n';
        }
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// Paints a diff for people: the header, then the statistics (`--stat`)
/// or the layout.
pub fn paint(
    w: &mut dyn Write,
    diff: &Diff,
    old: &RevRef,
    new: &RevRef,
    opts: &DiffOptions,
    painter: &dyn Painter,
) -> io::Result<()> {
    let mut out = Out {
        w: io::BufWriter::with_capacity(FLUSH_AT + FLUSH_AT / 4, w),
        at_line_start: true,
        after_line_stub: false,
    };
    let o = &mut out;
    painter.header(o, &format!("--- {}", old.label(&opts.tz)))?;
    o.write_all(b"\n")?;
    painter.header(o, &format!("+++ {}", new.label(&opts.tz)))?;
    o.write_all(b"\n")?;
    let note = |o: &mut Out, s: &str| -> io::Result<()> {
        painter.note(o, s)?;
        o.write_all(b"\n")
    };
    if opts.stat_only {
        for line in stat_lines(diff) {
            note(o, &line)?;
        }
        return o.flush();
    }
    let body = match super::layout::layout(diff, &opts.filter, opts.context, opts.changes_only) {
        Layout::NoDifferences => {
            note(o, "no differences")?;
            return o.flush();
        }
        Layout::Only(what) => {
            let names: Vec<&str> = what.into_iter().map(trivial_name).collect();
            note(
                o,
                &format!("only {} changed; no words changed", names.join(" and ")),
            )?;
            return o.flush();
        }
        Layout::NothingShown { hidden } if hidden.is_empty() => {
            note(
                o,
                "only whitespace or line breaks changed; no words changed",
            )?;
            return o.flush();
        }
        Layout::NothingShown { hidden } => {
            let hidden: Vec<String> = hidden
                .iter()
                .map(|(k, n)| format!("{} {n}", k.name()))
                .collect();
            note(
                o,
                &format!("no changes shown; hidden: {}", hidden.join(", ")),
            )?;
            return o.flush();
        }
        Layout::Body(body) => body,
    };
    if body.coarse {
        note(o, "note: some passages changed too much to align word by word; they are shown as whole replacements")?;
    }
    body.walk(|item| match item {
        Item::Segment(s) => segment(o, s, painter),
        Item::Fold {
            count,
            paragraphs,
            last,
        } => {
            if !o.at_line_start {
                o.write_all(b"\n")?;
            }
            let unit = if paragraphs { "paragraph" } else { "line" };
            let s = if count == 1 { "" } else { "s" };
            painter.note(o, &format!("[... {count} unchanged {unit}{s} ...]"))?;
            o.write_all(if paragraphs && !last { b"\n\n" } else { b"\n" })
        }
    })?;
    if !o.at_line_start {
        o.write_all(b"\n")?;
    }
    o.flush()
}

/// Writes one segment. A passage longer than the flush size (a whole
/// document deleted, say) is written in parts, cut after line feeds where
/// it can be.
fn segment(o: &mut Out, (shown, text): Segment, p: &dyn Painter) -> io::Result<()> {
    if std::mem::take(&mut o.after_line_stub) && shown != Shown::Same && !o.at_line_start {
        o.write_all(b"\n")?;
    }
    match shown {
        Shown::Same => {
            for part in parts(text) {
                p.equal(o, part)?;
            }
            Ok(())
        }
        Shown::MovedFrom { id, down, cut } => {
            let opens_line = o.at_line_start;
            let arrow = if down {
                "\u{2193} below"
            } else {
                "\u{2191} above"
            };
            // An ellipsis only where the opening words are not the whole
            // passage.
            let more = if cut { "\u{2026}" } else { "" };
            p.moved(
                o,
                &format!("[moved #{id} {arrow}: "),
                text,
                &format!("{more}]"),
            )?;
            o.after_line_stub = opens_line;
            Ok(())
        }
        Shown::MovedTo {
            id,
            down,
            opens_line,
        } => {
            // A passage that opens a line in the new text opens one here
            // too, even right after a deletion (`[-* An item-]` then a
            // moved heading).
            if opens_line && !o.at_line_start {
                o.write_all(b"\n")?;
            }
            let arrow = if down {
                "\u{2191} from above"
            } else {
                "\u{2193} from below"
            };
            p.moved(o, &format!("[#{id} moved here {arrow}]"), "", " ")
        }
        Shown::Renumbered { count, sections } => p.moved(
            o,
            &format!("[{count} {} changed: ", super::renumber::label(sections)),
            text,
            " \u{2192} ",
        ),
        Shown::RenumberedTo => {
            p.moved(o, "", text, " \u{2026}]")?;
            o.write_all(b"\n")
        }
        Shown::BreakAdded => marked(o, p, false, "\u{b6}"),
        Shown::BreakRemoved => marked(o, p, true, "\u{b6}"),
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
            p.equal(o, lead)?;
            // One marked passage a line: line breaks inside deleted or
            // inserted text are shown as they are, between markers, so that
            // `{+(revised)+}` ends the title line and a new paragraph is
            // marked on its own.
            let mut from = 0;
            let breaks = crate::text::gaps(core).map(|g| (g.start, g.end));
            for (start, end) in breaks.chain(std::iter::once((core.len(), core.len()))) {
                // The whitespace before the line feed (a CR) goes with it.
                let start = from + core[from..start].trim_end().len();
                p.open(o, deleted)?;
                // Text made only of marker characters is quoted, so that a
                // deleted hyphen reads `[-"-"-]`, not `[---]`.
                let quote = only_marker_chars(&core[from..start]);
                if quote {
                    p.part(o, deleted, "\"")?;
                }
                for part in parts(&core[from..start]) {
                    p.part(o, deleted, part)?;
                }
                if quote {
                    p.part(o, deleted, "\"")?;
                }
                p.close(o, deleted)?;
                p.equal(o, &core[start..end])?;
                from = end;
            }
            p.equal(o, trail)
        }
    }
}

/// Whether `s` is made only of the characters the markers are made of
/// (`-`, `+`, `_`, `=`, and the brackets `[`, `]`, `{`, `}`), and is not
/// empty.
fn only_marker_chars(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| matches!(b, b'-' | b'+' | b'_' | b'=' | b'[' | b']' | b'{' | b'}'))
}

/// One whole marked passage.
fn marked(o: &mut Out, p: &dyn Painter, deleted: bool, s: &str) -> io::Result<()> {
    p.open(o, deleted)?;
    p.part(o, deleted, s)?;
    p.close(o, deleted)
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn marker_only_text_is_quoted() {
        use crate::diff::diff;
        use crate::render::{DiffOptions, Format, RevRef};
        let d = diff("Title\n-----\nA - B", "Title\n=====\nA B");
        let mut out = Vec::new();
        let opts = DiffOptions::new(Format::Plain, jiff::tz::TimeZone::UTC);
        paint(
            &mut out,
            &d,
            &RevRef::default(),
            &RevRef::default(),
            &opts,
            &super::super::plain::Plain,
        )
        .expect("paint");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(out.contains("[-\"-----\"-]{+\"=====\"+}"), "{out}");
        assert!(
            out.contains("A [-\"-\"-] B") || out.contains("A[- \"-\"-] B"),
            "{out}"
        );
        assert!(only_marker_chars("-") && only_marker_chars("==") && !only_marker_chars("-a"));
        assert!(!only_marker_chars(""));
    }
}
