//! Leader election: which replica the controller makes leader.
//!
//! Mirrors `PartitionChangeBuilder.electLeader` (apache/kafka
//! `metadata/src/main/java/org/apache/kafka/controller/PartitionChangeBuilder.java`):
//! * a *valid* new leader is in the (target) ISR **and** acceptable — its broker is unfenced
//!   and not shutting down;
//! * **online** election (a leader died or is leaving): keep the current leader if it is
//!   still valid, else the first valid replica in assignment order;
//! * **preferred** election (`kafka-leader-election --election-type PREFERRED`, and the
//!   periodic `auto.leader.rebalance.enable`): the first replica if valid, else as above;
//! * **unclean** election (`unclean.leader.election.enable=true` on the topic): when no ISR
//!   member is available, the first acceptable replica *outside* the ISR — it becomes the only
//!   ISR member, and the records it lacks are lost.
//!
//! Kafka 4.x's "eligible leader replicas" (KIP-966, off by default) are not modelled.

use super::broker::BrokerId;
use super::replica::PartitionReplicas;
use serde::{Deserialize, Serialize};

/// How a leader came to lead, for the event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaderElection {
    /// From the ISR, because the leader died or left.
    Clean,
    /// Back to the preferred (first) replica.
    Preferred,
    /// From outside the ISR: records may be lost.
    Unclean,
}

/// `kafka-leader-election --election-type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectionType {
    /// Move leadership back to the preferred replica where it is in sync.
    Preferred,
    /// Give leaderless partitions a leader even from outside the ISR.
    Unclean,
}

/// `PartitionChangeBuilder.Election`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Election {
    Preferred,
    Online,
    Unclean,
}

/// `ElectionResult`: the chosen leader (`None`: no leader) and whether it was unclean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElectionResult {
    pub leader: Option<BrokerId>,
    pub unclean: bool,
}

pub fn elect_leader(
    p: &PartitionReplicas,
    target_isr: &[BrokerId],
    acceptable: &dyn Fn(BrokerId) -> bool,
    election: Election,
) -> ElectionResult {
    let valid = |b: BrokerId| target_isr.contains(&b) && acceptable(b);
    let clean = |leader| ElectionResult {
        leader,
        unclean: false,
    };
    if election == Election::Preferred && valid(p.preferred_leader()) {
        return clean(Some(p.preferred_leader()));
    }
    if let Some(l) = p.leader.filter(|&l| valid(l)) {
        return clean(Some(l));
    }
    if let Some(b) = p.brokers().find(|&b| valid(b)) {
        return clean(Some(b));
    }
    if election == Election::Unclean {
        if let Some(b) = p.brokers().find(|&b| acceptable(b)) {
            return ElectionResult {
                leader: Some(b),
                unclean: true,
            };
        }
    }
    clean(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partition(leader: Option<BrokerId>, isr: &[BrokerId]) -> PartitionReplicas {
        let mut p = PartitionReplicas::new(&[1, 2, 3], 0, 0);
        p.leader = leader;
        p.isr = isr.to_vec();
        p
    }

    #[test]
    fn online_keeps_a_valid_leader_else_first_isr_member_in_replica_order() {
        let p = partition(Some(2), &[1, 2, 3]);
        let all = |_| true;
        assert_eq!(
            elect_leader(&p, &p.isr, &all, Election::Online).leader,
            Some(2)
        );
        let not_2 = |b| b != 2;
        assert_eq!(
            elect_leader(&p, &[1, 3], &not_2, Election::Online).leader,
            Some(1)
        );
    }

    #[test]
    fn preferred_moves_leadership_back_to_the_first_replica() {
        let p = partition(Some(2), &[1, 2, 3]);
        let all = |_| true;
        assert_eq!(
            elect_leader(&p, &p.isr, &all, Election::Preferred).leader,
            Some(1)
        );
    }

    #[test]
    fn unclean_only_when_no_isr_member_is_available() {
        let p = partition(None, &[1]);
        let only_3 = |b| b == 3;
        assert_eq!(
            elect_leader(&p, &p.isr, &only_3, Election::Online).leader,
            None
        );
        let r = elect_leader(&p, &p.isr, &only_3, Election::Unclean);
        assert_eq!((r.leader, r.unclean), (Some(3), true));
    }
}
