//! Semantic cleanup: makes a minimal token diff read like an editor's
//! redline.
//!
//! A minimal diff keeps every coincidentally shared short word, so a
//! rewritten clause comes out as a comb: `[-at-]{+which+} the [-time-]{+we
//! process+}`. Following diff-match-patch's semantic cleanup, applied to word
//! tokens: an unchanged run between two replacements is folded into them when
//! it is no longer than the replacement on either side of it, counted in
//! characters (diff-match-patch's rule) or in words (so that `[-by-]{+in+}
//! the [-end-]{+course+}` reads as one rewritten phrase), and it is short: at
//! most `MAX_FOLD_WORDS` words ("a word or two"), with punctuation, in at most
//! `MAX_FOLD_TOKENS` tokens. Longer shared phrases ("your personal data") stay
//! visible, so two separate edits in a sentence stay two. Unchanged words next
//! to a pure insertion or deletion are kept (`plant{+, Tokyo Electric
//! Power,+} said it [-was-]{+had+}`: folding would hide what stayed), and so
//! is the end of a sentence (edits in two sentences are two edits).

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
    // Characters and words in tokens before each index, so that the length
    // of any run of tokens is one subtraction.
    let (oc, nc) = (prefixes(old, old_toks), prefixes(new, new_toks));
    let len = |p: &Prefixes, r: Range<usize>| Len {
        chars: p.chars[r.end] - p.chars[r.start],
        words: p.words[r.end] - p.words[r.start],
    };
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
        let edit = |r: usize| -> (Len, Len) {
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
            (len(&oc, o0..o1), len(&nc, n0..n1))
        };
        let mut drop = vec![false; runs.len()];
        let mut changed = false;
        for r in 0..runs.len() {
            let run = &runs[r];
            let eq = len(&oc, pairs[run.start].0..pairs[run.end - 1].0 + 1);
            if run.len() > MAX_FOLD_TOKENS || eq.words > MAX_FOLD_WORDS {
                continue;
            }
            let (del_b, ins_b) = edit(r);
            let (del_a, ins_a) = edit(r + 1);
            if del_b.chars + ins_b.chars == 0 || del_a.chars + ins_a.chars == 0 {
                continue;
            }
            // Only between two replacements: next to a pure insertion or
            // deletion the unchanged words say exactly what happened
            // (`[-preliminary-] magnitude of {+7.1, revised from+} 6.8`), and
            // folding them would hide it.
            let replaced = |d: Len, i: Len| d.chars > 0 && i.chars > 0;
            if !replaced(del_b, ins_b) || !replaced(del_a, ins_a) {
                continue;
            }
            // Nor across the end of a sentence: edits in two sentences are
            // two edits.
            if pairs[run.clone()]
                .iter()
                .any(|&(i, _)| super::slide::is_sentence_end(&old[old_toks[i].clone()]))
            {
                continue;
            }
            // diff-match-patch's rule, in characters: the unchanged run is
            // no longer than the change on either side of it.
            let by_chars = eq.chars <= del_b.chars.max(ins_b.chars)
                && eq.chars <= del_a.chars.max(ins_a.chars);
            // The same rule in words, between two replacements: one short
            // word between one-word replacements (`[-by-]{+in+} the
            // [-end-]{+course+}`) reads as one rewritten phrase, however
            // few letters the replaced words have.
            let by_words = eq.words <= del_b.words.max(ins_b.words)
                && eq.words <= del_a.words.max(ins_a.words);
            if by_chars || by_words {
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

/// The length of a run of tokens.
#[derive(Clone, Copy)]
struct Len {
    chars: usize,
    words: usize,
}

/// `chars[k]` and `words[k]`: characters and words in `toks[..k]`.
struct Prefixes {
    chars: Vec<usize>,
    words: Vec<usize>,
}

/// Byte lengths stand for characters when the tokens' text is ASCII (one
/// check for the whole span).
fn prefixes(text: &str, toks: &[Range<usize>]) -> Prefixes {
    let ascii = match (toks.first(), toks.last()) {
        (Some(a), Some(b)) => text.as_bytes()[a.start..b.end].is_ascii(),
        _ => true,
    };
    let mut p = Prefixes {
        chars: Vec::with_capacity(toks.len() + 1),
        words: Vec::with_capacity(toks.len() + 1),
    };
    let (mut chars, mut words) = (0, 0);
    p.chars.push(0);
    p.words.push(0);
    for r in toks {
        let t = &text[r.clone()];
        chars += if ascii { t.len() } else { t.chars().count() };
        words += usize::from(super::tokenize::is_word(t));
        p.chars.push(chars);
        p.words.push(words);
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
            "We [-will not sell-]{+may share+} your personal data {+with partners+} at [-any time without consent-]{+the time we choose+}."
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
    fn a_short_word_between_one_word_replacements_is_folded() {
        // "the" is longer than "by" and "in": the rule in characters keeps
        // it, the rule in words folds it.
        let d = diff(
            "We aim to do it by the end of next year.",
            "We aim to do it in the course of next year.",
        );
        assert_eq!(
            marked(&d),
            "We aim to do it [-by the end-]{+in the course+} of next year."
        );
    }

    #[test]
    fn words_next_to_a_pure_insertion_or_deletion_stay_unchanged() {
        let d = diff(
            "the nuclear plant said it was checking for any abnormalities.",
            "the nuclear plant, Tokyo Electric Power, said it had found no abnormalities.",
        );
        assert_eq!(
            marked(&d),
            "the nuclear plant{+, Tokyo Electric Power,+} said it [-was checking for any-]{+had found no+} abnormalities."
        );
        let d = diff(
            "the quake had a preliminary magnitude of 6.8 and",
            "the quake had a magnitude of 7.1, revised up from an initial 6.8, and",
        );
        assert_eq!(
            marked(&d),
            "the quake had a [-preliminary-] magnitude of {+7.1, revised up from an initial+} 6.8{+,+} and"
        );
    }

    #[test]
    fn edits_in_two_sentences_are_not_folded_together() {
        let d = diff("It was red. Then blue.", "It was green. Now blue.");
        assert_eq!(marked(&d), "It was [-red-]{+green+}. [-Then-]{+Now+} blue.");
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
