# shellcheck shell=bash
# Sourced by ./x and scripts/*.sh: the build/test environment and idempotent installers.
#
# Every installer checks the version already present first and returns at once when it
# matches, so a second `./x test` spends seconds here. What gets installed, and where:
#   wasm32-unknown-unknown      rustup target
#   trunk 0.21.14               cargo install --locked  -> ~/.cargo/bin (0.22 needs rustc >= 1.96)
#   wasm-bindgen-cli            cargo install, exactly the wasm-bindgen version in Cargo.lock
#                               -> ~/.cargo/bin (wasm-bindgen, wasm-bindgen-test-runner)
#   wasm-opt 132, playwright-core   npm ci from package-lock.json -> node_modules/.bin (first on PATH)
#   chromium, chromium-driver   apt (only for tests)
# See ../shared/TOOLCHAIN.md for the verified recipe and its pitfalls.

TRUNK_VERSION="0.21.14"
WASM_OPT_VERSION_LINE="wasm-opt version 132 (version_132)"
WASM_TARGET="wasm32-unknown-unknown"

: "${ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"

# node_modules/.bin first: its wasm-opt (binaryen 132) must win over any Debian binaryen 108.
export PATH="$ROOT/node_modules/.bin:$CARGO_BIN:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="wasm-bindgen-test-runner"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/tests/webdriver.json"
export DEBIAN_FRONTEND=noninteractive

if [ -t 2 ]; then _B=$'\033[1m' _R=$'\033[31m' _G=$'\033[32m' _0=$'\033[0m'; else _B="" _R="" _G="" _0=""; fi
note() { printf '%s[x]%s %s\n' "$_B" "$_0" "$*" >&2; }
ok() { printf '%s[x]%s %s%s%s\n' "$_B" "$_0" "$_G" "$*" "$_0" >&2; }
die() {
    printf '%s[x] error:%s %s\n' "$_R" "$_0" "$*" >&2
    exit 1
}

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo -E "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

_apt_updated=""
apt_install() {
    note "apt: installing $*"
    if [ -z "$_apt_updated" ]; then
        as_root apt-get update -q
        _apt_updated=1
    fi
    as_root apt-get install -y -q --no-install-recommends "$@"
}

# The wasm-bindgen version Cargo.lock resolved; wasm-bindgen-cli and Trunk.toml must match it.
lock_wasm_bindgen_version() {
    awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }' "$ROOT/Cargo.lock"
}

trunk_wasm_bindgen_pin() {
    sed -n 's/^wasm_bindgen *= *"\([^"]*\)".*/\1/p' "$ROOT/Trunk.toml"
}

check_pins() {
    local lock pin
    lock="$(lock_wasm_bindgen_version)"
    pin="$(trunk_wasm_bindgen_pin)"
    [ -n "$lock" ] || die "no wasm-bindgen in Cargo.lock (run: cargo generate-lockfile)"
    [ "$lock" = "$pin" ] ||
        die "Trunk.toml pins wasm_bindgen = \"$pin\" but Cargo.lock has wasm-bindgen $lock: make them equal"
}

setup_rust() {
    command -v cargo >/dev/null && command -v rustup >/dev/null ||
        die "cargo and rustup not found: install the Rust toolchain with rustup first"
    if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
        note "rustup: adding $WASM_TARGET"
        rustup target add "$WASM_TARGET"
    fi
}

setup_node_tools() {
    if ! command -v npm >/dev/null; then
        apt_install nodejs npm
    fi
    # Every devDependency in package.json is pinned exactly; installed at that version = done.
    if node -e '
        const deps = require("./package.json").devDependencies;
        for (const [name, want] of Object.entries(deps)) {
            const got = require(`./node_modules/${name}/package.json`).version;
            if (got !== want) process.exit(1);
        }' 2>/dev/null &&
        [ "$(wasm-opt --version 2>/dev/null)" = "$WASM_OPT_VERSION_LINE" ]; then
        return
    fi
    note "npm: installing wasm-opt (binaryen) and playwright-core from package-lock.json"
    npm ci --no-audit --no-fund
    [ "$(wasm-opt --version)" = "$WASM_OPT_VERSION_LINE" ] ||
        die "wasm-opt on PATH is $(command -v wasm-opt) ($(wasm-opt --version)), expected $WASM_OPT_VERSION_LINE"
}

setup_trunk() {
    [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ] && return
    note "cargo install trunk $TRUNK_VERSION (about 10 minutes on 2 cores, once)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
}

setup_wasm_bindgen() {
    local want
    want="$(lock_wasm_bindgen_version)"
    if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $want" ] &&
        [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" = "wasm-bindgen-test-runner $want" ]; then
        return
    fi
    note "cargo install wasm-bindgen-cli $want (about 4 minutes, once)"
    # Not --locked: the CLI's own lock file pins a crate version the registry lacks.
    cargo install wasm-bindgen-cli --version "$want"
}

setup_browser() {
    [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && return
    apt_install chromium chromium-driver
}

_setup_build_tools() {
    check_pins
    setup_rust
    setup_node_tools
    setup_trunk
    setup_wasm_bindgen
}

# What `./x serve` and `./x build` need.
setup_web() {
    local t0=$SECONDS
    _setup_build_tools
    ok "setup: build tools ready ($((SECONDS - t0)) s)"
}

# Everything, tests included.
setup_all() {
    local t0=$SECONDS
    setup_browser
    _setup_build_tools
    ok "setup: all tools ready, browser included ($((SECONDS - t0)) s)"
}
