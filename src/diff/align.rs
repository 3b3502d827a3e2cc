//! Aligns the tokens of one changed region, within a work budget.

use super::slide;
use similar::{Algorithm, DiffTag};
use std::ops::Range;

/// Largest token product (old tokens x new tokens) of a changed region that
/// is diffed word by word. Larger regions are first aligned sentence by
/// sentence; a region still larger than this is shown as one replacement and
/// the diff is marked coarse. A work budget, not a clock: the same input
/// always gives the same output.
pub const TOKEN_BUDGET: usize = 25_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Lines,
    Sentences,
}

struct Aligner<'a> {
    /// The tokens' folded comparison keys, interned: equal keys, equal ids.
    old_ids: Vec<u32>,
    new_ids: Vec<u32>,
    old: &'a str,
    old_toks: &'a [Range<usize>],
    new: &'a str,
    new_toks: &'a [Range<usize>],
    pairs: Vec<(usize, usize)>,
    coarse: bool,
}

/// The matched (old, new) token indices of a region, in order, and whether
/// the budget made the alignment coarse. Tokens match when their folded keys
/// (case and typography) are equal; the caller tells identical pairs from
/// merely equivalent ones.
pub(crate) fn align_region<'a>(
    old: &'a str,
    old_toks: &[Range<usize>],
    new: &'a str,
    new_toks: &[Range<usize>],
) -> (Vec<(usize, usize)>, bool) {
    // Identical tokens at both ends are paired without interning them (the
    // common case: one edit inside a long paragraph); only the middle is
    // interned and aligned.
    let same = |i: usize, j: usize| old[old_toks[i].clone()] == new[new_toks[j].clone()];
    let (on, nn) = (old_toks.len(), new_toks.len());
    let mut pre = 0;
    while pre < on && pre < nn && same(pre, pre) {
        pre += 1;
    }
    let mut suf = 0;
    while suf < on - pre && suf < nn - pre && same(on - 1 - suf, nn - 1 - suf) {
        suf += 1;
    }
    let mut ids: super::hash::Map<std::borrow::Cow<'a, str>, u32> = Default::default();
    let mut intern = |t: &'a str| -> u32 {
        let next = ids.len() as u32;
        *ids.entry(super::kinds::fold_key(t)).or_insert(next)
    };
    // Ids outside the middle are never read.
    let mut old_ids = vec![u32::MAX; on];
    let mut new_ids = vec![u32::MAX; nn];
    for i in pre..on - suf {
        old_ids[i] = intern(&old[old_toks[i].clone()]);
    }
    for j in pre..nn - suf {
        new_ids[j] = intern(&new[new_toks[j].clone()]);
    }
    drop(ids);
    let mut a = Aligner {
        old_ids,
        new_ids,
        old,
        old_toks,
        new,
        new_toks,
        pairs: (0..pre).map(|i| (i, i)).collect(),
        coarse: false,
    };
    a.refine(pre..on - suf, pre..nn - suf, Level::Lines);
    a.pairs
        .extend((0..suf).map(|k| (on - suf + k, nn - suf + k)));
    let pairs = slide::slide(old, old_toks, new, new_toks, a.pairs);
    (pairs, a.coarse)
}

impl Aligner<'_> {
    fn old_tok(&self, i: usize) -> u32 {
        self.old_ids[i]
    }
    fn new_tok(&self, j: usize) -> u32 {
        self.new_ids[j]
    }

    /// Aligns two sequences of units (token index ranges) by their content,
    /// then refines the units that changed.
    fn units(&mut self, ou: &[Range<usize>], nu: &[Range<usize>], level: Level) {
        let ok: Vec<u64> = ou.iter().map(|u| self.key(true, u.clone())).collect();
        let nk: Vec<u64> = nu.iter().map(|u| self.key(false, u.clone())).collect();
        for op in similar::capture_diff_slices(Algorithm::Myers, &ok, &nk) {
            let (tag, o, n) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => {
                    for (a, b) in ou[o].iter().zip(&nu[n]) {
                        self.refine(a.clone(), b.clone(), level);
                    }
                }
                DiffTag::Replace => self.refine(span(&ou[o]), span(&nu[n]), level),
                DiffTag::Delete | DiffTag::Insert => {}
            }
        }
    }

    fn key(&self, old: bool, u: Range<usize>) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = super::hash::Keyed::default().build_hasher();
        for k in u {
            if old {
                self.old_tok(k)
            } else {
                self.new_tok(k)
            }
            .hash(&mut h);
        }
        h.finish()
    }

    /// Diffs the tokens of a changed region, within the work budget.
    fn refine(&mut self, mut ot: Range<usize>, mut nt: Range<usize>, level: Level) {
        while !ot.is_empty() && !nt.is_empty() && self.old_tok(ot.start) == self.new_tok(nt.start) {
            self.pairs.push((ot.start, nt.start));
            ot.start += 1;
            nt.start += 1;
        }
        let mut suffix = Vec::new();
        while !ot.is_empty()
            && !nt.is_empty()
            && self.old_tok(ot.end - 1) == self.new_tok(nt.end - 1)
        {
            suffix.push((ot.end - 1, nt.end - 1));
            ot.end -= 1;
            nt.end -= 1;
        }
        if ot.is_empty() || nt.is_empty() {
            // Pure insertion or deletion: nothing to align.
        } else if ot.len().saturating_mul(nt.len()) <= TOKEN_BUDGET {
            let (a, b) = (&self.old_ids[ot.clone()], &self.new_ids[nt.clone()]);
            for wop in similar::capture_diff_slices(Algorithm::Myers, a, b) {
                if let (DiffTag::Equal, wo, wn) = wop.as_tag_tuple() {
                    self.pairs
                        .extend(wo.map(|x| x + ot.start).zip(wn.map(|y| y + nt.start)));
                }
            }
        } else if level == Level::Lines {
            let os = sentences(self.old, self.old_toks, ot);
            let ns = sentences(self.new, self.new_toks, nt);
            self.units(&os, &ns, Level::Sentences);
        } else {
            self.coarse = true;
        }
        self.pairs.extend(suffix.into_iter().rev());
    }
}

/// The token span covered by consecutive units.
fn span(units: &[Range<usize>]) -> Range<usize> {
    match (units.first(), units.last()) {
        (Some(a), Some(b)) => a.start..b.end,
        _ => 0..0,
    }
}

/// Splits a token range into sentences: a unit ends after sentence-final
/// punctuation or before a line break.
fn sentences(text: &str, toks: &[Range<usize>], range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for k in range.clone() {
        let t = &text[toks[k].clone()];
        let breaks_after = slide::is_sentence_end(t)
            || (k + 1 < range.end && text[toks[k].end..toks[k + 1].start].contains('\n'));
        if breaks_after {
            out.push(start..k + 1);
            start = k + 1;
        }
    }
    if start < range.end {
        out.push(start..range.end);
    }
    out
}
