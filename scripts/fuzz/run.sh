#!/usr/bin/env bash
# Runs the coverage-guided fuzzers of fuzz/ (cargo-fuzz, libFuzzer; nightly only), one target
# after the other, each for SECONDS_PER_TARGET, and prints per target: executions, exec/s,
# coverage (libFuzzer's cov and ft), corpus files and findings.
#
#   scripts/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]   fuzz (default 600 s, every target)
#   scripts/fuzz/run.sh --cmin [TARGET...]                 minimise the corpora before a commit
#
# New coverage goes into fuzz/corpus/<target>/ (in the repository; minimise it before
# committing). A crash, timeout or out-of-memory input is copied to fuzz/regressions/<target>/,
# which `cargo test -p crab-fuzz` replays on stable: it fails until the bug is fixed, and keeps
# it fixed afterwards. Logs: target/fuzz-logs/<target>.log.
#
# The build keeps cargo-fuzz's defaults (optimised, with debug assertions and overflow checks,
# so an arithmetic overflow is a finding too) but without AddressSanitizer (`--sanitizer none`):
# the library and the targets forbid `unsafe`, and without ASan the fuzzers run about twice as
# fast. Inputs up to 64 KB (-max_len), 10 s per input before a timeout is reported (the bound
# measured on release builds is 1 s: see `cargo bench -p crab-constraints --bench bounds`).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzzing needs the nightly toolchain (rustup toolchain install nightly); stopping." >&2
  exit 1
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "installing cargo-fuzz from crates.io"
  cargo install cargo-fuzz --version 0.13.2
fi

fuzz() {
  local cmd=$1
  shift
  nice -n 10 cargo +nightly fuzz "$cmd" --fuzz-dir fuzz --features libfuzzer --sanitizer none "$@"
}

cmin=false
if [ "${1:-}" = "--cmin" ]; then
  cmin=true
  shift
fi
seconds=600
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list --fuzz-dir fuzz)
fi

fuzz build
logs=target/fuzz-logs
mkdir -p "$logs"

if $cmin; then
  for t in "${targets[@]}"; do
    before=$(find "fuzz/corpus/$t" -type f | wc -l)
    fuzz cmin "$t" "fuzz/corpus/$t" -- -max_len=65536 -timeout=10 -use_counters=0 >"$logs/$t.cmin.log" 2>&1
    printf '%-15s %6d -> %6d files, %s\n' "$t" "$before" "$(find "fuzz/corpus/$t" -type f | wc -l)" \
      "$(du -sh "fuzz/corpus/$t" | cut -f1)"
  done
  exit 0
fi

# The value of `stat::NAME:` in a log.
stat_of() { sed -n "s/^stat::$2: *//p" "$1" | tail -n 1; }

rows=()
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t" "fuzz/regressions/$t"
  seen=$(mktemp)
  find "fuzz/artifacts/$t" -type f | sort >"$seen"
  log="$logs/$t.log"
  echo "==> $t: ${seconds}s (log: $log)"
  start=$(date +%s)
  status=0
  fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1 || status=$?
  elapsed=$(( $(date +%s) - start ))
  # libFuzzer's last status line: "#N DONE cov: C ft: F corp: K/S ...".
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  found=()
  while read -r f; do
    [ -n "$f" ] || continue
    found+=("$(basename "$f")")
    cp "$f" "fuzz/regressions/$t/"
  done < <(find "fuzz/artifacts/$t" -type f | sort | comm -13 "$seen" -)
  rm -f "$seen"
  rows+=("$(printf '%-15s %10s %7s %6ss %7s %7s %6s %5s  %s' "$t" \
    "$(stat_of "$log" number_of_executed_units)" "$(stat_of "$log" average_exec_per_sec)" "$elapsed" \
    "${cov:-?}" "${ft:-?}" "$(find "fuzz/corpus/$t" -type f | wc -l)" \
    "$(stat_of "$log" slowest_unit_time_sec)" "${found[*]:-none}")")
  if [ "$status" -ne 0 ] && [ ${#found[@]} -eq 0 ]; then
    rows+=("  (exit status $status without an artifact: see $log)")
  fi
done

printf '\n%-15s %10s %7s %7s %7s %7s %6s %5s  %s\n' target execs exec/s time cov ft corpus slow findings
printf '%s\n' "${rows[@]}"
