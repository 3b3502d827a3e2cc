//! Word-level blame: every byte range of a revision with the revision that
//! introduced it, carried from one revision to the next through the diff's
//! equal spans (unchanged text, re-wrapped paragraphs, moved passages).

use crate::diff::{self, EqualSpan};
use crate::error::Result;
use crate::model::{DocId, Revision};
use crate::store::Store;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// A run of text from one revision: `range` in the text, `rev` an index the
/// caller chooses (blame uses the position in its list of revisions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub range: Range<usize>,
    pub rev: usize,
}

/// The provenance of a whole text: sorted runs, adjacent, covering it all,
/// each starting and ending on a character boundary, no two neighbours from
/// the same revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    runs: Vec<Run>,
}

impl Provenance {
    /// A text all from revision `rev`.
    pub fn new(text: &str, rev: usize) -> Provenance {
        let mut p = Provenance::default();
        p.push(0..text.len(), rev);
        p
    }

    /// The runs, in order.
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    fn push(&mut self, range: Range<usize>, rev: usize) {
        if range.is_empty() {
            return;
        }
        match self.runs.last_mut() {
            Some(last) if last.rev == rev && last.range.end == range.start => {
                last.range.end = range.end;
            }
            _ => self.runs.push(Run { range, rev }),
        }
    }

    /// The provenance of `new`, whose equal spans against `old` (this
    /// provenance's text) are `spans`: text in a span keeps its origin, the
    /// rest is from `rev`.
    pub fn carry(&self, old: &str, new: &str, spans: &[EqualSpan], rev: usize) -> Provenance {
        let mut out = Provenance::default();
        let mut pos = 0;
        for s in spans {
            let valid = s.new.start >= pos
                && s.new.start <= s.new.end
                && s.new.end <= new.len()
                && s.old.start <= s.old.end
                && s.old.end <= old.len();
            if !valid {
                continue;
            }
            out.push(pos..s.new.start, rev);
            self.map_span(s, &mut out);
            pos = s.new.end;
        }
        out.push(pos..new.len(), rev);
        out.absorb_whitespace(new, rev);
        out.snap_to_chars(new);
        out
    }

    /// Whitespace alone that `rev` changed (a line re-wrapped, the blank line
    /// around a moved paragraph) introduced no word: it takes the revision
    /// of the run before it (or after it, at the start).
    fn absorb_whitespace(&mut self, text: &str, rev: usize) {
        if self.runs.len() < 2 {
            return;
        }
        let old = std::mem::take(&mut self.runs);
        for (i, r) in old.iter().enumerate() {
            let blank = r.rev == rev
                && text
                    .get(r.range.clone())
                    .is_some_and(|t| t.chars().all(char::is_whitespace));
            let to = match (blank, self.runs.last()) {
                (false, _) => r.rev,
                (true, Some(prev)) => prev.rev,
                (true, None) => old.get(i + 1).map_or(r.rev, |next| next.rev),
            };
            self.push(r.range.clone(), to);
        }
    }

    /// Pushes the runs of old text `s.old` mapped onto `s.new`. When the two
    /// differ in length (whitespace re-wrapped) offsets are clamped, and the
    /// last run ends where the span does.
    fn map_span(&self, s: &EqualSpan, out: &mut Provenance) {
        let first = self.runs.partition_point(|r| r.range.end <= s.old.start);
        let len = s.new.len();
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        for r in self.runs[first..]
            .iter()
            .take_while(|r| r.range.start < s.old.end)
        {
            let off = r.range.start.max(s.old.start) - s.old.start;
            cuts.push((s.new.start + off.min(len), r.rev));
        }
        for (i, &(start, rev)) in cuts.iter().enumerate() {
            let end = cuts.get(i + 1).map_or(s.new.end, |c| c.0);
            out.push(start..end.max(start), rev);
        }
    }

    /// Moves every boundary that is not on a character boundary of `text`
    /// back to one, dropping runs that become empty.
    fn snap_to_chars(&mut self, text: &str) {
        if self
            .runs
            .iter()
            .all(|r| text.is_char_boundary(r.range.start))
        {
            return;
        }
        let old = std::mem::take(&mut self.runs);
        let n = old.len();
        for (i, r) in old.iter().enumerate() {
            let floor = |mut b: usize| {
                while !text.is_char_boundary(b) {
                    b -= 1;
                }
                b
            };
            let start = floor(r.range.start);
            let end = if i + 1 == n {
                text.len()
            } else {
                floor(old[i + 1].range.start)
            };
            self.push(start..end, r.rev);
        }
    }

    /// The provenance of `new` after `self` (of `old`), as the diff sees it.
    pub fn step(&self, old: &str, new: &str, rev: usize) -> Provenance {
        let opts = diff::Options {
            skip_unchanged_count: true,
            ..diff::Options::default()
        };
        let d = diff::diff_with(old, new, &opts);
        self.carry(old, new, &d.equal_spans(), rev)
    }
}

/// The blame of one revision: its text, the runs, and the revisions they
/// point into (oldest first; a run's `rev` is an index in `revisions`).
#[derive(Debug, Clone)]
pub struct Blame {
    pub text: Arc<str>,
    pub provenance: Provenance,
    pub revisions: Vec<Revision>,
}

impl Blame {
    /// The spans of the text with their revision, in order.
    pub fn spans(&self) -> impl Iterator<Item = (&str, &Revision)> + '_ {
        self.provenance
            .runs()
            .iter()
            .map(|r| (&self.text[r.range.clone()], &self.revisions[r.rev]))
    }
}

/// Blames revision `upto` of `doc`: the texts are read oldest first and each
/// consecutive pair diffed once. A revision whose text is its predecessor's
/// (the same blob) keeps its provenance; a revision that restores an earlier
/// one (`Restores:`, checked byte for byte) takes that revision's provenance.
pub fn blame(store: &Store, doc: &DocId, upto: &Revision) -> Result<Blame> {
    let restored: std::collections::HashSet<u64> = store
        .revisions_oldest_first(doc)?
        .take_while(|r| r.rev <= upto.rev)
        .filter_map(|r| r.restores)
        .collect();
    let mut kept: HashMap<u64, (Arc<str>, Provenance)> = HashMap::new();
    let mut revisions = Vec::new();
    let mut last: Option<(Arc<str>, Provenance)> = None;
    for item in store.texts_oldest_first(doc)? {
        let (rev, text) = item?;
        if rev.rev > upto.rev {
            break;
        }
        let idx = revisions.len();
        let restoring = rev
            .restores
            .and_then(|n| kept.get(&n))
            .filter(|(t, _)| **t == *text)
            .map(|(_, p)| p.clone());
        let prov = match (&last, restoring) {
            (_, Some(p)) => p,
            (Some((t, p)), None) if Arc::ptr_eq(t, &text) || **t == *text => p.clone(),
            (Some((t, p)), None) => p.step(t, &text, idx),
            (None, None) => Provenance::new(&text, idx),
        };
        if restored.contains(&rev.rev) {
            kept.insert(rev.rev, (Arc::clone(&text), prov.clone()));
        }
        let number = rev.rev;
        revisions.push(rev);
        last = Some((text, prov));
        if number == upto.rev {
            break;
        }
    }
    let (text, provenance) = last.unwrap_or_else(|| (Arc::from(""), Provenance::default()));
    Ok(Blame {
        text,
        provenance,
        revisions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chain(texts: &[&str]) -> Provenance {
        let mut p = Provenance::new(texts[0], 0);
        for (i, w) in texts.windows(2).enumerate() {
            p = p.step(w[0], w[1], i + 1);
        }
        p
    }

    fn rev_of(p: &Provenance, text: &str, needle: &str) -> usize {
        let at = text.find(needle).expect("needle");
        p.runs()
            .iter()
            .find(|r| r.range.contains(&at))
            .expect("covered")
            .rev
    }

    #[test]
    fn replaced_word_moved_and_reflowed_text() {
        let t0 = "The ministers met on Monday in Tokyo.\n\nThey stressed the rules-based order.\n\nA closing line stays here.\n";
        let t1 = "The ministers met on Tuesday in Tokyo.\n\nThey stressed the rules-based order.\n\nA closing line stays here.\n";
        let t2 = "The ministers met on Tuesday in Tokyo.\n\nA closing line stays here.\n\nThey stressed the\nrules-based order.\n";
        let p = chain(&[t0, t1, t2]);
        assert_eq!(rev_of(&p, t2, "Tuesday"), 1);
        assert_eq!(rev_of(&p, t2, "Tokyo"), 0);
        assert_eq!(rev_of(&p, t2, "rules-based"), 0);
        assert_eq!(rev_of(&p, t2, "closing"), 0);
    }

    fn rebuilds(p: &Provenance, text: &str) {
        let mut pos = 0;
        for r in p.runs() {
            assert_eq!(r.range.start, pos);
            assert!(r.range.end > r.range.start);
            assert!(text.is_char_boundary(r.range.start));
            pos = r.range.end;
        }
        assert_eq!(pos, text.len());
        assert!(p.runs().windows(2).all(|w| w[0].rev != w[1].rev));
    }

    fn edit(text: &str, ops: &[(u8, usize, String)]) -> String {
        let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
        for (op, at, w) in ops {
            let i = at % (words.len() + 1);
            match op % 4 {
                0 => words.insert(i, w.clone()),
                1 if i < words.len() => {
                    words.remove(i);
                }
                2 if i < words.len() => words[i] = w.clone(),
                _ => {
                    if i < words.len() {
                        words[i].push('\n');
                    }
                }
            }
        }
        words.join(" ")
    }

    proptest! {
        #[test]
        fn blame_runs_always_rebuild_the_text(
            start in "[a-cé. \n]{0,60}",
            steps in prop::collection::vec(
                prop::collection::vec((any::<u8>(), any::<usize>(), "[a-cñ.]{1,4}|\n\n"), 0..6),
                1..6,
            ),
        ) {
            let mut texts = vec![start];
            for ops in &steps {
                let next = edit(texts.last().expect("a text"), ops);
                texts.push(next);
            }
            let mut p = Provenance::new(&texts[0], 0);
            rebuilds(&p, &texts[0]);
            for (i, w) in texts.windows(2).enumerate() {
                p = p.step(&w[0], &w[1], i + 1);
                rebuilds(&p, &w[1]);
            }
        }
    }
}
