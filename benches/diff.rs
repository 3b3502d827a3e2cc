//! `cargo bench --bench diff`: the diff engine on generated prose (1 MB and
//! 10 MB; 0.1 %, 1 %, 10 % of words edited; a total rewrite). Prints the
//! median of several runs per case. For the comparison with git's word diff
//! in the same run, use scripts/bench.py.

use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "ministers",
    "security",
    "cooperation",
    "regional",
    "agreement",
    "policy",
    "statement",
    "shall",
    "notice",
    "terms",
    "data",
    "privacy",
    "users",
    "access",
    "rights",
    "trilateral",
    "committee",
    "provisions",
    "section",
    "2023",
    "12",
    "missile",
    "warning",
    "exercise",
    "partners",
];

fn prose(bytes: usize, seed: u64) -> Vec<Vec<String>> {
    let mut rng = Rng(seed | 1);
    let mut paras = Vec::new();
    let mut total = 0;
    while total < bytes {
        let mut p = Vec::new();
        for _ in 0..2 + rng.below(6) {
            let n = 6 + rng.below(20);
            let s: Vec<&str> = (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect();
            let s = format!("{}.", s.join(" "));
            total += s.len() + 1;
            p.push(s);
        }
        paras.push(p);
    }
    paras
}

fn render(paras: &[Vec<String>]) -> String {
    paras
        .iter()
        .map(|p| p.join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
        + "\n"
}

fn edited(paras: &[Vec<String>], fraction: f64, seed: u64) -> Vec<Vec<String>> {
    let mut rng = Rng(seed | 1);
    let mut out = paras.to_vec();
    let words: usize = paras.iter().flatten().map(|s| s.split(' ').count()).sum();
    let edits = ((words as f64) * fraction).max(1.0) as usize;
    for _ in 0..edits {
        let p = rng.below(out.len());
        let s = rng.below(out[p].len());
        let mut w: Vec<String> = out[p][s].split(' ').map(String::from).collect();
        let i = rng.below(w.len());
        w[i] = WORDS[rng.below(WORDS.len())].to_string();
        out[p][s] = w.join(" ");
    }
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `cargo test --benches` runs benches with --bench absent: stay quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let sizes: &[(&str, usize)] = if quick {
        &[("10k", 10_000)]
    } else {
        &[("1m", 1_000_000), ("10m", 10_000_000)]
    };
    let runs = if quick { 1 } else { 5 };
    println!(
        "{:<14} {:>10} {:>12} {:>8}",
        "case", "median ms", "MB/s (both)", "ops"
    );
    for &(name, size) in sizes {
        let base = prose(size, size as u64);
        let old = render(&base);
        let cases: Vec<(String, String)> = vec![
            ("0.1%".into(), render(&edited(&base, 0.001, 1))),
            ("1%".into(), render(&edited(&base, 0.01, 2))),
            ("10%".into(), render(&edited(&base, 0.1, 3))),
            ("rewrite".into(), render(&prose(size, size as u64 + 7))),
        ];
        for (label, new) in cases {
            let mut times = Vec::new();
            let mut ops = 0;
            for _ in 0..runs {
                let t = Instant::now();
                let d = redliner::diff::diff(&old, &new);
                ops = d.ops.len();
                std::hint::black_box(&d);
                times.push(t.elapsed());
            }
            let m = median(times);
            let mbps = (old.len() + new.len()) as f64 / 1e6 / m.as_secs_f64();
            println!(
                "{:<14} {:>10.1} {:>12.0} {:>8}",
                format!("{name} {label}"),
                m.as_secs_f64() * 1e3,
                mbps,
                ops
            );
        }
    }
}
