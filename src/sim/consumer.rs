//! A consumer: one `KafkaConsumer` instance running a poll loop in a consumer group.
//!
//! Mirrors what `org.apache.kafka.clients.consumer.KafkaConsumer` and its
//! `internals.ConsumerCoordinator` do, reduced to what changes the numbers a learner sees:
//! * **position** = the next offset `poll()` will fetch; **committed** = where a new owner of
//!   the partition resumes (last processed + 1, once committed);
//! * `poll()` returns up to `max.poll.records`; the application then processes them one by one
//!   (`processing_ms_per_record`), and only then calls `poll()` again — so a slow consumer
//!   builds lag, and one slower than `max.poll.interval.ms` per batch is thrown out;
//! * commits: `enable.auto.commit` commits the consumed position during `poll()` every
//!   `auto.commit.interval.ms`, before a rebalance revokes partitions and on close; or the
//!   application commits synchronously after (at-least-once) or before (at-most-once)
//!   processing each batch;
//! * liveness: a background thread heartbeats every `heartbeat.interval.ms`; no heartbeat for
//!   `session.timeout.ms` (a crash) and the coordinator removes the member; no `poll()` for
//!   `max.poll.interval.ms` (a stall) and the consumer leaves the group by itself.
//!
//! The coordinator side lives in [`crate::sim::group`]; the conversation between the two
//! (JoinGroup, SyncGroup, Heartbeat, OffsetCommit, LeaveGroup) is driven by the world.

use crate::sim::assignor::TopicPartition;
use crate::sim::vecmap::VecMap;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// `auto.offset.reset`: where to start when there is no committed offset, or it is out of
/// range (retention deleted it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AutoOffsetReset {
    /// Kafka's default: only new records.
    #[default]
    Latest,
    /// From the log start offset: everything still retained.
    Earliest,
    /// No reset: the consumer fails with `NoOffsetForPartitionException`.
    None,
}

/// How and when the application commits offsets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommitMode {
    /// `enable.auto.commit=true` (the default): commit during `poll()` every
    /// `auto.commit.interval.ms`, before revoking partitions, and on close.
    #[default]
    Auto,
    /// `enable.auto.commit=false` + `commitSync()` after processing each batch: at-least-once.
    SyncAfterProcessing,
    /// `enable.auto.commit=false` + `commitSync()` right after `poll()`, before processing:
    /// at-most-once (a crash loses the batch).
    SyncBeforeProcessing,
}

/// Consumer configuration, named after the real config keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsumerConfig {
    /// `session.timeout.ms` (default 45000 since Kafka 3.0).
    pub session_timeout_ms: u64,
    /// `heartbeat.interval.ms` (default 3000).
    pub heartbeat_interval_ms: u64,
    /// `max.poll.interval.ms` (default 300000); also the rebalance timeout.
    pub max_poll_interval_ms: u64,
    /// `max.poll.records` (default 500).
    pub max_poll_records: u32,
    /// `auto.commit.interval.ms` (default 5000).
    pub auto_commit_interval_ms: u64,
    /// `auto.offset.reset` (default latest).
    pub auto_offset_reset: AutoOffsetReset,
    /// Commit strategy (`enable.auto.commit` and the application's commit calls).
    pub commit_mode: CommitMode,
    /// Time the application spends on each record (not a Kafka setting: the work you do).
    pub processing_ms_per_record: f64,
    /// `group.instance.id`: set for a static member.
    pub group_instance_id: Option<String>,
    /// What the application produces while it processes (event chaining); empty: nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emit: Vec<Emit>,
}

/// Most `emit` rules on one consumer, and most values one rule may wait for.
pub const MAX_EMITS: usize = 4;
pub const MAX_EMIT_ON: usize = 8;

/// One thing a service does with the records it processes: produce a derived record, with
/// the same key, to another topic — event chaining, as a microservice or a Kafka Streams
/// app does. Like every Kafka app without transactions, it produces again when a record is
/// redelivered (a duplicate downstream).
///
/// With `join`, it produces once per key, only after it has seen every value in `on` for
/// that key, from any of its topics (e.g. shipping waits for `inventory_reserved` and
/// `payment_successful` of the same order). The seen-so-far state belongs to the group, as a
/// Kafka Streams state store backed by a changelog topic survives a rebalance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Emit {
    /// Topic the record goes to.
    pub topic: String,
    /// Its value (e.g. `payment_requested`).
    pub value: String,
    /// React only to records with one of these values (empty: to every record).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on: Vec<String>,
    /// Wait until every value in `on` was seen for the key, then produce once.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub join: bool,
}

impl Emit {
    /// The bit of `value` among `on` (every record matches an empty `on`), or `None`.
    pub fn matches(&self, value: &str) -> Option<u32> {
        if self.on.is_empty() {
            return Some(0);
        }
        self.on.iter().position(|v| v == value).map(|i| 1 << i)
    }

    /// All bits of `on`: what a join waits for.
    pub fn complete_mask(&self) -> u32 {
        (1u32 << self.on.len()) - 1
    }
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        ConsumerConfig {
            session_timeout_ms: 45_000,
            heartbeat_interval_ms: 3_000,
            max_poll_interval_ms: 300_000,
            max_poll_records: 500,
            auto_commit_interval_ms: 5_000,
            auto_offset_reset: AutoOffsetReset::Latest,
            commit_mode: CommitMode::Auto,
            processing_ms_per_record: 1.0,
            group_instance_id: None,
            emit: Vec::new(),
        }
    }
}

impl ConsumerConfig {
    /// Checks ranges; the message names the config key.
    pub fn validate(&self) -> Result<(), String> {
        let check = |ok: bool, msg: &str| if ok { Ok(()) } else { Err(msg.to_string()) };
        check(
            (1..=3_600_000).contains(&self.session_timeout_ms),
            "session.timeout.ms must be between 1 and 3600000",
        )?;
        check(
            self.heartbeat_interval_ms >= 1 && self.heartbeat_interval_ms < self.session_timeout_ms,
            "heartbeat.interval.ms must be at least 1 and lower than session.timeout.ms",
        )?;
        check(
            (1..=86_400_000).contains(&self.max_poll_interval_ms),
            "max.poll.interval.ms must be between 1 and 86400000",
        )?;
        check(
            (1..=100_000).contains(&self.max_poll_records),
            "max.poll.records must be between 1 and 100000",
        )?;
        check(
            (1..=86_400_000).contains(&self.auto_commit_interval_ms),
            "auto.commit.interval.ms must be between 1 and 86400000",
        )?;
        check(
            self.processing_ms_per_record.is_finite()
                && (0.0..=60_000.0).contains(&self.processing_ms_per_record),
            "processing_ms_per_record must be between 0 and 60000",
        )?;
        if let Some(id) = &self.group_instance_id {
            check(
                !id.is_empty() && id.len() <= 249,
                "group.instance.id must be 1 to 249 characters",
            )?;
        }
        check(
            self.emit.len() <= MAX_EMITS,
            "emit: at most 4 rules per consumer",
        )?;
        for e in &self.emit {
            check(
                !e.value.is_empty() && e.value.len() <= 256,
                "emit.value must be 1 to 256 characters",
            )?;
            check(e.on.len() <= MAX_EMIT_ON, "emit.on: at most 8 values")?;
            check(
                !e.join || !e.on.is_empty(),
                "emit.join needs the values to wait for in emit.on",
            )?;
        }
        Ok(())
    }

    /// Processing time per record in microseconds.
    pub fn processing_us(&self) -> u64 {
        (self.processing_ms_per_record * 1000.0).round() as u64
    }
}

/// Where a consumer is in its life and in the group protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumerStatus {
    /// Sent JoinGroup; waiting for the join phase to complete.
    Joining,
    /// Got its JoinGroup response; waiting for SyncGroup (the leader's assignment).
    AwaitingSync,
    /// Member of a stable generation (possibly with no partitions: idle).
    Active,
    /// The process died: no heartbeats, no commits. The coordinator notices after
    /// `session.timeout.ms`.
    Crashed,
    /// Closed gracefully (LeaveGroup sent).
    Stopped,
}

/// Records `poll()` returned for one partition that are not processed yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchedRange {
    pub tp: TopicPartition,
    /// Next offset to process.
    pub next: u64,
    /// One past the last fetched offset.
    pub end: u64,
}

/// One line of a consumer's own history (what the UI shows when you click it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerHistoryEntry {
    pub at_ms: u64,
    pub text: String,
}

/// Bound on each consumer's history.
pub const CONSUMER_HISTORY_LEN: usize = 64;

/// A consumer process and its client-side state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Consumer {
    /// `client.id`, the name the learner gave it (c1, c2, …).
    pub client_id: String,
    pub group_id: String,
    /// Subscribed topics.
    pub topics: Vec<String>,
    pub config: ConsumerConfig,
    pub status: ConsumerStatus,
    /// The member id the coordinator gave it (`client.id-UUID`), while it is a member.
    pub member_id: Option<String>,
    /// Generation of its current assignment (-1: none).
    pub generation_id: i32,
    /// Partitions it owns now.
    pub assignment: Vec<TopicPartition>,
    /// Last assignment received and its generation: what the sticky assignors get back as
    /// "previously owned" (their user data) even after an eager revoke.
    pub previous_assignment: Vec<TopicPartition>,
    pub previous_generation: i32,
    /// Next offset to fetch, per owned partition.
    pub positions: VecMap<TopicPartition, u64>,
    /// Next offset to process, per owned partition (what a commit after processing sends).
    pub processed: VecMap<TopicPartition, u64>,
    /// Fetched but not yet processed.
    pub batch: VecDeque<FetchedRange>,
    /// Processing time available, in microseconds.
    pub budget_us: u64,
    /// The heartbeat thread must tell the poll loop to rejoin.
    pub rejoin_needed: bool,
    /// The poll loop is stuck (heartbeats still flow).
    pub stalled: bool,
    pub last_poll_ms: u64,
    pub next_heartbeat_ms: u64,
    pub next_auto_commit_ms: u64,
    /// Round-robin start for fetching across partitions.
    pub fetch_cursor: usize,
    pub records_processed: u64,
    pub redelivered: u64,
    pub history: VecDeque<ConsumerHistoryEntry>,
    /// The group coordinator it knows (FindCoordinator); `None` while it looks for one —
    /// heartbeats, joins and commits wait, fetching from partition leaders goes on.
    #[serde(default)]
    pub coordinator: Option<crate::sim::cluster::broker::BrokerId>,
}

impl Consumer {
    pub fn new(
        client_id: String,
        group_id: String,
        topics: Vec<String>,
        config: ConsumerConfig,
        now_ms: u64,
    ) -> Self {
        Consumer {
            client_id,
            group_id,
            topics,
            status: ConsumerStatus::Joining,
            member_id: None,
            generation_id: -1,
            assignment: Vec::new(),
            previous_assignment: Vec::new(),
            previous_generation: -1,
            positions: VecMap::new(),
            processed: VecMap::new(),
            batch: VecDeque::new(),
            budget_us: 0,
            rejoin_needed: true,
            stalled: false,
            last_poll_ms: now_ms,
            next_heartbeat_ms: now_ms + config.heartbeat_interval_ms,
            next_auto_commit_ms: now_ms + config.auto_commit_interval_ms,
            fetch_cursor: 0,
            records_processed: 0,
            redelivered: 0,
            history: VecDeque::new(),
            coordinator: None,
            config,
        }
    }

    /// Is the process running (not crashed, not closed)?
    pub fn is_alive(&self) -> bool {
        !matches!(
            self.status,
            ConsumerStatus::Crashed | ConsumerStatus::Stopped
        )
    }

    /// A running member of a stable generation that owns nothing: more consumers than
    /// partitions.
    pub fn is_idle(&self) -> bool {
        self.status == ConsumerStatus::Active && self.assignment.is_empty()
    }

    /// Records fetched and not processed yet.
    pub fn in_flight(&self) -> u64 {
        self.batch.iter().map(|r| r.end - r.next).sum()
    }

    pub fn note(&mut self, at_ms: u64, text: String) {
        if self.history.len() == CONSUMER_HISTORY_LEN {
            self.history.pop_front();
        }
        self.history.push_back(ConsumerHistoryEntry { at_ms, text });
    }

    /// Drops everything about owned partitions (after a revoke or a loss).
    pub fn clear_ownership(&mut self, which: &[TopicPartition]) {
        self.assignment.retain(|tp| !which.contains(tp));
        for tp in which {
            self.positions.remove(tp);
            self.processed.remove(tp);
        }
        self.batch.retain(|r| !which.contains(&r.tp));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_kafkas() {
        let c = ConsumerConfig::default();
        assert_eq!(c.session_timeout_ms, 45_000);
        assert_eq!(c.heartbeat_interval_ms, 3_000);
        assert_eq!(c.max_poll_interval_ms, 300_000);
        assert_eq!(c.max_poll_records, 500);
        assert_eq!(c.auto_commit_interval_ms, 5_000);
        assert_eq!(c.auto_offset_reset, AutoOffsetReset::Latest);
        assert!(c.validate().is_ok());
    }

    #[test]
    fn validation_names_the_config_key() {
        let c = ConsumerConfig {
            heartbeat_interval_ms: 50_000,
            ..Default::default()
        };
        assert!(c.validate().unwrap_err().contains("heartbeat.interval.ms"));
        let c = ConsumerConfig {
            processing_ms_per_record: f64::NAN,
            ..Default::default()
        };
        assert!(c
            .validate()
            .unwrap_err()
            .contains("processing_ms_per_record"));
    }
}
