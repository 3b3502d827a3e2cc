//! Which candidate pairs of passages become moves: the best-scoring pairs
//! first, each passage in at most one pair, scoring a pair (an inner diff,
//! the costly part) only when it could still be chosen.

use std::collections::BinaryHeap;

/// A candidate pair, ranked by its score or by a bound on it.
struct Entry<T> {
    /// The exact score when `exact`, otherwise at least the exact score.
    key: f64,
    exact: bool,
    del: usize,
    ins: usize,
    /// What scoring gave beside the score, once scored.
    found: Option<T>,
}

impl<T> Entry<T> {
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

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other).is_eq()
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
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
/// to a better pair is never scored.
pub(super) fn pick<T>(
    candidates: Vec<(f64, usize, usize)>,
    dels: usize,
    inss: usize,
    mut score: impl FnMut(usize, usize) -> Option<(f64, T)>,
) -> Vec<(usize, usize, T)> {
    let mut heap: BinaryHeap<Entry<T>> = candidates
        .into_iter()
        .map(|(key, del, ins)| Entry {
            key,
            exact: false,
            del,
            ins,
            found: None,
        })
        .collect();
    let mut used_d = vec![false; dels];
    let mut used_i = vec![false; inss];
    let mut out = Vec::new();
    while let Some(e) = heap.pop() {
        if used_d[e.del] || used_i[e.ins] {
            continue;
        }
        match e.found {
            Some(found) => {
                used_d[e.del] = true;
                used_i[e.ins] = true;
                out.push((e.del, e.ins, found));
            }
            None => {
                if let Some((key, found)) = score(e.del, e.ins) {
                    debug_assert!(key <= e.key, "a score above its bound");
                    heap.push(Entry {
                        key,
                        exact: true,
                        found: Some(found),
                        ..e
                    });
                }
            }
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
        let mut saved = 0;
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
                    assert_eq!(found, (d, i));
                    (d, i)
                })
                .collect();
            assert_eq!(lazy, eager(&scores), "{scores:?}");
            saved += scores.len() - calls;
        }
        assert!(saved > 1000, "only {saved} scorings saved");
    }
}
