//! What happened, and why: the world's answer to commands and to the passing of time.
//! Events feed the UI's narration, the event log and the timeline; each one can say itself
//! in a plain sentence ([`Event::describe`]).

use crate::sim::assignor::TopicPartition;
use crate::sim::cluster::acks::Acks;
use crate::sim::cluster::broker::BrokerId;
use crate::sim::cluster::election::LeaderElection;
use crate::sim::cluster::replica::IsrShrinkReason;
use crate::sim::group::{GroupState, RebalanceProtocol, RemovalReason};
use crate::sim::log::RetentionCause;
use crate::sim::partitioner::PartitionReason;
use crate::sim::vecmap::VecMap;
use serde::{Deserialize, Serialize};
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
    /// Brokers, the controller, partition leaders and ISRs.
    Cluster,
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
        per_partition: VecMap<u32, u32>,
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
        assignment: VecMap<String, Vec<TopicPartition>>,
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
    /// A broker joined the cluster.
    BrokerAdded {
        broker_id: BrokerId,
    },
    /// A broker shut down gracefully; `controlled`: the controller moved its leaderships first.
    BrokerStopped {
        broker_id: BrokerId,
        controlled: bool,
        leaders_moved: u32,
    },
    BrokerCrashed {
        broker_id: BrokerId,
    },
    BrokerRestarted {
        broker_id: BrokerId,
    },
    /// The controller fenced a broker: out of every ISR, leads nothing.
    BrokerFenced {
        broker_id: BrokerId,
        controller: BrokerId,
        /// It missed heartbeats for `broker.session.timeout.ms` (else: it re-registered).
        session_expired: bool,
    },
    /// The controller accepted a (re)started broker's registration.
    BrokerUnfenced {
        broker_id: BrokerId,
        controller: BrokerId,
    },
    ControllerElected {
        controller: BrokerId,
        epoch: u32,
    },
    /// The active controller is gone.
    ControllerUnavailable {
        alive_voters: u32,
        voters: u32,
    },
    /// The controller changed a partition's leader (`leader: None`: the partition is offline).
    LeaderElected {
        topic: String,
        partition: u32,
        leader: Option<BrokerId>,
        previous: Option<BrokerId>,
        leader_epoch: u32,
        controller: BrokerId,
        election: LeaderElection,
    },
    IsrShrunk {
        topic: String,
        partition: u32,
        broker_id: BrokerId,
        isr: Vec<BrokerId>,
        reason: IsrShrinkReason,
    },
    IsrExpanded {
        topic: String,
        partition: u32,
        broker_id: BrokerId,
        isr: Vec<BrokerId>,
    },
    /// A new leader's log was shorter: offsets `from..to` are gone from the cluster.
    RecordsLost {
        topic: String,
        partition: u32,
        from: u64,
        to: u64,
        leader: BrokerId,
        unclean: bool,
        /// Of them, records whose producer had been told "success".
        acknowledged: u64,
        /// `acks=0` records (nobody is told).
        unacknowledged: u64,
        /// `acks=all` records not acknowledged yet: their producer gets an error.
        awaiting: u64,
    },
    /// A returning broker dropped records of its copy that the leader does not have.
    ReplicaTruncated {
        topic: String,
        partition: u32,
        broker_id: BrokerId,
        from: u64,
        to: u64,
    },
    /// Records the producer could not write (or, with `acks=0`, lost without knowing).
    ProduceFailed {
        topic: String,
        partition: u32,
        error: String,
        records: u64,
        acks: Acks,
    },
    /// The producers' `acks` (of one topic, or the default for all).
    AcksChanged {
        topic: Option<String>,
        acks: Acks,
    },
    /// The group's coordinator changed (`None`: COORDINATOR_NOT_AVAILABLE).
    CoordinatorMoved {
        group: String,
        offsets_partition: u32,
        from: Option<BrokerId>,
        to: Option<BrokerId>,
    },
    /// A consumer learnt its coordinator is gone (`error` is the Kafka error code).
    CoordinatorLost {
        group: String,
        client_id: String,
        error: String,
    },
    /// FindCoordinator answered.
    CoordinatorFound {
        group: String,
        client_id: String,
        coordinator: BrokerId,
    },
}

fn brokers_list(ids: &[BrokerId]) -> String {
    let ids: Vec<String> = ids.iter().map(u32::to_string).collect();
    format!("[{}]", ids.join(", "))
}

impl Event {
    /// Sentences for the replication and failover events.
    fn describe_cluster(&self) -> String {
        use Event::*;
        match self {
            BrokerAdded { broker_id } => format!(
                "broker {broker_id} joined the cluster (existing partitions stay where they are: Kafka does not move replicas by itself)"
            ),
            BrokerStopped {
                broker_id,
                controlled: true,
                leaders_moved,
            } => format!(
                "broker {broker_id} shut down gracefully: controlled shutdown moved {leaders_moved} leadership(s) away first"
            ),
            BrokerStopped { broker_id, .. } => format!(
                "broker {broker_id} stopped, but there is no active controller to move its leaderships"
            ),
            BrokerCrashed { broker_id } => format!(
                "broker {broker_id} crashed: what it leads is unavailable until the controller notices (broker.session.timeout.ms)"
            ),
            BrokerRestarted { broker_id } => {
                format!("broker {broker_id} restarted and registers with the controller")
            }
            BrokerFenced {
                broker_id,
                controller,
                session_expired,
            } => format!(
                "controller {controller} fenced broker {broker_id} ({}): it leaves every ISR and leads nothing",
                if *session_expired {
                    "no heartbeat within broker.session.timeout.ms"
                } else {
                    "its old incarnation, before accepting the new registration"
                }
            ),
            BrokerUnfenced {
                broker_id,
                controller,
            } => format!(
                "controller {controller} unfenced broker {broker_id}: its replicas catch up and rejoin the ISRs"
            ),
            ControllerElected { controller, epoch } => {
                format!("broker {controller} is the active controller (KRaft epoch {epoch})")
            }
            ControllerUnavailable {
                alive_voters,
                voters,
            } => {
                if alive_voters * 2 > *voters {
                    format!(
                        "the active controller is gone; {alive_voters} of {voters} voters are alive and elect a new one after controller.quorum.fetch.timeout.ms"
                    )
                } else {
                    format!(
                        "no active controller: only {alive_voters} of {voters} controller voters alive, no majority — no leader elections, fencing or ISR changes until the quorum is back"
                    )
                }
            }
            LeaderElected {
                topic,
                partition,
                leader: None,
                controller,
                ..
            } => format!(
                "{topic}-{partition} is offline: no in-sync replica is available to lead it (controller {controller})"
            ),
            LeaderElected {
                topic,
                partition,
                leader: Some(leader),
                leader_epoch,
                controller,
                election,
                ..
            } => match election {
                LeaderElection::Clean => format!(
                    "controller {controller} elected broker {leader} leader of {topic}-{partition} (leader epoch {leader_epoch})"
                ),
                LeaderElection::Preferred => format!(
                    "controller {controller} moved {topic}-{partition} back to its preferred leader, broker {leader} (leader epoch {leader_epoch})"
                ),
                LeaderElection::Unclean => format!(
                    "controller {controller} elected broker {leader} leader of {topic}-{partition} in an UNCLEAN election: it was not in sync (leader epoch {leader_epoch})"
                ),
            },
            IsrShrunk {
                topic,
                partition,
                broker_id,
                isr,
                reason,
            } => format!(
                "{topic}-{partition}: broker {broker_id} left the ISR ({}); ISR now {}",
                reason.describe(),
                brokers_list(isr)
            ),
            IsrExpanded {
                topic,
                partition,
                broker_id,
                isr,
            } => format!(
                "{topic}-{partition}: broker {broker_id} caught up and rejoined the ISR; ISR now {}",
                brokers_list(isr)
            ),
            RecordsLost {
                topic,
                partition,
                from,
                to,
                leader,
                unclean,
                acknowledged,
                unacknowledged,
                awaiting,
            } => {
                let mut s = format!(
                    "{topic}-{partition}: offsets {from}..{} are gone — the new leader, broker {leader}, never had them{}:",
                    to - 1,
                    if *unclean { " (unclean election)" } else { "" }
                );
                let _ = write!(s, " {acknowledged} acknowledged record(s) lost");
                if *unacknowledged > 0 {
                    let _ = write!(s, ", {unacknowledged} acks=0 record(s) lost silently");
                }
                if *awaiting > 0 {
                    let _ = write!(
                        s,
                        ", {awaiting} acks=all record(s) never acknowledged (the producer gets an error)"
                    );
                }
                s
            }
            ReplicaTruncated {
                topic,
                partition,
                broker_id,
                from,
                to,
            } => format!(
                "broker {broker_id} truncated its copy of {topic}-{partition} from {from} to {to}: records it wrote as leader that nobody copied"
            ),
            ProduceFailed {
                topic,
                partition,
                error,
                records,
                acks: Acks::Zero,
            } => format!(
                "acks=0: {records} record(s) sent to {topic}-{partition} were lost without the producer knowing ({error})"
            ),
            ProduceFailed {
                topic,
                partition,
                error,
                records,
                acks,
            } => format!(
                "produce to {topic}-{partition} failed for {records} record(s) (acks={}): {error} — {}",
                acks.name(),
                match error.as_str() {
                    "NOT_ENOUGH_REPLICAS" => "the ISR is smaller than min.insync.replicas; nothing was written",
                    "NOT_ENOUGH_REPLICAS_AFTER_APPEND" => "written, but the ISR shrank below min.insync.replicas before it was replicated",
                    "LEADER_NOT_AVAILABLE" => "the partition has no leader",
                    "REQUEST_TIMED_OUT" => "its leader's broker does not answer",
                    _ => "see the error code",
                }
            ),
            AcksChanged { topic, acks } => match topic {
                Some(t) => format!("producers of {t} now use acks={}", acks.name()),
                None => format!("producers now use acks={} by default", acks.name()),
            },
            CoordinatorMoved {
                group,
                offsets_partition,
                to: None,
                ..
            } => format!(
                "group {group} has no coordinator: __consumer_offsets-{offsets_partition} has no available leader (COORDINATOR_NOT_AVAILABLE)"
            ),
            CoordinatorMoved {
                group,
                offsets_partition,
                from,
                to: Some(to),
            } => format!(
                "group {group}: broker {to} leads __consumer_offsets-{offsets_partition} and is now the coordinator{}; it loaded the group and its committed offsets",
                from.map_or(String::new(), |f| format!(" (was broker {f})"))
            ),
            CoordinatorLost {
                group,
                client_id,
                error,
            } => {
                if error == "NOT_COORDINATOR" {
                    format!(
                        "{client_id}: NOT_COORDINATOR — the coordinator of {group} moved; looking it up again (FindCoordinator)"
                    )
                } else {
                    format!(
                        "{client_id}: {error} — {group} has no reachable coordinator; retrying FindCoordinator (heartbeats and commits wait, fetching goes on)"
                    )
                }
            }
            CoordinatorFound {
                group,
                client_id,
                coordinator,
            } => format!("{client_id}: FindCoordinator → broker {coordinator} coordinates {group}"),
            _ => String::new(), // every other event is described in `describe`
        }
    }
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
            BrokerAdded { .. }
            | BrokerStopped { .. }
            | BrokerCrashed { .. }
            | BrokerRestarted { .. }
            | BrokerFenced { .. }
            | BrokerUnfenced { .. }
            | ControllerElected { .. }
            | ControllerUnavailable { .. }
            | LeaderElected { .. }
            | IsrShrunk { .. }
            | IsrExpanded { .. }
            | RecordsLost { .. }
            | ReplicaTruncated { .. } => EventKind::Cluster,
            ProduceFailed { .. } | AcksChanged { .. } => EventKind::Produce,
            CoordinatorMoved { .. } => EventKind::Group,
            CoordinatorLost { .. } | CoordinatorFound { .. } => EventKind::Consumer,
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
            _ => self.describe_cluster(),
        }
    }
}
