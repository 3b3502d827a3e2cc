#!/usr/bin/env python3
"""History at scale (issue 14): times `redliner blame` on one document of
REVS revisions of about SIZE bytes (goal: under 2 s for 1,000 x 20 KB), and
`redliner search PHRASE` across the store of scripts/bench_store.py (DOCS x
REVS2 revisions) against `git log --all -S PHRASE --format=%H` on the same
store, alternating the two (goal: ratio <= 1.0).

Stores are built with one `git fast-import` stream each, with the generator
and layout of scripts/bench_store.py (deterministic). Prints median wall
times of RUNS runs and the ratios.

Usage: scripts/bench_history.py [--revs 1000] [--size 20000] [--docs 1000]
                                [--revs2 100] [--runs 3] [--bin target/release/redliner]
                                [--skip-search] [--skip-blame]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_store as bs  # noqa: E402


class BigDoc(bs.Doc):
    """A bench_store document kept at about `size` bytes."""

    def __init__(self, index, seed, size):
        super().__init__(index, seed)
        self.size = size
        self._grow()

    def _grow(self):
        added = 0
        while sum(len(c) + 2 for c in self.cache) < self.size:
            p = self._paragraph()
            self.paras.append(p)
            self.cache.append(" ".join(p))
            added += len(p)
        self.words += added
        return added

    def edit(self):
        added, removed = super().edit()
        return added + self._grow(), removed


def build_one(env, revs, size, seed):
    init_env = {k: v for k, v in env.vars.items() if k != "GIT_DIR"}
    subprocess.run(["git", "init", "--bare", "-q", "--initial-branch=big", env.store],
                   check=True, env=init_env)
    env.git("config", "redliner.store", "true")
    fi = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env.vars)
    doc = BigDoc(0, seed, size)
    sizes = []
    for rev in range(1, revs + 1):
        added, removed = (doc.words, 0) if rev == 1 else doc.edit()
        text = doc.text()
        sizes.append(len(text))
        msg = bs.message("big", rev, doc.words, added, removed)
        t = bs.capture_time(0, rev)
        fi.stdin.write(
            b"commit refs/heads/big\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s"
            b"M 100644 inline big.txt\ndata %d\n%s\n"
            % (bs.AUTHOR, t, bs.AUTHOR, t, len(msg), msg, len(text), text))
    fi.stdin.write(b"done\n")
    fi.stdin.close()
    if fi.wait() != 0:
        raise SystemExit("git fast-import failed: " + fi.stderr.read().decode())
    return statistics.mean(sizes)


def median_s(env, cmd, runs):
    env.run(cmd)  # warm-up
    return statistics.median(env.timed(cmd) for _ in range(runs))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--revs", type=int, default=1000)
    ap.add_argument("--size", type=int, default=20000)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--revs2", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default="target/release/redliner")
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--skip-blame", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="redliner-bench-history-")
    try:
        binary = os.path.join(tmp, "redliner")
        shutil.copy2(args.bin, binary)
        if not args.skip_blame:
            env = bs.Env(tmp, os.path.join(tmp, "big.git"), binary)
            mean = build_one(env, args.revs, args.size, args.seed)
            out = env.rl("blame", "big", "--format", "json")
            assert out.startswith(b'{"schema":1'), out[:100]
            s = median_s(env, [binary, "blame", "big", "--format", "json"], args.runs)
            print(f"blame big ({args.revs} revisions, mean {mean / 1000:.1f} KB): "
                  f"{s:.2f} s median of {args.runs} (goal < 2 s: {'met' if s < 2 else 'MISSED'})")
            sys.stdout.flush()
        if not args.skip_search:
            env = bs.Env(tmp, os.path.join(tmp, "store.git"), binary)
            all_docs, first_text, took = bs.build_store(env, args.docs, args.revs2, args.seed)
            words = first_text.decode().split()
            phrase = " ".join(words[10:13])
            rl = [binary, "search", phrase, "--json"]
            git = ["git", "log", "--all", "-S", phrase, "--format=%H"]
            env.run(rl)
            env.run(git)
            a, b = [], []
            for _ in range(args.runs):
                a.append(env.timed(rl))
                b.append(env.timed(git))
            ra, rb = statistics.median(a), statistics.median(b)
            print(f"search {phrase!r} over {args.docs} x {args.revs2} revisions: redliner {ra:.2f} s, "
                  f"git log --all -S {rb:.2f} s, ratio {ra / rb:.2f} (goal <= 1.0: "
                  f"{'met' if ra <= rb else 'MISSED'})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
