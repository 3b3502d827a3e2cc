//! Concurrent recorders never lose or duplicate each other's revisions: the
//! ref moves only by compare-and-swap, with a bounded retry.

mod common;
use common::Env;
use std::collections::HashSet;
use std::process::Stdio;

/// Sizes CI can afford; `scripts/soak.sh` raises them (16 x 100).
fn sizes() -> (usize, usize) {
    let get = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    (get("REDLINER_WRITERS", 8), get("REDLINER_EACH", 15))
}

/// Starts `writers` shell loops, each recording `each` distinct texts into
/// `doc_of(w)`, and waits for all of them.
fn hammer(env: &Env, doc_of: &dyn Fn(usize) -> String) {
    let (writers, each) = sizes();
    let bin = env!("CARGO_BIN_EXE_redliner");
    let mut children = Vec::new();
    for w in 0..writers {
        let script = format!(
            "for i in $(seq 1 {each}); do printf 'writer {w} revision %s of the statement.\\n' \"$i\" | \"{bin}\" record {doc} - || exit 1; done",
            doc = doc_of(w)
        );
        let mut c = env.command();
        c.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        let child = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .envs(
                c.get_envs()
                    .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))),
            )
            .env_remove("GIT_DIR")
            .current_dir(env.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn writer");
        children.push(child);
    }
    for ch in children {
        let out = ch.wait_with_output().expect("writer");
        assert!(
            out.status.success(),
            "a writer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let acked = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("recorded "))
            .count();
        assert_eq!(acked, each, "every record was acknowledged");
    }
}

fn texts_of(env: &Env, doc: &str) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_str(&env.ok(&["log", doc, "--json"])).unwrap();
    let revs = log.as_array().unwrap();
    // A single chain numbered n..1, newest first.
    for (k, r) in revs.iter().enumerate() {
        assert_eq!(r["rev"].as_u64().unwrap() as usize, revs.len() - k);
    }
    (1..=revs.len())
        .map(|n| {
            let r = env.run(&["show", &format!("{doc}@{n}")]);
            assert_eq!(r.code, 0);
            r.out()
        })
        .collect()
}

#[test]
fn writers_on_one_document_lose_nothing() {
    let env = Env::new();
    env.ok(&["init"]);
    let (writers, each) = sizes();
    hammer(&env, &|_| "shared".to_string());
    let texts = texts_of(&env, "shared");
    assert_eq!(
        texts.len(),
        writers * each,
        "no revision lost or duplicated"
    );
    let distinct: HashSet<&String> = texts.iter().collect();
    assert_eq!(distinct.len(), writers * each);
    // Each writer's revisions appear in its own order.
    for w in 0..writers {
        let mine: Vec<usize> = texts
            .iter()
            .filter_map(|t| t.strip_prefix(&format!("writer {w} revision ")))
            .map(|t| t.split(' ').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(mine, (1..=each).collect::<Vec<_>>());
    }
    // No forks: every commit on the branch has at most one parent and the
    // branch has exactly as many commits as revisions.
    let (ok, count) = env.git(&["rev-list", "--count", "shared"]);
    assert!(ok);
    assert_eq!(count.trim(), (writers * each).to_string());
    let (ok, merges) = env.git(&["rev-list", "--min-parents=2", "shared"]);
    assert!(ok && merges.trim().is_empty());
    let (ok, out) = env.git(&["fsck", "--strict", "--full"]);
    assert!(ok, "{out}");
    assert!(!env.store().join("refs/heads/shared.lock").exists());
}

#[test]
fn writers_on_different_documents_lose_nothing() {
    let env = Env::new();
    env.ok(&["init"]);
    let (writers, each) = sizes();
    hammer(&env, &|w| format!("doc-{w}"));
    for w in 0..writers {
        assert_eq!(texts_of(&env, &format!("doc-{w}")).len(), each);
    }
    let list: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), writers);
}
