#!/usr/bin/env python3
"""Compares `redliner diff --files --format plain` with
`git diff --no-index --word-diff=porcelain` on a deterministic corpus.

Generates English-like prose of about 10 KB, 1 MB and 10 MB, and revisions
with about 0.1 %, 1 %, 10 % of words edited (replacements, insertions,
deletions, sentence and paragraph moves, re-wrapped paragraphs), a harder
edit mix, a total rewrite and a same-vocabulary rewrite. Runs both tools
alternately, several runs each, and prints per pair the median-time ratio,
the peak-memory ratio, and both tools' changed-token counts
(whitespace-separated tokens inside changed text).

--edits takes a comma-separated list of (default: all of them)
  0.001, 0.01, 0.1  that fraction of words edited; at 1 MB 0.1 the budget
                    (in words) is about 1/3 word edits, 1/6 moved sentences,
                    1/2 moved paragraphs, and 2 % of paragraphs re-wrapped
  mix               10 % of words edited, weighted towards moves and reflows:
                    the budget (in words) is 10 % word edits, 35 % moved
                    sentences (30 % of them into the same or a neighbouring
                    paragraph, 30 % also edited), 55 % moved paragraphs (30 %
                    of them by one or two places, 30 % also edited); then
                    every paragraph that a move touched is re-wrapped with
                    probability 1/2 and every other one with 3/20. At 1 MB
                    against 0.1: 1.9x the sentence moves (367), 1.16x the
                    paragraph moves (125), 14x the re-wrapped paragraphs (558)
  rewrite           a total rewrite: an unrelated text from the same generator
  samevocab         a total rewrite by an order-1 word Markov chain trained on
                    the old text (same tokens, punctuation attached), with the
                    old text's number of words in each paragraph, so many
                    spurious short matches. The generator draws words
                    independently from one list, so `rewrite` shares most of
                    the vocabulary too; `samevocab` also keeps the old text's
                    numbers, capitals, punctuation and word pairs
Every revision is seeded, so the corpus is the same on every run.

Usage: scripts/bench.py [--sizes 10k,1m,10m] [--runs 5] [--bin target/release/redliner]
                        [--edits 0.001,0.01,0.1,mix,rewrite,samevocab] [--keep DIR]
"""
import argparse
import json
import os
import random
import shutil
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


MIX_FRACTION = 0.1
MIX_SHARES = (("word", 0.10), ("sentence", 0.35), ("paragraph", 0.55))
EDIT_NAMES = ("mix", "rewrite", "samevocab")


def _word_edit(rng, words):
    """One replacement, insertion or deletion in `words` (in place); returns
    the number of words edited."""
    kind = rng.random()
    if kind < 0.55 or len(words) <= 4:
        words[rng.randrange(len(words))] = rng.choice(WORDS)
        return 1
    if kind < 0.78:
        k = rng.randint(1, 3)
        wi = rng.randrange(len(words))
        words[wi:wi] = [rng.choice(WORDS) for _ in range(k)]
        return k
    k = rng.randint(1, 2)
    wi = rng.randrange(1, len(words) - k)
    del words[wi:wi + k]
    return k


def _edit_sentence(rng, p, si):
    words = p[si].split(" ")
    n = _word_edit(rng, words)
    p[si] = " ".join(words)
    return n


def edit_mix(paras, fraction, seed, stats=None):
    """The `mix` revision: about `fraction` of the words edited, the budget
    split by MIX_SHARES between word edits, sentence moves and paragraph moves
    (a move costs its words), then many paragraphs re-wrapped. Returns new
    paragraphs and wraps, like edit(); counts what it did into `stats` if
    given (a dict)."""
    rng = random.Random(seed)
    paras = [list(p) for p in paras]
    nwords = sum(len(s.split()) for p in paras for s in p)
    budget = max(1, int(nwords * fraction))
    left = {k: budget * share for k, share in MIX_SHARES}
    touched = set()  # id() of paragraph lists a move took from, put into or moved
    st = stats if stats is not None else {}

    def count(key, n=1):
        st[key] = st.get(key, 0) + n
    while True:
        kinds = [k for k, _ in MIX_SHARES if left[k] > 0]
        if not kinds:
            break
        kind = rng.choices(kinds, weights=[left[k] for k in kinds])[0]
        if kind == "word":
            p = paras[rng.randrange(len(paras))]
            n = _edit_sentence(rng, p, rng.randrange(len(p)))
            left["word"] -= n
            count("word edits")
            count("edited words", n)
        elif kind == "sentence":
            pi = rng.randrange(len(paras))
            p = paras[pi]
            if len(p) < 2:
                continue
            s = p.pop(rng.randrange(len(p)))
            if rng.random() < 0.3:  # to the same or a neighbouring paragraph
                qi = min(len(paras) - 1, max(0, pi + rng.randint(-1, 1)))
            else:
                qi = rng.randrange(len(paras))
            q = paras[qi]
            si = rng.randint(0, len(q))
            q.insert(si, s)
            touched.update((id(p), id(q)))
            left["sentence"] -= len(s.split())
            count("sentence moves")
            count("moved sentence words", len(s.split()))
            if rng.random() < 0.3:
                n = _edit_sentence(rng, q, si)
                left["word"] -= n
                count("edited words", n)
        else:
            pi = rng.randrange(len(paras))
            q = paras.pop(pi)
            if rng.random() < 0.3:  # swap with a neighbour, or move a step or two
                qi = min(len(paras), max(0, pi + rng.choice([-2, -1, 1, 2])))
            else:
                qi = rng.randrange(len(paras) + 1)
            paras.insert(qi, q)
            touched.add(id(q))
            left["paragraph"] -= sum(len(s.split()) for s in q)
            count("paragraph moves")
            count("moved paragraph words", sum(len(s.split()) for s in q))
            if rng.random() < 0.3:
                n = _edit_sentence(rng, q, rng.randrange(len(q)))
                left["word"] -= n
                count("edited words", n)
    wraps = {}
    for i, p in enumerate(paras):
        if rng.random() < (0.5 if id(p) in touched else 0.15):
            wraps[i] = rng.choice([60, 72, 80])
    st["re-wrapped paragraphs"] = len(wraps)
    st["paragraphs"] = len(paras)
    st["budget"] = budget
    return paras, wraps


def markov_rewrite(paras, seed):
    """The `samevocab` revision: an order-1 word Markov chain trained on the
    old paragraphs generates as many words as they hold, cut into paragraphs
    of the same word counts. A word with no successor (the last one) restarts
    the chain at a random word."""
    rng = random.Random(seed)
    tokens = [w for p in paras for s in p for w in s.split(" ")]
    follow = {}
    for a, b in zip(tokens, tokens[1:]):
        follow.setdefault(a, []).append(b)
    out, w = [], rng.choice(tokens)
    for p in paras:
        words = []
        for _ in range(sum(len(s.split(" ")) for s in p)):
            words.append(w)
            nxt = follow.get(w)
            w = rng.choice(nxt) if nxt else rng.choice(tokens)
        out.append([" ".join(words)])
    return out, {}


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
    ap.add_argument("--edits", default="0.001,0.01,0.1,mix,rewrite,samevocab",
                    help="comma-separated: fractions of words edited (0.001, 0.01, 0.1, ...), "
                    "mix (10 %% edits heavy in sentence and paragraph moves and reflows), "
                    "rewrite (unrelated text), samevocab (word Markov chain over the old text); "
                    "default %(default)s")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default="target/release/redliner")
    ap.add_argument("--in-place", action="store_true",
                    help="time --bin where it is rather than an installed copy")
    ap.add_argument("--keep", help="write the corpus to this directory")
    args = ap.parse_args()
    for e in args.edits.split(","):
        if e not in EDIT_NAMES:
            try:
                float(e)
            except ValueError:
                ap.error(f"--edits: {e!r} is neither a fraction nor one of {', '.join(EDIT_NAMES)}")
    for size_name in args.sizes.split(","):
        if size_name not in SIZES:
            ap.error(f"--sizes: {size_name!r} is not one of {', '.join(SIZES)}")
    if not os.path.exists(args.bin):
        subprocess.run(["cargo", "build", "--release", "--quiet"], check=True)
    tmp = args.keep or tempfile.mkdtemp(prefix="redliner-bench-")
    os.makedirs(tmp, exist_ok=True)
    try:
        measure(args, tmp)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def measure(args, tmp):
    if not args.in_place:
        # Time an installed copy, as the other bench scripts do: a binary
        # just written by the linker maps more slowly (see redline_quality.py's
        # installed_copy).
        installed = os.path.join(tmp, "redliner")
        shutil.copy2(args.bin, installed)
        args.bin = installed
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
            elif e == "mix":
                new_paras, wraps = edit_mix(paras, MIX_FRACTION, seed=size + 3001)
            elif e == "samevocab":
                new_paras, wraps = markov_rewrite(paras, seed=size + 4001)
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
            label = f"{size_name} {e if e in EDIT_NAMES else str(float(e) * 100) + '%'}"
            print(f"{label:<16} {rt / gt:>10.2f} {rm / gm:>10.2f} {rt * 1000:>12.1f} {gt * 1000:>9.1f} {rm / 1024:>8.1f} {gm / 1024:>8.1f} {rtok:>10} {gtok:>10}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
