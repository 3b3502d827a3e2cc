//! Resolving a selector (`DOC@3`, `@~1`, `@<commit>`, `@<date>`) to a revision.

use super::error::StoreError;
use super::read::parse_revision;
use super::Store;
use crate::model::{DocId, Revision, Selector};

impl Store {
    /// Finds the revision a selector names.
    pub fn resolve(&self, doc: &DocId, sel: &Selector) -> Result<Revision, StoreError> {
        if *sel == Selector::Latest {
            return self
                .latest(doc)?
                .ok_or_else(|| StoreError::UnknownDocument {
                    doc: doc.to_string(),
                });
        }
        if let Selector::Number(_) | Selector::Back(_) = sel {
            if let Some(r) = self.resolve_by_count(doc, sel)? {
                return Ok(r);
            }
        }
        let history = self.history(doc)?;
        let count = history.len();
        let missing = |detail: String| StoreError::UnknownRevision {
            doc: doc.to_string(),
            selector: sel.to_string(),
            detail,
        };
        let found = match sel {
            Selector::Latest => history.first(),
            Selector::Number(n) => history.iter().find(|r| r.rev == *n),
            Selector::Back(k) => usize::try_from(*k).ok().and_then(|k| history.get(k)),
            Selector::Commit(prefix) => {
                let hits: Vec<&Revision> = history
                    .iter()
                    .filter(|r| r.id.as_str().starts_with(prefix.as_str()))
                    .collect();
                if hits.len() > 1 {
                    return Err(missing(format!(
                        "{} revisions match that prefix; give more digits",
                        hits.len()
                    )));
                }
                hits.first().copied()
            }
            Selector::AtOrBefore(t) => history.iter().find(|r| r.time.unix <= *t),
        };
        found.cloned().ok_or_else(|| {
            missing(match sel {
                Selector::AtOrBefore(_) => {
                    "nothing was captured at or before that time".to_string()
                }
                Selector::Commit(_) => {
                    "no revision of this document has that commit id".to_string()
                }
                _ => format!(
                    "it has {count} revision{}",
                    if count == 1 { "" } else { "s" }
                ),
            })
        })
    }

    /// Numbered selectors, walking back from the tip only as far as needed
    /// and reading no commit message on the way. `None` when the numbering
    /// cannot be trusted (a tip without a revision trailer) or the number is
    /// out of range; the caller then reads the whole history.
    fn resolve_by_count(
        &self,
        doc: &DocId,
        sel: &Selector,
    ) -> Result<Option<Revision>, StoreError> {
        let Some(tip) = self.tip_oid(doc)? else {
            return Err(StoreError::UnknownDocument {
                doc: doc.to_string(),
            });
        };
        let mut walk = self.walk(doc, tip);
        let Some(step) = walk.next() else {
            return Ok(None);
        };
        let (oid, c) = step?;
        let (top, numbered) = parse_revision(&c, oid);
        if !numbered {
            return Ok(None);
        }
        let steps = match *sel {
            Selector::Number(n) if n >= 1 && n <= top.rev => top.rev - n,
            Selector::Back(k) if k < top.rev => k,
            _ => return Ok(None),
        };
        let position = top.rev - steps;
        let target = match usize::try_from(steps) {
            Ok(0) => Some(Ok((oid, c))),
            Ok(k) => walk.nth(k - 1),
            Err(_) => None,
        };
        // The chain ends before the number: the caller reads the history.
        let Some(step) = target else {
            return Ok(None);
        };
        let (oid, c) = step?;
        let (mut r, numbered) = parse_revision(&c, oid);
        if !numbered {
            r.rev = position;
        }
        // A history edited by other tools may be numbered inconsistently.
        Ok((r.rev == position).then_some(r))
    }
}
