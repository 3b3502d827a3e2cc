//! Cleanup's rules, each on a small example.

use crate::diff::kinds::Kind;
use crate::diff::tests::marked;
use crate::diff::{diff, diff_with, OpKind, Options};

#[test]
fn a_rewritten_clause_is_one_replacement() {
    let old = "We will not sell your personal data at any time without consent.";
    let new = "We may share your personal data with partners at the time we choose.";
    let d = diff(old, new);
    assert_eq!(
        marked(&d),
        "We [-will not sell-]{+may share+} your personal data {+with partners+} at [-any time without consent-]{+the time we choose+}."
    );
    // --minimal keeps the comb.
    let m = diff_with(
        old,
        new,
        &Options {
            minimal: true,
            ..Options::default()
        },
    );
    assert!(
        marked(&m).contains("at [-any-]{+the+} time"),
        "{}",
        marked(&m)
    );
}

#[test]
fn an_attached_mark_between_two_insertions_is_folded() {
    let old = "\"We will review it,\" he said.";
    let new = "\"We will review it,\" he said, adding: \"We take it seriously.\"";
    assert_eq!(
        marked(&diff(old, new)),
        "\"We will review it,\" he said[-.-]{+, adding: \"We take it seriously.\"+}"
    );
    assert_eq!(
        marked(&diff(new, old)),
        "\"We will review it,\" he said[-, adding: \"We take it seriously.\"-]{+.+}"
    );
    // Not a mark with space after it: the new sentence is its own edit.
    assert_eq!(
        marked(&diff(
            "It rose. Then fell",
            "It rose sharply. Reports say Then fell"
        )),
        "It rose {+sharply+}. {+Reports say+} Then fell"
    );
}

#[test]
fn a_changed_figure_is_not_folded_with_words() {
    assert_eq!(
        marked(&diff(
            "Net income rose to $240 million.",
            "Net income fell to $190 million."
        )),
        "Net income [-rose-]{+fell+} to $[-240-]{+190+} million."
    );
}

#[test]
fn a_figure_with_its_unit_is_a_number_change() {
    let d = diff(
        "The plan would cost 2bn over five years.",
        "The plan would cost 3.5bn over seven years.",
    );
    assert_eq!(
        marked(&d),
        "The plan would cost [-2bn-]{+3.5bn+} over [-five-]{+seven+} years."
    );
    let kinds: Vec<_> = d.units.iter().map(|u| u.kind).collect();
    assert_eq!(kinds, [Kind::Number, Kind::Words]);
}

#[test]
fn a_word_or_two_between_rewrites_is_folded() {
    let d = diff(
        "They expressed strong opposition to any unilateral actions that seek to alter it.",
        "They strongly opposed any unilateral attempts to change it.",
    );
    assert_eq!(
        marked(&d),
        "They [-expressed strong opposition to any unilateral actions that seek to alter-]{+strongly opposed any unilateral attempts to change+} it."
    );
}

#[test]
fn a_short_word_between_one_word_replacements_is_folded() {
    // "the" is longer than "by" and "in": the rule in characters keeps
    // it, the rule in words folds it.
    let d = diff(
        "We aim to do it by the end of next year.",
        "We aim to do it in the course of next year.",
    );
    assert_eq!(
        marked(&d),
        "We aim to do it [-by the end-]{+in the course+} of next year."
    );
}

#[test]
fn words_next_to_a_pure_insertion_or_deletion_stay_unchanged() {
    let d = diff(
        "the nuclear plant said it was checking for any abnormalities.",
        "the nuclear plant, Tokyo Electric Power, said it had found no abnormalities.",
    );
    assert_eq!(
        marked(&d),
        "the nuclear plant{+, Tokyo Electric Power,+} said it [-was checking for any-]{+had found no+} abnormalities."
    );
    let d = diff(
        "the quake had a preliminary magnitude of 6.8 and",
        "the quake had a magnitude of 7.1, revised up from an initial 6.8, and",
    );
    assert_eq!(
        marked(&d),
        "the quake had a [-preliminary-] magnitude of {+7.1, revised up from an initial+} 6.8{+,+} and"
    );
}

#[test]
fn punctuation_between_replacements_is_measured_in_characters() {
    // The word rule is for words: `--` is longer than either digit.
    let d = diff("pages 3--4 here", "pages 5--6 here");
    assert_eq!(marked(&d), "pages [-3-]{+5+}--[-4-]{+6+} here");
}

#[test]
fn punctuation_between_two_changes_in_a_line_is_folded() {
    // A date changed in both parts, an address line rewritten and cut.
    assert_eq!(
        marked(&diff(
            "Last Revised: July 2, 2024\n",
            "Last Revised: January 21, 2025\n"
        )),
        "Last Revised: [-July 2, 2024-]{+January 21, 2025+}\n"
    );
    assert_eq!(
        marked(&diff(
            "Brave, Inc.\n512 Second Street, Floor 2\nSan Francisco",
            "Brave, Inc.\n580 Howard St. Unit 402,\nSan Francisco"
        )),
        "Brave, Inc.\n[-512 Second Street, Floor 2-]{+580 Howard St. Unit 402,+}\nSan Francisco"
    );
    // Not a table's cell border.
    assert_eq!(
        marked(&diff("| Greece | 00800 4920 |\n", "| Hellas | 21 1180 |\n")),
        "| [-Greece-]{+Hellas+} | [-00800 4920-]{+21 1180+} |\n"
    );
}

#[test]
fn edits_in_two_sentences_are_not_folded_together() {
    let d = diff("It was red. Then blue.", "It was green. Now blue.");
    assert_eq!(marked(&d), "It was [-red-]{+green+}. [-Then-]{+Now+} blue.");
}

#[test]
fn long_unchanged_runs_and_pure_insertions_are_kept() {
    let d = diff(
        "one two three four five six",
        "uno two three four five seis",
    );
    assert_eq!(
        marked(&d),
        "[-one-]{+uno+} two three four five [-six-]{+seis+}"
    );
    let d = diff("alpha beta gamma", "alpha X beta Y gamma");
    assert_eq!(marked(&d), "alpha {+X+} beta {+Y+} gamma");
}

#[test]
fn a_word_stranded_between_two_large_changes_is_folded() {
    let old = "Write to us at Example Corp, Legal Department, 100 Main Street, Springfield, about the Terms of Service and how we handle requests for information by post.";
    let new = "Send an email to our privacy team with your account name and a short description of the Service question and we will answer every request for information quickly.";
    let d = diff(old, new);
    let m = marked(&d);
    // No single word left standing between the two rewrites.
    let islands = d
        .ops
        .iter()
        .filter(|op| op.kind == OpKind::Equal)
        .filter(|op| {
            let words = crate::diff::tokenize::count_words(d.text(op));
            (1..=2).contains(&words)
        })
        .count();
    assert_eq!(islands, 0, "{m}");
    // Nor a full stop between two rewritten sentences.
    let old = "You can ask us to delete your account and all data linked to it at any time. We will answer within thirty days of receiving your request by post.";
    let new = "Customers may contact the support team through the help centre on the website. Each message is reviewed by staff based in the relevant region.";
    let m = marked(&diff(old, new));
    assert!(!m.contains(". [-") && !m.contains(". {+"), "{m}");
    // A kept line between two rewritten paragraphs stays.
    let old = "One two three four five six seven eight nine ten.\nNotice\nAlpha beta gamma delta epsilon zeta eta theta iota kappa.";
    let new = "Ten nine eight seven six five four three two one.\nNotice\nKappa iota theta eta zeta epsilon delta gamma beta alpha.";
    assert!(marked(&diff(old, new)).contains("\nNotice\n"));
}

/// A change's size counts what `wc -w` counts: `, we collect ... For
/// example:` is eight pieces, so `Service` between it and the rewrite
/// before is a stranded island (pair 041, a heading split from its
/// paragraph).
#[test]
fn a_change_is_measured_in_whitespace_separated_pieces() {
    let old = "Information GitHub automatically collects from your use of the Service\n\nOther text stays here as it was.";
    let new = "Information GitHub automatically collects.\n\nWhen you visit or use our Service, we collect some information automatically. For example:\n\nOther text stays here as it was.";
    let m = marked(&diff(old, new));
    assert!(m.contains("[-from your use of the Service-]"), "{m}");
}

/// The full stop of a sentence rewritten on both sides belongs to the
/// rewrite, unless a small edit opens the next paragraph: folding it there
/// would join two paragraphs' edits into one.
#[test]
fn a_rewritten_sentence_keeps_its_full_stop() {
    let old = "Intro stays the same here. Our refund policy covers every order placed by customers in the first month.";
    let new = "Intro stays the same here. Cancellation rules now apply to all subscriptions renewed after the trial ends.";
    let m = marked(&diff(old, new));
    assert!(m.ends_with("first month.-]{+Cancellation rules now apply to all subscriptions renewed after the trial ends.+}"), "{m}");
    let old = format!("{old}\n\n19.2 Overview of the dispute process follows here.");
    let new = format!("{new}\n\n24.2 Overview of the dispute process follows here.");
    let m = marked(&diff(&old, &new));
    assert!(
        m.contains("trial ends+}.\n\n[-19.2-]{+24.2+} Overview"),
        "{m}"
    );
}
