//! The conventions of a real CLI: completions, the manual page, --version.

mod common;
use common::Env;
use std::path::Path;

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = env.ok(&["completions", shell]);
        assert!(out.len() > 500, "{shell}: {} bytes", out.len());
        for sub in ["record", "log", "diff", "verify", "completions", "man"] {
            assert!(out.contains(sub), "{shell} completion lacks {sub}");
        }
        assert!(out.contains("store"), "{shell} completion lacks --store");
    }
    let err = env.run(&["completions", "tcsh"]);
    assert_eq!(err.code, 2);
    assert!(err.out().is_empty());
}

#[test]
fn bash_completion_is_valid_bash() {
    let env = Env::new();
    let script = env.file("redliner.bash", env.ok(&["completions", "bash"]));
    let ok = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .expect("run bash");
    assert!(ok.success());
}

/// The `.SH` headings of a roff page, unquoted.
fn sections(page: &str) -> Vec<String> {
    page.lines()
        .filter_map(|l| l.strip_prefix(".SH "))
        .map(|s| s.trim_matches('"').to_string())
        .collect()
}

#[test]
fn man_page_has_the_sections_and_the_tables() {
    let env = Env::new();
    let page = env.ok(&["man"]);
    assert!(page.contains(".TH redliner 1"), "{}", &page[..200]);
    let secs = sections(&page);
    for s in [
        "NAME",
        "SYNOPSIS",
        "OPTIONS",
        "SUBCOMMANDS",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
    ] {
        assert!(secs.iter().any(|x| x == s), "no {s} in {secs:?}");
    }
    // Each section's contents, from its heading to the next.
    let body = |name: &str| -> String {
        let start = page
            .find(&format!(".SH \"{name}\""))
            .or_else(|| page.find(&format!(".SH {name}\n")));
        let start = start.unwrap_or_else(|| panic!("{name}"));
        let rest = &page[start + 4..];
        rest[..rest.find("\n.SH ").unwrap_or(rest.len())].to_string()
    };
    let exit = body("EXIT STATUS");
    for code in ["\\fB0\\fR", "\\fB1\\fR", "\\fB2\\fR"] {
        assert!(exit.contains(code), "exit status lacks {code:?}: {exit}");
    }
    assert!(body("FILES").contains("store.git"));
    assert!(body("SUBCOMMANDS").contains("record"));
}

/// Every environment variable named in the source (`var("X")`,
/// `var_os("X")`, clap's `env = "X"`) is in the man page's ENVIRONMENT.
#[test]
fn man_page_names_every_environment_variable_the_source_reads() {
    fn rs_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                rs_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    rs_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut names = std::collections::BTreeSet::new();
    for f in files {
        let src = std::fs::read_to_string(&f).expect("read source");
        for pat in ["var(\"", "var_os(\"", "env = \""] {
            for (i, _) in src.match_indices(pat) {
                let rest = &src[i + pat.len()..];
                let name = &rest[..rest.find('"').expect("closing quote")];
                if !name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
                    names.insert(name.to_string());
                }
            }
        }
    }
    for must in ["REDLINER_STORE", "PAGER", "NO_COLOR", "TZ"] {
        assert!(names.contains(must), "the scan found no {must}: {names:?}");
    }
    let env = Env::new();
    let page = env.ok(&["man"]);
    let start = page.find(".SH ENVIRONMENT").expect("ENVIRONMENT");
    let section = &page[start..];
    let section = &section[..section[4..].find("\n.SH ").map_or(section.len(), |e| e + 4)];
    for name in &names {
        assert!(
            section.lines().any(|l| l.contains(name.as_str())),
            "{name} is read by the source but not in the man page's ENVIRONMENT"
        );
    }
}

#[test]
fn version_names_libgit2() {
    let env = Env::new();
    let out = env.ok(&["--version"]);
    assert!(
        out.starts_with(&format!("redliner {} ", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
    let lib = out.split("(libgit2 ").nth(1).expect("libgit2 in --version");
    let v = lib.trim_end().trim_end_matches(')');
    assert_eq!(v.split('.').count(), 3, "{out}");
    assert!(v.split('.').all(|p| p.parse::<u32>().is_ok()), "{out}");
}

/// Each command's options are built only when it runs (clap's `defer`); its
/// `--help` must still give its own one-line help, its options and the
/// global ones, and the completions must still reach nested commands.
#[test]
fn every_command_help_is_whole_though_built_on_demand() {
    let env = Env::new();
    let top = env.ok(&["--help"]);
    let listed: Vec<(String, String)> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| {
            let l = l.trim();
            let (name, about) = l.split_once(' ')?;
            Some((name.to_string(), about.trim().to_string()))
        })
        .filter(|(name, _)| name != "help")
        .collect();
    assert!(listed.len() >= 19, "commands listed: {listed:?}");
    for (name, about) in &listed {
        let help = env.ok(&[name, "--help"]);
        assert!(
            help.starts_with(about.as_str()),
            "{name} --help starts with {:?}, not its own help {about:?}",
            help.lines().next()
        );
        for global in ["--store", "--color", "--no-pager", "--help"] {
            assert!(help.contains(global), "{name} --help lacks {global}");
        }
    }
    let diff = env.ok(&["diff", "--help"]);
    for opt in ["--files", "--format", "--context", "--hide"] {
        assert!(diff.contains(opt), "diff --help lacks {opt}");
    }
    let bash = env.ok(&["completions", "bash"]);
    assert!(bash.contains("redliner__subcmd__help__subcmd__watch__subcmd__add"));
}
