//! The world: topics, producers, groups and consumers on one virtual clock.
//!
//! `World::new(config)`, then [`World::apply`] commands and [`World::tick`] time. The world
//! advances in fixed 1 ms steps whatever size the ticks are, so a run depends only on the seed
//! and on *when* (in virtual ms) each command was applied: the same timed commands replay to
//! the same state, bit for bit — in the browser, in tests and in the CLI.
//!
//! Inside a step, in this order: the cluster moves (controller elections, fencing, leader
//! elections, follower fetches — [`crate::sim::cluster`]), auto-producers append, retention
//! runs (every `retention_check_interval_ms`), each group's coordinator advances its state
//! machine (session expiry, join and sync phases) if the group has one, each consumer runs its
//! heartbeat thread and its poll loop, and lag is sampled. Consumers and coordinator talk
//! through the same calls a real client makes (FindCoordinator, JoinGroup, SyncGroup,
//! Heartbeat, OffsetCommit, LeaveGroup), reduced to direct function calls with the
//! coordinator's round trip as `sync_latency_ms`.
//!
//! Producers write to a partition's leader and are answered per their `acks`; consumers read
//! from the leader up to the high watermark. What the page reads about the cluster:
//! [`World::brokers`], [`World::controller_quorum`] / [`World::active_controller`],
//! [`World::partition_replicas`] (leader, replicas with their LEOs, ISR, HW, durability),
//! [`World::coordinator_of`] / [`World::offsets_partition_for`], [`World::acks_for`] and
//! [`World::durability`].

use crate::sim::assignor::{self, AssignorKind, Subscription, TopicPartition};
use crate::sim::cluster::acks::{Acks, Delivery, Durability};
use crate::sim::cluster::broker::{self, Broker, BrokerId, MAX_BROKERS};
use crate::sim::cluster::coordinator;
use crate::sim::cluster::quorum::ControllerQuorum;
use crate::sim::cluster::replica::{PartitionReplicas, ProduceError};
use crate::sim::cluster::Cluster;
use crate::sim::command::{BrokerRef, Command, KeySpec, ResetSpec};
use crate::sim::consumer::{
    AutoOffsetReset, CommitMode, Consumer, ConsumerConfig, ConsumerStatus, FetchedRange,
};
use crate::sim::event::{format_partitions, Event, TimedEvent};
use crate::sim::group::{
    CommittedOffset, Group, GroupState, LagSample, Member, RebalanceProtocol, RemovalReason,
    MAX_JOIN_KEYS,
};
use crate::sim::partitioner::round_robin::RoundRobinPartitioner;
use crate::sim::partitioner::sticky::{record_size_in_bytes, StickyPartitioner};
use crate::sim::partitioner::{murmur2, PartitionReason, PartitionerKind};
use crate::sim::rng::Rng;
use crate::sim::topic::{validate_topic_name, Topic, MAX_PARTITIONS};
use crate::sim::vecmap::{VecMap, VecSet};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fmt;

/// Bounds that keep memory a budget, not an accident.
pub const MAX_TOPICS: usize = 64;
pub const MAX_GROUPS: usize = 64;
pub const MAX_CONSUMERS: usize = 256;
pub const MAX_RECORD_BYTES: usize = 1_048_576;
pub const MAX_AUTO_RATE_PER_S: u32 = 100_000;
pub const MAX_BURST: u32 = 100_000;
/// Polls one consumer may run in a single 1 ms step (when processing takes no time).
const MAX_POLLS_PER_STEP: usize = 64;

/// Settings of the simulated cluster and of the simulator itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorldConfig {
    pub seed: u64,
    /// `group.initial.rebalance.delay.ms` (broker, default 3000): how long a new group waits
    /// for more members before its first rebalance completes.
    pub initial_rebalance_delay_ms: u64,
    /// Round trip of the SyncGroup phase (how long a group stays in CompletingRebalance).
    pub sync_latency_ms: u64,
    /// How often retention runs (`log.retention.check.interval.ms`, 300000 in Kafka; shorter
    /// here so deletions are seen).
    pub retention_check_interval_ms: u64,
    /// The simulator's memory cap on retained records per partition.
    pub max_retained_records_per_partition: u64,
    /// Producer `batch.size` (default 16384): what the uniform sticky partitioner fills.
    pub batch_size: u64,
    /// How often each group's lag is sampled for charts.
    pub lag_sample_interval_ms: u64,
    /// Events kept for the event log.
    pub event_log_len: usize,
    /// Brokers in the cluster, `node.id` 1..=brokers (default 1: a single-broker dev cluster).
    pub brokers: u32,
    /// `default.replication.factor` (default 1): replicas of a topic created without one.
    pub default_replication_factor: u32,
    /// `replica.lag.time.max.ms` (default 30000): a follower not caught up for this long
    /// leaves the ISR.
    pub replica_lag_time_max_ms: u64,
    /// How often followers fetch from their leaders (a simulator knob: Kafka's follower fetches
    /// are long polls answered as soon as data arrives, so this is their round trip; larger
    /// values make the high watermark visibly trail the log end offset).
    pub replica_fetch_interval_ms: u64,
    /// `broker.session.timeout.ms` (default 9000): a broker silent this long is fenced.
    pub broker_session_timeout_ms: u64,
    /// How many of the first brokers are also KRaft controller voters (combined mode;
    /// default 3, capped at the broker count).
    pub controller_voters: u32,
    /// `controller.quorum.fetch.timeout.ms` (default 2000): how long voters wait for a silent
    /// active controller before electing another.
    pub controller_quorum_fetch_timeout_ms: u64,
    /// `controller.quorum.election.timeout.ms` (default 1000): the random election back-off.
    pub controller_quorum_election_timeout_ms: u64,
    /// `auto.leader.rebalance.enable` (default true): move leadership back to preferred
    /// replicas periodically.
    pub auto_leader_rebalance_enable: bool,
    /// `leader.imbalance.check.interval.seconds` in ms (default 300000).
    pub leader_imbalance_check_interval_ms: u64,
    /// `leader.imbalance.per.broker.percentage` (default 10).
    pub leader_imbalance_per_broker_percentage: u32,
    /// `offsets.topic.num.partitions` (default 50).
    pub offsets_topic_num_partitions: u32,
    /// `offsets.topic.replication.factor` (default 3; capped at the broker count here).
    pub offsets_topic_replication_factor: u32,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            seed: 1,
            initial_rebalance_delay_ms: 3_000,
            sync_latency_ms: 100,
            retention_check_interval_ms: 1_000,
            max_retained_records_per_partition: 100_000,
            batch_size: 16_384,
            lag_sample_interval_ms: 250,
            event_log_len: 2_000,
            brokers: 1,
            default_replication_factor: 1,
            replica_lag_time_max_ms: 30_000,
            replica_fetch_interval_ms: 50,
            broker_session_timeout_ms: 9_000,
            controller_voters: 3,
            controller_quorum_fetch_timeout_ms: 2_000,
            controller_quorum_election_timeout_ms: 1_000,
            auto_leader_rebalance_enable: true,
            leader_imbalance_check_interval_ms: 300_000,
            leader_imbalance_per_broker_percentage: 10,
            offsets_topic_num_partitions: 50,
            offsets_topic_replication_factor: 3,
        }
    }
}

impl WorldConfig {
    pub fn validate(&self) -> Result<(), String> {
        if self.initial_rebalance_delay_ms > 300_000 {
            return Err("initial_rebalance_delay_ms must be at most 300000".into());
        }
        if self.sync_latency_ms > 60_000 {
            return Err("sync_latency_ms must be at most 60000".into());
        }
        if !(1..=3_600_000).contains(&self.retention_check_interval_ms) {
            return Err("retention_check_interval_ms must be between 1 and 3600000".into());
        }
        if !(1..=10_000_000).contains(&self.max_retained_records_per_partition) {
            return Err("max_retained_records_per_partition must be between 1 and 10000000".into());
        }
        if !(1..=16_777_216).contains(&self.batch_size) {
            return Err("batch_size must be between 1 and 16777216".into());
        }
        if !(1..=3_600_000).contains(&self.lag_sample_interval_ms) {
            return Err("lag_sample_interval_ms must be between 1 and 3600000".into());
        }
        if !(1..=100_000).contains(&self.event_log_len) {
            return Err("event_log_len must be between 1 and 100000".into());
        }
        if !(1..=MAX_BROKERS).contains(&self.brokers) {
            return Err(format!("brokers must be between 1 and {MAX_BROKERS}"));
        }
        if !(1..=MAX_BROKERS).contains(&self.default_replication_factor) {
            return Err(format!(
                "default.replication.factor must be between 1 and {MAX_BROKERS}"
            ));
        }
        let ms = |v: u64, name: &str, max: u64| {
            if (1..=max).contains(&v) {
                Ok(())
            } else {
                Err(format!("{name} must be between 1 and {max}"))
            }
        };
        ms(
            self.replica_lag_time_max_ms,
            "replica.lag.time.max.ms",
            3_600_000,
        )?;
        ms(
            self.replica_fetch_interval_ms,
            "replica_fetch_interval_ms",
            60_000,
        )?;
        ms(
            self.broker_session_timeout_ms,
            "broker.session.timeout.ms",
            3_600_000,
        )?;
        ms(
            self.controller_quorum_fetch_timeout_ms,
            "controller.quorum.fetch.timeout.ms",
            600_000,
        )?;
        ms(
            self.controller_quorum_election_timeout_ms,
            "controller.quorum.election.timeout.ms",
            600_000,
        )?;
        ms(
            self.leader_imbalance_check_interval_ms,
            "leader.imbalance.check.interval.seconds (in ms)",
            86_400_000,
        )?;
        if !(1..=MAX_BROKERS).contains(&self.controller_voters) {
            return Err(format!(
                "controller_voters must be between 1 and {MAX_BROKERS}"
            ));
        }
        if self.leader_imbalance_per_broker_percentage > 100 {
            return Err("leader.imbalance.per.broker.percentage must be at most 100".into());
        }
        if !(1..=1_000).contains(&self.offsets_topic_num_partitions) {
            return Err("offsets.topic.num.partitions must be between 1 and 1000".into());
        }
        if self.offsets_topic_replication_factor == 0 {
            return Err("offsets.topic.replication.factor must be at least 1".into());
        }
        Ok(())
    }
}

/// A command the world refused; the world is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimError(pub String);

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SimError {}

fn err<T>(msg: impl Into<String>) -> Result<T, SimError> {
    Err(SimError(msg.into()))
}

/// A running auto-producer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoProducer {
    pub rate_per_s: u32,
    pub keys: KeySpec,
    pub partitioner: PartitionerKind,
    /// Thousandths of a record carried to the next ms.
    carry_milli: u64,
}

/// Lag of one partition for one group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionLag {
    pub topic: String,
    pub partition: u32,
    pub log_start_offset: u64,
    /// LOG-END-OFFSET as `kafka-consumer-groups` shows it: `ListOffsets(latest)`, which for
    /// read_uncommitted consumers is the **high watermark** (equal to the leader's log end
    /// offset once followers have copied everything; always equal with one replica).
    pub log_end_offset: u64,
    /// CURRENT-OFFSET (`None` shows as "-": nothing committed yet).
    pub committed_offset: Option<u64>,
    /// LAG: high watermark − committed offset (without a commit: what auto.offset.reset
    /// implies — everything retained for earliest, 0 for latest).
    pub committed_lag: u64,
    /// The owning consumer's position (next offset it fetches).
    pub position: Option<u64>,
    /// high watermark − position (the client metric `records-lag`).
    pub position_lag: Option<u64>,
    /// Next offset the owner will process.
    pub processed: Option<u64>,
    /// Client id of the owning consumer (CONSUMER-ID).
    pub owner: Option<String>,
}

/// Whether one group has processed / committed a given record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordGroupStatus {
    pub group: String,
    pub processed: bool,
    pub committed: bool,
}

/// Shared context of one step, handed to the coordinator and the consumers.
struct Ctx<'a> {
    now_ms: u64,
    config: &'a WorldConfig,
    topics: &'a VecMap<String, Topic>,
    cluster: &'a Cluster,
    rng: &'a mut Rng,
    out: &'a mut Vec<Event>,
    /// Records services produce during this step (appended after every consumer ran).
    outbox: &'a mut Vec<Outgoing>,
}

/// A record a service produces ([`crate::sim::consumer::Emit`]).
#[derive(Clone, Debug, PartialEq)]
struct Outgoing {
    group: String,
    client_id: String,
    cause: TopicPartition,
    cause_offset: u64,
    topic: String,
    key: Option<String>,
    value: String,
}

/// The whole simulated system.
#[derive(Clone, Debug, PartialEq)]
pub struct World {
    config: WorldConfig,
    now_ms: u64,
    rng: Rng,
    topics: VecMap<String, Topic>,
    groups: VecMap<String, Group>,
    consumers: VecMap<String, Consumer>,
    sticky: VecMap<String, StickyPartitioner>,
    round_robin: VecMap<String, RoundRobinPartitioner>,
    auto: VecMap<String, AutoProducer>,
    events: VecDeque<TimedEvent>,
    next_seq: u64,
    value_seq: u64,
    next_retention_ms: u64,
    next_lag_sample_ms: u64,
    pending: Vec<Event>,
    /// Brokers, controller quorum, `__consumer_offsets`.
    cluster: Cluster,
    /// Producer `acks` for topics without their own setting.
    default_acks: Acks,
    /// Per-topic producer `acks` (set with `set_acks`).
    topic_acks: Vec<(String, Acks)>,
    outbox: Vec<Outgoing>,
}

impl World {
    pub fn new(config: WorldConfig) -> Result<Self, SimError> {
        config.validate().map_err(SimError)?;
        Ok(World {
            cluster: Cluster::new(&config),
            default_acks: Acks::All,
            topic_acks: Vec::new(),
            rng: Rng::new(config.seed),
            next_retention_ms: config.retention_check_interval_ms,
            next_lag_sample_ms: 0,
            config,
            now_ms: 0,
            topics: VecMap::new(),
            groups: VecMap::new(),
            consumers: VecMap::new(),
            sticky: VecMap::new(),
            round_robin: VecMap::new(),
            auto: VecMap::new(),
            events: VecDeque::new(),
            next_seq: 0,
            value_seq: 0,
            pending: Vec::new(),
            outbox: Vec::new(),
        })
    }

    /// A world with default settings and the given seed.
    pub fn with_seed(seed: u64) -> Self {
        World::new(WorldConfig {
            seed,
            ..Default::default()
        })
        .expect("default config is valid")
    }

    // ----- reading -------------------------------------------------------------------------

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    pub fn config(&self) -> &WorldConfig {
        &self.config
    }

    pub fn topics(&self) -> &VecMap<String, Topic> {
        &self.topics
    }

    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.get(name)
    }

    pub fn groups(&self) -> &VecMap<String, Group> {
        &self.groups
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.get(id)
    }

    pub fn consumers(&self) -> &VecMap<String, Consumer> {
        &self.consumers
    }

    pub fn consumer(&self, client_id: &str) -> Option<&Consumer> {
        self.consumers.get(client_id)
    }

    pub fn auto_producers(&self) -> &VecMap<String, AutoProducer> {
        &self.auto
    }

    /// The retained event log, oldest first.
    pub fn events(&self) -> &VecDeque<TimedEvent> {
        &self.events
    }

    /// Events with `seq ≥ since`.
    pub fn events_since(&self, since: u64) -> impl Iterator<Item = &TimedEvent> {
        let skip = self
            .events
            .front()
            .map_or(0, |e| since.saturating_sub(e.seq) as usize);
        self.events.iter().skip(skip)
    }

    /// The sequence number the next event will get.
    pub fn next_event_seq(&self) -> u64 {
        self.next_seq
    }

    /// Which partition a key would go to on `topic` now (the default partitioner).
    pub fn partition_for_key(&self, topic: &str, key: &str) -> Option<u32> {
        let t = self.topics.get(topic)?;
        Some(murmur2::partition_for_key(
            key.as_bytes(),
            t.partition_count(),
        ))
    }

    // ----- reading the cluster ---------------------------------------------------------------

    /// The cluster: brokers, controller quorum, `__consumer_offsets` replicas.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Every broker, by id (index = id − 1): process state, fenced, registering.
    pub fn brokers(&self) -> &[Broker] {
        self.cluster.brokers()
    }

    /// The KRaft controller quorum: voters, active controller, epoch.
    pub fn controller_quorum(&self) -> &ControllerQuorum {
        self.cluster.quorum()
    }

    /// The active controller, if the quorum has one.
    pub fn active_controller(&self) -> Option<BrokerId> {
        self.cluster.active_controller()
    }

    /// Time left before the active controller fences this dead (crashed, or stopped without a
    /// controller) broker; `None` if it is running, already fenced, or nobody is counting
    /// (no active controller).
    pub fn broker_session_time_left_ms(&self, id: BrokerId) -> Option<u64> {
        let b = self.cluster.broker(id)?;
        if b.is_running() || b.fenced || self.cluster.active_controller().is_none() {
            return None;
        }
        Some(b.session_deadline_ms.saturating_sub(self.now_ms))
    }

    /// Leader, replicas (with each one's LEO), ISR, high watermark and durability counters of
    /// one partition.
    pub fn partition_replicas(&self, topic: &str, partition: u32) -> Option<&PartitionReplicas> {
        self.topics.get(topic)?.replicas.get(partition as usize)
    }

    /// The broker coordinating `group` now (`None`: COORDINATOR_NOT_AVAILABLE).
    pub fn coordinator_of(&self, group: &str) -> Option<BrokerId> {
        self.groups.get(group)?.coordinator
    }

    /// The `__consumer_offsets` partition a group id maps to (`abs(hashCode) % 50`).
    pub fn offsets_partition_for(&self, group: &str) -> u32 {
        coordinator::partition_for(group, self.config.offsets_topic_num_partitions)
    }

    /// The `acks` the producers of `topic` use.
    pub fn acks_for(&self, topic: &str) -> Acks {
        self.topic_acks
            .iter()
            .find(|(t, _)| t == topic)
            .map_or(self.default_acks, |&(_, a)| a)
    }

    /// Durability counters of a topic, summed over its partitions.
    pub fn durability(&self, topic: &str) -> Durability {
        let mut d = Durability::default();
        if let Some(t) = self.topics.get(topic) {
            for r in &t.replicas {
                d.add(&r.durability);
            }
        }
        d
    }

    /// Time left before the coordinator declares this crashed consumer dead.
    pub fn session_time_left_ms(&self, client_id: &str) -> Option<u64> {
        let c = self.consumers.get(client_id)?;
        let g = self.groups.get(&c.group_id)?;
        let m = g.members.values().find(|m| m.client_id == c.client_id)?;
        Some((m.last_heartbeat_ms + m.session_timeout_ms).saturating_sub(self.now_ms))
    }

    /// Lag of every partition the group subscribes to or has committed offsets for.
    pub fn group_lag(&self, group_id: &str) -> Vec<PartitionLag> {
        let Some(g) = self.groups.get(group_id) else {
            return Vec::new();
        };
        let mut tps: VecSet<TopicPartition> = g.committed.keys().cloned().collect();
        let subscribed: VecSet<&String> = g
            .members
            .values()
            .flat_map(|m| m.topics.iter())
            .chain(
                self.consumers
                    .values()
                    .filter(|c| c.group_id == group_id)
                    .flat_map(|c| c.topics.iter()),
            )
            .collect();
        for t in subscribed {
            if let Some(topic) = self.topics.get(t) {
                tps.extend(TopicPartition::each_of(t, 0..topic.partition_count()));
            }
        }
        let reset = self
            .consumers
            .values()
            .find(|c| c.group_id == group_id)
            .map_or(AutoOffsetReset::Latest, |c| c.config.auto_offset_reset);
        tps.into_iter()
            .filter_map(|tp| {
                let topic = self.topics.get(&*tp.topic)?;
                let log = topic.partitions.get(tp.partition as usize)?;
                // LOG-END-OFFSET: ListOffsets(latest) = the high watermark.
                let leo = topic.high_watermark(tp.partition);
                let committed = g.committed.get(&tp).map(|c| c.offset);
                let owner = self
                    .consumers
                    .values()
                    .find(|c| c.group_id == group_id && c.is_alive() && c.assignment.contains(&tp));
                let position = owner.and_then(|c| c.positions.get(&tp).copied());
                let reset = owner.map_or(reset, |c| c.config.auto_offset_reset);
                let committed_lag = match committed {
                    Some(o) => leo.saturating_sub(o),
                    None => match reset {
                        AutoOffsetReset::Earliest => leo.saturating_sub(log.log_start_offset()),
                        _ => 0,
                    },
                };
                Some(PartitionLag {
                    log_start_offset: log.log_start_offset(),
                    log_end_offset: leo,
                    committed_offset: committed,
                    committed_lag,
                    position,
                    position_lag: position.map(|p| leo.saturating_sub(p)),
                    processed: owner.and_then(|c| c.processed.get(&tp).copied()),
                    owner: owner.map(|c| c.client_id.clone()),
                    topic: tp.topic.to_string(),
                    partition: tp.partition,
                })
            })
            .collect()
    }

    /// For the record inspector: which groups have processed and committed this offset.
    pub fn record_status(
        &self,
        topic: &str,
        partition: u32,
        offset: u64,
    ) -> Vec<RecordGroupStatus> {
        let tp = TopicPartition::new(topic, partition);
        self.groups
            .values()
            .filter(|g| {
                g.committed.contains_key(&tp)
                    || g.processed_high.contains_key(&tp)
                    || g.members
                        .values()
                        .any(|m| m.topics.iter().any(|t| t == topic))
            })
            .map(|g| RecordGroupStatus {
                group: g.group_id.clone(),
                processed: g.processed_high.get(&tp).is_some_and(|&h| offset < h),
                committed: g.committed.get(&tp).is_some_and(|c| offset < c.offset),
            })
            .collect()
    }

    /// Checks the invariants property tests rely on; `Err` names the broken one.
    pub fn check_invariants(&self) -> Result<(), String> {
        for (name, t) in &self.topics {
            if t.replicas.len() != t.partitions.len() {
                return Err(format!("{name}: a partition without replicas"));
            }
            for (p, (log, r)) in t.partitions.iter().zip(&t.replicas).enumerate() {
                if log.log_start_offset() > log.log_end_offset() {
                    return Err(format!(
                        "{name}-{p}: log start offset beyond log end offset"
                    ));
                }
                r.check(Some(log.log_end_offset()))
                    .map_err(|e| format!("{name}-{p}: {e}"))?;
                if r.replication_factor() as u32 != t.replication_factor() {
                    return Err(format!("{name}-{p}: replication factor differs"));
                }
                if let Some(l) = r.leader {
                    if self.cluster.broker(l).is_none_or(|b| b.fenced) {
                        return Err(format!("{name}-{p}: leader {l} is fenced"));
                    }
                }
            }
        }
        for (p, r) in self.cluster.offsets_topic().iter().enumerate() {
            r.check(None)
                .map_err(|e| format!("__consumer_offsets-{p}: {e}"))?;
        }
        let q = self.cluster.quorum();
        if let Some(a) = q.active {
            if !q.voters.contains(&a) || !self.cluster.broker(a).is_some_and(Broker::is_running) {
                return Err(format!("active controller {a} is not a live voter"));
            }
        }
        for g in self.groups.values() {
            for (tp, c) in &g.committed {
                // Up to the highest LEO the partition ever had: an unclean election may cut
                // the log below offsets already committed (consumers then reset).
                let leo = self
                    .topics
                    .get(&*tp.topic)
                    .and_then(|t| t.replicas.get(tp.partition as usize))
                    .map_or(0, |r| r.max_log_end_offset);
                if c.offset > leo {
                    return Err(format!(
                        "{}: committed {} beyond log end offset {leo} for {}-{}",
                        g.group_id, c.offset, tp.topic, tp.partition
                    ));
                }
            }
            if g.state == GroupState::Stable {
                let mut seen = VecSet::new();
                for m in g.members.values() {
                    for tp in &m.assignment {
                        if !seen.insert(tp) {
                            return Err(format!(
                                "{}: {}-{} assigned twice in generation {}",
                                g.group_id, tp.topic, tp.partition, g.generation_id
                            ));
                        }
                    }
                }
            }
            // Client side: live members never own the same partition at the same time.
            let mut owned = VecMap::new();
            for c in self.consumers.values() {
                let member = c
                    .member_id
                    .as_ref()
                    .is_some_and(|m| g.members.contains_key(m));
                if c.group_id != g.group_id || !c.is_alive() || !member {
                    continue;
                }
                for tp in &c.assignment {
                    if let Some(other) = owned.insert(tp, &c.client_id) {
                        return Err(format!(
                            "{}: {}-{} owned by both {other} and {}",
                            g.group_id, tp.topic, tp.partition, c.client_id
                        ));
                    }
                }
            }
        }
        for c in self.consumers.values() {
            for (tp, &p) in &c.processed {
                if c.positions.get(tp).is_some_and(|&pos| p > pos) {
                    return Err(format!("{}: processed past its position", c.client_id));
                }
            }
        }
        Ok(())
    }

    // ----- time ----------------------------------------------------------------------------

    /// Advances virtual time by `ms` milliseconds; returns what happened.
    pub fn tick(&mut self, ms: u64) -> Vec<Event> {
        let mut out = Vec::new();
        for _ in 0..ms {
            self.step();
            if !self.pending.is_empty() {
                out.extend(self.flush());
            }
        }
        out
    }

    /// Advances to `at_ms` (no-op if already there).
    pub fn advance_to(&mut self, at_ms: u64) -> Vec<Event> {
        let ms = at_ms.saturating_sub(self.now_ms);
        self.tick(ms)
    }

    fn flush(&mut self) -> Vec<Event> {
        let events = std::mem::take(&mut self.pending);
        for e in &events {
            if self.events.len() >= self.config.event_log_len {
                self.events.pop_front();
            }
            self.events.push_back(TimedEvent {
                seq: self.next_seq,
                at_ms: self.now_ms,
                event: e.clone(),
            });
            self.next_seq += 1;
        }
        events
    }

    fn step(&mut self) {
        self.now_ms += 1;
        if self.cluster.needs_step(self.now_ms, &self.config) {
            let first = self.pending.len();
            let mut topics: Vec<&mut Topic> = self.topics.values_mut().collect();
            self.cluster
                .step(self.now_ms, &self.config, &mut topics, &mut self.pending);
            self.after_truncations(first);
        }
        self.auto_produce();
        if self.now_ms >= self.next_retention_ms {
            self.next_retention_ms = self.now_ms + self.config.retention_check_interval_ms;
            self.enforce_retention();
        }
        let mut ctx = Ctx {
            now_ms: self.now_ms,
            config: &self.config,
            topics: &self.topics,
            cluster: &self.cluster,
            rng: &mut self.rng,
            out: &mut self.pending,
            outbox: &mut self.outbox,
        };
        for g in self.groups.values_mut() {
            if refresh_coordinator(g, &mut ctx) {
                coordinator_step(g, &mut ctx);
            }
        }
        for c in self.consumers.values_mut() {
            if let Some(g) = self.groups.get_mut(&c.group_id) {
                consumer_step(c, g, &mut ctx);
            }
        }
        if !self.outbox.is_empty() {
            self.send_outbox();
        }
        if self.now_ms >= self.next_lag_sample_ms {
            self.next_lag_sample_ms = self.now_ms + self.config.lag_sample_interval_ms;
            self.sample_lag();
        }
    }

    /// Consumers notice an unclean election cut records they had already read (KIP-320: after
    /// a leader change the consumer validates its position with `OffsetsForLeaderEpoch`, and
    /// on divergence resets to the first offset that diverged). A clean election never cuts
    /// below the high watermark, so it never reaches what consumers read.
    fn after_truncations(&mut self, first: usize) {
        let cuts: Vec<(TopicPartition, u64)> = self.pending[first..]
            .iter()
            .filter_map(|e| match e {
                Event::RecordsLost {
                    topic,
                    partition,
                    from,
                    ..
                } => Some((TopicPartition::new(topic.as_str(), *partition), *from)),
                _ => None,
            })
            .collect();
        for (tp, from) in cuts {
            for g in self.groups.values_mut() {
                if let Some(h) = g.processed_high.get_mut(&tp) {
                    *h = (*h).min(from);
                }
            }
            for c in self.consumers.values_mut() {
                let Some(&position) = c.positions.get(&tp) else {
                    continue;
                };
                if position <= from {
                    continue;
                }
                c.positions.insert(tp.clone(), from);
                if let Some(p) = c.processed.get_mut(&tp) {
                    *p = (*p).min(from);
                }
                for r in c.batch.iter_mut().filter(|r| r.tp == tp) {
                    r.end = r.end.min(from);
                    r.next = r.next.min(r.end);
                }
                c.batch.retain(|r| r.next < r.end);
                c.note(
                    self.now_ms,
                    format!(
                        "log truncation detected on {}-{}: back to {from}",
                        tp.topic, tp.partition
                    ),
                );
                self.pending.push(Event::PositionReset {
                    group: c.group_id.clone(),
                    client_id: c.client_id.clone(),
                    tp: tp.clone(),
                    offset: from,
                    reason: format!(
                        "log truncation detected (KIP-320): the new leader does not have offsets {from}..{}",
                        position - 1
                    ),
                });
            }
        }
    }

    /// Appends what services produced in this step, in the order they produced it.
    fn send_outbox(&mut self) {
        for o in std::mem::take(&mut self.outbox) {
            if !self.topics.contains_key(&o.topic) {
                continue;
            }
            let (partition, result, _) = self.append(
                &o.topic,
                o.key.as_deref(),
                &o.value,
                None,
                PartitionerKind::Default,
            );
            let offset = match result {
                Ok(offset) => offset,
                Err(e) => {
                    self.report_produce_failures(&o.topic, &[(partition, e, 1)], false);
                    continue;
                }
            };
            self.pending.push(Event::ServiceProduced {
                group: o.group,
                client_id: o.client_id,
                cause: o.cause,
                cause_offset: o.cause_offset,
                topic: o.topic,
                partition,
                offset,
                key: o.key,
                value: o.value,
            });
        }
    }

    fn sample_lag(&mut self) {
        let ids: Vec<String> = self.groups.keys().cloned().collect();
        for id in ids {
            let lag = self.group_lag(&id);
            let sample = LagSample {
                at_ms: self.now_ms,
                committed_lag: lag.iter().map(|l| l.committed_lag).sum(),
                position_lag: lag.iter().filter_map(|l| l.position_lag).sum(),
            };
            if let Some(g) = self.groups.get_mut(&id) {
                g.push_lag(sample);
            }
        }
    }

    fn enforce_retention(&mut self) {
        let cap = self.config.max_retained_records_per_partition;
        for t in self.topics.values_mut() {
            let (ms, bytes) = (t.config.retention_ms(), t.config.retention_bytes());
            for (p, (log, r)) in t.partitions.iter_mut().zip(&t.replicas).enumerate() {
                if let Some(cause) =
                    log.enforce_retention_below(self.now_ms, ms, bytes, cap, r.high_watermark)
                {
                    self.pending.push(Event::SegmentsDeleted {
                        topic: t.name.clone(),
                        partition: p as u32,
                        log_start_offset: log.log_start_offset(),
                        cause,
                    });
                }
            }
        }
    }

    fn auto_produce(&mut self) {
        if self.auto.is_empty() {
            return;
        }
        let topics: Vec<String> = self.auto.keys().cloned().collect();
        for topic in topics {
            let (n, keys, partitioner) = {
                let a = self.auto.get_mut(&topic).expect("auto producer");
                let total = a.carry_milli + a.rate_per_s as u64;
                a.carry_milli = total % 1000;
                (total / 1000, a.keys.clone(), a.partitioner)
            };
            let mut failures = Vec::new();
            for _ in 0..n {
                let key = self.pick_key(&keys);
                self.value_seq += 1;
                let value = format!("e{}", self.value_seq);
                let (p, result, _) = self.append(&topic, key.as_deref(), &value, None, partitioner);
                if let Err(e) = result {
                    note_failure(&mut failures, p, e);
                }
            }
            self.report_produce_failures(&topic, &failures, false);
        }
    }

    /// ProduceFailed events: always for an explicit produce, else when a partition starts
    /// failing (or fails differently), not once per record.
    fn report_produce_failures(
        &mut self,
        topic: &str,
        failures: &[(u32, ProduceError, u64)],
        always: bool,
    ) {
        if failures.is_empty() {
            return;
        }
        let acks = self.acks_for(topic);
        let t = self.topics.get_mut(topic).expect("validated topic");
        for &(p, error, records) in failures {
            let r = &mut t.replicas[p as usize];
            if always || r.last_produce_error != Some(error) {
                self.pending.push(Event::ProduceFailed {
                    topic: topic.to_string(),
                    partition: p,
                    error: error.code().to_string(),
                    records,
                    acks,
                });
            }
            r.last_produce_error = Some(error);
        }
    }

    fn pick_key(&mut self, keys: &KeySpec) -> Option<String> {
        match keys {
            KeySpec::None => None,
            KeySpec::Fixed { key } => Some(key.clone()),
            KeySpec::Set { prefix, count } => {
                let i = self.rng.below(*count as u64) + 1;
                Some(format!("{prefix}{i}"))
            }
        }
    }

    /// Partitions one record and sends it to the partition's leader with the topic's `acks`
    /// (the topic and partition are already validated). `Err`: the leader could not take it
    /// (counted in the partition's durability; with `acks=0` the producer never knows).
    fn append(
        &mut self,
        topic: &str,
        key: Option<&str>,
        value: &str,
        explicit: Option<u32>,
        partitioner: PartitionerKind,
    ) -> (u32, Result<u64, ProduceError>, PartitionReason) {
        let acks = self.acks_for(topic);
        let t = self.topics.get_mut(topic).expect("validated topic");
        let n = t.partition_count();
        // Java's round-robin and sticky partitioners choose among partitions with a leader
        // (looked up only when one of them is about to choose).
        let chooses = explicit.is_none()
            && (partitioner == PartitionerKind::RoundRobin
                || (key.is_none()
                    && self
                        .sticky
                        .get(topic)
                        .and_then(|s| s.current())
                        .is_none_or(|p| p >= n)));
        let available = if !chooses || t.replicas.iter().all(|r| r.leader.is_some()) {
            Vec::new()
        } else {
            t.available_partitions()
        };
        let record_bytes = record_size_in_bytes(key.map(str::len), value.len());
        let (partition, reason) = if let Some(p) = explicit {
            (p, PartitionReason::Explicit)
        } else if partitioner == PartitionerKind::RoundRobin {
            let (p, counter) = self
                .round_robin
                .entry(topic.to_string())
                .or_default()
                .next_available(&available, n);
            (p, PartitionReason::RoundRobin { counter })
        } else if let Some(k) = key {
            let hash = murmur2::murmur2(k.as_bytes());
            (
                (murmur2::to_positive(hash) as u32) % n,
                PartitionReason::KeyHash {
                    murmur2: hash,
                    partitions: n,
                },
            )
        } else {
            let p = self
                .sticky
                .entry(topic.to_string())
                .or_default()
                .next_available(
                    &mut self.rng,
                    &available,
                    n,
                    self.config.batch_size,
                    record_bytes,
                );
            (p, PartitionReason::Sticky)
        };
        let segment_bytes = t.config.segment_bytes;
        let min_insync = t.config.min_insync_replicas;
        let replicas = &mut t.replicas[partition as usize];
        let error = match replicas.leader {
            None => Some(ProduceError::LeaderNotAvailable),
            Some(l) if !broker::serving(self.cluster.brokers(), l) => {
                Some(ProduceError::RequestTimedOut)
            }
            Some(_) if acks == Acks::All && replicas.isr.len() < min_insync as usize => {
                Some(ProduceError::NotEnoughReplicas)
            }
            Some(_) => None,
        };
        if let Some(e) = error {
            if acks == Acks::Zero {
                replicas.durability.lost_unacknowledged += 1;
            } else {
                replicas.durability.failed += 1;
            }
            return (partition, Err(e), reason);
        }
        let offset = t.partitions[partition as usize].append(
            self.now_ms,
            key,
            value,
            0,
            record_bytes,
            segment_bytes,
        );
        replicas.on_append(offset, Delivery::for_acks(acks), min_insync);
        (partition, Ok(offset), reason)
    }

    // ----- commands ------------------------------------------------------------------------

    /// Applies a command at the current virtual time. On `Err` nothing changed.
    pub fn apply(&mut self, command: Command) -> Result<Vec<Event>, SimError> {
        self.validate(&command)?;
        let first = self.pending.len();
        self.execute(command);
        self.after_truncations(first);
        Ok(self.flush())
    }

    fn topic_ref(&self, name: &str) -> Result<&Topic, SimError> {
        self.topics.get(name).ok_or_else(|| {
            SimError(format!(
                "topic \"{name}\" does not exist (UNKNOWN_TOPIC_OR_PARTITION)"
            ))
        })
    }

    fn consumer_ref(&self, client_id: &str) -> Result<&Consumer, SimError> {
        self.consumers
            .get(client_id)
            .ok_or_else(|| SimError(format!("no consumer \"{client_id}\"")))
    }

    fn group_ref(&self, group: &str) -> Result<&Group, SimError> {
        self.groups.get(group).ok_or_else(|| {
            SimError(format!(
                "group \"{group}\" does not exist (GROUP_ID_NOT_FOUND)"
            ))
        })
    }

    fn inactive_group(&self, group: &str) -> Result<&Group, SimError> {
        let g = self.group_ref(group)?;
        if g.state != GroupState::Empty || !g.members.is_empty() {
            return err(format!(
                "Assignments can only be reset if the group '{group}' is inactive, but the current state is {}.",
                g.state.name()
            ));
        }
        Ok(g)
    }

    fn validate(&self, command: &Command) -> Result<(), SimError> {
        match command {
            Command::CreateTopic {
                name,
                partitions,
                config,
            } => {
                validate_topic_name(name).map_err(SimError)?;
                if self.topics.contains_key(name) {
                    return err(format!(
                        "topic \"{name}\" already exists (TOPIC_ALREADY_EXISTS)"
                    ));
                }
                if self.topics.len() >= MAX_TOPICS {
                    return err(format!("at most {MAX_TOPICS} topics"));
                }
                if !(1..=MAX_PARTITIONS).contains(partitions) {
                    return err(format!("partitions must be between 1 and {MAX_PARTITIONS}"));
                }
                config.validate().map_err(SimError)?;
                self.need_controller("create a topic")?;
                let rf = config
                    .replication_factor
                    .unwrap_or(self.config.default_replication_factor);
                crate::sim::cluster::placement::check_replication_factor(
                    rf,
                    self.cluster.serving_brokers().len(),
                )
                .map_err(SimError)
            }
            Command::AddPartitions { topic, partitions } => {
                let t = self.topic_ref(topic)?;
                if *partitions <= t.partition_count() {
                    return err(format!(
                        "topic \"{topic}\" has {} partitions; the new count must be larger (partitions can only be added) (INVALID_PARTITIONS)",
                        t.partition_count()
                    ));
                }
                if *partitions > MAX_PARTITIONS {
                    return err(format!("partitions must be at most {MAX_PARTITIONS}"));
                }
                self.need_controller("add partitions")?;
                crate::sim::cluster::placement::check_replication_factor(
                    t.replication_factor(),
                    self.cluster.serving_brokers().len(),
                )
                .map_err(SimError)
            }
            Command::SetTopicConfig { topic, config } => {
                let t = self.topic_ref(topic)?;
                config.validate().map_err(SimError)?;
                if let Some(rf) = config.replication_factor {
                    if rf != t.replication_factor() {
                        return err(format!(
                            "topic \"{topic}\" has replication factor {}; it cannot be changed with a config change (kafka-reassign-partitions moves replicas) (INVALID_CONFIG)",
                            t.replication_factor()
                        ));
                    }
                }
                self.need_controller("change a topic config")
            }
            Command::Produce {
                topic,
                key,
                value,
                partition,
                ..
            } => {
                let t = self.topic_ref(topic)?;
                if let Some(p) = partition {
                    if *p >= t.partition_count() {
                        return err(format!(
                            "partition {p} does not exist: {topic} has partitions 0..{}",
                            t.partition_count() - 1
                        ));
                    }
                }
                let size = key.as_ref().map_or(0, String::len) + value.len();
                if size > MAX_RECORD_BYTES {
                    return err(format!(
                        "record of {size} bytes is larger than max.request.size {MAX_RECORD_BYTES} (RecordTooLargeException)"
                    ));
                }
                Ok(())
            }
            Command::ProduceBurst {
                topic, count, keys, ..
            } => {
                self.topic_ref(topic)?;
                if !(1..=MAX_BURST).contains(count) {
                    return err(format!("burst count must be between 1 and {MAX_BURST}"));
                }
                validate_keys(keys)
            }
            Command::SetAutoProduce {
                topic,
                rate_per_s,
                keys,
                ..
            } => {
                self.topic_ref(topic)?;
                if *rate_per_s > MAX_AUTO_RATE_PER_S {
                    return err(format!(
                        "rate must be between 0 and {MAX_AUTO_RATE_PER_S} records/s"
                    ));
                }
                validate_keys(keys)
            }
            Command::SetBatchSize { batch_size } => {
                if !(1..=16_777_216).contains(batch_size) {
                    return err("batch.size must be between 1 and 16777216");
                }
                Ok(())
            }
            Command::CreateGroup { group, .. } => {
                validate_group_id(group)?;
                if self.groups.contains_key(group) {
                    return err(format!("group \"{group}\" already exists"));
                }
                if self.groups.len() >= MAX_GROUPS {
                    return err(format!("at most {MAX_GROUPS} groups"));
                }
                Ok(())
            }
            Command::SetAssignor { group, .. } => self.group_ref(group).map(|_| ()),
            Command::AddConsumer {
                client_id,
                group,
                topics,
                config,
            } => {
                validate_client_id(client_id)?;
                if self.consumers.contains_key(client_id) {
                    return err(format!("a consumer \"{client_id}\" already exists"));
                }
                if self.consumers.len() >= MAX_CONSUMERS {
                    return err(format!("at most {MAX_CONSUMERS} consumers"));
                }
                validate_group_id(group)?;
                if !self.groups.contains_key(group) && self.groups.len() >= MAX_GROUPS {
                    return err(format!("at most {MAX_GROUPS} groups"));
                }
                if topics.is_empty() {
                    return err("a consumer must subscribe to at least one topic");
                }
                for t in topics {
                    self.topic_ref(t)?;
                }
                config.validate().map_err(SimError)?;
                for e in &config.emit {
                    self.topic_ref(&e.topic)
                        .map_err(|er| SimError(format!("emit: {er}")))?;
                }
                if let Some(id) = &config.group_instance_id {
                    let taken = self.consumers.values().any(|c| {
                        c.group_id == *group && c.config.group_instance_id.as_ref() == Some(id)
                    });
                    if taken {
                        return err(format!(
                            "group.instance.id \"{id}\" is already used in group {group}"
                        ));
                    }
                }
                Ok(())
            }
            Command::StopConsumer { client_id }
            | Command::CrashConsumer { client_id }
            | Command::StallConsumer { client_id } => {
                let c = self.consumer_ref(client_id)?;
                if !c.is_alive() {
                    return err(format!("{client_id} is not running"));
                }
                if matches!(command, Command::StallConsumer { .. }) && c.stalled {
                    return err(format!("{client_id} is already stalled"));
                }
                Ok(())
            }
            Command::ResumeConsumer { client_id } => {
                let c = self.consumer_ref(client_id)?;
                if !c.is_alive() || !c.stalled {
                    return err(format!("{client_id} is not stalled"));
                }
                Ok(())
            }
            Command::RestartConsumer { client_id } | Command::RemoveConsumer { client_id } => {
                let c = self.consumer_ref(client_id)?;
                if c.is_alive() {
                    return err(format!("{client_id} is running: stop or crash it first"));
                }
                Ok(())
            }
            Command::SetProcessingTime {
                client_id,
                processing_ms_per_record,
            } => {
                let c = self.consumer_ref(client_id)?;
                ConsumerConfig {
                    processing_ms_per_record: *processing_ms_per_record,
                    ..c.config.clone()
                }
                .validate()
                .map_err(SimError)
            }
            Command::ResetOffsets { group, topic, .. } => {
                self.inactive_group(group)?;
                if let Some(t) = topic {
                    self.topic_ref(t)?;
                }
                Ok(())
            }
            Command::DeleteGroup { group } => {
                self.inactive_group(group)?;
                if self
                    .consumers
                    .values()
                    .any(|c| c.group_id == *group && c.is_alive())
                {
                    return err(format!("group \"{group}\" still has running consumers"));
                }
                Ok(())
            }
            Command::AddBroker => {
                if self.cluster.brokers().len() as u32 >= MAX_BROKERS {
                    return err(format!("at most {MAX_BROKERS} brokers"));
                }
                Ok(())
            }
            Command::StopBroker(BrokerRef { broker_id })
            | Command::CrashBroker(BrokerRef { broker_id }) => {
                if !self.broker_ref(*broker_id)?.is_running() {
                    return err(format!("broker {broker_id} is not running"));
                }
                Ok(())
            }
            Command::RestartBroker(BrokerRef { broker_id }) => {
                if self.broker_ref(*broker_id)?.is_running() {
                    return err(format!(
                        "broker {broker_id} is running: stop or crash it first"
                    ));
                }
                Ok(())
            }
            Command::SetAcks { topic, .. } => {
                if let Some(t) = topic {
                    self.topic_ref(t)?;
                }
                Ok(())
            }
            Command::ElectLeaders { topic, .. } => {
                if let Some(t) = topic {
                    self.topic_ref(t)?;
                }
                self.need_controller("elect leaders")
            }
        }
    }

    fn broker_ref(&self, id: BrokerId) -> Result<&Broker, SimError> {
        self.cluster.broker(id).ok_or_else(|| {
            SimError(format!(
                "broker {id} does not exist (this cluster has brokers 1..{})",
                self.cluster.brokers().len()
            ))
        })
    }

    /// Metadata changes go through the active controller.
    fn need_controller(&self, what: &str) -> Result<(), SimError> {
        if self.cluster.active_controller().is_none() {
            return err(format!(
                "cannot {what}: there is no active controller (the KRaft quorum has no majority of its voters alive) (NOT_CONTROLLER)"
            ));
        }
        Ok(())
    }

    fn execute(&mut self, command: Command) {
        let now = self.now_ms;
        match command {
            Command::CreateTopic {
                name,
                partitions,
                mut config,
            } => {
                let rf = config
                    .replication_factor
                    .unwrap_or(self.config.default_replication_factor);
                config.replication_factor = Some(rf);
                let assignment = self.cluster.place(partitions, rf).expect("validated");
                self.topics
                    .insert(name.clone(), Topic::new(name.clone(), &assignment, config));
                self.pending.push(Event::TopicCreated {
                    topic: name,
                    partitions,
                });
            }
            Command::AddPartitions { topic, partitions } => {
                let t = self.topics.get_mut(&topic).expect("validated");
                let from = t.partition_count();
                let more = self
                    .cluster
                    .place_more(
                        t.replicas[0].preferred_leader(),
                        from,
                        partitions - from,
                        t.replication_factor(),
                    )
                    .expect("validated");
                t.partitions
                    .resize_with(partitions as usize, crate::sim::log::PartitionLog::new);
                t.replicas
                    .extend(more.iter().map(|a| PartitionReplicas::new(a, 0, now)));
                self.pending.push(Event::PartitionsAdded {
                    topic: topic.clone(),
                    from,
                    to: partitions,
                });
                // The group leader notices the new partition count in its metadata and asks
                // for a rebalance (real clients notice at their next metadata refresh).
                for g in self.groups.values() {
                    let subscribed = g.members.values().any(|m| m.topics.contains(&topic));
                    if !subscribed {
                        continue;
                    }
                    if let Some(leader) = g.leader_id.as_ref().and_then(|l| g.members.get(l)) {
                        if let Some(c) = self.consumers.get_mut(&leader.client_id) {
                            c.rejoin_needed = true;
                        }
                    }
                }
            }
            Command::SetTopicConfig { topic, mut config } => {
                let t = self.topics.get_mut(&topic).expect("validated");
                config.replication_factor = Some(t.replication_factor());
                if config.unclean_leader_election_enable && !t.config.unclean_leader_election_enable
                {
                    // The controller looks at leaderless partitions again.
                    self.cluster.request_elections();
                }
                t.config = config;
                self.pending.push(Event::TopicConfigChanged { topic });
                self.enforce_retention();
            }
            Command::Produce {
                topic,
                key,
                value,
                partition,
                partitioner,
            } => {
                let (p, result, reason) =
                    self.append(&topic, key.as_deref(), &value, partition, partitioner);
                match result {
                    Ok(offset) => self.pending.push(Event::RecordProduced {
                        topic,
                        partition: p,
                        offset,
                        key,
                        reason,
                    }),
                    Err(e) => self.report_produce_failures(&topic, &[(p, e, 1)], true),
                }
            }
            Command::ProduceBurst {
                topic,
                count,
                keys,
                partitioner,
            } => {
                let mut per_partition = VecMap::new();
                let mut failures = Vec::new();
                for _ in 0..count {
                    let key = self.pick_key(&keys);
                    self.value_seq += 1;
                    let value = format!("e{}", self.value_seq);
                    let (p, result, _) =
                        self.append(&topic, key.as_deref(), &value, None, partitioner);
                    match result {
                        Ok(_) => *per_partition.entry(p).or_insert(0) += 1,
                        Err(e) => note_failure(&mut failures, p, e),
                    }
                }
                let written = per_partition.values().sum();
                self.pending.push(Event::BurstProduced {
                    topic: topic.clone(),
                    count: written,
                    per_partition,
                });
                self.report_produce_failures(&topic, &failures, true);
            }
            Command::SetAutoProduce {
                topic,
                rate_per_s,
                keys,
                partitioner,
            } => {
                if rate_per_s == 0 {
                    self.auto.remove(&topic);
                } else {
                    let carry_milli = self.auto.get(&topic).map_or(0, |a| a.carry_milli);
                    self.auto.insert(
                        topic.clone(),
                        AutoProducer {
                            rate_per_s,
                            keys,
                            partitioner,
                            carry_milli,
                        },
                    );
                }
                self.pending
                    .push(Event::AutoProduceChanged { topic, rate_per_s });
            }
            Command::SetBatchSize { batch_size } => self.config.batch_size = batch_size,
            Command::CreateGroup { group, assignor } => self.create_group(group, assignor),
            Command::SetAssignor { group, assignor } => {
                let g = self.groups.get_mut(&group).expect("validated");
                if g.assignor != assignor {
                    g.assignor = assignor;
                    if !g.members.is_empty() {
                        let reason = format!(
                            "partition.assignment.strategy changed to {}",
                            assignor.name()
                        );
                        prepare_rebalance(g, &reason, now, &self.config, &mut self.pending);
                    }
                }
            }
            Command::AddConsumer {
                client_id,
                group,
                topics,
                config,
            } => {
                if !self.groups.contains_key(&group) {
                    // Kafka creates groups implicitly; the clients' default strategy list is
                    // [RangeAssignor, CooperativeStickyAssignor], so range is chosen.
                    self.create_group(group.clone(), AssignorKind::Range);
                }
                let mut c = Consumer::new(client_id.clone(), group.clone(), topics, config, now);
                c.coordinator = self.groups[&group].coordinator;
                c.note(now, format!("started in group {group}"));
                self.consumers.insert(client_id.clone(), c);
                self.pending
                    .push(Event::ConsumerStarted { client_id, group });
            }
            Command::StopConsumer { client_id } => {
                let c = self.consumers.get_mut(&client_id).expect("validated");
                let g = self.groups.get_mut(&c.group_id).expect("group of consumer");
                let mut ctx = Ctx {
                    now_ms: now,
                    config: &self.config,
                    topics: &self.topics,
                    cluster: &self.cluster,
                    rng: &mut self.rng,
                    out: &mut self.pending,
                    outbox: &mut self.outbox,
                };
                close_consumer(c, g, &mut ctx);
            }
            Command::CrashConsumer { client_id } => {
                let c = self.consumers.get_mut(&client_id).expect("validated");
                let g = self.groups.get(&c.group_id);
                let uncommitted: u64 = c
                    .processed
                    .iter()
                    .map(|(tp, &p)| {
                        let committed = g.and_then(|g| g.committed.get(tp)).map_or(0, |o| o.offset);
                        p.saturating_sub(committed)
                    })
                    .sum();
                c.status = ConsumerStatus::Crashed;
                c.stalled = false;
                c.batch.clear();
                c.note(
                    now,
                    format!("crashed ({uncommitted} processed, uncommitted)"),
                );
                self.pending.push(Event::ConsumerCrashed {
                    client_id,
                    uncommitted,
                });
            }
            Command::RestartConsumer { client_id } => {
                let old = self.consumers.remove(&client_id).expect("validated");
                let mut c = Consumer::new(
                    old.client_id.clone(),
                    old.group_id.clone(),
                    old.topics.clone(),
                    old.config.clone(),
                    now,
                );
                c.records_processed = old.records_processed;
                c.redelivered = old.redelivered;
                c.history = old.history;
                c.coordinator = self.groups.get(&c.group_id).and_then(|g| g.coordinator);
                c.note(now, "restarted".into());
                self.pending.push(Event::ConsumerStarted {
                    client_id: client_id.clone(),
                    group: c.group_id.clone(),
                });
                self.consumers.insert(client_id, c);
            }
            Command::StallConsumer { client_id } => {
                let c = self.consumers.get_mut(&client_id).expect("validated");
                c.stalled = true;
                c.note(now, "poll loop stuck".into());
                self.pending.push(Event::ConsumerStalled { client_id });
            }
            Command::ResumeConsumer { client_id } => {
                let c = self.consumers.get_mut(&client_id).expect("validated");
                c.stalled = false;
                c.note(now, "poll loop resumed".into());
                self.pending.push(Event::ConsumerResumed { client_id });
            }
            Command::RemoveConsumer { client_id } => {
                self.consumers.remove(&client_id);
                self.pending.push(Event::ConsumerRemoved { client_id });
            }
            Command::SetProcessingTime {
                client_id,
                processing_ms_per_record,
            } => {
                let c = self.consumers.get_mut(&client_id).expect("validated");
                c.config.processing_ms_per_record = processing_ms_per_record;
                c.note(
                    now,
                    format!(
                        "processing time set to {} ms/record",
                        crate::view::format_ms(processing_ms_per_record)
                    ),
                );
            }
            Command::ResetOffsets { group, topic, to } => self.reset_offsets(group, topic, to),
            Command::DeleteGroup { group } => {
                let mut g = self.groups.remove(&group).expect("validated");
                set_state(&mut g, GroupState::Dead, &mut self.pending);
                self.consumers.retain(|_, c| c.group_id != group);
                self.pending.push(Event::GroupDeleted { group });
            }
            Command::AddBroker => {
                self.cluster.add_broker(&mut self.pending);
            }
            Command::StopBroker(BrokerRef { broker_id }) => {
                let mut topics: Vec<&mut Topic> = self.topics.values_mut().collect();
                self.cluster.stop_broker(
                    broker_id,
                    now,
                    &self.config,
                    &mut topics,
                    &mut self.pending,
                );
            }
            Command::CrashBroker(BrokerRef { broker_id }) => {
                self.cluster
                    .crash_broker(broker_id, now, &self.config, &mut self.pending);
            }
            Command::RestartBroker(BrokerRef { broker_id }) => {
                self.cluster
                    .restart_broker(broker_id, now, &self.config, &mut self.pending);
            }
            Command::SetAcks { topic, acks } => {
                match &topic {
                    Some(t) => {
                        self.topic_acks.retain(|(name, _)| name != t);
                        self.topic_acks.push((t.clone(), acks));
                    }
                    None => self.default_acks = acks,
                }
                self.pending.push(Event::AcksChanged { topic, acks });
            }
            Command::ElectLeaders { election, topic } => {
                let mut topics: Vec<&mut Topic> = self
                    .topics
                    .values_mut()
                    .filter(|t| topic.as_ref().is_none_or(|name| *name == t.name))
                    .collect();
                self.cluster
                    .elect_leaders(election, now, &mut topics, &mut self.pending);
            }
        }
    }

    fn create_group(&mut self, group: String, assignor: AssignorKind) {
        let mut g = Group::new(group.clone(), assignor);
        g.offsets_partition =
            coordinator::partition_for(&group, self.config.offsets_topic_num_partitions);
        g.coordinator = self.cluster.coordinator(g.offsets_partition);
        self.groups.insert(group.clone(), g);
        self.pending.push(Event::GroupCreated {
            group,
            assignor: assignor.name().to_string(),
        });
    }

    fn reset_offsets(&mut self, group: String, topic: Option<String>, spec: ResetSpec) {
        let g = self.groups.get_mut(&group).expect("validated");
        let tps: Vec<TopicPartition> = match &topic {
            Some(t) => TopicPartition::each_of(t, 0..self.topics[t].partition_count()).collect(),
            None => g.committed.keys().cloned().collect(),
        };
        let mut offsets = Vec::new();
        for tp in tps {
            let t = &self.topics[&*tp.topic];
            let log = &t.partitions[tp.partition as usize];
            // --to-latest is ListOffsets(latest): the high watermark.
            let (start, end) = (log.log_start_offset(), t.high_watermark(tp.partition));
            let current = g.committed.get(&tp).map(|c| c.offset);
            let target = match spec {
                ResetSpec::Earliest => start,
                ResetSpec::Latest => end,
                ResetSpec::Offset(offset) => offset,
                ResetSpec::Timestamp(timestamp_ms) => log.offset_for_timestamp(timestamp_ms),
                ResetSpec::Duration(duration_ms) => {
                    log.offset_for_timestamp(self.now_ms.saturating_sub(duration_ms))
                }
                // Without a committed offset the tool shifts from the log end offset.
                ResetSpec::ShiftBy(shift) => {
                    let base = current.unwrap_or(end) as i64;
                    base.saturating_add(shift).max(0) as u64
                }
            };
            // Like kafka-consumer-groups: out-of-range targets are clamped to the log.
            let target = target.clamp(start, end.max(start));
            g.committed.insert(
                tp.clone(),
                CommittedOffset {
                    offset: target,
                    commit_time_ms: self.now_ms,
                },
            );
            // A deliberate replay is not a redelivery.
            g.processed_high.insert(tp.clone(), target);
            offsets.push((tp, target));
        }
        self.pending.push(Event::OffsetsReset { group, offsets });
    }
}

/// Adds one failed record to the per-(partition, error) tally.
fn note_failure(failures: &mut Vec<(u32, ProduceError, u64)>, p: u32, e: ProduceError) {
    match failures.iter_mut().find(|f| f.0 == p && f.1 == e) {
        Some(f) => f.2 += 1,
        None => failures.push((p, e, 1)),
    }
}

fn validate_keys(keys: &KeySpec) -> Result<(), SimError> {
    match keys {
        KeySpec::None => Ok(()),
        KeySpec::Fixed { key } if key.len() > 1024 => err("a key may be at most 1024 bytes"),
        KeySpec::Fixed { .. } => Ok(()),
        KeySpec::Set { prefix, count } => {
            if prefix.len() > 100 {
                return err("a key prefix may be at most 100 bytes");
            }
            if !(1..=100_000).contains(count) {
                return err("a key set has between 1 and 100000 keys");
            }
            Ok(())
        }
    }
}

fn validate_group_id(group: &str) -> Result<(), SimError> {
    if group.is_empty() || group.len() > 249 {
        return err("group.id must be 1 to 249 characters");
    }
    Ok(())
}

fn validate_client_id(id: &str) -> Result<(), SimError> {
    if id.is_empty() || id.len() > 64 {
        return err("client.id must be 1 to 64 characters");
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return err(format!(
            "client.id \"{id}\" has an invalid character '{c}': use a-z, A-Z, 0-9, '.', '_' and '-'"
        ));
    }
    Ok(())
}

// ----- coordinator side ----------------------------------------------------------------------

fn set_state(g: &mut Group, to: GroupState, out: &mut Vec<Event>) {
    if g.state != to {
        out.push(Event::GroupStateChanged {
            group: g.group_id.clone(),
            from: g.state,
            to,
        });
        g.state = to;
    }
}

/// `maybePrepareRebalance`: move to PreparingRebalance; every member must rejoin.
fn prepare_rebalance(
    g: &mut Group,
    reason: &str,
    now: u64,
    config: &WorldConfig,
    out: &mut Vec<Event>,
) {
    if g.state == GroupState::PreparingRebalance || g.state == GroupState::Dead {
        return;
    }
    let from_empty = g.state == GroupState::Empty;
    let rebalance_timeout = g
        .members
        .values()
        .map(|m| m.rebalance_timeout_ms)
        .max()
        .unwrap_or(0);
    g.join_not_before_ms = if from_empty {
        now + config.initial_rebalance_delay_ms
    } else {
        now
    };
    g.join_deadline_ms = now + rebalance_timeout.max(config.initial_rebalance_delay_ms);
    for m in g.members.values_mut() {
        m.joined = false;
    }
    g.rebalance_reason = reason.to_string();
    g.rebalance_count += 1;
    set_state(g, GroupState::PreparingRebalance, out);
    out.push(Event::RebalanceStarted {
        group: g.group_id.clone(),
        reason: reason.to_string(),
    });
}

fn remove_member(g: &mut Group, member_id: &str, reason: RemovalReason, ctx: &mut Ctx) {
    let Some(m) = g.members.remove(member_id) else {
        return;
    };
    ctx.out.push(Event::MemberRemoved {
        group: g.group_id.clone(),
        client_id: m.client_id.clone(),
        reason,
    });
    if g.leader_id.as_deref() == Some(member_id) {
        // The classic coordinator picks another member as leader; we take the earliest joiner.
        g.leader_id = g
            .members
            .values()
            .min_by_key(|m| m.join_seq)
            .map(|m| m.member_id.clone());
    }
    match g.state {
        GroupState::Stable | GroupState::CompletingRebalance => {
            let why = format!("{} {}", m.client_id, reason.describe());
            prepare_rebalance(g, &why, ctx.now_ms, ctx.config, ctx.out);
        }
        _ => {}
    }
}

/// Follows the leader of the group's `__consumer_offsets` partition: a new leader loads the
/// group (members' session timers restart); without one the group waits. Returns whether the
/// group has a coordinator now.
fn refresh_coordinator(g: &mut Group, ctx: &mut Ctx) -> bool {
    let now = ctx.cluster.coordinator(g.offsets_partition);
    if now != g.coordinator {
        ctx.out.push(Event::CoordinatorMoved {
            group: g.group_id.clone(),
            offsets_partition: g.offsets_partition,
            from: g.coordinator,
            to: now,
        });
        if now.is_some() {
            // GroupCoordinator.onGroupLoaded: every member's heartbeat deadline restarts.
            for m in g.members.values_mut() {
                m.last_heartbeat_ms = ctx.now_ms;
            }
        }
        g.coordinator = now;
    }
    now.is_some()
}

fn coordinator_step(g: &mut Group, ctx: &mut Ctx) {
    // Session expiry. Members waiting on a JoinGroup response are kept alive by it.
    let expired: Vec<String> = g
        .members
        .values()
        .filter(|m| {
            let awaiting_join = g.state == GroupState::PreparingRebalance && m.joined;
            !awaiting_join && ctx.now_ms >= m.last_heartbeat_ms + m.session_timeout_ms
        })
        .map(|m| m.member_id.clone())
        .collect();
    for id in expired {
        remove_member(g, &id, RemovalReason::SessionTimeout, ctx);
    }
    match g.state {
        GroupState::PreparingRebalance => {
            if ctx.now_ms >= g.join_deadline_ms {
                let laggards: Vec<String> = g
                    .members
                    .values()
                    .filter(|m| !m.joined)
                    .map(|m| m.member_id.clone())
                    .collect();
                for id in laggards {
                    remove_member(g, &id, RemovalReason::RebalanceTimeout, ctx);
                }
            }
            let all_joined = g.members.values().all(|m| m.joined);
            if all_joined && ctx.now_ms >= g.join_not_before_ms {
                complete_join(g, ctx);
            }
        }
        GroupState::CompletingRebalance if ctx.now_ms >= g.sync_at_ms => {
            set_state(g, GroupState::Stable, ctx.out);
            let mut assignment = VecMap::new();
            assignment.extend(
                g.members
                    .values()
                    .map(|m| (m.client_id.clone(), m.assignment.clone())),
            );
            ctx.out.push(Event::RebalanceCompleted {
                group: g.group_id.clone(),
                generation: g.generation_id,
                protocol: g.protocol(),
                assignment,
                withheld: g.withheld.clone(),
            });
        }
        _ => {}
    }
}

/// The join phase is over: bump the generation, run the leader's assignor.
fn complete_join(g: &mut Group, ctx: &mut Ctx) {
    g.generation_id += 1;
    if g.members.is_empty() {
        g.leader_id = None;
        set_state(g, GroupState::Empty, ctx.out);
        return;
    }
    if g.leader_id
        .as_ref()
        .is_none_or(|l| !g.members.contains_key(l))
    {
        g.leader_id = g
            .members
            .values()
            .min_by_key(|m| m.join_seq)
            .map(|m| m.member_id.clone());
    }
    let mut partitions_per_topic = VecMap::new();
    for m in g.members.values() {
        for t in &m.topics {
            if let Some(topic) = ctx.topics.get(t) {
                partitions_per_topic.insert(t.clone(), topic.partition_count());
            }
        }
    }
    let subscriptions: Vec<Subscription> = g
        .members
        .values()
        .map(|m| Subscription {
            member_id: m.member_id.clone(),
            group_instance_id: m.group_instance_id.clone(),
            topics: m.topics.clone(),
            owned_partitions: m.owned.clone(),
            generation: (m.owned_generation >= 0).then_some(m.owned_generation),
        })
        .collect();
    let assignment = assignor::assign(g.assignor, &partitions_per_topic, &subscriptions);
    let mut assigned = VecSet::new();
    for m in g.members.values_mut() {
        m.assignment = assignment.get(&m.member_id).cloned().unwrap_or_default();
        assigned.extend(m.assignment.iter().cloned());
    }
    let mut subscribed: VecSet<&String> = VecSet::new();
    subscribed.extend(g.members.values().flat_map(|m| m.topics.iter()));
    g.withheld = partitions_per_topic
        .iter()
        .filter(|(t, _)| subscribed.contains(t))
        .flat_map(|(t, &n)| TopicPartition::each_of(t, 0..n))
        .filter(|tp| !assigned.contains(tp))
        .collect();
    g.sync_at_ms = ctx.now_ms + ctx.config.sync_latency_ms;
    set_state(g, GroupState::CompletingRebalance, ctx.out);
}

/// JoinGroup from a consumer.
fn join_group(c: &mut Consumer, g: &mut Group, ctx: &mut Ctx) {
    let owned = c.previous_assignment.clone();
    let owned_generation = c.previous_generation;
    // A member the coordinator still knows: a rejoin.
    if let Some(m) = c.member_id.as_ref().and_then(|id| g.members.get_mut(id)) {
        m.joined = true;
        m.last_heartbeat_ms = ctx.now_ms;
        m.owned = owned;
        m.owned_generation = owned_generation;
        m.topics = c.topics.clone();
        c.status = ConsumerStatus::Joining;
        let why = format!("{} rejoined", c.client_id);
        prepare_rebalance(g, &why, ctx.now_ms, ctx.config, ctx.out);
        return;
    }
    // A static member coming back under a new process: replace the old member id.
    if let Some(instance) = c.config.group_instance_id.clone() {
        let old = g
            .members
            .values()
            .find(|m| m.group_instance_id.as_deref() == Some(instance.as_str()))
            .map(|m| m.member_id.clone());
        if let Some(old_id) = old {
            let mut m = g.members.remove(&old_id).expect("found");
            let new_id = format!("{instance}-{}", ctx.rng.uuid());
            m.member_id = new_id.clone();
            m.client_id = c.client_id.clone();
            m.last_heartbeat_ms = ctx.now_ms;
            if g.leader_id.as_deref() == Some(old_id.as_str()) {
                g.leader_id = Some(new_id.clone());
            }
            c.member_id = Some(new_id.clone());
            ctx.out.push(Event::StaticMemberRejoined {
                group: g.group_id.clone(),
                client_id: c.client_id.clone(),
                group_instance_id: instance,
            });
            if g.state == GroupState::Stable {
                // Same assignment back, no rebalance.
                let assignment = m.assignment.clone();
                g.members.insert(new_id, m);
                c.generation_id = g.generation_id;
                c.status = ConsumerStatus::Active;
                take_assignment(c, g, assignment, ctx);
            } else {
                m.joined = true;
                g.members.insert(new_id, m);
                c.status = ConsumerStatus::Joining;
            }
            return;
        }
    }
    // A new member.
    let prefix = c
        .config
        .group_instance_id
        .clone()
        .unwrap_or_else(|| c.client_id.clone());
    let member_id = format!("{prefix}-{}", ctx.rng.uuid());
    let join_seq = g.next_join_seq;
    g.next_join_seq += 1;
    g.members.insert(
        member_id.clone(),
        Member {
            member_id: member_id.clone(),
            client_id: c.client_id.clone(),
            group_instance_id: c.config.group_instance_id.clone(),
            topics: c.topics.clone(),
            session_timeout_ms: c.config.session_timeout_ms,
            rebalance_timeout_ms: c.config.max_poll_interval_ms,
            last_heartbeat_ms: ctx.now_ms,
            joined: true,
            owned,
            owned_generation,
            assignment: Vec::new(),
            join_seq,
        },
    );
    if g.leader_id.is_none() {
        g.leader_id = Some(member_id.clone());
    }
    c.member_id = Some(member_id.clone());
    c.status = ConsumerStatus::Joining;
    ctx.out.push(Event::MemberJoined {
        group: g.group_id.clone(),
        client_id: c.client_id.clone(),
        member_id,
    });
    if g.state == GroupState::PreparingRebalance {
        // A join during the initial delay extends it (InitialDelayedJoin).
        if g.join_not_before_ms > ctx.now_ms {
            g.join_not_before_ms =
                (ctx.now_ms + ctx.config.initial_rebalance_delay_ms).min(g.join_deadline_ms);
        }
    } else {
        let why = format!("{} joined", c.client_id);
        prepare_rebalance(g, &why, ctx.now_ms, ctx.config, ctx.out);
    }
}

// ----- consumer side -------------------------------------------------------------------------

fn is_member(c: &Consumer, g: &Group) -> bool {
    c.member_id
        .as_ref()
        .is_some_and(|id| g.members.contains_key(id))
}

/// SyncGroup answered: take the new assignment (`onJoinComplete`).
fn take_assignment(c: &mut Consumer, g: &mut Group, new: Vec<TopicPartition>, ctx: &mut Ctx) {
    let gen = g.generation_id;
    c.generation_id = gen;
    c.status = ConsumerStatus::Active;
    let added: Vec<TopicPartition> = new
        .iter()
        .filter(|tp| !c.assignment.contains(tp))
        .cloned()
        .collect();
    let revoked: Vec<TopicPartition> = c
        .assignment
        .iter()
        .filter(|tp| !new.contains(tp))
        .cloned()
        .collect();
    if !revoked.is_empty() {
        // Cooperative: give up what moves, then rejoin so the new owner can get it.
        revoke(c, g, &revoked, ctx);
        c.rejoin_needed = true;
    }
    c.assignment = new.clone();
    c.previous_assignment = new.clone();
    c.previous_generation = gen;
    if let Some(m) = c.member_id.as_ref().and_then(|id| g.members.get_mut(id)) {
        m.owned = new.clone();
        m.owned_generation = gen;
    }
    c.note(
        ctx.now_ms,
        format!("generation {gen}: assigned {}", format_partitions(&new)),
    );
    ctx.out.push(Event::PartitionsAssigned {
        group: g.group_id.clone(),
        client_id: c.client_id.clone(),
        partitions: added,
    });
}

fn commit(
    c: &mut Consumer,
    g: &mut Group,
    offsets: Vec<(TopicPartition, u64)>,
    auto: bool,
    ctx: &mut Ctx,
) -> bool {
    if c.coordinator.is_none() {
        // COORDINATOR_NOT_AVAILABLE: retriable; what was processed is committed next time.
        return false;
    }
    let check = match &c.member_id {
        Some(id) => g.check_commit(id, c.generation_id),
        None => Err(crate::sim::group::CommitError::UnknownMemberId),
    };
    if let Err(e) = check {
        if !offsets.is_empty() {
            ctx.out.push(Event::CommitFailed {
                group: g.group_id.clone(),
                client_id: c.client_id.clone(),
                error: format!(
                    "{}: CommitFailedException, these records will be processed again",
                    e.code()
                ),
            });
            c.note(ctx.now_ms, format!("commit failed: {}", e.code()));
        }
        return false;
    }
    let changed: Vec<(TopicPartition, u64)> = offsets
        .into_iter()
        .filter(|(tp, o)| g.committed.get(tp).map(|c| c.offset) != Some(*o))
        .collect();
    if changed.is_empty() {
        return true;
    }
    for (tp, o) in &changed {
        debug_assert!(
            ctx.topics[&*tp.topic].replicas[tp.partition as usize].max_log_end_offset >= *o,
            "committed offset beyond the log end"
        );
        g.committed.insert(
            tp.clone(),
            CommittedOffset {
                offset: *o,
                commit_time_ms: ctx.now_ms,
            },
        );
    }
    ctx.out.push(Event::OffsetsCommitted {
        group: g.group_id.clone(),
        client_id: c.client_id.clone(),
        offsets: changed,
        auto,
    });
    true
}

/// `onPartitionsRevoked` during a rebalance: with auto-commit the consumer commits what it
/// processed first (so the next owner does not redo it), then it forgets the partitions.
fn revoke(c: &mut Consumer, g: &mut Group, tps: &[TopicPartition], ctx: &mut Ctx) {
    if c.config.commit_mode == CommitMode::Auto {
        commit_processed(c, g, tps, true, ctx);
    }
    give_up(c, g, tps, ctx);
}

/// `onPartitionsRevoked` after any commit: tell the application, forget the partitions.
fn give_up(c: &mut Consumer, g: &Group, tps: &[TopicPartition], ctx: &mut Ctx) {
    if !tps.is_empty() {
        ctx.out.push(Event::PartitionsRevoked {
            group: g.group_id.clone(),
            client_id: c.client_id.clone(),
            partitions: tps.to_vec(),
        });
    }
    c.clear_ownership(tps);
}

/// Commits what has been processed on `tps`.
fn commit_processed(
    c: &mut Consumer,
    g: &mut Group,
    tps: &[TopicPartition],
    auto: bool,
    ctx: &mut Ctx,
) -> bool {
    let offsets: Vec<(TopicPartition, u64)> = tps
        .iter()
        .filter_map(|tp| c.processed.get(tp).map(|&o| (tp.clone(), o)))
        .collect();
    commit(c, g, offsets, auto, ctx)
}

fn close_consumer(c: &mut Consumer, g: &mut Group, ctx: &mut Ctx) {
    // Finish with what was processed: commit it (auto-commit on close, or the app's final
    // commitSync), give up the partitions, and leave.
    c.batch.clear();
    let owned = c.assignment.clone();
    if is_member(c, g) && c.config.commit_mode != CommitMode::SyncBeforeProcessing {
        commit_processed(c, g, &owned, c.config.commit_mode == CommitMode::Auto, ctx);
    }
    give_up(c, g, &owned, ctx);
    if let Some(id) = c.member_id.take() {
        // Static members do not send LeaveGroup: the coordinator waits for the session
        // timeout, so a quick restart gets the same partitions without a rebalance. Without a
        // coordinator the LeaveGroup is lost too.
        if c.config.group_instance_id.is_none() && c.coordinator.is_some() {
            remove_member(g, &id, RemovalReason::LeaveGroup, ctx);
        }
    }
    c.status = ConsumerStatus::Stopped;
    c.stalled = false;
    c.note(ctx.now_ms, "closed".into());
    ctx.out.push(Event::ConsumerStopped {
        client_id: c.client_id.clone(),
    });
}

/// `FindCoordinator` when the coordinator the consumer knows is no longer the group's:
/// NOT_COORDINATOR (it moved) or COORDINATOR_NOT_AVAILABLE (no leader for its partition).
fn find_coordinator(c: &mut Consumer, g: &Group, ctx: &mut Ctx) -> bool {
    if c.coordinator != g.coordinator {
        if c.coordinator.take().is_some() {
            let error = if g.coordinator.is_some() {
                "NOT_COORDINATOR"
            } else {
                "COORDINATOR_NOT_AVAILABLE"
            };
            c.note(ctx.now_ms, format!("{error}: looking for the coordinator"));
            ctx.out.push(Event::CoordinatorLost {
                group: g.group_id.clone(),
                client_id: c.client_id.clone(),
                error: error.to_string(),
            });
        }
        if let Some(b) = g.coordinator {
            c.coordinator = Some(b);
            c.note(ctx.now_ms, format!("coordinator: broker {b}"));
            ctx.out.push(Event::CoordinatorFound {
                group: g.group_id.clone(),
                client_id: c.client_id.clone(),
                coordinator: b,
            });
        }
    }
    c.coordinator.is_some()
}

fn consumer_step(c: &mut Consumer, g: &mut Group, ctx: &mut Ctx) {
    if !c.is_alive() {
        return;
    }
    let coordinator_known = find_coordinator(c, g, ctx);
    if coordinator_known {
        heartbeat_thread(c, g, ctx);
    }
    if c.stalled {
        return;
    }
    // Join / sync progress (the JoinGroup and SyncGroup responses).
    if coordinator_known
        && c.status == ConsumerStatus::Joining
        && is_member(c, g)
        && matches!(
            g.state,
            GroupState::CompletingRebalance | GroupState::Stable
        )
    {
        c.status = ConsumerStatus::AwaitingSync;
    }
    if coordinator_known && c.status == ConsumerStatus::AwaitingSync {
        if !is_member(c, g) || g.state == GroupState::PreparingRebalance {
            // REBALANCE_IN_PROGRESS / UNKNOWN_MEMBER_ID on SyncGroup: join again.
            c.status = ConsumerStatus::Joining;
            c.rejoin_needed = true;
        } else if g.state == GroupState::Stable {
            let new = g.members[c.member_id.as_ref().expect("member")]
                .assignment
                .clone();
            take_assignment(c, g, new, ctx);
        }
    }
    // The poll loop: process what the last poll returned, then poll again.
    if c.batch.is_empty() {
        c.budget_us = 0;
    }
    c.budget_us += 1000;
    let per_record_us = c.config.processing_us();
    for _ in 0..MAX_POLLS_PER_STEP {
        let had_batch = !c.batch.is_empty();
        process(c, g, per_record_us, ctx);
        if !c.batch.is_empty() {
            break;
        }
        if had_batch && c.config.commit_mode == CommitMode::SyncAfterProcessing {
            let owned = c.assignment.clone();
            commit_processed(c, g, &owned, false, ctx);
        }
        poll(c, g, ctx);
        if c.batch.is_empty() {
            c.budget_us = 0;
            break;
        }
    }
}

fn heartbeat_thread(c: &mut Consumer, g: &mut Group, ctx: &mut Ctx) {
    if ctx.now_ms >= c.next_heartbeat_ms {
        c.next_heartbeat_ms = ctx.now_ms + c.config.heartbeat_interval_ms;
        if let Some(id) = c.member_id.clone() {
            match g.members.get_mut(&id) {
                Some(m) => {
                    m.last_heartbeat_ms = ctx.now_ms;
                    if g.state == GroupState::PreparingRebalance && !m.joined {
                        // REBALANCE_IN_PROGRESS: rejoin at the next poll().
                        c.rejoin_needed = true;
                    }
                }
                None => {
                    // UNKNOWN_MEMBER_ID: the coordinator dropped us.
                    c.rejoin_needed = true;
                }
            }
        }
    }
    // The heartbeat thread also watches the poll loop (max.poll.interval.ms).
    if is_member(c, g) && ctx.now_ms.saturating_sub(c.last_poll_ms) > c.config.max_poll_interval_ms
    {
        let id = c.member_id.clone().expect("member");
        c.note(
            ctx.now_ms,
            "max.poll.interval.ms exceeded: left the group".into(),
        );
        remove_member(g, &id, RemovalReason::MaxPollIntervalExceeded, ctx);
        c.rejoin_needed = true;
    }
}

/// Processes records of the current batch while the processing budget lasts.
fn process(c: &mut Consumer, g: &mut Group, per_record_us: u64, ctx: &mut Ctx) {
    while let Some(front) = c.batch.front_mut() {
        let available = front.end - front.next;
        // No processing time: everything fetched is processed at once.
        let n = c
            .budget_us
            .checked_div(per_record_us)
            .map_or(available, |affordable| available.min(affordable));
        if n == 0 {
            break;
        }
        let from = front.next;
        front.next += n;
        c.budget_us -= n * per_record_us;
        let tp = front.tp.clone();
        if front.next == front.end {
            c.batch.pop_front();
        }
        let high = g.processed_high.entry(tp.clone()).or_insert(from);
        if from < *high {
            let to = (from + n).min(*high);
            c.redelivered += to - from;
            ctx.out.push(Event::Redelivered {
                group: g.group_id.clone(),
                client_id: c.client_id.clone(),
                tp: tp.clone(),
                from,
                to,
            });
        }
        *high = (*high).max(from + n);
        if !c.config.emit.is_empty() {
            run_services(c, g, &tp, from, from + n, ctx);
        }
        c.processed.insert(tp, from + n);
        c.records_processed += n;
    }
}

/// The application's `emit` rules for the records `from..to` of `tp` it just processed.
fn run_services(
    c: &Consumer,
    g: &mut Group,
    tp: &TopicPartition,
    from: u64,
    to: u64,
    ctx: &mut Ctx,
) {
    let Some(log) = ctx
        .topics
        .get(&*tp.topic)
        .and_then(|t| t.partitions.get(tp.partition as usize))
    else {
        return;
    };
    for record in log.range(from, to) {
        for (i, rule) in c.config.emit.iter().enumerate() {
            let Some(bit) = rule.matches(record.value) else {
                continue;
            };
            if rule.join {
                let key = record.key.unwrap_or_default();
                let slot = g
                    .join_state
                    .iter()
                    .position(|(r, k, _)| usize::from(*r) == i && k == key);
                let seen = match slot {
                    Some(s) => {
                        g.join_state[s].2 |= bit;
                        g.join_state[s].2
                    }
                    None => {
                        if g.join_state.len() >= MAX_JOIN_KEYS {
                            g.join_state.remove(0);
                        }
                        g.join_state.push((i as u8, key.to_string(), bit));
                        bit
                    }
                };
                if seen != rule.complete_mask() {
                    continue;
                }
                if let Some(s) = g
                    .join_state
                    .iter()
                    .position(|(r, k, _)| usize::from(*r) == i && k == key)
                {
                    g.join_state.remove(s);
                }
            }
            ctx.outbox.push(Outgoing {
                group: g.group_id.clone(),
                client_id: c.client_id.clone(),
                cause: tp.clone(),
                cause_offset: record.offset,
                topic: rule.topic.clone(),
                key: record.key.map(str::to_string),
                value: rule.value.clone(),
            });
        }
    }
}

/// `KafkaConsumer.poll()`: rejoin if needed, auto-commit if due, fetch a batch.
fn poll(c: &mut Consumer, g: &mut Group, ctx: &mut Ctx) {
    c.last_poll_ms = ctx.now_ms;
    if c.coordinator.is_some() && (c.rejoin_needed || !is_member(c, g)) {
        let lost = !is_member(c, g) && c.member_id.is_some();
        let owned = c.assignment.clone();
        if lost {
            // We were dropped (session timeout or max.poll.interval): someone else may own
            // our partitions already, so don't commit — onPartitionsLost.
            if !owned.is_empty() {
                ctx.out.push(Event::PartitionsLost {
                    group: g.group_id.clone(),
                    client_id: c.client_id.clone(),
                    partitions: owned.clone(),
                });
            }
            c.clear_ownership(&owned);
            c.member_id = None;
            c.generation_id = -1;
        } else if g.protocol() == RebalanceProtocol::Eager && !owned.is_empty() {
            // Eager: revoke everything before rejoining (onJoinPrepare).
            revoke(c, g, &owned, ctx);
        }
        c.rejoin_needed = false;
        join_group(c, g, ctx);
    }
    if c.config.commit_mode == CommitMode::Auto && ctx.now_ms >= c.next_auto_commit_ms {
        c.next_auto_commit_ms = ctx.now_ms + c.config.auto_commit_interval_ms;
        let owned = c.assignment.clone();
        commit_processed(c, g, &owned, true, ctx);
    }
    fetch(c, g, ctx);
    if c.config.commit_mode == CommitMode::SyncBeforeProcessing && !c.batch.is_empty() {
        let offsets: Vec<(TopicPartition, u64)> =
            c.batch.iter().map(|r| (r.tp.clone(), r.end)).collect();
        commit(c, g, offsets, false, ctx);
    }
}

/// Fills a batch of up to `max.poll.records` from the owned partitions, round-robin.
fn fetch(c: &mut Consumer, g: &mut Group, ctx: &mut Ctx) {
    let n = c.assignment.len();
    if n == 0 {
        return;
    }
    let mut room = c.config.max_poll_records as u64;
    let start = c.fetch_cursor % n;
    c.fetch_cursor = c.fetch_cursor.wrapping_add(1);
    for i in 0..n {
        if room == 0 {
            break;
        }
        let tp = c.assignment[(start + i) % n].clone();
        let topics = ctx.topics;
        let Some((log, replicas)) = topics.get(&*tp.topic).and_then(|t| {
            let p = tp.partition as usize;
            Some((t.partitions.get(p)?, t.replicas.get(p)?))
        }) else {
            continue;
        };
        // Fetches go to the partition's leader; without a serving one, nothing comes back.
        if !replicas
            .leader
            .is_some_and(|l| broker::serving(ctx.cluster.brokers(), l))
        {
            continue;
        }
        let high_watermark = replicas.high_watermark;
        let Some(position) = ensure_position(c, g, &tp, log, high_watermark, ctx) else {
            continue;
        };
        // Consumers read only below the high watermark: committed records.
        let take = high_watermark.saturating_sub(position).min(room);
        if take == 0 {
            continue;
        }
        room -= take;
        c.positions.insert(tp.clone(), position + take);
        c.batch.push_back(FetchedRange {
            tp,
            next: position,
            end: position + take,
        });
    }
}

/// The fetch position of `tp`, initialising or resetting it as Kafka does.
fn ensure_position(
    c: &mut Consumer,
    g: &mut Group,
    tp: &TopicPartition,
    log: &crate::sim::log::PartitionLog,
    high_watermark: u64,
    ctx: &mut Ctx,
) -> Option<u64> {
    let (start, end) = (log.log_start_offset(), log.log_end_offset());
    let reset = |policy: AutoOffsetReset| match policy {
        AutoOffsetReset::Earliest => Some(start),
        // ListOffsets(latest) answers the high watermark.
        AutoOffsetReset::Latest => Some(high_watermark.max(start)),
        AutoOffsetReset::None => None,
    };
    let policy = c.config.auto_offset_reset;
    let (offset, reason) = match c.positions.get(tp) {
        Some(&p) if (start..=end).contains(&p) => return Some(p),
        Some(&p) if p < start => (
            reset(policy),
            format!(
                "OffsetOutOfRange: {p} is below the log start offset {start}; auto.offset.reset={}",
                policy_name(policy)
            ),
        ),
        Some(&p) => (
            reset(policy),
            format!(
                "OffsetOutOfRange: {p} is beyond the log end offset {end} (the log was truncated); auto.offset.reset={}",
                policy_name(policy)
            ),
        ),
        None => match g.committed.get(tp).map(|o| o.offset) {
            Some(o) if (start..=end).contains(&o) => {
                if let Some(&high) = g.processed_high.get(tp) {
                    if o > high {
                        ctx.out.push(Event::Skipped {
                            group: g.group_id.clone(),
                            client_id: c.client_id.clone(),
                            tp: tp.clone(),
                            from: high,
                            to: o,
                        });
                    }
                }
                (Some(o), "committed offset".to_string())
            }
            Some(o) if o < start => (
                reset(policy),
                format!(
                    "committed offset {o} is out of range (log start {start}); auto.offset.reset={}",
                    policy_name(policy)
                ),
            ),
            Some(o) => (
                reset(policy),
                format!(
                    "committed offset {o} is out of range (beyond the log end {end}: the log was truncated); auto.offset.reset={}",
                    policy_name(policy)
                ),
            ),
            None => (
                reset(policy),
                format!(
                    "no committed offset; auto.offset.reset={}",
                    policy_name(policy)
                ),
            ),
        },
    };
    let Some(offset) = offset else {
        if c.positions.remove(tp).is_some()
            || !c.history.iter().any(|h| h.text.contains("NoOffset"))
        {
            c.note(ctx.now_ms, "NoOffsetForPartitionException".into());
            ctx.out.push(Event::NoOffsetForPartition {
                group: g.group_id.clone(),
                client_id: c.client_id.clone(),
                tp: tp.clone(),
            });
        }
        return None;
    };
    g.processed_high.entry(tp.clone()).or_insert(offset);
    c.positions.insert(tp.clone(), offset);
    c.processed.insert(tp.clone(), offset);
    ctx.out.push(Event::PositionReset {
        group: g.group_id.clone(),
        client_id: c.client_id.clone(),
        tp: tp.clone(),
        offset,
        reason,
    });
    Some(offset)
}

fn policy_name(p: AutoOffsetReset) -> &'static str {
    match p {
        AutoOffsetReset::Earliest => "earliest",
        AutoOffsetReset::Latest => "latest",
        AutoOffsetReset::None => "none",
    }
}
