//! Partition assignors of Kafka's classic consumer-group protocol (client side, run by the
//! group leader during SyncGroup).
//!
//! Mirrors `org.apache.kafka.clients.consumer.ConsumerPartitionAssignor` and its
//! implementations. One strategy a file.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A topic partition, ordered like Java's `TopicPartition` sorts in the assignors: by topic,
/// then by partition number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: u32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: u32) -> Self {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }
}

/// What a member sends in JoinGroup: its subscription, and (for the sticky assignors) what
/// it owned in the previous generation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub member_id: String,
    /// `group.instance.id` of a static member.
    pub group_instance_id: Option<String>,
    pub topics: Vec<String>,
    pub owned_partitions: Vec<TopicPartition>,
    /// Generation in which `owned_partitions` were owned (sticky user data / KIP-341).
    pub generation: Option<i32>,
}

/// `partition.assignment.strategy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AssignorKind {
    #[serde(rename = "range")]
    Range,
    #[serde(rename = "roundrobin")]
    RoundRobin,
    #[serde(rename = "sticky")]
    Sticky,
    #[serde(rename = "cooperative-sticky")]
    CooperativeSticky,
}

/// Member id → the partitions it is assigned (sorted). Every member is present.
pub type GroupAssignment = BTreeMap<String, Vec<TopicPartition>>;
