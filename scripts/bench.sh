#!/usr/bin/env bash
# kafkascope's benchmarks, run by `./x bench` after setup: one table of figures and targets.
#
#   scripts/bench.sh                 every part: core, wasm, page
#   scripts/bench.sh core page       only the parts named
#
#   core   `cargo bench --bench core` (benches/core.rs): appends/s, bytes per retained record,
#          assignment times at 1,000 partitions × 100 members and the ratio to kafka-python's
#          assignors on the same input, in the same run (scripts/bench_kafka_python.py)
#   wasm   benches/wasm_core.rs: the same append loop (and a produce burst, the stress scenario)
#          inside headless Chromium, built with the page's release profile
#   page   a release build of the page into target/bench/dist, then scripts/bench_page.mjs:
#          page weight, start time, frames under the stress scenario, a trace and CPU profile;
#          and the weight of the simulation core alone (benches/weight/*.rs)
#   profile   (only when named) the same page with a wasm that keeps its function names (the
#          release build strips them), profiled under the stress scenario: the CPU profile
#          then says which Rust functions the main thread spends its time in
#
# Figures go to target/bench/{core,wasm,page}.json, logs to target/bench/logs/, and
# scripts/bench_report.mjs prints the table. A benchmark reports; it does not gate: the exit
# status is non-zero only if a part could not be measured (a build failed, Chromium did not
# start), never because a target was missed. `./x test` keeps only its cheap bundle budget.
#
# kafka-python: if `python3` cannot import it, this installs it into a virtual environment
# under target/ (nothing system-wide); if that fails the table says so. KAFKASCOPE_NO_PIP=1
# skips the install.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

ALL_PARTS=(core wasm page)
KNOWN_PARTS=(core wasm page profile)
OUT="$ROOT/target/bench"
LOGS="$OUT/logs"
mkdir -p "$LOGS"

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=("${ALL_PARTS[@]}")
for p in "${parts[@]}"; do
    [[ " ${KNOWN_PARTS[*]} " == *" $p "* ]] || die "unknown bench part '$p' (parts: ${KNOWN_PARTS[*]})"
done
wants() { [[ " ${parts[*]} " == *" $1 "* ]]; }

failed=0
T0=$SECONDS

# step NAME LOG COMMAND...: run it with its output in LOG, say how it went.
step() {
    local name="$1" log="$2" t0=$SECONDS
    shift 2
    note "bench: $name …"
    if "$@" >"$log" 2>&1; then
        ok "bench: $name done ($((SECONDS - t0)) s; log: ${log#"$ROOT"/})"
    else
        printf '%s[x] bench: %s FAILED%s (exit %s after %s s); last lines of %s:\n' \
            "$_R" "$name" "$_0" "$?" "$((SECONDS - t0))" "${log#"$ROOT"/}" >&2
        tail -n 15 "$log" >&2
        failed=$((failed + 1))
        return 1
    fi
}

KAFKA_PYTHON_VERSION="3.0.12"
VENV="$ROOT/target/bench-venv"
has_kafka_python() { python3 -c 'import kafka.coordinator.assignors.range' >/dev/null 2>&1; }
setup_kafka_python() {
    if [ -x "$VENV/bin/python3" ]; then
        export PATH="$VENV/bin:$PATH"
    fi
    if ! has_kafka_python && [ "${KAFKASCOPE_NO_PIP:-0}" != 1 ] && command -v python3 >/dev/null; then
        note "bench: installing kafka-python $KAFKA_PYTHON_VERSION into ${VENV#"$ROOT"/}"
        if python3 -m venv "$VENV" >&2 &&
            "$VENV/bin/python3" -m pip install --quiet "kafka-python==$KAFKA_PYTHON_VERSION" >&2; then
            export PATH="$VENV/bin:$PATH"
        else
            note "bench: could not install kafka-python; the table will say so"
        fi
    fi
}

if wants core; then
    rm -f "$OUT/core.json"
    setup_kafka_python
    step "core, native (cargo bench --bench core)" "$LOGS/core.log" \
        env KAFKASCOPE_BENCH_JSON="$OUT/core.json" cargo bench --bench core
fi

if wants wasm; then
    rm -f "$OUT/wasm.json"
    # The page's own profile (release: opt-level z, LTO), in test mode so that
    # wasm-bindgen-test-runner drives Chromium. The first build takes a few minutes.
    if step "core in wasm (benches/wasm_core.rs in headless Chromium)" "$LOGS/wasm.log" \
        cargo test --release --target "$WASM_TARGET" --bench wasm_core -- --include-ignored --nocapture; then
        line="$(sed -n 's/.*KAFKASCOPE_WASM_BENCH //p' "$LOGS/wasm.log" | tail -n 1)"
        if [ -n "$line" ]; then
            printf '%s\n' "$line" >"$OUT/wasm.json"
        else
            note "bench: no KAFKASCOPE_WASM_BENCH line in the log"
            failed=$((failed + 1))
        fi
    fi
fi

# The simulation core without the UI (benches/weight/*.rs, built as the examples weigh_core
# and weigh_core_json), built and shrunk like the page (release profile, wasm-bindgen,
# wasm-opt with index.html's flags) and gzipped -9: how much of the page weight the Kafka
# model itself takes. Writes $OUT/weight.json.
weigh_core() {
    local target_dir="${CARGO_TARGET_DIR:-$ROOT/target}" flags e json="{" sep=""
    flags="$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)"
    [ -n "$flags" ] || die "no data-wasm-opt-params in index.html"
    cargo build --release --target "$WASM_TARGET" --example weigh_core --example weigh_core_json || return 1
    for e in weigh_core weigh_core_json; do
        rm -rf "$OUT/$e"
        wasm-bindgen --target web --no-typescript --out-dir "$OUT/$e" \
            "$target_dir/$WASM_TARGET/release/examples/$e.wasm" || return 1
        # shellcheck disable=SC2086 # the flags are words
        wasm-opt -Oz $flags "$OUT/$e/${e}_bg.wasm" -o "$OUT/$e/$e.wasm" || return 1
        json+="$sep\"$e\": {\"raw\": $(wc -c <"$OUT/$e/$e.wasm"), \"gzip\": $(gzip -9 -c "$OUT/$e/$e.wasm" | wc -c)}"
        sep=", "
    done
    printf '%s}\n' "$json" | tee "$OUT/weight.json"
}

if wants page; then
    rm -f "$OUT/page.json" "$OUT/weight.json"
    # Our own copy of the release build: dist/ may be rebuilt by `./x build` at any moment.
    if step "release build of the page (trunk) into target/bench/dist" "$LOGS/build.log" \
        trunk build --release --public-url ./ --dist "$OUT/dist"; then
        step "page in headless Chromium (scripts/bench_page.mjs)" "$LOGS/page.log" \
            node scripts/bench_page.mjs --dist "$OUT/dist" --out "$OUT" --profile
    fi
    step "the simulation core alone as wasm (benches/weight/*.rs)" "$LOGS/weigh-core.log" weigh_core
fi

# The page's release build again, but with Rust function names in the wasm: a custom cargo
# profile (release without `strip`) defined through the environment, so Cargo.toml and the
# real release artifacts stay untouched; wasm-bindgen without wasm-opt (which drops names).
named_build() {
    local target_dir="${CARGO_TARGET_DIR:-$ROOT/target}" js base
    # The page part (if run now) built dist/ from these sources; otherwise build it here.
    wants page || trunk build --release --public-url ./ --dist "$OUT/dist" || return 1
    CARGO_PROFILE_WASMPROF_INHERITS=release CARGO_PROFILE_WASMPROF_STRIP=false \
        CARGO_PROFILE_WASMPROF_DEBUG=false \
        cargo build --profile wasmprof --target "$WASM_TARGET" --bin kafkascope || return 1
    js="$(basename "$(ls "$OUT"/dist/kafkascope-*.js)")"
    base="${js%.js}"
    rm -rf "$OUT/dist-named" "$OUT/named-bindgen"
    cp -r "$OUT/dist" "$OUT/dist-named"
    wasm-bindgen --target web --no-typescript --out-dir "$OUT/named-bindgen" --out-name "$base" \
        "$target_dir/$WASM_TARGET/wasmprof/kafkascope.wasm" || return 1
    cp "$OUT/named-bindgen/$base.js" "$OUT/named-bindgen/${base}_bg.wasm" "$OUT/dist-named/"
}

if wants profile; then
    if step "page with function names: build (cargo profile wasmprof, wasm-bindgen)" \
        "$LOGS/named-build.log" named_build; then
        step "page with function names under load, CPU profile" "$LOGS/named-page.log" \
            node scripts/bench_page.mjs --dist "$OUT/dist-named" --out "$OUT" --label named \
            --skip-start --warmup-s 4 --measure-s 6 --profile &&
            node -e '
                const p = require(process.argv[1]).load.profile.cpu;
                console.log("\nCPU profile with function names (" + process.argv[1] + "): main-thread time by place");
                console.log("  " + Object.entries(p.by_place_percent).slice(0, 6).map(([k, v]) => k + " " + v + "%").join(", "));
                console.log("inclusive, top functions:");
                for (const [f, v] of p.top_inclusive_percent.slice(0, 25)) console.log(`  ${String(v).padStart(5)} %  ${f.slice(0, 130)}`);
            ' "$OUT/page-named.json"
    fi
fi

echo
node scripts/bench_report.mjs "$OUT" "${parts[*]}"
echo "bench took $((SECONDS - T0)) s; logs: ${LOGS#"$ROOT"/}/"
[ "$failed" -eq 0 ]
