//! Every guided lesson runs from its first step to its last: each "Do it for me" is accepted
//! by the simulator and each step's condition comes true within a bounded virtual time.
#![cfg(not(target_arch = "wasm32"))] // native only

use kafkascope::course::lessons::{lesson, LESSONS};
use kafkascope::course::presets::{preset, PRESETS};
use kafkascope::course::saved::restore;
use kafkascope::sim::assignor::TopicPartition;
use kafkascope::sim::World;

/// Longest a step may take to complete, in virtual ms.
const STEP_LIMIT_MS: u64 = 120_000;

/// Runs a lesson with "Do it for me" at every step; returns the world after each step.
fn run(id: &str) -> Vec<World> {
    run_partial(id, usize::MAX)
}

fn run_partial(id: &str, steps: usize) -> Vec<World> {
    let l = lesson(id).unwrap();
    let mut w = restore(&l.scenario(), 0, None).unwrap().world;
    let mut after = Vec::new();
    for (i, step) in l.steps.iter().enumerate().take(steps) {
        if let Some(p) = &step.predict {
            let choices = (p.choices)(&w);
            let answer = (p.answer)(&w);
            assert!(answer < choices.len(), "{id} step {i}: answer out of range");
        }
        if let Some(act) = &step.act {
            for c in (act.commands)(&w) {
                let kind = c.kind();
                w.apply(c)
                    .unwrap_or_else(|e| panic!("{id} step {i} ({}): {kind}: {e}", step.title));
            }
        }
        if let Some(done) = step.done {
            let start = w.now_ms();
            while !done(&w) {
                assert!(
                    w.now_ms() - start < STEP_LIMIT_MS,
                    "{id} step {i} ({}) not done after {STEP_LIMIT_MS} ms",
                    step.title
                );
                w.tick(100);
            }
        }
        w.check_invariants().unwrap();
        after.push(w.clone());
    }
    after
}

#[test]
fn every_lesson_runs_from_first_step_to_last() {
    assert_eq!(
        LESSONS.len(),
        12,
        "the nine lessons of the course and three on the cluster"
    );
    for l in LESSONS {
        assert!(!l.steps.is_empty());
        let worlds = run(l.id);
        assert_eq!(worlds.len(), l.steps.len());
    }
}

#[test]
fn every_preset_loads_and_runs_to_its_end() {
    for (id, _) in PRESETS {
        let s = preset(id).unwrap();
        let w = s.run().unwrap_or_else(|e| panic!("{id}: {e}"));
        w.check_invariants().unwrap();
    }
    assert!(preset("../etc/passwd").unwrap_err().contains("no preset"));
}

#[test]
fn lesson_two_range_gives_c2_p2_then_one_idle_of_four() {
    let worlds = run("consumer-groups");
    let assignment = |w: &World, c: &str| {
        let g = w.group("billing").unwrap();
        let m = g.members.values().find(|m| m.client_id == c).unwrap();
        m.assignment
            .iter()
            .map(|tp| tp.partition)
            .collect::<Vec<_>>()
    };
    // The predict answer of step 1 ("P2") is what the world shows.
    assert_eq!(assignment(&worlds[0], "c1"), vec![0, 1]);
    assert_eq!(assignment(&worlds[0], "c2"), vec![2]);
    let g = worlds[3].group("billing").unwrap();
    let idle = g
        .members
        .values()
        .filter(|m| m.assignment.is_empty())
        .count();
    assert_eq!(idle, 1);
}

#[test]
fn lesson_one_keys_a_b_c_all_land_in_p1() {
    let worlds = run("first-topic");
    let l = lesson("first-topic").unwrap();
    let last = worlds.last().unwrap();
    let predict = l.steps[4].predict.as_ref().unwrap();
    assert_eq!((predict.answer)(last), 1, "A, B, C → P1 (KAFKA_NOTES)");
    assert_eq!(last.partition_for_key("orders", "A"), Some(1));
}

#[test]
fn lesson_three_round_robin_puts_m4_in_p0() {
    let worlds = run("round-robin-vs-keyed");
    let t = worlds[0].topic("messages").unwrap();
    let m4 = t.partitions[0]
        .range(0, t.partitions[0].log_end_offset())
        .any(|r| r.value == "M4");
    assert!(m4);
}

#[test]
fn lesson_six_redelivers_what_was_processed_but_not_committed() {
    let worlds = run("crash-redelivery");
    let last = worlds.last().unwrap();
    let g = last.group("payments-service").unwrap();
    let tp = TopicPartition::new("payments", 0);
    assert!(g.processed_high[&tp] > 0);
    assert!(
        last.consumers()
            .values()
            .map(|c| c.redelivered)
            .sum::<u64>()
            > 0
    );
}

#[test]
fn lesson_six_leaves_a_slow_reader_work_in_flight_to_crash() {
    // A learner reads step 3 for 20 s before pressing "Crash the owner": the owner must still
    // have processed-but-uncommitted payments, or the step could never complete.
    let l = lesson("crash-redelivery").unwrap();
    let mut w = run_partial("crash-redelivery", 2).pop().unwrap();
    w.tick(20_000);
    let crash = &l.steps[2];
    for c in (crash.act.as_ref().unwrap().commands)(&w) {
        w.apply(c).unwrap();
    }
    let start = w.now_ms();
    while !(crash.done.unwrap())(&w) {
        assert!(
            w.now_ms() - start < STEP_LIMIT_MS,
            "no redelivery after a 20 s pause"
        );
        w.tick(100);
    }
}

#[test]
fn unknown_lesson_names_the_known_ones() {
    let e = lesson("nope").err().unwrap();
    assert!(
        e.contains("first-topic") && e.contains("kafka-vs-queue"),
        "{e}"
    );
}

#[test]
fn every_preset_has_a_menu_title() {
    use kafkascope::course::presets::PRESET_TITLES;
    assert_eq!(PRESET_TITLES.len(), PRESETS.len());
}

#[test]
fn lesson_eleven_acks_1_loses_acknowledged_records_and_acks_all_does_not() {
    let worlds = run("acks");
    let last = worlds.last().unwrap();
    assert!(last.durability("clicks-acks1").lost_acknowledged > 0);
    assert_eq!(last.durability("payments-acks-all").lost_acknowledged, 0);
}

#[test]
fn lesson_ten_leadership_moves_off_the_crashed_broker_and_comes_back_in_sync() {
    let worlds = run("broker-dies");
    let crashed = &worlds[1];
    for p in 0..3 {
        let r = crashed.partition_replicas("orders", p).unwrap();
        assert_ne!(r.leader, Some(2));
        assert!(
            r.isr.contains(&r.leader.unwrap()),
            "the new leader was in sync"
        );
    }
    let back = worlds.last().unwrap();
    assert!((0..3).all(|p| back.partition_replicas("orders", p).unwrap().isr.len() == 3));
}
