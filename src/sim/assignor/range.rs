//! `range`: each topic on its own, cut into contiguous ranges.
//!
//! Mirrors [`org.apache.kafka.clients.consumer.RangeAssignor`](https://github.com/apache/kafka/blob/trunk/clients/src/main/java/org/apache/kafka/clients/consumer/RangeAssignor.java)
//! (without the rack-aware pass, which needs `client.rack`; kafkascope has no racks).
//!
//! For every topic separately:
//!
//! 1. line up the topic's partitions in numeric order, and the members subscribed to it in
//!    `MemberInfo` order: static members (those with a `group.instance.id`) first, sorted by
//!    instance id, then the rest sorted by member id with Java's `String.compareTo` — so
//!    `consumer-10` comes before `consumer-2`;
//! 2. with `P` partitions and `C` members, every member gets `P / C` partitions and the first
//!    `P % C` members one more, each a contiguous block.
//!
//! Two members and three partitions: C1 gets P0 and P1, C2 gets P2. Because every topic starts
//! again from the first member, the first members collect the extra partition of *every* topic:
//! with 10 topics of 3 partitions and 2 members, C1 ends up with 20 partitions and C2 with 10.
//! That imbalance is the price of co-partitioning: partition N of every topic lands on the
//! same member, which is what joins of co-partitioned topics need.
//!
//! Member ids are random (`client.id-UUID`), so after a restart a member's place in the order,
//! and with it its ranges, can change; static membership keeps the order stable.

use super::Group;

pub(crate) fn assign(group: &Group) -> Vec<Vec<u32>> {
    let order = group.members_in_member_info_order();
    // Each topic's subscribers in `MemberInfo` order, then every member's share sized first,
    // so each member's list is allocated once.
    let mut consumers: Vec<Vec<u32>> = Vec::with_capacity(group.num_topics());
    let mut count = vec![0usize; group.members.len()];
    for topic in 0..group.num_topics() as u32 {
        let subscribers: Vec<u32> = order
            .iter()
            .copied()
            .filter(|&m| group.is_subscribed(m, topic))
            .collect();
        let share = Share::new(group.partitions_of_topic(topic).len(), subscribers.len());
        for (i, &member) in subscribers.iter().enumerate() {
            count[member as usize] += share.of(i);
        }
        consumers.push(subscribers);
    }
    let mut assignment: Vec<Vec<u32>> = count.iter().map(|&n| Vec::with_capacity(n)).collect();
    for (topic, subscribers) in consumers.iter().enumerate() {
        let partitions = group.partitions_of_topic(topic as u32);
        let share = Share::new(partitions.len(), subscribers.len());
        let mut next = partitions.start;
        for (i, &member) in subscribers.iter().enumerate() {
            let take = share.of(i) as u32;
            assignment[member as usize].extend(next..next + take);
            next += take;
        }
        debug_assert!(subscribers.is_empty() || next == partitions.end);
    }
    assignment
}

/// `P / C` partitions for each of `C` members, and one more for each of the first `P % C`.
struct Share {
    each: usize,
    with_extra: usize,
}

impl Share {
    fn new(partitions: usize, members: usize) -> Self {
        Share {
            each: partitions.checked_div(members).unwrap_or(0),
            with_extra: partitions.checked_rem(members).unwrap_or(0),
        }
    }

    /// The share of the `i`-th member.
    fn of(&self, i: usize) -> usize {
        self.each + usize::from(i < self.with_extra)
    }
}
