//! Everything a learner (or a scenario, or the CLI) can ask the world to do.
//!
//! Commands are plain data (serde), so a session is replayable: the same seed and the same
//! timed commands rebuild the same state — which is what share links and scenarios store.

use crate::sim::assignor::AssignorKind;
use crate::sim::cluster::acks::Acks;
use crate::sim::cluster::broker::BrokerId;
use crate::sim::cluster::election::ElectionType;
use crate::sim::consumer::ConsumerConfig;
use crate::sim::partitioner::PartitionerKind;
use crate::sim::topic::TopicConfig;
use serde::{Deserialize, Serialize};

/// Which keys produced records carry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum KeySpec {
    /// No key (null): the uniform sticky partitioner (or round-robin) spreads them.
    #[default]
    None,
    /// Always this key.
    Fixed { key: String },
    /// One of `{prefix}1 … {prefix}{count}` at random, e.g. user-1 … user-5.
    Set { prefix: String, count: u32 },
}

/// Target of an offset reset, like `kafka-consumer-groups --reset-offsets`.
/// In JSON: `"earliest"`, `"latest"`, `{"offset": 5}`, `{"timestamp_ms": 1000}`,
/// `{"duration_ms": 5000}` or `{"shift_by": -2}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetSpec {
    /// `--to-earliest`
    Earliest,
    /// `--to-latest`
    Latest,
    /// `--to-offset N`
    Offset(u64),
    /// `--to-datetime` (virtual clock ms)
    #[serde(rename = "timestamp_ms")]
    Timestamp(u64),
    /// `--by-duration` (back from now, ms)
    #[serde(rename = "duration_ms")]
    Duration(u64),
    /// `--shift-by N` (may be negative)
    ShiftBy(i64),
}

/// The broker a broker command is about: `{"type": "crash_broker", "broker_id": 2}`. (One
/// struct shared by the three broker commands keeps the page's JSON reader small.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokerRef {
    pub broker_id: BrokerId,
}

/// A command to the world.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// `kafka-topics --create`.
    CreateTopic {
        name: String,
        partitions: u32,
        #[serde(default)]
        config: TopicConfig,
    },
    /// `kafka-topics --alter --partitions N` (the new total; it can only grow).
    AddPartitions {
        topic: String,
        partitions: u32,
    },
    /// `kafka-configs --alter` on a topic.
    SetTopicConfig {
        topic: String,
        config: TopicConfig,
    },
    /// Produce one record.
    Produce {
        topic: String,
        #[serde(default)]
        key: Option<String>,
        #[serde(default)]
        value: String,
        /// Explicit partition (overrides the partitioner).
        #[serde(default)]
        partition: Option<u32>,
        #[serde(default)]
        partitioner: PartitionerKind,
    },
    /// Produce `count` records at once.
    ProduceBurst {
        topic: String,
        count: u32,
        #[serde(default)]
        keys: KeySpec,
        #[serde(default)]
        partitioner: PartitionerKind,
    },
    /// Keep producing `rate_per_s` records per second (0 stops).
    SetAutoProduce {
        topic: String,
        rate_per_s: u32,
        #[serde(default)]
        keys: KeySpec,
        #[serde(default)]
        partitioner: PartitionerKind,
    },
    /// Producer `batch.size` (what the uniform sticky partitioner fills before switching).
    SetBatchSize {
        batch_size: u64,
    },
    /// Create a group with an assignor (groups are also created by the first consumer).
    CreateGroup {
        group: String,
        assignor: AssignorKind,
    },
    /// Change `partition.assignment.strategy` for every member (they rejoin).
    SetAssignor {
        group: String,
        assignor: AssignorKind,
    },
    /// Start a consumer in a group.
    AddConsumer {
        client_id: String,
        group: String,
        topics: Vec<String>,
        #[serde(default)]
        config: ConsumerConfig,
    },
    /// `consumer.close()`: commit (per its commit mode) and LeaveGroup → immediate rebalance.
    StopConsumer {
        client_id: String,
    },
    /// Kill the process: no commit, no LeaveGroup; noticed after `session.timeout.ms`.
    CrashConsumer {
        client_id: String,
    },
    /// Start a stopped or crashed consumer again (a new process, same client id).
    RestartConsumer {
        client_id: String,
    },
    /// The poll loop hangs (heartbeats continue) until resumed.
    StallConsumer {
        client_id: String,
    },
    ResumeConsumer {
        client_id: String,
    },
    /// Remove a stopped or crashed consumer from the picture.
    RemoveConsumer {
        client_id: String,
    },
    /// Change how long the application takes per record.
    SetProcessingTime {
        client_id: String,
        processing_ms_per_record: f64,
    },
    /// `kafka-consumer-groups --reset-offsets --execute` (inactive groups only).
    ResetOffsets {
        group: String,
        /// One topic, or every topic the group has offsets for.
        #[serde(default)]
        topic: Option<String>,
        to: ResetSpec,
    },
    /// `kafka-consumer-groups --delete` (inactive groups only).
    DeleteGroup {
        group: String,
    },
    /// A new broker joins (`node.id` = broker count + 1; not a controller voter).
    AddBroker,
    /// `kafka-server-stop.sh`: a graceful, controlled shutdown (leaderships move first).
    StopBroker(BrokerRef),
    /// Kill the broker process: nothing moves until the controller fences it
    /// (`broker.session.timeout.ms`).
    CrashBroker(BrokerRef),
    /// Start a stopped or crashed broker again (same `node.id`, same disk).
    RestartBroker(BrokerRef),
    /// The producers' `acks` — for one topic, or (without `topic`) the default for all.
    SetAcks {
        #[serde(default)]
        topic: Option<String>,
        acks: Acks,
    },
    /// `kafka-leader-election --election-type PREFERRED|UNCLEAN` (one topic, or all).
    ElectLeaders {
        election: ElectionType,
        #[serde(default)]
        topic: Option<String>,
    },
}

impl Command {
    /// The command's `type` tag, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::CreateTopic { .. } => "create_topic",
            Command::AddPartitions { .. } => "add_partitions",
            Command::SetTopicConfig { .. } => "set_topic_config",
            Command::Produce { .. } => "produce",
            Command::ProduceBurst { .. } => "produce_burst",
            Command::SetAutoProduce { .. } => "set_auto_produce",
            Command::SetBatchSize { .. } => "set_batch_size",
            Command::CreateGroup { .. } => "create_group",
            Command::SetAssignor { .. } => "set_assignor",
            Command::AddConsumer { .. } => "add_consumer",
            Command::StopConsumer { .. } => "stop_consumer",
            Command::CrashConsumer { .. } => "crash_consumer",
            Command::RestartConsumer { .. } => "restart_consumer",
            Command::StallConsumer { .. } => "stall_consumer",
            Command::ResumeConsumer { .. } => "resume_consumer",
            Command::RemoveConsumer { .. } => "remove_consumer",
            Command::SetProcessingTime { .. } => "set_processing_time",
            Command::ResetOffsets { .. } => "reset_offsets",
            Command::DeleteGroup { .. } => "delete_group",
            Command::AddBroker => "add_broker",
            Command::StopBroker(_) => "stop_broker",
            Command::CrashBroker(_) => "crash_broker",
            Command::RestartBroker(_) => "restart_broker",
            Command::SetAcks { .. } => "set_acks",
            Command::ElectLeaders { .. } => "elect_leaders",
        }
    }
}

/// A command at a point of virtual time (scenarios, share links, replays).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimedCommand {
    pub at_ms: u64,
    #[serde(flatten)]
    pub command: Command,
}
