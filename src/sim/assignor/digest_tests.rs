//! A pinned digest of the assignors' output on 3,000 seeded random groups.
//!
//! `tests/assignors.rs` checks the course cases by hand and proptest checks properties; this
//! test pins the *exact* output (member order ties, Java `HashMap` order, static members,
//! repeated ids and topics, stale and conflicting claims, supplementary-plane topic names,
//! member ids whose Java hash codes collide) so that a speed or size change in the assignors
//! cannot change a single assignment unnoticed. The expected digests were recorded from the
//! assignors as compared against the Java classes (commit 84f6e1f). A deliberate change of
//! behaviour must update them, and say why in its commit message.

use super::cooperative_sticky::assign_with_withheld;
use super::{assign, AssignorKind, Subscription, TopicPartition};
use crate::sim::vecmap::VecMap;
use std::fmt::Write;

/// SplitMix64: a tiny deterministic generator, so the cases never depend on a crate version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Topic names: ASCII that sorts differently as numbers, and names where Java's UTF-16 order
/// and Rust's byte order disagree (U+FF61 vs an emoji).
const TOPICS: [&str; 8] = [
    "orders",
    "payments",
    "t",
    "topic-10",
    "topic-2",
    "\u{FF61}half",
    "\u{1F600}smile",
    "ab",
];

/// Member ids: `consumer-10` < `consumer-2` in Java order, and ids with equal `hashCode`s
/// (`Aa` and `BB` pairs), which share a `HashMap` bucket and with 9+ of them make a tree bin.
fn member_id(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("consumer-{}", rng.below(24)),
        1 => {
            let mut s = String::new();
            for _ in 0..4 {
                s.push_str(if rng.chance(50) { "Aa" } else { "BB" });
            }
            s
        }
        2 => format!("c{}-{:08x}", rng.below(5), rng.next() as u32),
        _ => ["alice", "bob", "m", "zz-top", "\u{FF61}", "\u{1F600}"][rng.below(6)].to_string(),
    }
}

struct Case {
    cluster: VecMap<String, u32>,
    members: Vec<Subscription>,
}

fn random_case(rng: &mut Rng, big: bool) -> Case {
    let topic_count = 1 + rng.below(if big { 8 } else { 4 });
    let mut cluster = VecMap::new();
    for &t in TOPICS.iter().take(topic_count) {
        let n = if big { rng.below(120) } else { rng.below(9) } as u32;
        cluster.insert(t.to_string(), n);
    }
    let names: Vec<&str> = TOPICS.iter().take(topic_count + 1).copied().collect();
    let member_count = if big {
        20 + rng.below(90)
    } else {
        rng.below(14)
    };
    let identical = rng.chance(60);
    let shared: Vec<String> = subscription(rng, &names);
    let mut members = Vec::with_capacity(member_count);
    for _ in 0..member_count {
        // A repeated id (HashMap.put keeps the place, takes the value) now and then.
        let member_id = if !members.is_empty() && rng.chance(4) {
            let other: &Subscription = &members[rng.below(members.len())];
            other.member_id.clone()
        } else {
            member_id(rng)
        };
        let topics = if identical {
            shared.clone()
        } else {
            subscription(rng, &names)
        };
        let mut owned = Vec::new();
        for _ in 0..rng.below(if big { 14 } else { 6 }) {
            let t = names[rng.below(names.len())];
            let p = rng.below(cluster.get(t).map_or(3, |&n| n as usize + 2).max(1)) as u32;
            owned.push(TopicPartition::new(t, p));
        }
        let generation = match rng.below(10) {
            0 => None,
            1 => Some(-2),
            _ => Some(rng.below(4) as i32),
        };
        let group_instance_id = rng.chance(15).then(|| format!("instance-{}", rng.below(6)));
        members.push(Subscription {
            member_id,
            group_instance_id,
            topics,
            owned_partitions: owned,
            generation,
        });
    }
    Case { cluster, members }
}

fn subscription(rng: &mut Rng, names: &[&str]) -> Vec<String> {
    let mut topics: Vec<String> = names
        .iter()
        .filter(|_| rng.chance(55))
        .map(|t| t.to_string())
        .collect();
    if topics.is_empty() || rng.chance(10) {
        topics.push(names[rng.below(names.len())].to_string());
    }
    // Any order: the assignors must not depend on it.
    for i in (1..topics.len()).rev() {
        topics.swap(i, rng.below(i + 1));
    }
    topics
}

/// Previous generation: what a sticky assignment of the same group gave, as the owned
/// partitions of (most of) the members, so the sticky paths see realistic claims too.
fn with_previous(case: &Case, rng: &mut Rng) -> Vec<Subscription> {
    let previous = assign(AssignorKind::Sticky, &case.cluster, &case.members);
    let mut members = Vec::new();
    for m in &case.members {
        if rng.chance(85) {
            members.push(Subscription {
                owned_partitions: previous[&m.member_id].clone(),
                generation: Some(1 + rng.below(2) as i32),
                ..m.clone()
            });
        }
    }
    members
}

/// FNV-1a over the `Debug` text of every result.
fn digest(cases: impl Iterator<Item = Case>) -> u64 {
    let mut text = String::new();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for case in cases {
        text.clear();
        for kind in AssignorKind::ALL {
            let _ = write!(text, "{:?}", assign(kind, &case.cluster, &case.members));
        }
        let round = assign_with_withheld(&case.cluster, &case.members);
        let _ = write!(text, "{:?}{:?}", round.assignment, round.withheld);
        for b in text.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn cases(seed: u64, count: usize, big: bool) -> impl Iterator<Item = Case> {
    let mut rng = Rng(seed);
    (0..count).flat_map(move |_| {
        let case = random_case(&mut rng, big);
        let members = with_previous(&case, &mut rng);
        let warm = Case {
            cluster: case.cluster.clone(),
            members,
        };
        [case, warm]
    })
}

#[test]
fn small_random_groups_assign_exactly_as_recorded() {
    assert_eq!(digest(cases(1, 1_400, false)), 2_323_604_551_275_602_469);
}

#[test]
fn large_random_groups_assign_exactly_as_recorded() {
    assert_eq!(digest(cases(2, 100, true)), 13_253_066_984_436_474_746);
}
