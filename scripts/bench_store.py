#!/usr/bin/env python3
"""The store at scale: builds a redliner store of DOCS documents by REVS
revisions with one `git fast-import` stream, checks that redliner reads it,
then times redliner against the git commands that do the same work.

The store has exactly redliner's layout: a bare repository marked with
`redliner.store = true`, one branch `refs/heads/<doc>` per document, one
commit per revision (the first a root commit) whose tree holds only
`<doc>.txt`, author and committer `redliner <redliner@localhost>` at the
capture time, and the message `<first line>\\n\\nRedliner-Revision: N\\n
Redliner-Words: W\\nRedliner-Added: A\\nRedliner-Removed: R\\nSource: URL\\n`.
Texts are generated prose of about 2-5 KB; each revision is a small word
edit of the previous one, and the trailers count exactly those edits.
Everything is deterministic (fixed seeds, fixed capture times).

fast-import writes all objects into one pack (blobs deltified against the
previous revision) and the refs as loose files. `--pack` also measures after
`git gc` (packed refs, commit-graph, repacked objects); `--loose` also
measures with every object loose, as libgit2 leaves a store that redliner
wrote itself (costly at full size: about 3 files per revision).

Measurements (alternating redliner and git, one warm-up pair, then RUNS
pairs; the median wall time of each, with stdout read through a pipe):
  startup  redliner --version               vs git --version   (process start, reference only)
  log      redliner --no-pager log DOC      vs git log --format='%H %at %s' refs/heads/DOC
  show     redliner show DOC@1              vs the same git log          (goal: ratio <= 1.0)
  diff     redliner diff DOC@1 DOC@REVS --format plain
                                            vs git diff --word-diff=plain (reference only)
  list     redliner list, list --json       vs git for-each-ref reading each tip's trailers
                                               (reference only; goal: under 50 ms)
  record   redliner record DOC2 - (a new revision of an existing document)
           vs git hash-object -w --stdin, mktree, commit-tree -p, update-ref NEW OLD
           as four processes                                      (goal: ratio <= 1.0)
Every command runs with a minimal environment: GIT_CONFIG_NOSYSTEM=1, HOME
and XDG directories in the temporary directory, TZ=UTC, REDLINER_STORE and
GIT_DIR set to the store. The binary is copied first, so a concurrent
`cargo build` does not change it halfway.

Usage: scripts/bench_store.py [--docs 1000] [--revs 100] [--runs 7]
                              [--bin target/release/redliner] [--pack] [--loose]
                              [--verify] [--keep DIR]
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

# The same word list as bench.py's generator (scripts/ is on sys.path when
# a script in it runs).
from bench import WORDS  # noqa: E402

BASE_TIME = 1_600_000_000  # 2020-09-13T12:26:40Z
AUTHOR = b"redliner <redliner@localhost>"
LIST_GOAL_MS = 50.0


# --- deterministic documents -------------------------------------------------

def doc_name(i):
    return f"doc-{i:04d}"


def capture_time(d, rev):
    """Capture time of revision `rev` of document `d`: every 6 hours, documents
    staggered by 7 seconds, so each document's history is in time order."""
    return BASE_TIME + d * 7 + rev * 6 * 3600


class Doc:
    """A document's current text as paragraphs of words; `edit` changes a few
    words and returns the words added and removed."""

    def __init__(self, index, seed):
        self.index = index
        self.name = doc_name(index)
        self.rng = random.Random(seed * 1_000_003 + index)
        target = self.rng.randint(2000, 4500)
        self.paras, size = [], 0
        while size < target:
            p = self._paragraph()
            self.paras.append(p)
            size += sum(len(w) + 1 for w in p) + 1
        self.cache = [" ".join(p) for p in self.paras]
        self.words = sum(len(p) for p in self.paras)

    def _sentence(self):
        rng = self.rng
        n = rng.randint(6, 24)
        words = [rng.choice(WORDS) for _ in range(n)]
        if rng.random() < 0.3:
            words[rng.randint(1, n - 1)] = str(rng.randint(1, 2030))
        for i in range(1, n - 1):
            if rng.random() < 0.06:
                words[i] += ","
        words[0] = words[0][0].upper() + words[0][1:]
        words[-1] += rng.choice([".", ".", ".", "?", ";"])
        return words

    def _paragraph(self):
        out = []
        for _ in range(self.rng.randint(2, 6)):
            out.extend(self._sentence())
        return out

    def text(self):
        return ("\n\n".join(self.cache) + "\n").encode()

    def edit(self):
        """One to three word edits in one or two paragraphs (sometimes a new
        sentence); returns (added, removed) word counts."""
        rng = self.rng
        added = removed = 0
        for _ in range(rng.randint(1, 3)):
            pi = rng.randrange(len(self.paras))
            p = self.paras[pi]
            kind = rng.random()
            if kind < 0.55 or len(p) < 8:  # replace one word, keeping its punctuation
                wi = rng.randrange(len(p))
                old = p[wi]
                core = old.rstrip(",.?;")
                new = rng.choice(WORDS)
                if new == core.lower():
                    new = rng.choice(WORDS[::-1])
                if new == core.lower():
                    continue
                if core[:1].isupper():
                    new = new[0].upper() + new[1:]
                p[wi] = new + old[len(core):]
                added += 1
                removed += 1
            elif kind < 0.75:  # insert one to three words
                k = rng.randint(1, 3)
                wi = rng.randint(1, len(p) - 1)
                p[wi:wi] = [rng.choice(WORDS) for _ in range(k)]
                added += k
            elif kind < 0.95:  # delete one or two words inside a sentence
                k = rng.randint(1, 2)
                wi = rng.randint(1, len(p) - k - 1)
                if any(w[-1] in ",.?;" for w in p[wi:wi + k]):
                    continue
                del p[wi:wi + k]
                removed += k
            else:  # append a sentence, trimmed back when the text grows past ~5 KB
                s = self._sentence()
                p.extend(s)
                added += len(s)
                if sum(len(c) for c in self.cache) > 5000 and len(self.paras) > 2:
                    qi = (pi + 1) % len(self.paras)
                    removed += len(self.paras[qi])
                    del self.paras[qi]
                    del self.cache[qi]
                    if qi < pi:
                        pi -= 1
            self.cache[pi] = " ".join(self.paras[pi])
        self.words += added - removed
        if added == 0 and removed == 0:  # never record the same text twice
            return self.edit()
        return added, removed


def message(doc, rev, words, added, removed):
    first = "first capture" if rev == 1 else f"Record {doc} revision {rev}"
    return (
        f"{first}\n\nRedliner-Revision: {rev}\nRedliner-Words: {words}\n"
        f"Redliner-Added: {added}\nRedliner-Removed: {removed}\n"
        f"Source: https://example.org/statements/{doc}\n"
    ).encode()


# --- running commands ----------------------------------------------------------

class Env:
    def __init__(self, tmp, store, binary):
        home = os.path.join(tmp, "home")
        os.makedirs(home, exist_ok=True)
        self.store = store
        self.bin = binary
        self.vars = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_DIR": store,
            "REDLINER_STORE": store,
            "TZ": "UTC",
            "LC_ALL": "C",
            "NO_COLOR": "1",
            "PAGER": "cat",
            "GIT_PAGER": "cat",
        }

    def run(self, cmd, input=None, ok=(0,), extra=None):
        env = self.vars if extra is None else {**self.vars, **extra}
        p = subprocess.run(cmd, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        if p.returncode not in ok:
            raise BenchError(cmd, p.returncode, p.stderr.decode("utf-8", "replace").strip())
        return p.stdout

    def timed(self, cmd, input=None, ok=(0,), extra=None):
        start = time.perf_counter()
        self.run(cmd, input, ok, extra)
        return time.perf_counter() - start

    def git(self, *args, input=None, extra=None):
        return self.run(["git", *args], input=input, extra=extra)

    def rl(self, *args, input=None, ok=(0,)):
        return self.run([self.bin, *args], input=input, ok=ok)


class BenchError(Exception):
    def __init__(self, cmd, code, stderr):
        super().__init__(f"`{' '.join(cmd)}` exited {code}: {stderr}")


def git_identity(t):
    return {
        "GIT_AUTHOR_NAME": "redliner",
        "GIT_AUTHOR_EMAIL": "redliner@localhost",
        "GIT_AUTHOR_DATE": f"@{t} +0000",
        "GIT_COMMITTER_NAME": "redliner",
        "GIT_COMMITTER_EMAIL": "redliner@localhost",
        "GIT_COMMITTER_DATE": f"@{t} +0000",
    }


# --- building the store -------------------------------------------------------

def build_store(env, docs, revs, seed):
    """Creates the store with one fast-import stream; returns the Doc objects
    (each at its latest revision), doc-0000's first text and the time taken."""
    start = time.perf_counter()
    init_env = {k: v for k, v in env.vars.items() if k != "GIT_DIR"}
    subprocess.run(["git", "init", "--bare", "-q", "--initial-branch=" + doc_name(0), env.store],
                   check=True, env=init_env)
    env.git("config", "redliner.store", "true")
    fi = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env.vars,
    )
    out = fi.stdin
    all_docs, first_text = [], None
    chunk = []
    for d in range(docs):
        doc = Doc(d, seed)
        name = doc.name.encode()
        ref = b"refs/heads/" + name
        path = name + b".txt"
        for rev in range(1, revs + 1):
            if rev == 1:
                added, removed = doc.words, 0
            else:
                added, removed = doc.edit()
            text = doc.text()
            if d == 0 and rev == 1:
                first_text = text
            msg = message(doc.name, rev, doc.words, added, removed)
            t = capture_time(d, rev)
            chunk.append(
                b"commit %s\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s"
                b"M 100644 inline %s\ndata %d\n%s\n"
                % (ref, AUTHOR, t, AUTHOR, t, len(msg), msg, path, len(text), text)
            )
        out.write(b"".join(chunk))
        chunk.clear()
        all_docs.append(doc)
    out.write(b"done\n")
    out.close()
    err = fi.stderr.read().decode("utf-8", "replace")
    if fi.wait() != 0:
        raise SystemExit(f"git fast-import failed: {err}")
    env.git("symbolic-ref", "HEAD", "refs/heads/" + doc_name(0))
    return all_docs, first_text, time.perf_counter() - start


def du(path):
    total = files = 0
    for root, _, names in os.walk(path):
        for n in names:
            try:
                total += os.lstat(os.path.join(root, n)).st_size
                files += 1
            except OSError:
                pass
    return total, files


def describe_store(env):
    objs = env.git("count-objects", "-v").decode().split("\n")
    kv = dict(l.split(": ", 1) for l in objs if ": " in l)
    loose_refs = len(os.listdir(os.path.join(env.store, "refs", "heads")))
    packed = os.path.exists(os.path.join(env.store, "packed-refs"))
    graph = os.path.exists(os.path.join(env.store, "objects", "info", "commit-graph"))
    size, files = du(env.store)
    return (f"{int(kv.get('count', 0))} loose objects, {int(kv.get('in-pack', 0))} packed in "
            f"{kv.get('packs', '?')} pack(s); {loose_refs} loose refs, packed-refs: "
            f"{'yes' if packed else 'no'}, commit-graph: {'yes' if graph else 'no'}; "
            f"{size / 2**20:.1f} MiB in {files} files")


# --- checks ----------------------------------------------------------------------

def check_store(env, docs, revs, first_text, all_docs, verify):
    """Checks that redliner reads the generated store as its own."""
    problems = []
    log = json.loads(env.rl("log", doc_name(0), "--json"))
    if len(log) != revs or [e["rev"] for e in log] != list(range(revs, 0, -1)):
        problems.append(f"`redliner log {doc_name(0)} --json`: expected revisions {revs}..1, got {[e['rev'] for e in log][:5]}... ({len(log)} entries)")
    last = all_docs[0]
    if log and (log[0]["words"] != last.words or log[0]["source"] != f"https://example.org/statements/{doc_name(0)}"):
        problems.append(f"`redliner log {doc_name(0)} --json`: newest entry {log[0]} does not carry the generated trailers")
    shown = env.rl("show", f"{doc_name(0)}@1")
    if shown != first_text:
        problems.append(f"`redliner show {doc_name(0)}@1`: {len(shown)} bytes differ from the generated first text ({len(first_text)} bytes)")
    lastdoc = all_docs[-1]
    shown = env.rl("show", f"{lastdoc.name}@{revs}")
    if shown != lastdoc.text():
        problems.append(f"`redliner show {lastdoc.name}@{revs}`: differs from the generated latest text")
    listed = json.loads(env.rl("list", "--json"))
    if len(listed) != docs or any(e["revisions"] != revs for e in listed):
        problems.append(f"`redliner list --json`: expected {docs} documents of {revs} revisions, got {len(listed)}")
    if verify:
        start = time.perf_counter()
        out = env.rl("verify").decode().strip()
        print(f"  redliner verify: {out} ({time.perf_counter() - start:.1f} s)")
    return problems


# --- measuring -------------------------------------------------------------------

def median_ms(xs):
    return statistics.median(xs) * 1000


def alternate(runs, a, b):
    """Runs a and b alternately: one warm-up pair, then `runs` timed pairs."""
    ta, tb = [], []
    for i in range(runs + 1):
        x = a(i)
        y = b(i) if b else None
        if i > 0:
            ta.append(x)
            if b:
                tb.append(y)
    return ta, tb


class Recorder:
    """Hands out documents to append a revision to: redliner and git each get
    their own document per run, never the one the read measurements use."""

    def __init__(self, all_docs, skip):
        self.pool = [d for d in all_docs if d.index not in skip] or all_docs
        self.next = 0
        self.revs = {}

    def take(self, env):
        doc = self.pool[self.next % len(self.pool)]
        self.next += 1
        added, removed = doc.edit()
        tip = env.git("rev-parse", "refs/heads/" + doc.name).decode().strip()
        rev = self.revs.get(doc.name, None)
        if rev is None:
            rev = int(env.git("log", "-1", "--format=%(trailers:key=Redliner-Revision,valueonly)",
                              "refs/heads/" + doc.name).decode().strip())
        self.revs[doc.name] = rev + 1
        return doc, doc.text(), tip, rev + 1, added, removed


def measure(env, args, all_docs, layout):
    docs, revs = args.docs, args.revs
    target = all_docs[docs // 2]
    doc = target.name
    rows = []
    rl, runs = env.bin, args.runs

    def pair(label, rl_cmd, git_cmd, goal, ok=(0,), git_ok=(0,)):
        a = lambda i: env.timed(rl_cmd, ok=ok)
        b = (lambda i: env.timed(git_cmd, ok=git_ok)) if git_cmd else None
        ta, tb = alternate(runs, a, b)
        rows.append((label, ta, tb, goal))

    pair("startup (--version)", [rl, "--version"], ["git", "--version"], "(reference)")
    git_log = ["git", "log", "--format=%H %at %s", "refs/heads/" + doc]
    pair(f"log {doc}", [rl, "--no-pager", "log", doc], git_log, "ratio <= 1.0")
    pair(f"show {doc}@1", [rl, "show", f"{doc}@1"], git_log, "ratio <= 1.0")
    pair(f"diff {doc}@1 @{revs}", [rl, "diff", f"{doc}@1", f"{doc}@{revs}", "--format", "plain"],
         ["git", "diff", "--no-color", "--word-diff=plain", f"refs/heads/{doc}~{revs - 1}", f"refs/heads/{doc}"],
         "(reference)", ok=(0, 1))
    for_each_ref = ["git", "for-each-ref", "--format=%(refname:lstrip=2) %(committerdate:unix) "
                    "%(trailers:key=Redliner-Revision,key=Redliner-Words,valueonly,separator=%x20)", "refs/heads/"]
    pair(f"list ({docs} docs)", [rl, "list"], for_each_ref, f"< {LIST_GOAL_MS:.0f} ms")
    pair(f"list --json", [rl, "list", "--json"], for_each_ref, f"< {LIST_GOAL_MS:.0f} ms")

    # record: a new revision of an existing document, redliner vs the plumbing.
    rec = Recorder(all_docs, {target.index, 0})
    made = []

    def rl_record(i):
        d, text, tip, rev, _, _ = rec.take(env)
        t = capture_time(d.index, rev)
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        elapsed = env.timed([rl, "record", d.name, "-", "--at", at, "--source",
                             f"https://example.org/statements/{d.name}"], input=text)
        made.append(("redliner", d, text, rev, d.words))
        return elapsed

    def git_record(i):
        d, text, tip, rev, added, removed = rec.take(env)
        t = capture_time(d.index, rev)
        msg = message(d.name, rev, d.words, added, removed)
        ident = git_identity(t)
        start = time.perf_counter()
        blob = env.git("hash-object", "-w", "--stdin", input=text).strip()
        tree = env.git("mktree", input=b"100644 blob %s\t%s.txt\n" % (blob, d.name.encode())).strip()
        commit = env.git("commit-tree", tree.decode(), "-p", tip, "-F", "-", input=msg, extra=ident).strip()
        env.git("update-ref", "refs/heads/" + d.name, commit.decode(), tip)
        elapsed = time.perf_counter() - start
        made.append(("git", d, text, rev, d.words))
        return elapsed

    ta, tb = alternate(runs, rl_record, git_record)
    rows.append(("record (1 revision)", ta, tb, "ratio <= 1.0"))

    # Whatever wrote them, the new revisions read back the same through redliner.
    problems = []
    for who, d, text, rev, words in made:
        entries = {e["rev"]: e for e in json.loads(env.rl("log", d.name, "--json"))}
        entry = entries.get(rev, {})
        shown = env.rl("show", f"{d.name}@{rev}")
        if shown != text or entry.get("words") != words or entry.get("source") != f"https://example.org/statements/{d.name}":
            problems.append(f"{d.name}@{rev} recorded by {who}: log says {entry} (expected {words} words); "
                            f"text {'equal' if shown == text else 'DIFFERS'}")
    return rows, problems


def verdict(label, rl_ms, git_ms, goal):
    if goal.startswith("ratio"):
        return rl_ms / git_ms <= 1.0
    if goal.startswith("<"):
        return rl_ms < LIST_GOAL_MS
    return None


def print_table(title, rows):
    print(f"\n{title}")
    head = (f"{'measurement':<26} {'redliner ms':>11} {'git ms':>8} {'ratio':>7}  {'goal':<14} {'result':<6}"
            f"  {'rl min':>7} {'git min':>7} {'ratio':>7}")
    print(head)
    print("-" * len(head))
    failures = []
    for label, ta, tb, goal in rows:
        r = median_ms(ta)
        g = median_ms(tb) if tb else None
        ratio = f"{r / g:.2f}" if g else "-"
        ok = verdict(label, r, g, goal)
        result = "-" if ok is None else ("pass" if ok else "FAIL")
        if ok is False:
            failures.append(label)
        gs = f"{g:8.1f}" if g is not None else f"{'-':>8}"
        rmin = min(ta) * 1000
        gmin = f"{min(tb) * 1000:7.1f}" if tb else f"{'-':>7}"
        mratio = f"{rmin / (min(tb) * 1000):7.2f}" if tb else f"{'-':>7}"
        print(f"{label:<26} {r:11.1f} {gs} {ratio:>7}  {goal:<14} {result:<6}  {rmin:7.1f} {gmin} {mratio}")
    print("(ratio = redliner median / git median; result judges the medians; the min columns show"
          " the least-disturbed runs on a shared machine)")
    sys.stdout.flush()
    return failures


# --- layouts ---------------------------------------------------------------------

def repack_gc(env):
    start = time.perf_counter()
    env.git("-c", "pack.threads=1", "gc", "--quiet")
    return time.perf_counter() - start


def unpack_all(env, tmp):
    """Turns every packed object into a loose one (what libgit2 writes)."""
    start = time.perf_counter()
    pack_dir = os.path.join(env.store, "objects", "pack")
    moved = os.path.join(tmp, "packs-moved")
    os.makedirs(moved, exist_ok=True)
    for n in os.listdir(pack_dir):
        shutil.move(os.path.join(pack_dir, n), os.path.join(moved, n))
    for n in sorted(os.listdir(moved)):
        if n.endswith(".pack"):
            with open(os.path.join(moved, n), "rb") as f:
                env.run(["git", "unpack-objects", "-q"], input=f.read())
    shutil.rmtree(moved)
    graph = os.path.join(env.store, "objects", "info", "commit-graph")
    if os.path.exists(graph):
        os.unlink(graph)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000, help="documents (default 1000)")
    ap.add_argument("--revs", type=int, default=100, help="revisions per document (default 100)")
    ap.add_argument("--runs", type=int, default=7, help="timed runs per tool and measurement (default 7)")
    ap.add_argument("--bin", default="target/release/redliner", help="redliner binary")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pack", action="store_true", help="also measure after `git gc`")
    ap.add_argument("--loose", action="store_true", help="also measure with every object loose (slow at full size)")
    ap.add_argument("--verify", action="store_true", help="run `redliner verify` on the whole store")
    ap.add_argument("--keep", metavar="DIR", help="build in DIR and keep it")
    args = ap.parse_args()
    if args.docs < 1 or args.docs > 10000 or args.revs < 2 or args.runs < 1:
        ap.error("need 1 <= --docs <= 10000, --revs >= 2, --runs >= 1")
    if not os.path.exists(args.bin):
        subprocess.run(["cargo", "build", "--release", "--quiet"], check=True)

    if args.keep:
        tmp = os.path.abspath(args.keep)
        os.makedirs(tmp, exist_ok=True)
        if os.path.exists(os.path.join(tmp, "store.git")):
            raise SystemExit(f"{tmp}/store.git already exists; choose an empty --keep directory")
    else:
        tmp = tempfile.mkdtemp(prefix="redliner-bench-store-")
    try:
        binary = os.path.join(tmp, "redliner")
        shutil.copy2(args.bin, binary)
        env = Env(tmp, os.path.join(tmp, "store.git"), binary)
        version = env.rl("--version").decode().strip()
        git_version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
        print(f"{version} ({os.path.abspath(args.bin)}, built "
              f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(os.path.getmtime(args.bin)))}); {git_version}")
        n = args.docs * args.revs
        print(f"building {args.docs} documents x {args.revs} revisions = {n:,} commits in {env.store} ...")
        sys.stdout.flush()
        all_docs, first_text, build_s = build_store(env, args.docs, args.revs, args.seed)
        print(f"  built in {build_s:.1f} s ({n / build_s:,.0f} commits/s): {describe_store(env)}")
        problems = check_store(env, args.docs, args.revs, first_text, all_docs, args.verify)
        for p in problems:
            print(f"  CHECK FAILED: {p}")
        if not problems:
            print("  checks: log --json, show @1 and @latest, list --json read the generated store correctly")
        sys.stdout.flush()

        layouts = [("as built by fast-import (one pack, loose refs)", None)]
        if args.pack:
            layouts.append(("after git gc (packed refs, commit-graph)", repack_gc))
        if args.loose:
            layouts.append(("every object loose (as libgit2 writes)", lambda e: unpack_all(e, tmp)))
        failures = []
        for title, prepare in layouts:
            if prepare:
                took = prepare(env)
                print(f"\n{title}: prepared in {took:.1f} s: {describe_store(env)}")
            rows, rec_problems = measure(env, args, all_docs, title)
            for p in rec_problems:
                print(f"  RECORD CHECK FAILED: {p}")
            problems += rec_problems
            failures += [f"{l} [{title}]" for l in
                         print_table(f"{args.docs} docs x {args.revs} revs, {title}; median of {args.runs} runs", rows)]
        print()
        if failures:
            print("goals missed: " + "; ".join(failures))
        if problems:
            print(f"{len(problems)} check(s) failed (see above)")
        if not failures and not problems:
            print("all goals met, all checks passed")
        return 1 if problems else 0
    except BenchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
