//! `redliner completions SHELL`: a completion script made from the same
//! clap definitions the binary parses with.

use super::CmdResult;
use super::ExitCode;
use clap_complete::Shell;
use std::io::Write;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell to complete for
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: Args) -> CmdResult {
    let mut cmd = super::full_command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "redliner", &mut buf);
    let mut out = std::io::stdout().lock();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
