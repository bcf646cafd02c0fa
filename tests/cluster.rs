//! Brokers, replication and failover, as the course tells it: where replicas go, who leads,
//! what the high watermark protects, what each `acks` setting can lose, and what happens to
//! a consumer group when its coordinator's broker dies.
#![cfg(not(target_arch = "wasm32"))] // native only: processes, files, proptest

use kafkascope::sim::cluster::acks::Acks;
use kafkascope::sim::cluster::broker::BrokerId;
use kafkascope::sim::cluster::coordinator::partition_for;
use kafkascope::sim::cluster::election::{ElectionType, LeaderElection};
use kafkascope::sim::cluster::placement::assign_replicas_rack_unaware;
use kafkascope::sim::command::BrokerRef;
use kafkascope::sim::consumer::{AutoOffsetReset, ConsumerConfig};
use kafkascope::sim::event::Event;
use kafkascope::sim::group::GroupState;
use kafkascope::sim::partitioner::PartitionerKind;
use kafkascope::sim::scenario::Scenario;
use kafkascope::sim::summary::WorldSummary;
use kafkascope::sim::topic::TopicConfig;
use kafkascope::sim::{Command, KeySpec, World, WorldConfig};
use proptest::prelude::*;
use std::path::Path;

const SESSION_MS: u64 = 9_000;
const FETCH_MS: u64 = 50;

fn cluster(brokers: u32) -> World {
    World::new(WorldConfig {
        seed: 11,
        brokers,
        replica_fetch_interval_ms: FETCH_MS,
        broker_session_timeout_ms: SESSION_MS,
        ..Default::default()
    })
    .unwrap()
}

/// A cluster whose only controller voter is broker 1 (so two other brokers can die without
/// losing the quorum).
fn cluster_with_one_voter(brokers: u32) -> World {
    World::new(WorldConfig {
        controller_voters: 1,
        ..cluster(brokers).config().clone()
    })
    .unwrap()
}

/// A partition of `topic` none of whose replicas is on `broker`.
fn partition_without(w: &World, topic: &str, broker: BrokerId) -> u32 {
    (0..w.topic(topic).unwrap().partition_count())
        .find(|&p| {
            w.partition_replicas(topic, p)
                .unwrap()
                .replica(broker)
                .is_none()
        })
        .expect("such a partition")
}

/// A follower of `topic`-`p` that is not the active controller (its crash keeps the quorum
/// busy for a few seconds).
fn follower(w: &World, topic: &str, p: u32) -> BrokerId {
    let r = w.partition_replicas(topic, p).unwrap();
    r.brokers()
        .find(|&b| Some(b) != r.leader && Some(b) != w.active_controller())
        .expect("a follower that is not the controller")
}

fn topic(w: &mut World, name: &str, partitions: u32, rf: u32, min_insync: u32, unclean: bool) {
    w.apply(Command::CreateTopic {
        name: name.into(),
        partitions,
        config: TopicConfig {
            replication_factor: Some(rf),
            min_insync_replicas: min_insync,
            unclean_leader_election_enable: unclean,
            ..Default::default()
        },
    })
    .unwrap();
}

fn acks(w: &mut World, topic: &str, acks: Acks) {
    w.apply(Command::SetAcks {
        topic: Some(topic.into()),
        acks,
    })
    .unwrap();
}

fn produce_to(w: &mut World, topic: &str, partition: u32, value: &str) -> Vec<Event> {
    w.apply(Command::Produce {
        topic: topic.into(),
        key: None,
        value: value.into(),
        partition: Some(partition),
        partitioner: PartitionerKind::Default,
    })
    .unwrap()
}

fn burst(w: &mut World, topic: &str, count: u32) {
    w.apply(Command::ProduceBurst {
        topic: topic.into(),
        count,
        keys: KeySpec::None,
        partitioner: PartitionerKind::RoundRobin,
    })
    .unwrap();
}

fn leader(w: &World, topic: &str, p: u32) -> Option<BrokerId> {
    w.partition_replicas(topic, p).unwrap().leader
}

fn isr(w: &World, topic: &str, p: u32) -> Vec<BrokerId> {
    w.partition_replicas(topic, p).unwrap().isr.clone()
}

fn hw(w: &World, topic: &str, p: u32) -> u64 {
    w.partition_replicas(topic, p).unwrap().high_watermark
}

fn leo(w: &World, topic: &str, p: u32) -> u64 {
    w.topic(topic).unwrap().partitions[p as usize].log_end_offset()
}

fn crash(w: &mut World, b: BrokerId) {
    w.apply(Command::CrashBroker(BrokerRef { broker_id: b }))
        .unwrap();
}

fn restart(w: &mut World, b: BrokerId) {
    w.apply(Command::RestartBroker(BrokerRef { broker_id: b }))
        .unwrap();
}

/// Ticks until just after the next follower fetch round (rounds run every `FETCH_MS`).
fn next_fetch(w: &mut World) {
    let next = (w.now_ms() / FETCH_MS + 1) * FETCH_MS;
    w.advance_to(next);
}

fn events_since(w: &World, seq: u64) -> Vec<Event> {
    w.events_since(seq).map(|e| e.event.clone()).collect()
}

fn fast_consumer() -> ConsumerConfig {
    ConsumerConfig {
        session_timeout_ms: 30_000,
        heartbeat_interval_ms: 1_000,
        auto_offset_reset: AutoOffsetReset::Earliest,
        auto_commit_interval_ms: 1_000,
        processing_ms_per_record: 0.0,
        ..Default::default()
    }
}

// ----- placement ---------------------------------------------------------------------------

#[test]
fn replica_placement_matches_kafkas_rack_unaware_assignment() {
    // By hand from AdminUtils.assignReplicasToBrokersRackUnaware: 3 brokers, start index 1,
    // shift 2: first replicas round-robin from broker 2; followers at
    // (first + 1 + (shift + j) % 2) % 3; the shift grows to 3 at partition 3.
    let a = assign_replicas_rack_unaware(&[1, 2, 3], 6, 3, 1, 2, 0);
    assert_eq!(
        a,
        vec![
            vec![2, 3, 1],
            vec![3, 1, 2],
            vec![1, 2, 3],
            vec![2, 1, 3],
            vec![3, 2, 1],
            vec![1, 3, 2],
        ]
    );
    // 4 brokers, RF 2, start 3, shift 0: leaders 4,1,2,3 and the next broker follows.
    let a = assign_replicas_rack_unaware(&[1, 2, 3, 4], 4, 2, 3, 0, 0);
    assert_eq!(a, vec![vec![4, 1], vec![1, 2], vec![2, 3], vec![3, 4]]);
    // Adding partitions continues from the existing count with the fixed start index.
    let more = assign_replicas_rack_unaware(&[1, 2, 3, 4], 2, 2, 3, 3, 4);
    assert_eq!(more, vec![vec![4, 2], vec![1, 3]]);
}

#[test]
fn a_topic_spreads_its_leaders_over_the_brokers() {
    let mut w = cluster(3);
    topic(&mut w, "orders", 3, 3, 1, false);
    let mut leaders: Vec<BrokerId> = (0..3).map(|p| leader(&w, "orders", p).unwrap()).collect();
    leaders.sort_unstable();
    assert_eq!(leaders, vec![1, 2, 3], "one leader per broker");
    for p in 0..3 {
        let r = w.partition_replicas("orders", p).unwrap();
        assert_eq!(r.isr.len(), 3);
        assert_eq!(
            Some(r.preferred_leader()),
            r.leader,
            "the first replica leads"
        );
    }
}

#[test]
fn replication_factor_larger_than_the_cluster_is_invalid() {
    let mut w = cluster(2);
    let before = w.clone();
    let e = w
        .apply(Command::CreateTopic {
            name: "t".into(),
            partitions: 1,
            config: TopicConfig {
                replication_factor: Some(3),
                ..Default::default()
            },
        })
        .unwrap_err();
    assert_eq!(
        e.0,
        "Replication factor: 3 larger than available brokers: 2. (INVALID_REPLICATION_FACTOR)"
    );
    assert_eq!(w, before);
}

#[test]
fn the_default_world_is_one_broker_and_the_high_watermark_is_the_log_end() {
    let mut w = World::with_seed(3);
    assert_eq!(w.brokers().len(), 1);
    assert_eq!(w.active_controller(), Some(1));
    w.apply(Command::CreateTopic {
        name: "t".into(),
        partitions: 2,
        config: TopicConfig::default(),
    })
    .unwrap();
    burst(&mut w, "t", 10);
    for p in 0..2 {
        assert_eq!(hw(&w, "t", p), leo(&w, "t", p));
        assert_eq!(isr(&w, "t", p), vec![1]);
    }
    assert_eq!(w.durability("t").acknowledged, 10);
    assert_eq!(w.acks_for("t"), Acks::All);
}

// ----- high watermark ----------------------------------------------------------------------

#[test]
fn the_high_watermark_trails_the_log_end_until_followers_fetch() {
    let mut w = cluster(3);
    topic(&mut w, "orders", 1, 3, 2, false);
    next_fetch(&mut w);
    w.tick(10);
    for i in 0..5 {
        produce_to(&mut w, "orders", 0, &format!("o{i}"));
    }
    assert_eq!(leo(&w, "orders", 0), 5);
    assert_eq!(
        hw(&w, "orders", 0),
        0,
        "committed only once every ISR member has it"
    );
    assert_eq!(w.durability("orders").acknowledged, 0, "acks=all waits");
    let r = w.partition_replicas("orders", 0).unwrap();
    assert_eq!(r.awaiting_acks(), 5);
    next_fetch(&mut w);
    assert_eq!(hw(&w, "orders", 0), 5);
    assert_eq!(w.durability("orders").acknowledged, 5);
    let r = w.partition_replicas("orders", 0).unwrap();
    assert!(r.replicas.iter().all(|x| x.log_end_offset == 5));
}

#[test]
fn consumers_never_read_beyond_the_high_watermark() {
    let mut w = cluster(3);
    topic(&mut w, "orders", 2, 3, 1, false);
    w.apply(Command::AddConsumer {
        client_id: "c1".into(),
        group: "g".into(),
        topics: vec!["orders".into()],
        config: fast_consumer(),
    })
    .unwrap();
    w.apply(Command::SetAutoProduce {
        topic: "orders".into(),
        rate_per_s: 2_000,
        keys: KeySpec::None,
        partitioner: PartitionerKind::Default,
    })
    .unwrap();
    let follower = {
        let r = w.partition_replicas("orders", 0).unwrap();
        r.brokers().find(|&b| Some(b) != r.leader).unwrap()
    };
    let mut saw_gap = false;
    for ms in 0..20_000 {
        if ms == 6_000 {
            // A dead follower stays in the ISR until it is fenced: the HW stops meanwhile.
            crash(&mut w, follower);
        }
        w.tick(1);
        for p in 0..2 {
            let h = hw(&w, "orders", p);
            let c = w.consumer("c1").unwrap();
            let tp = kafkascope::sim::assignor::TopicPartition::new("orders", p);
            if let Some(&pos) = c.positions.get(&tp) {
                assert!(pos <= h, "at {ms} ms: position {pos} beyond HW {h} on P{p}");
                saw_gap |= leo(&w, "orders", p) > h;
            }
        }
    }
    assert!(
        saw_gap,
        "the log end ran ahead of the high watermark at some point"
    );
    let lag = w.group_lag("g");
    assert!(lag
        .iter()
        .all(|l| l.log_end_offset == hw(&w, "orders", l.partition)));
    w.check_invariants().unwrap();
}

// ----- failover ----------------------------------------------------------------------------

#[test]
fn the_leader_moves_to_an_isr_member_when_its_broker_crashes() {
    let mut w = cluster(3);
    topic(&mut w, "orders", 3, 3, 2, false);
    let old = leader(&w, "orders", 0).unwrap();
    let seq = w.next_event_seq();
    crash(&mut w, old);
    // Until the controller fences it, the dead broker is still the leader: requests time out.
    w.tick(SESSION_MS - 1);
    assert_eq!(
        w.broker_session_time_left_ms(old),
        Some(1),
        "the countdown a page can show"
    );
    assert_eq!(leader(&w, "orders", 0), Some(old));
    let ev = produce_to(&mut w, "orders", 0, "x");
    assert!(
        matches!(&ev[0], Event::ProduceFailed { error, .. } if error == "REQUEST_TIMED_OUT"),
        "{ev:?}"
    );
    w.tick(2);
    let new = leader(&w, "orders", 0).unwrap();
    assert_ne!(new, old);
    assert!(!isr(&w, "orders", 0).contains(&old));
    assert!(isr(&w, "orders", 0).contains(&new));
    let controller = w.active_controller().unwrap();
    let elected = events_since(&w, seq).into_iter().any(|e| {
        matches!(e, Event::LeaderElected { ref topic, partition: 0, leader: Some(l), previous: Some(p), controller: c, election: LeaderElection::Clean, .. }
            if topic == "orders" && l == new && p == old && c == controller)
    });
    assert!(elected, "an event says which controller elected whom");
    assert!(produce_to(&mut w, "orders", 0, "y")
        .iter()
        .any(|e| matches!(e, Event::RecordProduced { .. })));
    w.check_invariants().unwrap();
}

#[test]
fn a_partition_goes_offline_when_no_isr_member_is_left_and_returns_with_its_last_member() {
    let mut w = cluster_with_one_voter(3);
    topic(&mut w, "orders", 3, 2, 1, false);
    let p = partition_without(&w, "orders", 1);
    let r = w.partition_replicas("orders", p).unwrap().clone();
    let (l, f) = (r.replicas[0].broker_id, r.replicas[1].broker_id);
    crash(&mut w, f);
    w.tick(SESSION_MS + 1);
    assert_eq!(isr(&w, "orders", p), vec![l]);
    produce_to(&mut w, "orders", p, "only on the leader");
    crash(&mut w, l);
    w.tick(SESSION_MS + 1);
    assert_eq!(leader(&w, "orders", p), None, "offline");
    assert_eq!(
        isr(&w, "orders", p),
        vec![l],
        "the ISR keeps its last member"
    );
    let ev = produce_to(&mut w, "orders", p, "x");
    assert!(
        matches!(&ev[0], Event::ProduceFailed { error, .. } if error == "LEADER_NOT_AVAILABLE")
    );
    // The out-of-sync follower comes back: without unclean election it may not lead.
    restart(&mut w, f);
    w.tick(1_000);
    assert_eq!(leader(&w, "orders", p), None);
    // The last in-sync replica comes back and leads again, nothing lost.
    restart(&mut w, l);
    w.tick(1_000);
    assert_eq!(leader(&w, "orders", p), Some(l));
    assert_eq!(leo(&w, "orders", p), 1);
    assert_eq!(w.durability("orders").lost_acknowledged, 0);
    w.tick(FETCH_MS);
    assert_eq!(
        isr(&w, "orders", p).len(),
        2,
        "the follower caught up and rejoined"
    );
    w.check_invariants().unwrap();
}

#[test]
fn an_unclean_election_loses_exactly_the_records_the_new_leader_lacks() {
    let mut w = cluster_with_one_voter(3);
    topic(&mut w, "clicks", 3, 2, 1, true);
    acks(&mut w, "clicks", Acks::One);
    let p = partition_without(&w, "clicks", 1);
    let r = w.partition_replicas("clicks", p).unwrap().clone();
    let (l, f) = (r.replicas[0].broker_id, r.replicas[1].broker_id);
    for i in 0..10 {
        produce_to(&mut w, "clicks", p, &format!("a{i}"));
    }
    next_fetch(&mut w);
    assert_eq!(
        w.partition_replicas("clicks", p).unwrap().replicas[1].log_end_offset,
        10
    );
    crash(&mut w, f);
    w.tick(SESSION_MS + 1);
    for i in 0..7 {
        produce_to(&mut w, "clicks", p, &format!("b{i}"));
    }
    assert_eq!(w.durability("clicks").acknowledged, 17);
    crash(&mut w, l);
    w.tick(SESSION_MS + 1);
    assert_eq!(leader(&w, "clicks", p), None);
    let seq = w.next_event_seq();
    restart(&mut w, f);
    w.tick(10);
    assert_eq!(
        leader(&w, "clicks", p),
        Some(f),
        "unclean: an out-of-sync replica leads"
    );
    assert_eq!(isr(&w, "clicks", p), vec![f]);
    assert_eq!(leo(&w, "clicks", p), 10);
    let d = w.durability("clicks");
    assert_eq!(
        d.lost_acknowledged, 7,
        "exactly the 7 records only the old leader had"
    );
    let lost = events_since(&w, seq).into_iter().find_map(|e| match e {
        Event::RecordsLost {
            from,
            to,
            acknowledged,
            unclean,
            ..
        } => Some((from, to, acknowledged, unclean)),
        _ => None,
    });
    assert_eq!(lost, Some((10, 17, 7, true)));
    // New records reuse offsets 10.. ; the old leader truncates its 7 when it returns.
    produce_to(&mut w, "clicks", p, "c0");
    let seq = w.next_event_seq();
    restart(&mut w, l);
    w.tick(FETCH_MS + 10);
    assert!(events_since(&w, seq).iter().any(|e| matches!(
        e,
        Event::ReplicaTruncated { broker_id, from: 17, to: 10, .. } if *broker_id == l
    )));
    let log = &w.topic("clicks").unwrap().partitions[p as usize];
    assert_eq!(log.get(10).unwrap().value, "c0");
    assert_eq!(isr(&w, "clicks", p).len(), 2);
    w.check_invariants().unwrap();
}

/// Produces at 1,000 records/s with `acks`, crashes the leader between two follower fetches,
/// and returns (records only the leader had at the crash, durability afterwards).
fn crash_leader_mid_stream(
    acks_setting: Acks,
) -> (u64, kafkascope::sim::cluster::acks::Durability) {
    let mut w = cluster(3);
    topic(&mut w, "payments", 1, 3, 2, false);
    acks(&mut w, "payments", acks_setting);
    w.apply(Command::SetAutoProduce {
        topic: "payments".into(),
        rate_per_s: 1_000,
        keys: KeySpec::None,
        partitioner: PartitionerKind::Default,
    })
    .unwrap();
    w.advance_to(5_030); // 30 ms after a fetch round
    let l = leader(&w, "payments", 0).unwrap();
    let r = w.partition_replicas("payments", 0).unwrap();
    let follower_leo = r
        .replicas
        .iter()
        .filter(|x| x.broker_id != l)
        .map(|x| x.log_end_offset)
        .max()
        .unwrap();
    let unreplicated = leo(&w, "payments", 0) - follower_leo;
    crash(&mut w, l);
    w.tick(SESSION_MS + 1_000);
    w.check_invariants().unwrap();
    (unreplicated, w.durability("payments"))
}

#[test]
fn acks_1_loses_acknowledged_records_when_the_leader_dies_before_replication_acks_all_does_not() {
    let (unreplicated, one) = crash_leader_mid_stream(Acks::One);
    assert!(unreplicated > 0);
    assert_eq!(
        one.lost_acknowledged, unreplicated,
        "acks=1: every record the followers had not fetched was acknowledged, then lost"
    );
    let (unreplicated, all) = crash_leader_mid_stream(Acks::All);
    assert!(unreplicated > 0);
    assert_eq!(
        all.lost_acknowledged, 0,
        "acks=all + min.insync.replicas=2 loses nothing"
    );
    assert!(
        all.failed >= unreplicated,
        "the unreplicated records were never acknowledged: their producer got errors"
    );
}

#[test]
fn not_enough_replicas_leaves_the_log_unchanged() {
    let mut w = cluster(3);
    topic(&mut w, "orders", 1, 2, 2, false);
    let f = w.partition_replicas("orders", 0).unwrap().replicas[1].broker_id;
    produce_to(&mut w, "orders", 0, "before");
    next_fetch(&mut w);
    assert_eq!(w.durability("orders").acknowledged, 1);
    // (If the follower is also the active controller, a new one is elected first.)
    let wait = if w.active_controller() == Some(f) {
        4_000
    } else {
        0
    };
    crash(&mut w, f);
    w.tick(SESSION_MS + wait + 1);
    assert_eq!(isr(&w, "orders", 0).len(), 1);
    let log_before = w.topic("orders").unwrap().partitions[0].clone();
    let ev = produce_to(&mut w, "orders", 0, "refused");
    assert!(
        matches!(&ev[..], [Event::ProduceFailed { error, records: 1, acks: Acks::All, .. }] if error == "NOT_ENOUGH_REPLICAS")
    );
    assert_eq!(w.topic("orders").unwrap().partitions[0], log_before);
    assert_eq!(w.durability("orders").failed, 1);
    // acks=1 does not look at min.insync.replicas.
    acks(&mut w, "orders", Acks::One);
    assert!(matches!(
        &produce_to(&mut w, "orders", 0, "ok")[0],
        Event::RecordProduced { .. }
    ));
}

#[test]
fn a_restarted_broker_catches_up_and_rejoins_the_isr() {
    let mut w = cluster(3);
    topic(&mut w, "orders", 1, 3, 1, false);
    let f = follower(&w, "orders", 0);
    crash(&mut w, f);
    w.tick(SESSION_MS + 1);
    assert_eq!(isr(&w, "orders", 0).len(), 2);
    burst(&mut w, "orders", 100);
    let seq = w.next_event_seq();
    restart(&mut w, f);
    w.tick(1);
    assert!(events_since(&w, seq)
        .iter()
        .any(|e| matches!(e, Event::BrokerUnfenced { broker_id, .. } if *broker_id == f)));
    next_fetch(&mut w);
    let r = w.partition_replicas("orders", 0).unwrap();
    assert_eq!(r.replica(f).unwrap().log_end_offset, 100);
    assert_eq!(r.isr.len(), 3);
    assert!(events_since(&w, seq)
        .iter()
        .any(|e| matches!(e, Event::IsrExpanded { broker_id, .. } if *broker_id == f)));
}

#[test]
fn a_controlled_shutdown_moves_leaders_first_so_producers_never_wait() {
    let mut w = cluster(3);
    topic(&mut w, "orders", 3, 3, 2, false);
    let b = leader(&w, "orders", 0).unwrap();
    let ev = w
        .apply(Command::StopBroker(BrokerRef { broker_id: b }))
        .unwrap();
    assert!(matches!(
        ev[0],
        Event::BrokerStopped {
            controlled: true,
            leaders_moved: 1,
            ..
        }
    ));
    assert_ne!(leader(&w, "orders", 0), Some(b));
    assert!(matches!(
        &produce_to(&mut w, "orders", 0, "x")[0],
        Event::RecordProduced { .. }
    ));
}

#[test]
fn leadership_returns_to_the_preferred_replica_after_a_restart() {
    let mut w = World::new(WorldConfig {
        seed: 5,
        brokers: 3,
        broker_session_timeout_ms: SESSION_MS,
        leader_imbalance_check_interval_ms: 30_000,
        ..Default::default()
    })
    .unwrap();
    topic(&mut w, "orders", 3, 3, 1, false);
    let preferred = leader(&w, "orders", 0).unwrap();
    crash(&mut w, preferred);
    w.tick(SESSION_MS + 1);
    assert_ne!(leader(&w, "orders", 0), Some(preferred));
    restart(&mut w, preferred);
    w.tick(1_000);
    assert_ne!(
        leader(&w, "orders", 0),
        Some(preferred),
        "not until the next check"
    );
    w.advance_to(30_000);
    assert_eq!(leader(&w, "orders", 0), Some(preferred));
    let preferred_elections = w
        .events()
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::LeaderElected {
                    election: LeaderElection::Preferred,
                    ..
                }
            )
        })
        .count();
    assert!(preferred_elections >= 1);
}

#[test]
fn kafka_leader_election_preferred_and_unclean_on_demand() {
    let mut w = World::new(WorldConfig {
        auto_leader_rebalance_enable: false,
        ..cluster_with_one_voter(3).config().clone()
    })
    .unwrap();
    topic(&mut w, "orders", 3, 2, 1, false);
    let p = partition_without(&w, "orders", 1);
    let r = w.partition_replicas("orders", p).unwrap().clone();
    let (l, f) = (r.replicas[0].broker_id, r.replicas[1].broker_id);
    w.apply(Command::StopBroker(BrokerRef { broker_id: l }))
        .unwrap();
    assert_eq!(leader(&w, "orders", p), Some(f));
    restart(&mut w, l);
    w.tick(200);
    assert_eq!(leader(&w, "orders", p), Some(f), "auto rebalance is off");
    w.apply(Command::ElectLeaders {
        election: ElectionType::Preferred,
        topic: None,
    })
    .unwrap();
    assert_eq!(leader(&w, "orders", p), Some(l));
    // Both down; the out-of-sync follower returns; an explicit unclean election uses it.
    crash(&mut w, f);
    w.tick(SESSION_MS + 1);
    crash(&mut w, l);
    w.tick(SESSION_MS + 1);
    restart(&mut w, f);
    w.tick(10);
    assert_eq!(leader(&w, "orders", p), None);
    w.apply(Command::ElectLeaders {
        election: ElectionType::Unclean,
        topic: Some("orders".into()),
    })
    .unwrap();
    assert_eq!(leader(&w, "orders", p), Some(f));
}

// ----- the controller quorum ---------------------------------------------------------------

#[test]
fn without_a_controller_quorum_no_leader_is_elected() {
    let mut w = cluster(3);
    topic(&mut w, "orders", 3, 3, 1, false);
    assert_eq!(w.controller_quorum().voters, vec![1, 2, 3]);
    let led_by_3: Vec<u32> = (0..3)
        .filter(|&p| leader(&w, "orders", p) == Some(3))
        .collect();
    assert!(!led_by_3.is_empty());
    crash(&mut w, 2);
    let seq = w.next_event_seq();
    crash(&mut w, 3);
    assert_eq!(w.active_controller(), None, "1 of 3 voters is no majority");
    assert!(events_since(&w, seq).iter().any(|e| matches!(
        e,
        Event::ControllerUnavailable {
            alive_voters: 1,
            voters: 3
        }
    )));
    w.tick(60_000);
    for &p in &led_by_3 {
        assert_eq!(leader(&w, "orders", p), Some(3), "nobody fences broker 3");
    }
    assert!(w
        .apply(Command::CreateTopic {
            name: "new".into(),
            partitions: 1,
            config: TopicConfig::default(),
        })
        .unwrap_err()
        .0
        .contains("no active controller"));
    // A second voter returns: a majority again, a controller, then elections.
    restart(&mut w, 2);
    w.tick(2_000);
    let controller = w.active_controller().expect("quorum restored");
    assert!(controller == 1 || controller == 2);
    w.tick(SESSION_MS + 1);
    for &p in &led_by_3 {
        let l = leader(&w, "orders", p).unwrap();
        assert!(l == 1 || l == 2, "P{p} led by {l}");
    }
    w.check_invariants().unwrap();
}

#[test]
fn a_crashed_active_controller_is_replaced_after_the_quorum_fetch_timeout() {
    let mut w = cluster(3);
    assert_eq!(w.active_controller(), Some(1));
    let epoch = w.controller_quorum().epoch;
    crash(&mut w, 1);
    w.tick(1_999);
    assert_eq!(w.active_controller(), None);
    w.tick(1_001);
    let c = w.active_controller().unwrap();
    assert!(c == 2 || c == 3);
    assert_eq!(w.controller_quorum().epoch, epoch + 1);
}

// ----- the group coordinator ---------------------------------------------------------------

#[test]
fn the_coordinator_is_the_leader_of_abs_hashcode_mod_50_and_moves_when_its_broker_dies() {
    let mut w = cluster(3);
    topic(&mut w, "orders", 3, 3, 1, false);
    assert_eq!(partition_for("billing", 50), 9); // "billing".hashCode() = -109829509
    for c in ["c1", "c2"] {
        w.apply(Command::AddConsumer {
            client_id: c.into(),
            group: "billing".into(),
            topics: vec!["orders".into()],
            config: fast_consumer(),
        })
        .unwrap();
    }
    assert_eq!(w.offsets_partition_for("billing"), 9);
    let coordinator = w.coordinator_of("billing").unwrap();
    assert_eq!(
        Some(coordinator),
        w.cluster().offsets_topic()[9].leader,
        "coordinator = leader of __consumer_offsets-9"
    );
    burst(&mut w, "orders", 60);
    w.tick(6_000);
    let g = w.group("billing").unwrap();
    assert_eq!(g.state, GroupState::Stable);
    let generation = g.generation_id;
    let committed: u64 = g.committed.values().map(|c| c.offset).sum();
    assert_eq!(committed, 60);
    let seq = w.next_event_seq();
    crash(&mut w, coordinator);
    w.tick(SESSION_MS + 2_000);
    let moved = w.coordinator_of("billing").unwrap();
    assert_ne!(moved, coordinator);
    assert_eq!(Some(moved), w.cluster().offsets_topic()[9].leader);
    let events = events_since(&w, seq);
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::CoordinatorMoved { to: Some(t), .. } if *t == moved)));
    for c in ["c1", "c2"] {
        assert!(events
            .iter()
            .any(|e| matches!(e, Event::CoordinatorLost { client_id, .. } if client_id == c)));
        assert!(events.iter().any(|e| matches!(e, Event::CoordinatorFound { client_id, coordinator, .. } if client_id == c && *coordinator == moved)));
    }
    // The group kept its members, generation and committed offsets, and carries on.
    let g = w.group("billing").unwrap();
    assert_eq!(g.state, GroupState::Stable);
    assert_eq!(
        g.generation_id, generation,
        "no rebalance: members found the new coordinator"
    );
    let after: u64 = g.committed.values().map(|c| c.offset).sum();
    assert!(after >= 60);
    burst(&mut w, "orders", 30);
    w.tick(5_000);
    let g = w.group("billing").unwrap();
    let after: u64 = g.committed.values().map(|c| c.offset).sum();
    assert_eq!(after, 90, "commits go to the new coordinator");
    w.check_invariants().unwrap();
}

// ----- scenarios ---------------------------------------------------------------------------

fn scenario(name: &str) -> World {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("public/scenarios")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let s = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let w = s.run().unwrap_or_else(|e| panic!("{name}: {e}"));
    w.check_invariants().unwrap();
    w
}

/// `new` has every field of `old` with the same value (objects may gain fields).
fn extends(old: &serde_json::Value, new: &serde_json::Value, path: &str) -> Result<(), String> {
    use serde_json::Value;
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let Some(w) = b.get(k) else {
                    return Err(format!("{path}/{k} is missing"));
                };
                extends(v, w, &format!("{path}/{k}"))?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                extends(v, w, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ if old == new => Ok(()),
        _ => Err(format!("{path}: was {old}, now {new}")),
    }
}

#[test]
fn every_earlier_scenario_replays_to_the_same_numbers() {
    // tests/golden/*.json: `kafkascope replay` output captured before brokers existed.
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut n = 0;
    for entry in std::fs::read_dir(&golden).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let old: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let new = serde_json::to_value(WorldSummary::of(&scenario(&name))).unwrap();
        extends(&old, &new, &name).unwrap();
        n += 1;
    }
    assert!(n >= 8, "expected the earlier scenarios, found {n}");
}

#[test]
fn broker_dies_scenario_moves_leaders_and_the_coordinator() {
    let w = scenario("broker-dies.json");
    let s = WorldSummary::of(&w);
    assert_eq!(s.brokers.iter().filter(|b| b.state == "online").count(), 3);
    for p in &s.topics["orders"].partitions {
        assert!(p.leader.is_some(), "{p:?}");
        assert_eq!(p.isr.len(), 3, "the restarted broker caught up: {p:?}");
        assert_eq!(p.high_watermark, p.log_end_offset);
    }
    let elections = w
        .events()
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::LeaderElected {
                    leader: Some(_),
                    ..
                }
            )
        })
        .count();
    assert!(elections >= 1);
    assert!(w
        .events()
        .iter()
        .any(|e| matches!(e.event, Event::CoordinatorMoved { .. })));
    assert_eq!(s.topics["orders"].durability.lost_acknowledged, 0);
    assert_eq!(s.groups["billing"].state, "Stable");
    assert_eq!(s.groups["billing"].lag, 0);
}

#[test]
fn acks_and_durability_scenario_shows_acks1_losing_and_acks_all_not() {
    let s = WorldSummary::of(&scenario("acks-and-durability.json"));
    let (fast, safe) = (&s.topics["clicks-acks1"], &s.topics["payments-acks-all"]);
    assert_eq!(fast.acks, Acks::One);
    assert_eq!(safe.acks, Acks::All);
    assert!(
        fast.durability.lost_acknowledged > 0,
        "{:?}",
        fast.durability
    );
    assert_eq!(
        safe.durability.lost_acknowledged, 0,
        "{:?}",
        safe.durability
    );
}

#[test]
fn unclean_election_scenario_loses_acknowledged_records() {
    let w = scenario("unclean-election.json");
    let s = WorldSummary::of(&w);
    let t = &s.topics["metrics"];
    assert!(t.unclean_leader_election_enable);
    assert!(t.durability.lost_acknowledged > 0, "{:?}", t.durability);
    assert!(w.events().iter().any(|e| matches!(
        e.event,
        Event::LeaderElected {
            election: LeaderElection::Unclean,
            ..
        }
    )));
    // The consumer had read the lost records: it detects the truncation and goes back.
    assert!(w.events().iter().any(|e| matches!(
        &e.event,
        Event::PositionReset { client_id, reason, .. } if client_id == "d1" && reason.contains("KIP-320")
    )));
    assert_eq!(
        s.consumers["d1"].redelivered, 0,
        "new records at reused offsets are not duplicates"
    );
    assert_eq!(s.groups["dashboards"].lag, 0);
}

// ----- properties --------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Action {
    Burst(u32),
    Tick(u64),
    Crash(BrokerId),
    Stop(BrokerId),
    Restart(BrokerId),
}

fn action(r: [u32; 3]) -> Action {
    let b = 1 + r[1] % 3;
    match r[0] % 10 {
        0..=2 => Action::Burst(1 + r[2] % 50),
        3..=6 => Action::Tick(1 + (r[2] % 12_000) as u64),
        7 => Action::Crash(b),
        8 => Action::Stop(b),
        _ => Action::Restart(b),
    }
}

/// acks=all, RF 3, min.insync.replicas=2, at most one broker down at a time.
fn durable_run(seed: u64, actions: &[Action]) -> Result<(), String> {
    let mut w = World::new(WorldConfig {
        seed,
        brokers: 3,
        broker_session_timeout_ms: 3_000,
        leader_imbalance_check_interval_ms: 20_000,
        ..Default::default()
    })
    .unwrap();
    topic(&mut w, "t", 3, 3, 2, false);
    w.apply(Command::AddConsumer {
        client_id: "c".into(),
        group: "g".into(),
        topics: vec!["t".into()],
        config: fast_consumer(),
    })
    .unwrap();
    // offset → value of every record once committed (below the HW): they must never change.
    let mut committed: Vec<Vec<String>> = vec![Vec::new(); 3];
    let mut last_hw = [0u64; 3];
    for a in actions {
        let down = w.brokers().iter().filter(|b| !b.is_running()).count();
        let result = match *a {
            Action::Burst(n) => w
                .apply(Command::ProduceBurst {
                    topic: "t".into(),
                    count: n,
                    keys: KeySpec::None,
                    partitioner: PartitionerKind::RoundRobin,
                })
                .map(|_| ()),
            Action::Tick(ms) => {
                w.tick(ms);
                Ok(())
            }
            Action::Crash(b) | Action::Stop(b) if down > 0 => {
                let _ = b;
                Ok(())
            }
            Action::Crash(b) => w
                .apply(Command::CrashBroker(BrokerRef { broker_id: b }))
                .map(|_| ()),
            Action::Stop(b) => w
                .apply(Command::StopBroker(BrokerRef { broker_id: b }))
                .map(|_| ()),
            Action::Restart(b) => {
                let before = w.clone();
                let r = w
                    .apply(Command::RestartBroker(BrokerRef { broker_id: b }))
                    .map(|_| ());
                if r.is_err() && w != before {
                    return Err("a refused restart changed the state".into());
                }
                Ok(())
            }
        };
        result.map_err(|e| format!("{a:?}: {e}"))?;
        w.check_invariants()?;
        let t = w.topic("t").unwrap();
        for p in 0..3 {
            let h = t.replicas[p].high_watermark;
            if h < last_hw[p] {
                return Err(format!("P{p}: HW went back {} → {h}", last_hw[p]));
            }
            last_hw[p] = h;
            let log = &t.partitions[p];
            for (o, v) in committed[p].iter().enumerate() {
                match log.get(o as u64) {
                    Some(r) if r.value == v => {}
                    other => {
                        return Err(format!("P{p}@{o}: committed {v:?}, now {other:?}"));
                    }
                }
            }
            for o in committed[p].len() as u64..h {
                committed[p].push(log.get(o).unwrap().value.to_string());
            }
        }
        let c = w.consumer("c").unwrap();
        for (tp, &pos) in &c.positions {
            let h = t.replicas[tp.partition as usize].high_watermark;
            if pos > h {
                return Err(format!("consumer position {pos} beyond HW {h}"));
            }
        }
        let d = w.durability("t");
        if d.lost_acknowledged > 0 {
            return Err(format!("acknowledged records lost: {d:?}"));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(32),
        ..ProptestConfig::default()
    })]

    #[test]
    fn acks_all_with_min_insync_2_never_loses_an_acknowledged_record(
        seed in any::<u64>(),
        raw in prop::collection::vec(any::<[u32; 3]>(), 1..40),
    ) {
        let actions: Vec<Action> = raw.into_iter().map(action).collect();
        if let Err(e) = durable_run(seed, &actions) {
            prop_assert!(false, "{}", e);
        }
    }
}

fn chaos_action(r: [u32; 4]) -> Command {
    let b = 1 + r[1] % 5; // broker 5 may not exist yet
    let t = ["a", "b"][r[2] as usize % 2].to_string();
    match r[0] % 14 {
        0 | 1 => Command::ProduceBurst {
            topic: t,
            count: 1 + r[3] % 80,
            keys: KeySpec::Set {
                prefix: "k".into(),
                count: 7,
            },
            partitioner: PartitionerKind::Default,
        },
        2 => Command::CrashBroker(BrokerRef { broker_id: b }),
        3 => Command::StopBroker(BrokerRef { broker_id: b }),
        4 | 5 => Command::RestartBroker(BrokerRef { broker_id: b }),
        6 => Command::AddBroker,
        7 => Command::SetAcks {
            topic: Some(t),
            acks: [Acks::Zero, Acks::One, Acks::All][r[3] as usize % 3],
        },
        8 => Command::SetTopicConfig {
            topic: t,
            config: TopicConfig {
                min_insync_replicas: 1 + r[3] % 3,
                unclean_leader_election_enable: r[3].is_multiple_of(2),
                ..Default::default()
            },
        },
        9 => Command::ElectLeaders {
            election: if r[3].is_multiple_of(2) {
                ElectionType::Preferred
            } else {
                ElectionType::Unclean
            },
            topic: None,
        },
        10 => Command::AddConsumer {
            client_id: format!("c{}", r[3] % 3),
            group: "g".into(),
            topics: vec!["a".into(), "b".into()],
            config: fast_consumer(),
        },
        11 => Command::CrashConsumer {
            client_id: format!("c{}", r[3] % 3),
        },
        12 => Command::SetAutoProduce {
            topic: t,
            rate_per_s: [0, 300][r[3] as usize % 2],
            keys: KeySpec::None,
            partitioner: PartitionerKind::Default,
        },
        _ => Command::AddPartitions {
            topic: t,
            partitions: 3 + r[3] % 3,
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(32),
        ..ProptestConfig::default()
    })]

    /// Whatever fails in whatever order — brokers, the quorum, unclean elections, acks=0 —
    /// the replication invariants hold and a refused command changes nothing.
    #[test]
    fn cluster_invariants_hold_under_random_failures(
        seed in any::<u64>(),
        raw in prop::collection::vec((any::<[u32; 4]>(), 1u64..6_000), 1..50),
    ) {
        let mut w = World::new(WorldConfig {
            seed,
            brokers: 4,
            broker_session_timeout_ms: 2_000,
            replica_lag_time_max_ms: 5_000,
            leader_imbalance_check_interval_ms: 7_000,
            ..Default::default()
        })
        .unwrap();
        topic(&mut w, "a", 3, 3, 2, false);
        topic(&mut w, "b", 2, 2, 1, true);
        for (r, ms) in raw {
            let before = w.clone();
            if let Err(e) = w.apply(chaos_action(r)) {
                prop_assert!(w == before, "refused command changed the state: {}", e);
            }
            w.check_invariants().map_err(TestCaseError::fail)?;
            w.tick(ms);
            w.check_invariants().map_err(TestCaseError::fail)?;
        }
    }
}

#[test]
fn the_cluster_commands_read_from_scenario_json() {
    let json = r#"{"version": 1, "seed": 4,
        "world": {"brokers": 3, "default_replication_factor": 2, "replica_fetch_interval_ms": 20},
        "topics": [{"name": "t", "partitions": 2, "config": {"min_insync_replicas": 2, "unclean_leader_election_enable": true}}],
        "commands": [
            {"at_ms": 0, "type": "set_acks", "acks": "1"},
            {"at_ms": 0, "type": "set_acks", "topic": "t", "acks": "-1"},
            {"at_ms": 10, "type": "add_broker"},
            {"at_ms": 20, "type": "crash_broker", "broker_id": 2},
            {"at_ms": 30, "type": "stop_broker", "broker_id": 4},
            {"at_ms": 40, "type": "restart_broker", "broker_id": 2},
            {"at_ms": 50, "type": "restart_broker", "broker_id": 4},
            {"at_ms": 60, "type": "elect_leaders", "election": "preferred"},
            {"at_ms": 70, "type": "elect_leaders", "election": "unclean", "topic": "t"}
        ],
        "run_until_ms": 1000}"#;
    let s = Scenario::from_json(json).unwrap();
    assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s, "round trip");
    let w = s.run().unwrap();
    assert_eq!(w.brokers().len(), 4);
    assert_eq!(w.acks_for("t"), Acks::All);
    assert_eq!(w.topic("t").unwrap().replication_factor(), 2);
    let summary = serde_json::to_value(WorldSummary::of(&w)).unwrap();
    assert_eq!(summary["topics"]["t"]["acks"], "all");
    assert_eq!(summary["topics"]["t"]["min_insync_replicas"], 2);
    assert_eq!(summary["brokers"][3]["id"], 4);
    assert_eq!(
        summary["controller"]["voters"],
        serde_json::json!([1, 2, 3])
    );
    let e = Scenario::from_json(&json.replace("\"broker_id\": 2}", "\"broker_id\": 9}"))
        .unwrap()
        .run()
        .unwrap_err();
    assert!(e.contains("broker 9 does not exist"), "{e}");
}
