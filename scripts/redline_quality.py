#!/usr/bin/env python3
"""Compares how much change `redliner` reports against `git diff --word-diff`.

For every pair of consecutive versions in fixtures/<case>/ (01.txt -> 02.txt,
02.txt -> 03.txt, ...), and for any pair given with --pairs, runs

    redliner diff --files OLD NEW --format json [--redliner-args ...]
    git diff --no-index --word-diff=porcelain OLD NEW

and prints, per pair, the change groups and changed characters each tool
reports, their ratios, the moves redliner found, and whether the pair meets
the goal. It is a report, not a test: it exits 0 whatever the numbers are,
and 2 only when a tool fails (redliner exits 2, git exits > 1, bad output).

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
    top-level `moves` list), computed by the same rule.

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

Usage
-----
    scripts/redline_quality.py                      # all fixtures
    scripts/redline_quality.py --pairs a1.txt a2.txt --pairs b1.txt b2.txt
    scripts/redline_quality.py --fixtures DIR       # DIR/<case>/NN.txt
    scripts/redline_quality.py --redliner-args "--minimal" --json

--bin defaults to target/release/redliner, built with `cargo build
--release` when missing. With --pairs only the given pairs are measured,
unless --fixtures is given as well. Standard library only.
"""

import argparse
import json
import os
import re
import shlex
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
    by the caller), but neither starts nor joins an ordinary group.
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


def main():
    ap = argparse.ArgumentParser(
        description="Change groups and changed characters: redliner vs git word diff.",
        epilog="Definitions are in the module docstring (pydoc scripts/redline_quality.py).",
    )
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "redliner"),
                    help="redliner binary (default target/release/redliner, built if missing)")
    ap.add_argument("--fixtures", help="fixture root of <case>/NN.txt (default fixtures/)")
    ap.add_argument("--pairs", nargs=2, action="append", metavar=("OLD", "NEW"), default=[],
                    help="an extra OLD NEW pair, counted as prose (repeatable)")
    ap.add_argument("--json", action="store_true", help="print machine-readable results")
    ap.add_argument("--redliner-args", default="", metavar="ARGS",
                    help='extra redliner diff flags, e.g. "--minimal"')
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
    extra = shlex.split(args.redliner_args)

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
