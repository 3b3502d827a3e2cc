//! Aligns the tokens of one changed region, within a work budget.

use super::greedy::{greedy_pairs, GREEDY_LIMIT, GREEDY_MAX_D, GREEDY_MIN_D};
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
    /// Minimal alignments only (`--minimal`), however many edits.
    exact: bool,
}

/// Ids of folded token keys, kept for a whole diff: equal keys, equal ids.
pub(crate) use super::hash::Interner;

/// The matched (old, new) token indices of a region, in order, and whether
/// the budget made the alignment coarse. Tokens match when their folded keys
/// (case and typography) are equal; the caller tells identical pairs from
/// merely equivalent ones.
#[cfg(test)]
pub(crate) fn align_region<'a>(
    exact: bool,
    ids: &mut Interner<'a>,
    old: &'a str,
    old_toks: &[Range<usize>],
    new: &'a str,
    new_toks: &[Range<usize>],
) -> (Vec<(usize, usize)>, bool) {
    let a = align_region_ids(exact, ids, old, old_toks, new, new_toks);
    (a.pairs, a.coarse)
}

/// A region's alignment (see `align_region`).
pub(crate) struct Aligned {
    pub pairs: Vec<(usize, usize)>,
    pub coarse: bool,
    pub old_ids: Vec<u32>,
    pub new_ids: Vec<u32>,
}

/// `align_region`, with the tokens' ids (`u32::MAX` for the identical
/// tokens at both ends, which are paired without one).
pub(crate) fn align_region_ids<'a>(
    exact: bool,
    ids: &mut Interner<'a>,
    old: &'a str,
    old_toks: &[Range<usize>],
    new: &'a str,
    new_toks: &[Range<usize>],
) -> Aligned {
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
    // Ids outside the middle are never read.
    let mut old_ids = vec![u32::MAX; on];
    let mut new_ids = vec![u32::MAX; nn];
    for i in pre..on - suf {
        old_ids[i] = ids.id(old, old_toks[i].clone());
    }
    for j in pre..nn - suf {
        new_ids[j] = ids.id(new, new_toks[j].clone());
    }
    let mut a = Aligner {
        old_ids,
        new_ids,
        old,
        old_toks,
        new,
        new_toks,
        // A region has at most as many pairs as its shorter side has tokens:
        // sized once, not grown pair by pair.
        pairs: {
            let mut p = Vec::with_capacity(on.min(nn));
            p.extend((0..pre).map(|i| (i, i)));
            p
        },
        coarse: false,
        exact,
    };
    a.refine(pre..on - suf, pre..nn - suf, Level::Lines);
    a.pairs
        .extend((0..suf).map(|k| (on - suf + k, nn - suf + k)));
    let pairs = slide::slide(old, old_toks, new, new_toks, a.pairs);
    Aligned {
        pairs,
        coarse: a.coarse,
        old_ids: a.old_ids,
        new_ids: a.new_ids,
    }
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
            // A long passage against a few words: the long side's tokens
            // that the short side lacks cannot match, and are set aside
            // before aligning (greedy's cost grows with the square of the
            // edits, and every one of them is an edit).
            let old_keep = shared_only(a, b);
            let new_keep = shared_only(b, a);
            let pick = |ids: &[u32], keep: &Option<Vec<usize>>| -> Option<Vec<u32>> {
                keep.as_ref().map(|k| k.iter().map(|&i| ids[i]).collect())
            };
            let (fa, fb) = (pick(a, &old_keep), pick(b, &new_keep));
            let (a, b) = (fa.as_deref().unwrap_or(a), fb.as_deref().unwrap_or(b));
            let back = |keep: &Option<Vec<usize>>, x: usize| keep.as_ref().map_or(x, |k| k[x]);
            let (os, ns) = (ot.start, nt.start);
            let mut matched = |x: usize, y: usize| {
                self.pairs
                    .push((back(&old_keep, x) + os, back(&new_keep, y) + ns))
            };
            // At least |n - m| edits are needed whatever the alignment.
            let cap = ((a.len() + b.len()) / 8).clamp(GREEDY_MIN_D, GREEDY_MAX_D)
                + a.len().abs_diff(b.len());
            // Greedy costs at least the square of the length difference;
            // the bit-vector LCS costs n * m / 64 whatever the edits. A long
            // passage against a short one goes straight to the latter.
            let lopsided = {
                let gap = a.len().abs_diff(b.len());
                gap.saturating_mul(gap) / 2 > 4 * (a.len() * b.len() / 64 + a.len() + b.len())
            };
            let found = if cap <= GREEDY_LIMIT && !lopsided {
                greedy_pairs(a, b, cap, self.exact)
            } else {
                None
            };
            if let Some(found) = found {
                found.into_iter().for_each(|(x, y)| matched(x, y));
            } else {
                // Too many edits for greedy steps (a lopsided or rewritten
                // region): an exact alignment in O(n * m / 64).
                super::lcs::pairs(a, b)
                    .into_iter()
                    .for_each(|(x, y)| matched(x, y));
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

/// The indices of `long`'s tokens that occur in `short`, when `long` is
/// much longer (at least twice and 16 tokens more) and some do not.
fn shared_only(long: &[u32], short: &[u32]) -> Option<Vec<usize>> {
    if long.len() < 2 * short.len() + 16 {
        return None;
    }
    // Ids are dense (numbered in order of first sight), so the short
    // side's set is a bit set, kept between calls and cleared after use.
    thread_local! {
        static SEEN: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let top = short.iter().copied().max().unwrap_or(0) as usize;
    if top >= 1 << 26 {
        // No interner numbers so many tokens within the budget.
        return None;
    }
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if seen.len() <= top / 64 {
            seen.resize(top / 64 + 1, 0);
        }
        for &c in short {
            seen[c as usize / 64] |= 1 << (c % 64);
        }
        let has = |c: u32| {
            seen.get(c as usize / 64)
                .is_some_and(|w| (w >> (c % 64)) & 1 == 1)
        };
        let keep: Vec<usize> = (0..long.len()).filter(|&i| has(long[i])).collect();
        for &c in short {
            seen[c as usize / 64] = 0;
        }
        (keep.len() < long.len()).then_some(keep)
    })
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
        let breaks_after = crate::text::is_sentence_end(t)
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::diff::lcs::tests::lcs;

    /// Deterministic pseudo-random numbers below `k`.
    fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut lcg = crate::text::testing::Lcg::new(seed);
        move |k| lcg.below(k)
    }

    #[test]
    fn greedy_pairs_are_a_longest_common_subsequence() {
        let mut next = numbers(11);
        for _ in 0..3000 {
            let a: Vec<u32> = (0..next(30)).map(|_| next(5) as u32).collect();
            let b: Vec<u32> = (0..next(30)).map(|_| next(5) as u32).collect();
            let pairs = greedy_pairs(&a, &b, a.len() + b.len(), true).expect("within bound");
            assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
            assert!(pairs.iter().all(|&(i, j)| a[i] == b[j]));
            assert_eq!(pairs.len(), lcs(&a, &b), "{a:?} {b:?}");
            // A bound below the edit distance gives up.
            let d = a.len() + b.len() - 2 * pairs.len();
            if d > 0 {
                assert!(greedy_pairs(&a, &b, d - 1, true).is_none());
                // In steps: a common subsequence, if not always a longest.
                let stepped = greedy_pairs(&a, &b, 1 + d / 3, false).expect("steps");
                assert!(stepped
                    .windows(2)
                    .all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
                assert!(stepped.iter().all(|&(i, j)| a[i] == b[j]));
            }
        }
    }

    /// A long passage against a few words (the long side's unmatched
    /// tokens set aside before aligning) still gets a longest common
    /// subsequence, either way round.
    #[test]
    fn lopsided_regions_keep_a_longest_common_subsequence() {
        let words = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        let mut next = numbers(5);
        let mut filtered = 0;
        for case in 0..600 {
            let long: Vec<u32> = (0..20 + next(60)).map(|_| next(10) as u32).collect();
            let short: Vec<u32> = (0..1 + next(8)).map(|_| next(10) as u32).collect();
            let (a, b) = if case % 2 == 0 {
                (&long, &short)
            } else {
                (&short, &long)
            };
            filtered += usize::from(shared_only(&long, &short).is_some());
            let text = |ids: &[u32]| {
                ids.iter()
                    .map(|&i| words[i as usize])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let (old, new) = (text(a), text(b));
            let (ot, nt) = (
                super::super::tokenize::tokenize(&old),
                super::super::tokenize::tokenize(&new),
            );
            let mut ids = Interner::default();
            let (pairs, coarse) = align_region(true, &mut ids, &old, &ot, &new, &nt);
            assert!(!coarse);
            assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
            assert!(pairs.iter().all(|&(i, j)| a[i] == b[j]));
            assert_eq!(pairs.len(), lcs(a, b), "{old:?} {new:?}");
        }
        assert!(filtered > 300, "{filtered} of 600 cases set tokens aside");
    }
}
