//! Property tests: the reconstruction invariant on random texts and edits.

use proptest::prelude::*;
use redliner::diff::{diff, diff_with, is_blank, tokenize, Diff, OpKind, Options};

/// Rebuilds (old, new) from the ops, checking that every equal op stands
/// for the same bytes in both texts.
fn rebuild(d: &Diff) -> (String, String) {
    for op in d.ops.iter().filter(|op| op.kind == OpKind::Equal) {
        assert_eq!(
            &d.old[op.old.clone()],
            &d.new[op.new.clone()],
            "equal op texts differ"
        );
    }
    d.rebuild()
}

/// Unchanged words counted from the ops themselves: the words of the equal
/// ops, and of the equal ops inside each moved passage. Independent of how
/// the engine sums its statistics (which derives them from the new text's
/// word count).
fn unchanged_words(d: &Diff) -> u64 {
    let mut n = 0;
    for (k, op) in d.ops.iter().enumerate() {
        match d.move_of(k) {
            Some(m) if m.to == k => n += unchanged_words(&m.inner),
            Some(_) => {}
            None if op.kind == OpKind::Equal => n += tokenize::count_words(d.text(op)),
            None => {}
        }
    }
    n
}

/// The statistics against counts made without them.
fn check_counts(d: &Diff, a: &str) -> Result<(), TestCaseError> {
    let s = d.stats;
    prop_assert_eq!(
        s.words_removed + s.words_unchanged.expect("counted"),
        tokenize::count_words(a)
    );
    prop_assert_eq!(s.words_unchanged, Some(unchanged_words(d)));
    Ok(())
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

/// Checks every move: its ops are a delete and an insert holding the passage,
/// and its inner ops rebuild the passage at both places.
fn check_moves(d: &Diff) -> Result<(), TestCaseError> {
    for m in &d.moves {
        prop_assert_eq!(d.ops[m.from].kind, OpKind::Delete);
        prop_assert_eq!(d.ops[m.to].kind, OpKind::Insert);
        prop_assert!(m.from != m.to);
        let (o, n) = rebuild(&m.inner);
        prop_assert_eq!(&o, m.inner.old);
        prop_assert_eq!(&n, m.inner.new);
        prop_assert!(d.text(&d.ops[m.from]).contains(m.inner.old));
        prop_assert!(d.text(&d.ops[m.to]).contains(m.inner.new));
    }
    Ok(())
}

/// Paragraphs of random sentences, and the same with one paragraph moved and
/// perhaps a word changed inside it.
fn moved_paragraphs() -> impl Strategy<Value = (String, String)> {
    let sentence = prop::collection::vec(
        prop::sample::select(vec![
            "alpha",
            "beta",
            "gamma",
            "delta",
            "the",
            "of",
            "ministers",
            "2023",
            "condemned",
        ]),
        3..12,
    )
    .prop_map(|w| format!("{}.", w.join(" ")));
    let para = prop::collection::vec(sentence, 1..4).prop_map(|s| s.join(" "));
    (
        prop::collection::vec(para, 2..8),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        any::<bool>(),
        "\\n\\n|\\r\\n\\r\\n|\\n",
    )
        .prop_map(|(paras, from, to, edit, sep)| {
            let old = paras.join(&sep);
            let mut p = paras.clone();
            let moved = p.remove(from.index(p.len()));
            let moved = if edit {
                moved.replacen("the", "a", 1)
            } else {
                moved
            };
            p.insert(to.index(p.len() + 1), moved);
            (old, p.join(&sep))
        })
}

/// A long text (several KiB) of mostly words and sentence punctuation, so
/// that changed regions pass the sentence-first size and need more edits
/// than one greedy alignment step takes.
fn long_text() -> impl Strategy<Value = Vec<String>> {
    let piece = prop_oneof![
        6 => prop::sample::select(vec![
            "the ", "ministers ", "condemned ", "strongly ", "a ", "of ", "U.S. ", "2023 ",
            "policy ", "data ", "非難", "국방부 ", "é ",
        ]).prop_map(String::from),
        2 => prop::sample::select(vec![". ", ", ", ".\n", ".\n\n", "? ", "; ", "  "]).prop_map(String::from),
        1 => piece(),
    ];
    prop::collection::vec(piece, 300..900)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn reconstruction_and_counts_on_long_edited_texts((a, b) in long_text().prop_flat_map(edited)) {
        for opts in [Options::default(), Options { minimal: true, ..Options::default() }] {
            let d = diff_with(&a, &b, &opts);
            prop_assert_eq!(rebuild(&d), (a.clone(), b.clone()));
            check_moves(&d)?;
            check_counts(&d, &a)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn reconstruction_with_moves((a, b) in moved_paragraphs()) {
        let d = diff(&a, &b);
        prop_assert_eq!(rebuild(&d), (a.clone(), b.clone()));
        check_moves(&d)?;
        check_counts(&d, &a)?;
    }

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
        check_moves(&d)?;
        check_counts(&d, &a)?;
        prop_assert_eq!(d.has_changes(), a != b);
        // Whitespace is never compared: identical token streams mean no word change.
        let toks = |t: &str| tokenize::tokenize(t).into_iter().map(|r| t[r].to_string()).collect::<Vec<_>>();
        if toks(&a) == toks(&b) {
            prop_assert!(d.ops.iter().all(|op| op.kind == OpKind::Equal || is_blank(d.text(op))));
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
