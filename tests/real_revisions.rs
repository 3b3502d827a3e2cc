//! The real revision pairs of tests/real-revisions (issue 12) through the
//! real binary: `redliner diff --files old.md new.md --format json` on every
//! pair.
//!
//! Asserted per pair: the ops rebuild both texts byte for byte, and every
//! move's inner ops rebuild its passage at both places.
//!
//! Measured, with a ratchet on the totals (no more than today's count):
//! moves cut mid-sentence, moves that cross no unchanged text, figures cut
//! at separators. The definitions are those of `scripts/redline_quality.py`
//! (its docstring, "Real revisions"); the two implementations must agree.
//! One more, of this test only: moves missed, a paragraph of at least
//! `MISSED_MOVE_WORDS` words deleted at one place and inserted at another
//! (outside any move) with the same text, but for a final full stop: a
//! moved passage shown as a deletion and an insertion.
//! `cargo test --test real_revisions -- --nocapture` prints the counts.

mod common;
use common::Env;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

// The most allowed over the corpus (43 pairs): issue 12's goal, 0 for
// each, is met (it was 43 moves cut mid-sentence and 5 figures cut before
// whole-passage moves and figure tokens). Never raise these.
/// Moves whose old or new passage is not a whole passage.
const MOVES_CUT_TODAY: usize = 0;
/// Moves with no unchanged text between their old and new place.
const MOVES_CROSSING_NOTHING_TODAY: usize = 0;
/// Figures (dates, decimals, versions ...) cut at a separator, old + new.
const FIGURES_CUT_TODAY: usize = 0;
/// Paragraphs deleted and inserted verbatim outside a move (4 in pair 029
/// before a rewritten sentence's full stop was folded into it).
const MOVES_MISSED_TODAY: usize = 0;
/// Fewest words of a paragraph counted as a missed move.
const MISSED_MOVE_WORDS: usize = 8;

/// The corpus has 43 pairs; more may be added, none may go missing.
const MIN_PAIRS: usize = 43;

// ------------------------------------------------------------------- ops

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Equal,
    Delete,
    Insert,
}

#[derive(Clone, Debug)]
struct Op {
    kind: Kind,
    text: String,
    move_id: Option<u64>,
}

#[derive(Debug)]
struct Doc {
    ops: Vec<Op>,
    /// (move id, inner ops) from the top-level `moves` list.
    moves: Vec<(u64, Vec<Op>)>,
}

fn parse_ops(v: &serde_json::Value) -> Result<Vec<Op>, String> {
    let list = v.as_array().ok_or("ops is not a list")?;
    list.iter()
        .map(|op| {
            let kind = match op["op"].as_str() {
                Some("equal") => Kind::Equal,
                Some("delete") => Kind::Delete,
                Some("insert") => Kind::Insert,
                other => return Err(format!("unknown op {other:?}")),
            };
            let text = op["text"].as_str().ok_or("op without text")?.to_string();
            Ok(Op {
                kind,
                text,
                move_id: op.get("move").and_then(|m| m.as_u64()),
            })
        })
        .collect()
}

fn parse_doc(json: &[u8]) -> Result<Doc, String> {
    let v: serde_json::Value = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    let ops = parse_ops(&v["ops"])?;
    let mut moves = Vec::new();
    if let Some(list) = v["moves"].as_array() {
        for m in list {
            let id = m["id"].as_u64().ok_or("move without id")?;
            moves.push((id, parse_ops(&m["ops"])?));
        }
    }
    Ok(Doc { ops, moves })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

impl Side {
    fn has(self, kind: Kind) -> bool {
        match self {
            Side::Old => kind != Kind::Insert,
            Side::New => kind != Kind::Delete,
        }
    }
    /// The change op of this side: delete in old, insert in new.
    fn change(self) -> Kind {
        match self {
            Side::Old => Kind::Delete,
            Side::New => Kind::Insert,
        }
    }
}

fn rebuild(ops: &[Op], side: Side) -> String {
    ops.iter()
        .filter(|op| side.has(op.kind))
        .map(|op| op.text.as_str())
        .collect()
}

/// (op index, start, end): byte span of every op of one side in that text.
fn side_spans(ops: &[Op], side: Side) -> Vec<(usize, usize, usize)> {
    let mut pos = 0;
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        if side.has(op.kind) {
            out.push((i, pos, pos + op.text.len()));
            pos += op.text.len();
        }
    }
    out
}

// -------------------------------------------------------- reconstruction

/// The ops rebuild both texts, and each move's inner ops rebuild the text of
/// the delete op and of the insert op that carry its id.
fn reconstruction(doc: &Doc, old: &[u8], new: &[u8]) -> Result<(), String> {
    if rebuild(&doc.ops, Side::Old).as_bytes() != old {
        return Err("the equal and delete ops do not rebuild old.md".into());
    }
    if rebuild(&doc.ops, Side::New).as_bytes() != new {
        return Err("the equal and insert ops do not rebuild new.md".into());
    }
    for (id, inner) in &doc.moves {
        for (side, kind) in [(Side::Old, Kind::Delete), (Side::New, Kind::Insert)] {
            let outer: Vec<&str> = doc
                .ops
                .iter()
                .filter(|op| op.move_id == Some(*id) && op.kind == kind)
                .map(|op| op.text.as_str())
                .collect();
            if outer != [rebuild(inner, side).as_str()] {
                return Err(format!(
                    "move {id}: inner ops do not rebuild its {kind:?} op"
                ));
            }
        }
    }
    Ok(())
}

// ------------------------------------------------- moves cut mid-sentence

const SENTENCE_END: &[char] = &['.', '!', '?', '…', ':'];
const OPENERS: &[char] = &['*', '_', '"', '\'', '(', '[', '“', '‘'];
const CLOSERS: &[char] = &['*', '_', '"', '\'', ')', ']', '}', '”', '’'];

/// A Markdown block marker: 1-6 `#`, `>`, `*`, `+`, `-`, or 1-9 digits
/// followed by `.`, `\.` or `)`.
fn is_marker(token: &str) -> bool {
    if matches!(token, ">" | "*" | "+" | "-") {
        return true;
    }
    if (1..=6).contains(&token.len()) && token.bytes().all(|b| b == b'#') {
        return true;
    }
    ["\\.", ".", ")"].iter().any(|suffix| {
        token.strip_suffix(suffix).is_some_and(|digits| {
            (1..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        })
    })
}

/// Whether a passage whose first non-whitespace character is at byte `s`
/// starts at a passage start: line start (after whitespace or Markdown block
/// markers), after a sentence end and whitespace, or after a cell border.
fn passage_start_ok(text: &str, s: usize) -> bool {
    let before = text[..s].trim_end_matches(OPENERS);
    let line = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix = &before[line..];
    if prefix.chars().all(char::is_whitespace) {
        return true;
    }
    if prefix.ends_with(char::is_whitespace)
        && prefix
            .split(char::is_whitespace)
            .filter(|t| !t.is_empty())
            .all(is_marker)
    {
        return true;
    }
    let trimmed = before.trim_end_matches(char::is_whitespace);
    if trimmed.len() < before.len() && trimmed.trim_end_matches(CLOSERS).ends_with(SENTENCE_END) {
        return true;
    }
    before
        .trim_end_matches(|c: char| c.is_whitespace() && c != '\n')
        .ends_with('|')
}

/// Whether a passage spanning bytes `[s, e)` (no whitespace at either end)
/// ends at a passage end: line end, a sentence end of its own followed by
/// whitespace or the end of text, or a cell border.
fn passage_end_ok(text: &str, s: usize, e: usize) -> bool {
    let after = text[e..].trim_start_matches(CLOSERS);
    let e = text.len() - after.len();
    let line = &after[..after.find('\n').unwrap_or(after.len())];
    if line.chars().all(char::is_whitespace) {
        return true;
    }
    if (after.is_empty() || after.starts_with(char::is_whitespace))
        && text[s..e].trim_end_matches(CLOSERS).ends_with(SENTENCE_END)
    {
        return true;
    }
    after
        .trim_start_matches(|c: char| c.is_whitespace() && c != '\n')
        .starts_with('|')
}

/// Whether `text[start..end]` is not a whole passage (leading and trailing
/// whitespace left out; a whitespace-only passage is never cut).
fn passage_cut(text: &str, start: usize, end: usize) -> bool {
    let p = &text[start..end];
    let s = start + (p.len() - p.trim_start().len());
    let e = end - (p.len() - p.trim_end().len());
    if s >= e {
        return false;
    }
    !(passage_start_ok(text, s) && passage_end_ok(text, s, e))
}

#[derive(Default, Debug, PartialEq, Eq)]
struct MoveCounts {
    moves: usize,
    cut: usize,
    crossing_nothing: usize,
}

/// Moves on the top-level ops: how many, how many are cut mid-sentence (at
/// either place), how many cross no unchanged text (no equal op holding a
/// non-whitespace character between the delete op and the insert op).
fn move_checks(ops: &[Op], old: &str, new: &str) -> MoveCounts {
    let old_at: BTreeMap<usize, (usize, usize)> = side_spans(ops, Side::Old)
        .into_iter()
        .map(|(i, a, b)| (i, (a, b)))
        .collect();
    let new_at: BTreeMap<usize, (usize, usize)> = side_spans(ops, Side::New)
        .into_iter()
        .map(|(i, a, b)| (i, (a, b)))
        .collect();
    let mut places: BTreeMap<u64, (Option<usize>, Option<usize>)> = BTreeMap::new();
    for (i, op) in ops.iter().enumerate() {
        if let Some(id) = op.move_id {
            let entry = places.entry(id).or_default();
            match op.kind {
                Kind::Delete => entry.0 = Some(i),
                Kind::Insert => entry.1 = Some(i),
                Kind::Equal => {}
            }
        }
    }
    let mut counts = MoveCounts::default();
    for (del, ins) in places.values() {
        counts.moves += 1;
        let old_cut = del.is_some_and(|i| {
            let (a, b) = old_at[&i];
            passage_cut(old, a, b)
        });
        let new_cut = ins.is_some_and(|i| {
            let (a, b) = new_at[&i];
            passage_cut(new, a, b)
        });
        counts.cut += usize::from(old_cut || new_cut);
        if let (Some(d), Some(n)) = (del, ins) {
            let (a, b) = (*d.min(n), *d.max(n));
            let crosses = ops[a + 1..b]
                .iter()
                .any(|op| op.kind == Kind::Equal && op.text.chars().any(|c| !c.is_whitespace()));
            counts.crossing_nothing += usize::from(!crosses);
        }
    }
    counts
}

// ------------------------------------------------ figures cut at separators

fn is_separator(b: u8) -> bool {
    matches!(b, b'-' | b'/' | b'.' | b',' | b':')
}

/// Byte spans of the figures of `text`: maximal matches of
/// `[0-9]+([-/.,:][0-9]+)+`, found left to right.
fn figures(text: &[u8]) -> Vec<(usize, usize)> {
    let digits_end = |mut i: usize| {
        while i < text.len() && text[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if !text[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = digits_end(i);
        let mut parts = 1;
        while j + 1 < text.len() && is_separator(text[j]) && text[j + 1].is_ascii_digit() {
            j = digits_end(j + 1);
            parts += 1;
        }
        if parts > 1 {
            out.push((start, j));
        }
        i = j;
    }
    out
}

/// Start and end offsets of the change ops of one side (delete ops in old,
/// insert ops in new).
fn cut_points(ops: &[Op], side: Side) -> Vec<usize> {
    let mut points: Vec<usize> = side_spans(ops, side)
        .into_iter()
        .filter(|&(i, _, _)| ops[i].kind == side.change())
        .flat_map(|(_, a, b)| [a, b])
        .collect();
    points.sort_unstable();
    points.dedup();
    points
}

/// Figures of `text` that some point cuts between a digit and a separator.
fn figures_cut_in(text: &str, points: &[usize]) -> usize {
    let t = text.as_bytes();
    figures(t)
        .into_iter()
        .filter(|&(a, b)| {
            points.iter().any(|&p| {
                a < p
                    && p < b
                    && ((t[p - 1].is_ascii_digit() && is_separator(t[p]))
                        || (is_separator(t[p - 1]) && t[p].is_ascii_digit()))
            })
        })
        .count()
}

/// Cut figures in old plus new: at the top-level change ops, and inside
/// each moved passage at its inner change ops.
fn figures_cut(doc: &Doc) -> usize {
    let mut n = 0;
    let mut count = |ops: &[Op]| {
        for side in [Side::Old, Side::New] {
            n += figures_cut_in(&rebuild(ops, side), &cut_points(ops, side));
        }
    };
    count(&doc.ops);
    for (_, inner) in &doc.moves {
        count(inner);
    }
    n
}

// ------------------------------------------------------------ the corpus

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real-revisions");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/real-revisions")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.join("old.md").is_file() && p.join("new.md").is_file())
        .collect();
    dirs.sort();
    dirs
}

struct PairResult {
    name: String,
    reconstruction: Result<(), String>,
    moves: MoveCounts,
    figures_cut: usize,
    moves_missed: usize,
}

fn measure(dir: &Path) -> PairResult {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let old = std::fs::read(dir.join("old.md")).expect("old.md");
    let new = std::fs::read(dir.join("new.md")).expect("new.md");
    let env = Env::new();
    let (o, n) = (dir.join("old.md"), dir.join("new.md"));
    let r = env.run(&[
        "diff",
        "--files",
        o.to_str().expect("UTF-8 path"),
        n.to_str().expect("UTF-8 path"),
        "--format",
        "json",
    ]);
    assert!(
        r.code == 0 || r.code == 1,
        "{name}: redliner exited {}: {}",
        r.code,
        r.stderr
    );
    let doc = parse_doc(&r.stdout).unwrap_or_else(|e| panic!("{name}: bad JSON: {e}"));
    let old_s = String::from_utf8(old.clone()).expect("old.md is UTF-8");
    let new_s = String::from_utf8(new.clone()).expect("new.md is UTF-8");
    PairResult {
        reconstruction: reconstruction(&doc, &old, &new),
        moves: move_checks(&doc.ops, &old_s, &new_s),
        figures_cut: figures_cut(&doc),
        moves_missed: moves_missed(&doc.ops),
        name,
    }
}

/// Every pair measured once (two threads), shared by the tests below.
fn results() -> &'static [PairResult] {
    static RESULTS: OnceLock<Vec<PairResult>> = OnceLock::new();
    RESULTS.get_or_init(|| {
        let dirs = corpus();
        assert!(
            dirs.len() >= MIN_PAIRS,
            "tests/real-revisions holds {} pairs, expected at least {MIN_PAIRS}",
            dirs.len()
        );
        let (even, odd): (Vec<_>, Vec<_>) = dirs.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let run = |part: Vec<(usize, &PathBuf)>| -> Vec<(usize, PairResult)> {
            part.into_iter().map(|(i, d)| (i, measure(d))).collect()
        };
        let mut all = std::thread::scope(|s| {
            let h = s.spawn(|| run(odd));
            let mut a = run(even);
            a.extend(h.join().expect("measuring thread"));
            a
        });
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, r)| r).collect()
    })
}

#[test]
fn every_pair_reconstructs_byte_for_byte() {
    let failures: Vec<String> = results()
        .iter()
        .filter_map(|r| {
            r.reconstruction
                .as_ref()
                .err()
                .map(|e| format!("{}: {e}", r.name))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn quality_counts_do_not_grow() {
    let mut total = MoveCounts::default();
    let (mut figures, mut missed) = (0, 0);
    println!(
        "{:<50} {:>5} {:>9} {:>16} {:>11} {:>6}",
        "pair", "moves", "cut moves", "crossing nothing", "figures cut", "missed"
    );
    for r in results() {
        println!(
            "{:<50} {:>5} {:>9} {:>16} {:>11} {:>6}",
            r.name,
            r.moves.moves,
            r.moves.cut,
            r.moves.crossing_nothing,
            r.figures_cut,
            r.moves_missed
        );
        total.moves += r.moves.moves;
        total.cut += r.moves.cut;
        total.crossing_nothing += r.moves.crossing_nothing;
        figures += r.figures_cut;
        missed += r.moves_missed;
    }
    println!(
        "total over {} pairs: {} moves, {} cut mid-sentence (ratchet {MOVES_CUT_TODAY}), \
         {} crossing no unchanged text (ratchet {MOVES_CROSSING_NOTHING_TODAY}), \
         {} figures cut (ratchet {FIGURES_CUT_TODAY}), \
         {} moves missed (ratchet {MOVES_MISSED_TODAY}); the goal is 0 for each",
        results().len(),
        total.moves,
        total.cut,
        total.crossing_nothing,
        figures,
        missed
    );
    let mut grew = Vec::new();
    for (what, now, today) in [
        ("moves cut mid-sentence", total.cut, MOVES_CUT_TODAY),
        (
            "moves crossing no unchanged text",
            total.crossing_nothing,
            MOVES_CROSSING_NOTHING_TODAY,
        ),
        ("figures cut at separators", figures, FIGURES_CUT_TODAY),
        ("moves missed", missed, MOVES_MISSED_TODAY),
    ] {
        if now > today {
            grew.push(format!("{what} went up: {now} > {today}"));
        }
    }
    assert!(grew.is_empty(), "{}", grew.join("\n"));
}

/// The paragraphs (text between blank lines, trimmed, without a final
/// full stop) of `MISSED_MOVE_WORDS` words or more that are deleted outside
/// a move and also inserted outside a move: moves that were not found.
fn moves_missed(ops: &[Op]) -> usize {
    let paragraphs = |kind: Kind| {
        ops.iter()
            .filter(move |op| op.kind == kind && op.move_id.is_none())
            .flat_map(|op| op.text.split("\n\n"))
            .map(|p| p.trim().trim_end_matches('.').trim_end())
            .filter(|p| p.split_whitespace().count() >= MISSED_MOVE_WORDS)
    };
    let inserted: std::collections::HashSet<&str> = paragraphs(Kind::Insert).collect();
    paragraphs(Kind::Delete)
        .filter(|p| inserted.contains(p))
        .count()
}

// ---------------------------------------------- the checks on tiny cases

/// A doc from ops written as (op, text, move id) and moves as (id, inner).
fn doc(ops: &[(&str, &str, Option<u64>)], moves: &[(u64, &[(&str, &str)])]) -> Doc {
    let op = |k: &str, t: &str, m: Option<u64>| {
        let mut v = serde_json::json!({"op": k, "text": t});
        if let Some(m) = m {
            v["move"] = m.into();
        }
        v
    };
    let json = serde_json::json!({
        "ops": ops.iter().map(|&(k, t, m)| op(k, t, m)).collect::<Vec<_>>(),
        "moves": moves.iter().map(|&(id, inner)| serde_json::json!({
            "id": id,
            "ops": inner.iter().map(|&(k, t)| op(k, t, None)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    parse_doc(json.to_string().as_bytes()).expect("test doc")
}

fn texts(d: &Doc) -> (String, String) {
    (rebuild(&d.ops, Side::Old), rebuild(&d.ops, Side::New))
}

#[test]
fn reconstruction_checks_both_texts_and_the_moves() {
    let d = doc(
        &[
            ("equal", "A ", None),
            ("delete", "b", None),
            ("insert", "c", None),
        ],
        &[],
    );
    assert_eq!(reconstruction(&d, b"A b", b"A c"), Ok(()));
    assert!(reconstruction(&d, b"A b\n", b"A c").is_err());
    assert!(reconstruction(&d, b"A b", b"A b").is_err());
    let moved = |inner_new: &'static str| {
        doc(
            &[
                ("delete", "One two.", Some(1)),
                ("equal", "\n\nStays.\n\n", None),
                ("insert", "One three.", Some(1)),
            ],
            &[(
                1,
                &[("equal", "One "), ("delete", "two."), ("insert", inner_new)],
            )],
        )
    };
    let (o, n) = texts(&moved("three."));
    assert_eq!(
        reconstruction(&moved("three."), o.as_bytes(), n.as_bytes()),
        Ok(())
    );
    assert!(reconstruction(&moved("four."), o.as_bytes(), n.as_bytes()).is_err());
}

#[test]
fn markers_are_markdown_block_markers() {
    for m in [
        "#",
        "######",
        ">",
        "*",
        "+",
        "-",
        "1.",
        "12\\.",
        "3)",
        "123456789.",
    ] {
        assert!(is_marker(m), "{m}");
    }
    for m in ["#######", "**", "1", "a.", "1234567890.", "1.2", "\\."] {
        assert!(!is_marker(m), "{m}");
    }
}

/// Counts of a document where `passage` moved from the start of the old
/// text (as its own paragraph) to the end of the new one.
fn moved_passage(before_old: &str, passage: &str, after_old: &str) -> MoveCounts {
    let d = doc(
        &[
            ("equal", before_old, None),
            ("delete", passage, Some(1)),
            ("equal", after_old, None),
            ("equal", "\n\nUnchanged paragraph.\n\n", None),
            ("insert", passage, Some(1)),
        ],
        &[(1, &[("equal", passage)])],
    );
    let (o, n) = texts(&d);
    move_checks(&d.ops, &o, &n)
}

#[test]
fn a_whole_sentence_or_line_is_not_cut() {
    for (before, passage, after) in [
        ("", "Whole paragraph moved.", ""),
        ("First sentence. ", "Second sentence!", " Third."),
        ("Intro:\n", "*   a list item", "\n*   next item"),
        ("Intro:\n\n", "### 4\\. Heading", "\n\n"),
        ("| a | ", "cell text", " | c |"),
        ("Said: ", "**Bold sentence.**", " Next."),
        ("Asked? ", "(A parenthesis.)", " Then"),
        ("1\\. ", "Numbered item text", "\n"),
    ] {
        let c = moved_passage(before, passage, after);
        assert_eq!(
            (c.moves, c.cut),
            (1, 0),
            "{before:?} [{passage:?}] {after:?}"
        );
    }
}

#[test]
fn a_passage_that_starts_or_ends_inside_a_sentence_is_cut() {
    for (before, passage, after) in [
        ("We may use ", "your data for these purposes.", ""),
        ("", "If we materially change", " the Terms, we tell you."),
        ("", "Required by applicable law", "."),
        ("See section 4.", "1 for details.", ""),
        ("Words (", "in brackets)", " go on."),
        ("**Note**", "text", "\n"),
    ] {
        let c = moved_passage(before, passage, after);
        assert_eq!(
            (c.moves, c.cut),
            (1, 1),
            "{before:?} [{passage:?}] {after:?}"
        );
    }
}

#[test]
fn a_move_crosses_unchanged_text_only_when_words_lie_between() {
    let crossing = moved_passage("", "Moved paragraph.", "");
    assert_eq!(crossing.crossing_nothing, 0);
    // A heading split in two, shown as a move across a line break only.
    let d = doc(
        &[
            ("equal", "Privacy Policy", None),
            ("delete", "Last Modified: May 1.", Some(1)),
            ("equal", "\n", None),
            ("insert", "\n\n", None),
            ("insert", "Last Modified: May 1.", Some(1)),
        ],
        &[(1, &[("equal", "Last Modified: May 1.")])],
    );
    let (o, n) = texts(&d);
    let c = move_checks(&d.ops, &o, &n);
    assert_eq!((c.moves, c.crossing_nothing), (1, 1));
    // Insert first, delete later: the order in the ops does not matter.
    let d = doc(
        &[
            ("insert", "Top.", Some(2)),
            ("insert", "\n\n", None),
            ("equal", "Middle.\n\n", None),
            ("delete", "Top.", Some(2)),
        ],
        &[(2, &[("equal", "Top.")])],
    );
    let (o, n) = texts(&d);
    assert_eq!(move_checks(&d.ops, &o, &n).crossing_nothing, 0);
}

#[test]
fn figures_are_found_like_the_script_finds_them() {
    fn f(t: &str) -> Vec<&str> {
        figures(t.as_bytes())
            .into_iter()
            .map(|(a, b)| &t[a..b])
            .collect()
    }
    assert_eq!(
        f("On 2023-06-01, 06/01/2023 at 12:30 pay 1,234.56 for v2.3.1."),
        ["2023-06-01", "06/01/2023", "12:30", "1,234.56", "2.3.1"]
    );
    assert_eq!(f("Street 78- 84, 200 items, 1.-2. 4."), Vec::<&str>::new());
    assert_eq!(f("a1-2-b 3-4"), ["1-2", "3-4"]);
}

#[test]
fn a_figure_cut_at_a_separator_counts_once_per_text() {
    // [-2023-]{+2024+}-[-06-]{+02+}-[-01-]{+20+}
    let d = doc(
        &[
            ("equal", "On ", None),
            ("delete", "2023", None),
            ("insert", "2024", None),
            ("equal", "-", None),
            ("delete", "06", None),
            ("insert", "02", None),
            ("equal", "-", None),
            ("delete", "01", None),
            ("insert", "20", None),
            ("equal", ".", None),
        ],
        &[],
    );
    assert_eq!(figures_cut(&d), 2);
    // The whole figure replaced: nothing is cut.
    let d = doc(
        &[
            ("equal", "On ", None),
            ("delete", "2023-06-01", None),
            ("insert", "2024-02-20", None),
            ("equal", ".", None),
        ],
        &[],
    );
    assert_eq!(figures_cut(&d), 0);
    // Cut between two digits: not a separator cut.
    let d = doc(
        &[
            ("equal", "v1.2", None),
            ("delete", "3", None),
            ("insert", "4", None),
        ],
        &[],
    );
    assert_eq!(figures_cut(&d), 0);
    // An insertion that extends a figure cuts it in the new text only.
    let d = doc(
        &[
            ("equal", "Total 1", None),
            ("insert", ",000", None),
            ("equal", " units", None),
        ],
        &[],
    );
    assert_eq!(figures_cut(&d), 1);
    // Inside a moved passage, at its inner ops.
    let d = doc(
        &[
            ("delete", "Version 2.3.1 here.", Some(1)),
            ("equal", "\n\nMiddle.\n\n", None),
            ("insert", "Version 2.4.1 here.", Some(1)),
        ],
        &[(
            1,
            &[
                ("equal", "Version 2."),
                ("delete", "3"),
                ("insert", "4"),
                ("equal", ".1 here."),
            ],
        )],
    );
    assert_eq!(figures_cut(&d), 2);
}

#[test]
fn a_paragraph_deleted_and_inserted_verbatim_is_a_missed_move() {
    let p = "Although it is not part of these Terms, please read our Privacy Policy";
    let missed = |ops: &[(&str, &str, Option<u64>)]| moves_missed(&doc(ops, &[]).ops);
    // Deleted at one place, inserted at another, but for the full stop.
    assert_eq!(
        missed(&[
            ("insert", &format!("\n\n{p}.\n\n"), None),
            ("equal", "Kept text in between.", None),
            ("delete", &format!("{p}\n\n"), None),
        ]),
        1
    );
    // Reported as a move: nothing missed.
    assert_eq!(
        missed(&[
            ("insert", p, Some(1)),
            ("equal", "Kept text in between.", None),
            ("delete", p, Some(1)),
        ]),
        0
    );
    // Short paragraphs (a heading) and other words do not count.
    assert_eq!(
        missed(&[
            (
                "insert",
                "Your content\n\nA new paragraph with other words in it now.",
                None
            ),
            ("equal", "Kept.", None),
            (
                "delete",
                "Your content\n\nAn old paragraph with its own words in it then.",
                None
            ),
        ]),
        0
    );
}
