#!/usr/bin/env bash
# Installs whatever this project needs and is missing, on Debian 12 (run as root, or with sudo).
# Idempotent and quiet when nothing is missing. Trunk (~10 min on 2 cores) and llama-cpp-python
# (the tests' real LLM server, 5-15 min) are the slow ones, each built once.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf 'setup: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: a headless browser and its driver (for every browser test), make, and Python's
# venv module (for the reference implementations the differential tests run against).
apt_missing=()
command -v chromium >/dev/null || apt_missing+=(chromium)
command -v chromedriver >/dev/null || apt_missing+=(chromium-driver)
command -v make >/dev/null || apt_missing+=(make)
# A C and C++ compiler: mimalloc (the `crab` CLI's allocator, a C library built by its crate) and
# llama-cpp-python's sdist (the real LLM server of the tests, below).
command -v g++ >/dev/null || apt_missing+=(g++)
command -v python3 >/dev/null || apt_missing+=(python3)
if command -v python3 >/dev/null && ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  apt_missing+=(python3-venv)
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "installing ${apt_missing[*]} with apt"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

# Node.js >= 20 with npm comes with these machines; Debian 12's own npm is too old and conflicts.
if ! command -v npm >/dev/null; then
  say "Node.js >= 20 with npm is required (Debian 12's nodejs package is too old)"
  exit 1
fi

# Rust: the wasm target, and the wasm-bindgen CLI at exactly Cargo.lock's version (no --locked:
# the registry mirror lacks some of its pinned dependencies).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >/dev/null
fi
wbg=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
  say "installing wasm-bindgen-cli $wbg (a few minutes)"
  cargo install --quiet wasm-bindgen-cli --version "$wbg"
fi
if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
  say "installing trunk 0.21.14 (about 10 minutes)"
  cargo install --quiet trunk --version 0.21.14 --locked
fi

# npm packages (playwright-core, binaryen's wasm-opt): reinstall only when the lockfile changed.
stamp=node_modules/.crab-lock-stamp
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json "$stamp"
fi

# Python reference implementations for the differential tests (never shipped).
req=scripts/oracle/requirements.txt
vstamp=.venv/.crab-req-stamp
if [ -f "$req" ] && ! cmp -s "$req" "$vstamp" 2>/dev/null; then
  say "creating the Python reference venv (.venv)"
  rm -rf .venv
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$vstamp"
fi

# The one real OpenAI-compatible server the LLM tests run against (llama-cpp-python, CPU only),
# built once from its sdist into a cache outside the checkout (${CRAB_CACHE:-~/.cache/crab-playground});
# quiet when built. See scripts/llm/setup_llama_server.sh.
bash scripts/llm/setup_llama_server.sh
