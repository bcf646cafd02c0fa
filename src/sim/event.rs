//! What happened, and why: the world's answer to commands and to the passing of time.
//! Events feed the UI's narration, the event log and the timeline; each one can say itself
//! in a plain sentence ([`Event::describe`]).

use crate::sim::assignor::TopicPartition;
use crate::sim::group::{GroupState, RebalanceProtocol, RemovalReason};
use crate::sim::log::RetentionCause;
use crate::sim::partitioner::PartitionReason;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Broad category, for filtering the event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Topic,
    Produce,
    Group,
    Consumer,
    Offsets,
    Retention,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    TopicCreated {
        topic: String,
        partitions: u32,
    },
    PartitionsAdded {
        topic: String,
        from: u32,
        to: u32,
    },
    TopicConfigChanged {
        topic: String,
    },
    RecordProduced {
        topic: String,
        partition: u32,
        offset: u64,
        key: Option<String>,
        reason: PartitionReason,
    },
    BurstProduced {
        topic: String,
        count: u32,
        per_partition: BTreeMap<u32, u32>,
    },
    /// A service (a consumer with `emit` rules) produced a derived record: event chaining.
    ServiceProduced {
        group: String,
        client_id: String,
        /// The record that caused it (for a join: the last one it waited for).
        cause: TopicPartition,
        cause_offset: u64,
        topic: String,
        partition: u32,
        offset: u64,
        key: Option<String>,
        value: String,
    },
    AutoProduceChanged {
        topic: String,
        rate_per_s: u32,
    },
    SegmentsDeleted {
        topic: String,
        partition: u32,
        log_start_offset: u64,
        cause: RetentionCause,
    },
    GroupCreated {
        group: String,
        assignor: String,
    },
    GroupStateChanged {
        group: String,
        from: GroupState,
        to: GroupState,
    },
    RebalanceStarted {
        group: String,
        reason: String,
    },
    /// Generation `generation` is stable: who owns what (by client id).
    RebalanceCompleted {
        group: String,
        generation: i32,
        protocol: RebalanceProtocol,
        assignment: BTreeMap<String, Vec<TopicPartition>>,
        withheld: Vec<TopicPartition>,
    },
    MemberJoined {
        group: String,
        client_id: String,
        member_id: String,
    },
    MemberRemoved {
        group: String,
        client_id: String,
        reason: RemovalReason,
    },
    /// A static member came back within the session timeout: same assignment, no rebalance.
    StaticMemberRejoined {
        group: String,
        client_id: String,
        group_instance_id: String,
    },
    PartitionsRevoked {
        group: String,
        client_id: String,
        partitions: Vec<TopicPartition>,
    },
    PartitionsAssigned {
        group: String,
        client_id: String,
        partitions: Vec<TopicPartition>,
    },
    PartitionsLost {
        group: String,
        client_id: String,
        partitions: Vec<TopicPartition>,
    },
    ConsumerStarted {
        client_id: String,
        group: String,
    },
    ConsumerStopped {
        client_id: String,
    },
    ConsumerCrashed {
        client_id: String,
        uncommitted: u64,
    },
    ConsumerStalled {
        client_id: String,
    },
    ConsumerResumed {
        client_id: String,
    },
    ConsumerRemoved {
        client_id: String,
    },
    OffsetsCommitted {
        group: String,
        client_id: String,
        offsets: Vec<(TopicPartition, u64)>,
        auto: bool,
    },
    CommitFailed {
        group: String,
        client_id: String,
        error: String,
    },
    /// The consumer's position was (re)set.
    PositionReset {
        group: String,
        client_id: String,
        tp: TopicPartition,
        offset: u64,
        reason: String,
    },
    /// Records processed a second time by this group (at-least-once duplicates).
    Redelivered {
        group: String,
        client_id: String,
        tp: TopicPartition,
        from: u64,
        to: u64,
    },
    /// Records this group will never process: committed before they were processed, then the
    /// processor died (at-most-once loss).
    Skipped {
        group: String,
        client_id: String,
        tp: TopicPartition,
        from: u64,
        to: u64,
    },
    OffsetsReset {
        group: String,
        offsets: Vec<(TopicPartition, u64)>,
    },
    GroupDeleted {
        group: String,
    },
    /// A consumer cannot start: no committed offset and `auto.offset.reset=none`.
    NoOffsetForPartition {
        group: String,
        client_id: String,
        tp: TopicPartition,
    },
}

/// An event at a point of virtual time, numbered for "everything since N" reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedEvent {
    pub seq: u64,
    pub at_ms: u64,
    #[serde(flatten)]
    pub event: Event,
}

/// `P0,P1` for one topic, `orders-0,payments-1` across topics.
pub fn format_partitions(tps: &[TopicPartition]) -> String {
    if tps.is_empty() {
        return "nothing".into();
    }
    let one_topic = tps.iter().all(|t| t.topic == tps[0].topic);
    let parts: Vec<String> = tps
        .iter()
        .map(|t| {
            if one_topic {
                format!("P{}", t.partition)
            } else {
                format!("{}-{}", t.topic, t.partition)
            }
        })
        .collect();
    parts.join(",")
}

impl Event {
    pub fn kind(&self) -> EventKind {
        use Event::*;
        match self {
            TopicCreated { .. } | PartitionsAdded { .. } | TopicConfigChanged { .. } => {
                EventKind::Topic
            }
            RecordProduced { .. }
            | BurstProduced { .. }
            | AutoProduceChanged { .. }
            | ServiceProduced { .. } => EventKind::Produce,
            SegmentsDeleted { .. } => EventKind::Retention,
            GroupCreated { .. }
            | GroupStateChanged { .. }
            | RebalanceStarted { .. }
            | RebalanceCompleted { .. }
            | MemberJoined { .. }
            | MemberRemoved { .. }
            | StaticMemberRejoined { .. }
            | GroupDeleted { .. } => EventKind::Group,
            PartitionsRevoked { .. }
            | PartitionsAssigned { .. }
            | PartitionsLost { .. }
            | ConsumerStarted { .. }
            | ConsumerStopped { .. }
            | ConsumerCrashed { .. }
            | ConsumerStalled { .. }
            | ConsumerResumed { .. }
            | ConsumerRemoved { .. } => EventKind::Consumer,
            OffsetsCommitted { .. }
            | CommitFailed { .. }
            | PositionReset { .. }
            | Redelivered { .. }
            | Skipped { .. }
            | OffsetsReset { .. }
            | NoOffsetForPartition { .. } => EventKind::Offsets,
        }
    }

    /// A plain sentence for the event log.
    pub fn describe(&self) -> String {
        use Event::*;
        match self {
            TopicCreated { topic, partitions } => {
                format!("topic {topic} created with {partitions} partitions")
            }
            PartitionsAdded { topic, from, to } => format!(
                "topic {topic} grew from {from} to {to} partitions: keyed records now use % {to}, so some keys move"
            ),
            TopicConfigChanged { topic } => format!("topic {topic} config changed"),
            RecordProduced {
                topic,
                partition,
                offset,
                key,
                reason,
            } => format!(
                "produced to {topic}: {} → offset {offset}",
                reason.explain(key.as_deref(), *partition)
            ),
            BurstProduced {
                topic,
                count,
                per_partition,
            } => {
                let mut s = format!("produced {count} records to {topic}:");
                for (p, n) in per_partition {
                    let _ = write!(s, " P{p}×{n}");
                }
                s
            }
            ServiceProduced {
                group,
                client_id,
                cause,
                cause_offset,
                topic,
                partition,
                offset,
                key,
                value,
            } => format!(
                "{client_id} ({group}) processed {}-{} offset {cause_offset} and produced {value}{} to {topic} P{partition} → offset {offset}",
                cause.topic,
                cause.partition,
                key.as_ref().map(|k| format!(" (key {k})")).unwrap_or_default()
            ),
            AutoProduceChanged { topic, rate_per_s } => {
                if *rate_per_s == 0 {
                    format!("auto-produce to {topic} stopped")
                } else {
                    format!("auto-producing {rate_per_s} records/s to {topic}")
                }
            }
            SegmentsDeleted {
                topic,
                partition,
                log_start_offset,
                cause,
            } => format!(
                "{topic} P{partition}: old segments deleted ({}), log start offset now {log_start_offset}",
                match cause {
                    RetentionCause::RetentionMs => "retention.ms",
                    RetentionCause::RetentionBytes => "retention.bytes",
                    RetentionCause::MemoryCap => "simulator memory cap",
                }
            ),
            GroupCreated { group, assignor } => {
                format!("group {group} created (partition.assignment.strategy={assignor})")
            }
            GroupStateChanged { group, from, to } => {
                format!("group {group}: {} → {}", from.name(), to.name())
            }
            RebalanceStarted { group, reason } => {
                format!("group {group}: rebalance started ({reason})")
            }
            RebalanceCompleted {
                group,
                generation,
                protocol,
                assignment,
                withheld,
            } => {
                let mut s = format!("group {group} → generation {generation} ({}):", protocol.name());
                for (client, tps) in assignment {
                    let _ = write!(s, " {client} {}", format_partitions(tps));
                    if tps.is_empty() {
                        s.push_str(" (idle)");
                    }
                    s.push(';');
                }
                s.pop();
                if !withheld.is_empty() {
                    let _ = write!(
                        s,
                        "; withheld until their owner revokes them: {}",
                        format_partitions(withheld)
                    );
                }
                s
            }
            MemberJoined {
                group, client_id, ..
            } => format!("{client_id} joined group {group}"),
            MemberRemoved {
                group,
                client_id,
                reason,
            } => format!("{client_id} removed from group {group}: {}", reason.describe()),
            StaticMemberRejoined {
                group,
                client_id,
                group_instance_id,
            } => format!(
                "{client_id} (static member {group_instance_id}) rejoined {group} within the session timeout: same partitions, no rebalance"
            ),
            PartitionsRevoked {
                client_id,
                partitions,
                ..
            } => format!(
                "{client_id}: onPartitionsRevoked({})",
                format_partitions(partitions)
            ),
            PartitionsAssigned {
                client_id,
                partitions,
                ..
            } => format!(
                "{client_id}: onPartitionsAssigned({})",
                format_partitions(partitions)
            ),
            PartitionsLost {
                client_id,
                partitions,
                ..
            } => format!(
                "{client_id}: onPartitionsLost({}) — someone else may own them now",
                format_partitions(partitions)
            ),
            ConsumerStarted { client_id, group } => {
                format!("{client_id} started in group {group}")
            }
            ConsumerStopped { client_id } => format!("{client_id} closed gracefully"),
            ConsumerCrashed {
                client_id,
                uncommitted: 0,
            } => format!("{client_id} crashed; everything it processed was committed"),
            ConsumerCrashed {
                client_id,
                uncommitted,
            } => format!(
                "{client_id} crashed with {uncommitted} processed but uncommitted records: they will be processed again"
            ),
            ConsumerStalled { client_id } => {
                format!("{client_id}'s poll loop is stuck (heartbeats continue)")
            }
            ConsumerResumed { client_id } => format!("{client_id}'s poll loop resumed"),
            ConsumerRemoved { client_id } => format!("{client_id} removed"),
            OffsetsCommitted {
                client_id,
                offsets,
                auto,
                ..
            } => {
                let mut s = format!(
                    "{client_id} committed{}",
                    if *auto { " (auto)" } else { "" }
                );
                for (tp, o) in offsets {
                    let _ = write!(s, " {}-{}@{o}", tp.topic, tp.partition);
                }
                s
            }
            CommitFailed {
                client_id, error, ..
            } => format!("{client_id}: commit failed ({error})"),
            PositionReset {
                client_id,
                tp,
                offset,
                reason,
                ..
            } => format!(
                "{client_id}: {}-{} position set to {offset} ({reason})",
                tp.topic, tp.partition
            ),
            Redelivered {
                group,
                client_id,
                tp,
                from,
                to,
            } => format!(
                "{client_id} processed {}-{} offsets {from}..{} again: {} duplicate(s) in group {group} (at-least-once)",
                tp.topic,
                tp.partition,
                to - 1,
                to - from
            ),
            Skipped {
                group,
                client_id,
                tp,
                from,
                to,
            } => format!(
                "{client_id} starts {}-{} at {to}: offsets {from}..{} were committed but never processed by {group} (at-most-once loss)",
                tp.topic,
                tp.partition,
                to - 1
            ),
            OffsetsReset { group, offsets } => {
                let mut s = format!("offsets of {group} reset:");
                for (tp, o) in offsets {
                    let _ = write!(s, " {}-{}→{o}", tp.topic, tp.partition);
                }
                s
            }
            GroupDeleted { group } => format!("group {group} deleted"),
            NoOffsetForPartition {
                client_id, tp, ..
            } => format!(
                "{client_id}: no committed offset for {}-{} and auto.offset.reset=none (NoOffsetForPartitionException)",
                tp.topic, tp.partition
            ),
        }
    }
}
