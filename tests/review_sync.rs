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
