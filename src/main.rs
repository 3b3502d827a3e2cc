//! The `redliner` binary: parses arguments and hands over to `cli`.
//!
//! On Linux with glibc the program defines the C `main` itself instead of
//! going through Rust's start-up code. That code asks glibc for the main
//! thread's stack bounds, which glibc answers by reading and parsing
//! `/proc/self/maps`, and sets up an alternate signal stack, only to print
//! "has overflowed its stack" before a crash that happens anyway: about a
//! twentieth of the time of a small diff. What it does that matters is done
//! here: SIGPIPE is ignored (a closed pipe is then a write error, which
//! `cli` turns into a quiet exit 0), a panic becomes exit code 101 after the
//! usual message, and standard output is flushed at the end. The arguments
//! are still read by `std::env::args_os`, which glibc hands to Rust through
//! `.init_array` whatever `main` is.

#![cfg_attr(all(target_os = "linux", target_env = "gnu", not(test)), no_main)]

mod cli;

#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
#[no_mangle]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    use std::io::Write;
    const SIGPIPE: std::ffi::c_int = 13;
    const SIG_IGN: usize = 1;
    extern "C" {
        fn signal(signum: std::ffi::c_int, handler: usize) -> usize;
    }
    // SAFETY: setting a signal's disposition to "ignore" installs no Rust
    // code as a handler; nothing else has touched SIGPIPE at this point.
    unsafe {
        signal(SIGPIPE, SIG_IGN);
    }
    let code = match std::panic::catch_unwind(cli::main) {
        Ok(code) => code,
        Err(_) => cli::ExitCode(101),
    };
    // A failure here means the reader went away; there is no one to tell.
    let _ = std::io::stdout().flush();
    std::ffi::c_int::from(code.0)
}

#[cfg(any(test, not(all(target_os = "linux", target_env = "gnu"))))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::main().0)
}
