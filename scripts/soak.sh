#!/usr/bin/env bash
# The long version of the durability tests: 16 concurrent writers x 100
# revisions (one document, and one document each), and a SIGKILL loop of
# ROUNDS rounds (default 1000). Prints the figures the tests assert on.
# Usage: scripts/soak.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-1000}
echo "== concurrency: 16 writers x 100 revisions"
REDLINER_WRITERS=16 REDLINER_EACH=100 cargo test --release --test concurrency -- --nocapture
echo "== SIGKILL loop: $rounds rounds"
REDLINER_KILL_ROUNDS=$rounds cargo test --release --test faults sigkill -- --nocapture 2>&1 | grep -E "rounds|test result|panicked"
