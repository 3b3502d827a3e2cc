//! diff: the reconstruction property. Equal+Delete pieces give back the old
//! text byte for byte, Equal+Insert the new; equal pieces are equal; the word
//! stats add up to the word counts of both texts; a text against itself has
//! no changes; every output format and layout renders without a panic.
//!
//! Input layout: first byte selects the mode, the rest splits at the first
//! 0xFF byte into A and B (each read as lossy UTF-8 where it is text).
//! - even first byte: old = A, new = B (two independent texts);
//! - odd first byte: old = A, new = old with the edit script B applied, so
//!   that most inputs are near-identical texts with a few small edits;
//! - bit 1 of the first byte swaps old and new.

#![no_main]

use libfuzzer_sys::fuzz_target;
use redliner::diff::tokenize::count_words;
use redliner::diff::{diff, OpKind};

/// Pieces an edit can insert: whitespace of every kind, punctuation, words,
/// scripts without spaces, and invisible or combining characters.
const PIECES: &[&str] = &[
    " ",
    "\n",
    "\r\n",
    "\t",
    "\n\n",
    "  ",
    "\u{a0}",
    "\u{3000}",
    ".",
    ",",
    ". ",
    "? ",
    "!",
    ";",
    "\"",
    "'",
    "\u{2019}",
    "\u{201c}",
    "\u{2014}",
    "-",
    "(",
    ")",
    "the",
    "not",
    "strongly",
    "Department",
    "U.S.",
    "3.5",
    "2023",
    "a",
    "I",
    "\u{65e5}\u{672c}",
    "\u{5f37}\u{304f}",
    "\u{ad6d}\u{bc29}\u{bd80}",
    "\u{627}\u{644}\u{648}\u{632}\u{64a}\u{631}",
    "e\u{301}",
    "\u{1f44d}\u{1f3fd}",
    "\u{200b}",
    "\u{202e}",
    "\u{feff}",
    "\u{1b}[31m",
    "\r",
    "\u{85}",
    "\u{2028}",
    "Mr. ",
    "... ",
    "\n- ",
    "1.",
    "x",
];

fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Applies up to 32 four-byte edits `[op, pos_hi, pos_lo, arg]` to `text`.
fn apply_edits(text: &mut String, script: &[u8]) {
    for e in script.chunks_exact(4).take(32) {
        let (op, pos, arg) = (e[0], u16::from_be_bytes([e[1], e[2]]) as usize, e[3]);
        let at = floor(text, pos % (text.len() + 1));
        match op % 5 {
            // Delete up to 255 bytes.
            0 => {
                let end = floor(text, at + arg as usize);
                text.replace_range(at..end, "");
            }
            // Insert a piece.
            1 => text.insert_str(at, PIECES[arg as usize % PIECES.len()]),
            // Replace up to 15 bytes with a piece.
            2 => {
                let end = floor(text, at + (arg & 15) as usize);
                text.replace_range(at..end, PIECES[(arg >> 4) as usize % PIECES.len()]);
            }
            // Move a span of up to 255 bytes elsewhere.
            3 => {
                let end = floor(text, at + arg as usize);
                let span = text[at..end].to_string();
                text.replace_range(at..end, "");
                let to = floor(text, (op as usize >> 3) * (text.len() + 1) / 32);
                text.insert_str(to, &span);
            }
            // Copy a span of up to 255 bytes elsewhere.
            _ => {
                let end = floor(text, at + arg as usize);
                let span = text[at..end].to_string();
                let to = floor(text, (op as usize >> 3) * (text.len() + 1) / 32);
                text.insert_str(to, &span);
            }
        }
    }
}

fn check(old: &str, new: &str) {
    let d = diff(old, new);
    let (mut o, mut n) = (0usize, 0usize);
    for op in &d.ops {
        assert_eq!(
            op.old.start, o,
            "op {op:?} does not start where the last ended (old {o})"
        );
        assert_eq!(
            op.new.start, n,
            "op {op:?} does not start where the last ended (new {n})"
        );
        assert!(
            op.old.end <= old.len() && op.new.end <= new.len(),
            "op {op:?} past the end"
        );
        match op.kind {
            OpKind::Equal => assert_eq!(
                &old[op.old.clone()],
                &new[op.new.clone()],
                "unequal Equal op {op:?}"
            ),
            OpKind::Delete => assert!(op.new.is_empty(), "Delete op with new range {op:?}"),
            OpKind::Insert => assert!(op.old.is_empty(), "Insert op with old range {op:?}"),
        }
        o = op.old.end;
        n = op.new.end;
    }
    let (got_old, got_new) = d.rebuild();
    assert_eq!(
        got_old, old,
        "Equal+Delete pieces do not give back the old text"
    );
    assert_eq!(
        got_new, new,
        "Equal+Insert pieces do not give back the new text"
    );
    assert_eq!(d.has_changes(), old != new, "has_changes() wrong");
    let s = d.stats;
    assert_eq!(
        s.words_removed + s.words_unchanged.unwrap_or(0),
        count_words(old),
        "old word count: {s:?}"
    );
    assert_eq!(
        s.words_added + s.words_unchanged.unwrap_or(0),
        count_words(new),
        "new word count: {s:?}"
    );
    render_every_way(&d);
}

/// Every format and layout renders without a panic, to valid UTF-8, with no
/// raw escape byte outside the colour format.
fn render_every_way(d: &redliner::diff::Diff) {
    use redliner::render::{render_diff, Context, DiffOptions, Format, RevRef};
    let layouts = [
        (Format::Plain, Context::All, false, true, true),
        (Format::Plain, Context::Paragraphs(0), false, true, true),
        (Format::Plain, Context::Paragraphs(1), false, true, true),
        (Format::Plain, Context::Paragraphs(2), true, true, true),
        (Format::Plain, Context::Paragraphs(0), false, false, true),
        (Format::Plain, Context::Paragraphs(0), false, true, false),
        (Format::Color, Context::Paragraphs(1), false, true, true),
        (Format::Json, Context::All, false, true, true),
    ];
    for (format, context, changes_only, show_deleted, show_inserted) in layouts {
        let opts = DiffOptions {
            context,
            changes_only,
            filter: redliner::diff::Filter {
                no_deleted: !show_deleted,
                no_inserted: !show_inserted,
                ..Default::default()
            },
            ..DiffOptions::new(format, jiff::tz::TimeZone::UTC)
        };
        let mut out = Vec::new();
        render_diff(&mut out, d, &RevRef::default(), &RevRef::default(), &opts)
            .expect("render to memory");
        let text = std::str::from_utf8(&out).expect("output is UTF-8");
        if format != Format::Color {
            assert!(!text.contains('\u{1b}'), "raw escape in {format:?} output");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        check("", "");
        return;
    };
    let (a, b) = match rest.iter().position(|&x| x == 0xff) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let old = String::from_utf8_lossy(a).into_owned();
    let new = if mode % 2 == 0 {
        String::from_utf8_lossy(b).into_owned()
    } else {
        let mut t = old.clone();
        apply_edits(&mut t, b);
        t
    };
    if mode & 2 == 0 {
        check(&old, &new);
    } else {
        check(&new, &old);
    }
    let same = diff(&old, &old);
    assert!(
        !same.has_changes(),
        "diff(a, a) has changes: {:?}",
        same.ops
    );
    assert_eq!(same.stats.words_added + same.stats.words_removed, 0);
});
