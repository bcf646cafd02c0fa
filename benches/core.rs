//! Native benchmarks of the simulation core: `cargo bench --bench core`.
//!
//! Prints one table of figures, each next to its target (issue "Performance: benchmarks and
//! budgets", section "Core, native"). A benchmark, not a timed test: nothing here fails on a
//! slow machine; a missed target shows as `MISSED` in the table.
//!
//! * **appends/s** into [`PartitionLog::append`] (target ≥ 10M/s), and through the
//!   [`World`]'s produce paths (keyed murmur2 burst, unkeyed uniform sticky burst, one
//!   `Produce` command at a time) for context;
//! * **bytes per retained record** beyond key and value (target ≤ 32), from
//!   [`PartitionLog::overhead_bytes`] and from a counting global allocator;
//! * **assignment time** per strategy at 1,000 partitions × 100 members (10 topics × 100
//!   partitions, everyone subscribed to everything), cold and after one member left (the
//!   sticky case: 99 members bring what they owned); median of several runs; target < 10 ms
//!   for sticky;
//! * the same inputs through **kafka-python**'s assignors, in the same run, by
//!   `scripts/bench_kafka_python.py`, and the ratio python / Rust (target ≥ 50×);
//! * **simulation speed** of `public/scenarios/stress.json` (5,000 events/s, 32 partitions,
//!   3 groups × 8 consumers): virtual seconds per wall second.
//!
//! `cargo test --all-targets` also runs this binary (without cargo bench's `--bench`
//! argument): it then does a seconds-long smoke run on tiny inputs that checks the code paths
//! work, prints no figures and skips kafka-python.

use kafkascope::sim::assignor::{self, AssignorKind, GroupAssignment, Subscription};
use kafkascope::sim::log::PartitionLog;
use kafkascope::sim::partitioner::PartitionerKind;
use kafkascope::sim::scenario::Scenario;
use kafkascope::sim::vecmap::VecMap;
use kafkascope::sim::{Command, KeySpec, World};
use serde_json::{json, Value};
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;
use std::path::Path;
use std::process::Command as Process;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

mod support;
use support::{append_records, bench_world, Material, LOG_RECORDS, SEGMENT_BYTES};

// ----- a global allocator that counts live heap bytes ------------------------------------

/// Heap bytes allocated minus bytes freed while [`COUNTING`] was on (requested sizes, not
/// malloc's rounded-up ones). Only differences over one counting window mean anything.
static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

/// Counting is on only around the memory figures: the atomic updates would otherwise add
/// their cost to every allocation the timed benchmarks make (the assignors allocate ~1,400
/// times per call).
static COUNTING: AtomicBool = AtomicBool::new(false);

fn count(delta: isize) {
    if COUNTING.load(Relaxed) {
        LIVE_BYTES.fetch_add(delta, Relaxed);
    }
}

struct CountingAllocator;

// SAFETY: every call is forwarded unchanged to the system allocator; only a counter is added.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Runs `f` with the allocation counter on; returns its result and the heap bytes it left
/// allocated (what it allocated and did not free, less anything older it freed).
fn with_heap_growth<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LIVE_BYTES.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    let out = f();
    COUNTING.store(false, Relaxed);
    (out, LIVE_BYTES.load(Relaxed).max(0) as usize)
}

// ----- sizes: the real run and the smoke run under `cargo test` ---------------------------

struct Sizes {
    /// Records per `PartitionLog::append` run (and for the bytes-per-record figure).
    log_records: usize,
    log_runs: usize,
    /// Records per World produce run.
    world_records: u32,
    world_runs: usize,
    /// Single `Produce` commands per run.
    single_produces: usize,
    topics: u32,
    partitions_per_topic: u32,
    members: usize,
    assign_runs: usize,
    /// Virtual ms of the stress scenario the smoke run simulates (the real run: all of it).
    stress_ms: Option<u64>,
    kafka_python: bool,
}

const FULL: Sizes = Sizes {
    log_records: LOG_RECORDS,
    log_runs: 7,
    world_records: 1_000_000,
    world_runs: 3,
    single_produces: 200_000,
    topics: 10,
    partitions_per_topic: 100,
    members: 100,
    assign_runs: 21,
    stress_ms: None,
    kafka_python: true,
};

const SMOKE: Sizes = Sizes {
    log_records: 10_000,
    log_runs: 1,
    world_records: 10_000,
    world_runs: 1,
    single_produces: 1_000,
    topics: 3,
    partitions_per_topic: 10,
    members: 10,
    assign_runs: 1,
    stress_ms: Some(300),
    kafka_python: false,
};

// ----- the table --------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Verdict {
    Ok,
    Missed,
    Context,
}

enum Line {
    Section(String),
    Row {
        figure: String,
        measured: String,
        target: String,
        verdict: Verdict,
    },
}

#[derive(Default)]
struct Table {
    lines: Vec<Line>,
    /// Figures as plain numbers (units in the names), for `KAFKASCOPE_BENCH_JSON`.
    raw: serde_json::Map<String, Value>,
}

impl Table {
    fn section(&mut self, title: &str) {
        eprintln!("core bench: {title} …");
        self.lines.push(Line::Section(title.to_string()));
    }

    fn row(&mut self, figure: impl Into<String>, measured: impl Into<String>) {
        self.push(
            figure.into(),
            measured.into(),
            String::new(),
            Verdict::Context,
        );
    }

    fn target(
        &mut self,
        figure: impl Into<String>,
        measured: impl Into<String>,
        target: impl Into<String>,
        met: bool,
    ) {
        let verdict = if met { Verdict::Ok } else { Verdict::Missed };
        self.push(figure.into(), measured.into(), target.into(), verdict);
    }

    fn raw(&mut self, name: impl Into<String>, value: f64) {
        self.raw.insert(name.into(), json!(value));
    }

    /// The table as JSON: `{"rows": [{section, figure, measured, target, verdict}], "raw": {…}}`.
    fn to_json(&self) -> Value {
        let mut section = "";
        let mut rows = Vec::new();
        for line in &self.lines {
            match line {
                Line::Section(title) => section = title,
                Line::Row {
                    figure,
                    measured,
                    target,
                    verdict,
                } => rows.push(json!({
                    "section": section,
                    "figure": figure,
                    "measured": measured,
                    "target": target,
                    "verdict": match verdict {
                        Verdict::Ok => "ok",
                        Verdict::Missed => "MISSED",
                        Verdict::Context => "",
                    },
                })),
            }
        }
        json!({ "rows": rows, "raw": self.raw })
    }

    fn push(&mut self, figure: String, measured: String, target: String, verdict: Verdict) {
        self.lines.push(Line::Row {
            figure,
            measured,
            target,
            verdict,
        });
    }

    fn print(&self) {
        let width = |f: fn(&Line) -> usize| self.lines.iter().map(f).max().unwrap_or(0);
        let w_figure = width(|l| match l {
            Line::Row { figure, .. } => chars(figure),
            Line::Section(_) => 0,
        });
        let w_measured = width(|l| match l {
            Line::Row { measured, .. } => chars(measured),
            Line::Section(_) => 0,
        });
        let w_target = width(|l| match l {
            Line::Row { target, .. } => chars(target),
            Line::Section(_) => 0,
        })
        .max("target".len());
        let total = w_figure + w_measured + w_target + 14;
        let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(chars(s))));
        println!();
        println!(
            "{}  {}  {}  verdict",
            pad("figure", w_figure),
            pad("measured", w_measured),
            pad("target", w_target)
        );
        for line in &self.lines {
            match line {
                Line::Section(title) => {
                    let rule = "─".repeat(total.saturating_sub(chars(title) + 4));
                    println!("── {title} {rule}");
                }
                Line::Row {
                    figure,
                    measured,
                    target,
                    verdict,
                } => {
                    let verdict = match verdict {
                        Verdict::Ok => "ok",
                        Verdict::Missed => "MISSED",
                        Verdict::Context => "",
                    };
                    let line = format!(
                        "{}  {}  {}  {verdict}",
                        pad(figure, w_figure),
                        pad(measured, w_measured),
                        pad(target, w_target)
                    );
                    println!("{}", line.trim_end());
                }
            }
        }
        let missed = self
            .lines
            .iter()
            .filter(|l| matches!(l, Line::Row { verdict, .. } if *verdict == Verdict::Missed))
            .count();
        let met = self
            .lines
            .iter()
            .filter(|l| matches!(l, Line::Row { verdict, .. } if *verdict == Verdict::Ok))
            .count();
        println!("{}", "─".repeat(total));
        println!("targets: {met} met, {missed} missed");
    }
}

// ----- formatting and timing --------------------------------------------------------------

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1e-3 {
        format!("{:.1} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

fn fmt_rate(per_s: f64) -> String {
    if per_s >= 1e6 {
        format!("{:.1} M/s", per_s / 1e6)
    } else {
        format!("{:.0} k/s", per_s / 1e3)
    }
}

fn fmt_count(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// Median wall time of `runs` calls of `f`, after one untimed warm-up call. `setup` builds a
/// fresh input for each call, outside the timing; the output is dropped outside it too.
fn time_median<I, O>(
    runs: usize,
    mut setup: impl FnMut() -> I,
    mut f: impl FnMut(I) -> O,
) -> Duration {
    black_box(f(setup()));
    let times = (0..runs)
        .map(|_| {
            let input = setup();
            let t0 = Instant::now();
            let out = black_box(f(black_box(input)));
            let elapsed = t0.elapsed();
            drop(out);
            elapsed
        })
        .collect();
    median(times)
}

// ----- the benchmarks -----------------------------------------------------------------------

fn bench_appends(t: &mut Table, s: &Sizes, m: &Material) {
    t.section(&format!(
        "appends ({} records per run, median of {})",
        fmt_count(s.log_records),
        s.log_runs
    ));
    let n = s.log_records;
    let d = time_median(s.log_runs, PartitionLog::new, |mut log| {
        append_records(&mut log, m, 0, n, SEGMENT_BYTES);
        log
    });
    let rate = n as f64 / d.as_secs_f64();
    t.raw("appends_per_s", rate);
    t.target(
        "PartitionLog::append, keyed, into an empty log",
        fmt_rate(rate),
        "≥ 10 M/s",
        rate >= 10e6,
    );

    // Steady state: the log sits at the simulator's cap, segments roll every ~1 MiB and
    // retention runs every 1,000 appends, as the World's retention check would.
    let cap = (n as u64 / 10).max(1_000);
    let seg = 1 << 20;
    let d = time_median(
        s.log_runs,
        || {
            let mut log = PartitionLog::new();
            append_records(&mut log, m, 0, cap as usize, seg);
            log
        },
        |mut log| {
            for chunk in (cap as usize..cap as usize + n).step_by(1_000) {
                append_records(&mut log, m, chunk, chunk + 1_000, seg);
                log.enforce_retention((chunk / 5) as u64, None, None, cap);
            }
            log
        },
    );
    t.row(
        format!(
            "  same, at a {}-record cap: 1 MiB segments, retention",
            fmt_count(cap as usize)
        ),
        fmt_rate(n as f64 / d.as_secs_f64()),
    );

    let world = |count: u32| (bench_world(), count);
    let burst = |keys: KeySpec| {
        move |(mut w, mut left): (World, u32)| {
            while left > 0 {
                let count = left.min(100_000); // the World's MAX_BURST
                w.apply(Command::ProduceBurst {
                    topic: "bench".into(),
                    count,
                    keys: keys.clone(),
                    partitioner: PartitionerKind::Default,
                })
                .expect("burst");
                left -= count;
            }
            w
        }
    };
    let records = s.world_records;
    let d = time_median(
        s.world_runs,
        || world(records),
        burst(KeySpec::Set {
            prefix: "user-".into(),
            count: 1000,
        }),
    );
    t.row(
        "World ProduceBurst, keyed (murmur2), 32 partitions",
        fmt_rate(records as f64 / d.as_secs_f64()),
    );
    let d = time_median(s.world_runs, || world(records), burst(KeySpec::None));
    t.row(
        "World ProduceBurst, unkeyed (uniform sticky)",
        fmt_rate(records as f64 / d.as_secs_f64()),
    );
    let singles = s.single_produces;
    let d = time_median(
        s.world_runs,
        || world(0).0,
        |mut w| {
            for i in 0..singles {
                let (key, value) = m.record(i);
                black_box(
                    w.apply(Command::Produce {
                        topic: "bench".into(),
                        key: Some(key.to_string()),
                        value: value.to_string(),
                        partition: None,
                        partitioner: PartitionerKind::Default,
                    })
                    .expect("produce"),
                );
            }
            w
        },
    );
    t.row(
        "World Produce, one command per record, keyed",
        fmt_rate(singles as f64 / d.as_secs_f64()),
    );
}

fn bench_memory(t: &mut Table, s: &Sizes, m: &Material) {
    let n = s.log_records;
    t.section(&format!(
        "memory per retained record, beyond key and value ({} records)",
        fmt_count(n)
    ));
    let key_value_bytes = |from: usize, to: usize| -> usize {
        (from..to)
            .map(|i| m.record(i).0.len() + m.record(i).1.len())
            .sum()
    };

    let measure = |count: usize| {
        let (log, heap) = with_heap_growth(|| {
            let mut log = PartitionLog::new();
            append_records(&mut log, m, 0, count, SEGMENT_BYTES);
            log
        });
        let heap = heap + std::mem::size_of::<PartitionLog>();
        let kv = key_value_bytes(0, count);
        let overhead = log.overhead_bytes() as f64 / count as f64;
        let counted = heap.saturating_sub(kv) as f64 / count as f64;
        black_box(log);
        (overhead, counted, kv as f64 / count as f64)
    };
    let (overhead, counted, kv) = measure(n);
    t.raw("overhead_bytes_per_record", overhead);
    t.raw("counted_bytes_per_record", counted);
    t.target(
        "PartitionLog::overhead_bytes() / records",
        format!("{overhead:.1} B"),
        "≤ 32 B",
        overhead <= 32.0,
    );
    t.target(
        "counting allocator: (heap − key − value) / records",
        format!("{counted:.1} B  (key+value {kv:.1} B)"),
        "≤ 32 B",
        counted <= 32.0,
    );
    // Columns are Vecs: just past a power of two their capacity doubles.
    let worst = n.next_power_of_two() + 1;
    let (overhead, counted, _) = measure(worst);
    t.row(
        format!(
            "  worst case, {} records (just past a capacity doubling)",
            fmt_count(worst)
        ),
        format!("{overhead:.1} B overhead_bytes, {counted:.1} B counted"),
    );
}

/// A member's assignment in the CLI's JSON shape: `{"topic": [partitions]}`.
fn assignment_json(a: &GroupAssignment) -> Value {
    let mut out = serde_json::Map::new();
    for (member, tps) in a {
        let mut per_topic: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for tp in tps {
            per_topic.entry(&tp.topic).or_default().push(tp.partition);
        }
        out.insert(member.clone(), json!(per_topic));
    }
    Value::Object(out)
}

fn members_json(members: &[Subscription]) -> Value {
    members
        .iter()
        .map(|s| {
            let mut owned: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
            for tp in &s.owned_partitions {
                owned.entry(&tp.topic).or_default().push(tp.partition);
            }
            let mut m = json!({ "id": s.member_id, "topics": s.topics });
            if !owned.is_empty() {
                m["owned"] = json!(owned);
            }
            if let Some(g) = s.generation {
                m["generation"] = json!(g);
            }
            m
        })
        .collect()
}

/// No partition twice; with `complete`, every partition once.
fn check_assignment(a: &GroupAssignment, partitions: usize, complete: bool, what: &str) {
    let mut seen = BTreeSet::new();
    for tp in a.values().flatten() {
        assert!(seen.insert(tp), "{what}: {tp:?} assigned twice");
    }
    if complete {
        assert_eq!(
            seen.len(),
            partitions,
            "{what}: not every partition assigned"
        );
    }
}

struct Case {
    name: &'static str,
    members: Vec<Subscription>,
    /// Rust's median time and result per strategy.
    rust: Vec<(AssignorKind, Duration, GroupAssignment)>,
}

fn bench_assignors(t: &mut Table, s: &Sizes) {
    let partitions = (s.topics * s.partitions_per_topic) as usize;
    t.section(&format!(
        "assignment, {} partitions ({} topics × {}) × {} members, all subscribed to all",
        fmt_count(partitions),
        s.topics,
        s.partitions_per_topic,
        s.members
    ));
    let topics: VecMap<String, u32> = (0..s.topics)
        .map(|i| (format!("topic-{i}"), s.partitions_per_topic))
        .collect();
    let names: Vec<String> = topics.keys().cloned().collect();
    let cold: Vec<Subscription> = (0..s.members)
        .map(|i| Subscription {
            member_id: format!("member-{i:03}"),
            group_instance_id: None,
            topics: names.clone(),
            owned_partitions: Vec::new(),
            generation: None,
        })
        .collect();
    // The previous generation: the sticky assignment of everyone; then one member leaves and
    // the other 99 bring what they owned.
    let previous = assignor::assign(AssignorKind::Sticky, &topics, &cold);
    let leaving = cold[s.members / 2].member_id.clone();
    let warm: Vec<Subscription> = cold
        .iter()
        .filter(|m| m.member_id != leaving)
        .map(|m| Subscription {
            owned_partitions: previous[&m.member_id].clone(),
            generation: Some(1),
            ..m.clone()
        })
        .collect();

    let mut cases = vec![
        Case {
            name: "cold",
            members: cold,
            rust: Vec::new(),
        },
        Case {
            name: "one member left",
            members: warm,
            rust: Vec::new(),
        },
    ];
    for case in &mut cases {
        for kind in AssignorKind::ALL {
            let d = time_median(
                s.assign_runs,
                || (),
                |()| assignor::assign(kind, black_box(&topics), black_box(&case.members)),
            );
            let result = assignor::assign(kind, &topics, &case.members);
            t.raw(
                format!("assign_us.{kind}.{}", case.name),
                d.as_secs_f64() * 1e6,
            );
            let what = format!("{kind}, {}", case.name);
            check_assignment(&result, partitions, !kind.is_cooperative(), &what);
            case.rust.push((kind, d, result));
        }
    }

    let python = if s.kafka_python {
        run_kafka_python(&topics, &cases)
    } else {
        Err("skipped in the smoke run".to_string())
    };
    if let Ok(info) = &python {
        t.row("kafka-python", info.version.clone());
    }
    for kind in AssignorKind::ALL {
        for case in &cases {
            let (_, d, _) = case
                .rust
                .iter()
                .find(|(k, ..)| *k == kind)
                .expect("timed every strategy");
            let figure = format!("{kind}, {}", case.name);
            let measured = format!("{} (median of {})", fmt_duration(*d), s.assign_runs);
            if matches!(kind, AssignorKind::Sticky | AssignorKind::CooperativeSticky) {
                t.target(figure, measured, "< 10 ms", d.as_secs_f64() < 0.010);
            } else {
                t.row(figure, measured);
            }
            let figure = "  kafka-python / Rust";
            match &python {
                Ok(info) => match info
                    .results
                    .get(&(case.name.to_string(), kind.name().to_string()))
                {
                    Some(PyResult::Timed { median, runs, same }) => {
                        let ratio = median.as_secs_f64() / d.as_secs_f64();
                        t.raw(format!("ratio.{kind}.{}", case.name), ratio);
                        t.raw(
                            format!("kafka_python_us.{kind}.{}", case.name),
                            median.as_secs_f64() * 1e6,
                        );
                        let same = match same {
                            Some(true) => ", same assignment",
                            Some(false) => ", different assignment",
                            None => "",
                        };
                        t.target(
                            figure,
                            format!(
                                "{ratio:.0}×  (kafka-python {}, median of {runs}{same})",
                                fmt_duration(*median)
                            ),
                            "≥ 50×",
                            ratio >= 50.0,
                        );
                    }
                    Some(PyResult::Unsupported(why)) => t.row(figure, why.clone()),
                    None => t.row(figure, "no result from kafka-python"),
                },
                Err(why) => t.row(figure, why.clone()),
            }
        }
    }
}

enum PyResult {
    Timed {
        median: Duration,
        runs: u64,
        same: Option<bool>,
    },
    Unsupported(String),
}

struct PyInfo {
    version: String,
    /// (case, strategy name) → result.
    results: BTreeMap<(String, String), PyResult>,
}

const NOT_INSTALLED: &str = "kafka-python not installed: run pip install kafka-python";

/// Writes the cases as JSON, runs `scripts/bench_kafka_python.py` on them and reads its
/// timings. `Err` is the sentence to print in the table instead.
fn run_kafka_python(topics: &VecMap<String, u32>, cases: &[Case]) -> Result<PyInfo, String> {
    let input = json!({
        "topics": topics,
        "strategies": AssignorKind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>(),
        "max_runs": 5,
        "budget_s": 6.0,
        "cases": cases.iter().map(|c| json!({
            "name": c.name,
            "members": members_json(&c.members),
            "rust": c.rust.iter()
                .map(|(k, _, a)| (k.name().to_string(), assignment_json(a)))
                .collect::<serde_json::Map<_, _>>(),
        })).collect::<Vec<_>>(),
    });
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kafkascope-bench-assign.json");
    std::fs::write(&path, input.to_string()).map_err(|e| format!("writing {path:?}: {e}"))?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/bench_kafka_python.py");
    let out = Process::new("python3")
        .arg(&script)
        .arg(&path)
        .output()
        .map_err(|e| format!("{NOT_INSTALLED} (python3: {e})"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let parsed: Option<Value> = serde_json::from_str(stdout.trim()).ok();
    if out.status.code() == Some(3) {
        return Err(NOT_INSTALLED.to_string());
    }
    let Some(parsed) = parsed.filter(|_| out.status.success()) else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().last().unwrap_or("no output");
        return Err(format!(
            "kafka-python bench failed ({}): {last}",
            out.status
        ));
    };
    let mut results = BTreeMap::new();
    for r in parsed["results"].as_array().into_iter().flatten() {
        let (Some(case), Some(kind)) = (
            r["case"].as_str(),
            r["strategy"]
                .as_str()
                .and_then(|k| AssignorKind::parse(k).ok()),
        ) else {
            continue;
        };
        let result = if let Some(why) = r["unsupported"].as_str() {
            PyResult::Unsupported(why.to_string())
        } else if let Some(median) = r["median_s"].as_f64() {
            PyResult::Timed {
                median: Duration::from_secs_f64(median),
                runs: r["runs"].as_u64().unwrap_or(0),
                same: r["same_as_rust"].as_bool(),
            }
        } else {
            continue;
        };
        results.insert((case.to_string(), kind.name().to_string()), result);
    }
    Ok(PyInfo {
        version: format!(
            "{} on Python {}",
            parsed["kafka_python"].as_str().unwrap_or("?"),
            parsed["python"].as_str().unwrap_or("?")
        ),
        results,
    })
}

fn bench_simulation(t: &mut Table, s: &Sizes) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("public/scenarios/stress.json");
    let text = std::fs::read_to_string(&path).expect("public/scenarios/stress.json");
    let scenario = Scenario::from_json(&text).expect("stress scenario parses");
    let virtual_ms = s.stress_ms.unwrap_or_else(|| scenario.end_ms());
    t.section(&format!(
        "simulation: public/scenarios/stress.json, {} virtual s",
        virtual_ms as f64 / 1000.0
    ));
    let run = || -> World {
        match s.stress_ms {
            None => scenario.run().expect("stress scenario runs"),
            Some(end) => {
                let mut world = scenario.start().expect("stress scenario starts");
                for c in scenario.commands.iter().filter(|c| c.at_ms <= end) {
                    world.advance_to(c.at_ms);
                    world.apply(c.command.clone()).expect("command applies");
                }
                world.advance_to(end);
                world
            }
        }
    };

    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < 3 && (times.is_empty() || started.elapsed() < Duration::from_secs(20)) {
        let t0 = Instant::now();
        let w = black_box(run());
        times.push(t0.elapsed());
        drop(w);
    }
    // One more run, counted (the timed runs are not: counting has a cost per allocation).
    let (world, world_bytes) = with_heap_growth(run);
    let runs = times.len();
    let d = median(times);
    let speed = virtual_ms as f64 / 1000.0 / d.as_secs_f64();
    t.raw("stress_virtual_s_per_wall_s", speed);
    t.target(
        "virtual seconds per wall second",
        format!("{speed:.1}×  ({} wall, median of {runs})", fmt_duration(d)),
        "≥ 1× (real time)",
        speed >= 1.0,
    );
    t.row(
        "  wall time per 16.7 ms frame at 1× speed",
        fmt_duration(Duration::from_secs_f64(0.0167 / speed)),
    );

    let (mut retained, mut kv) = (0usize, 0usize);
    for topic in world.topics().values() {
        for log in &topic.partitions {
            for r in log.range(log.log_start_offset(), log.log_end_offset()) {
                retained += 1;
                kv += r.key.map_or(0, str::len) + r.value.len();
            }
        }
    }
    let consumed: usize = world
        .groups()
        .keys()
        .flat_map(|g| world.group_lag(g))
        .map(|l| l.committed_offset.unwrap_or(0) as usize)
        .sum();
    t.row(
        "records retained / committed (sum over the 3 groups)",
        format!("{} / {}", fmt_count(retained), fmt_count(consumed)),
    );
    if retained > 0 {
        t.row(
            "  World heap per retained record, beyond key+value",
            format!(
                "{:.0} B  (whole world: {:.1} MB, events and lag history included)",
                world_bytes.saturating_sub(kv) as f64 / retained as f64,
                world_bytes as f64 / 1e6
            ),
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this without it.
    let full = std::env::args().any(|a| a == "--bench");
    let s = if full { &FULL } else { &SMOKE };
    let started = Instant::now();
    let mut t = Table::default();

    t.section("machine");
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    t.row("nproc", nproc.to_string());
    if let Some(cpu) = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|c| {
        c.lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split(':').nth(1))
            .map(|m| m.trim().to_string())
    }) {
        t.row("cpu", cpu);
    }
    // The machine may be shared: how much else is running decides how noisy the figures are.
    if let Some(load) = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next()?.parse::<f64>().ok())
    {
        t.row("load average (1 min) at the start", format!("{load:.2}"));
        t.raw("load_average", load);
    }
    t.raw("nproc", nproc as f64);
    let optimised = !cfg!(debug_assertions);
    t.target(
        "optimised build",
        if optimised {
            "yes (debug assertions off)"
        } else {
            "no (debug build: figures are meaningless)"
        },
        "yes",
        optimised,
    );

    let m = Material::new();
    bench_appends(&mut t, s, &m);
    bench_memory(&mut t, s, &m);
    bench_assignors(&mut t, s);
    bench_simulation(&mut t, s);

    if full {
        t.print();
        println!("bench took {}", fmt_duration(started.elapsed()));
        // `./x bench` reads the figures from here and prints them with the page's.
        if let Some(path) = std::env::var_os("KAFKASCOPE_BENCH_JSON") {
            std::fs::write(&path, t.to_json().to_string() + "\n").expect("writing the JSON");
            eprintln!(
                "core bench: figures written to {}",
                Path::new(&path).display()
            );
        }
    } else {
        println!(
            "core bench: smoke run ok in {} (tiny inputs, no figures); `cargo bench --bench core` measures",
            fmt_duration(started.elapsed())
        );
    }
}
