#!/usr/bin/env bash
# Builds the one real OpenAI-compatible server the end-to-end tests run against: llama-cpp-python
# 0.3.36 (`python -m llama_cpp.server`) from its sdist, CPU only, in a venv OUTSIDE the checkout:
#
#   ${CRAB_CACHE:-$HOME/.cache/crab-playground}/llama-cpp-python-0.3.36/
#     venv/                      the server and gguf (pinned: scripts/llm/requirements-llama.txt)
#     ggml-vocab-llama-spm.gguf  the vocabulary-only GGUF vendored in the sdist (for the tiny model)
#     build.log                  the last build's output
#     .stamp                     what was built; equal to what this script would build = done
#
# Why a cache: the C++ build takes 5-15 minutes on 2 cores; only a cold machine pays for it, like
# the Rust tools. Idempotent and silent when the stamp matches; rebuilt from scratch when the
# requirements, the CMake arguments or this script change. No model is downloaded (none can be):
# the tests write a tiny random one with scripts/llm/make_tiny_gguf.py (tests/llm/llama.mjs).
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=0.3.36
CACHE="${CRAB_CACHE:-$HOME/.cache/crab-playground}/llama-cpp-python-$VERSION"
REQ=scripts/llm/requirements-llama.txt
# CPU only, portable (no -march=native: the cache may move between machines of the same kind), no
# multimodal library, no OpenSSL, no BLAS, no ccache.
CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DLLAMA_OPENSSL=OFF -DGGML_BLAS=OFF -DGGML_CCACHE=OFF"
VOCAB=ggml-vocab-llama-spm.gguf

say() { printf 'setup: %s\n' "$*" >&2; }

# What a build is made of: a change to any of these rebuilds (this script included).
want=$(cat "$REQ" scripts/llm/setup_llama_server.sh | sha256sum | cut -d' ' -f1)
if [ -f "$CACHE/.stamp" ] && [ "$(cat "$CACHE/.stamp")" = "$want" ] \
  && [ -x "$CACHE/venv/bin/python" ] && [ -f "$CACHE/$VOCAB" ]; then
  exit 0
fi

say "building llama-cpp-python $VERSION from source, CPU only (5-15 min, once; cache: $CACHE)"
start=$(date +%s)
rm -rf "$CACHE"
mkdir -p "$CACHE"
log="$CACHE/build.log"
fail() {
  say "llama-cpp-python build failed; the end of $log:"
  tail -n 40 "$log" >&2
  exit 1
}

{
  python3 -m venv "$CACHE/venv"
  pip=("$CACHE/venv/bin/python" -m pip --disable-pip-version-check)
  "${pip[@]}" install -r "$REQ"
  # The sdist itself (its metadata is prepared with the scikit-build-core just installed).
  "${pip[@]}" download --no-deps --no-build-isolation --no-binary llama-cpp-python \
    -d "$CACHE/sdist" "llama-cpp-python==$VERSION"
} >"$log" 2>&1 || fail
sdist="$CACHE/sdist/llama_cpp_python-$VERSION.tar.gz"
tar -xzf "$sdist" -O "llama_cpp_python-$VERSION/vendor/llama.cpp/models/$VOCAB" >"$CACHE/$VOCAB" 2>>"$log" || fail

PATH="$CACHE/venv/bin:$PATH" CMAKE_ARGS="$CMAKE_ARGS" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
  nice -n 10 "${pip[@]}" install -v --no-deps --no-build-isolation "$sdist" >>"$log" 2>&1 || fail
"${pip[@]}" check >>"$log" 2>&1 || fail
"$CACHE/venv/bin/python" -c 'import llama_cpp, llama_cpp.server.app, gguf' >>"$log" 2>&1 || fail

rm -rf "$CACHE/sdist"
printf '%s\n' "$want" >"$CACHE/.stamp"
say "llama-cpp-python $VERSION built in $(( $(date +%s) - start ))s ($(du -sh "$CACHE" | cut -f1) in $CACHE)"
