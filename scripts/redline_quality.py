#!/usr/bin/env python3
"""Compares how much change `redliner` reports against `git diff --word-diff`.

For every pair of consecutive versions in fixtures/<case>/ (01.txt -> 02.txt,
02.txt -> 03.txt, ...), and for any pair given with --pairs, runs

    redliner diff --files OLD NEW --format json [--redliner-args ...]
    git diff --no-index --word-diff=porcelain OLD NEW

and prints, per pair, the change groups and changed characters each tool
reports, their ratios, the moves redliner found, and whether the pair meets
the goal. With --real it measures the real revision pairs of
tests/real-revisions instead, against the targets of issue 12 (see "Real
revisions" below). It is a report, not a test: it exits 0 whatever the
numbers are, and 2 only when a tool fails (redliner exits 2, git exits > 1,
bad output).

Goal (on prose revisions): redliner's change groups are at most 0.7 times
git's, while its changed characters stay within 1.15 times git's. Moved
paragraphs count as moves, not as changed characters.

Definitions
-----------
Whitespace is the Unicode White_Space property (what Rust's
`char::is_whitespace` uses); every other character is "non-whitespace".

redliner change groups
    Walk the top-level ops in order. A group is a maximal run of delete and
    insert ops not separated by an `equal` op that contains a non-whitespace
    character (an equal op that is whitespace only does not separate). An op
    whose text is whitespace only never starts a group: it is layout, not
    words. Ops that carry `"move": k` do not form ordinary groups (and end
    the current one): each moved passage -- its delete op and its insert op
    with the same move id -- counts as ONE group in total, plus the change
    groups of its inner ops (the `ops` of the matching entry in the
    top-level `moves` list), computed by the same rule. Ops that carry
    `"renumbered": k` (a run of list markers or section numbers changed
    and nothing else, which every redline format sums up in one line) are
    treated the same way: each run counts as ONE group, and its ops neither
    start nor join an ordinary group.

redliner changed characters
    Non-whitespace characters in the text of delete and insert ops, leaving
    out ops that carry `move`; for each move, the changed characters of its
    inner ops are added instead. A paragraph moved unchanged costs nothing.

git change groups / changed characters
    git runs with GIT_CONFIG_NOSYSTEM=1, HOME and XDG_CONFIG_HOME set to an
    empty temporary directory, `-c core.quotepath=off`, `--no-color`,
    `--text` (so control characters never turn a file "binary") and enough
    context to put the whole file into one hunk; the word regex is git's
    default (runs of non-whitespace). Header lines are skipped up to the
    first `@@` hunk header. Then `-` lines are removed text, `+` lines added
    text, ` ` lines unchanged text and `~` lines a newline. A group is a
    maximal run of `-`/`+` lines not separated by a ` ` line that contains a
    non-whitespace character (`~` does not separate; a `-`/`+` line that is
    whitespace only never starts a group, as for redliner). Changed
    characters are the non-whitespace characters of the `-` and `+` lines,
    without the leading marker. Identical files give no output (exit 0):
    0 groups and 0 characters.

Pass
    group ratio (redliner / git) <= 0.7 and character ratio <= 1.15. When
    git reports 0 groups, the pair passes iff redliner reports 0 groups too,
    and the ratios are shown as "-".

Prose revisions
    All pairs except those of the cases that change only whitespace, line
    endings or typography, inject control characters, or start from an
    empty text (NOT_PROSE below). Those are listed separately as
    "(not prose)" and left out of the totals. Pairs given with --pairs are
    counted as prose.

Real revisions (--real)
-----------------------
`--real [DIR]` (DIR defaults to tests/real-revisions) measures the pairs
DIR/<NNN-name>/{old.md,new.md} instead of the fixtures. Every tool runs
with the pair's folder as working directory on the relative paths `old.md`
and `new.md` (so file names in headers are the same for both tools and
every pair). redliner runs as

    redliner diff --files old.md new.md --format json
    redliner diff --files old.md new.md --format plain --context 0
    redliner diff --files old.md new.md --format plain          (timed)

and git, isolated as above, as

    git diff --no-index --text --unified=<all> --word-diff=porcelain old.md new.md
    git diff --no-index --text -U0 --word-diff=plain old.md new.md
    git diff --no-index --text --word-diff=porcelain old.md new.md   (timed)

(all with `--no-color` and `-c core.quotepath=off`). Offsets below are
byte offsets into the UTF-8 text. The top-level ops, in order, give each op
a span: an equal op covers a span of old and of new, a delete op a span of
old only, an insert op a span of new only. A "word" is a maximal run of
non-whitespace characters; words(x) counts them in the text x.

reconstruction
    The texts of the equal and delete ops, concatenated, equal old.md byte
    for byte; those of the equal and insert ops equal new.md; and for every
    entry of `moves`, its inner ops rebuild (the same way) the text of the
    delete op and of the insert op that carry its id.

moves
    Move ids present on top-level ops. A move's old passage is the span of
    its delete op in old, its new passage the span of its insert op in new.

moves cut mid-sentence
    A move is cut when either of its passages is. A passage's trimmed span
    [s, e) leaves out leading and trailing whitespace (a whitespace-only
    passage is never cut). Let s0 be s moved back over any "opener"
    characters (* _ " ' ( [ “ ‘) just before it, and e0 be e moved forward
    over any "closer" characters (* _ " ' ) ] } ” ’) just after it. The
    passage STARTS at a passage start when one of:
      line start   the text from the start of s0's line (after the last LF
                   before s0, or the start of text) up to s0 is whitespace
                   only, or is Markdown block markers each followed by
                   whitespace: 1 to 6 `#`, `>`, `*`, `+`, `-`, or 1 to 9
                   digits followed by `.`, `\.` or `)`;
      sentence     before s0 come: a sentence end (. ! ? … :), then zero
                   or more closers, then one or more whitespace characters;
      cell         before s0 come `|` then zero or more whitespace
                   characters other than LF (a table cell start).
    It ENDS at a passage end when one of:
      line end     the text from e0 to the next LF (or the end of text) is
                   whitespace only;
      sentence     e0 is the end of text or is followed by whitespace, and
                   the text before e0, leaving out trailing closers, ends
                   with a sentence end (. ! ? … :) that lies inside the
                   passage;
      cell         after e0 come zero or more whitespace characters other
                   than LF, then `|`.
    So "Inc. is" counts as a sentence start (abbreviations are not
    recognised) and a passage that leaves out its own final full stop is
    cut.

moves crossing no unchanged text
    Let i and j be the op indexes of the move's delete op and insert op. The
    move crosses no unchanged text when no equal op strictly between i and j
    contains a non-whitespace character.

stranded islands
    An equal op E with 1 <= words(E) <= 2 such that the change just before
    E and the change just after E each hold at least 8 words. The change
    before E is the maximal run of ops ending right before E made of delete
    ops, insert ops and whitespace-only equal ops, stopping at (and not
    including) any op that carries `move`; its size is the sum of words(op
    text) over its delete and insert ops (deleted plus inserted words). The
    change after E is defined in the same way.

figures cut at separators
    In a text T, a figure is a maximal match of [0-9]+([-/.,:][0-9]+)+
    (ASCII digits; found left to right, like Python's re.finditer), e.g.
    2023-06-01, 06/01/2023, 1,234.56, 2.3.1, 12:30. Cut points in old are
    the start and end offsets of every top-level delete op; in new, those of
    every insert op; and, inside each moved passage, the start and end
    offsets of the inner delete (resp. insert) ops within the passage text.
    A figure [a, b) is cut when a cut point p with a < p < b has a digit on
    one side and a separator (- / . , :) on the other, i.e. T[p-1] is a
    digit and T[p] a separator, or T[p-1] a separator and T[p] a digit
    (inside a figure a separator always lies between digits). A point
    between two digits ("20|23") is not counted. The count is the number of
    cut figures in old plus those in new (a date replaced as
    `[-2023-]{+2024+}-[-06-]{+02+}` counts 2: one figure in each text).

context 0 size
    Bytes of stdout of `redliner ... --format plain --context 0` divided by
    those of `git diff -U0 --word-diff=plain` (both including their file
    headers).

change groups
    As defined above for the fixtures (redliner vs git porcelain), and
    compared in total (sum over pairs / sum over pairs) on revision pairs.
    A pair is a REPLACEMENT, not a revision, when git's unchanged text is
    less than half of the smaller of the two texts: non-whitespace
    characters of git's ` ` lines < 0.5 * min(non-whitespace characters of
    old.md, of new.md). Replacements are marked "R" and left out of the
    group total.

time
    The timed commands run alternately, --runs times each (default 3); the
    ratio is redliner's median wall time over git's. The total is the
    geometric mean of the per-pair ratios, and the maximum.

Targets (issue 12, "Done means"): every pair reconstructs; 0 moves cut
mid-sentence; 0 moves crossing no unchanged text; at most 1 stranded
island per 10 pairs (total islands <= pairs / 10); 0 figures cut; context-0
size at most 2x git's on every pair; change groups at most 0.85x git's on
revision pairs; time at most 0.8x git in geometric mean and at most 1.5x on
every pair. Each is printed with PASS or FAIL. The benchmark targets of the
issue are measured by scripts/bench.py, not here.

Usage
-----
    scripts/redline_quality.py                      # all fixtures
    scripts/redline_quality.py --pairs a1.txt a2.txt --pairs b1.txt b2.txt
    scripts/redline_quality.py --fixtures DIR       # DIR/<case>/NN.txt
    scripts/redline_quality.py --redliner-args "--minimal" --json
    scripts/redline_quality.py --real               # tests/real-revisions
    scripts/redline_quality.py --real DIR --runs 5 --json

--bin defaults to target/release/redliner, built with `cargo build
--release` when missing. With --pairs only the given pairs are measured,
unless --fixtures is given as well. --real measures only the real pairs
(it cannot be combined with --fixtures or --pairs); --redliner-args apply
to its redliner runs too. Standard library only.
"""

import argparse
import atexit
import json
import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

GROUP_LIMIT = 0.7
CHAR_LIMIT = 1.15

# Cases that are not prose revisions (whitespace-, line-ending- or
# typography-only, control characters, empty to text): reported, not totalled.
NOT_PROSE = frozenset(
    ["crlf-line-endings", "whitespace-reflow", "empty-to-text", "control-chars", "curly-quotes"]
)

# Unicode White_Space (as Rust's char::is_whitespace); Python's str.isspace
# differs (it also counts U+001C..U+001F).
WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


class ToolError(Exception):
    """A tool failed or printed something this script cannot read."""


def nonspace(text):
    """Number of non-whitespace characters in text."""
    return sum(1 for c in text if c not in WHITESPACE)


# ---------------------------------------------------------------- redliner


def count_ops(ops):
    """(groups, changed characters) of a flat op list, ignoring move ops.

    A move op ends the current group (it is a change of its own, counted
    by the caller), but neither starts nor joins an ordinary group. So does
    an op of a renumbered run (each run is counted once by the caller),
    though its changed characters are counted here.
    """
    groups = chars = 0
    in_group = False
    for op in ops:
        kind, text = op.get("op"), op.get("text", "")
        if kind == "equal":
            if nonspace(text):
                in_group = False
            continue
        if kind not in ("delete", "insert"):
            raise ToolError(f"unknown op {kind!r}")
        if op.get("move") is not None:
            in_group = False
            continue
        n = nonspace(text)
        if op.get("renumbered") is not None:
            chars += n
            in_group = False
            continue
        chars += n
        if n and not in_group:
            groups += 1
            in_group = True
    return groups, chars


def measure_redliner(doc):
    """Groups, changed characters, moves and op kinds from redliner's JSON."""
    ops = doc.get("ops")
    if not isinstance(ops, list):
        raise ToolError("redliner JSON has no ops list")
    groups, chars = count_ops(ops)
    groups += len({op["renumbered"] for op in ops if op.get("renumbered") is not None})
    move_ids = {op["move"] for op in ops if op.get("move") is not None}
    moves = {m.get("id"): m.get("ops", []) for m in doc.get("moves") or []}
    move_ids |= set(moves)
    inner_groups = inner_chars = 0
    for inner in moves.values():
        g, c = count_ops(inner)
        inner_groups += g
        inner_chars += c
    kinds = {}
    for op in ops:
        if op.get("op") != "equal" and "kind" in op:
            kinds[op["kind"]] = kinds.get(op["kind"], 0) + 1
    return {
        "groups": groups + len(move_ids) + inner_groups,
        "chars": chars + inner_chars,
        "moves": len(move_ids),
        "move_inner_groups": inner_groups,
        "move_inner_chars": inner_chars,
        "kinds": kinds,
        "precision": doc.get("precision"),
    }


def run_redliner(binary, old, new, extra):
    cmd = [binary, "diff", "--files", old, new, "--format", "json", *extra]
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode not in (0, 1):
        err = p.stderr.decode("utf-8", "replace").strip()
        raise ToolError(f"redliner exited {p.returncode}: {err}")
    try:
        return json.loads(p.stdout)
    except ValueError as e:
        raise ToolError(f"redliner printed invalid JSON: {e}") from None


# --------------------------------------------------------------------- git


def measure_git(porcelain):
    """Groups and changed characters from `git diff --word-diff=porcelain`."""
    groups = chars = 0
    in_group = in_hunk = False
    for line in porcelain.split("\n"):
        if line.startswith("@@"):
            in_hunk, in_group = True, False
            continue
        if not in_hunk or not line:
            continue
        marker, text = line[0], line[1:]
        if marker in "-+":
            n = nonspace(text)
            chars += n
            if n and not in_group:
                groups += 1
                in_group = True
        elif marker == " ":
            if nonspace(text):
                in_group = False
        # "~" is a newline and "\" a "No newline at end of file" note:
        # neither separates groups.
    return {"groups": groups, "chars": chars}


def run_git(old, new, home):
    lines = 1
    for path in (old, new):
        with open(path, "rb") as f:
            lines = max(lines, f.read().count(b"\n") + 1)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=home, XDG_CONFIG_HOME=home)
    env.pop("GIT_CONFIG_GLOBAL", None)
    cmd = [
        "git", "-c", "core.quotepath=off", "diff", "--no-index", "--no-color",
        "--text", f"--unified={lines}", "--word-diff=porcelain", old, new,
    ]
    p = subprocess.run(cmd, capture_output=True, env=env)
    if p.returncode not in (0, 1):
        err = p.stderr.decode("utf-8", "replace").strip()
        raise ToolError(f"git exited {p.returncode}: {err}")
    return p.stdout.decode("utf-8", "replace")


# -------------------------------------------------------------- the report


def ratio(a, b):
    return None if b == 0 else a / b


def evaluate(r, g):
    """Ratios and pass/fail of one pair."""
    gr, cr = ratio(r["groups"], g["groups"]), ratio(r["chars"], g["chars"])
    if g["groups"] == 0:
        ok = r["groups"] == 0
    else:
        ok = gr <= GROUP_LIMIT and cr is not None and cr <= CHAR_LIMIT
    return gr, cr, ok


def fixture_pairs(root):
    """(case, label, old, new, prose) for consecutive NN.txt in each case."""
    out = []
    for case in sorted(os.listdir(root)):
        d = os.path.join(root, case)
        if not os.path.isdir(d):
            continue
        vs = sorted(
            (int(m.group(1)), m.group(0))
            for m in (re.fullmatch(r"(\d+)\.txt", f) for f in os.listdir(d))
            if m
        )
        for (_, a), (_, b) in zip(vs, vs[1:]):
            label = f"{a[:-4]}->{b[:-4]}"
            out.append((case, label, os.path.join(d, a), os.path.join(d, b), case not in NOT_PROSE))
    return out


def installed_copy(path):
    """A copy of the binary in a temporary directory, removed at exit.

    Times are taken on a copy, the way `cargo install` (and any package)
    puts a program in place, because how a file came to be cached changes
    how fast the kernel maps it: a binary just written by the linker (rust-lld
    writes through a memory map) sits in the page cache in 4 KiB pieces, and
    each of its starts then costs about a quarter more CPU time on the small
    pairs than the same bytes copied (measured in the issue 12 note). git,
    the other side of every ratio, is an installed file. `--in-place` times
    the given file as it is.
    """
    tmp = tempfile.mkdtemp(prefix="redline-quality-bin-")
    atexit.register(shutil.rmtree, tmp, True)
    copy = os.path.join(tmp, os.path.basename(path))
    shutil.copy2(path, copy)
    return copy


def ensure_binary(path):
    if os.path.isfile(path):
        return
    print(f"{path} missing; running cargo build --release", file=sys.stderr)
    p = subprocess.run(["cargo", "build", "--release"], cwd=REPO)
    if p.returncode != 0:
        print("redline_quality: cargo build --release failed", file=sys.stderr)
        sys.exit(2)
    if not os.path.isfile(path):
        print(f"redline_quality: no binary at {path} after the build", file=sys.stderr)
        sys.exit(2)


def fmt_ratio(x):
    return "-" if x is None else f"{x:.2f}"


HEADER = (
    f"{'case':<26} {'pair':<7} {'rl grp':>6} {'git grp':>7} {'grp ×':>6} "
    f"{'rl chars':>8} {'git chars':>9} {'chr ×':>6} {'moves':>5}  result"
)


def row(res):
    if "error" in res:
        return f"{res['case']:<26} {res['pair']:<7} ERROR: {res['error']}"
    r, g = res["redliner"], res["git"]
    note = "pass" if res["pass"] else "FAIL"
    if r.get("precision") == "coarse":
        note += " (coarse)"
    return (
        f"{res['case']:<26} {res['pair']:<7} {r['groups']:>6} {g['groups']:>7} "
        f"{fmt_ratio(res['group_ratio']):>6} {r['chars']:>8} {g['chars']:>9} "
        f"{fmt_ratio(res['char_ratio']):>6} {r['moves']:>5}  {note}"
    )


def totals(results):
    ok = [x for x in results if x["prose"] and "error" not in x]
    t = {
        "pairs": len(ok),
        "passing": sum(1 for x in ok if x["pass"]),
        "redliner_groups": sum(x["redliner"]["groups"] for x in ok),
        "git_groups": sum(x["git"]["groups"] for x in ok),
        "redliner_chars": sum(x["redliner"]["chars"] for x in ok),
        "git_chars": sum(x["git"]["chars"] for x in ok),
        "moves": sum(x["redliner"]["moves"] for x in ok),
    }
    t["group_ratio"] = ratio(t["redliner_groups"], t["git_groups"])
    t["char_ratio"] = ratio(t["redliner_chars"], t["git_chars"])
    gr, cr = t["group_ratio"], t["char_ratio"]
    t["goal_met"] = gr is not None and cr is not None and gr <= GROUP_LIMIT and cr <= CHAR_LIMIT
    return t


def print_report(results, t, binary, extra):
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
    built = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(os.path.getmtime(binary)))
    print(f"redline_quality {stamp}  binary {binary} (built {built})")
    if extra:
        print(f"redliner args: {shlex.join(extra)}")
    print(f"goal on prose: groups <= {GROUP_LIMIT} × git, changed chars <= {CHAR_LIMIT} × git")
    print()
    print(HEADER)
    for res in (x for x in results if x["prose"]):
        print(row(res))
    for res in results:
        if res["case"].startswith("pairs["):
            print(f"  {res['case']}: {res['old']} -> {res['new']}")
    other = [x for x in results if not x["prose"]]
    if other:
        print("(not prose)")
        for res in other:
            print(row(res))
    print()
    print(
        f"prose totals over {t['pairs']} pairs: groups {t['redliner_groups']} vs git "
        f"{t['git_groups']} (× {fmt_ratio(t['group_ratio'])}), changed chars "
        f"{t['redliner_chars']} vs git {t['git_chars']} (× {fmt_ratio(t['char_ratio'])}), "
        f"moves {t['moves']}; {t['passing']}/{t['pairs']} pairs pass; aggregate goal "
        f"{'met' if t['goal_met'] else 'NOT met'}"
    )
    errors = [x for x in results if "error" in x]
    if errors:
        print(f"{len(errors)} pair(s) failed to run", file=sys.stderr)


# ---------------------------------------------------------- real revisions

SENTENCE_END = frozenset(".!?…:")
OPENERS = frozenset("*_\"'([“‘")
CLOSERS = frozenset("*_\"')]}”’")
FIG_SEPARATORS = frozenset("-/.,:")
FIGURE = re.compile(r"[0-9]+(?:[-/.,:][0-9]+)+")
ISLAND_MAX_WORDS = 2
ISLAND_CHANGE_WORDS = 8

# Targets of issue 12 ("Done means").
CTX0_LIMIT = 2.0
REAL_GROUP_LIMIT = 0.85
TIME_GEOMEAN_LIMIT = 0.8
TIME_MAX_LIMIT = 1.5
REPLACEMENT_SHARE = 0.5


def words(text):
    """Number of maximal runs of non-whitespace characters in text."""
    n, in_word = 0, False
    for c in text:
        if c in WHITESPACE:
            in_word = False
        elif not in_word:
            n += 1
            in_word = True
    return n


def side_spans(ops, side):
    """(op index, start, end) of the ops of one side ("old" or "new").

    Offsets count characters of the decoded text. They stand in for the byte
    offsets of the definitions: every test looks only at whole characters
    next to an offset, so the results are the same.
    """
    out, pos = [], 0
    skip = "insert" if side == "old" else "delete"
    for i, op in enumerate(ops):
        if op.get("op") == skip:
            continue
        k = len(op.get("text", ""))
        out.append((i, pos, pos + k))
        pos += k
    return out


def rebuild(ops, side):
    skip = "insert" if side == "old" else "delete"
    return "".join(op.get("text", "") for op in ops if op.get("op") != skip)


def reconstructs(doc, old, new):
    """True when the ops rebuild both texts and every move's inner ops
    rebuild its passage at both places."""
    ops = doc["ops"]
    if rebuild(ops, "old") != old or rebuild(ops, "new") != new:
        return False
    for m in doc.get("moves") or []:
        dels = [op["text"] for op in ops if op.get("move") == m.get("id") and op.get("op") == "delete"]
        ins = [op["text"] for op in ops if op.get("move") == m.get("id") and op.get("op") == "insert"]
        inner = m.get("ops", [])
        if dels != [rebuild(inner, "old")] or ins != [rebuild(inner, "new")]:
            return False
    return True


def is_marker(token):
    """A Markdown block marker: 1-6 `#`, `>`, `*`, `+`, `-`, or 1-9 digits
    followed by `.`, `\\.` or `)`."""
    if token in (">", "*", "+", "-"):
        return True
    if 1 <= len(token) <= 6 and set(token) == {"#"}:
        return True
    m = re.fullmatch(r"([0-9]+)(\.|\\\.|\))", token)
    return bool(m) and len(m.group(1)) <= 9


def passage_start_ok(text, s):
    """Whether a passage whose first non-whitespace character is at s starts
    at a passage start (see the docstring)."""
    while s > 0 and text[s - 1] in OPENERS:
        s -= 1
    line = text.rfind("\n", 0, s) + 1
    prefix = text[line:s]
    if all(c in WHITESPACE for c in prefix):
        return True
    if prefix[-1] in WHITESPACE:
        tokens = [t for t in "".join(" " if c in WHITESPACE else c for c in prefix).split(" ") if t]
        if all(is_marker(t) for t in tokens):
            return True
    # sentence: end mark, closers, whitespace (at least one)
    i = s
    while i > 0 and text[i - 1] in WHITESPACE:
        i -= 1
    if i < s:
        j = i
        while j > 0 and text[j - 1] in CLOSERS:
            j -= 1
        if j > 0 and text[j - 1] in SENTENCE_END:
            return True
    # cell: `|` then whitespace other than LF
    i = s
    while i > 0 and text[i - 1] in WHITESPACE and text[i - 1] != "\n":
        i -= 1
    return i > 0 and text[i - 1] == "|"


def passage_end_ok(text, s, e):
    """Whether a passage spanning [s, e) (trimmed) ends at a passage end."""
    while e < len(text) and text[e] in CLOSERS:
        e += 1
    nl = text.find("\n", e)
    rest = text[e : len(text) if nl < 0 else nl]
    if all(c in WHITESPACE for c in rest):
        return True
    if e == len(text) or text[e] in WHITESPACE:
        j = e
        while j > s and text[j - 1] in CLOSERS:
            j -= 1
        if j > s and text[j - 1] in SENTENCE_END:
            return True
    i = e
    while i < len(text) and text[i] in WHITESPACE and text[i] != "\n":
        i += 1
    return i < len(text) and text[i] == "|"


def passage_cut(text, start, end):
    """Whether the passage text[start:end] is cut (not a whole passage)."""
    s, e = start, end
    while s < e and text[s] in WHITESPACE:
        s += 1
    while e > s and text[e - 1] in WHITESPACE:
        e -= 1
    if s == e:
        return False
    return not (passage_start_ok(text, s) and passage_end_ok(text, s, e))


def move_checks(ops, old, new):
    """(moves, cut moves, moves crossing nothing, details) for top-level ops."""
    old_at = {i: (a, b) for i, a, b in side_spans(ops, "old")}
    new_at = {i: (a, b) for i, a, b in side_spans(ops, "new")}
    where = {}
    for i, op in enumerate(ops):
        k = op.get("move")
        if k is not None and op.get("op") in ("delete", "insert"):
            where.setdefault(k, {})[op["op"]] = i
    cut = nothing = 0
    details = []
    for k, sides in sorted(where.items()):
        is_cut = False
        if "delete" in sides and passage_cut(old, *old_at[sides["delete"]]):
            is_cut = True
        if "insert" in sides and passage_cut(new, *new_at[sides["insert"]]):
            is_cut = True
        crosses = True
        if "delete" in sides and "insert" in sides:
            a, b = sorted((sides["delete"], sides["insert"]))
            crosses = any(
                ops[x].get("op") == "equal" and nonspace(ops[x].get("text", ""))
                for x in range(a + 1, b)
            )
        cut += is_cut
        nothing += not crosses
        if is_cut or not crosses:
            text = ops[sides.get("delete", sides.get("insert"))]["text"].strip()
            what = ("cut" if is_cut else "") + ("+" if is_cut and not crosses else "")
            what += "" if crosses else "crosses nothing"
            details.append(f"move {k} {what}: {text[:50]!r}")
    return len(where), cut, nothing, details


def islands(ops):
    """Number of stranded islands (see the docstring)."""

    def change_words(indexes):
        total = 0
        for x in indexes:
            op = ops[x]
            if op.get("move") is not None:
                break
            if op.get("op") == "equal":
                if nonspace(op.get("text", "")):
                    break
                continue
            total += words(op.get("text", ""))
        return total

    n = 0
    for i, op in enumerate(ops):
        if op.get("op") != "equal" or op.get("move") is not None:
            continue
        w = words(op.get("text", ""))
        if not 1 <= w <= ISLAND_MAX_WORDS:
            continue
        before = change_words(range(i - 1, -1, -1))
        after = change_words(range(i + 1, len(ops)))
        if before >= ISLAND_CHANGE_WORDS and after >= ISLAND_CHANGE_WORDS:
            n += 1
    return n


def cut_points(ops, side):
    """Start and end offsets of the change ops of one side (delete in old,
    insert in new)."""
    kind = "delete" if side == "old" else "insert"
    points = set()
    for i, a, b in side_spans(ops, side):
        if ops[i].get("op") == kind:
            points.add(a)
            points.add(b)
    return points


def figures_cut(text, points):
    """Number of figures in text cut at a separator by a point in points."""
    if not points:
        return 0
    n = 0
    for m in FIGURE.finditer(text):
        a, b = m.span()
        for p in points:
            if a < p < b and (
                (text[p - 1].isascii() and text[p - 1].isdigit() and text[p] in FIG_SEPARATORS)
                or (text[p - 1] in FIG_SEPARATORS and text[p].isascii() and text[p].isdigit())
            ):
                n += 1
                break
    return n


def figure_checks(doc, old, new):
    """Cut figures in old plus new, top level and inside moved passages."""
    ops = doc["ops"]
    n = figures_cut(old, cut_points(ops, "old")) + figures_cut(new, cut_points(ops, "new"))
    for m in doc.get("moves") or []:
        inner = m.get("ops", [])
        n += figures_cut(rebuild(inner, "old"), cut_points(inner, "old"))
        n += figures_cut(rebuild(inner, "new"), cut_points(inner, "new"))
    return n


def git_env(home):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=home, XDG_CONFIG_HOME=home)
    env.pop("GIT_CONFIG_GLOBAL", None)
    return env


GIT = ["git", "-c", "core.quotepath=off", "diff", "--no-index", "--no-color", "--text"]


def run_tool(cmd, cwd, env=None, what="tool"):
    """stdout of cmd; exit 0 or 1 is success (1: the files differ)."""
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, env=env)
    if p.returncode not in (0, 1):
        err = p.stderr.decode("utf-8", "replace").strip()
        raise ToolError(f"{what} exited {p.returncode}: {err}")
    return p.stdout


def timed(cmd, cwd, env=None):
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    elapsed = time.perf_counter() - start
    if p.returncode not in (0, 1):
        raise ToolError(f"{cmd[0]} exited {p.returncode} (timed run)")
    return elapsed


def git_unchanged(porcelain):
    """Non-whitespace characters of the ` ` lines of git's porcelain output."""
    n, in_hunk = 0, False
    for line in porcelain.split("\n"):
        if line.startswith("@@"):
            in_hunk = True
        elif in_hunk and line.startswith(" "):
            n += nonspace(line[1:])
    return n


def measure_real_pair(binary, extra, d, home, runs):
    with open(os.path.join(d, "old.md"), "rb") as f:
        old_b = f.read()
    with open(os.path.join(d, "new.md"), "rb") as f:
        new_b = f.read()
    old, new = old_b.decode("utf-8"), new_b.decode("utf-8")
    env = git_env(home)
    rl = [binary, "diff", "--files", "old.md", "new.md"]
    out = run_tool(rl + ["--format", "json", *extra], d, what="redliner")
    try:
        doc = json.loads(out)
    except ValueError as e:
        raise ToolError(f"redliner printed invalid JSON: {e}") from None
    if not isinstance(doc.get("ops"), list):
        raise ToolError("redliner JSON has no ops list")
    r = measure_redliner(doc)
    lines = max(old_b.count(b"\n"), new_b.count(b"\n")) + 1
    porcelain = run_tool(
        GIT + [f"--unified={lines}", "--word-diff=porcelain", "old.md", "new.md"], d, env, "git"
    ).decode("utf-8", "replace")
    g = measure_git(porcelain)
    moves, cut, nothing, details = move_checks(doc["ops"], old, new)
    rl_ctx0 = len(run_tool(rl + ["--format", "plain", "--context", "0", *extra], d, what="redliner"))
    git_ctx0 = len(run_tool(GIT + ["-U0", "--word-diff=plain", "old.md", "new.md"], d, env, "git"))
    rl_t, git_t = [], []
    for _ in range(runs):
        rl_t.append(timed(rl + ["--format", "plain", *extra], d))
        git_t.append(timed(GIT + ["--word-diff=porcelain", "old.md", "new.md"], d, env))
    rt, gt = statistics.median(rl_t), statistics.median(git_t)
    replacement = git_unchanged(porcelain) < REPLACEMENT_SHARE * min(nonspace(old), nonspace(new))
    return {
        "reconstructs": reconstructs(doc, old, new),
        "moves": moves,
        "moves_cut": cut,
        "moves_crossing_nothing": nothing,
        "move_details": details,
        "islands": islands(doc["ops"]),
        "figures_cut": figure_checks(doc, old, new),
        "ctx0_bytes": rl_ctx0,
        "git_ctx0_bytes": git_ctx0,
        "ctx0_ratio": ratio(rl_ctx0, git_ctx0),
        "groups": r["groups"],
        "git_groups": g["groups"],
        "group_ratio": ratio(r["groups"], g["groups"]),
        "replacement": replacement,
        "ms": rt * 1000,
        "git_ms": gt * 1000,
        "time_ratio": rt / gt if gt > 0 else None,
        "precision": doc.get("precision"),
    }


def real_totals(results):
    ok = [x for x in results if "error" not in x]
    revisions = [x for x in ok if not x["replacement"]]
    t = {
        "pairs": len(results),
        "measured": len(ok),
        "reconstructing": sum(1 for x in ok if x["reconstructs"]),
        "moves": sum(x["moves"] for x in ok),
        "moves_cut": sum(x["moves_cut"] for x in ok),
        "moves_crossing_nothing": sum(x["moves_crossing_nothing"] for x in ok),
        "islands": sum(x["islands"] for x in ok),
        "figures_cut": sum(x["figures_cut"] for x in ok),
        "ctx0_bytes": sum(x["ctx0_bytes"] for x in ok),
        "git_ctx0_bytes": sum(x["git_ctx0_bytes"] for x in ok),
        "ctx0_max_ratio": max((x["ctx0_ratio"] for x in ok if x["ctx0_ratio"] is not None), default=None),
        "ctx0_pairs_over": sum(1 for x in ok if x["ctx0_ratio"] is None or x["ctx0_ratio"] > CTX0_LIMIT),
        "revision_pairs": len(revisions),
        "revision_groups": sum(x["groups"] for x in revisions),
        "revision_git_groups": sum(x["git_groups"] for x in revisions),
        "time_ms": sum(x["ms"] for x in ok),
        "git_time_ms": sum(x["git_ms"] for x in ok),
    }
    t["ctx0_total_ratio"] = ratio(t["ctx0_bytes"], t["git_ctx0_bytes"])
    t["revision_group_ratio"] = ratio(t["revision_groups"], t["revision_git_groups"])
    tr = [x["time_ratio"] for x in ok if x["time_ratio"]]
    t["time_geomean"] = math.exp(sum(math.log(x) for x in tr) / len(tr)) if tr else None
    t["time_max"] = max(tr) if tr else None
    n = t["measured"]
    t["targets"] = [
        ("every pair reconstructs", f"{t['reconstructing']}/{n}", t["reconstructing"] == n and n == t["pairs"]),
        ("0 moves cut mid-sentence", f"{t['moves_cut']} of {t['moves']} moves", t["moves_cut"] == 0),
        ("0 moves crossing no unchanged text", f"{t['moves_crossing_nothing']} of {t['moves']} moves",
         t["moves_crossing_nothing"] == 0),
        ("<= 1 stranded island per 10 pairs", f"{t['islands']} in {n} pairs (limit {n / 10:g})",
         t["islands"] <= n / 10),
        ("0 figures cut at separators", str(t["figures_cut"]), t["figures_cut"] == 0),
        (f"--context 0 <= {CTX0_LIMIT:g}x git on every pair",
         f"max {fmt_ratio(t['ctx0_max_ratio'])}x, {t['ctx0_pairs_over']} pairs over, "
         f"total {t['ctx0_bytes']} vs {t['git_ctx0_bytes']} B ({fmt_ratio(t['ctx0_total_ratio'])}x)",
         t["ctx0_pairs_over"] == 0),
        (f"change groups <= {REAL_GROUP_LIMIT}x git on revisions",
         f"{t['revision_groups']} vs {t['revision_git_groups']} ({fmt_ratio(t['revision_group_ratio'])}x) "
         f"on {t['revision_pairs']} revision pairs",
         t["revision_group_ratio"] is not None and t["revision_group_ratio"] <= REAL_GROUP_LIMIT),
        (f"time <= {TIME_GEOMEAN_LIMIT}x git (geometric mean)", f"{fmt_ratio(t['time_geomean'])}x",
         t["time_geomean"] is not None and t["time_geomean"] <= TIME_GEOMEAN_LIMIT),
        (f"time <= {TIME_MAX_LIMIT}x git on every pair", f"max {fmt_ratio(t['time_max'])}x",
         t["time_max"] is not None and t["time_max"] <= TIME_MAX_LIMIT),
    ]
    return t


NAME_WIDTH = 50

REAL_HEADER = (
    f"{'pair':<{NAME_WIDTH}} {'rec':>3} {'mv':>3} {'cut':>3} {'no-x':>4} {'isl':>3} {'fig':>3} "
    f"{'ctx0 B':>7} {'git B':>7} {'ctx ×':>6} {'grp':>5} {'git':>5} {'grp ×':>6} "
    f"{'ms':>7} {'git ms':>7} {'t ×':>5}"
)


def real_row(name, x):
    if "error" in x:
        return f"{name:<{NAME_WIDTH}} ERROR: {x['error']}"
    note = " R" if x["replacement"] else ""
    if x["precision"] == "coarse":
        note += " (coarse)"
    return (
        f"{name:<{NAME_WIDTH}} {'ok' if x['reconstructs'] else 'NO':>3} {x['moves']:>3} {x['moves_cut']:>3} "
        f"{x['moves_crossing_nothing']:>4} {x['islands']:>3} {x['figures_cut']:>3} "
        f"{x['ctx0_bytes']:>7} {x['git_ctx0_bytes']:>7} {fmt_ratio(x['ctx0_ratio']):>6} "
        f"{x['groups']:>5} {x['git_groups']:>5} {fmt_ratio(x['group_ratio']):>6} "
        f"{x['ms']:>7.1f} {x['git_ms']:>7.1f} {fmt_ratio(x['time_ratio']):>5}{note}"
    )


def print_real_report(root, results, t, binary, extra, runs, verbose):
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
    built = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(os.path.getmtime(binary)))
    print(f"redline_quality --real {root}  {stamp}  binary {binary} (built {built})  runs {runs}")
    if extra:
        print(f"redliner args: {shlex.join(extra)}")
    print("rec: reconstructs; mv: moves; cut: moves cut mid-sentence; no-x: moves crossing no")
    print("unchanged text; isl: stranded islands; fig: figures cut; ctx0: --context 0 bytes;")
    print("grp: change groups; t ×: median time ratio; R: replacement (left out of the group total)")
    print()
    print(REAL_HEADER)
    for name, x in results:
        print(real_row(name, x))
        if verbose and "error" not in x:
            for line in x["move_details"]:
                print(f"    {line}")
    print()
    print(f"totals over {t['measured']} of {t['pairs']} pairs (targets of issue 12):")
    for label, value, ok in t["targets"]:
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<44} {value}")
    print("  (benchmark targets: see scripts/bench.py)")


def real_main(args, binary, extra):
    root = os.path.abspath(args.real)
    if not os.path.isdir(root):
        print(f"redline_quality: no directory {root}", file=sys.stderr)
        return 2
    names = sorted(
        n for n in os.listdir(root)
        if os.path.isfile(os.path.join(root, n, "old.md")) and os.path.isfile(os.path.join(root, n, "new.md"))
    )
    if not names:
        print(f"redline_quality: no <pair>/old.md + new.md under {root}", file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory(prefix="redline_quality.") as home:
        for name in names:
            try:
                x = measure_real_pair(binary, extra, os.path.join(root, name), home, args.runs)
            except (ToolError, OSError, UnicodeDecodeError) as e:
                x = {"error": str(e)}
            results.append((name, x))
    t = real_totals([x for _, x in results])
    if args.json:
        out = dict(t, targets=[{"target": a, "value": b, "pass": c} for a, b, c in t["targets"]])
        json.dump({"binary": binary, "redliner_args": extra, "runs": args.runs,
                   "pairs": {n: x for n, x in results}, "totals": out},
                  sys.stdout, indent=1, ensure_ascii=False)
        print()
    else:
        print_real_report(root, results, t, binary, extra, args.runs, args.verbose)
    if any("error" in x for _, x in results):
        print(f"{sum(1 for _, x in results if 'error' in x)} pair(s) failed to run", file=sys.stderr)
        return 2
    return 0


def main():
    ap = argparse.ArgumentParser(
        description="Change groups and changed characters: redliner vs git word diff.",
        epilog="Definitions are in the module docstring (pydoc scripts/redline_quality.py).",
    )
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "redliner"),
                    help="redliner binary (default target/release/redliner, built if missing)")
    ap.add_argument("--in-place", action="store_true",
                    help="time the binary where it is rather than an installed copy of it")
    ap.add_argument("--fixtures", help="fixture root of <case>/NN.txt (default fixtures/)")
    ap.add_argument("--pairs", nargs=2, action="append", metavar=("OLD", "NEW"), default=[],
                    help="an extra OLD NEW pair, counted as prose (repeatable)")
    ap.add_argument("--json", action="store_true", help="print machine-readable results")
    ap.add_argument("--redliner-args", default="", metavar="ARGS",
                    help='extra redliner diff flags, e.g. "--minimal"')
    ap.add_argument("--real", nargs="?", const=os.path.join(REPO, "tests", "real-revisions"),
                    metavar="DIR", help="measure the real pairs DIR/<pair>/{old,new}.md instead "
                    "(default DIR tests/real-revisions)")
    ap.add_argument("--runs", type=int, default=3,
                    help="timed runs per tool and pair with --real (median; default 3)")
    ap.add_argument("--verbose", action="store_true",
                    help="with --real, list the moves that are cut or cross nothing")
    # Let `--redliner-args "--minimal"` through: argparse would take a value
    # that starts with "-" for an option of its own.
    argv = sys.argv[1:]
    for i, a in enumerate(argv[:-1]):
        if a == "--redliner-args":
            argv[i : i + 2] = [f"--redliner-args={argv[i + 1]}"]
            break
    args = ap.parse_args(argv)

    binary = os.path.abspath(args.bin)
    ensure_binary(binary)
    if not args.in_place:
        binary = installed_copy(binary)
    extra = shlex.split(args.redliner_args)
    if args.real is not None:
        if args.fixtures or args.pairs:
            print("redline_quality: --real cannot be combined with --fixtures or --pairs",
                  file=sys.stderr)
            return 2
        if args.runs < 1:
            print("redline_quality: --runs must be at least 1", file=sys.stderr)
            return 2
        return real_main(args, binary, extra)

    work = []
    if args.fixtures or not args.pairs:
        root = args.fixtures or os.path.join(REPO, "fixtures")
        if not os.path.isdir(root):
            print(f"redline_quality: no fixture directory {root}", file=sys.stderr)
            return 2
        work += fixture_pairs(root)
    for i, (old, new) in enumerate(args.pairs, 1):
        for path in (old, new):
            if not os.path.isfile(path):
                print(f"redline_quality: no such file {path}", file=sys.stderr)
                return 2
        work.append((f"pairs[{i}]", "", old, new, True))

    results = []
    with tempfile.TemporaryDirectory(prefix="redline_quality.") as home:
        for case, label, old, new, prose in work:
            res = {"case": case, "pair": label, "old": old, "new": new, "prose": prose}
            try:
                r = measure_redliner(run_redliner(binary, old, new, extra))
                g = measure_git(run_git(old, new, home))
            except (ToolError, OSError) as e:
                res["error"] = str(e)
            else:
                gr, cr, ok = evaluate(r, g)
                res.update(redliner=r, git=g, group_ratio=gr, char_ratio=cr)
                res["pass"] = ok
            results.append(res)

    t = totals(results)
    if args.json:
        json.dump({"binary": binary, "redliner_args": extra, "pairs": results, "totals": t},
                  sys.stdout, indent=1, ensure_ascii=False)
        print()
    else:
        print_report(results, t, binary, extra)
    return 2 if any("error" in x for x in results) else 0


if __name__ == "__main__":
    sys.exit(main())
