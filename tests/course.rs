//! The course's walk-throughs, as tests. Each one reads like the lesson it checks.
#![cfg(not(target_arch = "wasm32"))] // native only: processes, files, proptest

use kafkascope::sim::assignor::{AssignorKind, TopicPartition};
use kafkascope::sim::consumer::{AutoOffsetReset, CommitMode, ConsumerConfig, ConsumerStatus};
use kafkascope::sim::event::Event;
use kafkascope::sim::group::GroupState;
use kafkascope::sim::partitioner::PartitionerKind;
use kafkascope::sim::topic::TopicConfig;
use kafkascope::sim::{Command, KeySpec, ResetSpec, World, WorldConfig};

fn world() -> World {
    World::new(WorldConfig {
        seed: 7,
        ..Default::default()
    })
    .unwrap()
}

fn topic(w: &mut World, name: &str, partitions: u32) {
    w.apply(Command::CreateTopic {
        name: name.into(),
        partitions,
        config: TopicConfig::default(),
    })
    .unwrap();
}

fn fast() -> ConsumerConfig {
    ConsumerConfig {
        session_timeout_ms: 10_000,
        heartbeat_interval_ms: 1_000,
        auto_offset_reset: AutoOffsetReset::Earliest,
        processing_ms_per_record: 0.0,
        ..Default::default()
    }
}

fn add(w: &mut World, id: &str, group: &str, topics: &[&str], config: ConsumerConfig) {
    w.apply(Command::AddConsumer {
        client_id: id.into(),
        group: group.into(),
        topics: topics.iter().map(|t| t.to_string()).collect(),
        config,
    })
    .unwrap();
}

fn parts(w: &World, id: &str) -> Vec<u32> {
    w.consumer(id)
        .unwrap()
        .assignment
        .iter()
        .map(|tp| tp.partition)
        .collect()
}

fn produce(w: &mut World, topic: &str, key: Option<&str>, value: &str) -> Vec<Event> {
    w.apply(Command::Produce {
        topic: topic.into(),
        key: key.map(String::from),
        value: value.into(),
        partition: None,
        partitioner: PartitionerKind::Default,
    })
    .unwrap()
}

fn produced_partition(events: &[Event]) -> u32 {
    match &events[0] {
        Event::RecordProduced { partition, .. } => *partition,
        e => panic!("unexpected {e:?}"),
    }
}

#[test]
fn two_consumers_three_partitions_range_gives_c1_p0_p1_c2_p2() {
    let mut w = world();
    topic(&mut w, "orders", 3);
    add(&mut w, "c1", "billing", &["orders"], fast());
    add(&mut w, "c2", "billing", &["orders"], fast());
    w.tick(5_000);
    let g = w.group("billing").unwrap();
    assert_eq!(g.state, GroupState::Stable);
    assert_eq!(g.assignor, AssignorKind::Range, "range is Kafka's default");
    assert_eq!(parts(&w, "c1"), vec![0, 1]);
    assert_eq!(parts(&w, "c2"), vec![2]);
}

#[test]
fn first_rebalance_waits_for_the_initial_rebalance_delay() {
    let mut w = world();
    topic(&mut w, "orders", 3);
    add(&mut w, "c1", "g", &["orders"], fast());
    w.tick(2_900);
    assert_eq!(w.group("g").unwrap().state, GroupState::PreparingRebalance);
    w.tick(300);
    assert_eq!(w.group("g").unwrap().state, GroupState::Stable);
    assert_eq!(w.group("g").unwrap().generation_id, 1);
}

#[test]
fn one_two_three_four_consumers_on_three_partitions_the_fourth_is_idle() {
    let mut w = world();
    topic(&mut w, "orders", 3);
    add(&mut w, "c1", "g", &["orders"], fast());
    w.tick(5_000);
    assert_eq!(parts(&w, "c1"), vec![0, 1, 2]);
    add(&mut w, "c2", "g", &["orders"], fast());
    w.tick(3_000);
    assert_eq!((parts(&w, "c1"), parts(&w, "c2")), (vec![0, 1], vec![2]));
    add(&mut w, "c3", "g", &["orders"], fast());
    w.tick(3_000);
    assert_eq!(
        (parts(&w, "c1"), parts(&w, "c2"), parts(&w, "c3")),
        (vec![0], vec![1], vec![2])
    );
    add(&mut w, "c4", "g", &["orders"], fast());
    w.tick(3_000);
    assert_eq!(parts(&w, "c4"), Vec::<u32>::new());
    assert!(w.consumer("c4").unwrap().is_idle());
    assert!(!w.consumer("c1").unwrap().is_idle());
    assert_eq!(w.group("g").unwrap().generation_id, 4);
    w.check_invariants().unwrap();
}

#[test]
fn a_consumer_leaves_gracefully_and_its_partitions_move_at_once() {
    let mut w = world();
    topic(&mut w, "orders", 3);
    for c in ["c1", "c2", "c3"] {
        add(&mut w, c, "g", &["orders"], fast());
    }
    w.tick(5_000);
    let gen = w.group("g").unwrap().generation_id;
    let events = w
        .apply(Command::StopConsumer {
            client_id: "c2".into(),
        })
        .unwrap();
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::MemberRemoved { .. })));
    assert_eq!(w.group("g").unwrap().state, GroupState::PreparingRebalance);
    // Members learn at their next heartbeat (1 s here), not after a session timeout.
    w.tick(1_500);
    assert_eq!(w.group("g").unwrap().state, GroupState::Stable);
    assert_eq!(w.group("g").unwrap().generation_id, gen + 1);
    assert_eq!((parts(&w, "c1"), parts(&w, "c3")), (vec![0, 1], vec![2]));
    // One joins again.
    add(&mut w, "c4", "g", &["orders"], fast());
    w.tick(2_000);
    assert_eq!(parts(&w, "c4"), vec![2]);
}

#[test]
fn a_crashed_consumer_keeps_its_partitions_until_the_session_timeout() {
    let mut w = world();
    topic(&mut w, "orders", 2);
    add(&mut w, "c1", "g", &["orders"], fast());
    add(&mut w, "c2", "g", &["orders"], fast());
    w.tick(5_000);
    w.apply(Command::CrashConsumer {
        client_id: "c2".into(),
    })
    .unwrap();
    w.tick(5_000);
    assert_eq!(w.group("g").unwrap().state, GroupState::Stable);
    assert_eq!(parts(&w, "c1"), vec![0]);
    assert!(w.session_time_left_ms("c2").unwrap() > 0);
    w.tick(6_000);
    assert_eq!(parts(&w, "c1"), vec![0, 1]);
    assert_eq!(w.group("g").unwrap().members.len(), 1);
}

#[test]
fn round_robin_partitioner_deals_m1_to_m6_over_p0_p1_p2() {
    let mut w = world();
    topic(&mut w, "t", 3);
    let got: Vec<u32> = (1..=6)
        .map(|i| {
            let e = w
                .apply(Command::Produce {
                    topic: "t".into(),
                    key: None,
                    value: format!("M{i}"),
                    partition: None,
                    partitioner: PartitionerKind::RoundRobin,
                })
                .unwrap();
            produced_partition(&e)
        })
        .collect();
    assert_eq!(got, vec![0, 1, 2, 0, 1, 2]);
}

#[test]
fn the_same_key_always_goes_to_the_same_partition_and_moves_when_partitions_are_added() {
    let mut w = world();
    topic(&mut w, "t", 3);
    let first = produced_partition(&produce(&mut w, "t", Some("user-3"), "a"));
    for _ in 0..5 {
        assert_eq!(
            produced_partition(&produce(&mut w, "t", Some("user-3"), "b")),
            first
        );
    }
    // Key skew: A, B and C all land on partition 1 of 3.
    for k in ["A", "B", "C"] {
        assert_eq!(produced_partition(&produce(&mut w, "t", Some(k), "x")), 1);
    }
    w.apply(Command::AddPartitions {
        topic: "t".into(),
        partitions: 4,
    })
    .unwrap();
    let moved = ["A", "B", "C", "user-1", "user-2", "user-3"]
        .iter()
        .filter(|k| {
            w.partition_for_key("t", k)
                != Some(kafkascope::sim::partitioner::murmur2::partition_for_key(
                    k.as_bytes(),
                    3,
                ))
        })
        .count();
    assert!(moved > 0, "adding a partition moves some keys");
}

#[test]
fn one_group_shares_the_work_three_groups_each_get_everything() {
    let mut w = world();
    topic(&mut w, "orders", 3);
    for c in ["c1", "c2", "c3"] {
        add(&mut w, c, "shared", &["orders"], fast());
    }
    for g in ["inventory", "billing", "email"] {
        add(&mut w, &format!("{g}-1"), g, &["orders"], fast());
    }
    w.tick(5_000);
    w.apply(Command::ProduceBurst {
        topic: "orders".into(),
        count: 30,
        keys: KeySpec::Set {
            prefix: "user-".into(),
            count: 10,
        },
        partitioner: PartitionerKind::Default,
    })
    .unwrap();
    w.tick(6_000);
    let shared: u64 = ["c1", "c2", "c3"]
        .iter()
        .map(|c| w.consumer(c).unwrap().records_processed)
        .sum();
    assert_eq!(shared, 30, "one group: each record processed once in total");
    for g in ["inventory", "billing", "email"] {
        assert_eq!(w.consumer(&format!("{g}-1")).unwrap().records_processed, 30);
        let lag: u64 = w.group_lag(g).iter().map(|l| l.committed_lag).sum();
        assert_eq!(lag, 0, "{g} committed everything after auto-commit");
    }
}

#[test]
fn crash_before_commit_makes_the_successor_process_records_again() {
    let mut w = world();
    topic(&mut w, "orders", 1);
    let cfg = ConsumerConfig {
        auto_commit_interval_ms: 5_000,
        ..fast()
    };
    add(&mut w, "c1", "g", &["orders"], cfg.clone());
    w.tick(4_000); // stable, c1 owns P0, auto-commit due at 5 s
    w.apply(Command::ProduceBurst {
        topic: "orders".into(),
        count: 10,
        keys: KeySpec::None,
        partitioner: PartitionerKind::Default,
    })
    .unwrap();
    w.tick(100);
    assert_eq!(w.consumer("c1").unwrap().records_processed, 10);
    let crash = w
        .apply(Command::CrashConsumer {
            client_id: "c1".into(),
        })
        .unwrap();
    assert!(matches!(
        crash[0],
        Event::ConsumerCrashed {
            uncommitted: 10,
            ..
        }
    ));
    add(&mut w, "c2", "g", &["orders"], cfg);
    let events = w.tick(20_000);
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Redelivered { client_id, from: 0, to: 10, .. } if client_id == "c2"
    )));
    assert_eq!(w.consumer("c2").unwrap().redelivered, 10);
}

#[test]
fn graceful_close_commits_so_nothing_is_redelivered() {
    let mut w = world();
    topic(&mut w, "orders", 1);
    add(&mut w, "c1", "g", &["orders"], fast());
    w.tick(4_000);
    w.apply(Command::ProduceBurst {
        topic: "orders".into(),
        count: 10,
        keys: KeySpec::None,
        partitioner: PartitionerKind::Default,
    })
    .unwrap();
    w.tick(100);
    w.apply(Command::StopConsumer {
        client_id: "c1".into(),
    })
    .unwrap();
    assert_eq!(
        w.group("g")
            .unwrap()
            .committed
            .values()
            .next()
            .unwrap()
            .offset,
        10
    );
    add(&mut w, "c2", "g", &["orders"], fast());
    w.tick(10_000);
    assert_eq!(w.consumer("c2").unwrap().redelivered, 0);
}

#[test]
fn commit_before_processing_loses_records_on_a_crash() {
    let mut w = world();
    topic(&mut w, "orders", 1);
    let slow = ConsumerConfig {
        commit_mode: CommitMode::SyncBeforeProcessing,
        processing_ms_per_record: 100.0,
        ..fast()
    };
    add(&mut w, "c1", "g", &["orders"], slow);
    w.tick(4_000);
    w.apply(Command::ProduceBurst {
        topic: "orders".into(),
        count: 10,
        keys: KeySpec::None,
        partitioner: PartitionerKind::Default,
    })
    .unwrap();
    w.tick(350); // committed 10, processed ~3
    w.apply(Command::CrashConsumer {
        client_id: "c1".into(),
    })
    .unwrap();
    add(&mut w, "c2", "g", &["orders"], fast());
    let events = w.tick(20_000);
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Skipped { to: 10, .. })));
    assert!(w.consumer("c2").unwrap().records_processed == 0);
}

#[test]
fn retention_deletes_old_segments_then_a_reset_to_earliest_replays_what_is_left() {
    let mut w = world();
    w.apply(Command::CreateTopic {
        name: "events".into(),
        partitions: 1,
        config: TopicConfig {
            retention_ms: 10_000,
            segment_bytes: 100,
            ..Default::default()
        },
    })
    .unwrap();
    for i in 0..20 {
        produce(&mut w, "events", None, &format!("v{i}"));
        w.tick(1_000);
    }
    let log = &w.topic("events").unwrap().partitions[0];
    assert!(
        log.log_start_offset() > 0,
        "retention moved the log start offset"
    );
    assert_eq!(log.log_end_offset(), 20);
    let start = log.log_start_offset();

    add(&mut w, "r1", "replayers", &["events"], fast());
    w.tick(5_000);
    // Resetting an active group is refused, like kafka-consumer-groups.
    let e = w
        .apply(Command::ResetOffsets {
            group: "replayers".into(),
            topic: Some("events".into()),
            to: ResetSpec::Earliest,
        })
        .unwrap_err();
    assert!(e.0.contains("inactive"), "{e}");
    w.apply(Command::StopConsumer {
        client_id: "r1".into(),
    })
    .unwrap();
    w.tick(100);
    w.apply(Command::ResetOffsets {
        group: "replayers".into(),
        topic: Some("events".into()),
        to: ResetSpec::Earliest,
    })
    .unwrap();
    let start_now = w.topic("events").unwrap().partitions[0].log_start_offset();
    assert!(start_now >= start);
    let tp = TopicPartition::new("events", 0);
    assert_eq!(
        w.group("replayers").unwrap().committed[&tp].offset,
        start_now
    );
    w.apply(Command::RestartConsumer {
        client_id: "r1".into(),
    })
    .unwrap();
    w.tick(5_000);
    assert_eq!(
        w.consumer("r1").unwrap().redelivered,
        0,
        "a deliberate replay is not a redelivery"
    );
}

#[test]
fn a_new_group_with_latest_sees_only_new_records_and_with_earliest_reads_history() {
    let mut w = world();
    topic(&mut w, "t", 1);
    for i in 0..5 {
        produce(&mut w, "t", None, &format!("old{i}"));
    }
    add(
        &mut w,
        "late",
        "latest-group",
        &["t"],
        ConsumerConfig {
            auto_offset_reset: AutoOffsetReset::Latest,
            ..fast()
        },
    );
    add(&mut w, "hist", "earliest-group", &["t"], fast());
    w.tick(5_000);
    produce(&mut w, "t", None, "new");
    w.tick(100);
    assert_eq!(w.consumer("late").unwrap().records_processed, 1);
    assert_eq!(w.consumer("hist").unwrap().records_processed, 6);
}

#[test]
fn lag_rises_when_producing_faster_than_consuming_and_falls_with_more_consumers() {
    let mut w = world();
    topic(&mut w, "t", 4);
    let slow = ConsumerConfig {
        processing_ms_per_record: 10.0, // 100 records/s per consumer
        ..fast()
    };
    add(&mut w, "c1", "g", &["t"], slow.clone());
    w.tick(4_000);
    w.apply(Command::SetAutoProduce {
        topic: "t".into(),
        rate_per_s: 300,
        keys: KeySpec::None,
        partitioner: PartitionerKind::RoundRobin,
    })
    .unwrap();
    w.tick(10_000);
    let lag = |w: &World| -> u64 {
        w.group_lag("g")
            .iter()
            .filter_map(|l| l.position_lag)
            .sum::<u64>()
    };
    let processed =
        |w: &World| -> u64 { w.consumers().values().map(|c| c.records_processed).sum() };
    let before = w
        .group("g")
        .unwrap()
        .lag_history
        .back()
        .unwrap()
        .committed_lag;
    assert!(
        before > 1_000,
        "one consumer at 100/s falls behind 300/s: lag {before}"
    );
    for c in ["c2", "c3", "c4"] {
        add(&mut w, c, "g", &["t"], slow.clone());
    }
    w.tick(3_000);
    let (p0, l0) = (processed(&w), lag(&w));
    w.tick(10_000);
    // Four consumers process 400/s > 300/s produced: the backlog shrinks.
    assert!(
        processed(&w) - p0 > 3_500,
        "processed {}",
        processed(&w) - p0
    );
    assert!(lag(&w) < l0, "lag {l0} → {}", lag(&w));
}

#[test]
fn a_stalled_consumer_leaves_after_max_poll_interval_and_its_commit_then_fails() {
    let mut w = world();
    topic(&mut w, "t", 2);
    let cfg = ConsumerConfig {
        max_poll_interval_ms: 5_000,
        commit_mode: CommitMode::SyncAfterProcessing,
        ..fast()
    };
    add(&mut w, "c1", "g", &["t"], cfg.clone());
    add(&mut w, "c2", "g", &["t"], cfg);
    w.tick(4_000);
    w.apply(Command::StallConsumer {
        client_id: "c1".into(),
    })
    .unwrap();
    let events = w.tick(8_000);
    assert!(events.iter().any(|e| matches!(
        e,
        Event::MemberRemoved { client_id, reason: kafkascope::sim::group::RemovalReason::MaxPollIntervalExceeded, .. } if client_id == "c1"
    )));
    assert_eq!(parts(&w, "c2"), vec![0, 1]);
    w.apply(Command::ResumeConsumer {
        client_id: "c1".into(),
    })
    .unwrap();
    let events = w.tick(5_000);
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::PartitionsLost { client_id, .. } if client_id == "c1")));
    assert_eq!(w.consumer("c1").unwrap().status, ConsumerStatus::Active);
    w.check_invariants().unwrap();
}

#[test]
fn a_static_member_restarting_within_the_session_timeout_gets_its_partitions_back_without_a_rebalance(
) {
    let mut w = world();
    topic(&mut w, "t", 2);
    let stat = |id: &str| ConsumerConfig {
        group_instance_id: Some(id.into()),
        ..fast()
    };
    add(&mut w, "c1", "g", &["t"], stat("i1"));
    add(&mut w, "c2", "g", &["t"], stat("i2"));
    w.tick(5_000);
    let gen = w.group("g").unwrap().generation_id;
    let before = parts(&w, "c2");
    w.apply(Command::StopConsumer {
        client_id: "c2".into(),
    })
    .unwrap();
    w.tick(2_000);
    assert_eq!(
        w.group("g").unwrap().state,
        GroupState::Stable,
        "no LeaveGroup from a static member"
    );
    w.apply(Command::RestartConsumer {
        client_id: "c2".into(),
    })
    .unwrap();
    w.tick(2_000);
    assert_eq!(w.group("g").unwrap().generation_id, gen);
    assert_eq!(parts(&w, "c2"), before);
}

#[test]
fn bad_commands_get_a_clear_error_and_change_nothing() {
    let mut w = world();
    topic(&mut w, "t", 3);
    let before = w.clone();
    for (cmd, needle) in [
        (
            Command::CreateTopic {
                name: "t".into(),
                partitions: 1,
                config: TopicConfig::default(),
            },
            "already exists",
        ),
        (
            Command::CreateTopic {
                name: "bad name".into(),
                partitions: 1,
                config: TopicConfig::default(),
            },
            "invalid character",
        ),
        (
            Command::AddPartitions {
                topic: "t".into(),
                partitions: 2,
            },
            "can only be added",
        ),
        (
            Command::Produce {
                topic: "t".into(),
                key: None,
                value: "v".into(),
                partition: Some(3),
                partitioner: PartitionerKind::Default,
            },
            "partition 3 does not exist",
        ),
        (
            Command::Produce {
                topic: "nope".into(),
                key: None,
                value: "v".into(),
                partition: None,
                partitioner: PartitionerKind::Default,
            },
            "does not exist",
        ),
        (
            Command::StopConsumer {
                client_id: "ghost".into(),
            },
            "no consumer",
        ),
        (
            Command::AddConsumer {
                client_id: "c1".into(),
                group: "g".into(),
                topics: vec!["nope".into()],
                config: ConsumerConfig::default(),
            },
            "does not exist",
        ),
        (
            Command::AddConsumer {
                client_id: "c1".into(),
                group: "g".into(),
                topics: vec!["t".into()],
                config: ConsumerConfig {
                    max_poll_records: 0,
                    ..Default::default()
                },
            },
            "max.poll.records",
        ),
        (
            Command::SetAutoProduce {
                topic: "t".into(),
                rate_per_s: 1_000_000,
                keys: KeySpec::None,
                partitioner: PartitionerKind::Default,
            },
            "rate",
        ),
    ] {
        let e = w.apply(cmd).unwrap_err();
        assert!(e.0.contains(needle), "{e} should mention {needle}");
        assert_eq!(w, before, "state untouched after: {e}");
    }
}

fn service(emit: Vec<kafkascope::sim::consumer::Emit>) -> ConsumerConfig {
    ConsumerConfig { emit, ..fast() }
}

fn emit(topic: &str, value: &str, on: &[&str], join: bool) -> kafkascope::sim::consumer::Emit {
    kafkascope::sim::consumer::Emit {
        topic: topic.into(),
        value: value.into(),
        on: on.iter().map(|s| s.to_string()).collect(),
        join,
    }
}

fn values(w: &World, topic: &str) -> Vec<(String, String)> {
    let t = w.topic(topic).unwrap();
    let mut out = Vec::new();
    for log in &t.partitions {
        for r in log.range(log.log_start_offset(), log.log_end_offset()) {
            out.push((r.key.unwrap_or("").to_string(), r.value.to_string()));
        }
    }
    out.sort();
    out
}

#[test]
fn shipping_starts_an_order_only_after_both_inventory_reserved_and_payment_successful() {
    let mut w = world();
    for t in [
        "orders",
        "payment-requests",
        "payments",
        "inventory",
        "shipments",
    ] {
        topic(&mut w, t, 3);
    }
    let checkout = vec![emit(
        "payment-requests",
        "payment_requested",
        &["order_placed"],
        false,
    )];
    add(
        &mut w,
        "checkout-1",
        "checkout",
        &["orders"],
        service(checkout),
    );
    let inventory = vec![emit(
        "inventory",
        "inventory_reserved",
        &["order_placed"],
        false,
    )];
    add(
        &mut w,
        "inventory-1",
        "inventory",
        &["orders"],
        service(inventory),
    );
    let join = vec![emit(
        "shipments",
        "shipment_started",
        &["inventory_reserved", "payment_successful"],
        true,
    )];
    add(
        &mut w,
        "shipping-1",
        "shipping",
        &["inventory", "payments"],
        service(join),
    );
    w.tick(4_000);
    produce(&mut w, "orders", Some("order-1"), "order_placed");
    produce(&mut w, "orders", Some("order-2"), "order_placed");
    w.tick(2_000);
    // The payment service is not running yet: payment requests pile up, inventory is
    // reserved, and shipping waits.
    assert_eq!(values(&w, "payment-requests").len(), 2);
    assert_eq!(
        values(&w, "inventory"),
        vec![
            ("order-1".into(), "inventory_reserved".into()),
            ("order-2".into(), "inventory_reserved".into())
        ]
    );
    assert!(
        values(&w, "shipments").is_empty(),
        "shipping must wait for payment"
    );
    // The payment service starts and works through the requests (event chaining).
    let payment = vec![emit(
        "payments",
        "payment_successful",
        &["payment_requested"],
        false,
    )];
    add(
        &mut w,
        "payment-1",
        "payment",
        &["payment-requests"],
        service(payment),
    );
    w.tick(6_000);
    assert_eq!(
        values(&w, "shipments"),
        vec![
            ("order-1".into(), "shipment_started".into()),
            ("order-2".into(), "shipment_started".into())
        ]
    );
    // Same key, same partition, all along the chain: the order id keeps an order's events
    // in order.
    let p = |t: &str| w.partition_for_key(t, "order-1").unwrap();
    assert_eq!(p("orders"), p("shipments"));
    assert!(w.group("shipping").unwrap().join_state.is_empty());
    w.check_invariants().unwrap();
}

#[test]
fn an_emit_rule_to_a_missing_topic_is_refused() {
    let mut w = world();
    topic(&mut w, "orders", 3);
    let before = w.clone();
    let e = w
        .apply(Command::AddConsumer {
            client_id: "c1".into(),
            group: "g".into(),
            topics: vec!["orders".into()],
            config: service(vec![emit("nowhere", "x", &[], false)]),
        })
        .unwrap_err();
    assert!(
        e.0.contains("emit: topic \"nowhere\" does not exist"),
        "{e}"
    );
    assert_eq!(w, before);
}
