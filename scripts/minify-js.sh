#!/usr/bin/env bash
# Trunk post_build hook (Trunk.toml): minify the wasm-bindgen JS glue in release builds.
# Trunk's own minifier gives up on that file (it only warns and ships it unminified);
# terser (pinned in package.json, installed by ./x setup) handles ES modules.
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = "release" ] || exit 0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for js in "$TRUNK_STAGING_DIR"/*.js; do
    [ -e "$js" ] || continue
    "$ROOT/node_modules/.bin/terser" "$js" --module --compress --mangle --output "$js"
done
