//! `redliner import DOC FILE...` and `redliner import DOC --git REPO PATH
//! [--rev RANGE]`: an existing history recorded revision by revision
//! through the same path as `record`.
//!
//! Idempotent: an item already on the document's branch is skipped. From
//! git, that is a revision whose `Source:` names the same repository, commit
//! and path; from files, a revision with the same capture time and the same
//! text. A text equal to the latest revision records nothing, as `record`.
//! Capture times must not go back: the items to record must be in time
//! order and not earlier than the document's latest revision, or nothing is
//! recorded (record appends in the order given; import checks first).

use super::env::Context;
use super::output::Output;
use super::CmdResult;
use super::ExitCode;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use redliner::import::{git_file, git_revisions, git_source, mtime, time_from_name};
use redliner::input::{check, read_source, InputRules};
use redliner::model::{CaptureTime, DocId};
use redliner::record::{record, RecordOutcome, RecordRequest};
use redliner::render::escape::visible;
use redliner::store::Store;
use redliner::Error;
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Document id
    doc: String,
    /// Files to record in this order (capture time from a date in the name, such as 2023-11-12 or 20231112T1405, else the file's mtime; UTC); with --git, the one PATH in the repository
    #[arg(value_name = "FILE|PATH")]
    files: Vec<String>,
    /// Import every commit of this git repository that changed PATH, oldest first
    #[arg(long, value_name = "REPO")]
    git: Option<PathBuf>,
    /// With --git: only the commits of this revision range (as git log takes it, e.g. v1..v2)
    #[arg(long, value_name = "RANGE", requires = "git")]
    rev: Option<String>,
}

/// One revision to import, before its text is read.
struct Item {
    /// How the item is named in messages.
    label: String,
    time: CaptureTime,
    message: Option<String>,
    source: String,
    what: What,
}

enum What {
    Commit {
        repo: PathBuf,
        commit: String,
        path: String,
    },
    File(String),
}

impl Item {
    fn text(&self) -> Result<String, Error> {
        match &self.what {
            What::Commit { repo, commit, path } => check(
                &self.label,
                git_file(repo, commit, path)?,
                InputRules::default(),
            ),
            What::File(f) => read_source(f, InputRules::default()),
        }
    }
}

fn items(args: &Args) -> Result<Vec<Item>, Error> {
    if let Some(repo) = &args.git {
        let [path] = args.files.as_slice() else {
            return Err(Error::ImportUsage {
                what: "exactly one PATH after --git REPO",
            });
        };
        let repo = repo.canonicalize().map_err(|e| Error::GitImport {
            repo: repo.display().to_string(),
            reason: e.to_string(),
        })?;
        let revs = git_revisions(&repo, path, args.rev.as_deref())?;
        return Ok(revs
            .into_iter()
            .map(|r| Item {
                label: format!("{path} at commit {}", &r.commit[..r.commit.len().min(12)]),
                time: r.time,
                message: Some(r.subject.clone()),
                source: git_source(&repo, &r.commit, path),
                what: What::Commit {
                    repo: repo.clone(),
                    commit: r.commit,
                    path: path.clone(),
                },
            })
            .collect());
    }
    if args.files.is_empty() {
        return Err(Error::ImportUsage {
            what: "at least one FILE",
        });
    }
    args.files
        .iter()
        .map(|f| {
            let p = Path::new(f);
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            let time = name
                .as_deref()
                .and_then(time_from_name)
                .or_else(|| mtime(p))
                .ok_or_else(|| Error::ReadInput {
                    path: f.clone(),
                    reason: "cannot read its modification time".into(),
                })?;
            let source = std::path::absolute(p)
                .unwrap_or_else(|_| p.to_path_buf())
                .display()
                .to_string();
            Ok(Item {
                label: f.clone(),
                time,
                message: None,
                source,
                what: What::File(f.clone()),
            })
        })
        .collect()
}

pub fn run(ctx: &Context, args: Args) -> CmdResult {
    let doc = DocId::parse(&args.doc)?;
    let items = items(&args)?;
    let from_git = args.git.is_some();
    let store = Store::open_or_create(&ctx.store_path()?)?;
    let history = match store.tip_id(&doc)? {
        Some(_) => store.history(&doc)?,
        None => Vec::new(),
    };
    // What is already on the branch: sources (git), and texts by capture
    // time (files), read only for the times an item has.
    let sources: BTreeSet<&str> = history.iter().filter_map(|r| r.source.as_deref()).collect();
    let mut by_time: BTreeMap<i64, Vec<&redliner::model::Revision>> = BTreeMap::new();
    for r in &history {
        by_time.entry(r.time.unix).or_default().push(r);
    }
    let mut todo = Vec::new();
    let mut present = 0usize;
    for item in items {
        let known = if from_git {
            sources.contains(item.source.as_str())
        } else {
            match by_time.get(&item.time.unix) {
                Some(revs) => {
                    let text = item.text()?;
                    let mut same = false;
                    for r in revs {
                        if store.read_text(&doc, r)? == text {
                            same = true;
                            break;
                        }
                    }
                    same
                }
                None => false,
            }
        };
        if known {
            present += 1;
        } else {
            todo.push(item);
        }
    }
    // Capture times must not go back.
    let mut previous = history
        .first()
        .map(|r| (format!("{doc}@{}", r.rev), r.time));
    for item in &todo {
        if let Some((name, t)) = &previous {
            if item.time.unix < t.unix {
                return Err(Error::ImportOutOfOrder {
                    item: item.label.clone(),
                    time: item.time.rfc3339(),
                    previous: name.clone(),
                    previous_time: t.rfc3339(),
                });
            }
        }
        previous = Some((item.label.clone(), item.time));
    }
    let progress = if std::io::stderr().is_terminal() && !todo.is_empty() {
        let bar =
            ProgressBar::with_draw_target(Some(todo.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("importing {pos}/{len} {wide_bar} {msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut out = Output::plain();
    let (mut recorded, mut unchanged) = (0usize, 0usize);
    for item in &todo {
        let text = item.text()?;
        let req = RecordRequest {
            doc: &doc,
            text: &text,
            published: None,
            time: item.time,
            message: item.message.clone(),
            source: Some(item.source.clone()),
            capture: None,
        };
        let report = record(&store, &req)?;
        match report.outcome {
            RecordOutcome::Recorded(r) => {
                recorded += 1;
                progress.suspend(|| {
                    writeln!(
                        out.writer(),
                        "recorded {}@{} ({}) {}: +{} -{} words",
                        doc,
                        r.rev,
                        r.short_id(),
                        visible(&item.label),
                        r.added,
                        r.removed
                    )
                })?;
            }
            RecordOutcome::Unchanged(_) => unchanged += 1,
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    let summary = if recorded == 0 {
        format!("nothing new to import into {doc}: {present} already recorded, {unchanged} the same text as the revision before")
    } else {
        let plural = if recorded == 1 { "" } else { "s" };
        format!("imported {recorded} revision{plural} into {doc} ({present} already recorded, {unchanged} the same text as the revision before)")
    };
    writeln!(out.writer(), "{summary}")?;
    out.finish()?;
    if recorded > 0 {
        super::gc::auto_pack(&store);
    }
    Ok(ExitCode::SUCCESS)
}
