//! Unit tests for the store: the oldest-first iterators, typed writes, and
//! texts that are not UTF-8.

use super::*;
use crate::model::{CaptureTime, Revision, Selector};
use crate::record::{record, RecordOutcome, RecordRequest};
use std::sync::Arc;

fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::init(&dir.path().join("s.git")).expect("init");
    (dir, store)
}

fn doc() -> DocId {
    DocId::parse("doc").expect("doc id")
}

fn at(i: i64) -> CaptureTime {
    CaptureTime {
        unix: 1_700_000_000 + i * 60,
        offset_minutes: 0,
    }
}

fn record_text(store: &Store, text: &str, i: i64) -> Revision {
    let d = doc();
    let req = RecordRequest {
        doc: &d,
        text,
        published: None,
        time: at(i),
        message: None,
        source: None,
        capture: None,
    };
    match record(store, &req).expect("record").outcome {
        RecordOutcome::Recorded(r) => r,
        RecordOutcome::Unchanged(r) => panic!("unchanged at {}", r.rev),
    }
}

/// Writes a commit as another tool might: raw bytes, no trailers.
fn write_raw(store: &Store, bytes: &[u8], i: i64) -> Written {
    let d = doc();
    let tip = store.tip_id(&d).expect("tip");
    let name = text_name(&d);
    let meta = CommitMeta {
        time: at(i),
        message: "by hand".into(),
        trailers: Trailers::default(),
    };
    store
        .write_revision(&d, tip.as_ref(), &[TreeFile::new(&name, bytes)], &meta)
        .expect("write")
}

const TEXTS: [&str; 3] = [
    "First version.\r\n",
    "Second version, with \u{2019}quotes\u{2019} and a\ttab.\n",
    "Third\u{0}version \u{1F600}",
];

#[test]
fn revisions_come_oldest_first_numbered_from_one() {
    let (_dir, store) = new_store();
    let written: Vec<Revision> = TEXTS
        .iter()
        .zip(0..)
        .map(|(t, i)| record_text(&store, t, i))
        .collect();
    let oldest: Vec<Revision> = store
        .revisions_oldest_first(&doc())
        .expect("walk")
        .collect();
    assert_eq!(oldest, written);
    assert_eq!(
        oldest.iter().map(|r| r.rev).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    let mut newest = store.history(&doc()).expect("history");
    newest.reverse();
    assert_eq!(newest, oldest);
}

#[test]
fn texts_come_oldest_first_byte_for_byte() {
    let (_dir, store) = new_store();
    for (t, i) in TEXTS.iter().zip(0..) {
        record_text(&store, t, i);
    }
    let got: Vec<(Revision, Arc<str>)> = store
        .texts_oldest_first(&doc())
        .expect("walk")
        .collect::<Result<_, _>>()
        .expect("texts");
    assert_eq!(got.len(), TEXTS.len());
    for ((r, text), (want, n)) in got.iter().zip(TEXTS.iter().zip(1..)) {
        assert_eq!(r.rev, n);
        assert_eq!(text.as_bytes(), want.as_bytes());
        assert_eq!(store.read_text(&doc(), r).expect("read"), **want);
    }
}

#[test]
fn identical_consecutive_texts_are_read_once_and_shared() {
    let (_dir, store) = new_store();
    record_text(&store, "same", 0);
    write_raw(&store, b"same", 1);
    write_raw(&store, b"other", 2);
    write_raw(&store, b"same", 3);
    let got: Vec<(Revision, Arc<str>)> = store
        .texts_oldest_first(&doc())
        .expect("walk")
        .collect::<Result<_, _>>()
        .expect("texts");
    let texts: Vec<&str> = got.iter().map(|(_, t)| &**t).collect();
    assert_eq!(texts, ["same", "same", "other", "same"]);
    assert!(Arc::ptr_eq(&got[0].1, &got[1].1));
    assert!(!Arc::ptr_eq(&got[1].1, &got[3].1));
    // Commits without trailers are numbered by position.
    let revs: Vec<u64> = got.iter().map(|(r, _)| r.rev).collect();
    assert_eq!(revs, [1, 2, 3, 4]);
    let third = store.resolve(&doc(), &Selector::Number(3)).expect("@3");
    assert_eq!(third.id, got[2].0.id);
}

#[test]
fn a_text_that_is_not_utf8_is_an_error_naming_revision_and_offset() {
    let (_dir, store) = new_store();
    record_text(&store, "fine", 0);
    let Written::Done(bad) = write_raw(&store, b"ab\xffcd", 1) else {
        panic!("not written");
    };
    let err = store.read_text(&doc(), &bad).expect_err("not UTF-8");
    let msg = err.to_string();
    assert!(
        matches!(
            err,
            StoreError::NotUtf8Text {
                offset: 2,
                rev: 2,
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains(bad.id.as_str()) && msg.contains("doc@2"),
        "{msg}"
    );
    let mut texts = store.texts_oldest_first(&doc()).expect("walk");
    assert_eq!(&*texts.next().expect("first").expect("reads").1, "fine");
    assert!(texts.next().expect("second").is_err());
}

#[test]
fn other_files_are_stored_beside_the_text() {
    let (_dir, store) = new_store();
    let d = doc();
    let name = text_name(&d);
    let files = [
        TreeFile::new(&name, b"the text"),
        TreeFile::new("doc.raw.html", b"<p>the text</p>"),
    ];
    let meta = CommitMeta {
        time: at(0),
        message: String::new(),
        trailers: Trailers::default(),
    };
    let Written::Done(r) = store
        .write_revision(&d, None, &files, &meta)
        .expect("write")
    else {
        panic!("not written");
    };
    assert_eq!(store.read_text(&d, &r).expect("read"), "the text");
    let oid = Oid::from_str(r.id.as_str()).expect("oid");
    let tree = store
        .repo
        .find_commit(oid)
        .expect("commit")
        .tree()
        .expect("tree");
    let raw = tree.get_name("doc.raw.html").expect("raw entry");
    let blob = store.repo.find_blob(raw.id()).expect("blob");
    assert_eq!(blob.content(), b"<p>the text</p>");
    assert!(store.verify().expect("verify").problems.is_empty());
}

#[test]
fn tree_entry_names_are_checked() {
    let (_dir, store) = new_store();
    let d = doc();
    let name = text_name(&d);
    let meta = CommitMeta {
        time: at(0),
        message: String::new(),
        trailers: Trailers::default(),
    };
    let text = TreeFile::new(&name, b"t");
    for (files, rule) in [
        (vec![text, TreeFile::new("", b"x")], "is empty"),
        (vec![text, TreeFile::new("a/b", b"x")], "contains '/'"),
        (
            vec![text, TreeFile::new("a\0b", b"x")],
            "contains a NUL byte",
        ),
        (vec![text, TreeFile::new("..", b"x")], "is not a file name"),
        (vec![text, text], "is given twice"),
        (
            vec![TreeFile::new("x.txt", b"x")],
            "is missing: every revision holds its text",
        ),
    ] {
        match store.write_revision(&d, None, &files, &meta) {
            Err(StoreError::InvalidTreeEntry { rule: r, .. }) => assert_eq!(r, rule),
            Err(e) => panic!("{rule}: {e}"),
            Ok(_) => panic!("{rule}: written"),
        }
    }
    assert_eq!(store.tip_id(&d).expect("tip"), None);
}
