//! Partition assignors of Kafka's classic consumer-group protocol (client side, run by the
//! group leader during SyncGroup).
//!
//! Mirrors `org.apache.kafka.clients.consumer.ConsumerPartitionAssignor` and its
//! implementations. One strategy a file.

pub mod cooperative_sticky;
#[cfg(test)]
mod digest_tests;
pub(crate) mod java;
pub mod range;
pub mod round_robin;
pub mod sticky;

use crate::sim::vecmap::VecMap;
use serde::{Deserialize, Serialize};
use std::cell::OnceCell;
use std::fmt;
use std::sync::Arc;

/// A topic partition, ordered like Java's `TopicPartition` sorts in the assignors: by topic,
/// then by partition number.
///
/// The topic name is shared (`Arc<str>`): an assignment of 1,000 partitions of 10 topics holds
/// 10 names, not 1,000 copies, and cloning a `TopicPartition` never allocates. It compares,
/// hashes, prints and serialises exactly like the `String` it replaces (a JSON string).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    #[serde(
        serialize_with = "serialize_topic",
        deserialize_with = "deserialize_topic"
    )]
    pub topic: Arc<str>,
    pub partition: u32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<Arc<str>>, partition: u32) -> Self {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }

    /// `topic`'s partitions `partitions`, sharing one copy of the name.
    pub fn each_of(
        topic: &str,
        partitions: impl IntoIterator<Item = u32>,
    ) -> impl Iterator<Item = TopicPartition> {
        let name: Arc<str> = Arc::from(topic);
        partitions
            .into_iter()
            .map(move |p| TopicPartition::new(name.clone(), p))
    }
}

// Serde's own `Arc` support needs its `rc` feature; a name is just a string either way.
fn serialize_topic<S: serde::Serializer>(topic: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(topic)
}

fn deserialize_topic<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
    String::deserialize(d).map(Arc::from)
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
pub type GroupAssignment = VecMap<String, Vec<TopicPartition>>;

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
    partitions_per_topic: &VecMap<String, u32>,
    members: &[Subscription],
) -> GroupAssignment {
    let group = Group::new(partitions_per_topic, members);
    match kind {
        AssignorKind::Range => range::assign(&group).finish(),
        AssignorKind::RoundRobin => round_robin::assign(&group).finish(),
        AssignorKind::Sticky => group.to_group_assignment(sticky::assign(&group).assignment),
        AssignorKind::CooperativeSticky => {
            group.to_group_assignment(cooperative_sticky::assign(&group).assignment)
        }
    }
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

/// Sorts ids by `names[id]` in Java `String.compareTo` order, equal names by id: the one
/// string sort of the assignors (not generic, so the page's wasm holds one copy of it).
/// Already sorted input, the usual case for member ids, costs one comparison per id.
fn sort_ids_by_java_name(ids: &mut [u32], names: &[&str]) {
    ids.sort_unstable_by(|&a, &b| {
        java::string_compare(names[a as usize], names[b as usize]).then(a.cmp(&b))
    });
}

/// Marks "no member" in per-partition tables.
const NO_MEMBER: u32 = u32::MAX;

/// The assignors' input, indexed by small integers so the algorithms never clone or compare
/// strings in their loops.
///
/// * Topics get ids in Java `String.compareTo` order, and partitions get global ids
///   (`pid = topic_base[topic] + partition`), so sorting pids sorts by (topic, partition)
///   exactly as `TopicPartitionComparator` does.
/// * Members keep their input order as their id; `rank` is their position in `member_id`
///   order. Members with the same topic list share one [`Subscribed`] entry (usually the
///   whole group shares one).
/// * What only the sticky assignors need (the Java `HashMap` iteration order of the members,
///   the owned partitions as pids, each pid's topic) is computed on first use, so `range` and
///   `roundrobin` pay only for what they read. They write the public result directly
///   ([`Dealt`]); the sticky assignors hand back pids ([`Group::to_group_assignment`]).
pub(crate) struct Group<'a> {
    pub topic_names: Vec<&'a str>,
    /// First pid of each topic; one extra entry holds the total partition count.
    pub topic_base: Vec<u32>,
    /// Pid → its topic id, built on first use (range and roundrobin never ask).
    pid_topic: OnceCell<Vec<u32>>,
    pub members: Vec<Member<'a>>,
    /// Member id → its position in Java `String` order of member ids.
    pub rank: Vec<u32>,
    /// Position in member-id order → member id.
    pub by_rank: Vec<u32>,
    subscriptions: Vec<Subscribed<'a>>,
    /// `u64` words per subscription in `subscribed_bits`.
    words: usize,
    /// A bit per topic id for every entry of `subscriptions`.
    subscribed_bits: Vec<u64>,
    /// Whether topic ids (Java `String` order) are also in Rust byte order, the order of
    /// [`TopicPartition`]'s `Ord` (they differ only for names with characters above U+FFFF).
    topic_ids_in_byte_order: bool,
    /// Topic id → its position in byte order of the names.
    topic_byte_rank: Vec<u32>,
    hash_order: OnceCell<Vec<u32>>,
    owned: OnceCell<Vec<Vec<u32>>>,
    shared_topic_names: OnceCell<Vec<Arc<str>>>,
}

pub(crate) struct Member<'a> {
    pub sub: &'a Subscription,
    /// Index of its topic list in `Group::subscriptions`.
    subscription: u32,
    /// The generation its owned partitions belong to, if known. Like Java's `Subscription`
    /// constructor, a negative generation counts as unknown.
    pub generation_id: Option<i32>,
    /// `generation_id`, or Java's `DEFAULT_GENERATION` (-1) if unknown.
    pub generation: i32,
}

/// One distinct subscription of the group.
struct Subscribed<'a> {
    /// As a set of names, existing or not (sorted, deduplicated).
    names: Vec<&'a str>,
    /// The topics that exist, as topic ids (sorted).
    topics: Vec<u32>,
}

impl<'a> Group<'a> {
    pub fn new(partitions_per_topic: &'a VecMap<String, u32>, subs: &'a [Subscription]) -> Self {
        // Members often arrive in member-id order already; then one comparison per member
        // settles both their ranks and that no id repeats.
        let in_order = subs.windows(2).all(|w| {
            java::string_compare(&w[0].member_id, &w[1].member_id) == std::cmp::Ordering::Less
        });
        let ids: Vec<&str> = if in_order {
            Vec::new()
        } else {
            subs.iter().map(|s| s.member_id.as_str()).collect()
        };
        let mut sorted: Vec<u32> = (0..subs.len() as u32).collect();
        if !in_order {
            sort_ids_by_java_name(&mut sorted, &ids);
        }

        // HashMap.put semantics for repeated member ids: the later value, the earlier place.
        // Equal ids are neighbours in `sorted`, in input order.
        let repeated = !in_order
            && sorted
                .windows(2)
                .any(|w| ids[w[0] as usize] == ids[w[1] as usize]);
        let (chosen, by_rank): (Vec<&Subscription>, Vec<u32>) = if repeated {
            let mut value_of = vec![NO_MEMBER; subs.len()];
            let mut start = 0;
            while start < sorted.len() {
                let mut end = start + 1;
                while end < sorted.len() && ids[sorted[end] as usize] == ids[sorted[start] as usize]
                {
                    end += 1;
                }
                value_of[sorted[start] as usize] = sorted[end - 1];
                start = end;
            }
            let mut slot = vec![NO_MEMBER; subs.len()];
            let mut chosen = Vec::new();
            for (i, &v) in value_of.iter().enumerate() {
                if v != NO_MEMBER {
                    slot[i] = chosen.len() as u32;
                    chosen.push(&subs[v as usize]);
                }
            }
            let by_rank = sorted
                .iter()
                .filter_map(|&i| Some(slot[i as usize]).filter(|&s| s != NO_MEMBER))
                .collect();
            (chosen, by_rank)
        } else {
            (subs.iter().collect(), sorted)
        };
        let mut rank = vec![0u32; chosen.len()];
        for (r, &m) in by_rank.iter().enumerate() {
            rank[m as usize] = r as u32;
        }

        // Distinct subscriptions: a member with the same topic list as the one before it
        // shares its entry (in a real group everyone usually subscribes to the same topics).
        let mut subscriptions: Vec<Subscribed> = Vec::new();
        let mut member_subscription = Vec::with_capacity(chosen.len());
        for (m, sub) in chosen.iter().enumerate() {
            if m == 0 || !same_names(&sub.topics, &chosen[m - 1].topics) {
                let mut names: Vec<&str> = sub.topics.iter().map(String::as_str).collect();
                names.sort_unstable();
                names.dedup();
                subscriptions.push(Subscribed {
                    names,
                    topics: Vec::new(),
                });
            }
            member_subscription.push(subscriptions.len() as u32 - 1);
        }

        // Topics: subscribed by someone, with at least one partition, in Java String order.
        let mut subscribed: Vec<&str> = subscriptions
            .iter()
            .flat_map(|s| s.names.iter().copied())
            .filter(|t| partitions_per_topic.get(*t).is_some_and(|&n| n > 0))
            .collect();
        subscribed.sort_unstable();
        subscribed.dedup();
        let mut order: Vec<u32> = (0..subscribed.len() as u32).collect();
        sort_ids_by_java_name(&mut order, &subscribed);
        // `subscribed` is in byte order, so `order[topic id]` is the topic's byte-order rank.
        let topic_names: Vec<&str> = order.iter().map(|&i| subscribed[i as usize]).collect();
        let topic_ids_in_byte_order = order.windows(2).all(|w| w[0] < w[1]);

        let words = topic_names.len().div_ceil(64);
        let mut subscribed_bits = vec![0u64; words * subscriptions.len()];
        for (s, entry) in subscriptions.iter_mut().enumerate() {
            entry.topics = entry
                .names
                .iter()
                .filter_map(|t| topic_id(&topic_names, t))
                .collect();
            if !topic_ids_in_byte_order {
                entry.topics.sort_unstable();
            }
            for &t in &entry.topics {
                subscribed_bits[s * words + t as usize / 64] |= 1 << (t % 64);
            }
        }

        let mut topic_base = Vec::with_capacity(topic_names.len() + 1);
        let mut next = 0u32;
        for name in &topic_names {
            topic_base.push(next);
            next += partitions_per_topic[*name];
        }
        topic_base.push(next);

        let members = chosen
            .iter()
            .zip(member_subscription)
            .map(|(sub, subscription)| {
                let generation_id = sub.generation.filter(|&g| g >= 0);
                Member {
                    sub,
                    subscription,
                    generation_id,
                    generation: generation_id.unwrap_or(sticky::DEFAULT_GENERATION),
                }
            })
            .collect();

        Group {
            topic_names,
            topic_base,
            pid_topic: OnceCell::new(),
            members,
            rank,
            by_rank,
            subscriptions,
            words,
            subscribed_bits,
            topic_ids_in_byte_order,
            topic_byte_rank: order,
            hash_order: OnceCell::new(),
            owned: OnceCell::new(),
            shared_topic_names: OnceCell::new(),
        }
    }

    /// The order in which Java iterates the leader's `HashMap<String, Subscription>`, filled
    /// in the order the coordinator listed the members.
    pub fn hash_order(&self) -> &[u32] {
        self.hash_order.get_or_init(|| {
            let insertion: Vec<u32> = (0..self.members.len() as u32).collect();
            java_hash_map_order(&self.members, &insertion)
        })
    }

    /// The iteration order of a `HashMap<String, …>` keyed by member id that was filled in
    /// `hash_order` (as the sticky assignor's `consumerToOwnedPartitions` is). Usually the
    /// same as `hash_order`; it differs only where a crowded bin became a tree, whose layout
    /// depends on insertion order.
    pub fn rehashed_order(&self) -> Vec<u32> {
        java_hash_map_order(&self.members, self.hash_order())
    }

    /// A member's `owned_partitions` that exist, as pids, deduplicated, in the member's order.
    pub fn owned(&self, member: u32) -> &[u32] {
        let owned = self.owned.get_or_init(|| {
            let mut seen = vec![NO_MEMBER; self.num_partitions()];
            let mut owned = Vec::with_capacity(self.members.len());
            for (m, member) in self.members.iter().enumerate() {
                let mut pids = Vec::with_capacity(member.sub.owned_partitions.len());
                for tp in &member.sub.owned_partitions {
                    let Some(t) = topic_id(&self.topic_names, &tp.topic) else {
                        continue;
                    };
                    let pid = self.topic_base[t as usize] + tp.partition;
                    if pid < self.topic_base[t as usize + 1] && seen[pid as usize] != m as u32 {
                        seen[pid as usize] = m as u32;
                        pids.push(pid);
                    }
                }
                owned.push(pids);
            }
            owned
        });
        &owned[member as usize]
    }

    /// The subscribed topics that exist, as topic ids (sorted).
    pub fn topics_of(&self, member: u32) -> &[u32] {
        &self.subscriptions[self.members[member as usize].subscription as usize].topics
    }

    /// Whether two members subscribe to the same set of topic names (existing or not).
    pub fn same_subscription(&self, a: u32, b: u32) -> bool {
        let (a, b) = (
            self.members[a as usize].subscription,
            self.members[b as usize].subscription,
        );
        a == b || self.subscriptions[a as usize].names == self.subscriptions[b as usize].names
    }

    /// Pid → its topic id.
    pub fn pid_topic(&self) -> &[u32] {
        self.pid_topic.get_or_init(|| {
            let mut pid_topic = Vec::with_capacity(self.num_partitions());
            for (t, w) in self.topic_base.windows(2).enumerate() {
                pid_topic.extend(std::iter::repeat_n(t as u32, (w[1] - w[0]) as usize));
            }
            pid_topic
        })
    }

    pub fn num_topics(&self) -> usize {
        self.topic_names.len()
    }

    pub fn num_partitions(&self) -> usize {
        *self.topic_base.last().expect("one entry more than topics") as usize
    }

    /// The partition number of a pid.
    pub fn partition_of(&self, pid: u32) -> u32 {
        pid - self.topic_base[self.pid_topic()[pid as usize] as usize]
    }

    pub fn partitions_of_topic(&self, topic: u32) -> std::ops::Range<u32> {
        self.topic_base[topic as usize]..self.topic_base[topic as usize + 1]
    }

    pub fn is_subscribed(&self, member: u32, topic: u32) -> bool {
        self.subscription_has(self.members[member as usize].subscription as usize, topic)
    }

    fn subscription_has(&self, subscription: usize, topic: u32) -> bool {
        self.subscribed_bits[subscription * self.words + topic as usize / 64] & (1 << (topic % 64))
            != 0
    }

    /// Whether every member subscribes to `topic` (the usual case), so that loops over
    /// members can skip [`Group::is_subscribed`].
    pub fn subscribed_by_everyone(&self, topic: u32) -> bool {
        (0..self.subscriptions.len()).all(|s| self.subscription_has(s, topic))
    }

    /// Members sorted like `AbstractPartitionAssignor.MemberInfo.compareTo`: static members
    /// (with a `group.instance.id`) first, by instance id, then the others by member id, both
    /// with `String.compareTo`. `Collections.sort` is stable, so members that compare equal (two
    /// members claiming the same instance id) stay in subscription-map iteration order.
    pub fn members_in_member_info_order(&self) -> Vec<u32> {
        let instance = |m: u32| self.members[m as usize].sub.group_instance_id.as_deref();
        let mut order: Vec<u32> = (0..self.members.len() as u32)
            .filter(|&m| instance(m).is_some())
            .collect();
        if order.is_empty() {
            return self.by_rank.clone();
        }
        let names: Vec<&str> = self
            .members
            .iter()
            .map(|m| m.sub.group_instance_id.as_deref().unwrap_or_default())
            .collect();
        sort_ids_by_java_name(&mut order, &names);
        // Stability made explicit: a run of equal instance ids goes in `hash_order`.
        let mut start = 0;
        while start < order.len() {
            let name = names[order[start] as usize];
            let end = start + order[start..].partition_point(|&m| names[m as usize] == name);
            if end - start > 1 {
                let mut position = vec![0u32; self.members.len()];
                for (pos, &m) in self.hash_order().iter().enumerate() {
                    position[m as usize] = pos as u32;
                }
                sort_ids_by_key(&mut order[start..end], |m| position[m as usize] as u64);
            }
            start = end;
        }
        order.extend(
            self.by_rank
                .iter()
                .copied()
                .filter(|&m| instance(m).is_none()),
        );
        order
    }

    pub fn topic_partition(&self, pid: u32) -> TopicPartition {
        let topic = self.pid_topic()[pid as usize];
        let name = &self.shared_topic_names()[topic as usize];
        TopicPartition {
            topic: Arc::clone(name),
            partition: self.partition_of(pid),
        }
    }

    /// Topic id → its name as the results share it: one allocation per topic, however many
    /// of its partitions the results list.
    fn shared_topic_names(&self) -> &[Arc<str>] {
        self.shared_topic_names
            .get_or_init(|| self.topic_names.iter().map(|&n| Arc::from(n)).collect())
    }

    /// Per-member pid lists (indexed by member id) → the public result, each list sorted by
    /// [`TopicPartition`]'s `Ord`.
    pub fn to_group_assignment(&self, mut per_member: Vec<Vec<u32>>) -> GroupAssignment {
        let mut members = Vec::with_capacity(self.members.len());
        for &m in &self.by_rank {
            let pids = &mut per_member[m as usize];
            if self.topic_ids_in_byte_order {
                pids.sort_unstable();
            } else {
                sort_ids_by_key(pids, |p| {
                    u64::from(self.topic_byte_rank[self.pid_topic()[p as usize] as usize]) << 32
                        | u64::from(self.partition_of(p))
                });
            }
            let tps = pids.iter().map(|&p| self.topic_partition(p)).collect();
            members.push((self.members[m as usize].sub.member_id.clone(), tps));
        }
        into_map(members)
    }
}

/// The public result, filled straight from the partitions an assignor deals out in
/// ascending pid order, i.e. by (topic, partition) — range and roundrobin do — so no list of
/// pids per member is built and sorted first.
pub(crate) struct Dealt<'g, 'a> {
    group: &'g Group<'a>,
    names: &'g [Arc<str>],
    /// Member id → what it got so far.
    lists: Vec<Vec<TopicPartition>>,
}

impl<'g, 'a> Dealt<'g, 'a> {
    /// Room for exactly `count[m]` partitions for every member m.
    pub fn with_counts(group: &'g Group<'a>, count: &[u32]) -> Self {
        Dealt {
            group,
            names: group.shared_topic_names(),
            lists: count
                .iter()
                .map(|&n| Vec::with_capacity(n as usize))
                .collect(),
        }
    }

    /// Gives member `m` the pids `pids`, all of `topic`, above any pid it got before.
    pub fn push_range(&mut self, m: u32, topic: u32, pids: std::ops::Range<u32>) {
        let base = self.group.topic_base[topic as usize];
        let name = &self.names[topic as usize];
        self.lists[m as usize].extend(pids.map(|pid| TopicPartition {
            topic: Arc::clone(name),
            partition: pid - base,
        }));
    }

    /// Gives member `m` the pid `pid` of `topic`, above any pid it got before.
    pub fn push(&mut self, m: u32, topic: u32, pid: u32) {
        self.lists[m as usize].push(TopicPartition {
            topic: Arc::clone(&self.names[topic as usize]),
            partition: pid - self.group.topic_base[topic as usize],
        });
    }

    /// The result: every member's list in [`TopicPartition`]'s order.
    pub fn finish(self) -> GroupAssignment {
        let group = self.group;
        let mut lists = self.lists;
        let mut members = Vec::with_capacity(lists.len());
        for &m in &group.by_rank {
            let mut tps = std::mem::take(&mut lists[m as usize]);
            debug_assert_eq!(tps.len(), tps.capacity(), "the count was not exact");
            // Dealt by pid: already in order, unless a topic name has a character above
            // U+FFFF, where Java's name order (the pids') and Rust's differ.
            if group.topic_ids_in_byte_order {
                debug_assert!(tps.is_sorted());
            } else {
                tps.sort_unstable();
            }
            members.push((group.members[m as usize].sub.member_id.clone(), tps));
        }
        into_map(members)
    }
}

/// The result map, from entries in member-id order (unless ids have characters above U+FFFF).
///
/// Natively the B-tree is built bottom-up (`collect` on sorted entries: ~13 µs less than 100
/// searching inserts at 100 members); in the page it is filled by insertion, because `collect`
/// brings its own stable sort of the entries, 2.9 kB of gzipped wasm (measured). Same map.
fn into_map(members: Vec<(String, Vec<TopicPartition>)>) -> GroupAssignment {
    if cfg!(target_arch = "wasm32") {
        let mut out = GroupAssignment::new();
        for (id, tps) in members {
            out.insert(id, tps);
        }
        out
    } else {
        members.into_iter().collect()
    }
}

/// `a == b` for two lists of names. This is the one look at every member's topic list,
/// usually many lists of the same few short names: those are compared as one or two machine
/// words each rather than by a `memcmp` call per name (an eighth of `range`'s time in a
/// profile at 100 members × 10 topics).
fn same_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| same_bytes(x.as_bytes(), y.as_bytes()))
}

fn same_bytes(x: &[u8], y: &[u8]) -> bool {
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().unwrap());
    let half = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().unwrap());
    let n = x.len();
    n == y.len()
        && match n {
            // Two overlapping loads cover the name.
            8..=16 => word(x, 0) == word(y, 0) && word(x, n - 8) == word(y, n - 8),
            4..=7 => half(x, 0) == half(y, 0) && half(x, n - 4) == half(y, n - 4),
            _ => x == y,
        }
}

/// A topic's id: its index in `topic_names` (sorted in Java order, no repeats).
fn topic_id(topic_names: &[&str], name: &str) -> Option<u32> {
    topic_names
        .binary_search_by(|t| java::string_compare(t, name))
        .ok()
        .map(|i| i as u32)
}
