//! `cargo bench --bench store`: recording, history and lookups in a store
//! of many documents. Prints the median time per operation. For the
//! 100,000-revision store compared with git itself, use
//! scripts/bench_store.py.

use redliner::model::{CaptureTime, DocId, Selector};
use redliner::record::{record, RecordRequest};
use redliner::store::Store;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let (docs, revs) = if quick { (3, 3) } else { (100, 50) };
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::init(&dir.path().join("store.git")).expect("store");
    let mut record_times = Vec::new();
    for r in 0..revs {
        for d in 0..docs {
            let doc = DocId::parse(&format!("doc-{d:04}")).expect("id");
            let text = format!(
                "Statement {d}. Revision {r} of the text, with a few more words to diff.\n"
            );
            let req = RecordRequest {
                doc: &doc,
                text: &text,
                published: None,
                time: CaptureTime {
                    unix: 1_700_000_000 + r as i64 * 60,
                    offset_minutes: 0,
                },
                message: None,
                source: None,
                capture: None,
            };
            let t = Instant::now();
            record(&store, &req).expect("record");
            record_times.push(t.elapsed());
        }
    }
    let doc = DocId::parse("doc-0000").expect("id");
    let time = |f: &dyn Fn()| {
        let mut v = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            f();
            v.push(t.elapsed());
        }
        median(v)
    };
    let history = time(&|| {
        std::hint::black_box(store.history(&doc).expect("history"));
    });
    let first = time(&|| {
        std::hint::black_box(store.resolve(&doc, &Selector::Number(1)).expect("resolve"));
    });
    let list = time(&|| {
        std::hint::black_box(store.list().expect("list"));
    });
    println!("store of {docs} documents x {revs} revisions");
    println!(
        "record (median)        {:>8.3} ms",
        median(record_times).as_secs_f64() * 1e3
    );
    println!(
        "history of one doc     {:>8.3} ms",
        history.as_secs_f64() * 1e3
    );
    println!(
        "resolve @1             {:>8.3} ms",
        first.as_secs_f64() * 1e3
    );
    println!(
        "list                   {:>8.3} ms",
        list.as_secs_f64() * 1e3
    );
}
