//! Slides pure insertions and deletions to where a reader expects them.
//!
//! A minimal diff may cut a deleted sentence as `...capabilities[-. Minister
//! ... goals-]. The...`: the same run of tokens could as well be deleted one
//! token later, as `...capabilities. [-Minister ... goals.-] The...`. Where a
//! run of deleted (or inserted) tokens can shift because the token before it
//! equals its last token (or the token after it equals its first), every
//! position is equally minimal; this picks the one whose edges fall on
//! sentence, line and word boundaries (in the spirit of git's indent
//! heuristic, for prose).

use std::ops::Range;

const SENTENCE_END: &[&str] = &[".", "!", "?", "。", "！", "？", "…"];
const CLAUSE_END: &[&str] = &[",", ";", ":", "、", "，", "；"];

/// Whether a token ends a sentence.
pub(crate) fn is_sentence_end(tok: &str) -> bool {
    SENTENCE_END.contains(&tok)
}

/// Slides runs on both sides; `pairs` are the matched (old, new) tokens.
pub(crate) fn slide(
    old: &str,
    old_toks: &[Range<usize>],
    new: &str,
    new_toks: &[Range<usize>],
    pairs: Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let mut om = vec![None; old_toks.len()];
    let mut nm = vec![None; new_toks.len()];
    for &(i, j) in &pairs {
        om[i] = Some(j);
        nm[j] = Some(i);
    }
    slide_side(old, old_toks, &mut om, &mut nm);
    slide_side(new, new_toks, &mut nm, &mut om);
    om.iter()
        .enumerate()
        .filter_map(|(i, j)| j.map(|j| (i, j)))
        .collect()
}

struct Side<'a> {
    text: &'a str,
    toks: &'a [Range<usize>],
}

impl Side<'_> {
    fn tok(&self, k: usize) -> &str {
        &self.text[self.toks[k].clone()]
    }
    /// The whitespace before token k (before the end for k == len).
    fn gap_before(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.toks[k - 1].end };
        let end = self.toks.get(k).map_or(self.text.len(), |t| t.start);
        &self.text[start..end]
    }
    /// How good a place it is to start a changed run at token `k`.
    fn start_score(&self, k: usize) -> i32 {
        let gap = self.gap_before(k);
        if k == 0 || gap.contains('\n') {
            return 5;
        }
        let prev = self.tok(k - 1);
        let ws = i32::from(!gap.is_empty());
        ws + if SENTENCE_END.contains(&prev) {
            3
        } else if CLAUSE_END.contains(&prev) {
            1
        } else {
            0
        }
    }
    /// How good a place it is to end a changed run after token `k - 1`.
    fn end_score(&self, k: usize) -> i32 {
        let gap = self.gap_before(k);
        if k == self.toks.len() || gap.contains('\n') {
            return 5;
        }
        let last = self.tok(k - 1);
        let ws = i32::from(!gap.is_empty());
        ws + if SENTENCE_END.contains(&last) {
            3
        } else if CLAUSE_END.contains(&last) {
            1
        } else {
            0
        }
    }
}

/// Slides every pure run of unmatched tokens on the side given by `m`
/// (`other` is the partner map of the other side).
fn slide_side(
    text: &str,
    toks: &[Range<usize>],
    m: &mut [Option<usize>],
    other: &mut [Option<usize>],
) {
    let side = Side { text, toks };
    let n = toks.len();
    let mut s = 0;
    while s < n {
        if m[s].is_some() {
            s += 1;
            continue;
        }
        let mut e = s;
        while e < n && m[e].is_none() {
            e += 1;
        }
        // Pure: the other side has nothing unmatched at this place.
        let left_next = if s == 0 {
            Some(0)
        } else {
            m[s - 1].map(|j| j + 1)
        };
        let right = if e == n { Some(other.len()) } else { m[e] };
        if left_next.is_none() || left_next != right {
            s = e;
            continue;
        }
        // How far the run can move left and right.
        let mut left = 0;
        while s > left
            && m[s - left - 1].is_some()
            && side.tok(s - left - 1) == side.tok(e - left - 1)
            && (left == 0 || m[s - left - 1].map(|j| j + 1) == m[s - left])
        {
            left += 1;
        }
        let mut right_n = 0;
        while e + right_n < n
            && m[e + right_n].is_some()
            && side.tok(s + right_n) == side.tok(e + right_n)
            && (right_n == 0 || m[e + right_n - 1].map(|j| j + 1) == m[e + right_n])
        {
            right_n += 1;
        }
        if left == 0 && right_n == 0 {
            s = e;
            continue;
        }
        let score = |off: isize| {
            let a = (s as isize + off) as usize;
            let b = (e as isize + off) as usize;
            side.start_score(a) + side.end_score(b)
        };
        let mut best = 0isize;
        let mut best_score = score(0);
        for off in (-(left as isize))..=(right_n as isize) {
            let sc = score(off);
            if sc > best_score || (sc == best_score && off.abs() < best.abs()) {
                best = off;
                best_score = sc;
            }
        }
        if best < 0 {
            for t in 1..=best.unsigned_abs() {
                if let Some(j) = m[s - t].take() {
                    m[e - t] = Some(j);
                    other[j] = Some(e - t);
                }
            }
        } else {
            for t in 0..best as usize {
                if let Some(j) = m[e + t].take() {
                    m[s + t] = Some(j);
                    other[j] = Some(s + t);
                }
            }
        }
        s = (e as isize + best) as usize;
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::diff;
    use crate::diff::tests::marked;

    #[test]
    fn deleted_sentence_is_cut_at_sentence_boundaries() {
        let d = diff(
            "Cats sleep. Dogs bark. Birds sing.",
            "Cats sleep. Birds sing.",
        );
        assert_eq!(marked(&d), "Cats sleep. [-Dogs bark.-] Birds sing.");
        let d = diff(
            "Capabilities. Minister Shin highlighted goals. The Secretary committed.",
            "Capabilities. The Secretary committed.",
        );
        assert_eq!(
            marked(&d),
            "Capabilities. [-Minister Shin highlighted goals.-] The Secretary committed."
        );
    }

    #[test]
    fn deleted_paragraph_with_repeated_opening_is_whole() {
        let d = diff(
            "The three leaders discussed ways.\n\nThe three leaders stressed order.",
            "The three leaders stressed order.",
        );
        assert_eq!(
            marked(&d),
            "[-The three leaders discussed ways.-]\n\nThe three leaders stressed order."
        );
    }

    #[test]
    fn inserted_sentence_too() {
        let d = diff("One. Three.", "One. Two. Three.");
        assert_eq!(marked(&d), "One. {+Two.+} Three.");
    }
}
