//! Semantic cleanup: makes a minimal token diff read like an editor's
//! redline.
//!
//! A minimal diff keeps every coincidentally shared short word, so a
//! rewritten clause comes out as a comb: `[-at-]{+which+} the [-time-]{+we
//! process+}`. Following diff-match-patch's semantic cleanup, applied to word
//! tokens: an unchanged run between two changes is folded into the change when
//! it is no longer (in characters) than the changes on either side of it, and
//! it is short: at most `MAX_FOLD_WORDS` words ("a word or two"), with
//! punctuation, in at most `MAX_FOLD_TOKENS` tokens. Longer shared phrases
//! ("your personal data") stay visible, so two separate edits in a sentence
//! stay two. Runs between insertions only
//! (or deletions only) are kept: folding them would turn clean additions into
//! a replacement.

use std::ops::Range;

/// Longest unchanged run (in tokens) that cleanup folds into a change.
pub const MAX_FOLD_TOKENS: usize = 4;
/// Most words in an unchanged run that cleanup folds into a change.
pub const MAX_FOLD_WORDS: usize = 2;

/// Removes the matched pairs that cleanup folds into changes.
pub(crate) fn semantic(
    old: &str,
    old_toks: &[Range<usize>],
    new: &str,
    new_toks: &[Range<usize>],
    mut pairs: Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    // Characters in tokens before each index, so that the length of any
    // run of tokens is one subtraction.
    let (oc, nc) = (char_prefix(old, old_toks), char_prefix(new, new_toks));
    let chars = |prefix: &[usize], r: Range<usize>| prefix[r.end] - prefix[r.start];
    for _ in 0..16 {
        // Runs of consecutive pairs: (first pair index, last pair index + 1).
        let mut runs: Vec<Range<usize>> = Vec::new();
        for k in 0..pairs.len() {
            match runs.last_mut() {
                Some(r) if pairs[k - 1].0 + 1 == pairs[k].0 && pairs[k - 1].1 + 1 == pairs[k].1 => {
                    r.end = k + 1
                }
                _ => runs.push(k..k + 1),
            }
        }
        // The edit before run r: old tokens and new tokens between runs.
        let edit = |r: usize| -> (usize, usize) {
            let (o0, n0) = if r == 0 {
                (0, 0)
            } else {
                let (i, j) = pairs[runs[r - 1].end - 1];
                (i + 1, j + 1)
            };
            let (o1, n1) = if r == runs.len() {
                (old_toks.len(), new_toks.len())
            } else {
                pairs[runs[r].start]
            };
            (chars(&oc, o0..o1), chars(&nc, n0..n1))
        };
        let mut drop = vec![false; runs.len()];
        let mut changed = false;
        for r in 0..runs.len() {
            let run = &runs[r];
            let words = pairs[run.clone()]
                .iter()
                .filter(|&&(i, _)| super::tokenize::is_word(&old[old_toks[i].clone()]))
                .count();
            if run.len() > MAX_FOLD_TOKENS || words > MAX_FOLD_WORDS {
                continue;
            }
            let (del_b, ins_b) = edit(r);
            let (del_a, ins_a) = edit(r + 1);
            if del_b + ins_b == 0 || del_a + ins_a == 0 {
                continue;
            }
            if del_b + del_a == 0 || ins_b + ins_a == 0 {
                continue;
            }
            let eq = chars(&oc, pairs[run.start].0..pairs[run.end - 1].0 + 1);
            if eq <= del_b.max(ins_b) && eq <= del_a.max(ins_a) {
                drop[r] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        let keep: Vec<(usize, usize)> = runs
            .iter()
            .zip(&drop)
            .filter(|(_, &d)| !d)
            .flat_map(|(r, _)| pairs[r.clone()].iter().copied())
            .collect();
        pairs = keep;
    }
    pairs
}

/// `p[k]` = characters in `toks[..k]`. Byte lengths when the tokens' text is
/// ASCII (one check for the whole span), characters otherwise.
fn char_prefix(text: &str, toks: &[Range<usize>]) -> Vec<usize> {
    let ascii = match (toks.first(), toks.last()) {
        (Some(a), Some(b)) => text.as_bytes()[a.start..b.end].is_ascii(),
        _ => true,
    };
    let mut p = Vec::with_capacity(toks.len() + 1);
    let mut sum = 0;
    p.push(0);
    for r in toks {
        sum += if ascii {
            r.len()
        } else {
            text[r.clone()].chars().count()
        };
        p.push(sum);
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::diff::tests::marked;
    use crate::diff::{diff, diff_with, Options};

    #[test]
    fn a_rewritten_clause_is_one_replacement() {
        let old = "We will not sell your personal data at any time without consent.";
        let new = "We may share your personal data with partners at the time we choose.";
        let d = diff(old, new);
        assert_eq!(
            marked(&d),
            "We [-will not sell-]{+may share+} your personal data [-at any time without consent-]{+with partners at the time we choose+}."
        );
        // --minimal keeps the comb.
        let m = diff_with(
            old,
            new,
            &Options {
                minimal: true,
                no_moves: false,
            },
        );
        assert!(
            marked(&m).contains("at [-any-]{+the+} time"),
            "{}",
            marked(&m)
        );
    }

    #[test]
    fn a_word_or_two_between_rewrites_is_folded() {
        let d = diff(
            "They expressed strong opposition to any unilateral actions that seek to alter it.",
            "They strongly opposed any unilateral attempts to change it.",
        );
        assert_eq!(
            marked(&d),
            "They [-expressed strong opposition to any unilateral actions that seek to alter-]{+strongly opposed any unilateral attempts to change+} it."
        );
    }

    #[test]
    fn long_unchanged_runs_and_pure_insertions_are_kept() {
        let d = diff(
            "one two three four five six",
            "uno two three four five seis",
        );
        assert_eq!(
            marked(&d),
            "[-one-]{+uno+} two three four five [-six-]{+seis+}"
        );
        let d = diff("alpha beta gamma", "alpha X beta Y gamma");
        assert_eq!(marked(&d), "alpha {+X+} beta {+Y+} gamma");
    }
}
