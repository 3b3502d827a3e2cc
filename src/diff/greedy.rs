//! Greedy alignment in steps of bounded edits (Myers' O(ND) forward pass,
//! with its trace kept for the backtrack): the aligner's first try on a
//! changed region, before the bit-vector LCS (`lcs.rs`).

/// Edits `greedy` takes in one step: an eighth of the region's tokens,
/// within these bounds. Its trace takes about `d * d / 2` words of memory
/// and its time grows as `d * d`; a region that needs more edits than an
/// eighth of its tokens is heavily rewritten, and is aligned in steps.
pub(super) const GREEDY_MIN_D: usize = 128;
pub(super) const GREEDY_MAX_D: usize = 512;
/// Edits per greedy step in rewritten text: a step costs about `d * d / 2`
/// and moves about `2 * d` tokens on, so short steps are cheap, and cleanup
/// folds most of the scattered matches longer steps would find (a 10 KB
/// rewrite: steps of 16 and of 8 edits give 3,671 and 3,694 changed tokens,
/// git 3,412; the steps of 8 take 15 % less time).
const REWRITE_STEP_D: usize = 8;
/// Most edits in one greedy step, with the difference in length added
/// (a trace of at most about 9 MiB); beyond it, the bit-vector LCS
/// (`lcs.rs`) aligns the region exactly.
pub(super) const GREEDY_LIMIT: usize = 1536;

/// The end of one greedy step.
struct Step {
    /// Matched pairs from (0, 0) to `end`.
    pairs: Vec<(usize, usize)>,
    /// Where the step stopped; (n, m) when it reached the end.
    end: (usize, usize),
    complete: bool,
}

/// Myers' greedy algorithm, for at most `max_d` edits: if the two
/// sequences differ by no more, a minimal diff (complete); otherwise the
/// best path of `max_d` edits, to the point furthest along both sequences
/// (the first such diagonal on ties). It costs O(n + m + d * d), against
/// O((n + m) * d) for the linear-space version, so it is the faster one for
/// the many small, lightly edited regions of a revised document.
fn greedy(a: &[u32], b: &[u32], max_d: usize) -> Step {
    let mut g = Greedy::new(a, b);
    g.run(max_d)
}

/// The state of a greedy run, which can be taken further: a probe that
/// stops short of the end goes on where it stopped instead of starting
/// over.
struct Greedy<'s> {
    a: &'s [u32],
    b: &'s [u32],
    /// `trace[d * (d + 1) / 2 + (k + d) / 2]`: the furthest x reached on
    /// diagonal k (x - y == k) after step d, for k in -d..=d step 2 (one
    /// flat vector of rows, grown as the steps go). Step d reads row
    /// d - 1 and writes row d: no other array.
    trace: Vec<isize>,
    /// The next step to take.
    d: isize,
}

thread_local! {
    /// `Greedy`'s trace between runs.
    static SCRATCH: std::cell::RefCell<Vec<isize>> = Default::default();
}

impl Drop for Greedy<'_> {
    fn drop(&mut self) {
        let trace = std::mem::take(&mut self.trace);
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            // Keep the larger trace.
            if trace.capacity() >= s.capacity() {
                *s = trace;
            }
        });
    }
}

impl<'s> Greedy<'s> {
    fn new(a: &'s [u32], b: &'s [u32]) -> Self {
        // The trace of the last run, reused (a document has thousands of
        // regions, and growing a trace of megabytes again each time costs
        // more than the steps that fill it).
        let mut trace = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        trace.clear();
        Greedy { a, b, trace, d: 0 }
    }

    /// Takes the steps up to `max_d` edits: the minimal diff if it reaches
    /// the end, otherwise the stop at the furthest point.
    fn run(&mut self, max_d: usize) -> Step {
        let (a, b) = (self.a, self.b);
        let (n, m) = (a.len() as isize, b.len() as isize);
        let max_d = max_d.min(a.len() + b.len()) as isize;
        // From x on diagonal k, along the run of equal tokens.
        let snake = |mut x: isize, k: isize| -> isize {
            let y = x - k;
            if (x as usize) < a.len() && (y as usize) < b.len() {
                let (xs, ys) = (&a[x as usize..], &b[y as usize..]);
                // Most diagonals of an edited region end at once.
                if xs[0] == ys[0] {
                    x += xs.iter().zip(ys).take_while(|(p, q)| p == q).count() as isize;
                }
            }
            x
        };
        let at_end = |x: isize, k: isize| x >= n && x - k >= m;
        // Room for every step up to `max_d` at once: a trace grown step by
        // step was copied each time it doubled.
        let room = snapshot(max_d + 1);
        self.trace.reserve(room.saturating_sub(self.trace.len()));
        while self.d <= max_d {
            let d = self.d;
            self.d += 1;
            let base = snapshot(d);
            self.trace.resize(base + d as usize + 1, 0);
            let (rows, cur) = self.trace.split_at_mut(base);
            // Each diagonal k of step d comes down from k + 1 or right from
            // k - 1, whichever reaches further (down on ties): k - 1 and
            // k + 1 are entries i - 1 and i of the row before; the first
            // diagonal (k = -d) can only come down, the last only right.
            let done = 'row: {
                if d == 0 {
                    cur[0] = snake(0, 0);
                    break 'row at_end(cur[0], 0);
                }
                let prev = &rows[snapshot(d - 1)..];
                let mut k = -d;
                cur[0] = snake(prev[0], k);
                if at_end(cur[0], k) {
                    break 'row true;
                }
                for (w, c) in prev.windows(2).zip(cur[1..].iter_mut()) {
                    k += 2;
                    *c = snake((w[0] + 1).max(w[1]), k);
                    if at_end(*c, k) {
                        break 'row true;
                    }
                }
                let last = d as usize;
                cur[last] = snake(prev[last - 1] + 1, d);
                at_end(cur[last], d)
            };
            if done {
                return Step {
                    pairs: backtrack(&self.trace, d, n, m),
                    end: (a.len(), b.len()),
                    complete: true,
                };
            }
        }
        // Out of edits: stop at the furthest point, clipped to the sequences
        // (a diagonal may have run past one end).
        let d = max_d;
        let last = &self.trace[snapshot(d)..snapshot(d + 1)];
        let mut best = (0isize, 0isize);
        for (i, &x) in last.iter().enumerate() {
            let k = 2 * i as isize - d;
            let y = x - k;
            if x <= n && y <= m && y >= 0 && x + y > best.0 + best.1 {
                best = (x, y);
            }
        }
        Step {
            pairs: backtrack(&self.trace, d, best.0, best.1),
            end: (best.0 as usize, best.1 as usize),
            complete: false,
        }
    }
}

/// The matched pairs of a diff of `a` and `b` built from greedy steps of at
/// most `max_d` edits: minimal when the whole diff needs no more (and
/// `None` if `exact` is asked and it needs more); otherwise each step is
/// minimal to where it stops, as git's xdiff bounds its cost.
pub(super) fn greedy_pairs(
    a: &[u32],
    b: &[u32],
    max_d: usize,
    exact: bool,
) -> Option<Vec<(usize, usize)>> {
    let mut pairs = Vec::new();
    let (mut x0, mut y0) = (0, 0);
    let mut cap = max_d;
    // A short first probe: most regions need few edits and end here. One
    // that advanced fewer than four tokens per edit is rewritten text, where
    // short steps lose nothing worth keeping; it goes on in short steps.
    // Otherwise the same run goes on to `max_d` (its first step).
    let probe_d = (GREEDY_MIN_D + a.len().abs_diff(b.len())).min(max_d);
    let mut first = None;
    if probe_d < max_d {
        let mut g = Greedy::new(a, b);
        let probe = g.run(probe_d);
        if probe.complete {
            return Some(probe.pairs);
        }
        if !exact && probe.end.0 + probe.end.1 < 4 * probe_d {
            if probe.end == (0, 0) {
                return None;
            }
            pairs = probe.pairs;
            (x0, y0) = probe.end;
            cap = REWRITE_STEP_D;
        } else {
            first = Some(g);
        }
    }
    loop {
        if (x0, y0) != (0, 0) && (x0 == a.len() || y0 == b.len()) {
            // A step used one side up: the rest of the other is all edits.
            return Some(pairs);
        }
        let step = match first.take() {
            Some(mut g) => g.run(cap),
            None => greedy(&a[x0..], &b[y0..], cap),
        };
        if !step.complete && (exact || step.end == (0, 0)) {
            return None;
        }
        pairs.extend(step.pairs.into_iter().map(|(x, y)| (x + x0, y + y0)));
        if step.complete {
            return Some(pairs);
        }
        x0 += step.end.0;
        y0 += step.end.1;
    }
}

/// Where step `d` starts in the flat trace.
fn snapshot(d: isize) -> usize {
    (d * (d + 1) / 2) as usize
}

/// Walks the greedy trace back from (n, m), reached at step `last`,
/// collecting the diagonal moves.
fn backtrack(trace: &[isize], last: isize, n: isize, m: isize) -> Vec<(usize, usize)> {
    let mut pairs = Vec::with_capacity(n.min(m).max(0) as usize);
    let (mut x, mut y) = (n, m);
    for d in (1..=last).rev() {
        let k = x - y;
        let prev = &trace[snapshot(d - 1)..snapshot(d)];
        let get = |k: isize| prev[((k + d - 1) / 2) as usize];
        let down = k == -d || (k != d && get(k - 1) < get(k + 1));
        let pk = if down { k + 1 } else { k - 1 };
        let (px, py) = (get(pk), get(pk) - pk);
        // The edit step, then the diagonal run up to (x, y).
        let (sx, sy) = if down { (px, py + 1) } else { (px + 1, py) };
        while x > sx && y > sy {
            x -= 1;
            y -= 1;
            pairs.push((x as usize, y as usize));
        }
        x = px;
        y = py;
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        pairs.push((x as usize, y as usize));
    }
    pairs.reverse();
    pairs
}
