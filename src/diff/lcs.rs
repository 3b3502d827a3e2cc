//! A longest common subsequence by bit vectors (Allison and Dix; Hyyrö,
//! "Bit-parallel LCS-length computation revisited", 2004): one pass over
//! the longer sequence, 64 positions of the shorter one per machine word.
//!
//! It costs O(n * m / 64) whatever the two sequences hold, where Myers'
//! algorithm costs O((n + m) * d): a rewritten region (d close to n + m) or
//! a long passage against a short one (d at least their difference) is
//! where the alignment used to spend its time. The traceback keeps one bit
//! vector per token of the longer side: n * m / 8 bytes, at most about
//! 3 MiB within the token budget.

use super::hash::Map;

/// The matched (index in `a`, index in `b`) pairs of a longest common
/// subsequence, in order.
pub(super) fn pairs(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
    // The shorter side is the bit vector: fewer words per row.
    if a.len() > b.len() {
        return pairs(b, a).into_iter().map(|(j, i)| (i, j)).collect();
    }
    let (m, n) = (a.len(), b.len());
    if m == 0 {
        return Vec::new();
    }
    let w = m.div_ceil(64);
    let masks = Masks::of(a, w);
    // rows[j]: the column vector after b[..=j]. A 0 at bit i means the
    // common subsequence of a[..=i] and b[..=j] is one longer than that of
    // a[..i] and b[..=j]. (Every row is written: no zeroing first.)
    let mut rows = Vec::with_capacity(n * w);
    let mut v = vec![!0u64; w];
    for c in b {
        if let Some(mask) = masks.get(c) {
            advance(&mut v, mask);
        }
        rows.extend_from_slice(&v);
    }
    // The length of the common subsequence of a[..i] and b[..j]: the zeros
    // among the first i bits of column j (column 0 has none).
    let row = |j: usize| &rows[(j - 1) * w..j * w];
    let length = |j: usize, i: usize| -> usize {
        if j == 0 {
            return 0;
        }
        let r = row(j);
        let full = i / 64;
        let mut ones: usize = r[..full].iter().map(|x| x.count_ones() as usize).sum();
        if !i.is_multiple_of(64) {
            ones += (r[full] & ((1u64 << (i % 64)) - 1)).count_ones() as usize;
        }
        i - ones
    };
    let (mut i, mut j) = (m, n);
    let mut cur = length(j, i);
    let mut out = Vec::with_capacity(cur);
    while i > 0 && j > 0 && cur > 0 {
        let bit = (row(j)[(i - 1) / 64] >> ((i - 1) % 64)) & 1;
        if bit == 1 {
            // a[i - 1] adds nothing in column j.
            i -= 1;
        } else if a[i - 1] != b[j - 1] || length(j - 1, i) == cur {
            // b[j - 1] adds nothing. (When the two differ, a longest common
            // subsequence of a[..i] and b[..j] that needs a[i - 1] does
            // not end with b[j - 1]: no need to count.)
            j -= 1;
        } else {
            // Longer than both neighbours: a match on the diagonal.
            out.push((i - 1, j - 1));
            i -= 1;
            j -= 1;
            cur -= 1;
        }
    }
    out.reverse();
    out
}

/// Where each symbol of a sequence occurs, as a bit mask of `w` words over
/// it: all masks in one flat vector (one allocation, not one per symbol).
struct Masks<T> {
    at: Map<T, usize>,
    bits: Vec<u64>,
    w: usize,
}

impl<T: Copy + Eq + std::hash::Hash> Masks<T> {
    fn of(a: &[T], w: usize) -> Self {
        let mut at: Map<T, usize> = Map::default();
        let mut bits: Vec<u64> = Vec::new();
        for (i, &c) in a.iter().enumerate() {
            let k = *at.entry(c).or_insert_with(|| {
                bits.resize(bits.len() + w, 0);
                bits.len() - w
            });
            bits[k + i / 64] |= 1 << (i % 64);
        }
        Masks { at, bits, w }
    }

    fn get(&self, c: &T) -> Option<&[u64]> {
        self.at.get(c).map(|&k| &self.bits[k..k + self.w])
    }
}

/// One column of the bit vector after a symbol whose positions are `mask`
/// (Hyyrö's step: an addition with carry across the machine words).
#[inline]
fn advance(v: &mut [u64], mask: &[u64]) {
    let mut carry = false;
    for (x, &m) in v.iter_mut().zip(mask) {
        let u = *x & m;
        let (s, c1) = x.overflowing_add(u);
        let (s, c2) = s.overflowing_add(u64::from(carry));
        carry = c1 || c2;
        *x = s | (*x & !m);
    }
}

/// The length of a longest common subsequence of `a` and `b`, by the same
/// bit vectors without the traceback: O(n * m / 64) time and O(m) memory.
pub(super) fn length<T: Copy + Eq + std::hash::Hash>(a: &[T], b: &[T]) -> usize {
    let (a, b) = if a.len() > b.len() { (b, a) } else { (a, b) };
    let m = a.len();
    if m == 0 {
        return 0;
    }
    let w = m.div_ceil(64);
    let masks = Masks::of(a, w);
    let mut v = vec![!0u64; w];
    for c in b {
        if let Some(mask) = masks.get(c) {
            advance(&mut v, mask);
        }
    }
    // The zeros among the first m bits.
    let ones: usize = v.iter().map(|x| x.count_ones() as usize).sum();
    let padding = w * 64 - m;
    m - (ones - padding)
}

#[cfg(test)]
pub(super) mod tests {
    use super::{length, pairs};

    /// Length of a longest common subsequence, by dynamic programming.
    pub(in crate::diff) fn lcs(a: &[u32], b: &[u32]) -> usize {
        let mut row = vec![0usize; b.len() + 1];
        for x in a {
            let mut diag = 0;
            for (j, y) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
                diag = up;
            }
        }
        row[b.len()]
    }

    #[test]
    fn pairs_are_a_longest_common_subsequence() {
        let mut lcg = crate::text::testing::Lcg::new(7);
        for case in 0..3000 {
            // Lengths across word boundaries (63, 64, 65, 130 ...).
            let (la, lb) = if case % 10 == 0 {
                (lcg.below(200), lcg.below(200))
            } else {
                (lcg.below(40), lcg.below(40))
            };
            let k = 1 + lcg.below(8);
            let a: Vec<u32> = (0..la).map(|_| lcg.below(k) as u32).collect();
            let b: Vec<u32> = (0..lb).map(|_| lcg.below(k) as u32).collect();
            let p = pairs(&a, &b);
            assert!(p.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
            assert!(p.iter().all(|&(i, j)| a[i] == b[j]));
            assert_eq!(p.len(), lcs(&a, &b), "{a:?} {b:?}");
            assert_eq!(length(&a, &b), p.len(), "{a:?} {b:?}");
        }
        assert!(pairs(&[], &[1, 2]).is_empty());
        assert_eq!(length::<u32>(&[], &[1, 2]), 0);
        assert_eq!(pairs(&[1, 2, 3], &[1, 2, 3]), [(0, 0), (1, 1), (2, 2)]);
    }
}
