//! render::escape::visible never lets a terminal-affecting character through.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redliner::render::escape::{for_each_run, is_hidden, visible};

fn forbidden(c: char, next: Option<char>) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n' && c != '\t' && !(c == '\r' && next == Some('\n')))
        || (0x7f..=0x9f).contains(&u) // DEL and C1
        || (0x200b..=0x200f).contains(&u) // zero-width, LRM, RLM
        || (0x202a..=0x202e).contains(&u) // bidi embeddings/overrides
        || (0x2066..=0x2069).contains(&u) // bidi isolates
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let v = visible(&s);
    let mut it = v.chars().peekable();
    while let Some(c) = it.next() {
        let next = it.peek().copied();
        assert!(
            !forbidden(c, next),
            "visible() let U+{:04X} through (next {next:?}) for input {s:?}",
            c as u32
        );
        assert!(
            !is_hidden(c) || (c == '\r' && next == Some('\n')),
            "visible() let hidden U+{:04X} through",
            c as u32
        );
    }
    // The runs are exactly what visible() joins.
    let mut joined = String::new();
    for_each_run(&s, |t, _| joined.push_str(t));
    assert_eq!(joined, v);
    // Text with nothing to hide is left alone.
    let nothing_hidden = {
        let mut it = s.chars().peekable();
        let mut ok = true;
        while let Some(c) = it.next() {
            if is_hidden(c) && !(c == '\r' && it.peek() == Some(&'\n')) {
                ok = false;
            }
        }
        ok
    };
    if nothing_hidden {
        assert_eq!(v, *s);
    }
});
