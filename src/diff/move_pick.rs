//! Which candidate pairs of passages become moves: the best-scoring pairs
//! first, each passage in at most one pair, scoring a pair (an inner diff,
//! the costly part) only when it could still be chosen.

use std::collections::BinaryHeap;

/// A candidate pair, ranked by its score or by a bound on it.
struct Entry {
    /// The exact score when `exact`, otherwise at least the exact score.
    key: f64,
    exact: bool,
    del: usize,
    ins: usize,
}

impl Entry {
    /// Higher keys first; on equal keys a bound before a score (the bound
    /// may yet turn into that same score, with an earlier pair), then the
    /// earlier deleted passage, then the earlier inserted one.
    fn rank(&self, other: &Self) -> std::cmp::Ordering {
        self.key
            .total_cmp(&other.key)
            .then(other.exact.cmp(&self.exact))
            .then(other.del.cmp(&self.del))
            .then(other.ins.cmp(&self.ins))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other).is_eq()
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank(other)
    }
}

/// The pairs chosen among `candidates` ((bound, deleted, inserted), the
/// bound at least the pair's score): in order of score, highest first
/// (ties: earlier deleted passage, then earlier inserted), each pair whose
/// two passages are still free, among those `score` accepts (it gives the
/// score and what came with it, or `None` below the threshold).
///
/// The same pairs as scoring every candidate, sorting and taking them
/// greedily; but a pair is scored only when its bound is the highest left
/// and both its passages are free, so a pair that lost one of its passages
/// to a better pair is never scored. What scoring gave is kept for the
/// best-scoring pair of each deleted passage only (one at a time, however
/// many pairs are scored), and returned with a chosen pair that is it.
pub(super) fn pick<T>(
    candidates: Vec<(f64, usize, usize)>,
    dels: usize,
    inss: usize,
    mut score: impl FnMut(usize, usize) -> Option<(f64, T)>,
) -> Vec<(usize, usize, Option<T>)> {
    let mut heap: BinaryHeap<Entry> = candidates
        .into_iter()
        .map(|(key, del, ins)| Entry {
            key,
            exact: false,
            del,
            ins,
        })
        .collect();
    let mut best: Vec<Option<(f64, usize, T)>> = Vec::with_capacity(dels);
    best.resize_with(dels, || None);
    let mut used_d = vec![false; dels];
    let mut used_i = vec![false; inss];
    let mut out = Vec::new();
    while let Some(e) = heap.pop() {
        if used_d[e.del] || used_i[e.ins] {
            continue;
        }
        if e.exact {
            used_d[e.del] = true;
            used_i[e.ins] = true;
            let kept = best[e.del].take().filter(|b| b.1 == e.ins);
            out.push((e.del, e.ins, kept.map(|b| b.2)));
        } else if let Some((key, found)) = score(e.del, e.ins) {
            debug_assert!(key <= e.key, "a score above its bound");
            if best[e.del].as_ref().is_none_or(|b| key > b.0) {
                best[e.del] = Some((key, e.ins, found));
            }
            heap.push(Entry {
                key,
                exact: true,
                ..e
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pick;

    /// Scores every candidate, sorts, and takes pairs greedily.
    fn eager(scores: &[(usize, usize, Option<f64>)]) -> Vec<(usize, usize)> {
        let mut scored: Vec<(f64, usize, usize)> = scores
            .iter()
            .filter_map(|&(d, i, s)| s.map(|s| (s, d, i)))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let (mut ud, mut ui) = (vec![false; 8], vec![false; 8]);
        let mut out = Vec::new();
        for (_, d, i) in scored {
            if !ud[d] && !ui[i] {
                ud[d] = true;
                ui[i] = true;
                out.push((d, i));
            }
        }
        out
    }

    /// Random candidates with scores on a coarse grid (many ties) and
    /// bounds at or above them: the lazy pick takes the same pairs, in the
    /// same order, as scoring everything, and scores fewer.
    #[test]
    fn lazy_pick_takes_the_pairs_eager_scoring_takes() {
        let mut lcg = crate::text::testing::Lcg::new(7);
        let (mut saved, mut kept) = (0, 0);
        for _ in 0..2000 {
            let n = 1 + lcg.below(20) as usize;
            let mut scores = Vec::new();
            let mut candidates = Vec::new();
            for _ in 0..n {
                let (d, i) = (lcg.below(8) as usize, lcg.below(8) as usize);
                if scores.iter().any(|&(a, b, _)| (a, b) == (d, i)) {
                    continue;
                }
                let s = lcg.below(6) as f64 / 5.0;
                let bound = s + lcg.below(3) as f64 / 5.0;
                let s = (s >= 0.4).then_some(s);
                scores.push((d, i, s));
                candidates.push((bound, d, i));
            }
            let mut calls = 0;
            let lazy = pick(candidates, 8, 8, |d, i| {
                calls += 1;
                let s = scores.iter().find(|&&(a, b, _)| (a, b) == (d, i))?.2?;
                Some((s, (d, i)))
            });
            let lazy: Vec<(usize, usize)> = lazy
                .into_iter()
                .map(|(d, i, found)| {
                    // What came with a pair's score, if kept, is its own.
                    assert!(found.is_none_or(|f| f == (d, i)));
                    kept += usize::from(found.is_some());
                    (d, i)
                })
                .collect();
            assert_eq!(lazy, eager(&scores), "{scores:?}");
            saved += scores.len() - calls;
        }
        assert!(saved > 1000, "only {saved} scorings saved");
        assert!(
            kept > 1000,
            "only {kept} chosen pairs came with their scoring"
        );
    }
}
