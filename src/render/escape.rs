//! Makes document text safe for a terminal: control characters, escape
//! sequences and invisible or bidirectional format characters are shown as
//! visible escapes instead of being passed through.

/// Whether `c` must not reach a terminal as it is. Tab and line feed pass;
/// a carriage return passes only as part of CRLF (handled by the caller).
pub fn is_hidden(c: char) -> bool {
    crate::diff::kinds::is_invisible(c)
}

/// The visible form of a hidden character: `\x1b` for C0, DEL and C1
/// controls, `\u{202e}` for other invisible characters.
pub fn escaped(c: char) -> String {
    let u = c as u32;
    if u < 0x100 {
        format!("\\x{u:02x}")
    } else {
        format!("\\u{{{u:04x}}}")
    }
}

/// Splits `s` into runs, each either plain text or the escaped form of
/// hidden characters, calling `f(text, is_escape)` for each.
pub fn for_each_run(s: &str, mut f: impl FnMut(&str, bool)) {
    // Fast path: printable ASCII, tabs and line feeds pass as they are.
    if passes_as_is(s.as_bytes()) {
        if !s.is_empty() {
            f(s, false);
        }
        return;
    }
    // Byte by byte: an ASCII byte is looked at as it is; a character
    // outside ASCII is decoded only if its first byte can start a hidden
    // one (`HIDDEN_LEADS`), and stepped over otherwise.
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        // Printable ASCII passes eight bytes at a time.
        while i + 8 <= b.len() && flagged(word(&b[i..i + 8])) == 0 {
            i += 8;
        }
        let Some(&x) = b.get(i) else {
            break;
        };
        let (c, len) = if x < 0x80 {
            let hidden = (x < 0x20 && x != b'\n' && x != b'\t') || x == 0x7f;
            // A carriage return passes as part of CRLF.
            if !hidden || (x == b'\r' && b.get(i + 1) == Some(&b'\n')) {
                i += 1;
                continue;
            }
            (char::from(x), 1)
        } else {
            let len = utf8_len(x);
            let decoded = HIDDEN_LEADS[usize::from(x)]
                .then(|| s.get(i..).and_then(|t| t.chars().next()))
                .flatten();
            match decoded {
                Some(c) if is_hidden(c) => (c, len),
                _ => {
                    i += len;
                    continue;
                }
            }
        };
        if start < i {
            f(&s[start..i], false);
        }
        f(&escaped(c), true);
        i += len;
        start = i;
    }
    if start < s.len() {
        f(&s[start..], false);
    }
}

/// The length of the UTF-8 character whose first byte is `lead` (not
/// ASCII; 1 for a continuation byte, which valid text never starts a
/// character with).
#[inline]
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
}

/// By first byte: whether a character starting with it can be hidden (C1 controls and the soft hyphen 0xC2,
/// U+034F 0xCD, U+061C 0xD8, U+115F..U+180E 0xE1, U+200B..U+206F 0xE2,
/// U+3164 0xE3, U+FEFF..U+FFFB 0xEF, tags 0xF3). Checked against
/// `is_hidden` for every character by a test.
static HIDDEN_LEADS: [bool; 256] = {
    let mut t = [false; 256];
    let leads = [0xC2u8, 0xCD, 0xD8, 0xE1, 0xE2, 0xE3, 0xEF, 0xF3];
    let mut k = 0;
    while k < leads.len() {
        t[leads[k] as usize] = true;
        k += 1;
    }
    t
};

/// Whether every byte is printable ASCII, a tab or a line feed; eight bytes
/// at a time, looking closer only at words holding another byte.
fn passes_as_is(bytes: &[u8]) -> bool {
    let ok = |b: u8| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t';
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        if flagged(word(c)) != 0 && !c.iter().all(|&b| ok(b)) {
            return false;
        }
    }
    chunks.remainder().iter().all(|&b| ok(b))
}

/// Eight bytes as one word.
#[inline(always)]
fn word(c: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(c);
    u64::from_le_bytes(w)
}

/// 0x80 in (at least) each byte of `w` below 0x20, from 0x80 up, or equal
/// to 0x7f (DEL); 0 if every byte is printable ASCII.
#[inline(always)]
fn flagged(w: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let del = w ^ (LO * 0x7f);
    ((w.wrapping_sub(LO * 0x20) & !w) | w | (del.wrapping_sub(LO) & !del)) & HI
}

/// `s` with every hidden character escaped.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_visible(&mut out, s);
    out
}

/// Appends `s` to `out` with every hidden character escaped.
pub fn push_visible(out: &mut String, s: &str) {
    for_each_run(s, |t, _| out.push_str(t));
}

/// Writes `s` to `w` with every hidden character escaped.
pub fn write_visible(w: &mut dyn std::io::Write, s: &str) -> std::io::Result<()> {
    let mut result = Ok(());
    for_each_run(s, |t, _| {
        if result.is_ok() {
            result = w.write_all(t.as_bytes());
        }
    });
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_as_is_matches_the_bytewise_rule() {
        let ok = |b: u8| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t';
        for len in [1, 7, 8, 15, 16, 20, 24, 31, 40] {
            for bad in 0u8..=255 {
                for pos in 0..len {
                    let mut v = vec![b'a'; len];
                    v[pos] = bad;
                    assert_eq!(passes_as_is(&v), ok(bad), "byte {bad:#x} at {pos} of {len}");
                }
            }
        }
        assert!(passes_as_is(b""));
    }

    #[test]
    fn only_the_listed_first_bytes_start_a_hidden_character() {
        let mut buf = [0u8; 4];
        for c in (0x80..=0x10ffffu32).filter_map(char::from_u32) {
            if is_hidden(c) {
                let lead = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!(HIDDEN_LEADS[usize::from(lead)], "{c:?}");
                assert_eq!(utf8_len(lead), c.len_utf8());
            }
        }
        // The runs are those of the character-by-character rule.
        let s = "\u{85}a\u{ad}b plain text of some length\u{1b}[0m and more plain text“\u{200e}”\n\tx\u{34f}\u{61c}\u{115f}\u{180e}“\u{200b}’\u{2069}\u{3164}\u{feff}\u{fffb}\u{e0041}é\r\r\n\x7f日";
        let mut runs = Vec::new();
        for_each_run(s, |t, esc| runs.push((t.to_string(), esc)));
        let mut want = Vec::new();
        let mut plain = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if is_hidden(c) && !(c == '\r' && chars.peek() == Some(&'\n')) {
                if !plain.is_empty() {
                    want.push((std::mem::take(&mut plain), false));
                }
                want.push((escaped(c), true));
            } else {
                plain.push(c);
            }
        }
        want.push((plain, false));
        assert_eq!(runs, want);
        assert_eq!(runs.iter().filter(|r| r.1).count(), 16);
    }

    #[test]
    fn escapes_controls_and_invisibles() {
        assert_eq!(visible("a\u{1b}[31mb"), "a\\x1b[31mb");
        assert_eq!(visible("x\u{9b}y\u{7}"), "x\\x9by\\x07");
        assert_eq!(visible("a\u{202e}b\u{200b}"), "a\\u{202e}b\\u{200b}");
        assert_eq!(
            visible("line\r\nnext\rover\x08"),
            "line\r\nnext\\x0dover\\x08"
        );
        assert_eq!(visible("tab\there\nok é 日本"), "tab\there\nok é 日本");
    }

    #[test]
    fn no_escape_byte_survives() {
        let hostile: String = (0u32..0x250).filter_map(char::from_u32).collect();
        let v = visible(&hostile);
        assert!(!v.contains('\u{1b}'));
        assert!(!v
            .chars()
            .any(|c| (c as u32) < 0x20 && c != '\n' && c != '\t'));
        assert!(!v.chars().any(|c| (0x7f..=0x9f).contains(&(c as u32))));
    }
}
