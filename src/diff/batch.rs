//! Changed regions aligned on two threads. On a large input the engine
//! holds back its steps (anchors, changed regions, whole replacements) in a
//! `Batch`; when the batch is large enough, its regions are tokenised and
//! aligned by two workers that each take the next region as they finish
//! one, and the steps are then emitted in order, as if each had been
//! aligned as it was met.
//!
//! The output is the same whatever the thread count or timing: each worker
//! interns tokens in an interner of its own, the aligner compares ids only
//! for equality, and the ids of the results are then mapped into the
//! diff's interner region by region, in order, old side before new side,
//! which is exactly the order in which aligning them one by one would have
//! interned them.

use super::align::{self, Interner};
use super::{cleanup, tokenize, Options};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Inputs (old and new bytes together) from which steps are batched.
pub(super) const BATCH_INPUT_MIN: usize = 64 * 1024;
/// Changed-region bytes at which a batch is aligned and emitted: bounds
/// the tokens held at once.
pub(super) const BATCH_BYTES: usize = 128 * 1024;
/// A batch with fewer changed-region bytes is aligned on one thread (a
/// second thread would cost more than it saves).
const PARALLEL_BYTES_MIN: usize = 24 * 1024;

/// A changed region to align: its step's index and its two ranges.
type Job = (usize, Option<Range<usize>>, Option<Range<usize>>);

/// What the engine does at one point of the texts, held back.
pub(super) enum Step {
    Anchor(Range<usize>, Range<usize>),
    Tokens(Option<Range<usize>>, Option<Range<usize>>),
    Whole(Option<Range<usize>>, Option<Range<usize>>),
}

/// Steps held back, and the changed-region bytes among them.
#[derive(Default)]
pub(super) struct Batch {
    pub steps: Vec<Step>,
    pub bytes: usize,
}

/// A changed region's tokens and their alignment.
pub(super) struct Region {
    pub ot: Vec<Range<usize>>,
    pub nt: Vec<Range<usize>>,
    pub aligned: align::Aligned,
}

/// Tokenises a changed region into the buffers `ot` and `nt` (cleared
/// first) and aligns its words.
pub(super) fn align_region<'a>(
    opts: &Options,
    ids: &mut Interner<'a>,
    (old, o): (&'a str, Option<Range<usize>>),
    (new, n): (&'a str, Option<Range<usize>>),
    (mut ot, mut nt): (Vec<Range<usize>>, Vec<Range<usize>>),
) -> Region {
    ot.clear();
    nt.clear();
    if let Some(o) = o {
        tokenize::tokenize_into(old, o, &mut ot);
    }
    if let Some(n) = n {
        tokenize::tokenize_into(new, n, &mut nt);
    }
    let mut aligned = align::align_region_ids(opts.minimal, ids, old, &ot, new, &nt);
    if !opts.minimal {
        let pairs = std::mem::take(&mut aligned.pairs);
        aligned.pairs = cleanup::semantic(old, &ot, new, &nt, pairs);
    }
    Region { ot, nt, aligned }
}

/// Whether batching is worth it for texts of `bytes` bytes: large enough,
/// more than one CPU available, and `REDLINER_THREADS` not set to 1.
pub(super) fn wanted(bytes: usize) -> bool {
    bytes >= BATCH_INPUT_MIN && threads() > 1
}

/// The threads to align with: `REDLINER_THREADS` (1 turns threads off), or
/// 2 when the machine offers that many.
fn threads() -> usize {
    match std::env::var("REDLINER_THREADS") {
        Ok(v) => v.trim().parse::<usize>().unwrap_or(2).clamp(1, 2),
        Err(_) => std::thread::available_parallelism().map_or(1, |n| n.get().min(2)),
    }
}

/// Aligns the `Tokens` steps of `steps` on two threads and returns their
/// regions, indexed like `steps` (`None` for other steps), with ids from
/// `ids`. `None` when the batch is too small to share out: the caller
/// then aligns its regions one by one as it emits them.
pub(super) fn align_steps<'a>(
    opts: &Options,
    ids: &mut Interner<'a>,
    old: &'a str,
    new: &'a str,
    steps: &[Step],
) -> Option<Vec<Option<Region>>> {
    let jobs: Vec<Job> = steps
        .iter()
        .enumerate()
        .filter_map(|(k, s)| match s {
            Step::Tokens(o, n) => Some((k, o.clone(), n.clone())),
            _ => None,
        })
        .collect();
    let len = |r: &Option<Range<usize>>| r.as_ref().map_or(0, |r| r.len());
    let bytes: usize = jobs.iter().map(|(_, o, n)| len(o) + len(n)).sum();
    if jobs.len() < 2 || bytes < PARALLEL_BYTES_MIN {
        return None;
    }
    // Largest regions first, each to the worker that is free first.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(len(&jobs[k].1) + len(&jobs[k].2)));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut local = Interner::default();
        let mut done = Vec::new();
        while let Some(&k) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let (_, o, n) = &jobs[k];
            let r = align_region(
                opts,
                &mut local,
                (old, o.clone()),
                (new, n.clone()),
                Default::default(),
            );
            done.push((k, r));
        }
        done
    };
    let (mine, theirs) = std::thread::scope(|s| {
        let spawned = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn_scoped(s, work);
        let mine = work();
        // A thread that cannot start leaves all the work to this one.
        let theirs = spawned.ok().map(|h| match h.join() {
            Ok(t) => t,
            Err(p) => std::panic::resume_unwind(p),
        });
        (mine, theirs)
    });
    let mut by_job: Vec<Option<(usize, Region)>> = (0..jobs.len()).map(|_| None).collect();
    let mut maps: Vec<Vec<u32>> = Vec::new();
    for (w, done) in std::iter::once(mine).chain(theirs).enumerate() {
        maps.push(Vec::new());
        for (k, r) in done {
            by_job[k] = Some((w, r));
        }
    }
    let mut out: Vec<Option<Region>> = (0..steps.len()).map(|_| None).collect();
    for ((k, _, _), slot) in jobs.iter().zip(by_job) {
        // Every job was taken by one worker.
        let (w, mut r) = slot?;
        let map = &mut maps[w];
        remap(map, ids, old, &r.ot, &mut r.aligned.old_ids);
        remap(map, ids, new, &r.nt, &mut r.aligned.new_ids);
        out[*k] = Some(r);
    }
    Some(out)
}

/// Maps a worker's ids of the tokens `toks` of `text` into `ids`, interning
/// each of the worker's ids by its first token, in order.
fn remap<'a>(
    map: &mut Vec<u32>,
    ids: &mut Interner<'a>,
    text: &'a str,
    toks: &[Range<usize>],
    local: &mut [u32],
) {
    for (t, id) in toks.iter().zip(local.iter_mut()) {
        if *id == u32::MAX {
            continue;
        }
        let l = *id as usize;
        if l >= map.len() {
            map.resize(l + 1, u32::MAX);
        }
        if map[l] == u32::MAX {
            map[l] = ids.id(text, t.clone());
        }
        *id = map[l];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::testing::Lcg;

    /// Paragraphs of random words from a small vocabulary, each edited in
    /// a few places on the new side.
    fn texts(paras: usize, seed: u64) -> (String, String, Vec<Step>) {
        const WORDS: &[&str] = &[
            "the",
            "terms",
            "Service",
            "you",
            "agree",
            "data",
            "may",
            "shall",
            "“Content”",
            "party's",
            "2024-06-01",
            "provider",
            "notice",
            "’s",
            "Ünïcode",
            "information",
        ];
        let mut lcg = Lcg::new(seed);
        let (mut old, mut new) = (String::new(), String::new());
        let mut steps = Vec::new();
        for _ in 0..paras {
            let (os, ns) = (old.len(), new.len());
            for _ in 0..60 {
                let w = WORDS[lcg.below(WORDS.len() as u64) as usize];
                old.push_str(w);
                old.push(' ');
                match lcg.below(10) {
                    0 => {}
                    1 => new.push_str("inserted words here "),
                    _ => {
                        new.push_str(w);
                        new.push(' ');
                    }
                }
            }
            steps.push(Step::Tokens(Some(os..old.len()), Some(ns..new.len())));
            old.push_str("\n\n");
            new.push_str("\n\n");
            steps.push(Step::Anchor(
                old.len() - 2..old.len(),
                new.len() - 2..new.len(),
            ));
        }
        (old, new, steps)
    }

    #[test]
    fn regions_aligned_on_two_threads_match_regions_aligned_one_by_one() {
        let (old, new, steps) = texts(150, 7);
        for minimal in [false, true] {
            let opts = Options {
                minimal,
                ..Options::default()
            };
            let mut shared = Interner::default();
            let regions = align_steps(&opts, &mut shared, &old, &new, &steps)
                .expect("a batch this large is shared out");
            let mut alone = Interner::default();
            for (step, r) in steps.iter().zip(regions) {
                let Step::Tokens(o, n) = step else {
                    assert!(r.is_none());
                    continue;
                };
                let r = r.expect("every region is aligned");
                let want = align_region(
                    &opts,
                    &mut alone,
                    (&old, o.clone()),
                    (&new, n.clone()),
                    Default::default(),
                );
                assert_eq!((&r.ot, &r.nt), (&want.ot, &want.nt));
                assert_eq!(r.aligned.pairs, want.aligned.pairs);
                // The same ids as interning region by region would give.
                assert_eq!(r.aligned.old_ids, want.aligned.old_ids);
                assert_eq!(r.aligned.new_ids, want.aligned.new_ids);
                assert_eq!(r.aligned.coarse, want.aligned.coarse);
            }
            // And the diff's interner ends in the same state.
            let probe = "Ünïcode terms never-seen";
            let toks: Vec<Range<usize>> = probe
                .split(' ')
                .map(|w| {
                    let at = w.as_ptr() as usize - probe.as_ptr() as usize;
                    at..at + w.len()
                })
                .collect();
            let a: Vec<u32> = toks.iter().map(|t| shared.id(probe, t.clone())).collect();
            let b: Vec<u32> = toks.iter().map(|t| alone.id(probe, t.clone())).collect();
            assert_eq!(a, b);
        }
    }

    #[test]
    fn a_small_batch_is_left_to_the_caller() {
        let (old, new, steps) = texts(3, 1);
        let mut ids = Interner::default();
        assert!(align_steps(&Options::default(), &mut ids, &old, &new, &steps).is_none());
    }
}
