#!/usr/bin/env bash
# Every test, exactly as CI runs it: formatting, lints (native and wasm32), native tests, the
# release CLI on IFEval's GPT-4 set, the release bundle, component tests in headless Chromium, and
# end-to-end tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export NLTK_DATA="${NLTK_DATA:-$PWD/../shared/data/nltk_data}"
export CRAB_PYTHON="${CRAB_PYTHON:-$PWD/.venv/bin/python}"

step() { printf '\n==> %s\n' "$*"; }
start=$(date +%s)

step "setup"
bash scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all --check

step "clippy (native)"
cargo clippy --workspace --all-targets --quiet -- -D warnings
step "clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown -p crab-playground -p crab-constraints -p crab-batch --all-targets --quiet -- -D warnings

step "native tests"
cargo test --workspace

step "release crab (scripts/build-cli.sh) on IFEval's GPT-4 set"
# The build users and benchmarks run (static on Linux): the same report and files as Google's.
crab=$(realpath "$(bash scripts/build-cli.sh)")
if [[ "$(rustc -vV)" == *linux-gnu* ]] && readelf -l "$crab" | grep -q INTERP; then
  echo "$crab asks for a dynamic loader: the static build did not happen" >&2
  exit 1
fi
ifeval="$PWD/../shared/data/ifeval"
run=$(mktemp -d)
(cd "$run" && "$crab" eval --input-data "$ifeval/input_data_gpt4_20231107_145030.jsonl" \
  --responses "$ifeval/input_response_data_gpt4_20231107_145030.jsonl" --output-dir expected >report.txt)
for f in report.txt expected/eval_results_strict.jsonl expected/eval_results_loose.jsonl; do
  cmp "$run/$f" "$ifeval/expected/${f#expected/}"
done
rm -rf "$run"

step "release bundle (trunk)"
bash scripts/build.sh
wasm=$(ls dist/*.wasm)
printf 'bundle: wasm %s bytes (gzip %s), js %s bytes (gzip %s)\n' \
  "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)" \
  "$(cat dist/*.js | wc -c)" "$(cat dist/*.js | gzip -9c | wc -c)"

step "component tests in headless Chromium (wasm-bindgen-test)"
cargo test --target wasm32-unknown-unknown -p crab-playground --tests
# Every browser_*.rs test file of the library, by glob, so that a new one cannot be forgotten.
browser_tests=()
for f in crates/crab-constraints/tests/browser_*.rs; do
  browser_tests+=(--test "$(basename "$f" .rs)")
done
cargo test --target wasm32-unknown-unknown -p crab-constraints "${browser_tests[@]}"

step "scripted LLM test server (node:test)"
npm run --silent test:llm-server

step "end-to-end tests in headless Chromium (Playwright)"
npm run --silent test:e2e

printf '\nall tests passed in %ss\n' "$(( $(date +%s) - start ))"
