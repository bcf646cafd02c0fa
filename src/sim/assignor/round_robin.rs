//! `roundrobin`: all partitions of all topics dealt out like cards.
//!
//! Mirrors [`org.apache.kafka.clients.consumer.RoundRobinAssignor`](https://github.com/apache/kafka/blob/trunk/clients/src/main/java/org/apache/kafka/clients/consumer/RoundRobinAssignor.java).
//!
//! 1. Sort the members in `MemberInfo` order (static members first by `group.instance.id`,
//!    then by member id, Java `String.compareTo`) and arrange them in a circle.
//! 2. List every partition of every subscribed topic, sorted by topic name, then partition.
//! 3. Deal: each partition goes to the next member in the circle that subscribes to its topic;
//!    members that don't are skipped (and keep their turn for a later topic).
//!
//! With identical subscriptions the counts differ by at most one, across all topics together
//! — unlike `range`. With different subscriptions the skipping can leave it lopsided: members
//! C0 ⊂ {t0}, C1 ⊂ {t0, t1}, C2 ⊂ {t0, t1, t2} with 1, 2, 3 partitions get
//! C0 [t0-0], C1 [t1-0], C2 [t1-1, t2-0, t2-1, t2-2] (the example in the Java doc).

use super::{Dealt, Group};

pub(crate) fn assign<'g, 'a>(group: &'g Group<'a>) -> Dealt<'g, 'a> {
    let circle = group.members_in_member_info_order();
    if circle.is_empty() {
        return Dealt::with_counts(group, &vec![0; group.members.len()]);
    }
    // Counted first, so that every member's list is allocated once.
    let mut assignment = Dealt::with_counts(group, &count(group, &circle));
    deal(group, &circle, |m, topic, pid| {
        assignment.push(m, topic, pid)
    });
    assignment
}

/// How many partitions `deal` gives each member, without dealing. A topic everyone
/// subscribes to deals its `P` partitions round the whole circle from `next`: `P / n` to
/// every member and one more to the `P % n` from `next` on. Those topics are summed up per
/// place in one pass at the end rather than partition by partition.
fn count(group: &Group, circle: &[u32]) -> Vec<u32> {
    let n = circle.len();
    let mut count = vec![0u32; group.members.len()];
    let mut each = 0;
    // Differences of "one more" between neighbouring places of the circle.
    let mut more = vec![0i32; n + 1];
    deal_partly(
        group,
        circle,
        |m, _, _| count[m as usize] += 1,
        |next, partitions| {
            each += (partitions / n) as u32;
            let end = next + partitions % n;
            more[next] += 1;
            if end <= n {
                more[end] -= 1;
            } else {
                more[n] -= 1;
                more[0] += 1;
                more[end - n] -= 1;
            }
            true
        },
    );
    let mut extra = 0;
    for (&m, step) in circle.iter().zip(&more) {
        extra += step;
        count[m as usize] += each + extra as u32;
    }
    count
}

/// `give(member, topic, pid)` for every partition, in (topic, partition) order.
fn deal(group: &Group, circle: &[u32], give: impl FnMut(u32, u32, u32)) {
    deal_partly(group, circle, give, |_, _| false);
}

/// [`deal`], except that a topic everyone subscribes to goes to `whole(next, its partition
/// count)` instead of `give` if `whole` returns true.
fn deal_partly(
    group: &Group,
    circle: &[u32],
    mut give: impl FnMut(u32, u32, u32),
    mut whole: impl FnMut(usize, usize) -> bool,
) {
    // `CircularIterator`: `next` is the index of the member `peek()` would return.
    let mut next = 0usize;
    let step = |next: usize| {
        if next + 1 == circle.len() {
            0
        } else {
            next + 1
        }
    };
    for topic in 0..group.num_topics() as u32 {
        let partitions = group.partitions_of_topic(topic);
        let everyone = group.subscribed_by_everyone(topic);
        if everyone && whole(next, partitions.len()) {
            next = (next + partitions.len()) % circle.len();
            continue;
        }
        for pid in partitions {
            // Every topic here has a subscriber, so this stops within one lap.
            while !everyone && !group.is_subscribed(circle[next], topic) {
                next = step(next);
            }
            give(circle[next], topic, pid);
            next = step(next);
        }
    }
}
