#!/usr/bin/env bash
# Builds the release bundle into dist/ with Trunk (wasm-opt from npm binaryen 132).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# Relative asset URLs (`--public-url ./`), so that the bundle works from any sub-path.
trunk build --release --public-url ./ "$@"
