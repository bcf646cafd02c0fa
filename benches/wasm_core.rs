//! The simulation core inside Chromium: the native bench's loops, compiled to wasm32 with the
//! page's own `release` profile (opt-level "z", LTO), timed with `performance.now()`.
//!
//! `./x bench` runs it (after `benches/core.rs`, in the same run) with
//!
//! ```sh
//! cargo test --release --target wasm32-unknown-unknown --bench wasm_core -- --include-ignored --nocapture
//! ```
//!
//! through wasm-bindgen-test-runner and chromedriver (see `.cargo/config.toml`). Nothing here
//! is run by `./x test` (it never builds benches), and the test is `#[ignore]`d so that a plain
//! `cargo test --target wasm32-unknown-unknown --all-targets` does not spend its time here.
//! It prints one line, `KAFKASCOPE_WASM_BENCH {json}`, which `scripts/bench.sh` reads; it
//! checks that each loop did its work, and never fails for being slow.
#![cfg(target_arch = "wasm32")]

mod support;

use kafkascope::sim::log::PartitionLog;
use kafkascope::sim::partitioner::PartitionerKind;
use kafkascope::sim::scenario::Scenario;
use kafkascope::sim::{Command, KeySpec};
use serde_json::json;
use std::hint::black_box;
use support::{append_records, bench_world, Material, LOG_RECORDS, SEGMENT_BYTES};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .expect("window.performance")
        .now()
}

/// Median wall time (ms) of `runs` calls of `f`, after one untimed warm-up call; `setup`
/// builds each call's input outside the timing.
fn time_median_ms<I, O>(
    runs: usize,
    mut setup: impl FnMut() -> I,
    mut f: impl FnMut(I) -> O,
) -> f64 {
    black_box(f(setup()));
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let input = setup();
            let t0 = now_ms();
            let out = black_box(f(black_box(input)));
            let elapsed = now_ms() - t0;
            drop(out);
            elapsed
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The module's linear memory, in bytes (it only ever grows).
fn linear_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65_536) as f64
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: ./x bench runs it with --include-ignored"]
fn core_figures_in_wasm() {
    // First, while the linear memory is still small: how much it grows for the stress
    // scenario's world (allocator overhead, Vec doubling and fragmentation included), per
    // retained record. The native bench counts live heap bytes instead.
    let scenario = Scenario::from_json(include_str!("../public/scenarios/stress.json"))
        .expect("stress scenario parses");
    let memory_before = linear_memory_bytes();
    let world = scenario.run().expect("stress scenario runs");
    let memory_growth = linear_memory_bytes() - memory_before;
    let retained: u64 = world
        .topics()
        .values()
        .flat_map(|t| &t.partitions)
        .map(|log| log.log_end_offset() - log.log_start_offset())
        .sum();
    assert!(retained > 0, "the stress scenario retains records");
    drop(world);

    let m = Material::new();

    // PartitionLog::append, keyed, into an empty log: the native bench's headline figure.
    const APPEND_RUNS: usize = 7;
    let mut appended = 0;
    let append_ms = time_median_ms(APPEND_RUNS, PartitionLog::new, |mut log| {
        append_records(&mut log, &m, 0, LOG_RECORDS, SEGMENT_BYTES);
        appended = log.log_end_offset();
        log
    });
    assert_eq!(appended, LOG_RECORDS as u64, "every record appended");
    let mut log = PartitionLog::new();
    append_records(&mut log, &m, 0, LOG_RECORDS, SEGMENT_BYTES);
    let overhead = log.overhead_bytes() as f64 / LOG_RECORDS as f64;
    drop(log);

    // World ProduceBurst, keyed (murmur2), 32 partitions.
    const BURST_RECORDS: u32 = 1_000_000;
    let burst_ms = time_median_ms(3, bench_world, |mut w| {
        let mut left = BURST_RECORDS;
        while left > 0 {
            let count = left.min(100_000);
            w.apply(Command::ProduceBurst {
                topic: "bench".into(),
                count,
                keys: KeySpec::Set {
                    prefix: "user-".into(),
                    count: 1000,
                },
                partitioner: PartitionerKind::Default,
            })
            .expect("burst");
            left -= count;
        }
        w
    });

    // The stress scenario (5,000 events/s, 32 partitions, 3 × 8 consumers), all of it.
    let stress_ms = time_median_ms(3, || (), |()| scenario.run().expect("stress scenario runs"));
    let virtual_s = scenario.end_ms() as f64 / 1000.0;

    let line = json!({
        "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        "appends_per_s": LOG_RECORDS as f64 / (append_ms / 1000.0),
        "append_run_ms": append_ms,
        "append_runs": APPEND_RUNS,
        "overhead_bytes_per_record": overhead,
        "produce_burst_keyed_per_s": BURST_RECORDS as f64 / (burst_ms / 1000.0),
        "stress_virtual_s_per_wall_s": virtual_s / (stress_ms / 1000.0),
        "stress_wall_ms": stress_ms,
        "stress_retained_records": retained,
        "stress_linear_memory_growth_bytes": memory_growth,
        "stress_linear_memory_bytes_per_retained_record": memory_growth / retained as f64,
    });
    console_log!("KAFKASCOPE_WASM_BENCH {line}");
}
