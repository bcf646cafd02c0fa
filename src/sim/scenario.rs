//! Scenarios: a seed, a starting setup and a timed list of commands, as versioned JSON.
//!
//! Course authors write them by hand (examples in `public/scenarios/`), share links carry
//! them, and the CLI replays them. Loading is strict: an unknown field, a wrong type, an
//! unsupported version or a command the world refuses gives one message naming the place
//! and the reason — never a panic.
//!
//! ```json
//! { "version": 1, "name": "Two consumers", "seed": 7,
//!   "topics":    [{ "name": "orders", "partitions": 3 }],
//!   "groups":    [{ "group": "billing", "assignor": "range" }],
//!   "consumers": [{ "client_id": "c1", "group": "billing", "topics": ["orders"] }],
//!   "commands":  [{ "at_ms": 4000, "type": "produce", "topic": "orders", "key": "user-1" }],
//!   "run_until_ms": 10000 }
//! ```
//!
//! A cluster (all optional; one broker by default): `"world": { "brokers": 3,
//! "default_replication_factor": 3 }`, per topic `"config": { "replication_factor": 3,
//! "min_insync_replicas": 2, "unclean_leader_election_enable": false }`, and commands
//! `stop_broker` / `crash_broker` / `restart_broker` (`"broker_id": 2`), `add_broker`,
//! `set_acks` (`"acks": "0" | "1" | "all"`, optional `"topic"`) and `elect_leaders`
//! (`"election": "preferred" | "unclean"`, optional `"topic"`).

use crate::sim::assignor::AssignorKind;
use crate::sim::command::{Command, TimedCommand};
use crate::sim::consumer::ConsumerConfig;
use crate::sim::topic::TopicConfig;
use crate::sim::world::{World, WorldConfig};
use serde::{Deserialize, Serialize};

/// The scenario format version this build reads and writes.
pub const SCENARIO_VERSION: u32 = 1;
/// Longest virtual run a scenario may ask for (1 hour).
pub const MAX_RUN_MS: u64 = 3_600_000;
/// Most commands in one scenario.
pub const MAX_COMMANDS: usize = 100_000;
/// Largest scenario text accepted.
pub const MAX_SCENARIO_BYTES: usize = 4 * 1024 * 1024;

/// Only the version of a scenario (or of a saved session's scenario): read first, so a file
/// from a newer kafkascope gets a clear message rather than an error about some field.
#[derive(Deserialize)]
struct VersionOnly {
    version: Option<serde_json::Number>,
}

fn unsupported_version(v: impl std::fmt::Display) -> String {
    format!("version: unsupported scenario version {v}; this kafkascope reads version {SCENARIO_VERSION}")
}

fn check_version(text: &str) -> Result<(), String> {
    let v: VersionOnly = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    match v.version {
        Some(v) if v.as_u64() == Some(SCENARIO_VERSION as u64) => Ok(()),
        Some(v) => Err(unsupported_version(v)),
        None => Err("version: missing field (expected \"version\": 1)".into()),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    pub name: String,
    pub partitions: u32,
    #[serde(default)]
    pub config: TopicConfig,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub group: String,
    pub assignor: AssignorKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumerSpec {
    pub client_id: String,
    pub group: String,
    pub topics: Vec<String>,
    #[serde(default)]
    pub config: ConsumerConfig,
}

/// World settings a scenario may override (the seed is a top-level field).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorldSettings {
    pub initial_rebalance_delay_ms: Option<u64>,
    pub sync_latency_ms: Option<u64>,
    pub retention_check_interval_ms: Option<u64>,
    pub max_retained_records_per_partition: Option<u64>,
    pub batch_size: Option<u64>,
    pub lag_sample_interval_ms: Option<u64>,
    /// The cluster (see [`WorldConfig`] for each knob's Kafka name and default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brokers: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_replication_factor: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replica_lag_time_max_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replica_fetch_interval_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broker_session_timeout_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller_voters: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller_quorum_fetch_timeout_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller_quorum_election_timeout_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_leader_rebalance_enable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leader_imbalance_check_interval_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offsets_topic_num_partitions: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub version: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub world: WorldSettings,
    #[serde(default)]
    pub topics: Vec<TopicSpec>,
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
    #[serde(default)]
    pub consumers: Vec<ConsumerSpec>,
    #[serde(default)]
    pub commands: Vec<TimedCommand>,
    /// Run until this virtual time (default: the last command's time).
    #[serde(default)]
    pub run_until_ms: Option<u64>,
}

impl Scenario {
    /// Parses and checks a scenario; the error names the place and the reason.
    pub fn from_json(text: &str) -> Result<Scenario, String> {
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(format!(
                "scenario is {} bytes; the limit is {MAX_SCENARIO_BYTES}",
                text.len()
            ));
        }
        // Check the version first so a future file gets a clear message, not a field error.
        check_version(text)?;
        let scenario: Scenario =
            serde_json::from_str(text).map_err(|e| format!("invalid scenario: {e}"))?;
        scenario.check()?;
        Ok(scenario)
    }

    /// Checks a scenario parsed as part of something else (e.g. a saved session).
    pub fn checked(self) -> Result<Scenario, String> {
        if self.version != SCENARIO_VERSION {
            return Err(unsupported_version(self.version));
        }
        self.check()?;
        Ok(self)
    }

    /// Compact JSON (the CLI pretty-prints; the page formats files in JavaScript).
    pub fn to_json_compact(&self) -> String {
        serde_json::to_string(self).expect("scenario serialises")
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("scenario serialises")
    }

    fn check(&self) -> Result<(), String> {
        if self.commands.len() > MAX_COMMANDS {
            return Err(format!(
                "commands: {} commands; the limit is {MAX_COMMANDS}",
                self.commands.len()
            ));
        }
        let mut last = 0;
        for (i, c) in self.commands.iter().enumerate() {
            if c.at_ms < last {
                return Err(format!(
                    "commands[{i}].at_ms: {} is earlier than the previous command's {last}; commands must be in time order",
                    c.at_ms
                ));
            }
            last = c.at_ms;
        }
        let end = self.end_ms();
        if end > MAX_RUN_MS {
            return Err(format!(
                "run_until_ms: {end} is beyond the {MAX_RUN_MS} ms a scenario may run"
            ));
        }
        Ok(())
    }

    /// Virtual time the scenario runs to.
    pub fn end_ms(&self) -> u64 {
        let last = self.commands.last().map_or(0, |c| c.at_ms);
        self.run_until_ms.unwrap_or(last).max(last)
    }

    pub fn world_config(&self) -> WorldConfig {
        let d = WorldConfig::default();
        let w = &self.world;
        WorldConfig {
            seed: self.seed,
            initial_rebalance_delay_ms: w
                .initial_rebalance_delay_ms
                .unwrap_or(d.initial_rebalance_delay_ms),
            sync_latency_ms: w.sync_latency_ms.unwrap_or(d.sync_latency_ms),
            retention_check_interval_ms: w
                .retention_check_interval_ms
                .unwrap_or(d.retention_check_interval_ms),
            max_retained_records_per_partition: w
                .max_retained_records_per_partition
                .unwrap_or(d.max_retained_records_per_partition),
            batch_size: w.batch_size.unwrap_or(d.batch_size),
            lag_sample_interval_ms: w.lag_sample_interval_ms.unwrap_or(d.lag_sample_interval_ms),
            event_log_len: d.event_log_len,
            brokers: w.brokers.unwrap_or(d.brokers),
            default_replication_factor: w
                .default_replication_factor
                .unwrap_or(d.default_replication_factor),
            replica_lag_time_max_ms: w
                .replica_lag_time_max_ms
                .unwrap_or(d.replica_lag_time_max_ms),
            replica_fetch_interval_ms: w
                .replica_fetch_interval_ms
                .unwrap_or(d.replica_fetch_interval_ms),
            broker_session_timeout_ms: w
                .broker_session_timeout_ms
                .unwrap_or(d.broker_session_timeout_ms),
            controller_voters: w.controller_voters.unwrap_or(d.controller_voters),
            controller_quorum_fetch_timeout_ms: w
                .controller_quorum_fetch_timeout_ms
                .unwrap_or(d.controller_quorum_fetch_timeout_ms),
            controller_quorum_election_timeout_ms: w
                .controller_quorum_election_timeout_ms
                .unwrap_or(d.controller_quorum_election_timeout_ms),
            auto_leader_rebalance_enable: w
                .auto_leader_rebalance_enable
                .unwrap_or(d.auto_leader_rebalance_enable),
            leader_imbalance_check_interval_ms: w
                .leader_imbalance_check_interval_ms
                .unwrap_or(d.leader_imbalance_check_interval_ms),
            leader_imbalance_per_broker_percentage: d.leader_imbalance_per_broker_percentage,
            offsets_topic_num_partitions: w
                .offsets_topic_num_partitions
                .unwrap_or(d.offsets_topic_num_partitions),
            offsets_topic_replication_factor: d.offsets_topic_replication_factor,
        }
    }

    /// The setup (topics, groups, consumers) as commands at time 0.
    pub fn setup_commands(&self) -> Vec<(String, Command)> {
        let mut out = Vec::new();
        for (i, t) in self.topics.iter().enumerate() {
            out.push((
                format!("topics[{i}]"),
                Command::CreateTopic {
                    name: t.name.clone(),
                    partitions: t.partitions,
                    config: t.config.clone(),
                },
            ));
        }
        for (i, g) in self.groups.iter().enumerate() {
            out.push((
                format!("groups[{i}]"),
                Command::CreateGroup {
                    group: g.group.clone(),
                    assignor: g.assignor,
                },
            ));
        }
        for (i, c) in self.consumers.iter().enumerate() {
            out.push((
                format!("consumers[{i}]"),
                Command::AddConsumer {
                    client_id: c.client_id.clone(),
                    group: c.group.clone(),
                    topics: c.topics.clone(),
                    config: c.config.clone(),
                },
            ));
        }
        out
    }

    /// Builds the world at time 0 (setup applied, no command run yet).
    pub fn start(&self) -> Result<World, String> {
        let mut world = World::new(self.world_config()).map_err(|e| format!("world: {e}"))?;
        for (place, cmd) in self.setup_commands() {
            world.apply(cmd).map_err(|e| format!("{place}: {e}"))?;
        }
        Ok(world)
    }

    /// Runs the scenario to its end.
    pub fn run(&self) -> Result<World, String> {
        let mut world = self.start()?;
        for (i, tc) in self.commands.iter().enumerate() {
            world.advance_to(tc.at_ms);
            let kind = tc.command.kind();
            world
                .apply(tc.command.clone())
                .map_err(|e| format!("commands[{i}] ({kind}) at {} ms: {e}", tc.at_ms))?;
        }
        world.advance_to(self.end_ms());
        Ok(world)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"{"version":1,"seed":3,
        "topics":[{"name":"orders","partitions":3}],
        "consumers":[{"client_id":"c1","group":"g","topics":["orders"]}],
        "commands":[{"at_ms":10,"type":"produce","topic":"orders","key":"user-1","value":"x"},
                    {"at_ms":20,"type":"reset_offsets","group":"other","to":"earliest"}]}"#;

    #[test]
    fn parses_and_names_the_failing_command() {
        let s = Scenario::from_json(OK).unwrap();
        assert_eq!(s.commands.len(), 2);
        let e = s.run().unwrap_err();
        assert!(
            e.starts_with("commands[1] (reset_offsets) at 20 ms:"),
            "{e}"
        );
        assert!(e.contains("\"other\" does not exist"), "{e}");
    }

    #[test]
    fn unknown_field_is_named() {
        let bad = OK.replace("\"partitions\":3", "\"partitons\":3");
        let e = Scenario::from_json(&bad).unwrap_err();
        assert!(e.contains("partitons"), "{e}");
    }

    #[test]
    fn unknown_command_field_is_named() {
        let bad = OK.replace("\"value\":\"x\"", "\"valeu\":\"x\"");
        let e = Scenario::from_json(&bad).unwrap_err();
        assert!(e.contains("valeu"), "{e}");
    }

    #[test]
    fn version_is_checked_first() {
        let e = Scenario::from_json(r#"{"version":2,"topics":"nonsense"}"#).unwrap_err();
        assert!(e.contains("unsupported scenario version 2"), "{e}");
        let e = Scenario::from_json(r#"{"topics":[]}"#).unwrap_err();
        assert!(e.contains("version"), "{e}");
    }

    #[test]
    fn commands_must_be_in_time_order() {
        let bad = OK.replace("\"at_ms\":20", "\"at_ms\":5");
        let e = Scenario::from_json(&bad).unwrap_err();
        assert!(e.contains("commands[1].at_ms"), "{e}");
    }

    #[test]
    fn reset_targets_parse_in_all_forms() {
        for to in [
            r#""earliest""#,
            r#""latest""#,
            r#"{"offset":5}"#,
            r#"{"timestamp_ms":100}"#,
            r#"{"duration_ms":100}"#,
            r#"{"shift_by":-2}"#,
        ] {
            let json = format!(r#"{{"at_ms":0,"type":"reset_offsets","group":"g","to":{to}}}"#);
            let tc: TimedCommand = serde_json::from_str(&json).unwrap();
            assert_eq!(tc.command.kind(), "reset_offsets");
        }
    }

    #[test]
    fn round_trips_through_json() {
        let s = Scenario::from_json(OK).unwrap();
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    }
}
