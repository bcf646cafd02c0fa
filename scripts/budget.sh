#!/usr/bin/env bash
# Bundle budget: print the size of every wasm, js and css file of a release build, raw and
# gzipped (gzip -9, what a static host typically serves), and fail when the gzipped total
# exceeds the budget. Usage: scripts/budget.sh DIST_DIR [BUDGET_BYTES]
#
# This is a ratchet against regressions, not the goal: 365 kB = 365,000 bytes gzipped, just
# above what the page weighs with lessons, share links and the cluster view (359.0 kB on
# 2026-11-23, after erase_components and the hand-read timed commands; it was 406.8 kB). The goal is 150 kB (issue "Performance"); `./x bench` prints the page weight
# against it. Lower this number whenever the page gets lighter; never raise it silently.
# (A minimal Leptos page is ~43 kB.)
set -euo pipefail

dist="${1:?usage: scripts/budget.sh DIST_DIR [BUDGET_BYTES]}"
budget="${2:-365000}"

shopt -s nullglob
files=("$dist"/*.wasm "$dist"/*.js "$dist"/*.css)
[ ${#files[@]} -gt 0 ] || {
    echo "budget: no wasm/js/css files in $dist" >&2
    exit 1
}
compgen -G "$dist/*.wasm" >/dev/null || {
    echo "budget: no .wasm in $dist" >&2
    exit 1
}

kb() { awk -v b="$1" 'BEGIN { printf "%.1f kB", b / 1000 }'; }

total_raw=0
total_gz=0
printf '%-44s %10s %10s\n' "file" "raw" "gzip -9"
for f in "${files[@]}"; do
    raw=$(wc -c <"$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    total_raw=$((total_raw + raw))
    total_gz=$((total_gz + gz))
    printf '%-44s %10s %10s\n' "$(basename "$f")" "$(kb "$raw")" "$(kb "$gz")"
done
printf '%-44s %10s %10s\n' "total" "$(kb "$total_raw")" "$(kb "$total_gz")"

if [ "$total_gz" -gt "$budget" ]; then
    echo "budget: FAIL, $(kb "$total_gz") gzipped is over the budget of $(kb "$budget")" >&2
    exit 1
fi
echo "budget: ok, $(kb "$total_gz") gzipped of $(kb "$budget") ($((total_gz * 100 / budget))% used)"
