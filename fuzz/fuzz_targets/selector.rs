//! Selector, DocId and CaptureTime parsing: never panics, and what parses
//! round-trips through its printed form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redliner::model::{split_doc_selector, CaptureTime, DocId, Selector};

fn check_selector(s: &str, tz: &jiff::tz::TimeZone) {
    let Ok(sel) = Selector::parse(s, tz) else { return };
    match &sel {
        Selector::Number(_) | Selector::Back(_) | Selector::Commit(_) | Selector::Latest => {
            let shown = sel.to_string();
            let again = Selector::parse(&shown, tz)
                .unwrap_or_else(|e| panic!("{s:?} parsed as {sel:?}, shown as {shown:?}, which fails: {e}"));
            assert_eq!(again, sel, "{s:?} -> {sel:?} -> {shown:?} -> {again:?}");
        }
        Selector::AtOrBefore(_) => {
            // Printing must not panic.
            let _ = sel.to_string();
        }
    }
}

fn check_doc_id(s: &str) {
    let Ok(id) = DocId::parse(s) else { return };
    let a = id.as_str();
    assert_eq!(a, s);
    assert_eq!(id.to_string(), s);
    assert!(!a.is_empty() && a.len() <= 100, "doc id {a:?} has bad length");
    assert!(
        a.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')),
        "doc id {a:?} has a character outside [a-z0-9._-]"
    );
    // The rest of git's rules for a ref name component (git check-ref-format).
    assert!(!a.starts_with('.') && !a.starts_with('-'), "doc id {a:?} starts badly");
    assert!(!a.contains(".."), "doc id {a:?} contains '..'");
    assert!(!a.ends_with(".lock") && !a.ends_with('.'), "doc id {a:?} ends badly");
}

fn check_time(s: &str) {
    let Ok(t) = CaptureTime::parse_rfc3339(s) else { return };
    let shown = t.rfc3339();
    let again = CaptureTime::parse_rfc3339(&shown)
        .unwrap_or_else(|e| panic!("{s:?} parsed as {t:?}, shown as {shown:?}, which fails: {e}"));
    assert_eq!(again, t, "{s:?} -> {t:?} -> {shown:?} -> {again:?}");
    let _ = t.human(&jiff::tz::TimeZone::UTC);
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let s: &str = &s;
    let utc = jiff::tz::TimeZone::UTC;
    check_selector(s, &utc);
    check_doc_id(s);
    check_time(s);
    // As typed on the command line: DOC@REV.
    let (doc, sel) = split_doc_selector(s);
    check_doc_id(doc);
    if let Some(sel) = sel {
        check_selector(sel, &utc);
        check_time(sel);
    }
});
