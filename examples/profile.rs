//! In-process timing of the diff engine and the plain renderer, for
//! profiling without process start-up (`perf record` works well on it):
//!
//!     cargo run --release --example profile -- OLD NEW [RUNS]
//!
//! Prints the mean time per run of `diff` and of rendering its plain output
//! (default context) to memory.

use redliner::render::{self, DiffOptions, Format, RevRef};
use std::time::{Duration, Instant};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(old), Some(new)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo run --release --example profile -- OLD NEW [RUNS]");
        return std::process::ExitCode::from(2);
    };
    let runs: u32 = match args.get(2).map(|r| r.parse()) {
        None => 10,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("profile: RUNS must be a positive whole number");
            return std::process::ExitCode::from(2);
        }
    };
    let read = |p: &str| {
        std::fs::read_to_string(p).map_err(|e| eprintln!("profile: cannot read {p}: {e}"))
    };
    let (Ok(old), Ok(new)) = (read(old), read(new)) else {
        return std::process::ExitCode::from(2);
    };
    let (mut diffing, mut rendering) = (Duration::ZERO, Duration::ZERO);
    let opts = DiffOptions::new(Format::Plain, jiff::tz::TimeZone::UTC);
    for _ in 0..runs {
        let t = Instant::now();
        let d = redliner::diff::diff(&old, &new);
        diffing += t.elapsed();
        let t = Instant::now();
        let mut out = Vec::new();
        if let Err(e) =
            render::render_diff(&mut out, &d, &RevRef::default(), &RevRef::default(), &opts)
        {
            eprintln!("profile: rendering failed: {e}");
            return std::process::ExitCode::from(2);
        }
        std::hint::black_box(out);
        rendering += t.elapsed();
    }
    println!(
        "diff {:?}  render {:?}  (mean of {runs})",
        diffing / runs,
        rendering / runs
    );
    std::process::ExitCode::SUCCESS
}
