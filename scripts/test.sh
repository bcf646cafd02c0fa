#!/usr/bin/env bash
# Every test layer of kafkascope, run by `./x test` after setup (which installs the tools).
#
#   lint    cargo fmt --check; clippy -D warnings, native (all targets) and wasm32
#   native  cargo test: unit, integration, property and doc tests of the simulation core and CLI
#   wasm    wasm-bindgen-test in headless Chromium through chromedriver (tests/wasm_*.rs)
#   e2e     release build into target/dist, served under a sub-path, driven by playwright-core
#   budget  wasm/js/css sizes of that same build, raw and gzipped, against the budget
#
# `./x test` runs them all; `./x test wasm e2e` runs only the layers named. Every layer runs
# even after a failure, so one run shows everything that is broken; the exit code is non-zero
# if any step failed. Logs of each step: target/x-test/.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

ALL_LAYERS=(lint native wasm e2e budget)
DIST="$ROOT/target/dist"
LOGS="$ROOT/target/x-test"
mkdir -p "$LOGS"

layers=("$@")
[ ${#layers[@]} -gt 0 ] || layers=("${ALL_LAYERS[@]}")
for l in "${layers[@]}"; do
    [[ " ${ALL_LAYERS[*]} " == *" $l "* ]] || die "unknown test layer '$l' (layers: ${ALL_LAYERS[*]})"
done
wants() { [[ " ${layers[*]} " == *" $1 "* ]]; }

# wasm-bindgen tests are the files tests/wasm_*.rs; everything else in tests/ is native-only
# (proptest does not build for wasm32), so wasm32 clippy and tests name these targets explicitly.
wasm_tests=()
for f in tests/wasm_*.rs; do
    [ -e "$f" ] && wasm_tests+=(--test "$(basename "$f" .rs)")
done

passed=0
failed=0
report=()
tests_passed=0

# Tests a step's log reports as passed: cargo's "test result" lines and node's test runner.
count_tests() {
    awk '/^test result: / { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^passed;?$/) n += $i }
         /^(# |ℹ )pass [0-9]+$/ { n += $NF }
         END { print n + 0 }' "$1"
}

# step NAME COMMAND...: run it, log it, record the outcome.
step() {
    local name="$1" log t0 rc n extra=""
    shift
    log="$LOGS/$(printf '%02d' $((passed + failed + 1)))-$(tr -cs 'A-Za-z0-9' '-' <<<"${name,,}" | sed 's/-$//').log"
    note "── $name: $*"
    t0=$SECONDS
    "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    n="$(count_tests "$log")"
    if [ "$n" -gt 0 ]; then
        extra=", $n tests"
        tests_passed=$((tests_passed + n))
    fi
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        report+=("  ok    $name ($((SECONDS - t0)) s$extra)")
    else
        failed=$((failed + 1))
        report+=("  FAIL  $name (exit $rc after $((SECONDS - t0)) s; log: ${log#"$ROOT"/})")
    fi
    return "$rc"
}

skip_failed() {
    failed=$((failed + 1))
    report+=("  FAIL  $1 (not run: $2)")
}

T0=$SECONDS

if wants lint; then
    step "rustfmt" cargo fmt --all -- --check
    step "clippy native" cargo clippy --all-targets -- -D warnings
    step "clippy wasm32" cargo clippy --target "$WASM_TARGET" --lib --bins "${wasm_tests[@]}" -- -D warnings
fi

if wants native; then
    # Plain `cargo test`: lib, bins, tests/, examples and doc tests. Not --all-targets: that
    # would also run the benches (harness = false) as tests, unoptimised.
    step "native tests" cargo test
fi

if wants wasm; then
    if [ ${#wasm_tests[@]} -eq 0 ]; then
        skip_failed "wasm-bindgen tests" "no tests/wasm_*.rs"
    else
        step "wasm-bindgen tests (headless Chromium)" cargo test --target "$WASM_TARGET" "${wasm_tests[@]}"
    fi
fi

if wants e2e || wants budget; then
    # One release build, used by both the e2e tests and the bundle budget. It goes to
    # target/dist, not dist/, so it never races a `trunk serve` running in another terminal.
    if step "release build (trunk)" trunk build --release --public-url ./ --dist "$DIST"; then
        if wants e2e; then
            step "e2e (playwright-core, Chromium)" env KAFKASCOPE_DIST="$DIST" \
                KAFKASCOPE_E2E_OUT="$ROOT/target/e2e" \
                node --test --test-reporter=spec tests/e2e/*.test.mjs
        fi
        if wants budget; then
            step "bundle budget" scripts/budget.sh "$DIST"
        fi
    else
        wants e2e && skip_failed "e2e" "the release build failed"
        wants budget && skip_failed "bundle budget" "the release build failed"
    fi
fi

echo
echo "kafkascope test summary ($((SECONDS - T0)) s; $tests_passed tests passed inside the steps):"
printf '%s\n' "${report[@]}"
echo
echo "checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
