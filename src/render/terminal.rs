//! Coloured terminal output: removed text red and struck through, added text
//! green and underlined (so colour is never the only signal), escaped
//! characters in reverse video. The only module that uses `colored`.

use super::escape::for_each_run;
use super::Style;
use colored::{ColoredString, Colorize};

/// Forces colour on or off for this process (the caller decides).
pub fn set_color(enabled: bool) {
    colored::control::set_override(enabled);
}

pub(crate) struct Terminal;

/// Styles each line of `s` separately, so that a pager never carries a style
/// across a line break; hidden characters are escaped and reversed.
fn styled(out: &mut String, s: &str, paint: &dyn Fn(&str) -> ColoredString) {
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for_each_run(line, |t, esc| {
            if t.is_empty() {
                return;
            }
            let p = paint(t);
            let p = if esc { p.reversed() } else { p };
            out.push_str(&p.to_string());
        });
    }
}

impl Style for Terminal {
    fn equal(&self, out: &mut String, s: &str) {
        for_each_run(s, |t, esc| {
            if esc {
                out.push_str(&t.reversed().to_string());
            } else {
                out.push_str(t);
            }
        });
    }
    fn open(&self, _out: &mut String, _deleted: bool) {}
    fn part(&self, out: &mut String, deleted: bool, s: &str) {
        if deleted {
            styled(out, s, &|t| t.red().strikethrough());
        } else {
            styled(out, s, &|t| t.green().underline());
        }
    }
    fn close(&self, _out: &mut String, _deleted: bool) {}
    fn note(&self, out: &mut String, s: &str) {
        out.push_str(&s.cyan().to_string());
    }
    fn header(&self, out: &mut String, s: &str) {
        out.push_str(&s.bold().to_string());
    }
    fn moved(&self, out: &mut String, before: &str, text: &str, after: &str) {
        out.push_str(&before.magenta().to_string());
        styled(out, text, &|t| t.magenta().dimmed());
        out.push_str(&after.magenta().to_string());
    }
}
