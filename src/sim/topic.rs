//! A topic: named, split into partitions, each an independent [`PartitionLog`].
//!
//! Ordering holds within a partition only. Partitions can be added (never removed), which
//! changes `murmur2(key) % partitions` and so moves keys — a classic surprise.

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
}

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig {
            retention_ms: 604_800_000,
            retention_bytes: -1,
            segment_bytes: 1_073_741_824,
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
    pub partitions: Vec<PartitionLog>,
}

impl Topic {
    pub fn new(name: String, partitions: u32, config: TopicConfig) -> Self {
        Topic {
            name,
            config,
            partitions: (0..partitions).map(|_| PartitionLog::new()).collect(),
        }
    }

    pub fn partition_count(&self) -> u32 {
        self.partitions.len() as u32
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
