//! `cooperative-sticky`: the sticky target, reached without stopping the world.
//!
//! Mirrors [`org.apache.kafka.clients.consumer.CooperativeStickyAssignor`](https://github.com/apache/kafka/blob/trunk/clients/src/main/java/org/apache/kafka/clients/consumer/CooperativeStickyAssignor.java)
//! on top of [`AbstractStickyAssignor`](https://github.com/apache/kafka/blob/trunk/clients/src/main/java/org/apache/kafka/clients/consumer/internals/AbstractStickyAssignor.java)
//! (see `sticky.rs` for the target itself).
//!
//! In the eager protocol every member revokes *everything* before it rejoins, so during a
//! rebalance nobody consumes anything. The cooperative protocol (KIP-429) keeps members
//! consuming what they keep, which creates one danger: a partition must never be consumed by
//! two members at once. So the leader
//!
//! 1. computes the same sticky target as `sticky` (members report `ownedPartitions` and their
//!    `generationId` directly in the subscription);
//! 2. finds the partitions **transferring ownership**: assigned to one member while another
//!    member still owns them (or was one of several members claiming them in the same
//!    generation);
//! 3. **withholds** those partitions: in this round nobody gets them. Each member compares its
//!    new assignment with what it owns, revokes the difference (`onPartitionsRevoked`, commit
//!    first) and, having revoked something, immediately rejoins;
//! 4. in the follow-up rebalance the withheld partitions are owned by nobody, so they go to
//!    their new owners. Everything else stays put the whole time.
//!
//! When all subscriptions are equal, step 2 comes straight out of the constrained algorithm
//! (`partitionsTransferringOwnership`: a partition given to a member other than the one that
//! had to give it up). Otherwise Java recomputes it: partitions that were added to a member's
//! assignment and removed from some member's owned list
//! (`computePartitionsTransferringOwnership`).

use super::{Group, GroupAssignment, Subscription, TopicPartition};
use crate::sim::vecmap::VecMap;

/// Round 1 of a cooperative rebalance, with what it holds back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CooperativeRound {
    /// What each member gets now (the sticky target minus the withheld partitions).
    pub assignment: GroupAssignment,
    /// Withheld partitions → the member that gets them in the follow-up rebalance, once their
    /// current owner has revoked them. Empty when the target is reached in one round.
    pub withheld: VecMap<TopicPartition, String>,
}

/// `assign(AssignorKind::CooperativeSticky, …)` plus the partitions it withholds, for showing
/// learners which partitions are "in flight" between two members.
pub fn assign_with_withheld(
    partitions_per_topic: &VecMap<String, u32>,
    members: &[Subscription],
) -> CooperativeRound {
    let group = Group::new(partitions_per_topic, members);
    let outcome = assign(&group);
    let mut withheld = VecMap::new();
    withheld.extend(outcome.withheld.iter().map(|&(pid, m)| {
        (
            group.topic_partition(pid),
            group.members[m as usize].sub.member_id.clone(),
        )
    }));
    CooperativeRound {
        assignment: group.to_group_assignment(outcome.assignment),
        withheld,
    }
}

pub(crate) struct CooperativeOutcome {
    pub assignment: Vec<Vec<u32>>,
    /// (pid, the member it goes to next round).
    pub withheld: Vec<(u32, u32)>,
}

pub(crate) fn assign(group: &Group) -> CooperativeOutcome {
    let target = super::sticky::assign(group);
    let mut assignment = target.assignment;
    let withheld = match target.transferring {
        Some(transferring) => transferring,
        None => compute_partitions_transferring_ownership(group, &assignment),
    };
    // `adjustAssignment`: take the transferring partitions out of their new owner's list.
    let mut is_withheld = vec![false; group.num_partitions()];
    for &(pid, _) in &withheld {
        is_withheld[pid as usize] = true;
    }
    for list in &mut assignment {
        list.retain(|&p| !is_withheld[p as usize]);
    }
    CooperativeOutcome {
        assignment,
        withheld,
    }
}

/// `computePartitionsTransferringOwnership`: partitions newly assigned to one member that some
/// member reported as owned but no longer gets.
fn compute_partitions_transferring_ownership(
    group: &Group,
    assignment: &[Vec<u32>],
) -> Vec<(u32, u32)> {
    let partitions = group.num_partitions();
    let mut owners_of: Vec<Vec<u32>> = vec![Vec::new(); partitions];
    for m in 0..group.members.len() as u32 {
        for &pid in group.owned(m) {
            owners_of[pid as usize].push(m);
        }
    }
    let mut assigned_to = vec![u32::MAX; partitions];
    for (m, list) in assignment.iter().enumerate() {
        for &pid in list {
            assigned_to[pid as usize] = m as u32;
        }
    }
    let mut transferring = Vec::new();
    for (m, list) in assignment.iter().enumerate() {
        for &pid in list {
            let owners = &owners_of[pid as usize];
            let added = !owners.contains(&(m as u32));
            // Revoked: some member owned it and is not assigned it now. Each pid has one
            // assignee, so any owner other than `m` had it revoked.
            let revoked = owners.iter().any(|&o| assigned_to[pid as usize] != o);
            if added && revoked {
                transferring.push((pid, m as u32));
            }
        }
    }
    transferring
}
