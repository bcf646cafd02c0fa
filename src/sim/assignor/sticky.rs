//! `sticky`: as balanced as possible, moving as few partitions as possible.
//!
//! Mirrors [`org.apache.kafka.clients.consumer.internals.AbstractStickyAssignor`](https://github.com/apache/kafka/blob/trunk/clients/src/main/java/org/apache/kafka/clients/consumer/internals/AbstractStickyAssignor.java),
//! the engine shared by [`StickyAssignor`](https://github.com/apache/kafka/blob/trunk/clients/src/main/java/org/apache/kafka/clients/consumer/StickyAssignor.java)
//! (eager, this file's [`assign`]) and
//! [`CooperativeStickyAssignor`](https://github.com/apache/kafka/blob/trunk/clients/src/main/java/org/apache/kafka/clients/consumer/CooperativeStickyAssignor.java)
//! (see `cooperative_sticky.rs`), as of Kafka 3.6–4.x, without the rack-aware passes
//! (kafkascope has no `client.rack`, and Java skips them too when no consumer sets one).
//!
//! # What the members tell the leader
//!
//! Each member reports what it owned in the previous generation and which generation that was
//! (`StickyAssignor` encodes both in its subscription user data; cooperative members send
//! `ownedPartitions` and `generationId`, KIP-341/KIP-429). A member that missed a rebalance
//! (a "zombie" that was kicked out and came back) may still claim partitions that someone else
//! got since. So first the leader settles who owns what:
//!
//! * a claim from a **higher generation wins** over a claim from a lower one;
//! * two claims from the **same generation** are both invalid: the partition is treated as
//!   unowned (and, for the cooperative protocol, as moving in any case);
//! * claims on topics nobody subscribes to any more are dropped.
//!
//! # The constrained algorithm (all members subscribe to the same topics)
//!
//! With `P` partitions and `C` members everybody must end with `minQuota = ⌊P/C⌋` or
//! `maxQuota = ⌈P/C⌉` partitions, and exactly `P % C` members with `maxQuota`.
//!
//! 1. **Keep what you own, up to your quota.** Members are visited in the order the leader's
//!    subscription `HashMap` iterates them. Each member's owned partitions are sorted by
//!    partition number, then topic. A member owning fewer than `minQuota` keeps all of them; a
//!    member owning `maxQuota` or more keeps `maxQuota` if some of the `P % C` "big" slots are
//!    still free, otherwise `minQuota`. Whatever it cannot keep is up for grabs.
//! 2. **Deal the rest round-robin**, in (topic, partition) order, first to the members still
//!    below `minQuota` (sorted by member id), then one each to members at `minQuota` until the
//!    `P % C` big slots are used up.
//!
//! Nobody loses a partition unless the balance demands it, and the result always has
//! max − min ≤ 1.
//!
//! # The general algorithm (subscriptions differ)
//!
//! 1. Keep every owned partition whose owner is still subscribed to its topic.
//! 2. Give every unassigned partition, topics with the fewest possible consumers first, to the
//!    eligible member that currently has the fewest partitions (ties: smaller member id).
//! 3. Improve the balance step by step: while some member could take a partition from a member
//!    that has at least two more, move one, preferring to hand a partition back to its owner
//!    of an earlier generation and preferring moves that undo earlier moves over new ones
//!    (`PartitionMovements`, so two members never swap partitions of one topic back and forth).
//!    If the moves did not improve the "balance score" (the sum of size differences over all
//!    pairs of members), the pre-balancing assignment is kept.
//!
//! # Ties and Java's `HashMap`s
//!
//! Several tie-breaks come from `HashMap`/`HashSet` iteration in the JVM, not from Kafka's
//! code: the order in which equal-generation claims are settled and older-generation owners
//! are remembered (the leader's `HashMap<String, Subscription>`), the order of step 1 of the
//! constrained algorithm (`consumerToOwnedPartitions`, a second `HashMap` filled while
//! iterating the first), and which partition `PartitionMovements` moves back
//! (`HashSet<TopicPartition>`). All are reproduced bit for bit by `java.rs`, given the
//! members in the order the coordinator listed them. Checked against the real Java classes
//! (Kafka trunk, Oct 2024) on tens of thousands of random groups, including member ids with
//! colliding hash codes and 100 members × 1,000 partitions.
//!
//! # Where this differs from the Java code, on purpose
//!
//! * Java keeps `maxGeneration` in a field of the assignor object, so on a long-lived leader it
//!   can carry over from an earlier rebalance; here every call starts from -1.
//! * In the general algorithm Java hands a partition back to a member that claimed it in an
//!   older generation without checking that the member still subscribes to the topic, and
//!   fails with a `NullPointerException` if that member takes no part in the balancing (all
//!   its topics are its alone). Usually a later step moves such a partition on to a
//!   subscriber, and then we return exactly Java's answer: the algorithm runs as in Java
//!   first. Only if Java would crash, or would end with a partition on a member not
//!   subscribed to its topic, is the assignment computed again with that hand-back limited to
//!   subscribed, participating members.
//! * Java decides "all subscriptions are equal" by comparing each member with the first
//!   member that has a non-empty subscription, so a member subscribed to nothing can end up
//!   with partitions. A real consumer with an empty subscription is not in the group at all;
//!   here an empty subscription simply counts as different.

use super::java::{self, JavaHashSet};
use super::{Group, NO_MEMBER};
use std::collections::VecDeque;

/// `AbstractStickyAssignor.DEFAULT_GENERATION`: owned partitions without a known generation.
pub const DEFAULT_GENERATION: i32 = -1;

/// The sticky engine's result.
pub(crate) struct StickyOutcome {
    /// Member id → pids.
    pub assignment: Vec<Vec<u32>>,
    /// `partitionsTransferringOwnership` as computed by the constrained algorithm (pid, new
    /// owner); `None` after the general algorithm, where Java leaves it `null` and the
    /// cooperative assignor computes it from the owned partitions instead.
    pub transferring: Option<Vec<(u32, u32)>>,
}

/// `StickyAssignor.assign`: the eager sticky assignment.
pub(crate) fn assign(group: &Group) -> StickyOutcome {
    let members = group.members.len();
    if members == 0 {
        return StickyOutcome {
            assignment: Vec::new(),
            transferring: Some(Vec::new()),
        };
    }
    let claims = settle_claims(group);
    if claims.all_subscriptions_equal {
        return Constrained::new(group, claims).build();
    }
    // Java's general algorithm, step for step; if it fails the way Java would (a crash, or a
    // partition given to a member not subscribed to its topic), run it again without handing
    // partitions back to such previous owners. See the module docs.
    match General::new(group, claims.clone(), PreviousOwners::AsJava).build() {
        Some(outcome) => outcome,
        None => General::new(group, claims, PreviousOwners::SubscribedOnly)
            .build()
            .expect("the general algorithm with subscribed previous owners always completes"),
    }
}

/// Who may receive a partition back as its previous owner (`prevAssignment`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum PreviousOwners {
    /// Any member, as in Java (which can then fail).
    AsJava,
    /// Only members still subscribed to the topic and taking part in the balancing.
    SubscribedOnly,
}

/// What `allSubscriptionsEqual` computes on the side.
#[derive(Clone)]
struct Claims {
    all_subscriptions_equal: bool,
    /// `consumerToOwnedPartitions`: member → still-valid owned pids, in the member's order.
    owned: Vec<Vec<u32>>,
    /// `partitionsWithMultiplePreviousOwners`.
    multiple_owners: Vec<bool>,
    max_generation: i32,
}

/// `AbstractStickyAssignor.allSubscriptionsEqual`: compares subscriptions and settles
/// conflicting ownership claims by generation, visiting members in `HashMap` order.
fn settle_claims(group: &Group) -> Claims {
    let partitions = group.num_partitions();
    let mut owned: Vec<Vec<u32>> = vec![Vec::new(); group.members.len()];
    let mut previous_owner = vec![NO_MEMBER; partitions];
    let mut multiple_owners = vec![false; partitions];
    let mut max_generation = DEFAULT_GENERATION;
    let mut all_subscriptions_equal = true;
    let first = group.hash_order()[0];

    for &m in group.hash_order() {
        let member = &group.members[m as usize];
        if !group.same_subscription(m, first) {
            all_subscriptions_equal = false;
        }
        let generation = member.generation;
        max_generation = max_generation.max(generation);
        for &pid in group.owned(m) {
            let other = previous_owner[pid as usize];
            if other == NO_MEMBER {
                owned[m as usize].push(pid);
                previous_owner[pid as usize] = m;
                continue;
            }
            let other_generation = group.members[other as usize].generation;
            if generation == other_generation {
                // Two owners in one generation: neither claim is trusted.
                multiple_owners[pid as usize] = true;
                remove_first(&mut owned[other as usize], pid);
                previous_owner[pid as usize] = m;
            } else if generation > other_generation {
                owned[m as usize].push(pid);
                remove_first(&mut owned[other as usize], pid);
                previous_owner[pid as usize] = m;
            }
            // else: the other member's newer claim stands.
        }
    }
    Claims {
        all_subscriptions_equal,
        owned,
        multiple_owners,
        max_generation,
    }
}

fn remove_first(list: &mut Vec<u32>, pid: u32) {
    if let Some(pos) = list.iter().position(|&p| p == pid) {
        list.remove(pos);
    }
}

/// `ConstrainedAssignmentBuilder`.
struct Constrained<'g, 'a> {
    group: &'g Group<'a>,
    owned: Vec<Vec<u32>>,
    multiple_owners: Vec<bool>,
    /// `maybeRevokedPartitions`: pid → the member that owned it but could not keep it.
    maybe_revoked: Vec<u32>,
    assignment: Vec<Vec<u32>>,
    assigned: Vec<bool>,
    transferring: Vec<(u32, u32)>,
    min_quota: usize,
    max_quota: usize,
    expected_over_min: usize,
    current_over_min: usize,
    under_min: Vec<u32>,
    exactly_min: VecDeque<u32>,
}

impl<'g, 'a> Constrained<'g, 'a> {
    fn new(group: &'g Group<'a>, claims: Claims) -> Self {
        let partitions = group.num_partitions();
        let members = group.members.len();
        Constrained {
            group,
            owned: claims.owned,
            multiple_owners: claims.multiple_owners,
            maybe_revoked: vec![NO_MEMBER; partitions],
            assignment: vec![Vec::new(); members],
            assigned: vec![false; partitions],
            transferring: Vec::new(),
            min_quota: partitions / members,
            max_quota: partitions.div_ceil(members),
            expected_over_min: partitions % members,
            current_over_min: 0,
            under_min: Vec::new(),
            exactly_min: VecDeque::new(),
        }
    }

    fn build(mut self) -> StickyOutcome {
        self.assign_owned_partitions();
        let unassigned: Vec<u32> = (0..self.group.num_partitions() as u32)
            .filter(|&p| !self.assigned[p as usize])
            .collect();
        let rank = &self.group.rank;
        // Ranks are unique, so unstable sorts give the same order (and less code in the page).
        super::sort_ids_by_key(&mut self.under_min, |m| rank[m as usize] as u64);
        super::sort_ids_by_key(self.exactly_min.make_contiguous(), |m| {
            rank[m as usize] as u64
        });
        self.assign_round_robin(&unassigned);
        debug_assert!(self
            .assignment
            .iter()
            .all(|a| { (self.min_quota..=self.max_quota).contains(&a.len()) }));
        StickyOutcome {
            assignment: self.assignment,
            transferring: Some(self.transferring),
        }
    }

    /// Step 1: every member keeps what it owns, up to its quota.
    fn assign_owned_partitions(&mut self) {
        let group = self.group;
        // `currentAssignment` is `consumerToOwnedPartitions`, a second HashMap filled while
        // iterating the subscriptions.
        for m in group.rehashed_order() {
            let mut owned: Vec<u32> = std::mem::take(&mut self.owned[m as usize]);
            owned.retain(|&p| !self.multiple_owners[p as usize]);
            // Sorted by partition number, then topic name.
            // (partition, topic) is unique per partition id: unstable is the same order.
            super::sort_ids_by_key(&mut owned, |p| {
                (group.partition_of(p) as u64) << 32 | group.pid_topic()[p as usize] as u64
            });

            let keep = if owned.len() < self.min_quota {
                self.under_min.push(m);
                owned.len()
            } else if owned.len() >= self.max_quota
                && self.current_over_min < self.expected_over_min
            {
                self.current_over_min += 1;
                if self.current_over_min == self.expected_over_min {
                    self.exactly_min.clear();
                }
                self.max_quota
            } else {
                if self.current_over_min < self.expected_over_min {
                    self.exactly_min.push_back(m);
                }
                self.min_quota
            };
            for &p in &owned[..keep] {
                self.assigned[p as usize] = true;
            }
            for &p in &owned[keep..] {
                self.maybe_revoked[p as usize] = m;
            }
            owned.truncate(keep);
            self.assignment[m as usize] = owned;
        }
    }

    /// Step 2: deal the unassigned partitions to the unfilled members.
    fn assign_round_robin(&mut self, unassigned: &[u32]) {
        // A `LinkedList` iterator over `under_min`: `cursor` is the index `next()` returns.
        let mut cursor = 0usize;
        for &pid in unassigned {
            let (member, from_under_min) = if cursor < self.under_min.len() {
                cursor += 1;
                (self.under_min[cursor - 1], true)
            } else if self.under_min.is_empty() {
                // Java throws IllegalStateException if `exactly_min` is empty too, which the
                // quotas rule out.
                let Some(member) = self.exactly_min.pop_front() else {
                    debug_assert!(false, "no unfilled member left for a partition");
                    break;
                };
                (member, false)
            } else {
                cursor = 1;
                (self.under_min[0], true)
            };

            let count = self.assign_new_partition(pid, member);
            if count == self.min_quota {
                debug_assert!(from_under_min);
                cursor -= 1;
                self.under_min.remove(cursor);
                self.exactly_min.push_back(member);
            } else if count == self.max_quota {
                self.current_over_min += 1;
            }
        }
    }

    fn assign_new_partition(&mut self, pid: u32, member: u32) -> usize {
        self.assignment[member as usize].push(pid);
        let previous = self.maybe_revoked[pid as usize];
        if (previous != NO_MEMBER && previous != member) || self.multiple_owners[pid as usize] {
            self.transferring.push((pid, member));
        }
        self.assignment[member as usize].len()
    }
}

/// (source member, destination member) of a partition movement.
type Pair = (u32, u32);

/// `PartitionMovements`: which partitions moved between which members in this assignment,
/// so that a later move can undo an earlier one instead of starting a chain of swaps.
struct PartitionMovements {
    /// pid → (source member, destination member).
    by_partition: Vec<Option<(u32, u32)>>,
    /// topic → (source, destination) → the pids that moved that way, in `HashSet` order;
    /// sorted by (source, destination). (Sorted `Vec`s rather than B-trees here and below:
    /// a handful of entries each, and every distinct B-tree type adds kilobytes to the
    /// page's wasm.)
    by_topic: Vec<Vec<(Pair, JavaHashSet<u32>)>>,
    /// pid → its `TopicPartition.hashCode()`, spread.
    hash: Vec<u32>,
}

impl PartitionMovements {
    fn new(group: &Group) -> Self {
        let topic_hash: Vec<i32> = group
            .topic_names
            .iter()
            .map(|t| java::string_hash_code(t))
            .collect();
        let hash = (0..group.num_partitions() as u32)
            .map(|p| {
                let topic_hash = topic_hash[group.pid_topic()[p as usize] as usize];
                java::spread(java::topic_partition_hash_code(
                    topic_hash,
                    group.partition_of(p),
                ))
            })
            .collect();
        PartitionMovements {
            by_partition: vec![None; group.num_partitions()],
            by_topic: vec![Vec::new(); group.num_topics()],
            hash,
        }
    }

    fn remove_record(&mut self, pid: u32, topic: u32) -> (u32, u32) {
        let pair = self.by_partition[pid as usize]
            .take()
            .expect("a recorded movement");
        let moves = &mut self.by_topic[topic as usize];
        let i = moves
            .binary_search_by_key(&pair, |&(k, _)| k)
            .expect("a recorded pair");
        moves[i].1.remove(pid, self.hash[pid as usize]);
        if moves[i].1.is_empty() {
            moves.remove(i);
        }
        pair
    }

    fn add_record(&mut self, pid: u32, topic: u32, pair: (u32, u32)) {
        self.by_partition[pid as usize] = Some(pair);
        let moves = &mut self.by_topic[topic as usize];
        let i = match moves.binary_search_by_key(&pair, |&(k, _)| k) {
            Ok(i) => i,
            Err(i) => {
                moves.insert(i, (pair, JavaHashSet::new()));
                i
            }
        };
        moves[i]
            .1
            // TopicPartition is not Comparable: in a tree bin Java would break a tie of equal
            // hashes with System.identityHashCode. Partitions of one topic never have equal
            // hashes, so the comparison below is never consulted.
            .insert(pid, self.hash[pid as usize], &|a: u32, b: u32| a.cmp(&b));
    }

    fn move_partition(&mut self, pid: u32, topic: u32, old: u32, new: u32) {
        if self.by_partition[pid as usize].is_some() {
            let (src, dst) = self.remove_record(pid, topic);
            debug_assert_eq!(dst, old);
            if src != new {
                self.add_record(pid, topic, (src, new));
            }
        } else {
            self.add_record(pid, topic, (old, new));
        }
    }

    /// `getTheActualPartitionToBeMoved`: if some partition of the same topic moved from `new`
    /// to `old` (the partition's original owner) earlier, move that one back instead.
    fn actual_partition_to_move(&self, pid: u32, topic: u32, old: u32, new: u32) -> u32 {
        let moves = &self.by_topic[topic as usize];
        if moves.is_empty() {
            return pid;
        }
        let old = match self.by_partition[pid as usize] {
            Some((src, _)) => src,
            None => old,
        };
        match moves.binary_search_by_key(&(new, old), |&(k, _)| k) {
            Ok(i) => moves[i].1.first().expect("empty sets are removed"),
            Err(_) => pid,
        }
    }
}

/// `GeneralAssignmentBuilder`.
struct General<'g, 'a> {
    group: &'g Group<'a>,
    /// `currentAssignment`: member → pids (order irrelevant to the algorithm).
    assignment: Vec<Vec<u32>>,
    /// Whether a member is in `currentAssignment` (not set aside as fixed).
    movable: Vec<bool>,
    /// `currentPartitionConsumer`.
    owner: Vec<u32>,
    /// `sortedCurrentSubscriptions`: (assignment size, member-id rank).
    sorted: SortedKeys,
    /// `topic2AllPotentialConsumers`, in subscription-map order.
    topic_consumers: Vec<Vec<u32>>,
    /// member → for each of its topics (`Member::topics` order), its index in
    /// `topic_consumers[topic]`.
    slot: Vec<Vec<u32>>,
    /// topic → for each potential consumer, how many of the topic's partitions it holds
    /// (kept up to date while balancing, for a fast `isBalanced`).
    held: Vec<Vec<u32>>,
    /// `prevAssignment`: pid → (member, generation) of the newest claim older than the
    /// newest generation.
    prev_assignment: Vec<Option<(u32, i32)>>,
    movements: PartitionMovements,
    revocation_required: bool,
    previous_owners: PreviousOwners,
    /// How many partitions are currently held by a member not subscribed to their topic
    /// (possible only with [`PreviousOwners::AsJava`]).
    foreign: usize,
    /// `getMaxAssignmentSize` of each member.
    max_size: Vec<usize>,
    max_generation: i32,
    claims_owned: Vec<Vec<u32>>,
}

impl<'g, 'a> General<'g, 'a> {
    fn new(group: &'g Group<'a>, claims: Claims, previous_owners: PreviousOwners) -> Self {
        let mut topic_consumers = vec![Vec::new(); group.num_topics()];
        let mut slot: Vec<Vec<u32>> = (0..group.members.len() as u32)
            .map(|m| Vec::with_capacity(group.topics_of(m).len()))
            .collect();
        for &m in group.hash_order() {
            for &t in group.topics_of(m) {
                slot[m as usize].push(topic_consumers[t as usize].len() as u32);
                topic_consumers[t as usize].push(m);
            }
        }
        // `slot` was filled topic by topic in the member's (sorted) topic order.
        General {
            group,
            assignment: vec![Vec::new(); group.members.len()],
            movable: vec![true; group.members.len()],
            owner: vec![NO_MEMBER; group.num_partitions()],
            sorted: SortedKeys::default(),
            held: topic_consumers.iter().map(|c| vec![0; c.len()]).collect(),
            topic_consumers,
            slot,
            prev_assignment: vec![None; group.num_partitions()],
            movements: PartitionMovements::new(group),
            revocation_required: false,
            previous_owners,
            foreign: 0,
            max_size: (0..group.members.len() as u32)
                .map(|m| {
                    group
                        .topics_of(m)
                        .iter()
                        .map(|&t| group.partitions_of_topic(t).len())
                        .sum()
                })
                .collect(),
            max_generation: claims.max_generation,
            claims_owned: claims.owned,
        }
    }

    fn size(&self, member: u32) -> u32 {
        self.assignment[member as usize].len() as u32
    }

    fn key(&self, member: u32) -> (u32, u32) {
        (self.size(member), self.group.rank[member as usize])
    }

    /// `None` where Java would throw or assign a partition to a non-subscriber.
    fn build(mut self) -> Option<StickyOutcome> {
        let group = self.group;
        self.prepopulate_prev_assignment();

        // `assignOwnedPartitions`: keep owned partitions whose owner still subscribes.
        let mut is_assigned = vec![false; group.num_partitions()];
        for m in 0..group.members.len() as u32 {
            let owned = std::mem::take(&mut self.claims_owned[m as usize]);
            for pid in owned {
                let topic = group.pid_topic()[pid as usize];
                if group.is_subscribed(m, topic) {
                    self.assignment[m as usize].push(pid);
                    self.owner[pid as usize] = m;
                    is_assigned[pid as usize] = true;
                } else {
                    self.revocation_required = true;
                }
            }
        }

        // `sortedAllPartitions`: topics by (number of potential consumers, name).
        let mut sorted_topics: Vec<u32> = (0..group.num_topics() as u32).collect();
        super::sort_ids_by_key(&mut sorted_topics, |t| {
            (self.topic_consumers[t as usize].len() as u64) << 32 | t as u64
        });
        let sorted_all_partitions: Vec<u32> = sorted_topics
            .iter()
            .flat_map(|&t| group.partitions_of_topic(t))
            .collect();
        let unassigned: Vec<u32> = sorted_all_partitions
            .iter()
            .copied()
            .filter(|&p| !is_assigned[p as usize])
            .collect();

        for m in 0..group.members.len() as u32 {
            self.sorted.insert(self.key(m));
        }
        self.balance(sorted_all_partitions, unassigned)?;
        let foreign_left = self.assignment.iter().enumerate().any(|(m, list)| {
            list.iter()
                .any(|&p| !group.is_subscribed(m as u32, group.pid_topic()[p as usize]))
        });
        if foreign_left {
            return None;
        }
        Some(StickyOutcome {
            assignment: self.assignment,
            transferring: None,
        })
    }

    /// `prepopulateCurrentAssignments`: remember, for every partition claimed in an older
    /// generation than the newest, the member with the newest such claim (first one wins a
    /// tie, in subscription-map order).
    fn prepopulate_prev_assignment(&mut self) {
        let group = self.group;
        for &m in group.hash_order() {
            let member = &group.members[m as usize];
            let generation = match member.generation_id {
                Some(g) if g < self.max_generation => g,
                None if self.max_generation > DEFAULT_GENERATION => DEFAULT_GENERATION,
                _ => continue,
            };
            for &pid in group.owned(m) {
                let slot = &mut self.prev_assignment[pid as usize];
                match slot {
                    Some((_, g)) if generation <= *g => {}
                    _ => *slot = Some((m, generation)),
                }
            }
        }
    }

    fn balance(
        &mut self,
        mut sorted_all_partitions: Vec<u32>,
        mut unassigned: Vec<u32>,
    ) -> Option<()> {
        let group = self.group;
        let last = *self.sorted.last().expect("at least one member");
        let initializing = last.0 == 0;

        // `maybeAssign`: each unassigned partition to the least loaded eligible member.
        for &pid in &unassigned {
            let topic = group.pid_topic()[pid as usize];
            let member = self
                .sorted
                .iter()
                .map(|&(_, r)| group.by_rank[r as usize])
                .find(|&m| group.is_subscribed(m, topic))
                .expect("every topic here has a subscriber");
            self.sorted.remove(&self.key(member));
            self.assignment[member as usize].push(pid);
            self.owner[pid as usize] = member;
            self.sorted.insert(self.key(member));
        }

        // Only topics with two or more potential consumers can be rebalanced …
        let fixed_topic: Vec<bool> = self.topic_consumers.iter().map(|c| c.len() < 2).collect();
        sorted_all_partitions.retain(|&p| !fixed_topic[group.pid_topic()[p as usize] as usize]);
        unassigned.retain(|&p| !fixed_topic[group.pid_topic()[p as usize] as usize]);

        // … and only members that could gain a partition or hold a movable one.
        for m in 0..group.members.len() as u32 {
            let assigned = &self.assignment[m as usize];
            let participates = assigned.len() < self.max_size[m as usize]
                || assigned
                    .iter()
                    .any(|&p| !fixed_topic[group.pid_topic()[p as usize] as usize]);
            if !participates {
                self.sorted.remove(&self.key(m));
                self.movable[m as usize] = false;
            }
        }

        for (pid, &owner) in self.owner.iter().enumerate() {
            let topic = group.pid_topic()[pid];
            if let Some(i) = self.slot_of(owner, topic) {
                self.held[topic as usize][i] += 1;
            }
        }

        let pre_balance_assignment = self.assignment.clone();
        let pre_balance_owner = self.owner.clone();

        if !self.revocation_required {
            self.perform_reassignments(&unassigned)?;
        }
        let reassignment_performed = self.perform_reassignments(&sorted_all_partitions)?;

        if !initializing
            && reassignment_performed
            && self.balance_score(&self.assignment) >= self.balance_score(&pre_balance_assignment)
        {
            self.assignment = pre_balance_assignment;
            self.owner = pre_balance_owner;
        }
        Some(())
    }

    /// `performReassignments`: move partitions until `isBalanced()` or nothing more helps.
    /// Returns whether anything moved; `None` where Java throws or never finishes.
    ///
    /// Java repeats full passes over the partitions for as long as a pass moved something.
    /// Handing partitions back to previous owners that no longer subscribe can make that go
    /// round in circles forever (the leader hangs). A pass that ends in a state seen at the
    /// end of an earlier pass (same owners, same recorded movements) means such a cycle:
    /// in [`PreviousOwners::AsJava`] mode we give up (and the caller reruns without those
    /// hand-backs); otherwise we stop balancing there. `MAX_EXTRA_PASSES` bounds the loop in
    /// any case; on the inputs we compared with Java it never took more than 5 passes.
    fn perform_reassignments(&mut self, partitions: &[u32]) -> Option<bool> {
        const MAX_EXTRA_PASSES: usize = 64;
        let group = self.group;
        let mut performed = false;
        // Fingerprints of the states at the end of each pass (a few passes at most).
        let mut seen: Vec<u64> = Vec::new();
        for _pass in 0..group.num_partitions() + MAX_EXTRA_PASSES {
            let mut modified = false;
            for &pid in partitions {
                if self.is_balanced() {
                    break;
                }
                let topic = group.pid_topic()[pid as usize];
                let consumer = self.owner[pid as usize];
                let consumer_size = self.size(consumer);

                if let Some((previous, _)) = self.prev_assignment[pid as usize] {
                    let eligible = match self.previous_owners {
                        // `currentAssignment.get(previous).size()` throws for a set-aside member.
                        PreviousOwners::AsJava if !self.movable[previous as usize] => return None,
                        PreviousOwners::AsJava => true,
                        PreviousOwners::SubscribedOnly => {
                            self.movable[previous as usize] && group.is_subscribed(previous, topic)
                        }
                    };
                    if eligible && consumer_size > self.size(previous) + 1 {
                        self.reassign_partition_to(pid, previous);
                        performed = true;
                        modified = true;
                        continue;
                    }
                }

                let better = self.topic_consumers[topic as usize]
                    .iter()
                    .any(|&other| consumer_size > self.size(other) + 1);
                if better {
                    let new_consumer = self
                        .sorted
                        .iter()
                        .map(|&(_, r)| group.by_rank[r as usize])
                        .find(|&m| group.is_subscribed(m, topic))
                        .expect("the partition's topic has subscribers");
                    self.reassign_partition_to(pid, new_consumer);
                    performed = true;
                    modified = true;
                }
            }
            if !modified {
                return Some(performed);
            }
            let fingerprint = self.fingerprint();
            if seen.contains(&fingerprint) {
                break;
            }
            seen.push(fingerprint);
        }
        match self.previous_owners {
            PreviousOwners::AsJava => None,
            PreviousOwners::SubscribedOnly => Some(performed),
        }
    }

    /// A 64-bit digest (FNV-1a) of the balancing state: owners and recorded movements.
    fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |x: u32| {
            for b in x.to_le_bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        };
        for &owner in &self.owner {
            feed(owner);
        }
        for movement in &self.movements.by_partition {
            let (src, dst) = movement.unwrap_or((NO_MEMBER, NO_MEMBER));
            feed(src);
            feed(dst);
        }
        h
    }

    fn reassign_partition_to(&mut self, pid: u32, new_consumer: u32) {
        let topic = self.group.pid_topic()[pid as usize];
        let consumer = self.owner[pid as usize];
        let actual = self
            .movements
            .actual_partition_to_move(pid, topic, consumer, new_consumer);
        self.process_partition_movement(actual, topic, new_consumer);
    }

    fn process_partition_movement(&mut self, pid: u32, topic: u32, new_consumer: u32) {
        let old_consumer = self.owner[pid as usize];
        self.sorted.remove(&self.key(old_consumer));
        self.sorted.remove(&self.key(new_consumer));
        self.movements
            .move_partition(pid, topic, old_consumer, new_consumer);
        match self.slot_of(old_consumer, topic) {
            Some(i) => self.held[topic as usize][i] -= 1,
            None => self.foreign -= 1,
        }
        match self.slot_of(new_consumer, topic) {
            Some(i) => self.held[topic as usize][i] += 1,
            None => self.foreign += 1,
        }
        let old_list = &mut self.assignment[old_consumer as usize];
        let pos = old_list
            .iter()
            .position(|&p| p == pid)
            .expect("the owner holds the partition");
        old_list.swap_remove(pos);
        self.assignment[new_consumer as usize].push(pid);
        self.owner[pid as usize] = new_consumer;
        self.sorted.insert(self.key(new_consumer));
        self.sorted.insert(self.key(old_consumer));
    }

    /// `isBalanced`, computed per topic instead of per (member, partition): the assignment is
    /// unbalanced exactly when, for some movable topic, its least loaded subscriber has at
    /// least two partitions fewer than the most loaded owner of one of its partitions.
    fn is_balanced(&self) -> bool {
        let (Some(first), Some(last)) = (self.sorted.first(), self.sorted.last()) else {
            return true;
        };
        if first.0 + 1 >= last.0 {
            return true;
        }
        if self.foreign > 0 {
            return self.is_balanced_as_java();
        }
        for (consumers, held) in self.topic_consumers.iter().zip(&self.held) {
            if consumers.len() < 2 {
                continue;
            }
            let mut min_subscriber = u32::MAX;
            let mut max_owner = 0;
            for (&m, &count) in consumers.iter().zip(held) {
                let size = self.size(m);
                min_subscriber = min_subscriber.min(size);
                if count > 0 {
                    max_owner = max_owner.max(size);
                }
            }
            if min_subscriber + 1 < max_owner {
                return false;
            }
        }
        true
    }

    /// Index of `member` among the potential consumers of `topic`, if it subscribes.
    fn slot_of(&self, member: u32, topic: u32) -> Option<usize> {
        let topics = self.group.topics_of(member);
        let k = topics.binary_search(&topic).ok()?;
        Some(self.slot[member as usize][k] as usize)
    }

    /// `isBalanced` literally, for the rare states where a member holds a partition of a topic
    /// it does not subscribe to (then "full" no longer means "owns all its topics' partitions").
    fn is_balanced_as_java(&self) -> bool {
        let group = self.group;
        for &(size, rank) in &self.sorted {
            let consumer = group.by_rank[rank as usize];
            if size as usize == self.max_size[consumer as usize] {
                continue;
            }
            for &topic in group.topics_of(consumer) {
                for p in group.partitions_of_topic(topic) {
                    let other = self.owner[p as usize];
                    if other != consumer && size + 1 < self.size(other) {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// `getBalanceScore`: Σ over pairs of movable members of |size difference|.
    fn balance_score(&self, assignment: &[Vec<u32>]) -> i64 {
        let mut sizes: Vec<i64> = assignment
            .iter()
            .zip(&self.movable)
            .filter(|(_, &movable)| movable)
            .map(|(a, _)| a.len() as i64)
            .collect();
        sizes.sort_unstable();
        let n = sizes.len() as i64;
        sizes
            .iter()
            .enumerate()
            .map(|(i, &s)| s * (2 * i as i64 - (n - 1)))
            .sum()
    }
}

/// A sorted set of (assignment size, member-id rank) keys: Java's `TreeSet` of members
/// ordered by assignment size, as a sorted `Vec` (one entry per member; inserting and
/// removing moves at most a few hundred bytes).
#[derive(Default)]
struct SortedKeys(Vec<(u32, u32)>);

impl SortedKeys {
    fn insert(&mut self, key: (u32, u32)) {
        if let Err(i) = self.0.binary_search(&key) {
            self.0.insert(i, key);
        }
    }

    fn remove(&mut self, key: &(u32, u32)) {
        if let Ok(i) = self.0.binary_search(key) {
            self.0.remove(i);
        }
    }

    fn first(&self) -> Option<&(u32, u32)> {
        self.0.first()
    }

    fn last(&self) -> Option<&(u32, u32)> {
        self.0.last()
    }

    fn iter(&self) -> std::slice::Iter<'_, (u32, u32)> {
        self.0.iter()
    }
}

impl<'s> IntoIterator for &'s SortedKeys {
    type Item = &'s (u32, u32);
    type IntoIter = std::slice::Iter<'s, (u32, u32)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
