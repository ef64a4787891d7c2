#!/usr/bin/env bash
# Builds the release bundle into dist/ with Trunk (wasm-opt from npm binaryen 132), minifies its
# JavaScript (scripts/minify.mjs: terser, which Trunk's own minifier cannot replace), then adds its
# Content-Security-Policy (scripts/csp.mjs: a meta in index.html, the header form in
# dist/content-security-policy.txt). `trunk serve` (make dev) does not run this: it injects its
# own reload script and sends its own policy.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# Relative asset URLs (`--public-url ./`), so that the bundle works from any sub-path.
trunk build --release --public-url ./ "$@"
node scripts/minify.mjs dist
node scripts/csp.mjs dist
