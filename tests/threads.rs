//! A large diff aligns its changed regions on two threads: the redline is
//! byte for byte the one a single thread gives (`REDLINER_THREADS=1`).

mod common;

use common::Env;

/// Two versions of a real policy repeated into a large text (well over the
/// 64 KB from which regions are batched), with each copy edited a little
/// differently so that there are many changed regions of all sizes.
fn large_pair() -> (String, String) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/real-revisions");
    let pair = std::fs::read_dir(dir)
        .expect("real revisions")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("043-"))
        .expect("pair 043");
    let read = |f: &str| std::fs::read_to_string(pair.join(f)).expect("readable pair");
    let (old, new) = (read("old.md"), read("new.md"));
    let (mut a, mut b) = (String::new(), String::new());
    for copy in 0..3 {
        a.push_str(&old);
        // Each copy drops a different tenth of its paragraphs and rewords
        // another.
        for (k, p) in new.split("\n\n").enumerate() {
            match (k + copy) % 10 {
                0 => continue,
                1 => b.push_str(&p.replace(" the ", " a ").replace("you", "You")),
                _ => b.push_str(p),
            }
            b.push_str("\n\n");
        }
    }
    (a, b)
}

#[test]
fn two_threads_give_the_redline_one_thread_gives() {
    let env = Env::new();
    let (old, new) = large_pair();
    assert!(old.len() + new.len() > 256 * 1024);
    let a = env.file("old.md", &old);
    let b = env.file("new.md", &new);
    let (a, b) = (a.to_string_lossy(), b.to_string_lossy());
    for format in ["json", "plain", "html"] {
        let run = |threads: &str| {
            let out = env
                .command()
                .env("REDLINER_THREADS", threads)
                .args(["diff", "--files", &a, &b, "--format", format])
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(1), "{format}: changes found");
            out.stdout
        };
        let one = run("1");
        assert!(one.len() > 10_000, "{format}: a real redline");
        assert!(run("2") == one, "{format}: same redline on two threads");
    }
}
