//! What a diff adds up to, computed once when it is made: the change units
//! and their kinds, the word statistics, the changes per kind, and the
//! report of a change that is only line endings, a byte-order mark or
//! Unicode normalisation.

use super::engine::Raw;
use super::kinds::{self, Kind};
use super::tokenize::count_words;
use super::{moves, Diff, OpKind, Precision};
use std::ops::Range;

/// A change unit: a maximal run of non-equal ops, and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub ops: Range<usize>,
    pub kind: Kind,
}

/// Word counts of a diff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub words_added: u64,
    pub words_removed: u64,
    /// Words in the same place or moved unchanged; `None` when the diff
    /// was made with `Options::skip_unchanged_count` (counting them reads
    /// the whole new text).
    pub words_unchanged: Option<u64>,
    /// Of the unchanged words, those in moved passages.
    pub words_moved: u64,
}

/// wdiff's statistics: words in pure deletions, in pure insertions, and on
/// each side of replacements (edits inside moved passages included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WdiffCounts {
    pub deleted: u64,
    pub inserted: u64,
    pub changed_old: u64,
    pub changed_new: u64,
}

/// A change that alters no character a reader sees, reported as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trivial {
    LineEndings,
    ByteOrderMark,
    /// NFC against NFD.
    UnicodeNormalization,
}

/// Sums up the aligned ops and moves into a complete `Diff`.
pub(super) fn complete<'a>(
    raw: Raw<'a>,
    moves: Vec<moves::Moved<'a>>,
    count_unchanged: bool,
) -> Diff<'a> {
    let mut move_index: Vec<(usize, usize)> = moves
        .iter()
        .enumerate()
        .flat_map(|(i, m)| [(m.from, i), (m.to, i)])
        .collect();
    move_index.sort_unstable();
    let mut d = Diff {
        old: raw.old,
        new: raw.new,
        ops: raw.ops,
        moves,
        units: Vec::new(),
        stats: Stats::default(),
        wdiff: WdiffCounts::default(),
        changes: Vec::new(),
        precision: if raw.coarse {
            Precision::Coarse
        } else {
            Precision::Exact
        },
        trivial: None,
        move_index,
    };
    d.units = units(&d);
    // Words kept inside moved passages moved; they did not change.
    let moved: u64 = d
        .moves
        .iter()
        .map(|m| m.inner.stats.words_unchanged.unwrap_or(0))
        .sum();
    let (added, removed) = (
        raw.added.saturating_sub(moved),
        raw.removed.saturating_sub(moved),
    );
    d.stats = Stats {
        words_added: added,
        words_removed: removed,
        words_unchanged: count_unchanged.then(|| count_words(d.new).saturating_sub(added)),
        words_moved: moved,
    };
    // Shown only with the unchanged count (`--stat`, JSON, HTML): a plain
    // redline does not count every changed op's words again.
    if count_unchanged {
        d.wdiff = wdiff_counts(&d);
    }
    d.changes = kind_counts(&d);
    // Checked only when every change is whitespace, invisible or
    // typographic (the only kinds such changes produce), so that large
    // diffs with word changes skip it.
    let possible = d.units.iter().all(|u| {
        matches!(
            u.kind,
            Kind::Whitespace | Kind::Invisible | Kind::Typography
        )
    });
    if possible {
        d.trivial = trivial_change(d.old, d.new);
    }
    d
}

/// The unit of the changed ops `ops`, with its kind.
fn unit(d: &Diff, ops: Range<usize>) -> Unit {
    // The removed and the inserted text of the unit; borrowed when each
    // side is one op (the common case, and the only one that can be
    // large).
    let side = |kind: OpKind| -> std::borrow::Cow<'_, str> {
        let mut parts = d.ops[ops.clone()]
            .iter()
            .filter(|op| op.kind == kind)
            .map(|op| d.text(op));
        match (parts.next(), parts.next()) {
            (None, _) => std::borrow::Cow::Borrowed(""),
            (Some(one), None) => std::borrow::Cow::Borrowed(one),
            (Some(a), Some(b)) => {
                let mut s = String::from(a);
                s.push_str(b);
                parts.for_each(|p| s.push_str(p));
                std::borrow::Cow::Owned(s)
            }
        }
    };
    let kind = kinds::classify(&side(OpKind::Delete), &side(OpKind::Insert));
    Unit { ops, kind }
}

/// The change units, in order. Each side of a move is a unit of its own,
/// of kind `moved`.
fn units(d: &Diff) -> Vec<Unit> {
    let moved = moved_ops(d);
    let is_moved = |k: usize| {
        moved
            .get(k)
            .copied()
            .unwrap_or_else(|| d.move_of(k).is_some())
    };
    let mut out = Vec::new();
    // Buffers for folded keys, reused (see `kinds::fold_key_in`).
    let (mut fold_d, mut fold_i) = (String::new(), String::new());
    let mut k = 0;
    while k < d.ops.len() {
        if d.ops[k].kind == OpKind::Equal {
            k += 1;
            continue;
        }
        if is_moved(k) {
            out.push(Unit {
                ops: k..k + 1,
                kind: Kind::Moved,
            });
            k += 1;
            continue;
        }
        let start = k;
        while k < d.ops.len() && d.ops[k].kind != OpKind::Equal && !is_moved(k) {
            k += 1;
        }
        // A token equal to its partner once case or typography is
        // folded, beside other changes, is a unit of its own (so that
        // `--hide typography` hides a re-quoted word and not the
        // sentence inserted after it).
        let mut equivalent = |p: usize| {
            let (del, ins) = (&d.ops[p], &d.ops[p + 1]);
            let (dt, it) = (d.text(del), d.text(ins));
            del.kind == OpKind::Delete
                && ins.kind == OpKind::Insert
                && dt.len() <= 64
                && it.len() <= 64
                && dt != it
                && kinds::fold_key_in(dt, &mut fold_d) == kinds::fold_key_in(it, &mut fold_i)
        };
        let mut from = start;
        let mut p = start;
        while k - start > 2 && p + 1 < k {
            if equivalent(p) {
                if from < p {
                    out.push(unit(d, from..p));
                }
                out.push(unit(d, p..p + 2));
                p += 2;
                from = p;
            } else {
                p += 1;
            }
        }
        if from < k {
            out.push(unit(d, from..k));
        }
    }
    // The whitespace that went with a moved passage (the paragraph
    // break before or after it) is part of the move.
    for u in &mut out {
        let beside_move = (u.ops.start > 0 && is_moved(u.ops.start - 1)) || is_moved(u.ops.end);
        if u.kind == Kind::Whitespace && beside_move {
            u.kind = Kind::Moved;
        }
    }
    out
}

/// For each op, whether it is one side of a move (`d.move_of(k)` is
/// `Some`), looked up once instead of searched for op by op.
fn moved_ops(d: &Diff) -> Vec<bool> {
    let mut moved = vec![false; d.ops.len()];
    for &(k, i) in &d.move_index {
        if k < moved.len() && i < d.moves.len() {
            moved[k] = true;
        }
    }
    moved
}

/// Changes per kind, most frequent kinds first; a move counts once.
fn kind_counts(d: &Diff) -> Vec<(Kind, u64)> {
    let mut counts: Vec<(Kind, u64)> = Kind::ALL
        .iter()
        .map(|&k| {
            let of_kind = d.units.iter().filter(|u| u.kind == k);
            // A move is two units, its old and its new place (with the
            // whitespace that went with it): counted once.
            let n = if k == Kind::Moved {
                of_kind.filter(|u| d.move_of(u.ops.start).is_some()).count() as u64 / 2
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

/// Words in pure deletions, pure insertions, and replacements, as wdiff
/// counts them.
fn wdiff_counts(d: &Diff) -> WdiffCounts {
    let mut w = WdiffCounts::default();
    for u in d.units.iter().filter(|u| u.kind != Kind::Moved) {
        let (mut o, mut n) = (0, 0);
        for op in &d.ops[u.ops.clone()] {
            let words = count_words(d.text(op));
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
    // word statistics; its kept words are common.
    for m in &d.moves {
        let inner = &m.inner.wdiff;
        w.deleted += inner.deleted;
        w.inserted += inner.inserted;
        w.changed_old += inner.changed_old;
        w.changed_new += inner.changed_new;
    }
    w
}

/// When two different texts differ only in line endings, a leading
/// byte-order mark or Unicode normalisation (NFC/NFD), says which of these
/// (in that order); otherwise `None`.
pub fn trivial_change(old: &str, new: &str) -> Option<Vec<Trivial>> {
    use unicode_normalization::UnicodeNormalization;
    if old == new {
        return None;
    }
    // Same length up to line endings and a BOM, or the normalisation step
    // could not explain the difference: skip the whole-text passes.
    let crs = |s: &str| s.bytes().filter(|&b| b == b'\r').count();
    if old.is_ascii() && new.is_ascii() && old.len() - crs(old) != new.len() - crs(new) {
        return None;
    }
    let mut what = Vec::new();
    let (mut a, mut b) = (old.to_string(), new.to_string());
    type Step = (Trivial, fn(&str) -> String);
    let steps: [Step; 3] = [
        (Trivial::LineEndings, |s| s.replace("\r\n", "\n")),
        (Trivial::ByteOrderMark, |s| {
            s.strip_prefix('\u{feff}').unwrap_or(s).to_string()
        }),
        (Trivial::UnicodeNormalization, |s| {
            if s.is_ascii() {
                s.to_string()
            } else {
                s.nfc().collect()
            }
        }),
    ];
    for (name, f) in steps {
        let (fa, fb) = (f(&a), f(&b));
        if (fa != a || fb != b) && (fa == fb || (a != fa) != (b != fb)) {
            what.push(name);
        }
        a = fa;
        b = fb;
        if a == b {
            return Some(what);
        }
    }
    None
}
