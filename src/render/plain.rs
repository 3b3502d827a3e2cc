//! Plain output: `[-removed-]{+added+}` markers, no escape sequences at all.

use super::escape::visible;
use super::Style;

pub(crate) struct Plain;

impl Style for Plain {
    fn equal(&self, out: &mut String, s: &str) {
        out.push_str(&visible(s));
    }
    fn delete(&self, out: &mut String, s: &str) {
        out.push_str("[-");
        out.push_str(&visible(s));
        out.push_str("-]");
    }
    fn insert(&self, out: &mut String, s: &str) {
        out.push_str("{+");
        out.push_str(&visible(s));
        out.push_str("+}");
    }
    fn note(&self, out: &mut String, s: &str) {
        out.push_str(s);
    }
    fn header(&self, out: &mut String, s: &str) {
        out.push_str(s);
    }
    fn moved(&self, out: &mut String, before: &str, text: &str, after: &str) {
        out.push_str(before);
        out.push_str(&visible(text));
        out.push_str(after);
    }
}
