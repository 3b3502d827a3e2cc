//! JSON output for scripts.

use super::{DiffOptions, RevRef};
use crate::diff::kinds::Kind;
use crate::diff::{Diff, OpKind, Precision, Stats};
use serde::Serialize;
use std::io::{self, Write};

/// Version of the JSON diff schema.
pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct JsonOp<'a> {
    op: &'static str,
    text: &'a str,
    /// The kind of the change unit a delete or insert belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<Kind>,
    /// Set when --hide, --only, --ignore-case or --normalize hide its kind.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    hidden: bool,
    /// The id of the move this op is one side of.
    #[serde(rename = "move", skip_serializing_if = "Option::is_none")]
    moved: Option<usize>,
    /// The 1-based id of the run of renumbered list markers or section
    /// numbers this op belongs to (the redline sums such a run up in one
    /// line; see `render::renumber`).
    #[serde(skip_serializing_if = "Option::is_none")]
    renumbered: Option<usize>,
}

#[derive(Serialize)]
struct JsonMove<'a> {
    id: usize,
    /// Word-level ops from the passage at its old place to its new place
    /// (without surrounding whitespace); they rebuild both, as the top-level
    /// ops do.
    ops: Vec<JsonOp<'a>>,
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
    /// Change units per kind.
    changes: std::collections::BTreeMap<&'static str, u64>,
    /// When the texts differ only in line endings, a byte-order mark or
    /// Unicode normalisation: what changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    only: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ops: Option<Vec<JsonOp<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    moves: Option<Vec<JsonMove<'a>>>,
}

/// Ops with their kinds, as written in JSON.
fn json_ops<'a>(d: &Diff<'a>, opts: &DiffOptions) -> Vec<JsonOp<'a>> {
    let mut kind_of = vec![None; d.ops.len()];
    let mut run_of = vec![None; d.ops.len()];
    let runs = super::renumber::runs(d);
    let in_run = super::renumber::by_unit(&runs);
    for (n, u) in d.units.iter().enumerate() {
        for k in u.ops.clone() {
            kind_of[k] = Some(u.kind);
            run_of[k] = in_run.get(&n).map(|&(r, _)| r + 1);
        }
    }
    d.ops
        .iter()
        .zip(kind_of.iter().zip(&run_of))
        .enumerate()
        .map(|(k, (op, (kind, run)))| JsonOp {
            op: match op.kind {
                OpKind::Equal => "equal",
                OpKind::Delete => "delete",
                OpKind::Insert => "insert",
            },
            text: d.text(op),
            kind: *kind,
            hidden: kind.is_some_and(|k| opts.filter.hides(k)),
            moved: d.move_of(k).map(|m| m.id),
            renumbered: *run,
        })
        .collect()
}

/// Writes one JSON object (and a newline). With `--stat` the ops are left out.
pub fn diff(
    w: &mut dyn Write,
    d: &Diff,
    old: &RevRef,
    new: &RevRef,
    opts: &DiffOptions,
) -> io::Result<()> {
    let ops = (!opts.stat_only).then(|| json_ops(d, opts));
    let moves = (!opts.stat_only).then(|| {
        d.moves
            .iter()
            .map(|m| JsonMove {
                id: m.id,
                ops: json_ops(&m.inner, opts),
            })
            .collect()
    });
    let changes = d.changes.iter().map(|(k, n)| (k.name(), *n)).collect();
    let doc = JsonDiff {
        schema: SCHEMA,
        old,
        new,
        stats: d.stats,
        precision: match d.precision {
            Precision::Exact => "exact",
            Precision::Coarse => "coarse",
        },
        changes,
        only: d
            .trivial
            .as_ref()
            .map(|t| t.iter().map(|&t| super::trivial_name(t)).collect()),
        ops,
        moves,
    };
    to_writer(w, &doc)
}

/// Serialises `value` and a newline.
pub fn to_writer(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value).map_err(io::Error::from)?;
    w.write_all(b"\n")
}
