//! `redliner man`: the manual page in roff, made from the same clap
//! definitions, with EXIT STATUS, ENVIRONMENT and FILES sections made from
//! the exit-code and environment tables (so they cannot drift apart).

use super::CmdResult;
use super::ExitCode;
use clap_mangen::roff::{bold, roman, Roff};
use clap_mangen::Man;
use std::io::Write;

#[derive(clap::Args, Debug)]
pub struct Args {}

/// The files redliner reads and writes.
const FILES: &[(&str, &str)] = &[
    (
        "$XDG_DATA_HOME/redliner/store.git",
        "The default store, usually ~/.local/share/redliner/store.git; created by the first record.",
    ),
    (
        "STORE/refs/heads/DOC",
        "One branch per document; one commit per revision, its text in DOC.txt and any raw capture in DOC.raw.html or DOC.raw.pdf.",
    ),
    (
        "STORE/refs/redliner/",
        "What is not a revision: the watch list and the observation log.",
    ),
    (
        "STORE/objects/",
        "Git objects; record packs them past REDLINER_GC_AUTO loose objects, redliner gc packs them all.",
    ),
];

/// One titled section of `(term, description)` paragraphs.
fn section(roff: &mut Roff, title: &str, items: &[(String, &str)]) {
    roff.control("SH", [title]);
    for (term, text) in items {
        roff.control("TP", []);
        roff.text([bold(term.as_str())]);
        roff.text([roman(*text)]);
    }
}

/// The whole page.
pub fn page() -> Result<Vec<u8>, std::io::Error> {
    let man = Man::new(super::full_command());
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    man.render_options_section(&mut buf)?;
    man.render_subcommands_section(&mut buf)?;
    let mut roff = Roff::new();
    let codes: Vec<(String, &str)> = redliner::error::exit::DOCUMENTED
        .iter()
        .map(|(code, text)| (code.to_string(), *text))
        .collect();
    section(&mut roff, "EXIT STATUS", &codes);
    let vars: Vec<(String, &str)> = super::env::ENVIRONMENT
        .iter()
        .map(|(name, text)| (name.to_string(), *text))
        .collect();
    section(&mut roff, "ENVIRONMENT", &vars);
    let files: Vec<(String, &str)> = FILES
        .iter()
        .map(|(name, text)| (name.to_string(), *text))
        .collect();
    section(&mut roff, "FILES", &files);
    roff.to_writer(&mut buf)?;
    man.render_version_section(&mut buf)?;
    Ok(buf)
}

pub fn run(_args: Args) -> CmdResult {
    let page = page()?;
    let mut out = std::io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
