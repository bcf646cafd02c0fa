//! Every shipped scenario in `public/scenarios/` loads, replays, and ends where its lesson
//! says it ends.
#![cfg(not(target_arch = "wasm32"))] // native only: processes, files, proptest

use kafkascope::sim::scenario::Scenario;
use kafkascope::sim::summary::WorldSummary;
use std::path::Path;

fn run(name: &str) -> WorldSummary {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("public/scenarios")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let scenario = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let world = scenario.run().unwrap_or_else(|e| panic!("{name}: {e}"));
    world.check_invariants().unwrap();
    WorldSummary::of(&world)
}

fn assignment(s: &WorldSummary, group: &str, client: &str) -> Vec<u32> {
    s.groups[group]
        .members
        .iter()
        .find(|m| m.client_id == client)
        .map(|m| m.assignment.values().flatten().copied().collect())
        .unwrap_or_default()
}

#[test]
fn every_shipped_scenario_loads_and_replays() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("public/scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") && !path.ends_with("stress.json") {
            run(path.file_name().unwrap().to_str().unwrap());
            n += 1;
        }
    }
    assert!(n >= 7, "expected the course's scenarios, found {n}");
}

#[test]
fn first_topic_shows_key_skew() {
    let s = run("first-topic.json");
    let leo: Vec<u64> = s.topics["orders"]
        .partitions
        .iter()
        .map(|p| p.log_end_offset)
        .collect();
    // user-1 ×2, user-2, user-3 → P2 (4); A, B, C → P1 (3); user-4, user-5 → P0 and P2.
    assert_eq!(leo.iter().sum::<u64>(), 9);
    assert!(leo[1] >= 3 && leo[2] >= 4, "{leo:?}");
}

#[test]
fn consumer_group_scaling_ends_with_idle_consumers() {
    let s = run("consumer-group-scaling.json");
    let g = &s.groups["billing"];
    assert_eq!(g.state, "Stable");
    assert_eq!(g.members.len(), 4, "c1, c3, c4, c5 (c2 left)");
    let busy = g
        .members
        .iter()
        .filter(|m| !m.assignment.is_empty())
        .count();
    assert_eq!(busy, 3, "3 partitions → 3 busy consumers, one idle");
    assert!(s.consumers["c5"].idle || s.consumers["c4"].idle || s.consumers["c3"].idle);
}

#[test]
fn round_robin_then_keyed_then_more_partitions() {
    let s = run("round-robin-vs-keyed.json");
    let leo: Vec<u64> = s.topics["messages"]
        .partitions
        .iter()
        .map(|p| p.log_end_offset)
        .collect();
    assert_eq!(leo.len(), 4);
    assert_eq!(leo.iter().sum::<u64>(), 9);
}

#[test]
fn fan_out_every_group_reads_every_order() {
    let s = run("fan-out.json");
    let worked: u64 = ["worker-1", "worker-2", "worker-3"]
        .iter()
        .map(|c| s.consumers[*c].records_processed)
        .sum();
    assert_eq!(worked, 60);
    for c in ["inventory-1", "billing-1", "email-1"] {
        assert_eq!(s.consumers[c].records_processed, 60, "{c}");
    }
}

#[test]
fn crash_redelivery_shows_duplicates() {
    let s = run("crash-redelivery.json");
    assert_eq!(assignment(&s, "payments-service", "c2"), vec![0]);
    assert!(
        s.consumers["c2"].redelivered > 0,
        "c2 processed c1's uncommitted records again"
    );
    assert_eq!(s.groups["payments-service"].lag, 0);
}

#[test]
fn retention_replay_moves_log_start_and_replays() {
    let s = run("retention-replay.json");
    for p in &s.topics["clicks"].partitions {
        assert!(p.log_start_offset > 0, "retention deleted segments: {p:?}");
    }
    assert_eq!(s.groups["analytics"].state, "Stable");
    assert_eq!(
        s.consumers["a1"].redelivered, 0,
        "a reset is a replay, not a redelivery"
    );
}

#[test]
fn eager_and_cooperative_reach_balanced_assignments() {
    let s = run("eager-vs-cooperative.json");
    for (g, members) in [
        ("eager", ["e1", "e2", "e3"]),
        ("cooperative", ["k1", "k2", "k3"]),
    ] {
        assert_eq!(s.groups[g].state, "Stable", "{g}");
        for m in members {
            assert_eq!(assignment(&s, g, m).len(), 2, "{g}/{m}");
        }
    }
    // Cooperative needs a second rebalance to hand out the moved partitions.
    assert!(s.groups["cooperative"].generation > s.groups["eager"].generation);
}
