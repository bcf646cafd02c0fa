//! A topic: named, split into partitions, each an independent [`PartitionLog`].
//!
//! Ordering holds within a partition only. Partitions can be added (never removed), which
//! changes `murmur2(key) % partitions` and so moves keys — a classic surprise.
//!
//! Each partition is replicated `replication.factor` times across brokers; its replica set
//! (leader, ISR, high watermark) sits next to its log in [`Topic::replicas`] — see
//! [`crate::sim::cluster`].

use crate::sim::cluster::replica::PartitionReplicas;
use crate::sim::log::PartitionLog;
use serde::{Deserialize, Serialize};

/// Most partitions a topic may have in the simulator.
pub const MAX_PARTITIONS: u32 = 1024;

/// Topic configuration, named after the real config keys (`-1` means unlimited, as in Kafka).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicConfig {
    /// `retention.ms` (default 604800000 = 7 days; -1 = forever).
    pub retention_ms: i64,
    /// `retention.bytes` per partition (default -1 = unlimited).
    pub retention_bytes: i64,
    /// `segment.bytes` (default 1073741824).
    pub segment_bytes: u64,
    /// `kafka-topics --create --replication-factor` (absent: the broker's
    /// `default.replication.factor`). Fixed once the topic exists (changing it is a partition
    /// reassignment, not a config change).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication_factor: Option<u32>,
    /// `min.insync.replicas` (default 1): with `acks=all`, appends are refused
    /// (`NOT_ENOUGH_REPLICAS`) while the ISR is smaller.
    #[serde(skip_serializing_if = "is_one")]
    pub min_insync_replicas: u32,
    /// `unclean.leader.election.enable` (default false): may an out-of-sync replica lead when
    /// no in-sync one is left (availability over durability)?
    #[serde(skip_serializing_if = "is_false")]
    pub unclean_leader_election_enable: bool,
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig {
            retention_ms: 604_800_000,
            retention_bytes: -1,
            segment_bytes: 1_073_741_824,
            replication_factor: None,
            min_insync_replicas: 1,
            unclean_leader_election_enable: false,
        }
    }
}

impl TopicConfig {
    pub fn validate(&self) -> Result<(), String> {
        if self.retention_ms < -1 || self.retention_ms == 0 {
            return Err("retention.ms must be -1 (forever) or a positive number of ms".into());
        }
        if self.retention_bytes < -1 || self.retention_bytes == 0 {
            return Err("retention.bytes must be -1 (unlimited) or a positive number".into());
        }
        if !(14..=1_073_741_824).contains(&self.segment_bytes) {
            return Err("segment.bytes must be between 14 and 1073741824".into());
        }
        if !(1..=crate::sim::cluster::broker::MAX_BROKERS).contains(&self.min_insync_replicas) {
            return Err(format!(
                "min.insync.replicas must be between 1 and {}",
                crate::sim::cluster::broker::MAX_BROKERS
            ));
        }
        if let Some(rf) = self.replication_factor {
            if !(1..=crate::sim::cluster::broker::MAX_BROKERS).contains(&rf) {
                return Err(format!(
                    "replication factor must be between 1 and {}",
                    crate::sim::cluster::broker::MAX_BROKERS
                ));
            }
        }
        Ok(())
    }

    pub fn retention_ms(&self) -> Option<u64> {
        (self.retention_ms > 0).then_some(self.retention_ms as u64)
    }

    pub fn retention_bytes(&self) -> Option<u64> {
        (self.retention_bytes > 0).then_some(self.retention_bytes as u64)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    pub name: String,
    pub config: TopicConfig,
    /// The leader's log of each partition.
    pub partitions: Vec<PartitionLog>,
    /// The replica set of each partition (same index as `partitions`).
    pub replicas: Vec<PartitionReplicas>,
}

impl Topic {
    /// A topic whose partition `p` lives on `assignment[p]` (preferred leader first).
    pub fn new(name: String, assignment: &[Vec<u32>], config: TopicConfig) -> Self {
        Topic {
            name,
            config,
            partitions: assignment.iter().map(|_| PartitionLog::new()).collect(),
            replicas: assignment
                .iter()
                .map(|a| PartitionReplicas::new(a, 0, 0))
                .collect(),
        }
    }

    pub fn partition_count(&self) -> u32 {
        self.partitions.len() as u32
    }

    /// `replication.factor` (the replica count of partition 0; all partitions have the same).
    pub fn replication_factor(&self) -> u32 {
        self.replicas
            .first()
            .map_or(1, |r| r.replication_factor() as u32)
    }

    /// Partitions that have a leader (what Java's producer calls *available*).
    pub fn available_partitions(&self) -> Vec<u32> {
        (0..self.partition_count())
            .filter(|&p| self.replicas[p as usize].leader.is_some())
            .collect()
    }

    /// Offsets `[log start, high watermark)` are what consumers can read.
    pub fn high_watermark(&self, partition: u32) -> u64 {
        self.replicas
            .get(partition as usize)
            .map_or(0, |r| r.high_watermark)
    }
}

/// Kafka's topic name rules: 1–249 characters of `[a-zA-Z0-9._-]`, not `.` or `..`.
pub fn validate_topic_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 249 {
        return Err(format!(
            "topic name must be 1 to 249 characters, got {}",
            name.len()
        ));
    }
    if name == "." || name == ".." {
        return Err("topic name cannot be \".\" or \"..\"".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!(
            "topic name \"{name}\" has an invalid character '{c}': use a-z, A-Z, 0-9, '.', '_' and '-'"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_names_follow_kafka_rules() {
        assert!(validate_topic_name("orders.v1_x-y").is_ok());
        assert!(validate_topic_name("").is_err());
        assert!(validate_topic_name("..").is_err());
        assert!(validate_topic_name("a b")
            .unwrap_err()
            .contains("invalid character"));
        assert!(validate_topic_name(&"x".repeat(250)).is_err());
    }

    #[test]
    fn retention_config_uses_minus_one_for_unlimited() {
        let c = TopicConfig::default();
        assert_eq!(c.retention_ms(), Some(604_800_000));
        assert_eq!(c.retention_bytes(), None);
        assert!(TopicConfig {
            retention_ms: 0,
            ..Default::default()
        }
        .validate()
        .is_err());
    }
}
