//! The word diff. Non-blank lines are aligned first by a whitespace-blind
//! key, without segmenting words; only the lines that changed are split into
//! Unicode word tokens and diffed word by word. The result is a list of ops
//! whose pieces, concatenated, give back both texts byte for byte.

mod align;
mod cleanup;
mod hash;
pub mod kinds;
mod lines;
pub(crate) use lines::gaps;
pub mod moves;
mod slide;
pub mod tokenize;

pub use align::TOKEN_BUDGET;

/// Rough bytes per token in prose, to size a region before tokenising it.
const BYTES_PER_TOKEN: usize = 5;
/// Changed regions larger than this (old and new bytes together) are
/// aligned by sentences before words.
const SENTENCES_FIRST: usize = 1024;
use similar::{Algorithm, DiffTag};
use std::ops::Range;
use tokenize::{count_words, is_word, tokenize_into};

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
    /// Words in the same place or moved unchanged.
    pub words_unchanged: u64,
    /// Of the unchanged words, those in moved passages.
    pub words_moved: u64,
}

/// A word diff between two texts.
#[derive(Debug, Clone)]
pub struct Diff<'a> {
    pub old: &'a str,
    pub new: &'a str,
    pub ops: Vec<Op>,
    /// Words inserted and removed.
    pub words_added: u64,
    pub words_removed: u64,
    /// True when the work budget made some changed region a whole
    /// replacement instead of a word-by-word alignment.
    pub coarse: bool,
    /// Passages moved from one place to another, in order of the old place.
    pub moves: Vec<moves::Moved<'a>>,
    units: std::cell::OnceCell<Vec<Unit>>,
    /// (op index, index in `moves`) for both ends of every move, sorted.
    move_index: std::cell::OnceCell<Vec<(usize, usize)>>,
}

impl<'a> Diff<'a> {
    /// The move an op is one side of, if any.
    pub fn move_of(&self, op: usize) -> Option<&moves::Moved<'a>> {
        let index = self.move_index.get_or_init(|| {
            let mut v: Vec<(usize, usize)> = self
                .moves
                .iter()
                .enumerate()
                .flat_map(|(i, m)| [(m.from, i), (m.to, i)])
                .collect();
            v.sort_unstable();
            v
        });
        let at = index.binary_search_by_key(&op, |&(k, _)| k).ok()?;
        self.moves.get(index[at].1)
    }

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

    /// Words added and removed, counting a moved passage only by the edits
    /// made inside it (its kept words moved; they did not change).
    pub fn changed_words(&self) -> (u64, u64) {
        let kept = self.words_moved();
        (
            self.words_added.saturating_sub(kept),
            self.words_removed.saturating_sub(kept),
        )
    }

    /// Words kept inside moved passages (moved, not changed).
    fn words_moved(&self) -> u64 {
        self.moves
            .iter()
            .map(|m| m.inner.stats().words_unchanged)
            .sum()
    }

    /// Word counts. Counting the unchanged words reads the whole new text,
    /// so it is done only when asked for.
    pub fn stats(&self) -> Stats {
        let moved = self.words_moved();
        let (added, removed) = (
            self.words_added.saturating_sub(moved),
            self.words_removed.saturating_sub(moved),
        );
        Stats {
            words_added: added,
            words_removed: removed,
            words_unchanged: count_words(self.new).saturating_sub(added),
            words_moved: moved,
        }
    }
}

/// A change unit: a maximal run of non-equal ops, and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub ops: Range<usize>,
    pub kind: kinds::Kind,
}

impl Diff<'_> {
    /// The change units, in order. Each side of a move is a unit of its own,
    /// of kind `moved`.
    pub fn units(&self) -> &[Unit] {
        self.units.get_or_init(|| self.compute_units())
    }

    /// `trivial_change` of the two texts, checked only when every change is
    /// whitespace, invisible or typographic (the only kinds such changes
    /// produce), so that large diffs with word changes skip it.
    pub fn trivial(&self) -> Option<Vec<&'static str>> {
        use kinds::Kind;
        let possible = self.units().iter().all(|u| {
            matches!(
                u.kind,
                Kind::Whitespace | Kind::Invisible | Kind::Typography
            )
        });
        if possible {
            trivial_change(self.old, self.new)
        } else {
            None
        }
    }

    /// The unit of the changed ops `ops`, with its kind.
    fn unit(&self, ops: Range<usize>) -> Unit {
        // The removed and the inserted text of the unit; borrowed when each
        // side is one op (the common case, and the only one that can be
        // large).
        let side = |kind: OpKind| -> std::borrow::Cow<'_, str> {
            let mut parts = self.ops[ops.clone()]
                .iter()
                .filter(|op| op.kind == kind)
                .map(|op| self.text(op));
            match (parts.next(), parts.next()) {
                (None, _) => std::borrow::Cow::Borrowed(""),
                (Some(one), None) => std::borrow::Cow::Borrowed(one),
                (Some(a), Some(b)) => {
                    let mut s = String::from(a);
                    s.push_str(b);
                    parts.for_each(|p| s.push_str(p));
                    std::borrow::Cow::Owned(s)
                }
            }
        };
        let kind = kinds::classify(&side(OpKind::Delete), &side(OpKind::Insert));
        Unit { ops, kind }
    }

    fn compute_units(&self) -> Vec<Unit> {
        let mut out = Vec::new();
        // Buffers for folded keys, reused (see `kinds::fold_key_in`).
        let (mut fold_d, mut fold_i) = (String::new(), String::new());
        let mut k = 0;
        while k < self.ops.len() {
            if self.ops[k].kind == OpKind::Equal {
                k += 1;
                continue;
            }
            if self.move_of(k).is_some() {
                out.push(Unit {
                    ops: k..k + 1,
                    kind: kinds::Kind::Moved,
                });
                k += 1;
                continue;
            }
            let start = k;
            while k < self.ops.len()
                && self.ops[k].kind != OpKind::Equal
                && self.move_of(k).is_none()
            {
                k += 1;
            }
            // A token equal to its partner once case or typography is
            // folded, beside other changes, is a unit of its own (so that
            // `--hide typography` hides a re-quoted word and not the
            // sentence inserted after it).
            let mut equivalent = |p: usize| {
                let (d, i) = (&self.ops[p], &self.ops[p + 1]);
                let (dt, it) = (self.text(d), self.text(i));
                d.kind == OpKind::Delete
                    && i.kind == OpKind::Insert
                    && dt.len() <= 64
                    && it.len() <= 64
                    && dt != it
                    && kinds::fold_key_in(dt, &mut fold_d) == kinds::fold_key_in(it, &mut fold_i)
            };
            let mut from = start;
            let mut p = start;
            while k - start > 2 && p + 1 < k {
                if equivalent(p) {
                    if from < p {
                        out.push(self.unit(from..p));
                    }
                    out.push(self.unit(p..p + 2));
                    p += 2;
                    from = p;
                } else {
                    p += 1;
                }
            }
            if from < k {
                out.push(self.unit(from..k));
            }
        }
        // The whitespace that went with a moved passage (the paragraph
        // break before or after it) is part of the move.
        for u in &mut out {
            let beside_move = (u.ops.start > 0 && self.move_of(u.ops.start - 1).is_some())
                || self.move_of(u.ops.end).is_some();
            if u.kind == kinds::Kind::Whitespace && beside_move {
                u.kind = kinds::Kind::Moved;
            }
        }
        out
    }
}

/// When two different texts differ only in line endings, a leading
/// byte-order mark or Unicode normalisation (NFC/NFD), says which of these
/// (in that order); otherwise `None`.
pub fn trivial_change(old: &str, new: &str) -> Option<Vec<&'static str>> {
    use unicode_normalization::UnicodeNormalization;
    if old == new {
        return None;
    }
    // Same length up to line endings and a BOM, or the normalisation step
    // could not explain the difference: skip the whole-text passes.
    let crs = |s: &str| s.bytes().filter(|&b| b == b'\r').count();
    if old.is_ascii() && new.is_ascii() && old.len() - crs(old) != new.len() - crs(new) {
        return None;
    }
    let mut what = Vec::new();
    let (mut a, mut b) = (old.to_string(), new.to_string());
    type Step = (&'static str, fn(&str) -> String);
    let steps: [Step; 3] = [
        ("line endings", |s| s.replace("\r\n", "\n")),
        ("byte-order mark", |s| {
            s.strip_prefix('\u{feff}').unwrap_or(s).to_string()
        }),
        ("Unicode normalization (NFC/NFD)", |s| {
            if s.is_ascii() {
                s.to_string()
            } else {
                s.nfc().collect()
            }
        }),
    ];
    for (name, f) in steps {
        let (fa, fb) = (f(&a), f(&b));
        if (fa != a || fb != b) && (fa == fb || (a != fa) != (b != fb)) {
            what.push(name);
        }
        a = fa;
        b = fb;
        if a == b {
            return Some(what);
        }
    }
    None
}

/// Whether `s` has a blank line (holding only whitespace) with text after it.
pub fn has_blank_line(s: &str) -> bool {
    gaps(s).any(|g| g.newlines >= 2 && g.end < s.len())
}

/// Whether a piece of text is whitespace only.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// How to compare.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The raw minimal token diff, without semantic cleanup.
    pub minimal: bool,
    /// Do not look for moved passages.
    pub no_moves: bool,
}

/// Computes the word diff of two texts with the default options.
pub fn diff<'a>(old: &'a str, new: &'a str) -> Diff<'a> {
    diff_with(old, new, &Options::default())
}

/// Computes the word diff of two texts.
pub fn diff_with<'a>(old: &'a str, new: &'a str, opts: &Options) -> Diff<'a> {
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
    let boundary = |k: usize| {
        k >= 2 && matches!(x[k - 2], b'.' | b'!' | b'?') && matches!(x[k - 1], b' ' | b'\n')
    };
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
                if size(&so).saturating_mul(size(&sn)) <= TOKEN_BUDGET {
                    self.changed_tokens(so, sn);
                } else {
                    self.coarse = true;
                    if let Some(r) = so {
                        self.removed += count_words(&self.old[r]);
                    }
                    if let Some(r) = sn {
                        self.added += count_words(&self.new[r]);
                    }
                }
            }
        });
    }

    /// A changed region: tokenise it and align its words.
    fn changed_tokens(&mut self, o: Option<Range<usize>>, n: Option<Range<usize>>) {
        // Token buffers are reused from region to region.
        let (mut ot, mut nt) = std::mem::take(&mut self.tok_bufs);
        ot.clear();
        nt.clear();
        if let Some(o) = o {
            tokenize_into(self.old, o, &mut ot);
        }
        if let Some(n) = n {
            tokenize_into(self.new, n, &mut nt);
        }
        let (pairs, coarse) = align::align_region(
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
                self.anchor(o.start..ot[a].end, n.start..nt[b].end);
                (pi, pj) = (a + 1, b + 1);
                k = last + 1;
            } else {
                self.removed += u64::from(is_word(&old[o.clone()]));
                self.added += u64::from(is_word(&new[n.clone()]));
                self.equivalent(o, n);
                (pi, pj) = (i + 1, j + 1);
                k += 1;
            }
        }
        self.removed += words(old, &ot[pi..]);
        self.added += words(new, &nt[pj..]);
        self.tok_bufs = (ot, nt);
    }

    fn finish(mut self) -> Diff<'a> {
        let (old, new) = (self.old, self.new);
        self.ops
            .region(old, self.old_pos..old.len(), new, self.new_pos..new.len());
        let (ops, moves) = if self.opts.no_moves {
            (self.ops.ops, Vec::new())
        } else {
            let blank_mode = has_blank_line(old) || has_blank_line(new);
            moves::find(old, new, self.ops.ops, blank_mode)
        };
        Diff {
            old,
            new,
            ops,
            words_added: self.added,
            words_removed: self.removed,
            coarse: self.coarse,
            moves,
            units: std::cell::OnceCell::new(),
            move_index: std::cell::OnceCell::new(),
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

    #[test]
    fn replacement_keeps_spaces_outside() {
        let d = diff("a b c", "a x c");
        assert_eq!(marked(&d), "a [-b-]{+x+} c");
        assert_eq!(
            d.stats(),
            Stats {
                words_added: 1,
                words_removed: 1,
                words_unchanged: 2,
                words_moved: 0
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
        assert_eq!(d.stats().words_added + d.stats().words_removed, 0);
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
        assert_eq!(d.stats().words_added, 1);
        assert_eq!(d.stats().words_removed, 1);
        assert_eq!(rebuild(&d), (a.clone(), c.clone()));
        // Deterministic: the same input gives the same ops.
        assert_eq!(diff(&a, &b).ops, diff(&a, &b).ops);
    }

    #[test]
    fn a_long_cjk_text_with_a_character_changed_in_every_paragraph_stays_exact() {
        // Chinese and Japanese put no space after a full stop: sentences
        // must still split there, or a document whose every paragraph has
        // an edit is one unaligned run, over the budget and shown whole.
        let chars: Vec<char> = (0x4e00u32..0x4e00 + 500)
            .filter_map(char::from_u32)
            .collect();
        let para = |p: usize, edit: bool| -> String {
            (0..8)
                .map(|s| {
                    let mut sent: String = (0..30)
                        .map(|k| chars[(p * 131 + s * 17 + k * 7) % chars.len()])
                        .collect();
                    if edit && s == 3 {
                        sent.replace_range(..3, "\u{5909}");
                    }
                    sent + "\u{3002}"
                })
                .collect()
        };
        let doc = |edit: bool| -> String {
            (0..400)
                .map(|p| para(p, edit))
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        let (a, b) = (doc(false), doc(true));
        assert!(a.len() / BYTES_PER_TOKEN * (b.len() / BYTES_PER_TOKEN) > TOKEN_BUDGET);
        let d = diff(&a, &b);
        assert!(!d.coarse);
        assert_eq!(d.stats().words_added, 400);
        assert_eq!(d.stats().words_removed, 400);
        assert_eq!(rebuild(&d), (a, b));
    }

    #[test]
    fn long_regions_aligned_by_sentences_keep_word_precision() {
        // Three long paragraphs, all changed: the region is over
        // SENTENCES_FIRST, so sentences are aligned before words.
        let words = [
            "policy", "data", "service", "notice", "rights", "access", "terms",
        ];
        let para = |p: usize| {
            (0..12)
                .map(|i| {
                    format!(
                        "Sentence {p} {i} about {} and {}.",
                        words[i % 7],
                        words[(i + p) % 7]
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let old = (0..3).map(para).collect::<Vec<_>>().join("\n\n");
        assert!(old.len() > SENTENCES_FIRST);
        let new = old
            .replacen("Sentence 0 3 about notice", "Sentence 0 3 about NOTICES", 1)
            .replacen("Sentence 1 7 about ", "Sentence 1 7 regarding ", 1)
            .replacen(
                "Sentence 2 6 about terms and",
                "Sentence 2 6 about terms or",
                1,
            );
        let d = diff(&old, &new);
        assert_eq!(rebuild(&d), (old.clone(), new.clone()));
        assert_eq!((d.words_added, d.words_removed), (3, 3));
        let m = marked(&d);
        assert!(m.contains("about [-notice-]{+NOTICES+} and"), "{m}");
        assert!(m.contains("7 [-about-]{+regarding+} "), "{m}");
        assert!(m.contains("terms [-and-]{+or+} "), "{m}");
    }

    #[test]
    fn identical_sentences_set_aside_do_not_stop_sliding() {
        // A sentence inserted as a copy of its neighbour: the insertion is
        // shown on sentence boundaries, not shifted by one word.
        let old = "Alpha one two. The cat sat down. The dog ran off. Omega end.";
        let new = "Alpha one two. The cat sat down. The cat sat down. The dog ran off. Omega end.";
        let d = diff(old, new);
        let m = marked(&d);
        assert!(m.contains(". {+The cat sat down.+} The"), "{m}");
        assert_eq!(d.ops.iter().filter(|o| o.kind != OpKind::Equal).count(), 1);
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
