//! The order of a merged history: the union of two chains' revisions after
//! their common base, in capture-time order.
//!
//! A revision is known by a key that its re-linked copies share (for a
//! document: capture time, tree and message without the trailers; for a
//! check: time and message). The union holds each key once, sorted by key:
//! capture time first, then the rest of the key, so that two revisions
//! captured in the same second are ordered the same way everywhere. The
//! result depends only on the set of revisions, never on which side held
//! which copy: two machines that reconcile the same histories build the
//! same chain, and a chain that is already the result is adopted as it is.

use git2::Oid;
use std::collections::BTreeMap;

/// Which history an item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Local,
    Remote,
}

/// The distinct keys of `a` and `b` in order, each with the items that
/// have it (as side and index).
pub(super) fn union_by_key<T, K: Ord>(
    a: &[T],
    b: &[T],
    key: impl Fn(&T) -> K,
) -> Vec<Vec<(Side, usize)>> {
    let mut by: BTreeMap<K, Vec<(Side, usize)>> = BTreeMap::new();
    for (i, x) in a.iter().enumerate() {
        by.entry(key(x)).or_default().push((Side::Local, i));
    }
    for (i, x) in b.iter().enumerate() {
        by.entry(key(x)).or_default().push((Side::Remote, i));
    }
    by.into_values().collect()
}

/// The length of the common prefix of two chains (oldest first).
pub(super) fn common_prefix(a: &[Oid], b: &[Oid]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).expect("20 bytes")
    }

    #[test]
    fn the_union_is_symmetric_sorted_and_holds_each_key_once() {
        let a = [(5, "x"), (3, "y"), (9, "z")];
        let b = [(4, "w"), (5, "x"), (5, "a"), (10, "v")];
        let keys = |u: Vec<Vec<(Side, usize)>>,
                    a: &[(i64, &'static str)],
                    b: &[(i64, &'static str)]|
         -> Vec<(i64, &'static str, usize)> {
            u.into_iter()
                .map(|items| {
                    let (s, i) = items[0];
                    let k = if s == Side::Local { a[i] } else { b[i] };
                    (k.0, k.1, items.len())
                })
                .collect()
        };
        let ab = keys(union_by_key(&a, &b, |x| *x), &a, &b);
        let ba = keys(union_by_key(&b, &a, |x| *x), &b, &a);
        assert_eq!(ab, ba);
        assert_eq!(
            ab,
            vec![
                (3, "y", 1),
                (4, "w", 1),
                (5, "a", 1),
                (5, "x", 2),
                (9, "z", 1),
                (10, "v", 1)
            ]
        );
    }

    #[test]
    fn common_prefix_counts_shared_oldest_commits() {
        assert_eq!(common_prefix(&[oid(1), oid(2)], &[oid(1), oid(3)]), 1);
        assert_eq!(common_prefix(&[oid(1)], &[oid(1), oid(3)]), 1);
        assert_eq!(common_prefix(&[oid(2)], &[oid(1)]), 0);
    }
}
