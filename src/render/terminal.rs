//! Coloured terminal output: removed text red and struck through, added text
//! green and underlined (so colour is never the only signal), escaped
//! characters in reverse video. The only module that uses `colored`.

use super::escape::for_each_run;
use super::human::Painter;
use colored::{ColoredString, Colorize};
use std::io::{self, Write};

/// Paints in colour. Choosing this painter is choosing colour: the caller
/// decides (from `--color` and the environment), never this module.
pub struct Terminal(());

impl Terminal {
    /// The colour painter; colour is on for as long as the process runs.
    pub fn new() -> Terminal {
        colored::control::set_override(true);
        Terminal(())
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal::new()
    }
}

/// Writes each line of `s` styled separately, so that a pager never carries
/// a style across a line break; hidden characters are escaped and reversed.
fn styled(w: &mut dyn Write, s: &str, paint: &dyn Fn(&str) -> ColoredString) -> io::Result<()> {
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            w.write_all(b"\n")?;
        }
        let mut result = Ok(());
        for_each_run(line, |t, esc| {
            if t.is_empty() || result.is_err() {
                return;
            }
            let p = paint(t);
            let p = if esc { p.reversed() } else { p };
            result = write!(w, "{p}");
        });
        result?;
    }
    Ok(())
}

impl Painter for Terminal {
    fn equal(&self, w: &mut dyn Write, s: &str) -> io::Result<()> {
        let mut result = Ok(());
        for_each_run(s, |t, esc| {
            if result.is_ok() {
                result = if esc {
                    write!(w, "{}", t.reversed())
                } else {
                    w.write_all(t.as_bytes())
                };
            }
        });
        result
    }
    fn open(&self, _w: &mut dyn Write, _deleted: bool) -> io::Result<()> {
        Ok(())
    }
    fn part(&self, w: &mut dyn Write, deleted: bool, s: &str) -> io::Result<()> {
        if deleted {
            styled(w, s, &|t| t.red().strikethrough())
        } else {
            styled(w, s, &|t| t.green().underline())
        }
    }
    fn close(&self, _w: &mut dyn Write, _deleted: bool) -> io::Result<()> {
        Ok(())
    }
    fn note(&self, w: &mut dyn Write, s: &str) -> io::Result<()> {
        write!(w, "{}", s.cyan())
    }
    fn header(&self, w: &mut dyn Write, s: &str) -> io::Result<()> {
        write!(w, "{}", s.bold())
    }
    fn moved(&self, w: &mut dyn Write, before: &str, text: &str, after: &str) -> io::Result<()> {
        write!(w, "{}", before.magenta())?;
        styled(w, text, &|t| t.magenta().dimmed())?;
        write!(w, "{}", after.magenta())
    }
}

/// Colours for blame, one per revision in turn.
const REVISION_COLOURS: [colored::Color; 6] = [
    colored::Color::Blue,
    colored::Color::Green,
    colored::Color::Magenta,
    colored::Color::Cyan,
    colored::Color::Yellow,
    colored::Color::Red,
];

/// Writes `s` in the colour of revision slot `slot` (blame), line by line,
/// hidden characters escaped; `None` is old text, written dimmed.
pub fn revision_colour(w: &mut dyn Write, s: &str, slot: Option<usize>) -> io::Result<()> {
    colored::control::set_override(true);
    match slot {
        Some(k) => styled(w, s, &|t| {
            t.color(REVISION_COLOURS[k % REVISION_COLOURS.len()])
        }),
        None => styled(w, s, &|t| t.dimmed()),
    }
}

/// A churn bar of `log`: `plus` green `+`, then `minus` red `-`.
pub fn churn_bar(w: &mut dyn Write, plus: usize, minus: usize) -> io::Result<()> {
    colored::control::set_override(true);
    write!(w, "{}{}", "+".repeat(plus).green(), "-".repeat(minus).red())
}
