#!/usr/bin/env python3
"""Export at scale (issue 15): times `redliner export DIR` on a store of
DOCS x REVS revisions built like scripts/bench_store.py's (one `git
fast-import` stream, deterministic), first into an empty folder (goal:
under 30 s for 1,000 x 10), then again with nothing changed (goal: under
2 s; median of RUNS runs), then after one new revision of one document.
Checks that the unchanged re-export wrote nothing and left every byte as
it was. Prints wall times and the machine's load average (the machine may
be shared).

Usage: scripts/bench_export.py [--docs 1000] [--revs 10] [--runs 3]
                               [--bin target/release/redliner]
"""
import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_store as bs  # noqa: E402


def site_digest(root):
    h = hashlib.sha256()
    n = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for f in sorted(filenames):
            p = os.path.join(dirpath, f)
            h.update(os.path.relpath(p, root).encode() + b"\0")
            with open(p, "rb") as fh:
                h.update(fh.read())
            n += 1
    return h.hexdigest(), n


def timed(env, cmd):
    start = time.perf_counter()
    r = subprocess.run(cmd, env=env.vars, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if r.returncode != 0:
        raise SystemExit(f"{cmd} failed: {r.stderr.decode()}")
    return took, r.stderr.decode().strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--revs", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default="target/release/redliner")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="redliner-bench-export-")
    try:
        binary = os.path.join(tmp, "redliner")
        shutil.copy2(args.bin, binary)
        env = bs.Env(tmp, os.path.join(tmp, "store.git"), binary)
        all_docs, first_text, took = bs.build_store(env, args.docs, args.revs, args.seed)
        mean = statistics.mean(len(d.text()) for d in all_docs)
        print(f"store: {args.docs} documents x {args.revs} revisions (latest text mean {mean / 1000:.1f} KB), "
              f"built in {took:.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        site = os.path.join(tmp, "site")
        first, msg = timed(env, [binary, "export", site])
        digest, files = site_digest(site)
        print(f"export into an empty folder: {first:.2f} s ({files} files; {msg}) "
              f"(goal < 30 s: {'met' if first < 30 else 'MISSED'})")
        again = []
        for _ in range(args.runs):
            t, msg = timed(env, [binary, "export", site])
            assert " 0 files written" in msg, msg
            assert site_digest(site) == (digest, files), "re-export changed the site"
            again.append(t)
        med = statistics.median(again)
        print(f"re-export, nothing changed: {med:.2f} s median of {args.runs} ({msg}) "
              f"(goal < 2 s: {'met' if med < 2 else 'MISSED'}); byte-identical")
        new = os.path.join(tmp, "new.txt")
        with open(new, "wb") as fh:
            fh.write(first_text + b"\n\nOne more paragraph for the benchmark.\n")
        env.rl("record", bs.doc_name(0), new)
        t, msg = timed(env, [binary, "export", site])
        print(f"re-export after one new revision: {t:.2f} s ({msg}); "
              f"load average {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
