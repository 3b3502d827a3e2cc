//! What the binary's own start-up code promises (src/main.rs defines the C
//! `main` on Linux): a reader that goes away is a quiet success, output is
//! complete when the reader stays, and exit codes come through.

mod common;

use common::Env;
use std::io::Read;
use std::process::Stdio;

/// Two texts (one line in ten changed) whose redline is far larger than a
/// pipe's buffer.
fn big_pair(env: &Env) -> (String, String) {
    let mut old = String::new();
    let mut new = String::new();
    for i in 0..20_000 {
        old.push_str(&format!("Clause {i} applies to the first party.\n"));
        let party = if i % 10 == 0 { "second" } else { "first" };
        new.push_str(&format!("Clause {i} applies to the {party} party.\n"));
    }
    let a = env.file("old.txt", old);
    let b = env.file("new.txt", new);
    (
        a.to_string_lossy().into_owned(),
        b.to_string_lossy().into_owned(),
    )
}

#[test]
fn a_closed_pipe_is_a_quiet_success() {
    let env = Env::new();
    let (a, b) = big_pair(&env);
    let mut child = env
        .command()
        .args(["diff", "--files", &a, &b, "--format", "plain"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn redliner");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    // Killed by SIGPIPE would be no code at all (a signal); a write error
    // reported to the user would be exit 2 with a message.
    assert_eq!(out.status.code(), Some(0), "status {:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn output_is_complete_and_exit_codes_come_through() {
    let env = Env::new();
    let (a, b) = big_pair(&env);
    let r = env.run(&["diff", "--files", &a, &b, "--format", "plain"]);
    assert_eq!(r.code, 1, "texts differ: {}", r.stderr);
    let out = r.out();
    assert_eq!(out.matches("[-first-]{+second+}").count(), 2_000);
    assert!(
        out.contains("Clause 19990 applies to the [-first-]{+second+} party."),
        "last change printed"
    );
    let same = env.run(&["diff", "--files", &a, &a]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    let bad = env.run(&["diff", "--files", &a, "missing.txt"]);
    assert_eq!(bad.code, 2);
    assert_eq!(bad.stderr.lines().count(), 1, "{}", bad.stderr);
    let usage = env.run(&["no-such-command"]);
    assert_eq!(usage.code, 2, "{}", usage.stderr);
}
