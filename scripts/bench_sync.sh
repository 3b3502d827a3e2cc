#!/bin/sh
# Times `sync` on two stores and a bare remote in a temporary directory:
# publishing DOCS documents of REVS revisions each, fetching them on a second
# machine, then merging DIV diverged revisions per document on each side.
# Usage: scripts/bench_sync.sh [DOCS] [REVS] [DIV]   (redliner on PATH)
set -e
DOCS=${1:-20}
REVS=${2:-50}
DIV=${3:-10}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME="$T" GIT_CONFIG_NOSYSTEM=1 TZ=UTC
git init --quiet --bare "$T/remote.git"
A="redliner --store $T/a.git"
B="redliner --store $T/b.git"
stamp() { printf '2023-01-01T00:00:00Z' | sed "s/00:00:00/$(printf '%02d:%02d:%02d' $(($1 / 3600 % 24)) $(($1 / 60 % 60)) $(($1 % 60)))/"; }
for d in $(seq 1 "$DOCS"); do
  for r in $(seq 1 "$REVS"); do
    printf 'Document %s, paragraph one.\n\nRevision %s of the statement, with some words.\n' "$d" "$r" |
      $A record "doc-$d" - --at "$(stamp $((r * 10)))" > /dev/null
  done
done
$A remote add origin "$T/remote.git" > /dev/null
$B remote add origin "$T/remote.git" > /dev/null
t() { s=$(date +%s%N); "$@" > "$T/out"; e=$(date +%s%N); echo "$(((e - s) / 1000000)) ms"; }
echo "publish $DOCS x $REVS revisions: $(t $A sync)"
echo "fetch on B: $(t $B sync)"
echo "no-op sync: $(t $A sync)"
for d in $(seq 1 "$DOCS"); do
  for r in $(seq 1 "$DIV"); do
    printf 'Document %s on A, %s.\n' "$d" "$r" | $A record "doc-$d" - --at "$(stamp $((REVS * 10 + r * 20)))" > /dev/null
    printf 'Document %s on B, %s.\n' "$d" "$r" | $B record "doc-$d" - --at "$(stamp $((REVS * 10 + r * 20 + 10)))" > /dev/null
  done
done
echo "B publishes $DIV new revisions per document: $(t $B sync)"
echo "A merges $DOCS x ($DIV + $DIV) diverged revisions: $(t $A sync)"
echo "B fast-forwards to the merge: $(t $B sync)"
$A verify | tail -1
for d in $(seq 1 "$DOCS"); do
  [ "$($A log "doc-$d" --json)" = "$($B log "doc-$d" --json)" ] || { echo "doc-$d differs"; exit 1; }
done
echo "A and B: the same $DOCS histories of $(($REVS + 2 * $DIV)) revisions"
