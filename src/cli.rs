//! The native CLI: the headless twin of the page, used by tests, course authors and outside
//! tools. JSON in on stdin (or a file for `replay`), JSON out on stdout; on bad input a message
//! on stderr and exit code 2. This contract is stable: extend it, don't change it.
//!
//! ```text
//! kafkascope partition        {"partitions": 6, "keys": ["user-1", "order-42", ""]}  → [p0, p1, p2]
//! kafkascope assign --strategy range|roundrobin|sticky|cooperative-sticky
//!                             {"topics": {"orders": 3}, "members": [{"id": "c1", "topics": ["orders"],
//!                              "owned": {"orders": [0, 1]}, "generation": 1}]}       → {"c1": {"orders": [0, 1, 2]}}
//! kafkascope replay FILE.json → final state: per partition log start / end offsets; per group
//!                               state, generation, members and assignments, committed offsets, lag
//!                               (+ per partition replicas, leader, leader_epoch, isr, high_watermark,
//!                               replica_log_end_offsets; per topic replication_factor,
//!                               min_insync_replicas, unclean_leader_election_enable, acks, durability;
//!                               per group coordinator, offsets_partition; brokers; controller)
//! ```

use crate::sim::assignor::{self, AssignorKind, Subscription, TopicPartition};
use crate::sim::partitioner::murmur2;
use crate::sim::scenario::Scenario;
use crate::sim::summary::WorldSummary;
use crate::sim::vecmap::VecMap;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;

const USAGE: &str = "usage:
  kafkascope partition                 < {\"partitions\": N, \"keys\": [\"k1\", ...]}
  kafkascope assign --strategy S       < {\"topics\": {\"t\": N}, \"members\": [{\"id\": \"c1\", \"topics\": [\"t\"]}]}
                                         S = range | roundrobin | sticky | cooperative-sticky
  kafkascope replay FILE.json          (a scenario file; `-` reads stdin)";

/// Runs the CLI; returns the process exit code.
pub fn main(args: Vec<String>) -> i32 {
    match run(&args, &mut std::io::stdin()) {
        Ok(out) => {
            // A closed pipe (`kafkascope replay x.json | head`) is not an error worth a panic.
            use std::io::Write;
            let _ = writeln!(std::io::stdout().lock(), "{out}");
            0
        }
        Err(msg) => {
            eprintln!("kafkascope: {msg}");
            2
        }
    }
}

/// The CLI without the process around it (testable): `Ok(stdout)` or `Err(stderr message)`.
pub fn run(args: &[String], stdin: &mut dyn Read) -> Result<String, String> {
    let read_stdin = |stdin: &mut dyn Read| -> Result<String, String> {
        let mut s = String::new();
        stdin
            .take(64 * 1024 * 1024)
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        Ok(s)
    };
    match args.first().map(String::as_str) {
        Some("partition") if args.len() == 1 => partition(&read_stdin(stdin)?),
        Some("assign") => {
            let strategy = match &args[1..] {
                [flag, s] if flag == "--strategy" => s.as_str(),
                [s] if s.starts_with("--strategy=") => &s["--strategy=".len()..],
                _ => return Err(format!("assign needs --strategy S\n{USAGE}")),
            };
            let kind = AssignorKind::parse(strategy)?;
            assign(kind, &read_stdin(stdin)?)
        }
        Some("replay") if args.len() == 2 => {
            let text = if args[1] == "-" {
                read_stdin(stdin)?
            } else {
                std::fs::read_to_string(&args[1])
                    .map_err(|e| format!("cannot read {}: {e}", args[1]))?
            };
            replay(&text)
        }
        Some("--help") | Some("-h") | Some("help") => Ok(USAGE.to_string()),
        _ => Err(format!("unknown or incomplete command\n{USAGE}")),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartitionInput {
    partitions: u32,
    keys: Vec<String>,
}

fn partition(input: &str) -> Result<String, String> {
    let inp: PartitionInput =
        serde_json::from_str(input).map_err(|e| format!("partition input: {e}"))?;
    if inp.partitions == 0 || inp.partitions > i32::MAX as u32 {
        return Err("partition input: partitions must be between 1 and 2147483647".into());
    }
    let out: Vec<u32> = inp
        .keys
        .iter()
        .map(|k| murmur2::partition_for_key(k.as_bytes(), inp.partitions))
        .collect();
    Ok(serde_json::to_string(&out).expect("json"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignMember {
    id: String,
    topics: Vec<String>,
    #[serde(default)]
    owned: BTreeMap<String, Vec<u32>>,
    #[serde(default)]
    generation: Option<i32>,
    #[serde(default)]
    group_instance_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignInput {
    topics: BTreeMap<String, u32>,
    members: Vec<AssignMember>,
}

fn assign(kind: AssignorKind, input: &str) -> Result<String, String> {
    let inp: AssignInput = serde_json::from_str(input).map_err(|e| format!("assign input: {e}"))?;
    if inp.members.len() > 10_000 {
        return Err("assign input: at most 10000 members".into());
    }
    let mut seen = std::collections::BTreeSet::new();
    for m in &inp.members {
        if !seen.insert(&m.id) {
            return Err(format!(
                "assign input: member id \"{}\" appears twice",
                m.id
            ));
        }
    }
    for (t, &n) in &inp.topics {
        if n > 1_000_000 {
            return Err(format!(
                "assign input: topic {t} has too many partitions ({n})"
            ));
        }
    }
    let subs: Vec<Subscription> = inp
        .members
        .iter()
        .map(|m| Subscription {
            member_id: m.id.clone(),
            group_instance_id: m.group_instance_id.clone(),
            topics: m.topics.clone(),
            owned_partitions: m
                .owned
                .iter()
                .flat_map(|(t, ps)| TopicPartition::each_of(t, ps.iter().copied()))
                .collect(),
            generation: m.generation,
        })
        .collect();
    let topics: VecMap<String, u32> = inp.topics.iter().map(|(t, &n)| (t.clone(), n)).collect();
    let result = assignor::assign(kind, &topics, &subs);
    let mut out: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for m in &inp.members {
        let mut per_topic: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for tp in result.get(&m.id).into_iter().flatten() {
            per_topic
                .entry(tp.topic.to_string())
                .or_default()
                .push(tp.partition);
        }
        for ps in per_topic.values_mut() {
            ps.sort_unstable();
        }
        out.insert(m.id.clone(), per_topic);
    }
    Ok(serde_json::to_string(&out).expect("json"))
}

fn replay(text: &str) -> Result<String, String> {
    let scenario = Scenario::from_json(text)?;
    let world = scenario.run()?;
    Ok(serde_json::to_string_pretty(&WorldSummary::of(&world)).expect("json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str], stdin: &str) -> Result<String, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        run(&args, &mut stdin.as_bytes())
    }

    #[test]
    fn partition_contract() {
        let out = cli(
            &["partition"],
            r#"{"partitions": 3, "keys": ["A", "B", "user-1", ""]}"#,
        );
        assert_eq!(out.unwrap(), "[1,1,2,0]");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(cli(&["partition"], "{")
            .unwrap_err()
            .contains("partition input"));
        assert!(cli(&["partition"], r#"{"partitions":0,"keys":[]}"#).is_err());
        assert!(cli(&["assign", "--strategy", "nope"], "{}").is_err());
        assert!(cli(&["frobnicate"], "").unwrap_err().contains("usage"));
    }
}
