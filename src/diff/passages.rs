//! The candidates of the move search: the passages of changed text, and
//! the bag of word ids each is compared by.

use super::align::Interner;
use super::engine::SideLog;
use std::ops::Range;

/// A passage's bag: each distinct id of the folded keys of its tokens,
/// with how many of its tokens have it (in order of first sight), and the
/// number of its tokens.
#[derive(Default)]
pub(super) struct Bag {
    pub runs: Vec<(u32, u32)>,
    pub tokens: usize,
}

/// An inverted index of bags: for each id, the bags that hold it (by
/// their index) with its count in each, in bag order. Ids are dense, so
/// the index is flat: the entries of id h are
/// `entries[starts[h]..starts[h + 1]]`. Two arrays read in order, not a
/// map of vectors scattered over the heap (on a long rewritten document
/// the lookups missed the cache more than they computed).
pub(super) struct Index {
    starts: Vec<u32>,
    entries: Vec<(u32, u32)>,
}

impl Index {
    pub(super) fn of<'b>(bags: impl Iterator<Item = &'b Bag> + Clone) -> Index {
        let top = bags
            .clone()
            .flat_map(|b| b.runs.iter().map(|&(h, _)| h as usize + 1))
            .max()
            .unwrap_or(0);
        let mut starts = vec![0u32; top + 1];
        for b in bags.clone() {
            for &(h, _) in &b.runs {
                starts[h as usize + 1] += 1;
            }
        }
        for h in 0..top {
            starts[h + 1] += starts[h];
        }
        let mut fill = starts.clone();
        let mut entries = vec![(0u32, 0u32); starts[top] as usize];
        for (k, b) in bags.enumerate() {
            for &(h, n) in &b.runs {
                let at = &mut fill[h as usize];
                entries[*at as usize] = (k as u32, n);
                *at += 1;
            }
        }
        Index { starts, entries }
    }

    /// The (bag, count) entries of id `h`.
    pub(super) fn shared(&self, h: u32) -> &[(u32, u32)] {
        let h = h as usize;
        match (self.starts.get(h), self.starts.get(h + 1)) {
            (Some(&a), Some(&b)) => &self.entries[a as usize..b as usize],
            _ => &[],
        }
    }
}

thread_local! {
    /// Per id, how many tokens of the passage being bagged have it (all
    /// zero between calls), and the ids it has shown so far. Ids are dense
    /// (numbered in order of first sight), so a vector is the counter: no
    /// sort, no map; both buffers are kept between calls, grown once.
    static COUNTS: std::cell::RefCell<(Vec<u32>, Vec<u32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// The bag of the tokens `toks` of `text`, each with its id if the engine
/// gave it one; the ids of its word tokens in order (`None` when a token
/// holds more than one word, a web address); and its number of words.
pub(super) fn bag<'a>(
    ids: &mut Interner<'a>,
    text: &'a str,
    toks: impl ExactSizeIterator<Item = (Range<usize>, u32)>,
) -> (Bag, Option<Vec<u32>>, usize) {
    let tokens = toks.len();
    let mut words = Some(Vec::with_capacity(tokens));
    let mut count = 0;
    COUNTS.with(|counts| {
        let (counts, seen) = &mut *counts.borrow_mut();
        seen.clear();
        for (r, id) in toks {
            let id = if id == u32::MAX {
                ids.id(text, r.clone())
            } else {
                id
            };
            let at = id as usize;
            if at >= counts.len() {
                counts.resize(at + 1, 0);
            }
            if counts[at] == 0 {
                seen.push(id);
            }
            counts[at] += 1;
            match super::tokenize::token_words(&text[r]) {
                0 => {}
                1 => {
                    count += 1;
                    words.iter_mut().for_each(|w| w.push(id));
                }
                n => {
                    count += n as usize;
                    words = None;
                }
            }
        }
        let runs = seen
            .iter()
            .map(|&id| (id, std::mem::take(&mut counts[id as usize])))
            .collect();
        (Bag { runs, tokens }, words, count)
    })
}

/// The bag of the passage `text[r]` (see `bag`): from the engine's tokens
/// when it cut the passage's, otherwise from the passage cut again.
pub(super) fn bag_of<'a>(
    ids: &mut Interner<'a>,
    side: &SideLog,
    text: &'a str,
    r: &Range<usize>,
) -> (Bag, Option<Vec<u32>>, usize) {
    if let Some(k) = side.within(text, r) {
        debug_assert_eq!(
            side.toks_in(k.clone())
                .iter()
                .map(|t| t.start - r.start..t.end - r.start)
                .collect::<Vec<_>>(),
            super::tokenize::tokenize(&text[r.clone()]),
            "{:?}",
            &text[r.clone()]
        );
        return bag(ids, text, k.map(|k| side.tok(k)));
    }
    let toks = super::tokenize::tokenize(&text[r.clone()]);
    let at = r.start;
    bag(
        ids,
        text,
        toks.into_iter()
            .map(|t| (t.start + at..t.end + at, u32::MAX)),
    )
}

/// Calls `found` with each passage of `text[range]`: its paragraphs (or
/// lines), trimmed.
pub(super) fn passages(
    text: &str,
    range: Range<usize>,
    blank_mode: bool,
    mut found: impl FnMut(Range<usize>),
) {
    let need = if blank_mode { 2 } else { 1 };
    let s = &text[range.clone()];
    // A move is a whole passage: a piece of changed text that starts or
    // ends inside a sentence offers only the whole sentences or lines
    // inside it, never a few words pulled from the sentence around it.
    let mut push = |from: usize, to: usize| {
        let core = crate::text::trimmed_range(&s[from..to]);
        if !core.is_empty() {
            let at = range.start + from;
            if let Some(r) = crate::text::whole_passages(text, at + core.start..at + core.end) {
                found(r);
            }
        }
    };
    // The items of a list (lines that each open with a bullet or a
    // number) are passages of their own even inside one paragraph, so that
    // reordered items are moves.
    let mut block = |from: usize, to: usize| {
        let piece = &s[from..to];
        let lines = piece.trim();
        if need == 2 && lines.contains('\n') && lines.lines().all(crate::text::is_list_item) {
            let mut at = from;
            for line in piece.split_inclusive('\n') {
                push(at, at + line.len());
                at += line.len();
            }
        } else {
            push(from, to);
        }
    };
    let mut from = 0;
    for g in super::gaps(s).filter(|g| g.newlines >= need) {
        block(from, g.start);
        from = g.end;
    }
    block(from, s.len());
}
