//! Moved text: a passage deleted in one place and inserted, the same or
//! lightly edited, in another is reported as a move, with the word edits
//! made inside it.
//!
//! Candidates are the paragraphs (or lines, in a text without blank lines)
//! of deleted and inserted text holding at least `MIN_MOVE_WORDS` words. A
//! deleted and an inserted candidate that are not part of the same change
//! (a replacement in place is not a move) are paired when the word diff
//! between them keeps at least `MIN_SIMILARITY` of their words (or
//! `MIN_SIMILARITY_MANY`, when there are many candidate pairs); best pairs
//! first. The ops holding a paired candidate are split so that the passage
//! is an op of its own; the top-level ops still rebuild both texts.

use super::engine::{Raw, TokenLog};
use super::passages::{bag_of, passages, Bag, Index};
use super::{Diff, Op, OpKind};
use std::collections::HashMap;
use std::ops::Range;

/// Fewest words a passage needs to be reported as moved.
pub const MIN_MOVE_WORDS: usize = 4;
/// Share of words a moved passage must keep (Dice coefficient on words).
pub const MIN_SIMILARITY: f64 = 0.5;
/// The share asked of a pair when there are more than `MANY_PAIRS`
/// candidate pairs: it bounds the inner diffs that a long, heavily edited
/// document (whose paragraphs all share common words) would need.
pub const MIN_SIMILARITY_MANY: f64 = 0.6;
pub const MANY_PAIRS: usize = 64 * 64;
/// Options for the diff inside a moved passage (no moves within moves).
const INNER: super::Options = super::Options {
    minimal: false,
    no_moves: true,
    skip_unchanged_count: false,
};
/// A moved passage's inner diff, finished as `diff_with` finishes a diff
/// (it has no moves of its own).
fn complete_inner(mut raw: Raw<'_>) -> Diff<'_> {
    super::heading_anchor::apply(&mut raw);
    super::list_items::apply(&mut raw);
    super::summary::complete(raw, Vec::new(), true)
}

/// Most candidates considered on each side (the largest), bounding work.
const MAX_CANDIDATES: usize = 400;

/// A moved passage.
#[derive(Debug, Clone)]
pub struct Moved<'a> {
    /// 1-based id, in order of the old position.
    pub id: usize,
    /// Index of the delete op at the old place and the insert op at the new.
    pub from: usize,
    pub to: usize,
    /// The passage (without surrounding whitespace): its byte range in the
    /// old text and in the new text.
    pub old: Range<usize>,
    pub new: Range<usize>,
    /// The word diff between the passage at its old and at its new place
    /// (its ranges are relative to the passage).
    pub inner: Diff<'a>,
}

/// A move being formed: one or more paired passages, consecutive in the
/// ops they were cut from.
struct Block<'a> {
    del_op: usize,
    ins_op: usize,
    old: Range<usize>,
    new: Range<usize>,
    /// The inner diff, when the block is one pair whose diff was kept.
    inner: Option<Raw<'a>>,
}

struct Candidate<'a> {
    op: usize,
    /// The passage: byte range in its text, trimmed of whitespace.
    range: Range<usize>,
    text: &'a str,
    words: usize,
    unit: usize,
    /// Ids of the passage's folded tokens, each with its count.
    bag: Bag,
    /// The ids of its words in order, when each token is one word.
    words_seq: Option<Vec<u32>>,
}

/// The index of each delete and insert op, with the number (from 1) of the
/// change it belongs to: a run of such ops between unchanged text.
fn changes(ops: &[Op]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut unit = 0;
    let mut in_unit = false;
    ops.iter().enumerate().filter_map(move |(k, op)| {
        if op.kind == OpKind::Equal {
            in_unit = false;
            return None;
        }
        if !in_unit {
            unit += 1;
            in_unit = true;
        }
        Some((k, unit))
    })
}

/// Whether some deleted text and some inserted text lie in different
/// changes (runs of ops between unchanged text): a move needs both, so a
/// rewritten document (one change) is not searched.
fn apart(ops: &[Op]) -> bool {
    // The first and last change holding a deletion, and an insertion.
    type Span = Option<(usize, usize)>;
    let (mut dels, mut inss): (Span, Span) = (None, None);
    for (k, unit) in changes(ops) {
        let seen = if ops[k].kind == OpKind::Delete {
            &mut dels
        } else {
            &mut inss
        };
        *seen = Some(seen.map_or((unit, unit), |(first, _)| (first, unit)));
    }
    match (dels, inss) {
        (Some(d), Some(i)) => !(d.0 == d.1 && d == i),
        _ => false,
    }
}

/// Finds moves, splitting ops as needed; returns the new ops and the moves.
pub(super) fn find<'a>(
    old: &'a str,
    new: &'a str,
    ops: Vec<Op>,
    blank_mode: bool,
    tokens: &mut TokenLog<'a>,
) -> (Vec<Op>, Vec<Moved<'a>>) {
    let TokenLog {
        ids,
        old: old_log,
        new: new_log,
    } = tokens;
    if !apart(&ops) {
        return (ops, Vec::new());
    }
    let mut dels = Vec::new();
    let mut inss = Vec::new();
    for (k, unit) in changes(&ops) {
        let op = &ops[k];
        let (text, range, list, side) = match op.kind {
            OpKind::Delete => (old, op.old.clone(), &mut dels, &*old_log),
            _ => (new, op.new.clone(), &mut inss, &*new_log),
        };
        passages(text, range, blank_mode, |r| {
            let t = &text[r.clone()];
            // The first candidates get their bag now, with the count of
            // their words; later ones get theirs only if kept (a rewritten
            // document has many). Short changes, most of them a word or
            // two, are counted without a token buffer.
            let eager = list.len() < MAX_CANDIDATES && t.len() >= 64;
            let (bag, words_seq, words) = if eager {
                bag_of(ids, side, text, &r)
            } else {
                (
                    Bag::default(),
                    None,
                    super::tokenize::count_words(t) as usize,
                )
            };
            if words >= MIN_MOVE_WORDS {
                list.push(Candidate {
                    op: k,
                    range: r,
                    text: t,
                    words,
                    unit,
                    bag,
                    words_seq,
                });
            }
        });
    }
    if dels.is_empty() || inss.is_empty() {
        return (ops, Vec::new());
    }
    for list in [&mut dels, &mut inss] {
        if list.len() > MAX_CANDIDATES {
            list.sort_by_key(|c| std::cmp::Reverse(c.words));
            list.truncate(MAX_CANDIDATES);
        }
    }
    for (list, side, text) in [(&mut dels, &*old_log, old), (&mut inss, &*new_log, new)] {
        for c in list.iter_mut() {
            if c.bag.tokens == 0 {
                (c.bag, c.words_seq, _) = bag_of(ids, side, text, &c.range);
            }
        }
    }
    // Common tokens (multiset intersection) of every pair, exactly, from an
    // inverted index of the inserted candidates: each deleted candidate
    // visits only the candidates that share a token with it.
    let index = Index::of(inss.iter().map(|c| &c.bag));
    // Equal ops holding a word, counted up to each op: a passage crossed
    // unchanged words between ops `a` and `b` if the count grew.
    let mut worded = Vec::with_capacity(ops.len() + 1);
    worded.push(0u32);
    for op in &ops {
        let w = op.kind == OpKind::Equal && old[op.old.clone()].chars().any(char::is_alphanumeric);
        worded.push(worded.last().copied().unwrap_or(0) + u32::from(w));
    }
    let crosses_words = |a: usize, b: usize| {
        let (lo, hi) = (a.min(b), a.max(b));
        worded[hi] > worded[lo + 1]
    };
    let min_similarity = if dels.len() * inss.len() > MANY_PAIRS {
        MIN_SIMILARITY_MANY
    } else {
        MIN_SIMILARITY
    };
    let mut common = vec![0u32; inss.len()];
    // The pairs that pass every cheap test, with a bound on their score.
    let mut candidates = Vec::new();
    for (di, d) in dels.iter().enumerate() {
        common.iter_mut().for_each(|c| *c = 0);
        for &(h, n) in &d.bag.runs {
            for &(ii, m) in index.shared(h) {
                common[ii as usize] += n.min(m);
            }
        }
        for (ii, i) in inss.iter().enumerate() {
            let total = d.bag.tokens + i.bag.tokens;
            // The words two passages keep are at most the tokens they share
            // (tested first: it turns away nearly every pair).
            if total == 0 || (2 * common[ii]) as f64 / (total as f64) < min_similarity {
                continue;
            }
            // A passage moved only if it crossed unchanged text that holds
            // a word: one edited in place (a heading split in two, with only
            // its underline between) did not move.
            if d.unit == i.unit || !crosses_words(d.op, i.op) {
                continue;
            }
            // Nor more than their longest common subsequence of words: the
            // diff's kept words are one (hash collisions only lengthen it).
            // That is the bound; without the words in order, none.
            let bound = match (&d.words_seq, &i.words_seq) {
                (Some(a), Some(b)) => {
                    let kept = super::lcs::length(a, b);
                    let bound = (2 * kept) as f64 / ((d.words + i.words) as f64);
                    if bound < min_similarity {
                        continue;
                    }
                    bound
                }
                _ => f64::INFINITY,
            };
            candidates.push((bound, di, ii));
        }
    }
    // Inner diffs already run, by their two texts: ops, words added and
    // removed, coarse.
    type Done = (Vec<Op>, u64, u64, bool);
    let mut inner_done: super::hash::Map<(&str, &str), Done> = Default::default();
    let score = |di: usize, ii: usize| -> Option<(f64, Raw<'a>)> {
        let (d, i) = (&dels[di], &inss[ii]);
        // A document that repeats itself (terms for two regions) offers
        // the same pair of texts more than once: diffed once.
        let inner = match inner_done.get(&(d.text, i.text)) {
            Some((ops, added, removed, coarse)) => Raw {
                old: d.text,
                new: i.text,
                ops: ops.clone(),
                added: *added,
                removed: *removed,
                coarse: *coarse,
                tokens: Default::default(),
            },
            None => {
                let inner = super::engine::run(d.text, i.text, &INNER);
                inner_done.insert(
                    (d.text, i.text),
                    (inner.ops.clone(), inner.added, inner.removed, inner.coarse),
                );
                inner
            }
        };
        // No moves inside: the words kept are the new side's words less
        // those added.
        let kept = super::tokenize::count_words(i.text).saturating_sub(inner.added) as f64;
        let dice = 2.0 * kept / (d.words + i.words) as f64;
        (dice >= min_similarity).then_some((dice, inner))
    };
    // A chosen pair comes with its inner diff when it was its deleted
    // passage's best-scoring pair (nearly always); otherwise that is run
    // again below.
    let mut pairs = super::move_pick::pick(candidates, dels.len(), inss.len(), score);
    if pairs.is_empty() {
        return (ops, Vec::new());
    }
    // Passages moved together are one move: consecutive passages of one
    // deleted op, paired in the same order with consecutive passages of one
    // inserted op (a section's heading and paragraphs, a run of list items),
    // with only whitespace between them on both sides.
    pairs.sort_by_key(|(di, _, _)| dels[*di].range.start);
    let mut blocks: Vec<Block<'a>> = Vec::with_capacity(pairs.len());
    for (di, ii, inner) in pairs {
        let (d, i) = (&dels[di], &inss[ii]);
        if let Some(b) = blocks.last_mut() {
            if b.del_op == d.op
                && b.ins_op == i.op
                && b.new.end <= i.range.start
                && old[b.old.end..d.range.start].trim().is_empty()
                && new[b.new.end..i.range.start].trim().is_empty()
            {
                b.old.end = d.range.end;
                b.new.end = i.range.end;
                b.inner = None;
                continue;
            }
        }
        blocks.push(Block {
            del_op: d.op,
            ins_op: i.op,
            old: d.range.clone(),
            new: i.range.clone(),
            inner,
        });
    }
    // Split the ops so that each paired passage is an op of its own.
    let mut cuts: HashMap<usize, Vec<Range<usize>>> = HashMap::new();
    for b in &blocks {
        cuts.entry(b.del_op).or_default().push(b.old.clone());
        cuts.entry(b.ins_op).or_default().push(b.new.clone());
    }
    let mut new_ops = Vec::with_capacity(ops.len() + 4 * blocks.len());
    // (op index, passage start) -> new op index
    let mut at: HashMap<(usize, usize), usize> = HashMap::new();
    for (k, op) in ops.into_iter().enumerate() {
        let Some(ranges) = cuts.get_mut(&k) else {
            new_ops.push(op);
            continue;
        };
        ranges.sort_by_key(|r| r.start);
        let side = if op.kind == OpKind::Delete {
            op.old.clone()
        } else {
            op.new.clone()
        };
        let mut pos = side.start;
        let push = |r: Range<usize>, new_ops: &mut Vec<Op>| {
            if r.is_empty() {
                return;
            }
            new_ops.push(match op.kind {
                OpKind::Delete => Op {
                    kind: OpKind::Delete,
                    old: r,
                    new: op.new.start..op.new.start,
                },
                _ => Op {
                    kind: OpKind::Insert,
                    old: op.old.start..op.old.start,
                    new: r,
                },
            });
        };
        for r in ranges.iter() {
            push(pos..r.start, &mut new_ops);
            at.insert((k, r.start), new_ops.len());
            push(r.clone(), &mut new_ops);
            pos = r.end;
        }
        push(pos..side.end, &mut new_ops);
    }
    let mut moves: Vec<Moved<'a>> = blocks
        .into_iter()
        .map(|b| Moved {
            id: 0,
            from: at[&(b.del_op, b.old.start)],
            to: at[&(b.ins_op, b.new.start)],
            inner: match b.inner {
                Some(raw) => complete_inner(raw),
                None => super::diff_with(&old[b.old.clone()], &new[b.new.clone()], &INNER),
            },
            old: b.old,
            new: b.new,
        })
        .collect();
    moves.sort_by_key(|m| m.from);
    for (n, m) in moves.iter_mut().enumerate() {
        m.id = n + 1;
    }
    (new_ops, moves)
}

#[cfg(test)]
#[path = "moves_tests.rs"]
mod tests;
