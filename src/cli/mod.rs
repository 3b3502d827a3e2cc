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

use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};
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

/// The commands. Each is declared with its name and its one-line help; its
/// options are added only when it is the one being run (clap's `defer`):
/// building all nineteen commands' options took a fifth of the
/// instructions of a small diff. `--help`, completions and the manual page
/// build them all.
macro_rules! commands {
    ($($variant:ident($module:ident) = $name:literal, $about:literal;)*) => {
        #[derive(Debug)]
        enum Command {
            $($variant($module::Args),)*
        }

        impl clap::FromArgMatches for Command {
            fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
                Self::from_arg_matches_mut(&mut matches.clone())
            }

            fn from_arg_matches_mut(matches: &mut clap::ArgMatches) -> Result<Self, clap::Error> {
                use clap::error::ErrorKind;
                match matches.remove_subcommand() {
                    $(Some((name, mut sub)) if name == $name => Ok(Command::$variant(
                        <$module::Args as clap::FromArgMatches>::from_arg_matches_mut(&mut sub)?,
                    )),)*
                    Some((name, _)) => Err(clap::Error::raw(
                        ErrorKind::InvalidSubcommand,
                        format!("the subcommand '{name}' wasn't recognized"),
                    )),
                    None => Err(clap::Error::raw(
                        ErrorKind::MissingSubcommand,
                        "a subcommand is required but one was not provided",
                    )),
                }
            }

            fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
                self.update_from_arg_matches_mut(&mut matches.clone())
            }

            fn update_from_arg_matches_mut(
                &mut self,
                matches: &mut clap::ArgMatches,
            ) -> Result<(), clap::Error> {
                *self = Self::from_arg_matches_mut(matches)?;
                Ok(())
            }
        }

        impl clap::Subcommand for Command {
            fn augment_subcommands(cmd: clap::Command) -> clap::Command {
                let eager = EAGER.load(std::sync::atomic::Ordering::Relaxed);
                cmd$(.subcommand({
                    // The options' own doc comments may set an about; the
                    // command's is set again after them, as derive does.
                    let build: fn(clap::Command) -> clap::Command =
                        |c| <$module::Args as clap::Args>::augment_args(c).about($about);
                    let sub = clap::Command::new($name).about($about);
                    if eager { build(sub) } else { sub.defer(build) }
                }))*
            }

            fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
                cmd$(.subcommand(
                    <$module::Args as clap::Args>::augment_args_for_update(
                        clap::Command::new($name),
                    )
                    .about($about),
                ))*
            }

            fn has_subcommand(name: &str) -> bool {
                matches!(name, $($name)|*)
            }
        }
    };
}

commands! {
    Init(init) = "init", "Create an empty store (record creates the default one on first use)";
    Record(record) = "record", "Store a new revision of a document from a file or standard input";
    List(list) = "list", "List every document with its revision count, latest capture and size";
    Log(log) = "log", "Show a document's revisions, newest first";
    Show(show) = "show", "Print the text of a revision, byte for byte";
    Diff(diff) = "diff", "Show word-level changes between two revisions (or two files)";
    Blame(blame) = "blame", "Annotate every word of a revision with the revision that introduced it";
    Search(search) = "search", "The periods during which a phrase was present in each document";
    Verify(verify) = "verify", "Check every document, revision and object in the store";
    Reextract(reextract) = "reextract", "Re-run extraction on the latest raw capture; a different text becomes a technical revision";
    Watch(watch) = "watch", "Keep the list of web sources to check (kept in the store)";
    Check(check) = "check", "Capture every watched source, record what changed, log every check";
    Remote(remote) = "remote", "Manage the git remotes that sync talks to (add, list, remove)";
    Sync(sync) = "sync", "Fetch from a remote, reconcile diverged histories, push with a lease";
    Export(export) = "export", "Write the store (or some documents) as a static HTML site: index, histories, redlines, latest texts, blame";
    Completions(completions) = "completions", "Print a shell completion script (bash, zsh, fish, powershell, elvish)";
    Man(man) = "man", "Print the manual page (roff), for man(1): redliner man > redliner.1";
    Gc(gc) = "gc", "Pack the store's objects through git (record also packs past a threshold)";
    Import(import) = "import", "Import an existing history: dated files, or the commits of a git repository that changed one file";
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

/// Whether `command()` builds every command's options at once (for
/// completions and the manual page, which walk them all).
static EAGER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The whole command-line definition, every command's options included, as
/// completed and documented.
pub fn full_command() -> clap::Command {
    EAGER.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut cmd = command();
    cmd.build();
    cmd
}

/// The command-line definition as parsed: each command's options are added
/// when it is the one being run.
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
