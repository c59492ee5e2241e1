#!/usr/bin/env bash
# Prints what the release build ships, raw and gzipped, so growth shows on every run, and fails
# when the first load (every file index.html loads) passes its budget (SIZE_BUDGET bytes
# gzipped, 253,000 B by default) or the studio, loaded on demand (see src/web/studio.rs), passes
# its own (STUDIO_BUDGET, 500,000 B by default).
set -euo pipefail
cd "$(dirname "$0")/.."

# Adds up the gzipped sizes of the files named, printing each; echoes the total last.
sum() {
  local total=0 f raw gz
  for f in "$@"; do
    [ -f "dist/$f" ] || { echo "[size] dist/$f is missing" >&2; exit 1; }
    raw=$(wc -c <"dist/$f")
    gz=$(gzip -9 -c "dist/$f" | wc -c)
    total=$((total + gz))
    printf '[size] %-52s %8d B raw %8d B gzipped\n' "$f" "$raw" "$gz" >&2
  done
  echo "$total"
}

check() {
  local what=$1 total=$2 budget=$3
  printf '[size] %-52s %26d B gzipped\n' "$what in all:" "$total"
  if [ "$total" -gt "$budget" ]; then
    printf '[size] %s over its budget of %d B gzipped by %d B\n' "$what" "$budget" "$((total - budget))" >&2
    return 1
  fi
  printf '[size] %s within its budget of %d B gzipped (%d B to spare)\n' "$what" "$budget" "$((budget - total))"
}

# The first load: every file the page links (scripts, module preloads, the module, styles).
mapfile -t first < <(grep -oE '(href|src)="?\./[^" >?]+' dist/index.html | sed -E 's/^(href|src)="?\.\///' | sort -u)
[ "${#first[@]}" -gt 0 ] || { echo "[size] dist/index.html links no file: build first" >&2; exit 1; }
# The studio: the files its meta tag names, loaded when first asked for.
mapfile -t studio < <(grep -oE 'name="?interleave-studio"? content="[^"]+"' dist/index.html \
  | sed -E 's/.*content="//; s/"$//' | tr ' ' '\n' | sed -E 's/^\.\///; s/\?.*$//')
[ "${#studio[@]}" -eq 3 ] || { echo "[size] dist/index.html names no studio (script, module, styles)" >&2; exit 1; }

status=0
check "first load" "$(sum "${first[@]}")" "${SIZE_BUDGET:-253000}" || status=1
check "studio (on demand)" "$(sum "${studio[@]}")" "${STUDIO_BUDGET:-500000}" || status=1
exit $status
