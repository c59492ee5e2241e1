#!/usr/bin/env bash
# Runs every tier of Interleave's tests and prints one summary. Exit status non-zero if anything
# fails. Called by `make test` (after scripts/tools.sh has made sure the tools are there).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failed=0
summary=()

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

# Sums "test result: ok. N passed; M failed" lines (cargo and wasm-bindgen-test-runner).
cargo_counts() {
  awk '/test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
       END { printf "%d %d", p, f }' "$1"
}

run_tier() { # name log-file command...
  local name=$1 log=$2
  shift 2
  step "$name"
  local start=$SECONDS
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local took=$((SECONDS - start))
  if [ "$status" -ne 0 ]; then
    failed=1
    summary+=("$name: FAILED (exit $status, ${took}s)")
  fi
  return "$status"
}

step "format and lints (native and wasm32)"
if ! { cargo fmt --all -- --check &&
  cargo clippy --quiet --all-targets -- -D warnings &&
  cargo clippy --quiet --all-targets --target wasm32-unknown-unknown -- -D warnings &&
  cargo clippy --quiet --all-targets --target wasm32-unknown-unknown --features bench -- -D warnings &&
  cargo clippy --quiet --all-targets --target wasm32-unknown-unknown --features studio -- -D warnings; }; then
  failed=1
  summary+=("lint: FAILED")
else
  summary+=("lint: clean (fmt, clippy native, clippy wasm32: page, studio, bench)")
fi

if run_tier "tier 1: native engine tests (cargo test)" "$logs/native" cargo test --quiet; then
  read -r p f < <(cargo_counts "$logs/native")
  summary+=("native: $p passed, $f failed")
  total_p=$((${total_p:-0} + p)); total_f=$((${total_f:-0} + f))
fi

if run_tier "tier 1b: conformance (every listing, and code mode's corpus, run by CPython on a virtual clock, against Interleave's)" \
  "$logs/conformance" bash -c 'cargo build --quiet --bin interleave && python3 tests/conformance/run.py && python3 tests/conformance/code_corpus.py'; then
  summary+=("$(grep '^conformance:' "$logs/conformance")")
  summary+=("$(grep '^code corpus:' "$logs/conformance")")
fi

if run_tier "tier 2: browser tests (wasm-bindgen-test in headless Chromium)" "$logs/browser" \
  cargo test --target wasm32-unknown-unknown --lib --test browser; then
  read -r p f < <(cargo_counts "$logs/browser")
  summary+=("browser: $p passed, $f failed")
  total_p=$((${total_p:-0} + p)); total_f=$((${total_f:-0} + f))
fi

step "release build (trunk build --release, wasm-opt -Oz)"
if cargo fetch --quiet && trunk build --release 2>&1 | tail -n 3 && node scripts/csp.mjs; then
  if ! scripts/size.sh 2>&1 | tee "$logs/size" || grep -q "over its budget" "$logs/size"; then
    failed=1
    summary+=("size: FAILED (over the budget)")
  fi
  if run_tier "tier 3: end to end (Playwright driving Chromium on the release build)" "$logs/e2e" \
    node --test --test-concurrency=1 --test-reporter=spec tests/e2e/; then
    p=$(awk '/^ℹ pass / { print $3 }' "$logs/e2e"); f=$(awk '/^ℹ fail / { print $3 }' "$logs/e2e")
    summary+=("end to end: ${p:-0} passed, ${f:-0} failed")
    total_p=$((${total_p:-0} + ${p:-0})); total_f=$((${total_f:-0} + ${f:-0}))
  fi
else
  failed=1
  summary+=("release build: FAILED")
fi

step "summary"
printf '  %s\n' "${summary[@]}"
grep -E 'shipped in all|budget' "$logs/size" 2>/dev/null | sed 's/^/  /'
if [ "$failed" -ne 0 ]; then
  echo "FAILED: see the tiers above."
  exit 1
fi
echo "${total_p:-0} passed, ${total_f:-0} failed"
