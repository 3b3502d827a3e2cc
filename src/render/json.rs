//! JSON output for scripts.

use super::RevRef;
use crate::diff::{Diff, OpKind, Stats};
use serde::Serialize;
use std::io::{self, Write};

/// Version of the JSON diff schema.
pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct JsonOp<'a> {
    op: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    schema: u32,
    old: &'a RevRef,
    new: &'a RevRef,
    stats: Stats,
    /// `exact`, or `coarse` when the work budget left some changed region
    /// as a whole replacement.
    precision: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ops: Option<Vec<JsonOp<'a>>>,
}

/// Writes one JSON object (and a newline). With `stat_only` the ops are left out.
pub fn diff(
    w: &mut dyn Write,
    d: &Diff,
    old: &RevRef,
    new: &RevRef,
    stat_only: bool,
) -> io::Result<()> {
    let ops = (!stat_only).then(|| {
        d.ops
            .iter()
            .map(|op| JsonOp {
                op: match op.kind {
                    OpKind::Equal => "equal",
                    OpKind::Delete => "delete",
                    OpKind::Insert => "insert",
                },
                text: d.text(op),
            })
            .collect()
    });
    let doc = JsonDiff {
        schema: SCHEMA,
        old,
        new,
        stats: d.stats(),
        precision: if d.coarse { "coarse" } else { "exact" },
        ops,
    };
    to_writer(w, &doc)
}

/// Serialises `value` and a newline.
pub fn to_writer(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value).map_err(io::Error::other)?;
    w.write_all(b"\n")
}
