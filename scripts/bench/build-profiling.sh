#!/usr/bin/env bash
# The release bundle with the wasm's function names kept (wasm-opt -g), into dist-profiling/, for
# `DIST=dist-profiling node scripts/bench/typing.mjs --trace`: the same code and optimisation as
# the shipped bundle (scripts/build.sh), whose wasm-opt drops the name section to save bytes.
# Builds from a copy of index.html that differs only in wasm-opt's parameters.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
html=index.profiling.html
trap 'rm -f "$html"' EXIT
sed 's/data-wasm-opt-params="\([^"]*\)"/data-wasm-opt-params="\1 -g"/' index.html >"$html"
grep -q 'data-wasm-opt-params="[^"]* -g"' "$html"
trunk build --release --public-url ./ --dist dist-profiling "$html"
# Trunk names the page after its source; the bench opens index.html.
mv dist-profiling/"$html" dist-profiling/index.html 2>/dev/null || true
