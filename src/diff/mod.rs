//! The word diff. Non-blank lines are aligned first by a whitespace-blind
//! key, without segmenting words; only the lines that changed are split into
//! Unicode word tokens and diffed word by word (`engine`). Moved passages are
//! then found (`moves`), and the result is summed up once (`summary`): a
//! `Diff` is plain data whose ops, concatenated, give back both texts byte
//! for byte.

mod align;
mod cleanup;
mod engine;
mod filter;
mod greedy;
mod hash;
mod heading_anchor;
pub mod kinds;
mod lcs;
mod lines;
mod list_items;
mod move_grow;
mod move_pick;
pub(crate) use crate::text::gaps;
pub use crate::text::is_blank;
pub mod moves;
mod pairing;
mod passages;
mod slide;
mod summary;
mod token_log;
pub mod tokenize;

pub use align::TOKEN_BUDGET;
pub use filter::Filter;
pub use summary::{trivial_change, Stats, Trivial, Unit, WdiffCounts};

use kinds::Kind;
use std::ops::Range;

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

/// Whether every changed region was aligned word by word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Exact,
    /// The work budget made some changed region a whole replacement.
    Coarse,
}

/// An unchanged span: the same bytes at `old` in the old text and at `new`
/// in the new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EqualSpan {
    pub old: Range<usize>,
    pub new: Range<usize>,
}

/// A word diff between two texts, computed once and completely: plain data.
#[derive(Debug, Clone)]
pub struct Diff<'a> {
    pub old: &'a str,
    pub new: &'a str,
    pub ops: Vec<Op>,
    /// Passages moved from one place to another, in order of the old place.
    pub moves: Vec<moves::Moved<'a>>,
    /// The change units in order, each with its kind.
    pub units: Vec<Unit>,
    /// Word counts; a moved passage counts only by the edits made inside it.
    pub stats: Stats,
    /// wdiff's statistics of the same changes (zero when the unchanged
    /// words were not counted: `Options::skip_unchanged_count`).
    pub wdiff: WdiffCounts,
    /// Changes per kind, most frequent first; a move counts once.
    pub changes: Vec<(Kind, u64)>,
    pub precision: Precision,
    /// Set when the texts differ only in line endings, a byte-order mark or
    /// Unicode normalisation: which of these.
    pub trivial: Option<Vec<Trivial>>,
    /// (op index, index in `moves`) for both ends of every move, sorted.
    move_index: Vec<(usize, usize)>,
}

impl<'a> Diff<'a> {
    /// The move an op is one side of, if any.
    pub fn move_of(&self, op: usize) -> Option<&moves::Moved<'a>> {
        let at = self
            .move_index
            .binary_search_by_key(&op, |&(k, _)| k)
            .ok()?;
        self.moves.get(self.move_index[at].1)
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

    /// Whether some change is shown under `filter` (hidden kinds aside).
    pub fn has_visible_changes(&self, filter: &Filter) -> bool {
        self.units.iter().any(|u| !filter.hides(u.kind))
    }

    /// The old and the new text rebuilt from the ops (the invariant: they
    /// equal `old` and `new`).
    pub fn rebuild(&self) -> (String, String) {
        let (mut o, mut n) = (String::new(), String::new());
        for op in &self.ops {
            match op.kind {
                OpKind::Equal => {
                    o.push_str(&self.old[op.old.clone()]);
                    n.push_str(&self.new[op.new.clone()]);
                }
                OpKind::Delete => o.push_str(&self.old[op.old.clone()]),
                OpKind::Insert => n.push_str(&self.new[op.new.clone()]),
            }
        }
        (o, n)
    }

    /// Every unchanged span of the new text with its span in the old text,
    /// in order of the new text: the equal ops, and the words kept inside
    /// each moved passage (at its old and its new place). Provenance
    /// (blame) follows these spans from one revision to the next.
    pub fn equal_spans(&self) -> Vec<EqualSpan> {
        let mut out: Vec<EqualSpan> = Vec::new();
        for (k, op) in self.ops.iter().enumerate() {
            if op.kind == OpKind::Equal {
                out.push(EqualSpan {
                    old: op.old.clone(),
                    new: op.new.clone(),
                });
            } else if op.kind == OpKind::Insert {
                if let Some(m) = self.move_of(k).filter(|m| m.to == k) {
                    let (o, n) = (m.old.start, m.new.start);
                    out.extend(m.inner.equal_spans().into_iter().map(|s| EqualSpan {
                        old: s.old.start + o..s.old.end + o,
                        new: s.new.start + n..s.new.end + n,
                    }));
                }
            }
        }
        out
    }
}

/// Whether `s` has a blank line (holding only whitespace) with text after it.
pub fn has_blank_line(s: &str) -> bool {
    gaps(s).any(|g| g.newlines >= 2 && g.end < s.len())
}

/// How to compare.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The raw minimal token diff, without semantic cleanup.
    pub minimal: bool,
    /// Do not look for moved passages.
    pub no_moves: bool,
    /// Do not count the unchanged words (`stats.words_unchanged` is then
    /// `None`): counting them is a pass over the whole new text, which a
    /// redline that shows no statistics does not need.
    pub skip_unchanged_count: bool,
}

/// Computes the word diff of two texts with the default options.
pub fn diff<'a>(old: &'a str, new: &'a str) -> Diff<'a> {
    diff_with(old, new, &Options::default())
}

/// Computes the word diff of two texts.
pub fn diff_with<'a>(old: &'a str, new: &'a str, opts: &Options) -> Diff<'a> {
    let mut raw = engine::run(old, new, opts);
    if !opts.minimal {
        heading_anchor::apply(&mut raw);
        list_items::apply(&mut raw);
    }
    let moves = if opts.no_moves {
        Vec::new()
    } else {
        let blank_mode = has_blank_line(old) || has_blank_line(new);
        let (ops, moves) = moves::find(
            old,
            new,
            std::mem::take(&mut raw.ops),
            blank_mode,
            &mut raw.tokens,
        );
        let (ops, moves) = move_grow::grow(old, new, ops, moves, blank_mode);
        raw.ops = ops;
        moves
    };
    summary::complete(raw, moves, !opts.skip_unchanged_count)
}

#[cfg(test)]
mod tests {
    use super::engine::{BYTES_PER_TOKEN, SENTENCES_FIRST};
    use super::*;

    /// Marks changes as the plain renderer does: surrounding whitespace
    /// outside the markers.
    pub(crate) fn marked(d: &Diff) -> String {
        d.ops
            .iter()
            .map(|op| {
                let t = d.text(op);
                let (lead, core, trail) = crate::text::split_ws(t);
                match op.kind {
                    OpKind::Equal => t.to_string(),
                    OpKind::Delete => format!("{lead}[-{core}-]{trail}"),
                    OpKind::Insert => format!("{lead}{{+{core}+}}{trail}"),
                }
            })
            .collect()
    }

    /// The diff of `old` and `new` (checked to rebuild both) with every op
    /// marked whole, whitespace included.
    pub(crate) fn marked_raw(old: &str, new: &str) -> String {
        let d = diff(old, new);
        let (o, n) = d.rebuild();
        assert_eq!((o.as_str(), n.as_str()), (old, new));
        d.ops
            .iter()
            .map(|op| match op.kind {
                OpKind::Equal => d.text(op).to_string(),
                OpKind::Delete => format!("[-{}-]", d.text(op)),
                OpKind::Insert => format!("{{+{}+}}", d.text(op)),
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
                words_unchanged: Some(2),
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
        assert!(d
            .ops
            .iter()
            .all(|op| op.kind == OpKind::Equal || is_blank(d.text(op))));
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
        assert!((d.precision == Precision::Coarse));
        assert_eq!(d.rebuild(), (a.clone(), b.clone()));
        // The same line with one word changed stays exact: sentences align.
        let c = a.replacen("gamma", "GAMMA", 1);
        let d = diff(&a, &c);
        assert!(!(d.precision == Precision::Coarse));
        assert_eq!(d.stats.words_added, 1);
        assert_eq!(d.stats.words_removed, 1);
        assert_eq!(d.rebuild(), (a.clone(), c.clone()));
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
        assert!(!(d.precision == Precision::Coarse));
        assert_eq!(d.stats.words_added, 400);
        assert_eq!(d.stats.words_removed, 400);
        assert_eq!(d.rebuild(), (a, b));
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
        assert_eq!(d.rebuild(), (old.clone(), new.clone()));
        assert_eq!((d.stats.words_added, d.stats.words_removed), (3, 3));
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
                d.rebuild(),
                (a.to_string(), b.to_string()),
                "{a:?} -> {b:?}"
            );
        }
    }

    #[test]
    fn equal_spans_map_unchanged_text_through_moves() {
        let old = "Intro stays here.\n\nThe leaders stressed the importance of the rules-based order.\n\nMiddle paragraph one.\n\nMiddle paragraph two.\n";
        let new = "Intro stays here.\n\nMiddle paragraph one.\n\nMiddle paragraph two.\n\nThe leaders stressed the vital importance of the rules-based order.\n";
        let d = diff(old, new);
        assert_eq!(d.moves.len(), 1, "{:?}", d.ops);
        let spans = d.equal_spans();
        for s in &spans {
            assert_eq!(&old[s.old.clone()], &new[s.new.clone()]);
        }
        assert!(spans.windows(2).all(|w| w[0].new.end <= w[1].new.start));
        // The moved paragraph's kept words map back to its old place; the
        // word inserted inside it maps nowhere.
        let at = |needle: &str| new.find(needle).unwrap();
        let covered = |pos: usize| spans.iter().find(|s| s.new.contains(&pos));
        let leaders = covered(at("The leaders")).expect("moved words are unchanged");
        let off = at("The leaders") - leaders.new.start;
        assert_eq!(leaders.old.start + off, old.find("The leaders").unwrap());
        assert!(covered(at("vital")).is_none());
        assert!(covered(at("Middle paragraph two")).is_some());
    }

    #[test]
    fn a_changed_date_is_one_replacement_of_kind_number() {
        let d = diff(
            "Effective 2023-06-01 for all users.",
            "Effective 2024-02-20 for all users.",
        );
        assert_eq!(
            marked(&d),
            "Effective [-2023-06-01-]{+2024-02-20+} for all users."
        );
        assert_eq!(d.changes, vec![(Kind::Number, 1)]);
        assert_eq!((d.stats.words_added, d.stats.words_removed), (1, 1));
    }
}
