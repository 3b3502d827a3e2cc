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

/// Edits `greedy` takes in one step: an eighth of the region's tokens,
/// within these bounds. Its trace takes about `d * d / 2` words of memory
/// and its time grows as `d * d`; a region that needs more edits than an
/// eighth of its tokens is heavily rewritten, and is aligned in steps.
const GREEDY_MIN_D: usize = 128;
const GREEDY_MAX_D: usize = 512;
/// Edits per greedy step in rewritten text: a step costs about `d * d / 2`
/// and moves about `2 * d` tokens on, so short steps are cheap, and cleanup
/// folds most of the scattered matches longer steps would find (a 10 KB
/// rewrite: steps of 16 and of 8 edits give 3,671 and 3,694 changed tokens,
/// git 3,412; the steps of 8 take 15 % less time).
const REWRITE_STEP_D: usize = 8;
/// Most edits in one greedy step, with the difference in length added
/// (a trace of at most about 9 MiB); beyond it, the bit-vector LCS
/// (`lcs.rs`) aligns the region exactly.
const GREEDY_LIMIT: usize = 1536;

/// The end of one greedy step.
struct Step {
    /// Matched pairs from (0, 0) to `end`.
    pairs: Vec<(usize, usize)>,
    /// Where the step stopped; (n, m) when it reached the end.
    end: (usize, usize),
    complete: bool,
}

/// Myers' greedy algorithm, for at most `max_d` edits: if the two
/// sequences differ by no more, a minimal diff (complete); otherwise the
/// best path of `max_d` edits, to the point furthest along both sequences
/// (the first such diagonal on ties). It costs O(n + m + d * d), against
/// O((n + m) * d) for the linear-space version, so it is the faster one for
/// the many small, lightly edited regions of a revised document.
fn greedy(a: &[u32], b: &[u32], max_d: usize) -> Step {
    let mut g = Greedy::new(a, b, max_d);
    g.run(max_d)
}

/// The state of a greedy run, which can be taken further: a probe that
/// stops short of the end goes on where it stopped instead of starting
/// over.
struct Greedy<'s> {
    a: &'s [u32],
    b: &'s [u32],
    /// `v[off + k]`: the furthest x reached on diagonal k (x - y == k).
    v: Vec<isize>,
    off: isize,
    /// `trace[d * (d + 1) / 2 + (k + d) / 2]`: v after step d, for k in
    /// -d..=d step 2 (one flat vector, grown as the steps go).
    trace: Vec<isize>,
    /// The next step to take.
    d: isize,
}

thread_local! {
    /// `Greedy`'s buffers (`v` and `trace`) between runs.
    static SCRATCH: std::cell::RefCell<(Vec<isize>, Vec<isize>)> = Default::default();
}

impl Drop for Greedy<'_> {
    fn drop(&mut self) {
        let bufs = (std::mem::take(&mut self.v), std::mem::take(&mut self.trace));
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            // Keep the larger trace.
            if bufs.1.capacity() >= s.1.capacity() {
                *s = bufs;
            }
        });
    }
}

impl<'s> Greedy<'s> {
    /// A run that may go up to `cap` edits.
    fn new(a: &'s [u32], b: &'s [u32], cap: usize) -> Self {
        let cap = cap.min(a.len() + b.len()) as isize;
        // The buffers of the last run, reused (a document has thousands of
        // regions, and growing a trace of megabytes again each time costs
        // more than the steps that fill it).
        let (mut v, mut trace) = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        v.clear();
        v.resize((2 * cap + 3) as usize, 0);
        trace.clear();
        Greedy {
            a,
            b,
            v,
            off: cap + 1,
            trace,
            d: 0,
        }
    }

    /// Takes the steps up to `max_d` edits (at most the `cap` it was made
    /// with): the minimal diff if it reaches the end, otherwise the stop
    /// at the furthest point.
    fn run(&mut self, max_d: usize) -> Step {
        let (a, b) = (self.a, self.b);
        let (n, m) = (a.len() as isize, b.len() as isize);
        let max_d = max_d.min(a.len() + b.len()) as isize;
        let off = self.off;
        debug_assert!(max_d < off);
        let v = &mut self.v[..];
        while self.d <= max_d {
            let d = self.d;
            self.d += 1;
            let start = self.trace.len();
            self.trace.resize(start + d as usize + 1, 0);
            let row = &mut self.trace[start..];
            // Diagonals -d..=d step 2, at v[lo], v[lo + 2], ...
            let lo = (off - d) as usize;
            let mut done = false;
            for (i, slot) in row.iter_mut().enumerate() {
                let at = lo + 2 * i;
                let k = at as isize - off;
                let down = k == -d || (k != d && v[at - 1] < v[at + 1]);
                let mut x = if down { v[at + 1] } else { v[at - 1] + 1 };
                let mut y = x - k;
                if x < n && y < m && y >= 0 {
                    let (xs, ys) = (&a[x as usize..], &b[y as usize..]);
                    // Most diagonals of an edited region end at once.
                    if xs[0] == ys[0] {
                        let run = xs.iter().zip(ys).take_while(|(p, q)| p == q).count() as isize;
                        x += run;
                        y += run;
                    }
                }
                v[at] = x;
                *slot = x;
                if x >= n && y >= m {
                    done = true;
                    self.trace.truncate(start + i + 1);
                    break;
                }
            }
            if done {
                return Step {
                    pairs: backtrack(&self.trace, d, n, m),
                    end: (a.len(), b.len()),
                    complete: true,
                };
            }
        }
        // Out of edits: stop at the furthest point, clipped to the sequences
        // (a diagonal may have run past one end).
        let d = max_d;
        let last = &self.trace[snapshot(d)..snapshot(d + 1)];
        let mut best = (0isize, 0isize);
        for (i, &x) in last.iter().enumerate() {
            let k = 2 * i as isize - d;
            let y = x - k;
            if x <= n && y <= m && y >= 0 && x + y > best.0 + best.1 {
                best = (x, y);
            }
        }
        Step {
            pairs: backtrack(&self.trace, d, best.0, best.1),
            end: (best.0 as usize, best.1 as usize),
            complete: false,
        }
    }
}

/// The matched pairs of a diff of `a` and `b` built from greedy steps of at
/// most `max_d` edits: minimal when the whole diff needs no more (and
/// `None` if `exact` is asked and it needs more); otherwise each step is
/// minimal to where it stops, as git's xdiff bounds its cost.
fn greedy_pairs(a: &[u32], b: &[u32], max_d: usize, exact: bool) -> Option<Vec<(usize, usize)>> {
    let mut pairs = Vec::new();
    let (mut x0, mut y0) = (0, 0);
    let mut cap = max_d;
    // A short first probe: most regions need few edits and end here. One
    // that advanced fewer than four tokens per edit is rewritten text, where
    // short steps lose nothing worth keeping; it goes on in short steps.
    // Otherwise the same run goes on to `max_d` (its first step).
    let probe_d = (GREEDY_MIN_D + a.len().abs_diff(b.len())).min(max_d);
    let mut first = None;
    if probe_d < max_d {
        let mut g = Greedy::new(a, b, max_d);
        let probe = g.run(probe_d);
        if probe.complete {
            return Some(probe.pairs);
        }
        if !exact && probe.end.0 + probe.end.1 < 4 * probe_d {
            if probe.end == (0, 0) {
                return None;
            }
            pairs = probe.pairs;
            (x0, y0) = probe.end;
            cap = REWRITE_STEP_D;
        } else {
            first = Some(g);
        }
    }
    loop {
        if (x0, y0) != (0, 0) && (x0 == a.len() || y0 == b.len()) {
            // A step used one side up: the rest of the other is all edits.
            return Some(pairs);
        }
        let step = match first.take() {
            Some(mut g) => g.run(cap),
            None => greedy(&a[x0..], &b[y0..], cap),
        };
        if !step.complete && (exact || step.end == (0, 0)) {
            return None;
        }
        pairs.extend(step.pairs.into_iter().map(|(x, y)| (x + x0, y + y0)));
        if step.complete {
            return Some(pairs);
        }
        x0 += step.end.0;
        y0 += step.end.1;
    }
}

/// Where step `d` starts in the flat trace.
fn snapshot(d: isize) -> usize {
    (d * (d + 1) / 2) as usize
}

/// Walks the greedy trace back from (n, m), reached at step `last`,
/// collecting the diagonal moves.
fn backtrack(trace: &[isize], last: isize, n: isize, m: isize) -> Vec<(usize, usize)> {
    let mut pairs = Vec::with_capacity(n.min(m).max(0) as usize);
    let (mut x, mut y) = (n, m);
    for d in (1..=last).rev() {
        let k = x - y;
        let prev = &trace[snapshot(d - 1)..snapshot(d)];
        let get = |k: isize| prev[((k + d - 1) / 2) as usize];
        let down = k == -d || (k != d && get(k - 1) < get(k + 1));
        let pk = if down { k + 1 } else { k - 1 };
        let (px, py) = (get(pk), get(pk) - pk);
        // The edit step, then the diagonal run up to (x, y).
        let (sx, sy) = if down { (px, py + 1) } else { (px + 1, py) };
        while x > sx && y > sy {
            x -= 1;
            y -= 1;
            pairs.push((x as usize, y as usize));
        }
        x = px;
        y = py;
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        pairs.push((x as usize, y as usize));
    }
    pairs.reverse();
    pairs
}

/// The indices of `long`'s tokens that occur in `short`, when `long` is
/// much longer (at least twice and 16 tokens more) and some do not.
fn shared_only(long: &[u32], short: &[u32]) -> Option<Vec<usize>> {
    if long.len() < 2 * short.len() + 16 {
        return None;
    }
    let mut ids = short.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let keep: Vec<usize> = (0..long.len())
        .filter(|&i| ids.binary_search(&long[i]).is_ok())
        .collect();
    (keep.len() < long.len()).then_some(keep)
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
