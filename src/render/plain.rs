//! Plain output: `[-removed-]{+added+}` markers, no escape sequences at all.

use super::escape::push_visible;
use super::Style;

pub(crate) struct Plain;

impl Style for Plain {
    fn equal(&self, out: &mut String, s: &str) {
        push_visible(out, s);
    }
    fn open(&self, out: &mut String, deleted: bool) {
        out.push_str(if deleted { "[-" } else { "{+" });
    }
    fn part(&self, out: &mut String, _deleted: bool, s: &str) {
        push_visible(out, s);
    }
    fn close(&self, out: &mut String, deleted: bool) {
        out.push_str(if deleted { "-]" } else { "+}" });
    }
    fn note(&self, out: &mut String, s: &str) {
        out.push_str(s);
    }
    fn header(&self, out: &mut String, s: &str) {
        out.push_str(s);
    }
    fn moved(&self, out: &mut String, before: &str, text: &str, after: &str) {
        out.push_str(before);
        push_visible(out, text);
        out.push_str(after);
    }
}
