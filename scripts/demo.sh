#!/usr/bin/env bash
# The main job on the bundled example: records five real captures of a U.S.
# Department of Defense press statement into a fresh store, then shows the
# document's history and a coloured word diff of each revision.
set -euo pipefail
cd "$(dirname "$0")/.."
# Build the release binary once and put it first on PATH, so every command
# below (and in the README) is plain `redliner`.
cargo build --release --quiet
export PATH="${CARGO_TARGET_DIR:-$PWD/target}/release:$PATH"
redliner=redliner
store="$(mktemp -d)/store.git"
export REDLINER_STORE="$store"
case_dir=fixtures/dod-trilateral
source_url="https://www.defense.gov/News/Releases/Release/Article/3584872/"

# fixtures/dod-trilateral/README lists "NN: TIME MESSAGE" for each capture.
grep -E '^[0-9]{2}: ' "$case_dir/README" | while IFS= read -r line; do
  num=${line%%:*}
  rest=${line#*: }
  at=${rest%% *}
  msg=${rest#* }
  "$redliner" record dod-trilateral "$case_dir/$num.txt" --at "$at" -m "$msg" --source "$source_url"
done

echo
echo "\$ redliner log dod-trilateral"
"$redliner" --no-pager log dod-trilateral
for rev in 2 3 4 5; do
  echo
  echo "\$ redliner diff dod-trilateral@$rev --context 0"
  "$redliner" --no-pager --color=always diff "dod-trilateral@$rev" --context 0 || true
done
echo
echo "The store is $store. To run the README's examples as written in this shell:"
echo "  export PATH=\"${CARGO_TARGET_DIR:-$PWD/target}/release:\$PATH\" REDLINER_STORE=$store"
echo "  redliner diff dod-trilateral@1 dod-trilateral@latest"
