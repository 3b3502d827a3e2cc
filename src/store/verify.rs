//! `verify`: every document ref well-formed, every object reachable from it
//! read back and hashed, every revision a single-parent commit numbered in
//! order whose tree holds the document's text.

use super::error::{Damage, StoreError};
use super::integrity::check_object;
use super::read::parse_revision;
use super::{text_name, Store};
use crate::model::DocId;
use git2::Oid;

/// The longest chain `verify` walks (paranoia: git histories cannot loop).
const MAX_CHAIN: usize = 10_000_001;

/// What `verify` found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Documents (branches) checked.
    pub documents: u64,
    /// Revisions checked.
    pub revisions: u64,
    /// Objects read and hashed.
    pub objects: u64,
    /// Everything found wrong.
    pub problems: Vec<Problem>,
}

/// One problem found by `verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The branch name (not always a valid document id).
    pub doc: String,
    /// The revision number, when known.
    pub rev: Option<u64>,
    /// The full commit id, when known.
    pub commit: Option<String>,
    /// What is wrong.
    pub what: String,
}

impl Store {
    /// Checks the whole store: every document ref is well-formed, every
    /// object reachable from it reads back and hashes to its id, every
    /// revision is a single-parent commit numbered in order whose tree holds
    /// the document's text.
    pub fn verify(&self) -> Result<VerifyReport, StoreError> {
        let odb = self
            .repo
            .odb()
            .map_err(|source| StoreError::OpenObjects { source })?;
        let mut report = VerifyReport::default();
        for name in self.document_names()? {
            report.documents += 1;
            let mut problems = Vec::new();
            let mut problem = |rev: Option<u64>, commit: Option<Oid>, what: String| {
                problems.push(Problem {
                    doc: name.clone(),
                    rev,
                    commit: commit.map(|c| c.to_string()),
                    what,
                });
            };
            match DocId::parse(&name) {
                Ok(doc) => self.verify_document(&doc, &odb, &mut report, &mut problem),
                Err(_) => problem(
                    None,
                    None,
                    "the branch name is not a valid document id".into(),
                ),
            }
            report.problems.extend(problems);
        }
        Ok(report)
    }

    fn verify_document(
        &self,
        doc: &DocId,
        odb: &git2::Odb<'_>,
        report: &mut VerifyReport,
        problem: &mut impl FnMut(Option<u64>, Option<Oid>, String),
    ) {
        let tip = match self.tip_oid(doc) {
            Ok(Some(t)) => t,
            Ok(None) => return,
            Err(e) => return problem(None, None, e.to_string()),
        };
        // Walk newest to oldest; numbers are known once the chain is read.
        let mut chain = Vec::new();
        for step in self.first_parents(tip).checked_by(odb).take(MAX_CHAIN) {
            let (oid, commit) = match step {
                Ok(s) => s,
                Err((oid, Damage::Git(e))) => {
                    report.objects += 1;
                    problem(
                        None,
                        Some(oid),
                        format!("commit cannot be parsed: {}", e.message()),
                    );
                    break;
                }
                Err((oid, damage)) => {
                    problem(None, Some(oid), damage.to_string());
                    break;
                }
            };
            report.objects += 1;
            if commit.parent_count() > 1 {
                problem(
                    None,
                    Some(oid),
                    format!(
                        "has {} parents; a document's history is a single chain",
                        commit.parent_count()
                    ),
                );
            }
            let (r, numbered) = parse_revision(&commit, oid);
            let numbered = numbered.then_some(r.rev);
            chain.push((oid, commit.tree_id(), numbered));
        }
        let total = chain.len() as u64;
        let text = text_name(doc);
        for (k, (oid, tree_id, numbered)) in chain.into_iter().enumerate() {
            let rev = total - k as u64;
            report.revisions += 1;
            // A commit without a revision trailer is numbered by position.
            if let Some(numbered) = numbered.filter(|&n| n != rev) {
                problem(
                    Some(rev),
                    Some(oid),
                    format!("its trailer says revision {numbered} but it is revision {rev} of the chain"),
                );
            }
            let mut found_text = false;
            let mut stack = vec![(tree_id, String::new())];
            while let Some((tid, prefix)) = stack.pop() {
                if let Err(what) = check_object(self, odb, tid, git2::ObjectType::Tree) {
                    problem(Some(rev), Some(oid), what.to_string());
                    continue;
                }
                report.objects += 1;
                let Ok(tree) = self.repo.find_tree(tid) else {
                    problem(Some(rev), Some(oid), format!("tree {tid} cannot be parsed"));
                    continue;
                };
                for entry in tree.iter() {
                    let name = format!("{prefix}{}", entry.name().unwrap_or("?"));
                    match entry.kind() {
                        Some(git2::ObjectType::Tree) => {
                            stack.push((entry.id(), format!("{name}/")))
                        }
                        Some(git2::ObjectType::Blob) => {
                            match check_object(self, odb, entry.id(), git2::ObjectType::Blob) {
                                Ok(_) => report.objects += 1,
                                Err(what) => {
                                    problem(Some(rev), Some(oid), format!("{name}: {what}"))
                                }
                            }
                            if name == text {
                                found_text = true;
                            }
                        }
                        _ => problem(
                            Some(rev),
                            Some(oid),
                            format!("{name}: unexpected entry type"),
                        ),
                    }
                }
            }
            if !found_text {
                problem(
                    Some(rev),
                    Some(oid),
                    format!("its tree has no readable {text}"),
                );
            }
        }
    }
}
