//! Which changes a reader asked to see: `--only`, `--hide`, `-i`,
//! `--normalize`, and wdiff's `--no-deleted` / `--no-inserted`. Decided
//! here, once, for every renderer.

use super::kinds::Kind;

/// What to show of a diff. The default shows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Show only these kinds (empty: every kind).
    pub only: Vec<Kind>,
    /// Hide these kinds.
    pub hide: Vec<Kind>,
    /// Hide changes of letter case.
    pub ignore_case: bool,
    /// Hide typographic changes (quotes, dashes, special spaces, forms).
    pub normalize: bool,
    /// Leave out deleted text (wdiff -1).
    pub no_deleted: bool,
    /// Leave out inserted text (wdiff -2).
    pub no_inserted: bool,
}

impl Filter {
    /// Whether changes of kind `k` are hidden (the new text stands in
    /// their place).
    pub fn hides(&self, k: Kind) -> bool {
        self.hide.contains(&k)
            || (!self.only.is_empty() && !self.only.contains(&k))
            || (self.ignore_case && k == Kind::Case)
            || (self.normalize && k == Kind::Typography)
    }

    /// Whether deleted text is shown.
    pub fn shows_deleted(&self) -> bool {
        !self.no_deleted
    }

    /// Whether inserted text is shown.
    pub fn shows_inserted(&self) -> bool {
        !self.no_inserted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hide_ignore_case_and_normalize_combine() {
        let f = Filter::default();
        assert!(Kind::ALL.iter().all(|&k| !f.hides(k)));
        let f = Filter {
            only: vec![Kind::Words, Kind::Case],
            ignore_case: true,
            ..Filter::default()
        };
        let shown: Vec<Kind> = Kind::ALL.iter().copied().filter(|&k| !f.hides(k)).collect();
        assert_eq!(shown, vec![Kind::Words]);
        let f = Filter {
            hide: vec![Kind::Moved],
            normalize: true,
            ..Filter::default()
        };
        assert!(f.hides(Kind::Moved) && f.hides(Kind::Typography));
        assert!(!f.hides(Kind::Words) && !f.hides(Kind::Case));
    }
}
