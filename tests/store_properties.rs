//! Property tests for the store and the selectors: whatever valid UTF-8 is
//! recorded comes back byte for byte, and selectors round-trip.

use proptest::prelude::*;
use redliner::model::{CaptureTime, DocId, Selector};
use redliner::record::{record, RecordOutcome, RecordRequest};
use redliner::store::Store;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Record-then-show byte identity for any valid UTF-8 (controls, NUL
    /// past the binary sniff aside: the input checks refuse NUL early, so
    /// the store is exercised directly).
    #[test]
    fn recorded_text_reads_back_byte_for_byte(texts in prop::collection::vec(any::<String>(), 1..4)) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init(&dir.path().join("s.git")).unwrap();
        let doc = DocId::parse("doc").unwrap();
        let mut last: Option<Vec<u8>> = None;
        for (i, t) in texts.iter().enumerate() {
            let req = RecordRequest {
                doc: &doc,
                text: t,
                published: None,
                time: CaptureTime { unix: 1_700_000_000 + i as i64, offset_minutes: 0 },
                message: Some(t.clone()),
                source: Some(t.clone()),
                capture: None,
            };
            let report = record(&store, &req).unwrap();
            match report.outcome {
                RecordOutcome::Recorded(r) => {
                    prop_assert_eq!(store.read_text(&doc, &r).unwrap(), t.as_str());
                    let again = store.resolve(&doc, &Selector::Number(r.rev)).unwrap();
                    prop_assert_eq!(&again.id, &r.id);
                    prop_assert_eq!(store.read_text(&doc, &again).unwrap(), t.as_str());
                }
                RecordOutcome::Unchanged(r) => {
                    prop_assert_eq!(last.as_deref(), Some(t.as_bytes()));
                    prop_assert_eq!(store.read_text(&doc, &r).unwrap(), t.as_str());
                }
            }
            last = Some(t.as_bytes().to_vec());
        }
        // Every revision is still there, in order.
        let history = store.history(&doc).unwrap();
        prop_assert_eq!(history.first().map(|r| r.rev), Some(history.len() as u64));
    }

    #[test]
    fn number_back_and_commit_selectors_round_trip(n in 1u64..1_000_000, k in 0u64..1_000_000, hex in "[0-9a-f]{7,40}") {
        let utc = jiff::tz::TimeZone::UTC;
        for sel in [Selector::Number(n), Selector::Back(k), Selector::Latest] {
            prop_assert_eq!(Selector::parse(&sel.to_string(), &utc).unwrap(), sel);
        }
        // A hex string of 7+ digits is a commit prefix (pure digits too).
        let parsed = Selector::parse(&hex, &utc).unwrap();
        prop_assert_eq!(&parsed, &Selector::Commit(hex.clone()));
        prop_assert_eq!(Selector::parse(&parsed.to_string(), &utc).unwrap(), parsed);
    }

    #[test]
    fn time_selectors_and_capture_times_round_trip(secs in 0i64..4_000_000_000, offset_q in -56i32..=56) {
        let utc = jiff::tz::TimeZone::UTC;
        let t = CaptureTime { unix: secs, offset_minutes: offset_q * 15 };
        let back = CaptureTime::parse_rfc3339(&t.rfc3339()).unwrap();
        prop_assert_eq!(back, t);
        let sel = Selector::parse(&t.rfc3339(), &utc).unwrap();
        prop_assert_eq!(&sel, &Selector::AtOrBefore(secs));
        prop_assert_eq!(Selector::parse(&sel.to_string(), &utc).unwrap(), sel);
    }

    #[test]
    fn document_ids_are_valid_ref_names_or_refused(s in "[a-z0-9._/A-Z -]{0,12}") {
        if let Ok(d) = DocId::parse(&s) {
            prop_assert_eq!(d.as_str(), s.as_str());
            let ok = git2_like_ref_component(&s);
            prop_assert!(ok, "{:?}", s);
        }
    }
}

/// git's rules for one ref name component that matter for slugs.
fn git2_like_ref_component(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && !s.ends_with('.')
        && !s.ends_with(".lock")
        && !s.contains("..")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}
