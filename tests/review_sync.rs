//! Review: `remote remove` touches only the remote's own configuration.

mod common;
use common::Env;

#[test]
fn remote_remove_leaves_other_config_alone() {
    let env = Env::new();
    let bare = env.path().join("bare.git");
    env.ok(&["remote", "add", "origin", bare.to_str().expect("utf-8")]);
    // A rule whose name contains `remote.origin.`, in the store's config.
    let (ok, out) = env.git(&[
        "config",
        "url.https://remote.origin.example/.insteadOf",
        "short:",
    ]);
    assert!(ok, "{out}");
    env.ok(&["remote", "remove", "origin"]);
    let (ok, out) = env.git(&[
        "config",
        "--get",
        "url.https://remote.origin.example/.insteadOf",
    ]);
    assert!(
        ok && out.trim() == "short:",
        "the insteadOf rule was removed: {out}"
    );
    let (ok, out) = env.git(&["config", "--get-regexp", "^remote\\."]);
    assert!(!ok && out.trim().is_empty(), "{out}");
}

#[test]
fn remote_remove_works_with_a_global_setting_for_the_same_name() {
    let env = Env::new();
    let bare = env.path().join("bare.git");
    let global = env.file(".gitconfig", "[remote \"origin\"]\n\tprune = true\n");
    let run = |args: &[&str]| {
        let out = env
            .command()
            .env("GIT_CONFIG_GLOBAL", &global)
            .args(args)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["remote", "add", "origin", bare.to_str().expect("utf-8")]);
    run(&["remote", "remove", "origin"]);
    let (_, out) = env.git(&["config", "--local", "--get-regexp", "^remote\\."]);
    assert!(out.trim().is_empty(), "{out}");
    // The user's global file is not the store's to edit.
    assert_eq!(
        std::fs::read_to_string(&global).expect("read"),
        "[remote \"origin\"]\n\tprune = true\n"
    );
}

fn git_in(env: &Env, dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn record(env: &Env, store: &std::path::Path, text: &str, at: &str, m: &str) {
    let r = env.run_stdin(
        &[
            "--store",
            store.to_str().expect("utf-8"),
            "record",
            "d",
            "-",
            "--at",
            at,
            "-m",
            m,
        ],
        Some(text.as_bytes()),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// A store made by `git clone --mirror` (an archive's second copy) has
/// `remote.origin.fetch = +refs/*:refs/*`: sync's fetch must not let that
/// configured refspec overwrite the local document branches.
#[test]
fn sync_on_a_mirror_clone_loses_no_local_revision() {
    let env = Env::new();
    git_in(&env, env.path(), &["init", "-q", "--bare", "remote.git"]);
    let (a, b) = (env.path().join("a.git"), env.path().join("b.git"));
    let remote = env.path().join("remote.git");
    let a_s = a.to_str().expect("utf-8");
    record(&env, &a, "One.\n", "2023-11-12T14:00:00Z", "a one");
    env.ok(&[
        "--store",
        a_s,
        "remote",
        "add",
        "origin",
        remote.to_str().expect("utf-8"),
    ]);
    env.ok(&["--store", a_s, "sync"]);
    git_in(
        &env,
        env.path(),
        &["clone", "-q", "--mirror", "remote.git", "b.git"],
    );
    git_in(&env, &b, &["config", "redliner.store", "true"]);
    record(&env, &a, "One. Two.\n", "2023-11-13T14:00:00Z", "a two");
    env.ok(&["--store", a_s, "sync"]);
    record(&env, &b, "One. Three.\n", "2023-11-14T14:00:00Z", "b three");
    env.ok(&["--store", b.to_str().expect("utf-8"), "sync"]);
    let log = git_in(&env, &b, &["log", "--format=%s", "refs/heads/d"]);
    assert!(log.contains("b three"), "B's revision was lost:\n{log}");
    assert_eq!(log, "b three\na two\na one\n");
    // And the remote has it too (the push is not refused as a mirror's).
    let remote_log = git_in(&env, &remote, &["log", "--format=%s", "refs/heads/d"]);
    assert_eq!(remote_log, log);
}
