//! `watch`, `check` and the observation log, against the loopback server of
//! `common::web`.

mod common;

use common::web::*;
use common::Env;

fn ok(env: &Env, args: &[&str]) -> String {
    let r = run(env, args);
    assert_eq!(r.code, 0, "redliner {args:?} failed: {}", r.stderr);
    r.out()
}

#[test]
fn watch_add_list_remove_is_kept_in_the_store() {
    let (env, srv) = (Env::new(), Server::start());
    let url = srv.url("/a");
    assert_eq!(
        ok(&env, &["watch", "add", "dod", &url, "--select", "article"]),
        format!("watching dod: {url}\n")
    );
    ok(
        &env,
        &["watch", "add", "other", &srv.url("/b"), "--lang", "fr"],
    );
    assert_eq!(
        ok(&env, &["watch", "add", "dod", &url, "--remove", ".ad"]),
        format!("updated dod: {url}\n")
    );
    let list = ok(&env, &["watch", "list"]);
    assert_eq!(
        list,
        format!(
            "dod  {url}  --remove \".ad\"\nother  {}  --lang fr\n",
            srv.url("/b")
        )
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&env, &["watch", "list", "--json"])).expect("json");
    assert_eq!(json[0]["doc"], "dod");
    assert_eq!(json[0]["remove"][0], ".ad");
    assert_eq!(json[1]["lang"], "fr");
    // Kept under its own ref, so a clone or a push carries it.
    let (ok_show, file) = env.git(&["show", "refs/redliner/watch:watch.json"]);
    assert!(ok_show && file.contains("\"other\""), "{file}");
    assert_eq!(
        ok(&env, &["watch", "remove", "other"]),
        "stopped watching other\n"
    );
    let err = env.fails(&["watch", "remove", "other"]);
    assert!(err.contains("other is not watched"), "{err}");
    // Bad input is refused before anything is written.
    let err = env.fails(&["watch", "add", "x", "notaurl"]);
    assert!(err.contains("is not a URL"), "{err}");
    let err = env.fails(&["watch", "add", "x", &url, "--select", "p["]);
    assert!(err.contains("invalid CSS selector"), "{err}");
    assert_eq!(ok(&env, &["watch", "list"]).lines().count(), 1);
    assert!(srv.seen().is_empty(), "watch never fetches");
}

#[test]
fn check_records_changes_logs_every_check_and_a_failure_does_not_stop_the_others() {
    let (env, srv) = (Env::new(), Server::start());
    srv.set("/one", html(&press_page(STATEMENT, 1)));
    srv.set("/two", html(&press_page(STATEMENT, 1)));
    srv.set("/gone", status(404));
    for (doc, path) in [("one", "/one"), ("broken", "/gone"), ("two", "/two")] {
        ok(&env, &["watch", "add", doc, &srv.url(path)]);
    }
    // First check: two new documents, one failure; exit 2 after all ran.
    let r = run(&env, &["check"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let out = r.out();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("changed one@1 +"), "{out}");
    assert!(
        lines[1].starts_with("failed broken: fetching ") && lines[1].contains("HTTP 404"),
        "{out}"
    );
    assert!(lines[2].starts_with("changed two@1 +"), "{out}");
    // Only chrome changed: unchanged, exit 0 even with --exit-code.
    srv.set("/one", html(&press_page(STATEMENT, 2)));
    let r = run(&env, &["check", "one", "two", "--exit-code"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.out(), "unchanged one@1\nunchanged two@1\n");
    // A real change: exit 1 with --exit-code, 0 without.
    let edited = STATEMENT.replace("strongly condemned", "condemned");
    srv.set("/two", html(&press_page(&edited, 3)));
    let r = run(&env, &["check", "two", "--exit-code"]);
    assert_eq!(
        (r.code, r.out()),
        (1, "changed two@2 +0 -1 words\n".to_string()),
        "{}",
        r.stderr
    );
    let r = run(&env, &["check", "two", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_slice(&r.stdout).expect("json");
    assert_eq!(json[0]["outcome"], "unchanged");
    assert_eq!(json[0]["rev"], 2);
    // The observation log: every check, newest first.
    let log = ok(&env, &["log", "two", "--checks"]);
    let outcomes: Vec<&str> = log
        .lines()
        .map(|l| l.split_whitespace().nth(3).unwrap_or(""))
        .collect();
    assert_eq!(
        outcomes,
        ["unchanged", "changed", "unchanged", "changed"],
        "{log}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&env, &["log", "broken", "--checks", "--json"])).expect("json");
    assert_eq!(json[0]["outcome"], "failed");
    assert!(
        json[0]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("HTTP 404"),
        "{json}"
    );
    assert!(json[0]["rev"].is_null());
    assert!(
        json[0]["time"].as_str().unwrap_or("").ends_with('Z'),
        "{json}"
    );
    // Checks are not revisions.
    assert!(ok(&env, &["log", "two"]).starts_with("@2 "));
    assert_eq!(ok(&env, &["log", "one", "--checks"]).lines().count(), 2);
    // An unknown name is refused before anything is checked.
    let err = env.fails(&["check", "nope"]);
    assert!(err.contains("nope is not watched"), "{err}");
}

#[test]
fn shards_split_the_watch_list() {
    let (env, srv) = (Env::new(), Server::start());
    srv.set("/p", html(&press_page(STATEMENT, 1)));
    let docs: Vec<String> = (0..8).map(|i| format!("doc{i}")).collect();
    for d in &docs {
        ok(&env, &["watch", "add", d, &srv.url("/p")]);
    }
    let mut seen = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let out = ok(&env, &["check", "--shard", shard, "--jobs", "2"]);
        for l in out.lines() {
            seen.push(l.split(['@', ' ']).nth(1).unwrap_or("").to_string());
        }
    }
    seen.sort();
    assert_eq!(seen, docs, "each source in exactly one shard");
    let err = env.fails(&["check", "--shard", "4/3"]);
    assert!(err.contains("invalid --shard"), "{err}");
}

#[test]
fn conditional_requests_and_304_are_unchanged_observations() {
    let (env, srv) = (Env::new(), Server::start());
    let tagged = |etag: &str, statement: &str| Reply::Tagged {
        etag: etag.to_string(),
        body: press_page(statement, 1).into_bytes(),
    };
    srv.set("/t", tagged("\"v1\"", STATEMENT));
    ok(&env, &["watch", "add", "t", &srv.url("/t")]);
    assert!(ok(&env, &["check"]).starts_with("changed t@1 "));
    // The next check sends the validators; the 304 is an unchanged check.
    assert_eq!(ok(&env, &["check"]), "unchanged t@1\n");
    let seen = srv.seen();
    assert!(!seen[0].headers.contains_key("if-none-match"));
    assert_eq!(seen[1].headers["if-none-match"], "\"v1\"");
    assert_eq!(
        seen[1].headers["if-modified-since"],
        "Sun, 12 Nov 2023 14:00:00 GMT"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&env, &["log", "t", "--checks", "--json"])).expect("json");
    assert_eq!(json[0]["outcome"], "unchanged");
    assert_eq!(json[0]["rev"], 1);
    // A new version under a new tag is fetched and recorded.
    let edited = STATEMENT.replace("strongly condemned", "condemned");
    srv.set("/t", tagged("\"v2\"", &edited));
    assert_eq!(ok(&env, &["check"]), "changed t@2 +0 -1 words\n");
    // Other selectors than those the validators were stored with: a plain
    // request, since the text may differ on an unchanged page.
    ok(
        &env,
        &["watch", "add", "t", &srv.url("/t"), "--remove", ".byline"],
    );
    ok(&env, &["check"]);
    let seen = srv.seen();
    assert!(!seen[seen.len() - 1].headers.contains_key("if-none-match"));
}
