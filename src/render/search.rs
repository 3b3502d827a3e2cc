//! `search` output: one line per period with dates, or a JSON array.

use super::escape::visible;
use super::json::to_writer;
use crate::history::Period;
use crate::model::{DocId, Revision};
use jiff::tz::TimeZone;
use std::io::{self, Write};

fn at(r: &Revision, tz: &TimeZone) -> String {
    format!("@{} ({})", r.rev, r.time.human(tz))
}

/// `DOC  present from @2 (date) until @4 (date)`, or `until now`.
pub fn human(w: &mut dyn Write, found: &[(DocId, Vec<Period>)], tz: &TimeZone) -> io::Result<()> {
    if found.is_empty() {
        return writeln!(w, "not found in any revision");
    }
    for (doc, periods) in found {
        let doc = visible(doc.as_str());
        if periods.is_empty() {
            writeln!(w, "{doc}  never present")?;
        }
        for p in periods {
            let to = match &p.to {
                Some(r) => format!("gone at {}", at(r, tz)),
                None => "still present".to_string(),
            };
            writeln!(w, "{doc}  present from {}, {to}", at(&p.from, tz))?;
        }
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct RevJson<'a> {
    rev: u64,
    id: &'a str,
    time: String,
}

impl<'a> RevJson<'a> {
    fn of(r: &'a Revision) -> RevJson<'a> {
        RevJson {
            rev: r.rev,
            id: r.id.as_str(),
            time: r.time.rfc3339(),
        }
    }
}

#[derive(serde::Serialize)]
struct PeriodJson<'a> {
    from: RevJson<'a>,
    to: Option<RevJson<'a>>,
}

#[derive(serde::Serialize)]
struct DocJson<'a> {
    doc: &'a str,
    present: Vec<PeriodJson<'a>>,
}

/// `search --json`: `[{"doc", "present": [{"from", "to"}]}]`.
pub fn json(w: &mut dyn Write, found: &[(DocId, Vec<Period>)]) -> io::Result<()> {
    let docs: Vec<DocJson> = found
        .iter()
        .map(|(doc, periods)| DocJson {
            doc: doc.as_str(),
            present: periods
                .iter()
                .map(|p| PeriodJson {
                    from: RevJson::of(&p.from),
                    to: p.to.as_ref().map(RevJson::of),
                })
                .collect(),
        })
        .collect();
    to_writer(w, &docs)
}
