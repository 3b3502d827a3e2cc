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

thread_local! {
    /// Per id, how many tokens of the passage being bagged have it; all
    /// zero between calls. Ids are dense (numbered in order of first
    /// sight), so a vector is the counter: no sort, no map.
    /// With the ids seen so far in the passage being bagged (a buffer
    /// kept between calls: grown once, not once per passage).
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
