//! Phrase search across revisions: for each document, the periods during
//! which a phrase was present. Whitespace in the phrase matches any run of
//! whitespace, line breaks included, so re-wrapping never hides a phrase.
//! Each distinct text (blob) is searched once.

use crate::diff::kinds::fold_typography;
use crate::error::Result;
use crate::model::{DocId, Revision};
use crate::store::Store;
use std::borrow::Cow;
use std::collections::HashMap;

/// How a phrase is matched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchOptions {
    pub ignore_case: bool,
    /// Quotes, dashes and special spaces folded (the diff's typography fold).
    pub normalize: bool,
}

/// A phrase ready to be looked for: its words, folded as the options say,
/// or a regular expression.
#[derive(Debug, Clone)]
pub struct Matcher {
    pattern: Pattern,
    opts: SearchOptions,
}

#[derive(Debug, Clone)]
enum Pattern {
    Words(Vec<String>),
    Regex(regex::Regex),
}

/// Most memory a compiled `--regex` may take.
const REGEX_SIZE_LIMIT: usize = 16 << 20;

impl Matcher {
    /// A matcher for `phrase`, `None` when it has no words.
    pub fn new(phrase: &str, opts: SearchOptions) -> Option<Matcher> {
        let folded = fold(phrase, opts);
        let words: Vec<String> = folded.split_whitespace().map(str::to_string).collect();
        (!words.is_empty()).then_some(Matcher {
            pattern: Pattern::Words(words),
            opts,
        })
    }

    /// A matcher for the regular expression `pattern` (the `regex` crate's
    /// syntax; matching time is linear in the text), or why it is invalid,
    /// in one line. With `normalize` the pattern is folded as the text is.
    pub fn regex(pattern: &str, opts: SearchOptions) -> Result<Matcher, String> {
        let folded = if opts.normalize {
            fold_typography(pattern)
        } else {
            Cow::Borrowed(pattern)
        };
        let re = regex::RegexBuilder::new(&folded)
            .case_insensitive(opts.ignore_case)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| {
                let msg = e.to_string();
                let last = msg.lines().rev().find(|l| !l.trim().is_empty());
                last.unwrap_or("invalid").trim().to_string()
            })?;
        Ok(Matcher {
            pattern: Pattern::Regex(re),
            opts,
        })
    }

    /// Whether `text` holds the phrase.
    pub fn is_match(&self, text: &str) -> bool {
        let words = match &self.pattern {
            Pattern::Words(words) => words,
            Pattern::Regex(re) => {
                let opts = SearchOptions {
                    ignore_case: false,
                    ..self.opts
                };
                return re.is_match(&fold(text, opts));
            }
        };
        let text = fold(text, self.opts);
        let bytes = text.as_bytes();
        let Some((first, rest)) = words.split_first() else {
            return false;
        };
        memchr::memmem::find_iter(bytes, first.as_bytes()).any(|at| {
            let mut pos = at + first.len();
            rest.iter().all(|w| {
                let after = text.get(pos..).unwrap_or("");
                let trimmed = after.trim_start();
                let gap = after.len() - trimmed.len();
                if gap == 0 || !trimmed.starts_with(w.as_str()) {
                    return false;
                }
                pos += gap + w.len();
                true
            })
        })
    }
}

fn fold(s: &str, opts: SearchOptions) -> Cow<'_, str> {
    let s = if opts.normalize {
        fold_typography(s)
    } else {
        Cow::Borrowed(s)
    };
    if opts.ignore_case {
        Cow::Owned(s.to_lowercase())
    } else {
        s
    }
}

/// A period during which the phrase was present: from the revision where it
/// appeared to the first revision without it (`None`: still there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub from: Revision,
    pub to: Option<Revision>,
}

/// The periods during which `is_match` held for `doc`'s texts, oldest first.
pub fn search(store: &Store, doc: &DocId, is_match: &dyn Fn(&str) -> bool) -> Result<Vec<Period>> {
    let mut seen = HashMap::new();
    let mut periods: Vec<Period> = Vec::new();
    let mut open: Option<Revision> = None;
    for rb in store.revision_blobs(doc)? {
        let present = match seen.get(&rb.blob) {
            Some(&p) => p,
            None => {
                let p = is_match(&store.read_revision_blob(doc, &rb)?);
                seen.insert(rb.blob, p);
                p
            }
        };
        match (present, open.take()) {
            (true, None) => open = Some(rb.revision),
            (true, Some(from)) => open = Some(from),
            (false, Some(from)) => periods.push(Period {
                from,
                to: Some(rb.revision),
            }),
            (false, None) => {}
        }
    }
    if let Some(from) = open {
        periods.push(Period { from, to: None });
    }
    Ok(periods)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_matches_any_run_and_folds_apply() {
        let m = Matcher::new("rules-based  order", SearchOptions::default()).expect("words");
        assert!(m.is_match("the rules-based\n   order."));
        assert!(!m.is_match("the rules-basedorder"));
        assert!(!m.is_match("the Rules-based order"));
        let i = SearchOptions {
            ignore_case: true,
            normalize: true,
        };
        let m = Matcher::new("\"Strongly condemned\" - today", i).expect("words");
        assert!(m.is_match("they \u{201c}strongly\u{a0}condemned\u{201d} \u{2014} today"));
        assert!(Matcher::new(" \n", i).is_none());
        let r = Matcher::regex(r"strongly\s+condemn(ed|s)", i).expect("regex");
        assert!(r.is_match("they STRONGLY\ncondemned it"));
        assert!(!r.is_match("they condemned it"));
        let e = Matcher::regex("(unclosed", i).expect_err("invalid");
        assert!(!e.contains('\n') && !e.is_empty(), "{e}");
    }
}
