#!/usr/bin/env bash
# Runs the fuzz targets in fuzz/ (tokenize, diff, selector, escape) with
# cargo-fuzz (libFuzzer), one process each, one after the other.
#
#   scripts/fuzz.sh [RUNS] [TARGET...]
#
# RUNS is the number of executions per target (default 1000000). Each run
# starts from fuzz/seeds/TARGET and writes the inputs it finds to a temporary
# corpus directory, deleted afterwards, so nothing but crash artifacts
# (fuzz/artifacts/, git-ignored) is left in the tree. Prints, per target, the
# executions done, the rate and whether a crash was found; exits 1 if any was.
#
# FUZZ_MAX_TIME=SECONDS also stops each target after that long (libFuzzer's
# -max_total_time), whichever comes first; the executions done are reported.
#
# Works on stable Rust: builds with `--sanitizer none` (ASan needs nightly;
# set FUZZ_SANITIZER=address with a nightly toolchain to use it). Release
# build with debug assertions and overflow checks on.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-1000000}"
shift || true
if ! [[ "$runs" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh [RUNS] [TARGET...]" >&2
  exit 2
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(tokenize diff selector escape)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz..."
  cargo install cargo-fuzz --locked
fi

sanitizer="${FUZZ_SANITIZER:-none}"
build_flags=(--sanitizer "$sanitizer" --debug-assertions --fuzz-dir fuzz)

echo "building fuzz targets (cargo fuzz build ${build_flags[*]})..."
cargo fuzz build "${build_flags[@]}"

# Per-target libFuzzer options.
target_opts() {
  case "$1" in
    diff) echo "-max_len=4096" ;;
    selector) echo "-max_len=256 -dict=fuzz/dicts/selector.dict" ;;
    *) echo "-max_len=4096" ;;
  esac
}

work="$(mktemp -d "${TMPDIR:-/tmp}/redliner-fuzz.XXXXXX")"
logs="$work/logs"
mkdir -p "$logs"
trap 'rm -rf "$work/corpus"' EXIT

failed=0
summary=()
for t in "${targets[@]}"; do
  corpus="$work/corpus/$t"
  mkdir -p "$corpus"
  log="$logs/$t.log"
  echo "== $t: $runs executions (log: $log)"
  start=$(date +%s.%N)
  set +e
  cargo fuzz run "${build_flags[@]}" "$t" "$corpus" "fuzz/seeds/$t" -- \
    -runs="$runs" -print_final_stats=1 -timeout=30 $(target_opts "$t") \
    ${FUZZ_MAX_TIME:+-max_total_time="$FUZZ_MAX_TIME"} >"$log" 2>&1
  status=$?
  set -e
  end=$(date +%s.%N)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ -z "$execs" ]; then
    # Fall back to libFuzzer's last status line: "#1234  NEW ...".
    execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  fi
  execs=${execs:-0}
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  rate=$(awk -v n="$execs" -v s="$secs" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print 0 }')
  if [ "$status" -eq 0 ]; then
    result="no crash"
  else
    failed=1
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    result="CRASH (exit $status) ${artifact:+input: $artifact}"
    echo "   failure:"
    grep -m1 -A3 -E "panicked at|ERROR: libFuzzer|==[0-9]+==ERROR" "$log" | sed 's/^/     /' || true
  fi
  line=$(printf '%-9s %10s executions in %7ss (%6s exec/s): %s' "$t" "$execs" "$secs" "$rate" "$result")
  echo "   $line"
  summary+=("$line")
done

echo
echo "summary (logs in $logs):"
printf '  %s\n' "${summary[@]}"
exit "$failed"
