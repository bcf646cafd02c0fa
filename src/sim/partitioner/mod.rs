//! How the producer picks a partition for a record.
//!
//! Mirrors `KafkaProducer.partition()` in the Java client:
//! 1. an explicit partition on the record wins;
//! 2. a configured `partitioner.class` (here: [`round_robin`]) decides;
//! 3. a key → `toPositive(murmur2(keyBytes)) % numPartitions` ([`murmur2`]);
//! 4. no key → the built-in uniform sticky partitioner ([`sticky`], KIP-794).

pub mod murmur2;
pub mod round_robin;
pub mod sticky;

use serde::{Deserialize, Serialize};

/// Which partitioner the producer uses (`partitioner.class`, or the built-in default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartitionerKind {
    /// The built-in default: murmur2 for keyed records, uniform sticky for unkeyed ones.
    #[default]
    Default,
    /// `org.apache.kafka.clients.producer.RoundRobinPartitioner`: ignores keys.
    RoundRobin,
}

impl PartitionerKind {
    pub fn name(self) -> &'static str {
        match self {
            PartitionerKind::Default => "default",
            PartitionerKind::RoundRobin => "round-robin",
        }
    }
}

/// Why a record went where it went — shown to the learner next to the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PartitionReason {
    /// The producer named the partition explicitly.
    Explicit,
    /// `toPositive(murmur2(key)) % partitions`.
    KeyHash { murmur2: i32, partitions: u32 },
    /// Unkeyed record on the uniform sticky partitioner's current partition.
    Sticky,
    /// RoundRobinPartitioner's counter value.
    RoundRobin { counter: u32 },
}

impl PartitionReason {
    /// A short explanation, e.g. `key "user-3" → murmur2 → partition 1`.
    pub fn explain(&self, key: Option<&str>, partition: u32) -> String {
        match self {
            PartitionReason::Explicit => format!("explicit partition → P{partition}"),
            PartitionReason::KeyHash {
                murmur2,
                partitions,
            } => format!(
                "key \"{}\" → murmur2 = {murmur2} → toPositive % {partitions} = P{partition}",
                key.unwrap_or_default()
            ),
            PartitionReason::Sticky => {
                format!("no key → uniform sticky partitioner: current batch partition P{partition}")
            }
            PartitionReason::RoundRobin { counter } => {
                format!("round-robin partitioner: record #{counter} → P{partition}")
            }
        }
    }
}
