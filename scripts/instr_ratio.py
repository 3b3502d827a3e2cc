#!/usr/bin/env python3
"""Instruction counts of `redliner diff --format json` against
`git diff --no-index --word-diff=porcelain` on the real revision pairs,
under valgrind's callgrind: a measure that does not depend on the load of
a shared machine (wall time does). Prints per pair the two counts and
their ratio, then the geometric mean and the maximum.

Usage: scripts/instr_ratio.py [--bin target/release/redliner] [--pairs tests/real-revisions]
"""
import argparse
import atexit
import math
import os
import re
import shutil
import subprocess
import tempfile


def instructions(cmd, env):
    with tempfile.NamedTemporaryFile(prefix="cg-", delete=False) as f:
        out = f.name
    try:
        p = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *cmd],
            capture_output=True, text=True, env=env)
        m = re.search(r"Collected : (\d+)", p.stderr)
        if not m:
            raise SystemExit(f"no count from valgrind for {cmd}: {p.stderr[-400:]}")
        return int(m.group(1))
    finally:
        os.unlink(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/redliner")
    ap.add_argument("--pairs", default="tests/real-revisions")
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="instr-home-")
    atexit.register(shutil.rmtree, home, True)
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home, GIT_CONFIG_NOSYSTEM="1")
    ratios = []
    for name in sorted(os.listdir(args.pairs)):
        d = os.path.join(args.pairs, name)
        old, new = os.path.join(d, "old.md"), os.path.join(d, "new.md")
        if not os.path.isfile(old):
            continue
        rl = instructions([args.bin, "diff", "--files", old, new, "--format", "json"], env)
        git = instructions(["git", "diff", "--no-index", "--no-color", "--word-diff=porcelain", old, new], env)
        ratios.append((rl / git, name))
        print(f"{name:<50} {rl:>12,} {git:>12,} {rl / git:6.2f}", flush=True)
    geo = math.exp(sum(math.log(r) for r, _ in ratios) / len(ratios))
    worst = max(ratios)
    print(f"geometric mean {geo:.2f}x, max {worst[0]:.2f}x ({worst[1]}) over {len(ratios)} pairs")


if __name__ == "__main__":
    main()
