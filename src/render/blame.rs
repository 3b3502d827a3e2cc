//! `blame` output: a legend of the revisions, then the text line by line
//! with a margin naming the revisions on each line and a `[@N]` tag where a
//! run from another revision starts (in colour too, so colour is never the
//! only signal); or JSON spans that rebuild the text byte for byte.

use super::escape::write_visible;
use super::json::to_writer;
use super::terminal::revision_colour;
use crate::history::Blame;
use crate::model::{DocId, Revision};
use jiff::tz::TimeZone;
use std::io::{self, Write};

/// What a run is marked with: its revision, or `None` for text from `--since`
/// or before.
fn marked(blame: &Blame, since: Option<u64>) -> Vec<(&str, Option<&Revision>)> {
    let mut out: Vec<(&str, Option<&Revision>)> = Vec::new();
    let mut start = 0;
    for r in blame.provenance.runs() {
        let rev = &blame.revisions[r.rev];
        let mark = (since.is_none_or(|s| rev.rev > s)).then_some(rev);
        match out.last_mut() {
            Some((t, m)) if m.map(|x| x.rev) == mark.map(|x| x.rev) => {
                *t = &blame.text[start..r.range.end];
            }
            _ => {
                start = r.range.start;
                out.push((&blame.text[r.range.clone()], mark));
            }
        }
    }
    out
}

fn tag(mark: Option<&Revision>, since: Option<u64>) -> String {
    match (mark, since) {
        (Some(r), _) => format!("[@{}]", r.rev),
        (None, Some(s)) => format!("[..@{s}]"),
        (None, None) => String::new(),
    }
}

/// Human blame: legend, then each line as `MARGIN │ text`.
pub fn human(
    w: &mut dyn Write,
    blame: &Blame,
    since: Option<u64>,
    colour: bool,
    tz: &TimeZone,
) -> io::Result<()> {
    let runs = marked(blame, since);
    let slot = |rev: u64| blame.revisions.iter().position(|r| r.rev == rev);
    let mut shown: Vec<u64> = runs.iter().filter_map(|(_, m)| m.map(|r| r.rev)).collect();
    shown.sort_unstable();
    shown.dedup();
    for r in blame.revisions.iter().filter(|r| shown.contains(&r.rev)) {
        let line = format!(
            "@{}  {}  {}\n",
            r.rev,
            r.time.human(tz),
            r.message.lines().next().unwrap_or("")
        );
        if colour {
            revision_colour(w, &line, slot(r.rev))?;
        } else {
            write_visible(w, &line)?;
        }
    }
    if let Some(s) = since {
        writeln!(w, "(text from @{s} and before is not marked)")?;
    }
    writeln!(w)?;
    // Lines: each a list of (piece, mark).
    let mut lines: Vec<Vec<(&str, Option<&Revision>)>> = vec![Vec::new()];
    for (text, mark) in runs {
        for (i, piece) in text.split('\n').enumerate() {
            if i > 0 {
                lines.push(Vec::new());
            }
            if !piece.is_empty() {
                if let Some(line) = lines.last_mut() {
                    line.push((piece, mark));
                }
            }
        }
    }
    if blame.text.ends_with('\n') {
        lines.pop();
    }
    let margins: Vec<String> = lines
        .iter()
        .map(|l| {
            let mut revs: Vec<u64> = l.iter().filter_map(|(_, m)| m.map(|r| r.rev)).collect();
            revs.sort_unstable();
            revs.dedup();
            let names: Vec<String> = revs.iter().map(|r| format!("@{r}")).collect();
            names.join(",")
        })
        .collect();
    let width = margins.iter().map(String::len).max().unwrap_or(0);
    for (line, margin) in lines.iter().zip(&margins) {
        write!(w, "{margin:<width$} │ ")?;
        let several = line
            .windows(2)
            .any(|p| p[0].1.map(|r| r.rev) != p[1].1.map(|r| r.rev));
        for (i, (piece, mark)) in line.iter().enumerate() {
            let starts = i > 0 && line[i - 1].1.map(|r| r.rev) != mark.map(|r| r.rev);
            let t = if several && (i == 0 || starts) {
                tag(*mark, since)
            } else {
                String::new()
            };
            let slot = mark.and_then(|r| slot(r.rev));
            if colour {
                revision_colour(w, &t, slot)?;
                revision_colour(w, piece, slot)?;
            } else {
                w.write_all(t.as_bytes())?;
                write_visible(w, piece)?;
            }
        }
        writeln!(w)?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct Span<'a> {
    text: &'a str,
    rev: Option<u64>,
    id: Option<&'a str>,
    time: Option<String>,
}

#[derive(serde::Serialize)]
struct BlameJson<'a> {
    schema: u32,
    doc: &'a str,
    rev: u64,
    spans: Vec<Span<'a>>,
}

/// `blame --format json`: the spans, concatenated, are the text.
pub fn json(
    w: &mut dyn Write,
    doc: &DocId,
    rev: u64,
    blame: &Blame,
    since: Option<u64>,
) -> io::Result<()> {
    let spans = marked(blame, since)
        .into_iter()
        .map(|(text, mark)| Span {
            text,
            rev: mark.map(|r| r.rev),
            id: mark.map(|r| r.id.as_str()),
            time: mark.map(|r| r.time.rfc3339()),
        })
        .collect();
    to_writer(
        w,
        &BlameJson {
            schema: 1,
            doc: doc.as_str(),
            rev,
            spans,
        },
    )
}
