//! The tokens the engine cut from the changed regions, kept for the move
//! search (see `TokenLog`).

use super::align;
use std::ops::Range;

/// The tokens the engine cut from the changed regions, with the interner
/// that gave their ids: the move search reads a passage's tokens and ids
/// from here instead of cutting and folding its text again.
#[derive(Default)]
pub(super) struct TokenLog<'a> {
    pub ids: align::Interner<'a>,
    pub old: SideLog,
    pub new: SideLog,
}

/// One text's tokens not matched identically, in order of position.
#[derive(Default)]
pub(super) struct SideLog {
    /// The tokenised ranges, in order; ranges with only whitespace between
    /// them are merged (no token spans whitespace, so tokenising the
    /// merged range gives the same tokens).
    regions: Vec<Range<usize>>,
    toks: Vec<Range<usize>>,
    /// Each token's id (`u32::MAX` when the aligner did not need one).
    ids: Vec<u32>,
    /// Where the last `within` found its first token: the move search
    /// asks for passages mostly in order of position, and a search from
    /// there reads the tokens near the last passage instead of probing
    /// all over a log of megabytes (which missed the cache).
    cursor: std::cell::Cell<usize>,
}

impl SideLog {
    /// Logs the tokens `toks` of `text[region]` (and their ids) but those
    /// in the index ranges `skip` (in order).
    pub(super) fn push(
        &mut self,
        text: &str,
        region: Range<usize>,
        toks: &[Range<usize>],
        ids: &[u32],
        skip: impl Iterator<Item = Range<usize>>,
    ) {
        match self.regions.last_mut() {
            Some(last)
                if last.end <= region.start
                    && text.as_bytes()[last.end..region.start]
                        .iter()
                        .all(|&b| crate::text::is_ascii_ws(b)) =>
            {
                last.end = region.end;
            }
            _ => self.regions.push(region),
        }
        let mut from = 0;
        for r in skip.chain(std::iter::once(toks.len()..toks.len())) {
            self.toks.extend_from_slice(&toks[from..r.start]);
            self.ids.extend_from_slice(&ids[from..r.start]);
            from = r.end;
        }
    }

    /// The indices of the tokens of `text[r]`, if `r` lies within one
    /// tokenised range, cuts no token and holds nothing but whitespace
    /// between the logged tokens: then they are exactly the tokens
    /// `tokenize(&text[r])` gives (shifted by `r.start`). The last check
    /// matters when a later pass widened an op over tokens that were
    /// matched identically (which are not logged), e.g. a list item shown
    /// whole.
    pub(super) fn within(&self, text: &str, r: &Range<usize>) -> Option<Range<usize>> {
        let k = self.regions.partition_point(|g| g.end < r.end);
        let g = self.regions.get(k)?;
        if g.start > r.start {
            return None;
        }
        let lo = self.first_from_cursor(r.start);
        self.cursor.set(lo);
        // The passage's tokens are read below anyway: counted, not searched.
        let hi = lo
            + self.toks[lo..]
                .iter()
                .take_while(|t| t.start < r.end)
                .count();
        let cut_before = lo > 0 && self.toks[lo - 1].end > r.start;
        let cut_after = hi > lo && self.toks[hi - 1].end > r.end;
        if cut_before || cut_after {
            return None;
        }
        let blank = |a: usize, b: usize| {
            text.as_bytes()[a..b]
                .iter()
                .all(|&c| crate::text::is_ascii_ws(c))
        };
        let mut at = r.start;
        for t in &self.toks[lo..hi] {
            if !blank(at, t.start) {
                return None;
            }
            at = t.end;
        }
        blank(at, r.end).then_some(lo..hi)
    }

    /// The first logged token that starts at or after `at`: searched
    /// forward from the cursor in growing steps when the cursor lies
    /// before it, otherwise over all tokens.
    fn first_from_cursor(&self, at: usize) -> usize {
        let before = |t: &Range<usize>| t.start < at;
        let toks = &self.toks;
        let base = self.cursor.get().min(toks.len());
        if base > 0 && !before(&toks[base - 1]) {
            return toks.partition_point(before);
        }
        // Every token before `base` starts before `at`; find a bound past
        // the answer, doubling the step.
        let (mut lo, mut hi, mut step) = (base, base, 1);
        while hi < toks.len() && before(&toks[hi]) {
            lo = hi + 1;
            hi = lo + step;
            step *= 2;
        }
        let hi = hi.min(toks.len());
        lo + toks[lo..hi].partition_point(before)
    }

    pub(super) fn toks_in(&self, k: Range<usize>) -> &[Range<usize>] {
        &self.toks[k]
    }

    pub(super) fn tok(&self, k: usize) -> (Range<usize>, u32) {
        (self.toks[k].clone(), self.ids[k])
    }
}

#[cfg(test)]
mod tests {
    use super::SideLog;

    /// The search from the cursor finds what a binary search over all the
    /// tokens finds, whatever order the questions come in.
    #[test]
    fn the_search_from_the_cursor_agrees_with_a_binary_search() {
        let mut lcg = crate::text::testing::Lcg::new(3);
        for _ in 0..200 {
            let mut log = SideLog::default();
            let mut at = 0;
            for _ in 0..lcg.below(300) {
                at += 1 + lcg.below(4) as usize;
                let len = 1 + lcg.below(5) as usize;
                log.toks.push(at..at + len);
                at += len;
            }
            for _ in 0..50 {
                // Mostly forward, sometimes back, as the move search asks.
                let q = if lcg.below(4) == 0 {
                    lcg.below(at as u64 + 3) as usize
                } else {
                    let c = log.cursor.get().min(log.toks.len().saturating_sub(1));
                    log.toks.get(c).map_or(0, |t| t.start) + lcg.below(40) as usize
                };
                let want = log.toks.partition_point(|t| t.start < q);
                let got = log.first_from_cursor(q);
                assert_eq!(got, want, "{q} in {:?}", log.toks);
                log.cursor.set(got);
            }
        }
    }
}
