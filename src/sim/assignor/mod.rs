//! Partition assignors of Kafka's classic consumer-group protocol (client side, run by the
//! group leader during SyncGroup).
//!
//! Mirrors `org.apache.kafka.clients.consumer.ConsumerPartitionAssignor` and its
//! implementations. One strategy a file.

pub mod cooperative_sticky;
pub(crate) mod java;
pub mod range;
pub mod round_robin;
pub mod sticky;

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

/// A topic partition, ordered like Java's `TopicPartition` sorts in the assignors: by topic,
/// then by partition number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: u32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: u32) -> Self {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }
}

/// What a member sends in JoinGroup: its subscription, and (for the sticky assignors) what
/// it owned in the previous generation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub member_id: String,
    /// `group.instance.id` of a static member.
    pub group_instance_id: Option<String>,
    pub topics: Vec<String>,
    pub owned_partitions: Vec<TopicPartition>,
    /// Generation in which `owned_partitions` were owned (sticky user data / KIP-341).
    pub generation: Option<i32>,
}

/// `partition.assignment.strategy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AssignorKind {
    #[serde(rename = "range")]
    Range,
    #[serde(rename = "roundrobin")]
    RoundRobin,
    #[serde(rename = "sticky")]
    Sticky,
    #[serde(rename = "cooperative-sticky")]
    CooperativeSticky,
}

/// Member id → the partitions it is assigned (sorted). Every member is present.
pub type GroupAssignment = BTreeMap<String, Vec<TopicPartition>>;

impl AssignorKind {
    /// Every strategy, in the order Kafka introduced them.
    pub const ALL: [AssignorKind; 4] = [
        AssignorKind::Range,
        AssignorKind::RoundRobin,
        AssignorKind::Sticky,
        AssignorKind::CooperativeSticky,
    ];

    /// The protocol name the consumer sends in JoinGroup (`ConsumerPartitionAssignor.name()`).
    pub fn name(&self) -> &'static str {
        match self {
            AssignorKind::Range => "range",
            AssignorKind::RoundRobin => "roundrobin",
            AssignorKind::Sticky => "sticky",
            AssignorKind::CooperativeSticky => "cooperative-sticky",
        }
    }

    /// The Java class a user puts in `partition.assignment.strategy`.
    pub fn java_class(&self) -> &'static str {
        match self {
            AssignorKind::Range => "org.apache.kafka.clients.consumer.RangeAssignor",
            AssignorKind::RoundRobin => "org.apache.kafka.clients.consumer.RoundRobinAssignor",
            AssignorKind::Sticky => "org.apache.kafka.clients.consumer.StickyAssignor",
            AssignorKind::CooperativeSticky => {
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"
            }
        }
    }

    /// Parses a protocol name (`"range"`, `"roundrobin"`, `"sticky"`, `"cooperative-sticky"`)
    /// or the Java class name, simple or fully qualified (`"CooperativeStickyAssignor"`).
    pub fn parse(s: &str) -> Result<Self, String> {
        let wanted = s.trim();
        let simple = wanted.rsplit('.').next().unwrap_or(wanted);
        AssignorKind::ALL
            .into_iter()
            .find(|kind| {
                wanted.eq_ignore_ascii_case(kind.name())
                    || wanted == kind.java_class()
                    || simple == kind.java_class().rsplit('.').next().unwrap_or_default()
            })
            .ok_or_else(|| {
                let names: Vec<&str> = AssignorKind::ALL.iter().map(|k| k.name()).collect();
                format!(
                    "unknown partition assignor \"{s}\"; valid names are {} (or their Java class names)",
                    names.join(", ")
                )
            })
    }

    /// Whether the strategy speaks the COOPERATIVE rebalance protocol (KIP-429): members keep
    /// consuming what they keep, and partitions that change owner go through a second
    /// rebalance. Only `cooperative-sticky`; the others are EAGER (revoke everything first).
    pub fn is_cooperative(&self) -> bool {
        matches!(self, AssignorKind::CooperativeSticky)
    }
}

impl fmt::Display for AssignorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for AssignorKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        AssignorKind::parse(s)
    }
}

/// Runs one assignment, as the group leader does during a rebalance.
///
/// * `partitions_per_topic`: the cluster metadata, topic → number of partitions. Topics nobody
///   subscribes to and topics with 0 partitions are left out, as Java's
///   `AbstractPartitionAssignor` leaves out topics without metadata.
/// * `members`: the JoinGroup subscriptions, **in the order the coordinator lists them**. That
///   order is the insertion order of the leader's `HashMap<String, Subscription>`, which is one
///   input to the sticky assignors' tie-breaks (see `java.rs`); for range and roundrobin it
///   does not matter. Member ids are expected to be unique; a repeated id replaces the earlier
///   subscription but keeps its place, like `HashMap.put`.
///
/// The result has every member (possibly with nothing), each list sorted by (topic, partition).
/// Topics a member subscribes to that do not exist are ignored; so are owned partitions of
/// topics or partition numbers that do not exist, and repeated entries in a member's topics or
/// owned partitions (Java's client cannot send those: its subscription and assignment are sets).
/// A negative `generation` counts as none, as in Java's `Subscription`.
pub fn assign(
    kind: AssignorKind,
    partitions_per_topic: &BTreeMap<String, u32>,
    members: &[Subscription],
) -> GroupAssignment {
    let group = Group::new(partitions_per_topic, members);
    let per_member = match kind {
        AssignorKind::Range => range::assign(&group),
        AssignorKind::RoundRobin => round_robin::assign(&group),
        AssignorKind::Sticky => sticky::assign(&group).assignment,
        AssignorKind::CooperativeSticky => cooperative_sticky::assign(&group).assignment,
    };
    group.to_group_assignment(&per_member)
}

/// The order in which Java iterates a `HashMap` keyed by member id, filled in `insertion`.
fn java_hash_map_order(members: &[Member], insertion: &[u32]) -> Vec<u32> {
    let mut table = java::JavaHashSet::new();
    let compare = |a: u32, b: u32| {
        java::string_compare(
            &members[a as usize].sub.member_id,
            &members[b as usize].sub.member_id,
        )
    };
    for &m in insertion {
        let hash = java::spread(java::string_hash_code(&members[m as usize].sub.member_id));
        table.insert(m, hash, &compare);
    }
    table.iter().collect()
}

/// Sorts ids by an integer key, ascending. Only for keys that are unique per id (ranks,
/// partition ids, …), where any sort gives the same order. Every caller shares one sort
/// instantiation instead of one per key closure, which keeps the page's wasm smaller.
pub(crate) fn sort_ids_by_key(ids: &mut [u32], key: impl Fn(u32) -> u64) {
    let mut keyed: Vec<(u64, u32)> = ids.iter().map(|&id| (key(id), id)).collect();
    keyed.sort_unstable();
    debug_assert!(
        keyed.windows(2).all(|w| w[0].0 != w[1].0),
        "sort_ids_by_key needs unique keys"
    );
    for (slot, (_, id)) in ids.iter_mut().zip(keyed) {
        *slot = id;
    }
}

/// Marks "no member" in per-partition tables.
const NO_MEMBER: u32 = u32::MAX;

/// The assignors' input, indexed by small integers so the algorithms never clone or compare
/// strings in their loops.
///
/// * Topics get ids in Java `String.compareTo` order, and partitions get global ids
///   (`pid = topic_base[topic] + partition`), so sorting pids sorts by (topic, partition)
///   exactly as `TopicPartitionComparator` does.
/// * Members keep their input order as their id; `hash_order` is the order in which Java
///   iterates the leader's subscription `HashMap`, and `rank` their `member_id` order.
pub(crate) struct Group<'a> {
    pub topic_names: Vec<&'a str>,
    pub topic_hash: Vec<i32>,
    /// First pid of each topic; one extra entry holds the total partition count.
    pub topic_base: Vec<u32>,
    pub pid_topic: Vec<u32>,
    pub members: Vec<Member<'a>>,
    pub hash_order: Vec<u32>,
    /// Member id → its position in Java `String` order of member ids.
    pub rank: Vec<u32>,
    /// Position in member-id order → member id.
    pub by_rank: Vec<u32>,
}

pub(crate) struct Member<'a> {
    pub sub: &'a Subscription,
    /// The subscription as a set of names, existing or not (sorted, deduplicated).
    pub raw_topics: Vec<&'a str>,
    /// The subscribed topics that exist, as topic ids (sorted).
    pub topics: Vec<u32>,
    /// `owned_partitions` that exist, as pids, deduplicated, in the member's order.
    pub owned: Vec<u32>,
    /// The generation its owned partitions belong to, if known. Like Java's `Subscription`
    /// constructor, a negative generation counts as unknown.
    pub generation_id: Option<i32>,
    /// `generation_id`, or Java's `DEFAULT_GENERATION` (-1) if unknown.
    pub generation: i32,
}

impl<'a> Group<'a> {
    pub fn new(partitions_per_topic: &'a BTreeMap<String, u32>, subs: &'a [Subscription]) -> Self {
        // HashMap.put semantics for repeated member ids: the later value, the earlier place.
        let mut slot_of: BTreeMap<&str, usize> = BTreeMap::new();
        let mut chosen: Vec<&Subscription> = Vec::with_capacity(subs.len());
        for sub in subs {
            match slot_of.get(sub.member_id.as_str()) {
                Some(&slot) => chosen[slot] = sub,
                None => {
                    slot_of.insert(&sub.member_id, chosen.len());
                    chosen.push(sub);
                }
            }
        }

        // Topics: subscribed by someone, with at least one partition, in Java String order.
        // De-duplicate first (100 members × 10 topics are 10 names, not 1,000 to sort).
        let mut unique: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        unique.extend(
            chosen
                .iter()
                .flat_map(|s| s.topics.iter().map(String::as_str))
                .filter(|t| partitions_per_topic.get(*t).is_some_and(|&n| n > 0)),
        );
        let mut subscribed: Vec<&str> = unique.into_iter().collect();
        subscribed.sort_unstable_by(|a, b| java::string_compare(a, b));
        // B-trees are filled by insertion, not `collect` (which sorts its input with a stable
        // sort: one more monomorphised sort in the page's wasm per type, same result).
        let mut topic_id: BTreeMap<&str, u32> = BTreeMap::new();
        topic_id.extend(subscribed.iter().enumerate().map(|(i, t)| (*t, i as u32)));
        let mut topic_base = Vec::with_capacity(subscribed.len() + 1);
        let mut pid_topic = Vec::new();
        let mut next = 0u32;
        for (t, name) in subscribed.iter().enumerate() {
            topic_base.push(next);
            let count = partitions_per_topic[*name];
            pid_topic.extend(std::iter::repeat_n(t as u32, count as usize));
            next += count;
        }
        topic_base.push(next);
        let topic_hash = subscribed
            .iter()
            .map(|t| java::string_hash_code(t))
            .collect();

        let mut seen = vec![NO_MEMBER; next as usize];
        let members: Vec<Member> = chosen
            .iter()
            .enumerate()
            .map(|(m, sub)| {
                let mut raw_topics: Vec<&str> = sub.topics.iter().map(String::as_str).collect();
                raw_topics.sort_unstable();
                raw_topics.dedup();
                let mut topic_set = std::collections::BTreeSet::new();
                topic_set.extend(raw_topics.iter().filter_map(|t| topic_id.get(t).copied()));
                let topics: Vec<u32> = topic_set.into_iter().collect();
                let mut owned = Vec::with_capacity(sub.owned_partitions.len());
                for tp in &sub.owned_partitions {
                    let Some(&t) = topic_id.get(tp.topic.as_str()) else {
                        continue;
                    };
                    let pid = topic_base[t as usize] + tp.partition;
                    if pid < topic_base[t as usize + 1] && seen[pid as usize] != m as u32 {
                        seen[pid as usize] = m as u32;
                        owned.push(pid);
                    }
                }
                Member {
                    sub,
                    raw_topics,
                    topics,
                    owned,
                    generation_id: sub.generation.filter(|&g| g >= 0),
                    generation: sub
                        .generation
                        .filter(|&g| g >= 0)
                        .unwrap_or(sticky::DEFAULT_GENERATION),
                }
            })
            .collect();

        let insertion_order: Vec<u32> = (0..members.len() as u32).collect();
        let hash_order = java_hash_map_order(&members, &insertion_order);

        let mut by_rank: Vec<u32> = (0..members.len() as u32).collect();
        // Member ids are unique, so an unstable sort gives the same order.
        by_rank.sort_unstable_by(|&a, &b| {
            java::string_compare(
                &members[a as usize].sub.member_id,
                &members[b as usize].sub.member_id,
            )
        });
        let mut rank = vec![0u32; members.len()];
        for (r, &m) in by_rank.iter().enumerate() {
            rank[m as usize] = r as u32;
        }

        Group {
            topic_names: subscribed,
            topic_hash,
            topic_base,
            pid_topic,
            members,
            hash_order,
            rank,
            by_rank,
        }
    }

    /// The iteration order of a `HashMap<String, …>` keyed by member id that was filled in
    /// `hash_order` (as the sticky assignor's `consumerToOwnedPartitions` is). Usually the
    /// same as `hash_order`; it differs only where a crowded bin became a tree, whose layout
    /// depends on insertion order.
    pub fn rehashed_order(&self) -> Vec<u32> {
        java_hash_map_order(&self.members, &self.hash_order)
    }

    pub fn num_topics(&self) -> usize {
        self.topic_names.len()
    }

    pub fn num_partitions(&self) -> usize {
        self.pid_topic.len()
    }

    /// The partition number of a pid.
    pub fn partition_of(&self, pid: u32) -> u32 {
        pid - self.topic_base[self.pid_topic[pid as usize] as usize]
    }

    pub fn partitions_of_topic(&self, topic: u32) -> std::ops::Range<u32> {
        self.topic_base[topic as usize]..self.topic_base[topic as usize + 1]
    }

    pub fn is_subscribed(&self, member: u32, topic: u32) -> bool {
        self.members[member as usize]
            .topics
            .binary_search(&topic)
            .is_ok()
    }

    /// Members sorted like `AbstractPartitionAssignor.MemberInfo.compareTo`: static members
    /// (with a `group.instance.id`) first, by instance id, then the others by member id, both
    /// with `String.compareTo`. `Collections.sort` is stable, so members that compare equal (two
    /// members claiming the same instance id) stay in subscription-map iteration order.
    pub fn members_in_member_info_order(&self) -> Vec<u32> {
        // Stability made explicit: ties keep their position in `hash_order`, so an unstable
        // sort on (key, position) gives exactly `Collections.sort`'s order.
        let mut order: Vec<(u32, u32)> = self
            .hash_order
            .iter()
            .enumerate()
            .map(|(pos, &m)| (m, pos as u32))
            .collect();
        order.sort_unstable_by(|&(a, pa), &(b, pb)| {
            let (a, b) = (self.members[a as usize].sub, self.members[b as usize].sub);
            match (&a.group_instance_id, &b.group_instance_id) {
                (Some(x), Some(y)) => java::string_compare(x, y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => java::string_compare(&a.member_id, &b.member_id),
            }
            .then(pa.cmp(&pb))
        });
        order.into_iter().map(|(m, _)| m).collect()
    }

    pub fn topic_partition(&self, pid: u32) -> TopicPartition {
        let topic = self.pid_topic[pid as usize];
        TopicPartition::new(self.topic_names[topic as usize], self.partition_of(pid))
    }

    /// Per-member pid lists (indexed by member id) → the public result.
    pub fn to_group_assignment(&self, per_member: &[Vec<u32>]) -> GroupAssignment {
        let mut out = GroupAssignment::new();
        for (member, pids) in self.members.iter().zip(per_member) {
            let mut tps: Vec<TopicPartition> =
                pids.iter().map(|&p| self.topic_partition(p)).collect();
            tps.sort_unstable();
            out.insert(member.sub.member_id.clone(), tps);
        }
        out
    }
}
