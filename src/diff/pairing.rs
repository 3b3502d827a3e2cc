//! A run of changed sentences (or lines, or table rows) too large to align
//! word by word at once, cut into pieces that can be.
//!
//! When every row of a long table has a new date, or every line of a long
//! list one changed word, no unit is unchanged: the whole run has nothing
//! to anchor on, and its token product is over the budget. Before, such a
//! run was shown as one replacement. Here its units are paired in order
//! with the units of the other side that are alike (at least half of their
//! words in common), looking a few units ahead on either side when the next
//! two are not; each pair, and each unpaired stretch, is then diffed word by
//! word on its own. A run where few units find a partner is a rewrite, not
//! a revision: it is left whole (the caller shows it as a replacement, as
//! before), which also keeps a total rewrite as cheap as it was.

use super::lines::{hash_bytes, Line};
use std::ops::Range;

/// How far ahead, in units on either side, a partner is looked for.
const WINDOW: usize = 8;
/// After this many units, a run in which fewer than a quarter found a
/// partner is given up (a rewrite).
const PROBE: usize = 32;

/// One piece of the run, in order: units of the old side, of the new side,
/// or both (a pair of alike units). Ranges span whole units.
pub type Piece = (Option<Range<usize>>, Option<Range<usize>>);

/// The run `old_units` (of `old`) against `new_units` (of `new`), cut into
/// pieces, or `None` when it is a rewrite (fewer than half of the smaller
/// side's units found a partner).
pub fn split_run(
    old: &str,
    old_units: &[Line],
    new: &str,
    new_units: &[Line],
) -> Option<Vec<Piece>> {
    // Bags are made when first compared and dropped once passed, so that a
    // rewrite given up after a few units costs only those units.
    let mut ob = Bags::new(old, old_units);
    let mut nb = Bags::new(new, new_units);
    let mut score = |i: usize, j: usize| similarity(ob.get(i), nb.get(j));
    let span = |units: &[Line], r: Range<usize>| {
        (!r.is_empty()).then(|| units[r.start].range.start..units[r.end - 1].range.end)
    };
    let (n, m) = (old_units.len(), new_units.len());
    let mut pieces = Vec::new();
    let (mut i, mut j, mut paired) = (0, 0, 0);
    while i < n && j < m {
        if i + j > 2 * PROBE && paired * 8 < i + j {
            return None;
        }
        // The next two pair up unless one of them is more like the unit
        // after the other (a row dropped or added just here).
        let here = score(i, j);
        let next_old = if i + 1 < n { score(i + 1, j) } else { 0.0 };
        let next_new = if j + 1 < m { score(i, j + 1) } else { 0.0 };
        if here >= ALIKE && here >= next_old && here >= next_new {
            pieces.push((span(old_units, i..i + 1), span(new_units, j..j + 1)));
            (i, j, paired) = (i + 1, j + 1, paired + 1);
            continue;
        }
        // The nearest partner ahead: old units dropped before old[i + d]
        // matches new[j], or new units added before new[j + d] matches old[i]
        // (the closer match when both do).
        let ahead = (1..=WINDOW).find_map(|d| {
            let o = if i + d < n { score(i + d, j) } else { 0.0 };
            let a = if j + d < m { score(i, j + d) } else { 0.0 };
            match (o >= ALIKE, a >= ALIKE) {
                (true, true) if a > o => Some((0, d)),
                (true, _) => Some((d, 0)),
                (false, true) => Some((0, d)),
                (false, false) => None,
            }
        });
        match ahead {
            Some((di, dj)) => {
                pieces.push((span(old_units, i..i + di), span(new_units, j..j + dj)));
                (i, j) = (i + di, j + dj);
            }
            None => {
                // Neither has a partner near: a replaced unit.
                pieces.push((span(old_units, i..i + 1), span(new_units, j..j + 1)));
                (i, j) = (i + 1, j + 1);
            }
        }
    }
    if paired * 2 < n.min(m) {
        return None;
    }
    if i < n || j < m {
        pieces.push((span(old_units, i..n), span(new_units, j..m)));
    }
    Some(pieces)
}

/// The units of `all` (in text order) that lie within `range`.
pub fn units_within<'u>(all: &'u [Line], range: &Range<usize>) -> &'u [Line] {
    let lo = all.partition_point(|l| l.range.start < range.start);
    let hi = all.partition_point(|l| l.range.end <= range.end);
    &all[lo..hi.max(lo)]
}

/// The sorted word hashes of the units of one side near the walk, made on
/// first use and dropped once behind it (the walk only moves forward).
struct Bags<'a> {
    text: &'a str,
    units: &'a [Line],
    /// The bags of units `first..first + made.len()`.
    made: std::collections::VecDeque<Option<Vec<u64>>>,
    first: usize,
}

impl<'a> Bags<'a> {
    fn new(text: &'a str, units: &'a [Line]) -> Self {
        Bags {
            text,
            units,
            made: std::collections::VecDeque::new(),
            first: 0,
        }
    }

    fn get(&mut self, i: usize) -> &[u64] {
        // Nothing more than a window behind the furthest unit asked for is
        // compared again.
        while self.first + 2 * WINDOW < i && !self.made.is_empty() {
            self.made.pop_front();
            self.first += 1;
        }
        if (self.made.is_empty() && self.first < i) || i < self.first {
            self.made.clear();
            self.first = i;
        }
        while self.first + self.made.len() <= i {
            self.made.push_back(None);
        }
        let (text, units) = (self.text, self.units);
        self.made[i - self.first].get_or_insert_with(|| {
            // Words with a letter or digit: table pipes, list bullets and
            // dashes would make any two rows alike.
            let mut v: Vec<u64> = text[units[i].range.clone()]
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .map(|w| hash_bytes(w.as_bytes()))
                .collect();
            v.sort_unstable();
            v
        })
    }
}

/// Units at least this alike are partners: half of the words of the
/// longer one are found in the other.
const ALIKE: f64 = 0.5;

/// The share of the longer unit's words found in the other (as multisets
/// of word hashes, both sorted); 0 for two empty units.
fn similarity(a: &[u64], b: &[u64]) -> f64 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 0.0;
    }
    let (mut x, mut y, mut common) = (0, 0, 0);
    while x < a.len() && y < b.len() {
        match a[x].cmp(&b[y]) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                x += 1;
                y += 1;
            }
        }
    }
    common as f64 / longer as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::lines::sentences;

    fn run(old: &str, new: &str) -> Option<Vec<(Option<String>, Option<String>)>> {
        let (ou, nu) = (sentences(old, 0..old.len()), sentences(new, 0..new.len()));
        let text = |t: &str, r: Option<Range<usize>>| r.map(|r| t[r].to_string());
        split_run(old, &ou, new, &nu).map(|ps| {
            ps.into_iter()
                .map(|(o, n)| (text(old, o), text(new, n)))
                .collect()
        })
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn alike_rows_pair_in_order_and_dropped_or_added_rows_stand_alone() {
        let old = "| a | 1 | 2024-01-01 |\n| b | 2 | 2024-01-02 |\n| gone row here |\n| c | 3 | 2024-01-03 |\n";
        let new = "| a | 1 | 2024-02-01 |\n| b | 2 | 2024-02-02 |\n| c | 3 | 2024-02-03 |\n| new | row | entirely |\n";
        assert_eq!(
            run(old, new).expect("a revision"),
            vec![
                (s("| a | 1 | 2024-01-01 |"), s("| a | 1 | 2024-02-01 |")),
                (s("| b | 2 | 2024-01-02 |"), s("| b | 2 | 2024-02-02 |")),
                (s("| gone row here |"), None),
                (s("| c | 3 | 2024-01-03 |"), s("| c | 3 | 2024-02-03 |")),
                (None, s("| new | row | entirely |")),
            ]
        );
    }

    #[test]
    fn a_rewrite_is_left_whole() {
        let old = "The cat sat on the mat.\nIt was warm there.\nNobody minded at all.\n";
        let new = "Prices rise in spring.\nShops open late now.\nTrains run on time.\n";
        assert_eq!(run(old, new), None);
    }

    #[test]
    fn similarity_is_the_share_of_the_longer_units_words() {
        let h = |s: &str| {
            let mut v: Vec<u64> = s
                .split_whitespace()
                .map(|w| hash_bytes(w.as_bytes()))
                .collect();
            v.sort_unstable();
            v
        };
        assert_eq!(similarity(&h("a b c d"), &h("a b x y")), 0.5);
        assert_eq!(similarity(&h("a b c d"), &h("a x y z")), 0.25);
        assert_eq!(similarity(&h("a b"), &h("a b c d e")), 0.4);
        assert_eq!(similarity(&h("a a b"), &h("a b b")), 2.0 / 3.0);
        assert_eq!(similarity(&h(""), &h("")), 0.0);
    }

    #[test]
    fn a_row_added_before_alike_rows_does_not_shift_the_pairs() {
        let old = "| Product 1 | 3.99 | 2024-01-02 |\n| Product 2 | 6.99 | 2024-01-03 |\n| Product 3 | 9.99 | 2024-01-04 |\n";
        let new = "| Gift card | 25.00 | 2024-02-01 |\n| Product 1 | 3.99 | 2024-02-02 |\n| Product 2 | 6.99 | 2024-02-03 |\n| Product 3 | 9.99 | 2024-02-04 |\n";
        let pieces = run(old, new).expect("a revision");
        assert_eq!(pieces[0], (None, s("| Gift card | 25.00 | 2024-02-01 |")));
        assert_eq!(
            pieces[1],
            (
                s("| Product 1 | 3.99 | 2024-01-02 |"),
                s("| Product 1 | 3.99 | 2024-02-02 |")
            )
        );
        assert_eq!(pieces.len(), 4);
    }
}
