//! The KRaft controller quorum: who is the active controller.
//!
//! Since Kafka 2.8 (production-ready in 3.3, the only mode in 4.0) cluster metadata — topics,
//! partition leaders, ISRs, broker registrations — lives in a Raft log (`__cluster_metadata`)
//! replicated over a small set of **controller voters** (`controller.quorum.voters` /
//! `controller.quorum.bootstrap.servers`). The Raft leader is the **active controller**
//! (`QuorumController`); only it fences brokers, elects partition leaders and changes ISRs.
//! Each new Raft leader bumps the **epoch**.
//!
//! * Voters fetch from the active controller; if it goes silent for
//!   `controller.quorum.fetch.timeout.ms` (2000), one of them starts an election after a random
//!   `controller.quorum.election.timeout.ms` (1000) back-off, and wins with a **majority** of
//!   votes. A controller that shuts down gracefully resigns at once.
//! * Without a majority of voters alive there is **no active controller**: brokers keep serving
//!   what they lead, but nobody can fence a dead broker, elect a new leader or shrink an ISR —
//!   partitions led by a dead broker stay unavailable until the quorum is back.
//!
//! Here the brokers run in *combined mode* (`process.roles=broker,controller`): the first
//! min(3, n) brokers are also the voters. Before KRaft, ZooKeeper stored this metadata and one
//! broker, elected through ZooKeeper, was "the controller"; Kafka 4.0 removed ZooKeeper.
//! Mirrors `QuorumState` / `KafkaRaftClient` (apache/kafka `raft/`), reduced to who leads.

use super::broker::BrokerId;
use crate::sim::rng::Rng;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControllerQuorum {
    /// Brokers that are also controller voters.
    pub voters: Vec<BrokerId>,
    /// The active controller (the Raft leader), if the quorum has one.
    pub active: Option<BrokerId>,
    /// Raft epoch of the active controller (grows with every election).
    pub epoch: u32,
    /// When the next election completes (voters noticed the leader is gone).
    #[serde(skip)]
    election_at_ms: Option<u64>,
}

/// `controller.quorum.fetch.timeout.ms` and `controller.quorum.election.timeout.ms`.
#[derive(Clone, Copy, Debug)]
pub struct QuorumTimeouts {
    pub fetch_timeout_ms: u64,
    pub election_timeout_ms: u64,
}

/// What the quorum did this step, for the event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuorumChange {
    Elected {
        controller: BrokerId,
        epoch: u32,
    },
    /// The active controller is gone (`alive` voters remain).
    Lost {
        alive: usize,
    },
}

impl ControllerQuorum {
    /// The cluster starts with voter 1 active at epoch 1.
    pub fn new(voters: Vec<BrokerId>) -> Self {
        ControllerQuorum {
            active: voters.first().copied(),
            epoch: 1,
            voters,
            election_at_ms: None,
        }
    }

    pub fn majority(&self) -> usize {
        self.voters.len() / 2 + 1
    }

    pub fn is_voter(&self, b: BrokerId) -> bool {
        self.voters.contains(&b)
    }

    /// A voter went down; `graceful` means it resigned (controlled shutdown).
    pub fn voter_down(
        &mut self,
        b: BrokerId,
        graceful: bool,
        alive: usize,
        now_ms: u64,
        timeouts: QuorumTimeouts,
        rng: &mut Rng,
    ) -> Option<QuorumChange> {
        if !self.is_voter(b) {
            return None;
        }
        if self.active == Some(b) {
            self.active = None;
            self.election_at_ms = Some(if graceful {
                now_ms
            } else {
                now_ms + timeouts.fetch_timeout_ms + rng.below(timeouts.election_timeout_ms.max(1))
            });
            return Some(QuorumChange::Lost { alive });
        }
        if alive < self.majority() && self.active.is_some() {
            // The leader cannot reach a majority any more: it cannot commit anything.
            self.active = None;
            self.election_at_ms = None;
            return Some(QuorumChange::Lost { alive });
        }
        None
    }

    /// A voter came back: if that restores a majority, an election follows.
    pub fn voter_up(&mut self, b: BrokerId, alive: usize, now_ms: u64, election_timeout_ms: u64) {
        if self.is_voter(b)
            && self.active.is_none()
            && self.election_at_ms.is_none()
            && alive >= self.majority()
        {
            self.election_at_ms = Some(now_ms + election_timeout_ms);
        }
    }

    /// Completes a due election among the live voters (a random one wins, like the first
    /// candidate whose randomised timeout fires).
    pub fn step(
        &mut self,
        now_ms: u64,
        alive_voters: &[BrokerId],
        rng: &mut Rng,
    ) -> Option<QuorumChange> {
        let at = self.election_at_ms?;
        if now_ms < at {
            return None;
        }
        self.election_at_ms = None;
        if alive_voters.len() < self.majority() {
            return None;
        }
        let winner = alive_voters[rng.below(alive_voters.len() as u64) as usize];
        self.active = Some(winner);
        self.epoch += 1;
        Some(QuorumChange::Elected {
            controller: winner,
            epoch: self.epoch,
        })
    }

    /// When the pending election completes, if one is pending.
    pub fn election_at_ms(&self) -> Option<u64> {
        self.election_at_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: QuorumTimeouts = QuorumTimeouts {
        fetch_timeout_ms: 2000,
        election_timeout_ms: 1000,
    };

    #[test]
    fn losing_the_majority_leaves_no_active_controller() {
        let mut q = ControllerQuorum::new(vec![1, 2, 3]);
        let mut rng = Rng::new(1);
        assert_eq!(q.voter_down(3, false, 2, 0, T, &mut rng), None);
        assert_eq!(q.active, Some(1));
        assert_eq!(
            q.voter_down(2, false, 1, 0, T, &mut rng),
            Some(QuorumChange::Lost { alive: 1 })
        );
        assert_eq!(q.active, None);
        q.voter_up(2, 2, 5000, 1000);
        assert_eq!(q.step(5500, &[1, 2], &mut rng), None);
        assert!(matches!(
            q.step(6000, &[1, 2], &mut rng),
            Some(QuorumChange::Elected { epoch: 2, .. })
        ));
    }

    #[test]
    fn a_crashed_active_controller_is_replaced_after_the_fetch_timeout() {
        let mut q = ControllerQuorum::new(vec![1, 2, 3]);
        let mut rng = Rng::new(1);
        q.voter_down(1, false, 2, 0, T, &mut rng);
        assert_eq!(q.step(1999, &[2, 3], &mut rng), None);
        let at = q.election_at_ms().unwrap();
        assert!((2000..3000).contains(&at));
        assert!(q.step(at, &[2, 3], &mut rng).is_some());
        assert!(matches!(q.active, Some(2) | Some(3)));
    }
}
