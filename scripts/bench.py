#!/usr/bin/env python3
"""Compares `redliner diff --files --format plain` with
`git diff --no-index --word-diff=porcelain` on a deterministic corpus.

Generates English-like prose of about 10 KB, 1 MB and 10 MB, and revisions
with about 0.1 %, 1 % and 10 % of words edited (replacements, insertions,
deletions, sentence and paragraph moves, re-wrapped paragraphs) plus a total
rewrite. Runs both tools alternately, several runs each, and prints per pair
the median-time ratio, the peak-memory ratio, and both tools' changed-token
counts (whitespace-separated tokens inside changed text).

Usage: scripts/bench.py [--sizes 10k,1m,10m] [--runs 5] [--bin target/release/redliner]
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

WORDS = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which "
    "but have an they you were her she there been one all we their has would when if so no will "
    "more about can said them some could into than other its time only new these two may first "
    "then do any like my now over such our man me even most made after also did many before must "
    "through back years where much your way well down should because each just those people how "
    "too little state good very make world still own see men work long get here between both life "
    "being under never day same another know while last might us great old year off come since "
    "against go came right used take three ministers secretary statement security cooperation "
    "regional trilateral agreement policy government committee provisions section paragraph clause "
    "shall party parties notice terms service data privacy users information access rights"
).split()
SIZES = {"10k": 10_000, "1m": 1_000_000, "10m": 10_000_000}


def sentence(rng):
    n = rng.randint(6, 28)
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.3:
        words.insert(rng.randint(1, n - 1), str(rng.randint(1, 2030)))
    for i in range(1, n - 1):
        if rng.random() < 0.06:
            words[i] += ","
    s = " ".join(words)
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", "?", ";"])


def paragraph(rng):
    return [sentence(rng) for _ in range(rng.randint(2, 8))]


def corpus(size, seed):
    rng = random.Random(seed)
    paras, total = [], 0
    while total < size:
        p = paragraph(rng)
        total += sum(len(s) + 1 for s in p) + 1
        paras.append(p)
    return paras


def render(paras, wraps):
    out = []
    for i, p in enumerate(paras):
        text = " ".join(p)
        w = wraps.get(i)
        if w:
            lines, line = [], ""
            for word in text.split(" "):
                if line and len(line) + 1 + len(word) > w:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
            lines.append(line)
            text = "\n".join(lines)
        out.append(text)
    return "\n\n".join(out) + "\n"


def edit(paras, fraction, seed):
    """Edits about `fraction` of the words; returns new paragraphs and wraps."""
    rng = random.Random(seed)
    paras = [list(p) for p in paras]
    nwords = sum(len(s.split()) for p in paras for s in p)
    edits = max(1, int(nwords * fraction))
    wraps = {}
    done = 0
    while done < edits:
        kind = rng.random()
        pi = rng.randrange(len(paras))
        p = paras[pi]
        if not p:
            continue
        si = rng.randrange(len(p))
        words = p[si].split(" ")
        if kind < 0.55:  # replace a word
            wi = rng.randrange(len(words))
            words[wi] = rng.choice(WORDS)
            done += 1
        elif kind < 0.75:  # insert words
            k = rng.randint(1, 3)
            wi = rng.randrange(len(words))
            words[wi:wi] = [rng.choice(WORDS) for _ in range(k)]
            done += k
        elif kind < 0.93:  # delete words
            if len(words) > 4:
                k = rng.randint(1, 2)
                wi = rng.randrange(1, len(words) - k)
                del words[wi:wi + k]
                done += k
        elif kind < 0.97:  # move a sentence
            s = p.pop(si)
            q = paras[rng.randrange(len(paras))]
            q.insert(rng.randint(0, len(q)), s)
            done += len(s.split())
            continue
        elif kind < 0.99:  # move a paragraph
            q = paras.pop(pi)
            paras.insert(rng.randrange(len(paras) + 1), q)
            done += sum(len(s.split()) for s in q)
            continue
        else:  # re-wrap a paragraph
            wraps[pi] = rng.choice([60, 72, 80])
            continue
        p[si] = " ".join(words)
    return paras, wraps


TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run(cmd):
    """Runs cmd; returns (seconds, peak RSS in KiB, stdout bytes).

    Peak memory comes from GNU time (a small parent, so the child's high-water
    mark is its own); without it, from wait4, which also counts the memory the
    child shared with this Python process before exec."""
    rss_file = None
    if TIME:
        fd, rss_file = tempfile.mkstemp()
        os.close(fd)
        cmd = [TIME, "-f", "%M", "-o", rss_file] + cmd
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{cmd} failed with exit {code}")
    rss = ru.ru_maxrss
    if rss_file:
        with open(rss_file) as f:
            lines = [l for l in f.read().split() if l.isdigit()]
        os.unlink(rss_file)
        rss = int(lines[-1]) if lines else rss
    return elapsed, rss, out


def git_changed_tokens(out):
    n = 0
    for line in out.decode("utf-8", "replace").split("\n"):
        if line.startswith(("+++", "---")):
            continue
        if line.startswith(("+", "-")):
            n += len(line[1:].split())
    return n


def redliner_changed_tokens(binary, a, b):
    out = subprocess.run([binary, "diff", "--files", a, b, "--format", "json"], capture_output=True).stdout
    d = json.loads(out)
    return sum(len(op["text"].split()) for op in d["ops"] if op["op"] != "equal")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,1m,10m")
    ap.add_argument("--edits", default="0.001,0.01,0.1,rewrite")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default="target/release/redliner")
    ap.add_argument("--keep", help="write the corpus to this directory")
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        subprocess.run(["cargo", "build", "--release", "--quiet"], check=True)
    tmp = args.keep or tempfile.mkdtemp(prefix="redliner-bench-")
    os.makedirs(tmp, exist_ok=True)
    env_git = ["git", "-c", "core.quotepath=off", "diff", "--no-index", "--no-color", "--word-diff=porcelain"]
    print(f"{'pair':<16} {'time ratio':>10} {'mem ratio':>10} {'redliner ms':>12} {'git ms':>9} {'rl MiB':>8} {'git MiB':>8} {'rl tokens':>10} {'git tokens':>10}")
    for size_name in args.sizes.split(","):
        size = SIZES[size_name]
        paras = corpus(size, seed=size)
        old = os.path.join(tmp, f"{size_name}-old.txt")
        with open(old, "w") as f:
            f.write(render(paras, {}))
        for e in args.edits.split(","):
            if e == "rewrite":
                new_paras, wraps = corpus(size, seed=size + 1), {}
            else:
                new_paras, wraps = edit(paras, float(e), seed=size + int(float(e) * 10000))
            new = os.path.join(tmp, f"{size_name}-{e}.txt")
            with open(new, "w") as f:
                f.write(render(new_paras, wraps))
            rl_t, git_t, rl_m, git_m = [], [], [], []
            for _ in range(args.runs):
                t, m, _ = run([args.bin, "diff", "--files", old, new, "--format", "plain"])
                rl_t.append(t)
                rl_m.append(m)
                t, m, gout = run(env_git + [old, new])
                git_t.append(t)
                git_m.append(m)
            rt, gt = statistics.median(rl_t), statistics.median(git_t)
            rm, gm = max(rl_m), max(git_m)
            rtok = redliner_changed_tokens(args.bin, old, new)
            gtok = git_changed_tokens(gout)
            label = f"{size_name} {e if e == 'rewrite' else str(float(e) * 100) + '%'}"
            print(f"{label:<16} {rt / gt:>10.2f} {rm / gm:>10.2f} {rt * 1000:>12.1f} {gt * 1000:>9.1f} {rm / 1024:>8.1f} {gm / 1024:>8.1f} {rtok:>10} {gtok:>10}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
