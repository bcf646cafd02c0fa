//! The group coordinator's view of one consumer group (classic protocol).
//!
//! Mirrors the broker's `GroupMetadata` / `ClassicGroup` (kafka `group-coordinator` module):
//!
//! ```text
//!            first JoinGroup                    all known members rejoined
//!   Empty ─────────────────────▶ PreparingRebalance ─────────────────────▶ CompletingRebalance
//!     ▲   (after group.initial.         ▲   (or the rebalance timeout          │ leader's SyncGroup
//!     │    rebalance.delay.ms)          │    removed the laggards)             ▼ (generation + 1)
//!     └───── last member gone ──────────┴─────── join / leave / timeout ──── Stable
//! ```
//!
//! * A rebalance starts on a join, a graceful leave (LeaveGroup), a session timeout, a
//!   `max.poll.interval.ms` overrun, or a subscription / partition-count change.
//! * Members learn about it from their next heartbeat (`REBALANCE_IN_PROGRESS`) and rejoin at
//!   their next `poll()`: a member busy with a long batch holds the whole group up to the
//!   rebalance timeout (its `max.poll.interval.ms`).
//! * Offset commits are refused while `CompletingRebalance`, and from members of an old
//!   generation (`ILLEGAL_GENERATION`) or unknown members (`UNKNOWN_MEMBER_ID`).
//! * Offsets are stored per group: several groups on one topic read independently (fan-out).
//!
//! The assignment itself is computed by the leader's assignor ([`crate::sim::assignor`]).
//! The protocol is Kafka's: `cooperative-sticky` rebalances cooperatively, the others eagerly.

use crate::sim::assignor::{AssignorKind, TopicPartition};
use crate::sim::vecmap::VecMap;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Group states as the classic coordinator names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupState {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}

impl GroupState {
    pub fn name(self) -> &'static str {
        match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
            GroupState::Dead => "Dead",
        }
    }
}

/// `RebalanceProtocol` as `ConsumerPartitionAssignor.supportedProtocols()` decides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RebalanceProtocol {
    /// Everyone revokes everything before rejoining: stop-the-world.
    Eager,
    /// Only partitions that move are revoked, in a second rebalance; the rest keep flowing.
    Cooperative,
}

impl RebalanceProtocol {
    pub fn name(self) -> &'static str {
        match self {
            RebalanceProtocol::Eager => "eager",
            RebalanceProtocol::Cooperative => "cooperative",
        }
    }

    pub fn of(assignor: AssignorKind) -> Self {
        if matches!(assignor, AssignorKind::CooperativeSticky) {
            RebalanceProtocol::Cooperative
        } else {
            RebalanceProtocol::Eager
        }
    }
}

/// A member as the coordinator knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub member_id: String,
    pub client_id: String,
    pub group_instance_id: Option<String>,
    pub topics: Vec<String>,
    pub session_timeout_ms: u64,
    /// `max.poll.interval.ms`, sent as the rebalance timeout.
    pub rebalance_timeout_ms: u64,
    pub last_heartbeat_ms: u64,
    /// Has (re)joined in the current PreparingRebalance round.
    pub joined: bool,
    /// What it claims to own (cooperative ownedPartitions / sticky user data), and since
    /// which generation.
    pub owned: Vec<TopicPartition>,
    pub owned_generation: i32,
    /// Its assignment in the current generation.
    pub assignment: Vec<TopicPartition>,
    /// Order of joining (first member to join leads).
    pub join_seq: u64,
}

/// A committed offset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommittedOffset {
    pub offset: u64,
    pub commit_time_ms: u64,
}

/// Why the coordinator removed a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    /// LeaveGroup on a graceful close.
    LeaveGroup,
    /// No heartbeat within `session.timeout.ms`.
    SessionTimeout,
    /// The consumer's own heartbeat thread left after `max.poll.interval.ms` without poll().
    MaxPollIntervalExceeded,
    /// Did not rejoin before the rebalance timeout.
    RebalanceTimeout,
}

impl RemovalReason {
    pub fn describe(self) -> &'static str {
        match self {
            RemovalReason::LeaveGroup => "left the group (LeaveGroup on close)",
            RemovalReason::SessionTimeout => "no heartbeat within session.timeout.ms",
            RemovalReason::MaxPollIntervalExceeded => {
                "no poll() within max.poll.interval.ms: left the group"
            }
            RemovalReason::RebalanceTimeout => "did not rejoin before the rebalance timeout",
        }
    }
}

/// Commit errors, named like Kafka's error codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommitError {
    RebalanceInProgress,
    IllegalGeneration,
    UnknownMemberId,
}

impl CommitError {
    pub fn code(self) -> &'static str {
        match self {
            CommitError::RebalanceInProgress => "REBALANCE_IN_PROGRESS",
            CommitError::IllegalGeneration => "ILLEGAL_GENERATION",
            CommitError::UnknownMemberId => "UNKNOWN_MEMBER_ID",
        }
    }
}

/// One point of a group's lag history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LagSample {
    pub at_ms: u64,
    /// Σ (log end offset − committed offset), what `kafka-consumer-groups` shows as LAG.
    pub committed_lag: u64,
    /// Σ (log end offset − position), the client's `records-lag`.
    pub position_lag: u64,
}

/// Bound on lag history per group.
pub const LAG_HISTORY_LEN: usize = 600;

/// A consumer group on the coordinator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub group_id: String,
    pub assignor: AssignorKind,
    pub state: GroupState,
    pub generation_id: i32,
    pub leader_id: Option<String>,
    pub members: VecMap<String, Member>,
    pub committed: VecMap<TopicPartition, CommittedOffset>,
    /// Next offset not yet processed by anyone in this group, per partition: records below it
    /// that get processed again are redeliveries (at-least-once duplicates).
    pub processed_high: VecMap<TopicPartition, u64>,
    /// When the join phase may complete at the earliest (initial rebalance delay).
    pub join_not_before_ms: u64,
    /// When laggards are kicked out of the join phase (rebalance timeout).
    pub join_deadline_ms: u64,
    /// When the SyncGroup round trip completes.
    pub sync_at_ms: u64,
    /// Why the current rebalance started.
    pub rebalance_reason: String,
    /// Partitions the cooperative assignor withheld in this generation (they move in the
    /// follow-up rebalance).
    pub withheld: Vec<TopicPartition>,
    pub rebalance_count: u32,
    pub lag_history: VecDeque<LagSample>,
    pub next_join_seq: u64,
    /// The `__consumer_offsets` partition holding this group (`abs(hashCode) % 50`).
    #[serde(default)]
    pub offsets_partition: u32,
    /// The broker coordinating it: the leader of that partition (`None`:
    /// COORDINATOR_NOT_AVAILABLE, and the group's state machine waits).
    #[serde(default)]
    pub coordinator: Option<crate::sim::cluster::broker::BrokerId>,
    /// What each `emit` join has seen so far: (rule index, key, bits of `on` seen), oldest
    /// first, at most [`MAX_JOIN_KEYS`] (the group's state store).
    pub join_state: Vec<(u8, String, u32)>,
}

/// Keys a group's joins wait on at once; the oldest is forgotten beyond this.
pub const MAX_JOIN_KEYS: usize = 1024;

impl Group {
    pub fn new(group_id: String, assignor: AssignorKind) -> Self {
        Group {
            group_id,
            assignor,
            state: GroupState::Empty,
            generation_id: 0,
            leader_id: None,
            members: VecMap::new(),
            committed: VecMap::new(),
            processed_high: VecMap::new(),
            join_not_before_ms: 0,
            join_deadline_ms: 0,
            sync_at_ms: 0,
            rebalance_reason: String::new(),
            withheld: Vec::new(),
            rebalance_count: 0,
            lag_history: VecDeque::new(),
            next_join_seq: 0,
            offsets_partition: 0,
            coordinator: None,
            join_state: Vec::new(),
        }
    }

    pub fn protocol(&self) -> RebalanceProtocol {
        RebalanceProtocol::of(self.assignor)
    }

    /// True while members hold no valid assignment in a stable generation.
    pub fn is_rebalancing(&self) -> bool {
        matches!(
            self.state,
            GroupState::PreparingRebalance | GroupState::CompletingRebalance
        )
    }

    /// The member owning `tp` in the current generation.
    pub fn owner_of(&self, tp: &TopicPartition) -> Option<&Member> {
        self.members.values().find(|m| m.assignment.contains(tp))
    }

    /// Validates an OffsetCommit like the classic coordinator's `handleCommitOffsets`.
    pub fn check_commit(&self, member_id: &str, generation_id: i32) -> Result<(), CommitError> {
        let Some(_) = self.members.get(member_id) else {
            return Err(CommitError::UnknownMemberId);
        };
        if self.state == GroupState::CompletingRebalance {
            return Err(CommitError::RebalanceInProgress);
        }
        if generation_id != self.generation_id {
            return Err(CommitError::IllegalGeneration);
        }
        Ok(())
    }

    pub fn push_lag(&mut self, sample: LagSample) {
        if self.lag_history.len() == LAG_HISTORY_LEN {
            self.lag_history.pop_front();
        }
        self.lag_history.push_back(sample);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_follows_the_assignor() {
        assert_eq!(
            RebalanceProtocol::of(AssignorKind::CooperativeSticky),
            RebalanceProtocol::Cooperative
        );
        for a in [
            AssignorKind::Range,
            AssignorKind::RoundRobin,
            AssignorKind::Sticky,
        ] {
            assert_eq!(RebalanceProtocol::of(a), RebalanceProtocol::Eager);
        }
    }

    #[test]
    fn commits_checked_like_the_coordinator() {
        let mut g = Group::new("g".into(), AssignorKind::Range);
        assert_eq!(g.check_commit("m", 0), Err(CommitError::UnknownMemberId));
        g.members.insert(
            "m".into(),
            Member {
                member_id: "m".into(),
                client_id: "c".into(),
                group_instance_id: None,
                topics: vec![],
                session_timeout_ms: 1,
                rebalance_timeout_ms: 1,
                last_heartbeat_ms: 0,
                joined: true,
                owned: vec![],
                owned_generation: -1,
                assignment: vec![],
                join_seq: 0,
            },
        );
        g.generation_id = 2;
        g.state = GroupState::Stable;
        assert_eq!(g.check_commit("m", 1), Err(CommitError::IllegalGeneration));
        assert_eq!(g.check_commit("m", 2), Ok(()));
        g.state = GroupState::CompletingRebalance;
        assert_eq!(
            g.check_commit("m", 2),
            Err(CommitError::RebalanceInProgress)
        );
    }
}
