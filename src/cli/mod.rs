//! Command-line interface: argument parsing, environment, exit codes.
//! Each subcommand lives in its own file.

mod blame;
mod check;
mod completions;
mod diff;
mod env;
mod export;
mod gc;
mod import;
mod init;
mod list;
mod log;
mod man;
mod output;
mod record;
mod reextract;
mod remote;
mod search;
mod show;
mod sync;
mod verify;
mod watch;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use redliner::Error;
use std::path::PathBuf;

/// Exit code for errors (every command).
pub const EXIT_ERROR: u8 = redliner::error::exit::ERROR;

#[derive(Parser, Debug)]
#[command(
    name = "redliner",
    version,
    about = "Keep every version of a public statement and see exactly which words changed",
    after_help = "Exit codes: diff exits 0 when the texts are equal, 1 when they differ, 2 on error; check exits 2 when a source failed (after checking the others), else with --exit-code 1 when something changed; every other command exits 0 on success, 2 on error."
)]
pub struct Cli {
    /// The store (a bare git repository); default $XDG_DATA_HOME/redliner/store.git
    #[arg(long, global = true, env = "REDLINER_STORE", value_name = "DIR")]
    store: Option<PathBuf>,

    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,

    /// Do not send long output through a pager
    #[arg(long, global = true)]
    no_pager: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create an empty store (record creates the default one on first use)
    Init(init::Args),
    /// Store a new revision of a document from a file or standard input
    Record(record::Args),
    /// List every document with its revision count, latest capture and size
    List(list::Args),
    /// Show a document's revisions, newest first
    Log(log::Args),
    /// Print the text of a revision, byte for byte
    Show(show::Args),
    /// Show word-level changes between two revisions (or two files)
    Diff(diff::Args),
    /// Annotate every word of a revision with the revision that introduced it
    Blame(blame::Args),
    /// The periods during which a phrase was present in each document
    Search(search::Args),
    /// Check every document, revision and object in the store
    Verify(verify::Args),
    /// Re-run extraction on the latest raw capture; a different text becomes a technical revision
    Reextract(reextract::Args),
    /// Keep the list of web sources to check (kept in the store)
    Watch(watch::Args),
    /// Capture every watched source, record what changed, log every check
    Check(check::Args),
    /// Manage the git remotes that sync talks to (add, list, remove)
    Remote(remote::Args),
    /// Fetch from a remote, reconcile diverged histories, push with a lease
    Sync(sync::Args),
    /// Write the store (or some documents) as a static HTML site: index, histories, redlines, latest texts, blame
    Export(export::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(completions::Args),
    /// Print the manual page (roff), for man(1): redliner man > redliner.1
    Man(man::Args),
    /// Pack the store's objects through git (record also packs past a threshold)
    Gc(gc::Args),
    /// Import an existing history: dated files, or the commits of a git repository that changed one file
    Import(import::Args),
}

/// The version line: redliner's version and the libgit2 it was built with.
fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        format!(
            "{} (libgit2 {})",
            env!("CARGO_PKG_VERSION"),
            redliner::store::libgit2_version()
        )
    })
}

/// The whole command-line definition, as parsed, completed and documented.
pub fn command() -> clap::Command {
    Cli::command().version(version())
}

/// A process exit status. std's `ExitCode` cannot be read back as a number,
/// which the binary's own C `main` (see main.rs) must return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExitCode(pub u8);

impl ExitCode {
    pub const SUCCESS: ExitCode = ExitCode(0);
}

impl From<u8> for ExitCode {
    fn from(code: u8) -> Self {
        ExitCode(code)
    }
}

/// What a command hands back: an exit code, or an error to print.
pub type CmdResult = Result<ExitCode, Error>;

pub fn main() -> ExitCode {
    let mut cmd = command();
    let matches = cmd.get_matches_mut();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // The parser's tables live until the process exits, which frees them at
    // once; dropping them one allocation at a time cost 4 % of the
    // instructions of a small diff.
    std::mem::forget(matches);
    std::mem::forget(cmd);
    let ctx = env::Context::from_env(&cli);
    let result = match cli.command {
        Command::Init(a) => init::run(&ctx, a),
        Command::Record(a) => record::run(&ctx, a),
        Command::List(a) => list::run(&ctx, a),
        Command::Log(a) => log::run(&ctx, a),
        Command::Show(a) => show::run(&ctx, a),
        Command::Diff(a) => diff::run(&ctx, a),
        Command::Blame(a) => blame::run(&ctx, a),
        Command::Search(a) => search::run(&ctx, a),
        Command::Verify(a) => verify::run(&ctx, a),
        Command::Reextract(a) => reextract::run(&ctx, a),
        Command::Watch(a) => watch::run(&ctx, a),
        Command::Check(a) => check::run(&ctx, a),
        Command::Remote(a) => remote::run(&ctx, a),
        Command::Sync(a) => sync::run(&ctx, a),
        Command::Export(a) => export::run(&ctx, a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => man::run(a),
        Command::Gc(a) => gc::run(&ctx, a),
        Command::Import(a) => import::run(&ctx, a),
    };
    match result {
        Ok(code) => code,
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "redliner: {}",
                redliner::render::escape::visible(&e.to_string())
            );
            ExitCode::from(EXIT_ERROR)
        }
    }
}
