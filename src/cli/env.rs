//! Reads the environment once: store location, colour, terminal, time zone.

use super::{Cli, ColorWhen};
use redliner::store::StoreError;
use redliner::Error;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Everything a command needs from the environment.
pub struct Context {
    pub store: Option<PathBuf>,
    pub color: bool,
    pub stdout_is_terminal: bool,
    pub pager: Option<String>,
    tz: std::cell::OnceCell<jiff::tz::TimeZone>,
}

/// Every environment variable redliner reads, with what it does: the man
/// page's ENVIRONMENT section is made from this table, and a test checks
/// that every variable the source reads is in it.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "REDLINER_STORE",
        "The store (a bare git repository), as --store DIR.",
    ),
    (
        "XDG_DATA_HOME",
        "The default store is $XDG_DATA_HOME/redliner/store.git (when it is an absolute path).",
    ),
    (
        "HOME",
        "Without XDG_DATA_HOME, the default store is $HOME/.local/share/redliner/store.git.",
    ),
    (
        "REDLINER_ALLOW_PRIVATE",
        "Set (not 0 or false): fetching may reach loopback, private and other non-public addresses, as --allow-private.",
    ),
    (
        "REDLINER_GC_AUTO",
        "Loose objects in the store past which record packs them (default 1000; 0 turns automatic packing off).",
    ),
    ("NO_COLOR", "Set and not empty: no colour with --color=auto."),
    ("CLICOLOR", "0: no colour with --color=auto."),
    (
        "CLICOLOR_FORCE",
        "Set and not 0: colour with --color=auto even when standard output is not a terminal.",
    ),
    ("TERM", "dumb: no colour with --color=auto."),
    (
        "PAGER",
        "The pager for long output on a terminal (default less; cat turns paging off).",
    ),
    ("LESS", "Options for less; FRX when unset."),
    ("LV", "Options for lv; -c when unset."),
    (
        "TZ",
        "The time zone of times shown to people (machine output is RFC 3339).",
    ),
];

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Context {
    pub fn from_env(cli: &Cli) -> Context {
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let color = match cli.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => auto_color(stdout_is_terminal),
        };
        let store = cli.store.clone().or_else(default_store);
        let pager = if cli.no_pager || !stdout_is_terminal {
            None
        } else {
            match var("PAGER") {
                Some(p) if p == "cat" => None,
                Some(p) => Some(p),
                None => Some("less".to_string()),
            }
        };
        Context {
            store,
            color,
            stdout_is_terminal,
            pager,
            tz: std::cell::OnceCell::new(),
        }
    }

    /// The local time zone, looked up only when a command shows a time.
    /// `TZ=UTC` (as in tests and CI) skips the system lookup.
    pub fn tz(&self) -> &jiff::tz::TimeZone {
        self.tz.get_or_init(|| match std::env::var("TZ") {
            Ok(v) if matches!(v.trim_start_matches(':'), "UTC" | "UTC0" | "Etc/UTC") => {
                jiff::tz::TimeZone::UTC
            }
            Ok(v) if !v.is_empty() => jiff::tz::TimeZone::get(v.trim_start_matches(':'))
                .unwrap_or_else(|_| jiff::tz::TimeZone::system()),
            _ => jiff::tz::TimeZone::system(),
        })
    }

    /// The store path, or an error saying how to choose one.
    pub fn store_path(&self) -> Result<PathBuf, Error> {
        self.store
            .clone()
            .ok_or_else(|| StoreError::NoDefaultStore.into())
    }
}

/// `auto` colours only a terminal. In order: NO_COLOR (non-empty) and
/// CLICOLOR=0 turn colour off, CLICOLOR_FORCE (non-empty, not 0) turns it on,
/// TERM=dumb turns it off, and otherwise a terminal gets colour.
fn auto_color(is_terminal: bool) -> bool {
    if var("NO_COLOR").is_some() || var("CLICOLOR").as_deref() == Some("0") {
        return false;
    }
    if var("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    if var("TERM").as_deref() == Some("dumb") {
        return false;
    }
    is_terminal
}

fn default_store() -> Option<PathBuf> {
    let data = var("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("redliner").join("store.git"))
}

/// The current time with the local offset: the capture time of a record or
/// a check made now.
pub fn now() -> redliner::model::CaptureTime {
    let z = jiff::Zoned::now();
    redliner::model::CaptureTime {
        unix: z.timestamp().as_second(),
        offset_minutes: z.offset().seconds() / 60,
    }
}
