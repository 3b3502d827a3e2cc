//! The order of a merged history: two chains interleaved by capture time.
//!
//! Each side keeps its own order; at each step the head with the earlier
//! key `(capture time, commit id)` goes first. The decision depends only on
//! the two heads' keys, so merging A with B gives the same order as merging
//! B with A: two machines that reconcile the same histories build the same
//! chain.

use git2::Oid;

/// Which history an item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Local,
    Remote,
}

/// `a` and `b` interleaved: each item as its side and its index there.
pub(super) fn interleave<T>(
    a: &[T],
    b: &[T],
    key: impl Fn(&T) -> (i64, Oid),
) -> Vec<(Side, usize)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    while i < a.len() || j < b.len() {
        let take_a = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => key(x) <= key(y),
            (Some(_), None) => true,
            _ => false,
        };
        if take_a {
            out.push((Side::Local, i));
            i += 1;
        } else {
            out.push((Side::Remote, j));
            j += 1;
        }
    }
    out
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
    fn interleave_is_symmetric_and_keeps_each_side_in_order() {
        // Side a is not in time order (an import): it stays in its order.
        let a = [(5, oid(1)), (3, oid(2)), (9, oid(3))];
        let b = [(4, oid(4)), (5, oid(0)), (10, oid(5))];
        let key = |x: &(i64, Oid)| *x;
        let ab: Vec<(i64, Oid)> = interleave(&a, &b, key)
            .into_iter()
            .map(|(s, i)| if s == Side::Local { a[i] } else { b[i] })
            .collect();
        let ba: Vec<(i64, Oid)> = interleave(&b, &a, key)
            .into_iter()
            .map(|(s, i)| if s == Side::Local { b[i] } else { a[i] })
            .collect();
        assert_eq!(ab, ba);
        // Equal times are ordered by commit id.
        assert_eq!(
            ab,
            vec![
                (4, oid(4)),
                (5, oid(0)),
                (5, oid(1)),
                (3, oid(2)),
                (9, oid(3)),
                (10, oid(5))
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
