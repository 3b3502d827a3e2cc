#!/usr/bin/env python3
"""Packing (issue 16): builds a store with REVS `redliner record` calls (one
document of about 2-5 KB, the generator of scripts/bench_store.py; record's
automatic packing on, at its default threshold unless --gc-auto), then:

- times `redliner log DOC` against `git log DOC` on the same branch,
  alternating the two (goal: ratio <= 1.0), before and after `redliner gc`;
- reports the loose objects and packs left by the records, the store's size
  on disk and the bytes per revision before and after `redliner gc`;
- reports how long `record` took: the median call, and the calls that
  started a background packing (the whole process: counting the loose
  objects and starting `git repack` included, the packing itself not).

Prints median wall times of RUNS runs and the ratios.

Usage: scripts/bench_log.py [--revs 1000] [--runs 15] [--gc-auto N]
                            [--bin target/release/redliner] [--keep]
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_store as bs  # noqa: E402


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def build(env, revs, seed, extra):
    doc = bs.Doc(0, seed)
    normal, packing = [], []
    for rev in range(1, revs + 1):
        if rev > 1:
            doc.edit()
        lock = os.path.join(env.store, "redliner", "pack.lock")
        running = os.path.exists(lock)
        t = env.timed([env.bin, "record", "big", "-", "--at", rfc3339(bs.capture_time(0, rev))],
                      input=doc.text(), extra=extra)
        # A lock that appeared during this record: it started a packing.
        (packing if not running and os.path.exists(lock) else normal).append(t)
    wait_packing(env)
    return normal, packing


def wait_packing(env):
    """Waits for the background packing `record` started to end."""
    lock = os.path.join(env.store, "redliner", "pack.lock")
    while os.path.exists(lock):
        time.sleep(0.02)


def cpu_timed(env, cmd):
    """Wall time and CPU time (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = env.timed(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compare(env, runs):
    """Median wall and CPU times of `redliner log` and `git log`, alternated."""
    rl = [env.bin, "--no-pager", "log", "big"]
    git = ["git", "log", "big"]
    env.run(rl)
    env.run(git)
    a, b = [], []
    for _ in range(runs):
        a.append(cpu_timed(env, rl))
        b.append(cpu_timed(env, git))
    med = lambda xs, i: statistics.median(x[i] for x in xs)  # noqa: E731
    return med(a, 0), med(b, 0), med(a, 1), med(b, 1)


def report(label, times):
    ra, rb, ca, cb = times
    print(f"{label}: wall redliner {ra * 1000:.1f} ms, git log {rb * 1000:.1f} ms, ratio {ra / rb:.2f}; "
          f"CPU {ca * 1000:.1f} vs {cb * 1000:.1f} ms, ratio {ca / cb:.2f} "
          f"(goal <= 1.0: {'met' if ra <= rb else 'MISSED'})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--revs", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gc-auto", type=int, default=None, help="REDLINER_GC_AUTO for the records")
    ap.add_argument("--bin", default="target/release/redliner")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory (printed)")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="redliner-bench-log-")
    try:
        binary = os.path.join(tmp, "redliner")
        shutil.copy2(args.bin, binary)
        env = bs.Env(tmp, os.path.join(tmp, "store.git"), binary)
        extra = None if args.gc_auto is None else {"REDLINER_GC_AUTO": str(args.gc_auto)}
        normal, packing = build(env, args.revs, args.seed, extra)
        print(f"{args.revs} records: median {statistics.median(normal) * 1000:.1f} ms; "
              f"{len(packing)} started a background packing, taking "
              + (", ".join(f"{t * 1000:.0f}" for t in packing) or "-") + " ms")
        print("after the records: " + bs.describe_store(env))
        size, _ = bs.du(os.path.join(env.store, "objects"))
        print(f"  objects/: {size / args.revs:.0f} bytes per revision")
        report(f"log big ({args.revs} revisions)", compare(env, args.runs))
        sys.stdout.flush()
        start = time.perf_counter()
        env.rl("gc")
        took = time.perf_counter() - start
        print(f"redliner gc: {took:.2f} s; after: " + bs.describe_store(env))
        size, _ = bs.du(os.path.join(env.store, "objects"))
        print(f"  objects/: {size / args.revs:.0f} bytes per revision")
        report("log big after gc", compare(env, args.runs))
        fsck = subprocess.run(["git", "fsck", "--strict", "--no-dangling"], env=env.vars,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        print("git fsck --strict: " + ("clean" if fsck.returncode == 0 and not fsck.stdout.strip()
                                       else fsck.stdout.decode()[:300]))
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
