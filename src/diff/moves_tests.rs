//! Tests of the move search (`moves.rs`).

use crate::diff::{diff, Op, OpKind};

/// A move needs deleted and inserted text in two different changes.
#[test]
fn only_changes_apart_are_searched_for_moves() {
    let op = |kind| Op {
        kind,
        old: 0..0,
        new: 0..0,
    };
    let (e, d, i) = (OpKind::Equal, OpKind::Delete, OpKind::Insert);
    let ops = |kinds: &[OpKind]| kinds.iter().map(|&k| op(k)).collect::<Vec<_>>();
    assert!(!super::apart(&ops(&[d, i])), "one replacement");
    assert!(!super::apart(&ops(&[e, d, i, e])), "one replacement");
    assert!(!super::apart(&ops(&[d, e, d])), "deletions only");
    assert!(super::apart(&ops(&[d, e, i])));
    assert!(super::apart(&ops(&[i, e, d, i])));
    assert!(super::apart(&ops(&[d, i, e, d])));
}

const A: &str = "Alpha one two three four.\n\nBravo five six seven eight nine.\n\nCharlie ten eleven twelve thirteen.\n";

#[test]
fn a_moved_paragraph_is_a_move() {
    let b = "Bravo five six seven eight nine.\n\nCharlie ten eleven twelve thirteen.\n\nAlpha one two three four.\n";
    let d = diff(A, b);
    assert_eq!(d.moves.len(), 1, "{:?}", d.ops);
    let m = &d.moves[0];
    assert_eq!(d.ops[m.from].kind, OpKind::Delete);
    assert_eq!(d.ops[m.to].kind, OpKind::Insert);
    assert_eq!(d.text(&d.ops[m.from]), "Alpha one two three four.");
    assert_eq!(d.text(&d.ops[m.to]), "Alpha one two three four.");
    assert!(!m.inner.has_changes());
}

#[test]
fn edits_inside_a_moved_paragraph_are_shown() {
    let b = "Bravo five six seven eight nine.\n\nCharlie ten eleven twelve thirteen.\n\nAlpha one two 3 four.\n";
    let d = diff(A, b);
    assert_eq!(d.moves.len(), 1);
    let inner = &d.moves[0].inner;
    assert_eq!(inner.stats.words_added, 1);
    assert_eq!(inner.stats.words_removed, 1);
}

#[test]
fn a_promise_rewritten_and_moved_is_a_move_with_its_edits() {
    // Keeps 7 of 10 words against 17 (Dice 0.52): moved, and the
    // reversal is shown inside it.
    let a = "Uses.\n\nWe use data to run the service and to send notices to users.\n\nWe do not sell your personal information to third parties.\n\nSharing.\n\nWe share data with vendors who work for us.\n";
    let b = "Uses.\n\nWe use data to run the service and to send notices to users.\n\nSharing.\n\nWe share data with vendors who work for us.\n\nWe may share or sell your personal information to third parties for advertising purposes, as permitted by law.\n";
    let d = diff(a, b);
    assert_eq!(d.moves.len(), 1, "{:?}", d.ops);
    let inner = &d.moves[0].inner;
    let removed: Vec<&str> = inner
        .ops
        .iter()
        .filter(|o| o.kind == OpKind::Delete)
        .map(|o| inner.text(o).trim())
        .collect();
    assert_eq!(removed, ["do not"]);
}

#[test]
fn reordered_list_items_are_moves_even_inside_one_paragraph() {
    let a = "Highlights:\n\n- Net income rose to $240 million.\n- The board approved a dividend of $0.25 per share.\n- Headcount grew to 4,500 employees.\n- The company opened offices in Berlin and Madrid.\n\nEnd.\n";
    let b = "Highlights:\n\n- The board approved a dividend of $0.25 per share.\n- Net income fell to $190 million.\n- The company opened offices in Berlin, Madrid and Warsaw.\n- Headcount grew to 4,500 employees.\n\nEnd.\n";
    let d = diff(a, b);
    // The passage's ranges locate its inner texts in the two texts.
    for m in &d.moves {
        assert_eq!(&a[m.old.clone()], m.inner.old);
        assert_eq!(&b[m.new.clone()], m.inner.new);
    }
    let mut moved: Vec<(&str, &str)> = d.moves.iter().map(|m| (m.inner.old, m.inner.new)).collect();
    moved.sort();
    assert_eq!(
        moved,
        [
            (
                "- Net income rose to $240 million.",
                "- Net income fell to $190 million."
            ),
            (
                "- The company opened offices in Berlin and Madrid.",
                "- The company opened offices in Berlin, Madrid and Warsaw."
            ),
        ]
    );
}

#[test]
fn a_replacement_in_place_is_not_a_move() {
    let b = A.replace(
        "Bravo five six seven eight nine.",
        "Bravo five six seven eight ten.",
    );
    assert!(diff(A, &b).moves.is_empty());
    let c = A.replace(
        "Bravo five six seven eight nine.",
        "Something else entirely, nothing shared.",
    );
    assert!(diff(A, &c).moves.is_empty());
}

#[test]
fn a_passage_edited_in_place_across_an_underline_is_not_a_move() {
    // A heading split in two: only its underline lies between the old
    // and the new text, so nothing moved.
    let a = "Privacy PolicyLast Modified: March 3, 2024 and more words\n==========\n\nWe collect data.\n";
    let b = "Privacy Policy\n==========\n\nLast Modified: March 3, 2024 and more words\n\nWe collect data.\n";
    let d = diff(a, b);
    assert!(d.moves.is_empty(), "{:?}", d.moves);
    assert_eq!(d.rebuild(), (a.to_string(), b.to_string()));
}

#[test]
fn a_move_is_whole_sentences_never_words_from_the_sentence_around_it() {
    let a = "Alpha opens the text here. We will never sell your personal data to anyone. Beta follows on.\n\nGamma paragraph stays put.\n\nDelta paragraph stays too.\n";
    let b = "Alpha opens the text here and now. Beta follows on.\n\nGamma paragraph stays put.\n\nDelta paragraph stays too. We will never sell your personal data to anyone.\n";
    let d = diff(a, b);
    for m in &d.moves {
        for (text, r) in [(a, &m.old), (b, &m.new)] {
            assert!(
                crate::text::is_passage_start(text, r.start),
                "{:?}",
                &text[r.clone()]
            );
            assert!(
                crate::text::is_passage_end(text, r.end),
                "{:?}",
                &text[r.clone()]
            );
        }
    }
    assert_eq!(d.moves.len(), 1, "{}", super::super::tests::marked(&d));
    assert_eq!(
        d.moves[0].inner.old,
        "We will never sell your personal data to anyone."
    );
}

/// Terms repeated for two regions: the same pair of texts is diffed
/// once and its result reused, and each move still gets its own inner
/// diff, of its own passage.
#[test]
fn repeated_passages_each_get_their_move_and_inner_diff() {
    let (a, b) = ("Alpha one two three four.\n\n", "Alpha one two 3 four.\n\n");
    let rest = "Bravo five six seven eight nine.\n\nCharlie ten eleven twelve thirteen.\n\n";
    let a = format!("Region one.\n\n{a}{rest}Region two.\n\n{a}{rest}");
    let b = format!("Region one.\n\n{rest}{b}Region two.\n\n{rest}{b}");
    let d = diff(&a, &b);
    assert_eq!(d.moves.len(), 2, "{:?}", d.ops);
    for m in &d.moves {
        assert_eq!(d.text(&d.ops[m.from]), "Alpha one two three four.");
        assert_eq!(d.text(&d.ops[m.to]), "Alpha one two 3 four.");
        assert_eq!(m.inner.stats.words_added, 1);
        assert_eq!(m.inner.stats.words_removed, 1);
    }
    assert_ne!(d.moves[0].from, d.moves[1].from);
    assert_ne!(d.moves[0].to, d.moves[1].to);
}
