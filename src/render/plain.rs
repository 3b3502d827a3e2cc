//! Plain output: `[-removed-]{+added+}` markers, no escape sequences at all.

use super::escape::write_visible;
use super::human::Painter;
use std::io::{self, Write};

/// Paints `[-removed-]{+added+}` markers.
pub struct Plain;

impl Painter for Plain {
    fn equal(&self, w: &mut dyn Write, s: &str) -> io::Result<()> {
        write_visible(w, s)
    }
    fn open(&self, w: &mut dyn Write, deleted: bool) -> io::Result<()> {
        w.write_all(if deleted { b"[-" } else { b"{+" })
    }
    fn part(&self, w: &mut dyn Write, _deleted: bool, s: &str) -> io::Result<()> {
        write_visible(w, s)
    }
    fn close(&self, w: &mut dyn Write, deleted: bool) -> io::Result<()> {
        w.write_all(if deleted { b"-]" } else { b"+}" })
    }
    fn note(&self, w: &mut dyn Write, s: &str) -> io::Result<()> {
        w.write_all(s.as_bytes())
    }
    fn header(&self, w: &mut dyn Write, s: &str) -> io::Result<()> {
        w.write_all(s.as_bytes())
    }
    fn moved(&self, w: &mut dyn Write, before: &str, text: &str, after: &str) -> io::Result<()> {
        w.write_all(before.as_bytes())?;
        write_visible(w, text)?;
        w.write_all(after.as_bytes())
    }
}
