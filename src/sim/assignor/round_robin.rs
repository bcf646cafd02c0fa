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
    let mut assignment = vec![Vec::new(); group.members.len()];
    let circle = group.members_in_member_info_order();
    if circle.is_empty() {
        return assignment;
    }
    // `CircularIterator`: `next` is the index of the member `peek()` would return.
    let mut next = 0usize;
    for pid in 0..group.num_partitions() as u32 {
        let topic = group.pid_topic[pid as usize];
        // Every topic here has a subscriber, so this stops within one lap.
        while !group.is_subscribed(circle[next], topic) {
            next = (next + 1) % circle.len();
        }
        assignment[circle[next] as usize].push(pid);
        next = (next + 1) % circle.len();
    }
    assignment
}
