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

use super::{Dealt, Group};

pub(crate) fn assign<'g, 'a>(group: &'g Group<'a>) -> Dealt<'g, 'a> {
    let order = group.members_in_member_info_order();
    // Counted first, so that every member's list is allocated once.
    let mut assignment = Dealt::with_counts(group, &count(group, &order));
    deal(group, &order, |member, topic, partitions| {
        assignment.push_range(member, topic, partitions)
    });
    assignment
}

/// How many partitions `deal` gives each member, without dealing. A topic everyone
/// subscribes to gives the member at place `i` of `order` `each + (i < with_extra)`: those
/// topics are summed up per place in one pass at the end rather than member by member.
fn count(group: &Group, order: &[u32]) -> Vec<u32> {
    let mut count = vec![0u32; group.members.len()];
    let mut each = 0;
    // `with_extra[k]`: how many of those topics give one more to the first k members.
    let mut with_extra = vec![0u32; order.len() + 1];
    deal_partly(
        group,
        order,
        |member, _, partitions| count[member as usize] += partitions.len() as u32,
        |share| {
            each += share.each;
            with_extra[share.with_extra as usize] += 1;
            true
        },
    );
    let mut more = 0;
    for (i, &member) in order.iter().enumerate().rev() {
        more += with_extra[i + 1];
        count[member as usize] += each + more;
    }
    count
}

/// Hands every topic's partitions out in contiguous blocks: `give(member, topic, its block)`.
fn deal(group: &Group, order: &[u32], give: impl FnMut(u32, u32, std::ops::Range<u32>)) {
    deal_partly(group, order, give, |_| false);
}

/// [`deal`], except that a topic everyone subscribes to goes to `whole(its share)` instead
/// of `give` if `whole` returns true.
fn deal_partly(
    group: &Group,
    order: &[u32],
    mut give: impl FnMut(u32, u32, std::ops::Range<u32>),
    mut whole: impl FnMut(&Share) -> bool,
) {
    for topic in 0..group.num_topics() as u32 {
        let everyone = group.subscribed_by_everyone(topic);
        let subscribers = || {
            order
                .iter()
                .copied()
                .filter(move |&m| everyone || group.is_subscribed(m, topic))
        };
        let partitions = group.partitions_of_topic(topic);
        let subscriber_count = if everyone {
            order.len()
        } else {
            subscribers().count()
        };
        let share = Share::new(partitions.len() as u32, subscriber_count as u32);
        if everyone && whole(&share) {
            continue;
        }
        let mut next = partitions.start;
        for (i, member) in subscribers().enumerate() {
            let take = share.of(i as u32);
            give(member, topic, next..next + take);
            next += take;
        }
        debug_assert!(next == partitions.end || share.each + share.with_extra == 0);
    }
}

/// `P / C` partitions for each of `C` members, and one more for each of the first `P % C`.
struct Share {
    each: u32,
    with_extra: u32,
}

impl Share {
    fn new(partitions: u32, members: u32) -> Self {
        Share {
            each: partitions.checked_div(members).unwrap_or(0),
            with_extra: partitions.checked_rem(members).unwrap_or(0),
        }
    }

    /// The share of the `i`-th member.
    fn of(&self, i: u32) -> u32 {
        self.each + u32::from(i < self.with_extra)
    }
}
