#!/usr/bin/env bash
# Prints what the release build ships, raw and gzipped, so growth shows on every run, and fails
# when the first load passes its budget (SIZE_BUDGET bytes gzipped, 250 KB by default).
set -euo pipefail
cd "$(dirname "$0")/.."
total=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  [ -f "$f" ] || continue
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '[size] %-44s %8d B raw %8d B gzipped\n' "$(basename "$f")" "$raw" "$gz"
done
printf '[size] shipped in all (wasm, js, css):              %8d B gzipped\n' "$total"
budget=${SIZE_BUDGET:-250000}
if [ "$total" -gt "$budget" ]; then
  printf '[size] over the budget of %d B gzipped by %d B\n' "$budget" "$((total - budget))" >&2
  exit 1
fi
printf '[size] within the budget of %d B gzipped (%d B to spare)\n' "$budget" "$((budget - total))"
