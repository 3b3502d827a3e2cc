//! The word diff. Texts are split into word tokens; lines are aligned first,
//! then words are diffed only inside the lines that changed. The result is a
//! list of ops whose pieces, concatenated, give back both texts byte for byte.

mod slide;
pub mod tokenize;

use similar::{Algorithm, DiffTag};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use tokenize::{is_word, tokenize};

/// What an op does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    Equal,
    Delete,
    Insert,
}

/// One piece of a diff. `old` is the byte range in the old text (empty for an
/// insert), `new` the range in the new text (empty for a delete).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub kind: OpKind,
    pub old: Range<usize>,
    pub new: Range<usize>,
}

/// Word counts of a diff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub words_added: u64,
    pub words_removed: u64,
    pub words_unchanged: u64,
}

/// A word diff between two texts.
#[derive(Debug, Clone)]
pub struct Diff<'a> {
    pub old: &'a str,
    pub new: &'a str,
    pub ops: Vec<Op>,
    pub stats: Stats,
    /// True when the work budget made some changed region a whole
    /// replacement instead of a word-by-word alignment.
    pub coarse: bool,
}

impl<'a> Diff<'a> {
    /// The text an op stands for.
    pub fn text(&self, op: &Op) -> &'a str {
        match op.kind {
            OpKind::Insert => &self.new[op.new.clone()],
            _ => &self.old[op.old.clone()],
        }
    }

    /// Whether the two texts differ at all (byte for byte).
    pub fn has_changes(&self) -> bool {
        self.ops.iter().any(|op| op.kind != OpKind::Equal)
    }

    /// Whether any change touches a non-whitespace character.
    pub fn has_word_changes(&self) -> bool {
        self.ops
            .iter()
            .any(|op| op.kind != OpKind::Equal && !is_blank(self.text(op)))
    }
}

/// Whether a piece of text is whitespace only.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// Computes the word diff of two texts.
pub fn diff<'a>(old: &'a str, new: &'a str) -> Diff<'a> {
    let old_toks = tokenize(old);
    let new_toks = tokenize(new);
    let (pairs, coarse) = align(old, &old_toks, new, &new_toks);
    let pairs = slide::slide(old, &old_toks, new, &new_toks, pairs);

    let mut stats = Stats::default();
    let old_words = old_toks
        .iter()
        .filter(|r| is_word(&old[(*r).clone()]))
        .count() as u64;
    let new_words = new_toks
        .iter()
        .filter(|r| is_word(&new[(*r).clone()]))
        .count() as u64;
    stats.words_unchanged = pairs
        .iter()
        .filter(|&&(i, _)| is_word(&old[old_toks[i].clone()]))
        .count() as u64;
    stats.words_removed = old_words - stats.words_unchanged;
    stats.words_added = new_words - stats.words_unchanged;

    let mut ops = OpBuilder::default();
    let (mut op_pos, mut np_pos) = (0usize, 0usize);
    for &(i, j) in &pairs {
        let (ot, nt) = (&old_toks[i], &new_toks[j]);
        ops.region(old, op_pos..ot.start, new, np_pos..nt.start);
        ops.push(OpKind::Equal, ot.clone(), nt.clone());
        op_pos = ot.end;
        np_pos = nt.end;
    }
    ops.region(old, op_pos..old.len(), new, np_pos..new.len());

    Diff {
        old,
        new,
        ops: ops.ops,
        stats,
        coarse,
    }
}

/// Largest token product (old tokens x new tokens) of a changed region that
/// is diffed word by word. Larger regions are first aligned sentence by
/// sentence; a region still larger than this is shown as one replacement and
/// the diff is marked coarse. A work budget, not a clock: the same input
/// always gives the same output.
pub const TOKEN_BUDGET: usize = 25_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Lines,
    Sentences,
}

struct Aligner<'a> {
    old: &'a str,
    old_toks: &'a [Range<usize>],
    new: &'a str,
    new_toks: &'a [Range<usize>],
    pairs: Vec<(usize, usize)>,
    coarse: bool,
}

impl Aligner<'_> {
    fn old_tok(&self, i: usize) -> &str {
        &self.old[self.old_toks[i].clone()]
    }
    fn new_tok(&self, j: usize) -> &str {
        &self.new[self.new_toks[j].clone()]
    }

    /// Aligns two sequences of units (token ranges) by their content, then
    /// refines the units that changed.
    fn units(&mut self, ou: &[Range<usize>], nu: &[Range<usize>], level: Level) {
        let ok: Vec<u64> = ou
            .iter()
            .map(|u| unit_key(self.old, &self.old_toks[u.clone()]))
            .collect();
        let nk: Vec<u64> = nu
            .iter()
            .map(|u| unit_key(self.new, &self.new_toks[u.clone()]))
            .collect();
        for op in similar::capture_diff_slices(Algorithm::Myers, &ok, &nk) {
            let (tag, o, n) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => {
                    for (a, b) in ou[o].iter().zip(&nu[n]) {
                        self.pairs.extend(a.clone().zip(b.clone()));
                    }
                }
                DiffTag::Replace => self.refine(span(&ou[o]), span(&nu[n]), level),
                DiffTag::Delete | DiffTag::Insert => {}
            }
        }
    }

    /// Diffs the tokens of a changed region, within the work budget.
    fn refine(&mut self, mut ot: Range<usize>, mut nt: Range<usize>, level: Level) {
        while !ot.is_empty() && !nt.is_empty() && self.old_tok(ot.start) == self.new_tok(nt.start) {
            self.pairs.push((ot.start, nt.start));
            ot.start += 1;
            nt.start += 1;
        }
        let mut suffix = Vec::new();
        while !ot.is_empty()
            && !nt.is_empty()
            && self.old_tok(ot.end - 1) == self.new_tok(nt.end - 1)
        {
            suffix.push((ot.end - 1, nt.end - 1));
            ot.end -= 1;
            nt.end -= 1;
        }
        if ot.is_empty() || nt.is_empty() {
            // Pure insertion or deletion: nothing to align.
        } else if ot.len().saturating_mul(nt.len()) <= TOKEN_BUDGET {
            let a: Vec<&str> = ot.clone().map(|i| self.old_tok(i)).collect();
            let b: Vec<&str> = nt.clone().map(|j| self.new_tok(j)).collect();
            for wop in similar::capture_diff_slices(Algorithm::Myers, &a, &b) {
                if let (DiffTag::Equal, wo, wn) = wop.as_tag_tuple() {
                    self.pairs
                        .extend(wo.map(|x| x + ot.start).zip(wn.map(|y| y + nt.start)));
                }
            }
        } else if level == Level::Lines {
            let os = sentences(self.old, self.old_toks, ot);
            let ns = sentences(self.new, self.new_toks, nt);
            self.units(&os, &ns, Level::Sentences);
        } else {
            self.coarse = true;
        }
        self.pairs.extend(suffix.into_iter().rev());
    }
}

/// Pairs of (old token index, new token index) that are unchanged, in order,
/// and whether the work budget made the alignment coarse anywhere.
fn align(
    old: &str,
    old_toks: &[Range<usize>],
    new: &str,
    new_toks: &[Range<usize>],
) -> (Vec<(usize, usize)>, bool) {
    let mut a = Aligner {
        old,
        old_toks,
        new,
        new_toks,
        pairs: Vec::new(),
        coarse: false,
    };
    let ol = lines(old, old_toks);
    let nl = lines(new, new_toks);
    a.units(&ol, &nl, Level::Lines);
    (a.pairs, a.coarse)
}

/// Splits a token range into sentences: a unit ends after sentence-final
/// punctuation or before a line break.
fn sentences(text: &str, toks: &[Range<usize>], range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for k in range.clone() {
        let t = &text[toks[k].clone()];
        let breaks_after = slide::is_sentence_end(t)
            || toks
                .get(k + 1)
                .is_some_and(|n| k + 1 < range.end && text[toks[k].end..n.start].contains('\n'));
        if breaks_after {
            out.push(start..k + 1);
            start = k + 1;
        }
    }
    if start < range.end {
        out.push(start..range.end);
    }
    out
}

/// Token ranges that make up each line (a line break in the whitespace before
/// a token starts a new line). Lines without tokens are skipped.
fn lines(text: &str, toks: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev_end = 0;
    for (k, t) in toks.iter().enumerate() {
        if k > start && text[prev_end..t.start].contains('\n') {
            out.push(start..k);
            start = k;
        }
        prev_end = t.end;
    }
    if start < toks.len() {
        out.push(start..toks.len());
    }
    out
}

fn unit_key(text: &str, toks: &[Range<usize>]) -> u64 {
    let mut h = DefaultHasher::new();
    for t in toks {
        text[t.clone()].hash(&mut h);
    }
    h.finish()
}

/// The token span covered by consecutive lines.
fn span(lines: &[Range<usize>]) -> Range<usize> {
    match (lines.first(), lines.last()) {
        (Some(a), Some(b)) => a.start..b.end,
        _ => 0..0,
    }
}

#[derive(Default)]
struct OpBuilder {
    ops: Vec<Op>,
}

impl OpBuilder {
    fn push(&mut self, kind: OpKind, old: Range<usize>, new: Range<usize>) {
        let (old, new) = match kind {
            OpKind::Equal => (old, new),
            OpKind::Delete => (old, new.start..new.start),
            OpKind::Insert => (old.start..old.start, new),
        };
        if old.is_empty() && new.is_empty() {
            return;
        }
        if let Some(last) = self.ops.last_mut() {
            if last.kind == kind && last.old.end == old.start && last.new.end == new.start {
                last.old.end = old.end;
                last.new.end = new.end;
                return;
            }
        }
        self.ops.push(Op { kind, old, new });
    }

    /// The text between two unchanged tokens: equal if identical, otherwise
    /// a change with the common leading and trailing whitespace kept equal.
    fn region(&mut self, old: &str, o: Range<usize>, new: &str, n: Range<usize>) {
        let (a, b) = (&old[o.clone()], &new[n.clone()]);
        if a == b {
            self.push(OpKind::Equal, o, n);
            return;
        }
        let pre = common_ws_prefix(a, b);
        let suf = common_ws_suffix(&a[pre..], &b[pre..]);
        let (om, nm) = (o.start + pre..o.end - suf, n.start + pre..n.end - suf);
        self.push(OpKind::Equal, o.start..om.start, n.start..nm.start);
        self.push(OpKind::Delete, om.clone(), nm.start..nm.start);
        self.push(OpKind::Insert, om.end..om.end, nm.clone());
        self.push(OpKind::Equal, om.end..o.end, nm.end..n.end);
    }
}

fn common_ws_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|&((_, x), y)| x != y || !x.is_whitespace())
        .map(|((i, _), _)| i)
        .unwrap_or(a.len().min(b.len()))
}

fn common_ws_suffix(a: &str, b: &str) -> usize {
    let mut n = 0;
    for (x, y) in a.chars().rev().zip(b.chars().rev()) {
        if x != y || !x.is_whitespace() {
            break;
        }
        n += x.len_utf8();
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rebuilds (old, new) from the ops.
    pub(crate) fn rebuild(d: &Diff) -> (String, String) {
        let (mut o, mut n) = (String::new(), String::new());
        for op in &d.ops {
            match op.kind {
                OpKind::Equal => {
                    o.push_str(&d.old[op.old.clone()]);
                    n.push_str(&d.new[op.new.clone()]);
                }
                OpKind::Delete => o.push_str(&d.old[op.old.clone()]),
                OpKind::Insert => n.push_str(&d.new[op.new.clone()]),
            }
        }
        (o, n)
    }

    /// Marks changes as the plain renderer does: surrounding whitespace
    /// outside the markers.
    pub(crate) fn marked(d: &Diff) -> String {
        d.ops
            .iter()
            .map(|op| {
                let t = d.text(op);
                let core = t.trim();
                let lead = &t[..t.len() - t.trim_start().len()];
                let trail = &t[lead.len() + core.len()..];
                match op.kind {
                    OpKind::Equal => t.to_string(),
                    OpKind::Delete => format!("{lead}[-{core}-]{trail}"),
                    OpKind::Insert => format!("{lead}{{+{core}+}}{trail}"),
                }
            })
            .collect()
    }

    #[test]
    fn replacement_keeps_spaces_outside() {
        let d = diff("a b c", "a x c");
        assert_eq!(marked(&d), "a [-b-]{+x+} c");
        assert_eq!(
            d.stats,
            Stats {
                words_added: 1,
                words_removed: 1,
                words_unchanged: 2
            }
        );
    }

    #[test]
    fn changes_separated_by_whitespace_form_one_group() {
        let d = diff("we do not sell data", "we may share data");
        assert_eq!(marked(&d), "we [-do not sell-]{+may share+} data");
    }

    #[test]
    fn rewrap_is_whitespace_only() {
        let d = diff("one two\nthree four", "one two three\nfour");
        assert!(d.has_changes());
        assert!(!d.has_word_changes());
        assert_eq!(d.stats.words_added + d.stats.words_removed, 0);
    }

    #[test]
    fn identical_texts_have_one_equal_op() {
        let d = diff("same text\n", "same text\n");
        assert_eq!(d.ops.len(), 1);
        assert!(!d.has_changes());
    }

    /// Deterministic prose of `n` sentences drawn from `words`.
    fn prose(n: usize, words: &[&str], seed: usize) -> String {
        (0..n)
            .map(|i| {
                let w: Vec<&str> = (0..12)
                    .map(|k| words[(i * 7 + k * 13 + seed) % words.len()])
                    .collect();
                format!("{} {}.", i + seed * 100_000, w.join(" "))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn work_budget_bounds_a_total_rewrite_and_says_so() {
        // One line of ~7,000 tokens rewritten entirely: over the budget.
        let a = prose(500, &["alpha", "beta", "gamma", "delta", "epsilon"], 1);
        let b = prose(500, &["one", "two", "three", "four", "five", "six"], 2);
        let d = diff(&a, &b);
        assert!(d.coarse);
        assert_eq!(rebuild(&d), (a.clone(), b.clone()));
        // The same line with one word changed stays exact: sentences align.
        let c = a.replacen("gamma", "GAMMA", 1);
        let d = diff(&a, &c);
        assert!(!d.coarse);
        assert_eq!(d.stats.words_added, 1);
        assert_eq!(d.stats.words_removed, 1);
        assert_eq!(rebuild(&d), (a.clone(), c.clone()));
        // Deterministic: the same input gives the same ops.
        assert_eq!(diff(&a, &b).ops, diff(&a, &b).ops);
    }

    #[test]
    fn reconstruction_on_edge_cases() {
        for (a, b) in [
            ("", ""),
            ("", "new text"),
            ("old text", ""),
            ("  lead", "lead  "),
            ("x\r\ny\r\n", "x\ny\n"),
            ("日本語の文章", "日本の文章です"),
            ("a\n\nb\n\nc", "c\n\na\n\nb"),
        ] {
            let d = diff(a, b);
            assert_eq!(
                rebuild(&d),
                (a.to_string(), b.to_string()),
                "{a:?} -> {b:?}"
            );
        }
    }
}
