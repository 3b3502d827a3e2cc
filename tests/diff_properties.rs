//! Property tests: the reconstruction invariant on random texts and edits.

use proptest::prelude::*;
use redliner::diff::{diff, tokenize, OpKind};

/// Rebuilds (old, new) from the ops.
fn rebuild(d: &redliner::diff::Diff) -> (String, String) {
    let (mut o, mut n) = (String::new(), String::new());
    for op in &d.ops {
        let t = d.text(op);
        match op.kind {
            OpKind::Equal => {
                assert_eq!(
                    &d.old[op.old.clone()],
                    &d.new[op.new.clone()],
                    "equal op texts differ"
                );
                o.push_str(t);
                n.push_str(t);
            }
            OpKind::Delete => o.push_str(t),
            OpKind::Insert => n.push_str(t),
        }
    }
    (o, n)
}

/// Pieces texts are made of: words, punctuation, whitespace of every kind,
/// CJK, Hangul, combining marks, controls, emoji, RTL.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "the", "The", "leaders", "condemned", "strongly", "a", "of", "U.S.", "2023", "12", "3.5%",
            "don't", "re-capture", "強", "く", "非難", "국방부", "장관", "وأدانوا", "é", "e\u{301}",
            "🇺🇸", "👍🏽", "ﬁ",
        ]).prop_map(String::from),
        3 => prop::sample::select(vec![" ", " ", "  ", "\n", "\n\n", "\r\n", "\t", "\u{a0}", "\u{3000}", "\r\n\r\n"])
            .prop_map(String::from),
        2 => prop::sample::select(vec![",", ".", "—", "“", "”", "'", "(", ")", "…", "-", "«", "»", "。"]).prop_map(String::from),
        1 => prop::sample::select(vec!["\u{1b}[31m", "\u{7}", "\u{8}", "\r", "\u{200b}", "\u{202e}", "\u{feff}", "\u{9b}"])
            .prop_map(String::from),
        1 => "[a-zA-Z0-9 .,\n]{0,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

fn text() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(piece(), 0..60)
}

/// An edit script over pieces: keep, delete, replace or insert.
fn edited(base: Vec<String>) -> impl Strategy<Value = (String, String)> {
    let n = base.len();
    (prop::collection::vec((0u8..10, piece()), n + 1)).prop_map(move |edits| {
        let mut out = String::new();
        for (i, (choice, new_piece)) in edits.iter().enumerate() {
            match choice {
                0 => out.push_str(new_piece),
                1 => {
                    out.push_str(new_piece);
                    if let Some(p) = base.get(i) {
                        out.push_str(p);
                    }
                }
                2 => {}
                _ => {
                    if let Some(p) = base.get(i) {
                        out.push_str(p);
                    }
                }
            }
        }
        (base.concat(), out)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn reconstruction_on_random_texts(a in text(), b in text()) {
        let (a, b) = (a.concat(), b.concat());
        let d = diff(&a, &b);
        prop_assert_eq!(rebuild(&d), (a, b));
    }

    #[test]
    fn reconstruction_and_counts_on_random_edits((a, b) in text().prop_flat_map(edited)) {
        let d = diff(&a, &b);
        prop_assert_eq!(rebuild(&d), (a.clone(), b.clone()));
        let s = d.stats();
        prop_assert_eq!(s.words_removed + s.words_unchanged, tokenize::count_words(&a));
        prop_assert_eq!(s.words_added + s.words_unchanged, tokenize::count_words(&b));
        prop_assert_eq!(d.has_changes(), a != b);
        // Whitespace is never compared: identical token streams mean no word change.
        let toks = |t: &str| tokenize::tokenize(t).into_iter().map(|r| t[r].to_string()).collect::<Vec<_>>();
        if toks(&a) == toks(&b) {
            prop_assert!(!d.has_word_changes());
        }
    }

    #[test]
    fn a_text_against_itself_is_one_equal_op(a in text()) {
        let a = a.concat();
        let d = diff(&a, &a);
        prop_assert!(!d.has_changes());
        prop_assert!(d.ops.len() <= 1);
    }
}
