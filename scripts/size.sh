#!/usr/bin/env bash
# Prints what the release build ships, raw and gzipped, so growth shows on every run.
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
