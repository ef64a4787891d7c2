#!/usr/bin/env bash
# Builds the release `crab` command-line tool and prints the path of the binary.
#
# On Linux with glibc the binary is static and position-dependent: no dynamic loader, no shared
# libraries to find, map and relocate at every start, and thread-locals and globals reached
# without going through tables. A `crab` run is short and `crab eval` is one process per file, so
# this is worth about 0.4 ms per start and 1 ms per `crab eval` of IFEval's GPT-4 set
# (BENCHMARKS.md, "A static `crab`"). Elsewhere it is the ordinary release build.
#
# The target is spelled out on purpose: given `--target`, cargo applies these flags to what goes
# into the binary only, not to the build scripts and procedural macros it builds for itself
# (a procedural macro cannot be built with `crt-static`). A plain `cargo build --release -p
# crab-cli` still works and gives the same program, dynamically linked, in target/release/crab.
# RUSTFLAGS, if set, replaces these flags (cargo's rule), and the build is then whatever it says.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

host=$(rustc -vV | sed -n 's/^host: //p')
target_dir=${CARGO_TARGET_DIR:-target}
case "$host" in
  *-linux-gnu)
    cargo build --release -p crab-cli --target "$host" \
      --config "target.$host.rustflags = ['-C', 'target-feature=+crt-static', '-C', 'relocation-model=static']" >&2
    echo "$target_dir/$host/release/crab"
    ;;
  *)
    cargo build --release -p crab-cli >&2
    echo "$target_dir/release/crab"
    ;;
esac
