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
    let mut assignment = vec![Vec::new(); group.members.len()];
    let order = group.members_in_member_info_order();
    let mut consumers = Vec::with_capacity(order.len());
    for topic in 0..group.num_topics() as u32 {
        consumers.clear();
        consumers.extend(
            order
                .iter()
                .copied()
                .filter(|&m| group.is_subscribed(m, topic)),
        );
        if consumers.is_empty() {
            continue;
        }
        let partitions = group.partitions_of_topic(topic);
        let count = partitions.len();
        let per_consumer = count / consumers.len();
        let with_extra = count % consumers.len();
        let mut next = partitions.start;
        for (i, &member) in consumers.iter().enumerate() {
            let take = (per_consumer + usize::from(i < with_extra)) as u32;
            assignment[member as usize].extend(next..next + take);
            next += take;
        }
        debug_assert_eq!(next, partitions.end);
    }
    assignment
}
