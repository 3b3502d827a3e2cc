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

use crate::text::is_sentence_end;
use std::ops::Range;

const CLAUSE_END: &[&str] = &[",", ";", ":", "、", "，", "；"];

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
    let (o, n) = (
        Side {
            text: old,
            toks: old_toks,
        },
        Side {
            text: new,
            toks: new_toks,
        },
    );
    split_long_side(&o, &mut om, &mut nm);
    split_long_side(&n, &mut nm, &mut om);
    split_at_line_breaks(&o, &mut om, &mut nm);
    split_at_line_breaks(&n, &mut nm, &mut om);
    slide_side(&o, &n, &mut om, &mut nm);
    slide_side(&n, &o, &mut nm, &mut om);
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
        ws + if is_sentence_end(prev) {
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
        // A phrase ending at the punctuation that closes its clause or
        // sentence (`... flood warnings{+ and 4 severe flood warnings+}.`).
        if gap.is_empty() && {
            let next = self.tok(k);
            is_sentence_end(next) || CLAUSE_END.contains(&next)
        } {
            return 1;
        }
        let ws = i32::from(!gap.is_empty());
        ws + if is_sentence_end(last) {
            3
        } else if CLAUSE_END.contains(&last) {
            1
        } else {
            0
        }
    }
}

/// A replacement whose longer side goes on to repeat the text after it is
/// read as a one-for-one replacement and an insertion (or deletion): the
/// minimal alignment may give `[-45-]{+38 flood warnings and 4 severe+}
/// flood warnings`, and as minimal is `[-45-]{+38+} flood warnings {+and 4
/// severe flood warnings+}`, which pairs the figure with the figure (a
/// `number` change) and keeps the addition whole. The longer side's tokens
/// after as many as the shorter side has are slid right across the matched
/// tokens that they repeat; `slide_side` then places the run.
fn split_long_side(side: &Side, m: &mut [Option<usize>], other: &mut [Option<usize>]) {
    let n = side.toks.len();
    let mut next = 0;
    while let Some((s, e, from, to)) = next_run(m, other.len(), next) {
        next = e;
        // The other side's unmatched run at the same place.
        let short = match (from, to) {
            (Some(from), Some(to)) => to.saturating_sub(from),
            _ => 0,
        };
        let split = s + short;
        if short == 0 || split >= e {
            continue;
        }
        // Matched tokens after the run, in a row on both sides, that the
        // tail of the run repeats.
        let mut k = 0;
        while e + k < n
            && split + k < e
            && m[e + k].is_some()
            && (k == 0 || m[e + k - 1].map(|j| j + 1) == m[e + k])
            && side.tok(split + k) == side.tok(e + k)
        {
            k += 1;
        }
        move_matches(m, other, e, split, k);
        next = e + k;
    }
}

/// A pure run that spans a line break and ends just before the last words
/// of a line, which it repeats before its line break, is cut there: the
/// minimal alignment may give `authorities {+and offered condolences.
///
/// Inspectors are testing samples+}.`, and as minimal is `authorities
/// {+and offered condolences+}.` then the new paragraph whole,
/// `{+Inspectors are testing samples.+}`.
fn split_at_line_breaks(side: &Side, m: &mut [Option<usize>], other: &mut [Option<usize>]) {
    let n = side.toks.len();
    let mut next = 0;
    while let Some((s, e, from, to)) = next_run(m, other.len(), next) {
        next = e;
        if from.is_none() || from != to {
            continue;
        }
        // The matched rest of the line after the run.
        let mut k = 0;
        while e + k < n
            && m[e + k].is_some()
            && (k == 0 || m[e + k - 1].map(|j| j + 1) == m[e + k])
            && (k == 0 || !side.gap_before(e + k).contains('\n'))
        {
            k += 1;
        }
        let line_end = e + k == n || side.gap_before(e + k).contains('\n');
        if k == 0 || !line_end {
            continue;
        }
        let at = (s + 1..e.saturating_sub(k)).find(|&p| {
            side.gap_before(p + k).contains('\n')
                && (0..k).all(|t| side.tok(p + t) == side.tok(e + t))
        });
        if let Some(p) = at {
            move_matches(m, other, e, p, k);
            next = e + k;
        }
    }
}

/// The first run of unmatched tokens at or after token `s`: its start and
/// end, and the other side's tokens around the same place (the one after
/// the match before the run, and the match after it; equal when the run is
/// pure, the other side having nothing unmatched there).
fn next_run(
    m: &[Option<usize>],
    other_len: usize,
    s: usize,
) -> Option<(usize, usize, Option<usize>, Option<usize>)> {
    let n = m.len();
    let s = (s..n).find(|&k| m[k].is_none())?;
    let mut e = s;
    while e < n && m[e].is_none() {
        e += 1;
    }
    let from = if s == 0 {
        Some(0)
    } else {
        m[s - 1].map(|j| j + 1)
    };
    let to = if e == n { Some(other_len) } else { m[e] };
    Some((s, e, from, to))
}

/// Moves the matches of `count` tokens from `from..` to `to..`.
fn move_matches(
    m: &mut [Option<usize>],
    other: &mut [Option<usize>],
    from: usize,
    to: usize,
    count: usize,
) {
    for t in 0..count {
        if let Some(j) = m[from + t].take() {
            m[to + t] = Some(j);
            other[j] = Some(to + t);
        }
    }
}

/// Slides every pure run of unmatched tokens on the side given by `m`
/// (`other` is the partner map of the other side, `partner` its tokens).
/// A run slides across a matched token equal to the run's far end; or only
/// equal once case and typography are folded, when the slide turns that
/// match exact (so `[-the missile launches.-] The` rather than
/// `the [-missile launches. The-]` against a new `The`).
fn slide_side(side: &Side, partner: &Side, m: &mut [Option<usize>], other: &mut [Option<usize>]) {
    let n = side.toks.len();
    // Whether the match of token `from` (to partner token `j`) may move to
    // token `to` of this side.
    let can_move = |from: usize, to: usize, j: Option<usize>| {
        let (a, b) = (side.tok(from), side.tok(to));
        a == b
            || j.is_some_and(|j| {
                b == partner.tok(j) && super::kinds::fold_key(a) == super::kinds::fold_key(b)
            })
    };
    let mut next = 0;
    while let Some((s, e, left_next, right)) = next_run(m, other.len(), next) {
        next = e;
        // Pure: the other side has nothing unmatched at this place. A run
        // beside the other side's run (a replacement) may slide too, off
        // it, when that puts it on much better boundaries: `here[-. We
        // will never sell it-] {+and now+}. Beta` becomes `here {+and
        // now+}. [-We will never sell it.-] Beta`, a whole sentence
        // deleted beside an insertion rather than one tangled change.
        let pure = left_next.is_some() && left_next == right;
        if !pure && (left_next.is_none() || right.is_none()) {
            continue;
        }
        // How far the run can move left and right.
        let mut left = 0;
        while s > left
            && m[s - left - 1].is_some()
            && can_move(s - left - 1, e - left - 1, m[s - left - 1])
            && (left == 0 || m[s - left - 1].map(|j| j + 1) == m[s - left])
        {
            left += 1;
        }
        let mut right_n = 0;
        while e + right_n < n
            && m[e + right_n].is_some()
            && can_move(e + right_n, s + right_n, m[e + right_n])
            && (right_n == 0 || m[e + right_n - 1].map(|j| j + 1) == m[e + right_n])
        {
            right_n += 1;
        }
        if left == 0 && right_n == 0 {
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
        // Off a replacement only onto a sentence or line boundary at both
        // ends, from a place that had neither.
        if !pure && (best_score < 8 || score(0) >= 4) {
            continue;
        }
        if best < 0 {
            for t in 1..=best.unsigned_abs() {
                if let Some(j) = m[s - t].take() {
                    m[e - t] = Some(j);
                    other[j] = Some(e - t);
                }
            }
        } else {
            move_matches(m, other, e, s, best as usize);
        }
        next = (e as isize + best) as usize;
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
    fn a_sentence_deleted_beside_an_insertion_is_whole() {
        let d = diff(
            "Alpha opens here. We will never sell your data. Beta follows.",
            "Alpha opens here and now. Beta follows.",
        );
        assert_eq!(
            marked(&d),
            "Alpha opens here {+and now+}. [-We will never sell your data.-] Beta follows."
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
    fn a_case_only_match_gives_way_to_an_exact_one() {
        // Minimal alignment pairs the old `the` with the new `The`; sliding
        // the deleted run one token left pairs `The` with `The` and cuts the
        // deletion at the sentence.
        let d = diff(
            "Monday. They discussed the launches in detail. The talks lasted.",
            "Monday. The talks lasted.",
        );
        assert_eq!(
            marked(&d),
            "Monday. [-They discussed the launches in detail.-] The talks lasted."
        );
    }

    #[test]
    fn a_sentence_moved_to_another_paragraph_is_a_move_with_its_edit() {
        let old = "The ministers met in Seoul on Monday. They discussed the missile launches in detail. The talks lasted four hours.\n\nA joint statement followed the meeting. It was published in three languages.\n";
        let new = "The ministers met in Seoul on Monday. The talks lasted four hours.\n\nA joint statement followed the meeting. They discussed the recent missile launches in detail. It was published in three languages.\n";
        let d = diff(old, new);
        assert_eq!(d.moves.len(), 1);
        let m = &d.moves[0];
        assert_eq!(
            m.inner.old,
            "They discussed the missile launches in detail."
        );
        assert_eq!(
            marked(&m.inner),
            "They discussed the {+recent+} missile launches in detail."
        );
        assert_eq!((d.stats.words_added, d.stats.words_removed), (1, 0));
    }

    #[test]
    fn a_replacement_that_repeats_what_follows_pairs_like_with_like() {
        let d = diff(
            "The agency has issued 45 flood warnings.",
            "The agency has issued 38 flood warnings and 4 severe flood warnings.",
        );
        assert_eq!(
            marked(&d),
            "The agency has issued [-45-]{+38+} flood warnings {+and 4 severe flood warnings+}."
        );
        // The other way round, the deletion is whole.
        let d = diff(
            "The agency has issued 38 flood warnings and 4 severe flood warnings.",
            "The agency has issued 45 flood warnings.",
        );
        assert_eq!(
            marked(&d),
            "The agency has issued [-38-]{+45+} flood warnings [-and 4 severe flood warnings-]."
        );
    }

    #[test]
    fn a_paragraph_added_after_an_edited_last_sentence_is_whole() {
        let d = diff(
            "A spokesman said it was cooperating with the authorities.\n",
            "A spokesman said it was cooperating with the authorities and offered its condolences.\n\nInspectors are testing samples.\n",
        );
        assert_eq!(
            marked(&d),
            "A spokesman said it was cooperating with the authorities {+and offered its condolences+}.\n\n{+Inspectors are testing samples.+}\n"
        );
    }

    #[test]
    fn inserted_sentence_too() {
        let d = diff("One. Three.", "One. Two. Three.");
        assert_eq!(marked(&d), "One. {+Two.+} Three.");
    }
}
