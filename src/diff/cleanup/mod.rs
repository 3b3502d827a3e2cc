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
//! is the end of a sentence (edits in two sentences are two edits), and a
//! word beside a changed figure (which stays a `number` change). One
//! exception: a lone punctuation mark attached to two insertions (or two
//! deletions) is folded into them (`said[-.-]{+, adding: "We take it
//! seriously."+}`), as nothing a reader needs stayed there. And one rule
//! against stitching: a word or two stranded between two large changes
//! (`LARGE_CHANGE_WORDS` words, counting the changes they are stitched to
//! through other such islands within the line) is folded into
//! them, so a rewritten sentence is one replacement, not new words around
//! old islands (`of`, `Service`, `information`, `. If`).

use std::ops::Range;

/// Longest unchanged run (in tokens) that cleanup folds into a change.
pub const MAX_FOLD_TOKENS: usize = 4;
/// Most words in an unchanged run that cleanup folds into a change.
pub const MAX_FOLD_WORDS: usize = 2;
/// Words a change needs (deleted and inserted together, counted as `wc -w`
/// counts them: whitespace-separated pieces, so `. You` is two) to be large:
/// a word or two stranded between two large changes is always folded into
/// them.
pub const LARGE_CHANGE_WORDS: usize = 8;

/// Removes the matched pairs that cleanup folds into changes.
pub(crate) fn semantic(
    old: &str,
    old_toks: &[Range<usize>],
    new: &str,
    new_toks: &[Range<usize>],
    mut pairs: Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let (oc, nc) = (Side::new(old, old_toks), Side::new(new, new_toks));
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
        // The edit before run r: the old and new tokens between runs.
        let edit = |r: usize| {
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
            (o0..o1, n0..n1)
        };
        let mut drop = vec![false; runs.len()];
        let mut changed = false;
        for r in 0..runs.len() {
            let run = &runs[r];
            if run.len() > MAX_FOLD_TOKENS {
                continue;
            }
            let eq_toks = pairs[run.start].0..pairs[run.end - 1].0 + 1;
            let eq_words = oc.words_in(eq_toks.clone(), usize::MAX);
            if eq_words > MAX_FOLD_WORDS {
                continue;
            }
            // Whether the run holds a sentence end (`.`, `?`, `…` ...).
            let sentence_end = eq_toks
                .clone()
                .any(|i| crate::text::is_sentence_end(&old[old_toks[i].clone()]));
            let (del_b, ins_b) = edit(r);
            let (del_a, ins_a) = edit(r + 1);
            // One punctuation mark, attached to both, between two insertions
            // (or two deletions) on the same side: `said[-.-]{+, adding:
            // "We take it seriously."+}` rather than `said{+, adding: "We
            // take it seriously+}.{+"+}`.
            if run.len() == 1 && eq_words == 0 {
                let (i, j) = pairs[run.start];
                let attached = |toks: &[Range<usize>], k: usize| {
                    k > 0
                        && k + 1 < toks.len()
                        && toks[k - 1].end == toks[k].start
                        && toks[k].end == toks[k + 1].start
                };
                let inserted = del_b.is_empty()
                    && del_a.is_empty()
                    && !ins_b.is_empty()
                    && !ins_a.is_empty()
                    && attached(new_toks, j);
                let deleted = ins_b.is_empty()
                    && ins_a.is_empty()
                    && !del_b.is_empty()
                    && !del_a.is_empty()
                    && attached(old_toks, i);
                if inserted || deleted {
                    drop[r] = true;
                    changed = true;
                    continue;
                }
            }
            // A word or two stranded between two large changes is not
            // text that stayed: a rewritten sentence is one replacement,
            // not new words stitched around old islands (`[-...-]{+...+}
            // Service [-...-]{+...+}`). Not across a line break, where the
            // island is a line of its own (a heading kept between two
            // rewritten sections).
            // A change is measured with the changes it is stitched to: up
            // to the next unchanged run that is no island (three words or
            // more, or a line break), as far as needed. A sentence end
            // between two large rewrites is no reason to keep `. If` as
            // text that stayed: two rewritten sentences read as one
            // rewritten passage.
            let island = |q: usize| {
                let run = &runs[q];
                let (o, n) = (
                    pairs[run.start].0..pairs[run.end - 1].0 + 1,
                    pairs[run.start].1..pairs[run.end - 1].1 + 1,
                );
                run.len() <= MAX_FOLD_TOKENS
                    && oc.pieces_in(o.clone()) <= MAX_FOLD_WORDS
                    && !oc.whole_line(o)
                    && !nc.whole_line(n)
            };
            // Deleted and inserted words together: a sentence of five
            // words replaced by one of four is a change of nine. Counted
            // in whitespace-separated pieces, the way a reader (and
            // `wc -w`) counts them: a change that opens with `. You` or
            // `, we` is not one word smaller for it.
            let changed_words = |e: usize| {
                let (d, i) = edit(e);
                oc.pieces_upto(d, LARGE_CHANGE_WORDS) + nc.pieces_upto(i, LARGE_CHANGE_WORDS)
            };
            let large = |first: usize, back: bool| {
                let (mut e, mut sum) = (first, 0);
                for _ in 0..16 {
                    sum += changed_words(e);
                    if sum >= LARGE_CHANGE_WORDS {
                        return true;
                    }
                    // The run beyond this edit, if it is an island.
                    let q = if back { e.checked_sub(1) } else { Some(e) };
                    match q {
                        Some(q) if q < runs.len() && q != r && island(q) => {}
                        _ => return false,
                    }
                    e = if back { e - 1 } else { e + 1 };
                    if e > runs.len() {
                        return false;
                    }
                }
                false
            };
            // At a line break (`.` ending a paragraph, `* ` starting an
            // item) only between two replacements: a word kept before a
            // new paragraph says where it went in.
            let replacements = [&del_b, &ins_b, &del_a, &ins_a]
                .iter()
                .all(|t| !t.is_empty());
            let in_line = {
                let o = pairs[run.start].0..pairs[run.end - 1].0 + 1;
                let n = pairs[run.start].1..pairs[run.end - 1].1 + 1;
                !oc.line_break_around(o) && !nc.line_break_around(n)
            };
            // Or between two changes that are large on their own, one
            // adding and one removing text (`{+...+}.[-\n\n...-]`): the
            // kept mark joins nothing a reader can follow. Two insertions
            // around a kept full stop (a sentence extended, then a new
            // paragraph) keep it: it says where the old text ended.
            let direct_large = |e: usize| changed_words(e) >= LARGE_CHANGE_WORDS;
            let across = (!del_b.is_empty() || !del_a.is_empty())
                && (!ins_b.is_empty() || !ins_a.is_empty())
                && direct_large(r)
                && direct_large(r + 1);
            if island(r)
                && (in_line || replacements || across)
                && large(r, true)
                && large(r + 1, false)
            {
                drop[r] = true;
                changed = true;
                continue;
            }
            // The full stop of a sentence rewritten on both sides (`[-...
            // long old sentence-]{+... long new sentence+}.`) ends the new
            // sentence, not the old one: kept as text that stayed it cuts
            // both passages short of their end, and a passage that moved
            // would no longer be whole. Only where nothing changed after it
            // or a large change follows (through islands, as above): it
            // must not join a rewritten paragraph to the small edit that
            // opens the next one (`[-19.2 _Overview-]{+**24.2 Overview+}`).
            if eq_words == 0
                && sentence_end
                && oc.pieces_upto(del_b.clone(), LARGE_CHANGE_WORDS) >= LARGE_CHANGE_WORDS
                && nc.pieces_upto(ins_b.clone(), LARGE_CHANGE_WORDS) >= LARGE_CHANGE_WORDS
                && ((del_a.is_empty() && ins_a.is_empty()) || large(r + 1, false))
            {
                drop[r] = true;
                changed = true;
                continue;
            }
            // Punctuation alone within a line (`, ` in `[-July 14-]{+August
            // 2+}, [-2020-]{+2021+}`, `](` between a link's changed text and
            // its changed target) is no text a reader needs kept: folded
            // when no longer than the change on either side, even next to a
            // pure deletion or a changed figure. Not a cell border, nor a
            // sentence end (edits in two sentences are two edits).
            // (A line break beside it only where nothing changed on that
            // side of it: `402,` ending a line whose `Floor 2` went.)
            let o = pairs[run.start].0..pairs[run.end - 1].0 + 1;
            let n = pairs[run.start].1..pairs[run.end - 1].1 + 1;
            let (ob, oa) = oc.line_breaks_beside(o);
            let (nb, na) = nc.line_breaks_beside(n);
            let within_lines = !(ob && !del_b.is_empty()
                || oa && !del_a.is_empty()
                || nb && !ins_b.is_empty()
                || na && !ins_a.is_empty());
            if eq_words == 0 && within_lines {
                let (o0, o1) = (old_toks[eq_toks.start].start, old_toks[eq_toks.end - 1].end);
                let eq_chars: usize = eq_toks.clone().map(|i| oc.chars_of(i)).sum();
                let sides = (!del_b.is_empty() || !ins_b.is_empty())
                    && (!del_a.is_empty() || !ins_a.is_empty());
                if sides
                    && !sentence_end
                    && !old[o0..o1].contains(['|', '\n'])
                    && (oc.has_chars(del_b.clone(), eq_chars)
                        || nc.has_chars(ins_b.clone(), eq_chars))
                    && (oc.has_chars(del_a.clone(), eq_chars)
                        || nc.has_chars(ins_a.clone(), eq_chars))
                {
                    drop[r] = true;
                    changed = true;
                    continue;
                }
            }
            // Only between two replacements: next to a pure insertion or
            // deletion the unchanged words say exactly what happened
            // (`[-preliminary-] magnitude of {+7.1, revised from+} 6.8`), and
            // folding them would hide it.
            if [&del_b, &ins_b, &del_a, &ins_a]
                .iter()
                .any(|t| t.is_empty())
            {
                continue;
            }
            // Nor beside a changed figure (`[-rose-]{+fell+} to $[-240-]{+190+}`,
            // or `2bn` -> `3.5bn`): it stays a `number` change of its own.
            let figure = |d: &Range<usize>, i: &Range<usize>| {
                d.len() <= 8
                    && i.len() <= 8
                    && crate::diff::kinds::classify(oc.span(d.clone()), nc.span(i.clone()))
                        == crate::diff::kinds::Kind::Number
            };
            if figure(&del_b, &ins_b) || figure(&del_a, &ins_a) {
                continue;
            }
            // Nor across the end of a sentence: edits in two sentences are
            // two edits.
            if sentence_end {
                continue;
            }
            // diff-match-patch's rule, in characters: the unchanged run is
            // no longer than the change on either side of it.
            let eq_chars: usize = eq_toks.clone().map(|i| oc.chars_of(i)).sum();
            let by_chars = (oc.has_chars(del_b.clone(), eq_chars)
                || nc.has_chars(ins_b.clone(), eq_chars))
                && (oc.has_chars(del_a.clone(), eq_chars) || nc.has_chars(ins_a.clone(), eq_chars));
            // The same rule in words: one short word between one-word
            // replacements (`[-by-]{+in+} the [-end-]{+course+}`) reads as
            // one rewritten phrase, however few letters the replaced words
            // have.
            let by_words = eq_words > 0
                && (oc.has_words(del_b, eq_words) || nc.has_words(ins_b, eq_words))
                && (oc.has_words(del_a, eq_words) || nc.has_words(ins_a, eq_words));
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

mod side;
#[cfg(test)]
mod tests;

use side::Side;
