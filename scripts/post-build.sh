#!/usr/bin/env bash
# Trunk post_build hook (Trunk.toml), release builds only:
# 1. minify the wasm-bindgen JS glue with terser (Trunk's own minifier gives up on it and
#    ships it unminified); terser is pinned in package.json and installed by ./x setup;
# 2. bundle the stylesheets (tokens, base, shell, live: kept apart in styles/ for editing)
#    into one file, in the order index.html links them: one gzip stream is ~1 KB smaller.
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = "release" ] || exit 0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$TRUNK_STAGING_DIR"
for js in *.js; do
    [ -e "$js" ] || continue
    "$ROOT/node_modules/.bin/terser" "$js" --module --compress passes=3,pure_getters=true,unsafe_arrows=true --mangle --toplevel --output "$js"
done
python3 - <<'PY'
import hashlib, pathlib, re
html_path = pathlib.Path("index.html")
html = html_path.read_text()
# Trunk minifies index.html: attributes may be unquoted and in any order.
tags = [t for t in re.findall(r"<link\b[^>]*>", html) if re.search(r"\brel=\"?stylesheet\b", t)]
hrefs = [re.search(r"\bhref=\"?(?:\./)?([^\"\s>]+)", t).group(1) for t in tags]
if len(tags) > 1:
    css = "\n".join(pathlib.Path(h).read_text() for h in hrefs)
    name = f"kafkascope-{hashlib.sha256(css.encode()).hexdigest()[:16]}.css"
    pathlib.Path(name).write_text(css)
    html = html.replace(tags[0], f'<link rel="stylesheet" href="./{name}">', 1)
    for tag in tags[1:]:
        html = html.replace(tag, "", 1)
    html_path.write_text(html)
    for h in hrefs:
        pathlib.Path(h).unlink()
PY
