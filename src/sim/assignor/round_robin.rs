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

use super::Group;

pub(crate) fn assign(group: &Group) -> Vec<Vec<u32>> {
    let circle = group.members_in_member_info_order();
    if circle.is_empty() {
        return vec![Vec::new(); group.members.len()];
    }
    // `CircularIterator`: `next` is the index of the member `peek()` would return. Dealt
    // twice: first counting, so every member's list is allocated once, then for real.
    let mut count = vec![0usize; group.members.len()];
    deal(group, &circle, |m, _| count[m as usize] += 1);
    let mut assignment: Vec<Vec<u32>> = count.iter().map(|&n| Vec::with_capacity(n)).collect();
    deal(group, &circle, |m, pid| assignment[m as usize].push(pid));
    assignment
}

fn deal(group: &Group, circle: &[u32], mut give: impl FnMut(u32, u32)) {
    let mut next = 0usize;
    for topic in 0..group.num_topics() as u32 {
        for pid in group.partitions_of_topic(topic) {
            // Every topic here has a subscriber, so this stops within one lap.
            while !group.is_subscribed(circle[next], topic) {
                next = (next + 1) % circle.len();
            }
            give(circle[next], pid);
            next = (next + 1) % circle.len();
        }
    }
}
