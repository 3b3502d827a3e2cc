//! The alignment engine: non-blank lines are aligned by a whitespace-blind
//! key without segmenting words; only the lines that changed are split into
//! Unicode word tokens and diffed word by word. Its result, `Raw`, is the
//! ops and word counts before moves are looked for and the diff is summed
//! up (`summary::complete`).

pub(super) use super::token_log::{SideLog, TokenLog};
use super::tokenize::{count_words, token_words, tokenize_into};
use super::{align, cleanup, lines, pairing, tokenize, Op, OpKind, Options, TOKEN_BUDGET};
use similar::{Algorithm, DiffTag};
use std::ops::Range;

/// Rough bytes per token in prose, to size a region before tokenising it.
pub(super) const BYTES_PER_TOKEN: usize = 5;
/// Changed regions larger than this (old and new bytes together) are
/// aligned by sentences before words.
pub(super) const SENTENCES_FIRST: usize = 1024;

/// The ops of a word diff and its word counts, before moves.
pub(super) struct Raw<'a> {
    pub old: &'a str,
    pub new: &'a str,
    pub ops: Vec<Op>,
    /// Words inserted and removed.
    pub added: u64,
    pub removed: u64,
    /// True when the work budget made some changed region a whole
    /// replacement instead of a word-by-word alignment.
    pub coarse: bool,
    /// The tokens of the changed regions and their ids, for the move
    /// search (empty when moves are not looked for).
    pub tokens: TokenLog<'a>,
}

/// Aligns two texts into ops (no moves).
pub(super) fn run<'a>(old: &'a str, new: &'a str, opts: &Options) -> Raw<'a> {
    let ol = lines::lines(old);
    let nl = lines::lines(new);
    let mut e = Emitter {
        old,
        new,
        ops: OpBuilder::default(),
        old_pos: 0,
        new_pos: 0,
        added: 0,
        removed: 0,
        coarse: false,
        opts: *opts,
        ids: Default::default(),
        tok_bufs: Default::default(),
        log: (!opts.no_moves).then(|| (SideLog::default(), SideLog::default())),
        anchored: Vec::new(),
    };
    walk_aligned(&ol, &nl, |matched, a, b| match (a, b) {
        (Some(a), Some(b)) if matched => {
            if old[a.range.clone()] == new[b.range.clone()] {
                e.anchor(a.range.clone(), b.range.clone());
            } else {
                // Same words, other spacing (or a hash collision).
                e.changed(Some(a.range.clone()), Some(b.range.clone()));
            }
        }
        (a, b) => e.changed(a.map(|l| l.range.clone()), b.map(|l| l.range.clone())),
    });
    e.finish()
}

/// How many leading and trailing bytes of `a` and `b` can be set aside as
/// identical before tokenising: cut at sentence boundaries (after `.`, `!`
/// or `?` and an ASCII space or line break) that lie at least as far from
/// the first and last difference as the differing middle is long. (0, 0)
/// when no such boundary exists.
fn trim_identical(a: &str, b: &str) -> (usize, usize) {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let p = common_prefix(x, y);
    let s = common_suffix(&x[p..], &y[p..]);
    let margin = (x.len() - p - s).max(y.len() - p - s);
    let boundary = |k: usize| crate::text::after_ascii_sentence_break(x, k);
    // A prefix cut k: x[..k] == y[..k] and k is just after a boundary.
    let pre = (2..=p.saturating_sub(margin))
        .rev()
        .find(|&k| boundary(k))
        .unwrap_or(0);
    // A suffix cut: the last `suf` bytes, starting just after a boundary.
    let lo = (x.len() - s + margin).max(pre + 2);
    let suf = (lo..x.len())
        .find(|&k| boundary(k))
        .map_or(0, |k| x.len() - k);
    (pre, suf)
}

/// Length of the common prefix of two byte strings, eight bytes at a time.
fn common_prefix(x: &[u8], y: &[u8]) -> usize {
    let n = x.len().min(y.len());
    let mut i = 0;
    while i + 8 <= n && x[i..i + 8] == y[i..i + 8] {
        i += 8;
    }
    while i < n && x[i] == y[i] {
        i += 1;
    }
    i
}

/// Length of the common suffix of two byte strings, eight bytes at a time.
fn common_suffix(x: &[u8], y: &[u8]) -> usize {
    let n = x.len().min(y.len());
    let (xe, ye) = (x.len(), y.len());
    let mut i = 0;
    while i + 8 <= n && x[xe - i - 8..xe - i] == y[ye - i - 8..ye - i] {
        i += 8;
    }
    while i < n && x[xe - i - 1] == y[ye - i - 1] {
        i += 1;
    }
    i
}

/// Aligns two sequences of units by their keys (Myers' algorithm on the
/// keys found on both sides: a unit whose key the other side lacks can only
/// be changed, so it is set aside first, which keeps a rewritten region's
/// alignment small in time and memory) and calls `f` in order with each
/// matched pair `(true, Some(a), Some(b))` and with each changed run
/// between them, `false` and the span from its first to its last unit on
/// each side (`None` for a side with no units).
fn walk_aligned(
    a: &[lines::Line],
    b: &[lines::Line],
    mut f: impl FnMut(bool, Option<&lines::Line>, Option<&lines::Line>),
) {
    let sorted = |ls: &[lines::Line]| {
        let mut v: Vec<u64> = ls.iter().map(|l| l.key).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let (sa, sb) = (sorted(a), sorted(b));
    let keep = |ls: &[lines::Line], other: &[u64]| -> Vec<usize> {
        (0..ls.len())
            .filter(|&i| other.binary_search(&ls[i].key).is_ok())
            .collect()
    };
    let (ka, kb) = (keep(a, &sb), keep(b, &sa));
    drop((sa, sb));
    let keys =
        |ls: &[lines::Line], k: &[usize]| -> Vec<u64> { k.iter().map(|&i| ls[i].key).collect() };
    let (xa, xb) = (keys(a, &ka), keys(b, &kb));
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for op in similar::capture_diff_slices(Algorithm::Myers, &xa, &xb) {
        if let (DiffTag::Equal, o, n) = op.as_tag_tuple() {
            pairs.extend(o.zip(n).map(|(i, j)| (ka[i], kb[j])));
        }
    }
    let (mut i0, mut j0) = (0, 0);
    for (i, j) in pairs.into_iter().chain(std::iter::once((a.len(), b.len()))) {
        if i0 < i || j0 < j {
            f(
                false,
                span_line(&a[i0..i]).as_ref(),
                span_line(&b[j0..j]).as_ref(),
            );
        }
        if i < a.len() && j < b.len() {
            f(true, Some(&a[i]), Some(&b[j]));
        }
        (i0, j0) = (i + 1, j + 1);
    }
}

/// One unit spanning `ls` (its key is never read), or `None` if empty.
fn span_line(ls: &[lines::Line]) -> Option<lines::Line> {
    Some(lines::Line {
        range: ls.first()?.range.start..ls.last()?.range.end,
        key: 0,
    })
}

/// Walks the aligned texts in order, turning anchors (identical pieces) and
/// the text between them into ops.
struct Emitter<'a> {
    old: &'a str,
    new: &'a str,
    ops: OpBuilder,
    old_pos: usize,
    new_pos: usize,
    added: u64,
    removed: u64,
    coarse: bool,
    opts: Options,
    ids: align::Interner<'a>,
    tok_bufs: (Vec<Range<usize>>, Vec<Range<usize>>),
    /// The tokens cut so far, when moves will be looked for.
    log: Option<(SideLog, SideLog)>,
    /// A buffer of anchored token runs, reused from region to region.
    anchored: Vec<(Range<usize>, Range<usize>)>,
}

impl<'a> Emitter<'a> {
    /// An identical piece in both texts.
    fn anchor(&mut self, o: Range<usize>, n: Range<usize>) {
        self.text_up_to(o.start, n.start);
        self.ops.push(OpKind::Equal, o.clone(), n.clone());
        self.old_pos = o.end;
        self.new_pos = n.end;
    }

    /// The text between the last piece and the given positions.
    fn text_up_to(&mut self, o: usize, n: usize) {
        self.ops
            .region(self.old, self.old_pos..o, self.new, self.new_pos..n);
    }

    /// A token that matched by its folded key but differs in bytes (case,
    /// quotes, dashes, Unicode forms): its own small change.
    fn equivalent(&mut self, o: Range<usize>, n: Range<usize>) {
        self.text_up_to(o.start, n.start);
        // Kept apart from changed words beside it (`generation.[-"-]{+”+}
        // {+Two Republicans ...+}`), so that it is a unit of its own kind.
        self.ops.sealed = true;
        self.ops.push(OpKind::Delete, o.clone(), n.start..n.start);
        self.ops.push(OpKind::Insert, o.end..o.end, n.clone());
        self.ops.sealed = true;
        self.old_pos = o.end;
        self.new_pos = n.end;
    }

    /// A changed region: tokenise it and align its words (by sentences
    /// first when it is very large).
    fn changed(&mut self, o: Option<Range<usize>>, n: Option<Range<usize>>) {
        // Identical text at both ends (a paragraph with one edit) is kept
        // whole and not tokenised. The cuts fall on sentence boundaries, a
        // margin as long as the changed middle away from it, so that sliding
        // and cleanup see the same neighbourhood as on the whole region.
        if let (Some(or), Some(nr)) = (&o, &n) {
            let (a, b) = (&self.old[or.clone()], &self.new[nr.clone()]);
            let (pre, suf) = trim_identical(a, b);
            if pre > 0 || suf > 0 {
                let (os, ns) = (or.start, nr.start);
                self.anchor(os..os + pre, ns..ns + pre);
                self.changed_middle(os + pre..or.end - suf, ns + pre..nr.end - suf);
                self.anchor(or.end - suf..or.end, nr.end - suf..nr.end);
                return;
            }
        }
        self.changed_middle_opt(o, n);
    }

    fn changed_middle(&mut self, o: Range<usize>, n: Range<usize>) {
        self.changed_middle_opt((!o.is_empty()).then_some(o), (!n.is_empty()).then_some(n));
    }

    fn changed_middle_opt(&mut self, o: Option<Range<usize>>, n: Option<Range<usize>>) {
        // A region too large to diff word by word is first aligned sentence
        // by sentence straight from its bytes, so that its tokens are never
        // all held at once (memory stays in proportion to the input).
        let (ob, nb) = (
            o.as_ref().map_or(0, |r| r.len()),
            n.as_ref().map_or(0, |r| r.len()),
        );
        // A region of several paragraphs is aligned sentence by sentence
        // first too: unchanged sentences are then never tokenised.
        if ob + nb > SENTENCES_FIRST
            || (ob / BYTES_PER_TOKEN).saturating_mul(nb / BYTES_PER_TOKEN) > TOKEN_BUDGET
        {
            if let (Some(o), Some(n)) = (o.clone(), n.clone()) {
                self.changed_by_sentences(o, n);
                return;
            }
        }
        self.changed_tokens(o, n);
    }

    /// Aligns sentences by a whitespace-blind key, then diffs the changed
    /// runs word by word when they fit the budget; larger runs become whole
    /// replacements (and the diff is marked coarse).
    fn changed_by_sentences(&mut self, o: Range<usize>, n: Range<usize>) {
        let os = lines::sentences(self.old, o);
        let ns = lines::sentences(self.new, n);
        walk_aligned(&os, &ns, |matched, x, y| match (x, y) {
            (Some(x), Some(y)) if matched => {
                if self.old[x.range.clone()] == self.new[y.range.clone()] {
                    self.anchor(x.range.clone(), y.range.clone());
                } else {
                    self.changed_tokens(Some(x.range.clone()), Some(y.range.clone()));
                }
            }
            (so, sn) => {
                let (so, sn) = (so.map(|l| l.range.clone()), sn.map(|l| l.range.clone()));
                let size =
                    |r: &Option<Range<usize>>| r.as_ref().map_or(0, |r| r.len()) / BYTES_PER_TOKEN;
                let fits = |o: &Option<Range<usize>>, n: &Option<Range<usize>>| {
                    size(o).saturating_mul(size(n)) <= TOKEN_BUDGET
                };
                if fits(&so, &sn) {
                    self.changed_tokens(so, sn);
                    return;
                }
                // Too large at once: alike units paired, each pair diffed
                // on its own (a table whose every row changed); a rewrite
                // stays one replacement.
                let units = pairing::units_within;
                let pieces = match (&so, &sn) {
                    (Some(o), Some(n)) => {
                        pairing::split_run(self.old, units(&os, o), self.new, units(&ns, n))
                    }
                    _ => None,
                };
                for (po, pn) in pieces.unwrap_or_else(|| vec![(so, sn)]) {
                    if fits(&po, &pn) {
                        self.changed_tokens(po, pn);
                    } else {
                        self.replaced_whole(po, pn);
                    }
                }
            }
        });
    }

    /// A changed run shown as one replacement, too large to align word by
    /// word (the diff is marked coarse).
    fn replaced_whole(&mut self, o: Option<Range<usize>>, n: Option<Range<usize>>) {
        self.coarse = true;
        if let Some(r) = o {
            self.removed += count_words(&self.old[r]);
        }
        if let Some(r) = n {
            self.added += count_words(&self.new[r]);
        }
    }

    /// A changed region: tokenise it and align its words.
    fn changed_tokens(&mut self, o: Option<Range<usize>>, n: Option<Range<usize>>) {
        // Token buffers are reused from region to region.
        let (mut ot, mut nt) = std::mem::take(&mut self.tok_bufs);
        ot.clear();
        nt.clear();
        if let Some(o) = o.clone() {
            tokenize_into(self.old, o, &mut ot);
        }
        if let Some(n) = n.clone() {
            tokenize_into(self.new, n, &mut nt);
        }
        let align::Aligned {
            pairs,
            coarse,
            old_ids,
            new_ids,
        } = align::align_region_ids(
            self.opts.minimal,
            &mut self.ids,
            self.old,
            &ot,
            self.new,
            &nt,
        );
        self.coarse |= coarse;
        let pairs = if self.opts.minimal {
            pairs
        } else {
            cleanup::semantic(self.old, &ot, self.new, &nt, pairs)
        };
        let (old, new) = (self.old, self.new);
        let words = tokenize::words_among;
        // Words not matched identically are removed and added; identical
        // pairs in a row, with identical space between them, are anchored
        // as one piece.
        let (mut pi, mut pj) = (0, 0);
        let mut k = 0;
        // The token runs anchored, on each side, for the move search's log.
        let mut anchored = std::mem::take(&mut self.anchored);
        anchored.clear();
        while k < pairs.len() {
            let (i, j) = pairs[k];
            self.removed += words(old, &ot[pi..i]);
            self.added += words(new, &nt[pj..j]);
            let (o, n) = (ot[i].clone(), nt[j].clone());
            if old[o.clone()] == new[n.clone()] {
                let mut last = k;
                while let Some(&(a, b)) = pairs.get(last + 1) {
                    let (pa, pb) = pairs[last];
                    if a != pa + 1
                        || b != pb + 1
                        || old[ot[pa].end..ot[a].end] != new[nt[pb].end..nt[b].end]
                    {
                        break;
                    }
                    last += 1;
                }
                let (a, b) = pairs[last];
                if self.log.is_some() {
                    anchored.push((i..a + 1, j..b + 1));
                }
                self.anchor(o.start..ot[a].end, n.start..nt[b].end);
                (pi, pj) = (a + 1, b + 1);
                k = last + 1;
            } else {
                self.removed += token_words(&old[o.clone()]);
                self.added += token_words(&new[n.clone()]);
                self.equivalent(o, n);
                (pi, pj) = (i + 1, j + 1);
                k += 1;
            }
        }
        self.removed += words(old, &ot[pi..]);
        self.added += words(new, &nt[pj..]);
        if let Some((lo, ln)) = &mut self.log {
            // Tokens matched identically are anchored (equal ops): only the
            // others can lie in a deleted or inserted passage.
            if let Some(o) = o {
                lo.push(old, o, &ot, &old_ids, anchored.iter().map(|r| r.0.clone()));
            }
            if let Some(n) = n {
                ln.push(new, n, &nt, &new_ids, anchored.iter().map(|r| r.1.clone()));
            }
        }
        self.anchored = anchored;
        self.tok_bufs = (ot, nt);
    }

    fn finish(mut self) -> Raw<'a> {
        let (old, new) = (self.old, self.new);
        self.ops
            .region(old, self.old_pos..old.len(), new, self.new_pos..new.len());
        Raw {
            old,
            new,
            ops: self.ops.ops,
            added: self.added,
            removed: self.removed,
            coarse: self.coarse,
            tokens: match self.log {
                Some((old, new)) => TokenLog {
                    ids: self.ids,
                    old,
                    new,
                },
                None => TokenLog::default(),
            },
        }
    }
}

#[derive(Default)]
struct OpBuilder {
    ops: Vec<Op>,
    /// The next op is not merged into the last one.
    sealed: bool,
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
        let sealed = std::mem::take(&mut self.sealed);
        if let Some(last) = self.ops.last_mut() {
            if !sealed
                && last.kind == kind
                && last.old.end == old.start
                && last.new.end == new.start
            {
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

    #[test]
    fn common_affixes_match_the_bytewise_count() {
        for (x, y) in [
            ("", ""),
            ("abc", "abd"),
            ("same text here!", "same text here!"),
            ("the quick brown fox jumps", "the quick brown cat jumps"),
            ("0123456789abcdefX", "0123456789abcdefY"),
            ("Xfedcba9876543210", "Yfedcba9876543210"),
        ] {
            let (x, y) = (x.as_bytes(), y.as_bytes());
            let p = x.iter().zip(y).take_while(|(c, d)| c == d).count();
            let s = x
                .iter()
                .rev()
                .zip(y.iter().rev())
                .take_while(|(c, d)| c == d)
                .count();
            assert_eq!(common_prefix(x, y), p);
            assert_eq!(common_suffix(x, y), s);
        }
    }
}
