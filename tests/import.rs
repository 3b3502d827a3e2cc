//! `redliner import`: a generated git repository's history of one file, and
//! dated files; idempotence; refusals.

mod common;
use common::Env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs git in `repo` with a fixed identity and the given dates.
fn git(env: &Env, repo: &Path, date: Option<&str>, args: &[&str]) -> String {
    let mut c = Command::new("git");
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Press Office")
        .env("GIT_AUTHOR_EMAIL", "press@example.org")
        .env("GIT_COMMITTER_NAME", "Press Office")
        .env("GIT_COMMITTER_EMAIL", "press@example.org")
        .arg("-C")
        .arg(repo)
        .args(args);
    if let Some(d) = date {
        c.env("GIT_AUTHOR_DATE", d).env("GIT_COMMITTER_DATE", d);
    }
    let out = c.output().expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A repository where `statements/a.txt` changes in three commits out of
/// four (one commit touches another file only). Returns the repository and
/// the commits that changed the statement, oldest first.
fn statement_repo(env: &Env) -> (PathBuf, Vec<String>) {
    let repo = env.path().join("press");
    std::fs::create_dir_all(repo.join("statements")).expect("mkdir");
    git(env, &repo, None, &["init", "-q", "-b", "main"]);
    let mut commits = Vec::new();
    let steps: [(&str, Option<&str>, &str, &str); 4] = [
        (
            "statements/a.txt",
            Some("The ministers met on 12 November.\n"),
            "2023-11-12T14:05:00+02:00",
            "First statement",
        ),
        (
            "other.txt",
            Some("unrelated\n"),
            "2023-11-12T15:00:00+02:00",
            "Unrelated file",
        ),
        (
            "statements/a.txt",
            Some("The ministers met on 13 November.\n"),
            "2023-11-13T09:30:00+02:00",
            "Correct the date",
        ),
        (
            "statements/a.txt",
            Some("The ministers met on 13 November in Tokyo.\n"),
            "2023-11-14T08:00:00Z",
            "Add the place",
        ),
    ];
    for (file, text, date, subject) in steps {
        if let Some(t) = text {
            std::fs::write(repo.join(file), t).expect("write");
        }
        git(env, &repo, Some(date), &["add", "-A"]);
        git(env, &repo, Some(date), &["commit", "-q", "-m", subject]);
        if file.starts_with("statements") {
            commits.push(git(env, &repo, None, &["rev-parse", "HEAD"]));
        }
    }
    (repo, commits)
}

fn log_json(env: &Env, doc: &str) -> Vec<serde_json::Value> {
    let out = env.ok(&["log", doc, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("log json");
    let mut revs = v.as_array().expect("array").clone();
    revs.reverse();
    revs
}

#[test]
fn git_history_becomes_revisions_and_a_second_import_records_nothing() {
    let env = Env::new();
    let (repo, commits) = statement_repo(&env);
    let repo_s = repo.to_str().expect("utf-8");
    let out = env.ok(&["import", "tokyo", "--git", repo_s, "statements/a.txt"]);
    assert!(out.contains("imported 3 revisions into tokyo"), "{out}");
    let revs = log_json(&env, "tokyo");
    assert_eq!(revs.len(), 3);
    let want = [
        ("2023-11-12T14:05:00+02:00", "First statement"),
        ("2023-11-13T09:30:00+02:00", "Correct the date"),
        ("2023-11-14T08:00:00Z", "Add the place"),
    ];
    let canon = repo.canonicalize().expect("canonical");
    for (i, r) in revs.iter().enumerate() {
        assert_eq!(r["time"], want[i].0, "{r}");
        assert_eq!(r["message"], want[i].1, "{r}");
        let source = r["source"].as_str().expect("source");
        assert_eq!(
            source,
            format!(
                "git {} commit {} path statements/a.txt",
                canon.display(),
                commits[i]
            )
        );
    }
    assert_eq!(revs[1]["added"], 1);
    assert_eq!(revs[1]["removed"], 1);
    assert_eq!(
        env.ok(&["show", "tokyo@3"]),
        "The ministers met on 13 November in Tokyo.\n"
    );
    env.ok(&["verify"]);

    // Again: nothing new, and the store is byte for byte the same.
    let before = env.snapshot_store();
    let out = env.ok(&["import", "tokyo", "--git", repo_s, "statements/a.txt"]);
    assert!(
        out.starts_with("nothing new to import into tokyo: 3 already recorded"),
        "{out}"
    );
    assert_eq!(env.snapshot_store(), before);

    // A new commit: only it is recorded.
    std::fs::write(
        repo.join("statements/a.txt"),
        "The ministers met in Tokyo.\n",
    )
    .expect("write");
    git(
        &env,
        &repo,
        Some("2023-11-15T08:00:00Z"),
        &["commit", "-qam", "Shorten"],
    );
    let out = env.ok(&["import", "tokyo", "--git", repo_s, "./statements/a.txt"]);
    assert!(
        out.contains("imported 1 revision into tokyo (3 already recorded"),
        "{out}"
    );
    assert_eq!(log_json(&env, "tokyo").len(), 4);
}

#[test]
fn git_import_of_a_range() {
    let env = Env::new();
    let (repo, commits) = statement_repo(&env);
    let range = format!("{}..main", commits[1]);
    let out = env.ok(&[
        "import",
        "tokyo",
        "--git",
        repo.to_str().expect("utf-8"),
        "statements/a.txt",
        "--rev",
        &range,
    ]);
    assert!(out.contains("imported 1 revision "), "{out}");
    let revs = log_json(&env, "tokyo");
    assert_eq!(revs.len(), 1);
    assert_eq!(revs[0]["message"], "Add the place");
}

#[test]
fn git_import_refusals_are_one_line() {
    let env = Env::new();
    let (repo, _) = statement_repo(&env);
    let repo_s = repo.to_str().expect("utf-8");
    let err = env.fails(&[
        "import",
        "x",
        "--git",
        env.path().to_str().expect("utf-8"),
        "a.txt",
    ]);
    assert!(
        err.contains("cannot import from the git repository"),
        "{err}"
    );
    let err = env.fails(&["import", "x", "--git", repo_s, "a.txt", "b.txt"]);
    assert!(err.contains("exactly one PATH"), "{err}");
    let err = env.fails(&[
        "import",
        "x",
        "--git",
        repo_s,
        "statements/a.txt",
        "--rev=--all",
    ]);
    assert!(err.contains("not a revision range"), "{err}");
    let err = env.fails(&[
        "import",
        "x",
        "--git",
        repo_s,
        "statements/a.txt",
        "--rev",
        "nosuch..main",
    ]);
    assert!(
        err.contains("cannot import from the git repository"),
        "{err}"
    );
    let err = env.fails(&["import", "x"]);
    assert!(err.contains("at least one FILE"), "{err}");
    // Nothing was recorded by any of them: not even a store was created.
    assert!(!env.store().exists());
}

#[test]
fn dated_files_in_order_and_again() {
    let env = Env::new();
    let a = env.file(
        "statement-2023-11-12.txt",
        "First version of the statement.\n",
    );
    let b = env.file(
        "statement-20231113T1405.txt",
        "Second version of the statement.\n",
    );
    let c = env.file("latest.txt", "Third version of the statement.\n");
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000 + 3 * 86400);
    std::fs::File::options()
        .write(true)
        .open(&c)
        .and_then(|f| f.set_modified(when))
        .expect("set mtime");
    let args = [
        "import",
        "doc",
        a.to_str().expect("utf-8"),
        b.to_str().expect("utf-8"),
        "latest.txt",
    ];
    let out = env.ok(&args);
    assert!(out.contains("imported 3 revisions into doc"), "{out}");
    let revs = log_json(&env, "doc");
    let times: Vec<&str> = revs
        .iter()
        .map(|r| r["time"].as_str().expect("time"))
        .collect();
    assert_eq!(
        times,
        [
            "2023-11-12T00:00:00Z",
            "2023-11-13T14:05:00Z",
            "2023-11-17T22:13:20Z"
        ]
    );
    assert_eq!(
        env.ok(&["show", "doc@2"]),
        "Second version of the statement.\n"
    );
    assert_eq!(revs[0]["source"].as_str(), Some(a.to_str().expect("utf-8")));
    let before = env.snapshot_store();
    let out = env.ok(&args);
    assert!(
        out.starts_with("nothing new to import into doc: 3 already recorded"),
        "{out}"
    );
    assert_eq!(env.snapshot_store(), before);
    env.ok(&["verify"]);
}

#[test]
fn files_out_of_time_order_are_refused_before_anything_is_recorded() {
    let env = Env::new();
    let a = env.file("s-2023-11-12.txt", "First.\n");
    let b = env.file("s-2023-11-13.txt", "Second.\n");
    let err = env.fails(&[
        "import",
        "doc",
        b.to_str().expect("utf-8"),
        a.to_str().expect("utf-8"),
    ]);
    assert!(
        err.contains("import refused, nothing was recorded"),
        "{err}"
    );
    assert!(err.contains("s-2023-11-12.txt"), "{err}");
    assert!(env.ok(&["list"]).starts_with("no documents"));
    // Earlier than the document's latest revision: refused too.
    env.ok(&[
        "record",
        "doc",
        b.to_str().expect("utf-8"),
        "--at",
        "2023-11-14T00:00:00Z",
    ]);
    let err = env.fails(&["import", "doc", a.to_str().expect("utf-8")]);
    assert!(err.contains("earlier than doc@1"), "{err}");
}
