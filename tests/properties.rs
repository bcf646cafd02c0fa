//! Property tests over random command sequences: whatever a learner clicks, Kafka's
//! invariants hold, bad commands change nothing, and a replay is bit-for-bit the same.
//!
//! CI runs a bounded number of cases (`PROPTEST_CASES`, default 40). The long soak
//! (1M actions) runs on demand:
//! `cargo test --release --test properties -- --ignored --nocapture soak`.
#![cfg(not(target_arch = "wasm32"))] // native only: processes, files, proptest

use kafkascope::sim::assignor::{AssignorKind, TopicPartition};
use kafkascope::sim::consumer::{AutoOffsetReset, CommitMode, ConsumerConfig};
use kafkascope::sim::partitioner::PartitionerKind;
use kafkascope::sim::topic::TopicConfig;
use kafkascope::sim::{Command, KeySpec, ResetSpec, World, WorldConfig};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
enum Action {
    Cmd(Command),
    Tick(u64),
}

const ASSIGNORS: [AssignorKind; 4] = [
    AssignorKind::Range,
    AssignorKind::RoundRobin,
    AssignorKind::Sticky,
    AssignorKind::CooperativeSticky,
];

fn consumer_config(mode: u8, slow: bool, reset: bool) -> ConsumerConfig {
    ConsumerConfig {
        session_timeout_ms: 6_000,
        heartbeat_interval_ms: 1_000,
        max_poll_interval_ms: 8_000,
        max_poll_records: 50,
        auto_commit_interval_ms: 2_000,
        auto_offset_reset: if reset {
            AutoOffsetReset::Earliest
        } else {
            AutoOffsetReset::Latest
        },
        commit_mode: [
            CommitMode::Auto,
            CommitMode::SyncAfterProcessing,
            CommitMode::SyncBeforeProcessing,
        ][mode as usize % 3],
        processing_ms_per_record: if slow { 5.0 } else { 0.0 },
        group_instance_id: None,
        emit: Vec::new(),
    }
}

/// One random action from a small vocabulary (small id spaces so actions collide).
fn action_from(r: [u32; 6]) -> Action {
    let c = format!("c{}", r[1] % 6);
    let g = format!("g{}", r[2] % 3);
    let t = ["a", "b"][r[3] as usize % 2].to_string();
    match r[0] % 20 {
        0..=2 => Action::Tick(1 + (r[4] % 4_000) as u64),
        3 => Action::Cmd(Command::Produce {
            topic: t,
            key: (!r[4].is_multiple_of(3)).then(|| format!("k{}", r[5] % 7)),
            value: "v".into(),
            partition: (r[4].is_multiple_of(7)).then_some(r[5] % 2),
            partitioner: if r[5].is_multiple_of(4) {
                PartitionerKind::RoundRobin
            } else {
                PartitionerKind::Default
            },
        }),
        4 => Action::Cmd(Command::ProduceBurst {
            topic: t,
            count: 1 + r[4] % 200,
            keys: if r[5].is_multiple_of(2) {
                KeySpec::None
            } else {
                KeySpec::Set {
                    prefix: "u".into(),
                    count: 5,
                }
            },
            partitioner: PartitionerKind::Default,
        }),
        5 | 6 => Action::Cmd(Command::AddConsumer {
            client_id: c,
            group: g,
            topics: if r[4].is_multiple_of(3) {
                vec!["a".into(), "b".into()]
            } else {
                vec![t]
            },
            config: consumer_config(r[5] as u8, r[4].is_multiple_of(2), !r[5].is_multiple_of(5)),
        }),
        7 => Action::Cmd(Command::StopConsumer { client_id: c }),
        8 => Action::Cmd(Command::CrashConsumer { client_id: c }),
        9 => Action::Cmd(Command::RestartConsumer { client_id: c }),
        10 => Action::Cmd(Command::StallConsumer { client_id: c }),
        11 => Action::Cmd(Command::ResumeConsumer { client_id: c }),
        12 => Action::Cmd(Command::AddPartitions {
            topic: t,
            partitions: 2 + r[4] % 5,
        }),
        13 => Action::Cmd(Command::SetAssignor {
            group: g,
            assignor: ASSIGNORS[r[4] as usize % 4],
        }),
        14 => Action::Cmd(Command::CreateGroup {
            group: g,
            assignor: ASSIGNORS[r[4] as usize % 4],
        }),
        15 => Action::Cmd(Command::ResetOffsets {
            group: g,
            topic: (r[4].is_multiple_of(2)).then_some(t),
            to: [
                ResetSpec::Earliest,
                ResetSpec::Latest,
                ResetSpec::ShiftBy(-3),
                ResetSpec::Offset(5),
            ][r[5] as usize % 4]
                .clone(),
        }),
        16 => Action::Cmd(Command::SetAutoProduce {
            topic: t,
            rate_per_s: [0, 50, 400][r[4] as usize % 3],
            keys: KeySpec::Set {
                prefix: "user-".into(),
                count: 4,
            },
            partitioner: PartitionerKind::Default,
        }),
        17 => Action::Cmd(Command::SetProcessingTime {
            client_id: c,
            processing_ms_per_record: (r[4] % 20) as f64,
        }),
        18 => Action::Cmd(Command::SetTopicConfig {
            topic: t,
            config: TopicConfig {
                retention_ms: 3_000 + (r[4] % 10_000) as i64,
                segment_bytes: 200,
                ..Default::default()
            },
        }),
        _ => Action::Cmd(Command::RemoveConsumer { client_id: c }),
    }
}

fn new_world(seed: u64) -> World {
    let mut w = World::new(WorldConfig {
        seed,
        initial_rebalance_delay_ms: 500,
        max_retained_records_per_partition: 5_000,
        ..Default::default()
    })
    .unwrap();
    for (t, p) in [("a", 3), ("b", 2)] {
        w.apply(Command::CreateTopic {
            name: t.into(),
            partitions: p,
            config: TopicConfig::default(),
        })
        .unwrap();
    }
    w
}

/// Watches offsets between actions: log offsets never go backwards; committed offsets only
/// go backwards through an explicit offset reset.
#[derive(Default)]
struct Monotonic {
    logs: BTreeMap<(String, u32), (u64, u64)>,
    committed: BTreeMap<(String, TopicPartition), u64>,
}

impl Monotonic {
    fn check(&mut self, w: &World, reset_happened: bool) -> Result<(), String> {
        for (name, t) in w.topics() {
            for (p, log) in t.partitions.iter().enumerate() {
                let now = (log.log_start_offset(), log.log_end_offset());
                if let Some(&(s, e)) = self.logs.get(&(name.clone(), p as u32)) {
                    if now.0 < s || now.1 < e {
                        return Err(format!("{name}-{p} went backwards: {:?} → {now:?}", (s, e)));
                    }
                }
                self.logs.insert((name.clone(), p as u32), now);
            }
        }
        for (gid, g) in w.groups() {
            for (tp, c) in &g.committed {
                let key = (gid.clone(), tp.clone());
                if let Some(&before) = self.committed.get(&key) {
                    if c.offset < before && !reset_happened {
                        return Err(format!(
                            "{gid} {tp:?} committed went back {before} → {}",
                            c.offset
                        ));
                    }
                }
                self.committed.insert(key, c.offset);
            }
        }
        Ok(())
    }
}

fn run(seed: u64, actions: &[Action]) -> Result<World, String> {
    let mut w = new_world(seed);
    let mut mono = Monotonic::default();
    for a in actions {
        let mut reset = false;
        match a {
            Action::Tick(ms) => {
                w.tick(*ms);
            }
            Action::Cmd(cmd) => {
                let before = w.clone();
                reset = matches!(
                    cmd,
                    Command::ResetOffsets { .. } | Command::SetTopicConfig { .. }
                );
                if let Err(e) = w.apply(cmd.clone()) {
                    if w != before {
                        return Err(format!("refused command changed the state: {e}"));
                    }
                }
            }
        }
        w.check_invariants()?;
        mono.check(&w, reset)?;
    }
    Ok(w)
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_under_random_commands(
        seed in any::<u64>(),
        raw in prop::collection::vec(any::<[u32; 6]>(), 1..60),
    ) {
        let actions: Vec<Action> = raw.into_iter().map(action_from).collect();
        if let Err(e) = run(seed, &actions) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn replay_is_deterministic(
        seed in any::<u64>(),
        raw in prop::collection::vec(any::<[u32; 6]>(), 1..40),
    ) {
        let actions: Vec<Action> = raw.into_iter().map(action_from).collect();
        let a = run(seed, &actions).unwrap();
        let b = run(seed, &actions).unwrap();
        prop_assert!(a == b, "two runs of the same commands differ");
    }

    #[test]
    fn tick_granularity_does_not_matter(
        seed in any::<u64>(),
        raw in prop::collection::vec(any::<[u32; 6]>(), 1..30),
    ) {
        // Ticking 10 ms ten times equals ticking 100 ms once: only command times matter.
        let actions: Vec<Action> = raw.into_iter().map(action_from).collect();
        let mut a = new_world(seed);
        let mut b = new_world(seed);
        for act in &actions {
            match act {
                Action::Tick(ms) => {
                    a.tick(*ms);
                    let mut left = *ms;
                    while left > 0 { let s = left.min(7); b.tick(s); left -= s; }
                }
                Action::Cmd(c) => { let _ = a.apply(c.clone()); let _ = b.apply(c.clone()); }
            }
        }
        prop_assert!(a == b);
    }
}

/// The long soak: 1M random actions (ticks kept short), invariants checked throughout.
#[test]
#[ignore]
fn soak() {
    let n: u64 = std::env::var("SOAK_ACTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = kafkascope::sim::rng::Rng::new(2026);
    let mut w = new_world(99);
    let mut mono = Monotonic::default();
    let started = std::time::Instant::now();
    let (mut ok, mut refused) = (0u64, 0u64);
    for i in 0..n {
        let r = [0; 6].map(|_| rng.next_u64() as u32);
        let action = match action_from(r) {
            Action::Tick(ms) => Action::Tick(ms % 200),
            a => a,
        };
        let mut reset = false;
        match action {
            Action::Tick(ms) => {
                w.tick(ms);
            }
            Action::Cmd(cmd) => {
                reset = matches!(
                    cmd,
                    Command::ResetOffsets { .. } | Command::SetTopicConfig { .. }
                );
                match w.apply(cmd) {
                    Ok(_) => ok += 1,
                    Err(_) => refused += 1,
                }
            }
        }
        if i % 97 == 0 {
            w.check_invariants()
                .unwrap_or_else(|e| panic!("action {i}: {e}"));
            mono.check(&w, true).unwrap();
        } else {
            let _ = reset;
        }
    }
    w.check_invariants().unwrap();
    let secs = started.elapsed().as_secs_f64();
    let records: u64 = w
        .topics()
        .values()
        .flat_map(|t| t.partitions.iter())
        .map(|l| l.log_end_offset())
        .sum();
    println!(
        "soak: {n} actions ({ok} applied, {refused} refused) over {} virtual s, {records} records, {:.1} s wall, {:.0} actions/s",
        w.now_ms() / 1000,
        secs,
        n as f64 / secs
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// The hand-written command reader reads back what serde writes, whatever the order of
    /// the keys (the `type` may come last, as course authors sometimes write it).
    #[test]
    fn timed_commands_read_back_in_any_key_order(
        raw in prop::collection::vec(any::<[u32; 6]>(), 1..40),
        at_ms in any::<u64>(),
        order in any::<u64>(),
    ) {
        for command in raw.into_iter().map(action_from).filter_map(|a| match a {
            Action::Cmd(c) => Some(c),
            Action::Tick(_) => None,
        }) {
            let tc = kafkascope::sim::TimedCommand { at_ms, command };
            let written = serde_json::to_value(&tc).unwrap();
            let mut entries: Vec<String> = written
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| format!("{k:?}:{v}"))
                .collect();
            // A permutation chosen by `order`.
            let n = entries.len() as u64;
            entries.rotate_left((order % n) as usize);
            if order % 2 == 1 {
                entries.reverse();
            }
            let json = format!("{{{}}}", entries.join(","));
            let read: kafkascope::sim::TimedCommand = serde_json::from_str(&json)
                .map_err(|e| TestCaseError::fail(format!("{json}: {e}")))?;
            prop_assert_eq!(read, tc);
        }
    }
}
