//! The partition assignors, as a learner meets them.
//!
//! Every expected value below was worked out by hand from the Java source the assignor mirrors
//! (the steps are in the comments) and checked against the real Java classes
//! (`RangeAssignor`, `RoundRobinAssignor`, `AbstractStickyAssignor`,
//! `CooperativeStickyAssignor`) run on the same input.
#![cfg(not(target_arch = "wasm32"))] // native only: processes, files, proptest

use kafkascope::sim::assignor::cooperative_sticky::assign_with_withheld;
use kafkascope::sim::assignor::{
    assign, AssignorKind, GroupAssignment, Subscription, TopicPartition,
};
use kafkascope::sim::vecmap::VecMap;
use std::collections::BTreeSet;

fn topics(spec: &[(&str, u32)]) -> VecMap<String, u32> {
    spec.iter().map(|&(t, n)| (t.to_string(), n)).collect()
}

fn tp(topic: &str, partition: u32) -> TopicPartition {
    TopicPartition::new(topic, partition)
}

/// Partitions of topic `t`.
fn ps(partitions: &[u32]) -> Vec<TopicPartition> {
    partitions.iter().map(|&p| tp("t", p)).collect()
}

fn member(id: &str, subscribed: &[&str]) -> Subscription {
    Subscription {
        member_id: id.to_string(),
        topics: subscribed.iter().map(|t| t.to_string()).collect(),
        ..Subscription::default()
    }
}

fn owning(
    id: &str,
    subscribed: &[&str],
    generation: i32,
    owned: Vec<TopicPartition>,
) -> Subscription {
    Subscription {
        generation: Some(generation),
        owned_partitions: owned,
        ..member(id, subscribed)
    }
}

fn expect(pairs: &[(&str, Vec<TopicPartition>)]) -> GroupAssignment {
    pairs
        .iter()
        .map(|(m, tps)| (m.to_string(), tps.clone()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// One topic, a growing group

#[test]
fn two_consumers_three_partitions_range_gives_c1_p0_p1_c2_p2() {
    // P/C = 1, P%C = 1: the first consumer (in member-id order) gets one extra.
    let members = [member("c1", &["t"]), member("c2", &["t"])];
    assert_eq!(
        assign(AssignorKind::Range, &topics(&[("t", 3)]), &members),
        expect(&[("c1", ps(&[0, 1])), ("c2", ps(&[2]))])
    );
}

#[test]
fn one_consumer_gets_all_three_partitions_whatever_the_strategy() {
    for kind in AssignorKind::ALL {
        let got = assign(kind, &topics(&[("t", 3)]), &[member("c1", &["t"])]);
        assert_eq!(got, expect(&[("c1", ps(&[0, 1, 2]))]), "{kind}");
    }
}

#[test]
fn three_consumers_three_partitions_get_one_each_whatever_the_strategy() {
    let members = [
        member("c1", &["t"]),
        member("c2", &["t"]),
        member("c3", &["t"]),
    ];
    for kind in AssignorKind::ALL {
        assert_eq!(
            assign(kind, &topics(&[("t", 3)]), &members),
            expect(&[("c1", ps(&[0])), ("c2", ps(&[1])), ("c3", ps(&[2]))]),
            "{kind}"
        );
    }
}

#[test]
fn four_consumers_three_partitions_leave_the_fourth_idle() {
    // Range: P/C = 0, P%C = 3, so c1..c3 get one each. Roundrobin deals p0..p2 to c1..c3.
    // Sticky with nothing owned: minQuota 0, maxQuota 1, three "big" slots; the members at
    // minQuota are filled in member-id order, and c4 finds the partitions gone.
    let members = [
        member("c4", &["t"]),
        member("c2", &["t"]),
        member("c1", &["t"]),
        member("c3", &["t"]),
    ];
    for kind in AssignorKind::ALL {
        assert_eq!(
            assign(kind, &topics(&[("t", 3)]), &members),
            expect(&[
                ("c1", ps(&[0])),
                ("c2", ps(&[1])),
                ("c3", ps(&[2])),
                ("c4", vec![])
            ]),
            "{kind}"
        );
    }
}

#[test]
fn a_group_with_no_members_assigns_nothing() {
    for kind in AssignorKind::ALL {
        assert!(assign(kind, &topics(&[("t", 3)]), &[]).is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// Several topics

#[test]
fn range_gives_the_first_member_the_extra_partition_of_every_topic() {
    // The RangeAssignor Javadoc example: each topic is cut on its own, so C0 collects the extra
    // partition of t0 *and* of t1: 4 against 2.
    let members = [member("C0", &["t0", "t1"]), member("C1", &["t0", "t1"])];
    assert_eq!(
        assign(
            AssignorKind::Range,
            &topics(&[("t0", 3), ("t1", 3)]),
            &members
        ),
        expect(&[
            (
                "C0",
                vec![tp("t0", 0), tp("t0", 1), tp("t1", 0), tp("t1", 1)]
            ),
            ("C1", vec![tp("t0", 2), tp("t1", 2)]),
        ])
    );
}

#[test]
fn roundrobin_deals_both_topics_as_one_deck() {
    // The RoundRobinAssignor Javadoc example: t0p0 C0, t0p1 C1, t0p2 C0, t1p0 C1, …: 3 and 3.
    let members = [member("C0", &["t0", "t1"]), member("C1", &["t0", "t1"])];
    assert_eq!(
        assign(
            AssignorKind::RoundRobin,
            &topics(&[("t0", 3), ("t1", 3)]),
            &members
        ),
        expect(&[
            ("C0", vec![tp("t0", 0), tp("t0", 2), tp("t1", 1)]),
            ("C1", vec![tp("t0", 1), tp("t1", 0), tp("t1", 2)]),
        ])
    );
}

#[test]
fn roundrobin_skips_members_not_subscribed_and_can_end_lopsided() {
    // The Javadoc example: t0 (1 partition) → C0; t1p0: C1 is next; t1p1: C2 (C0 skipped,
    // C1's turn has passed); t2p0..2: only C2 subscribes.
    let members = [
        member("C0", &["t0"]),
        member("C1", &["t0", "t1"]),
        member("C2", &["t0", "t1", "t2"]),
    ];
    let cluster = topics(&[("t0", 1), ("t1", 2), ("t2", 3)]);
    assert_eq!(
        assign(AssignorKind::RoundRobin, &cluster, &members),
        expect(&[
            ("C0", vec![tp("t0", 0)]),
            ("C1", vec![tp("t1", 0)]),
            (
                "C2",
                vec![tp("t1", 1), tp("t2", 0), tp("t2", 1), tp("t2", 2)]
            ),
        ])
    );
}

#[test]
fn members_with_different_subscriptions_only_get_their_topics() {
    // Range per topic: orders (4) between A and B → A 0,1 / B 2,3; payments (2) only C.
    // Sticky, general algorithm (subscriptions differ), nothing owned: topics with fewer
    // potential consumers first (payments, then orders), each partition to the least loaded
    // eligible member, ties by member id: payments → C, C; orders → A, B, A, B.
    let members = [
        member("A", &["orders"]),
        member("B", &["orders"]),
        member("C", &["payments"]),
    ];
    let cluster = topics(&[("orders", 4), ("payments", 2), ("audit", 5)]);
    let orders = |p: &[u32]| p.iter().map(|&p| tp("orders", p)).collect::<Vec<_>>();
    assert_eq!(
        assign(AssignorKind::Range, &cluster, &members),
        expect(&[
            ("A", orders(&[0, 1])),
            ("B", orders(&[2, 3])),
            ("C", vec![tp("payments", 0), tp("payments", 1)]),
        ])
    );
    assert_eq!(
        assign(AssignorKind::Sticky, &cluster, &members),
        expect(&[
            ("A", orders(&[0, 2])),
            ("B", orders(&[1, 3])),
            ("C", vec![tp("payments", 0), tp("payments", 1)]),
        ])
    );
}

#[test]
fn topics_that_do_not_exist_are_ignored() {
    let members = [member("c1", &["t", "typo"]), member("c2", &["t"])];
    for kind in AssignorKind::ALL {
        let got = assign(kind, &topics(&[("t", 2), ("empty", 0)]), &members);
        assert_eq!(got, expect(&[("c1", ps(&[0])), ("c2", ps(&[1]))]), "{kind}");
    }
}

// ---------------------------------------------------------------------------------------------
// Member order

#[test]
fn member_ids_sort_like_java_strings_so_consumer_10_comes_before_consumer_2() {
    // String.compareTo: '1' < '2' at index 9, length never matters. consumer-10 is first.
    let members = [member("consumer-2", &["t"]), member("consumer-10", &["t"])];
    let expected = expect(&[("consumer-10", ps(&[0, 1])), ("consumer-2", ps(&[2]))]);
    assert_eq!(
        assign(AssignorKind::Range, &topics(&[("t", 3)]), &members),
        expected
    );
    let expected = expect(&[("consumer-10", ps(&[0, 2])), ("consumer-2", ps(&[1]))]);
    assert_eq!(
        assign(AssignorKind::RoundRobin, &topics(&[("t", 3)]), &members),
        expected
    );
}

#[test]
fn static_members_come_first_sorted_by_group_instance_id() {
    // MemberInfo.compareTo: members with a group.instance.id before the others, and among
    // themselves by instance id, not member id.
    let with_instance = |id: &str, instance: &str| Subscription {
        group_instance_id: Some(instance.to_string()),
        ..member(id, &["t"])
    };
    let members = [
        member("a-dynamic", &["t"]),
        with_instance("z-static", "instance-1"),
        with_instance("m-static", "instance-2"),
    ];
    assert_eq!(
        assign(AssignorKind::Range, &topics(&[("t", 4)]), &members),
        expect(&[
            ("z-static", ps(&[0, 1])),
            ("m-static", ps(&[2])),
            ("a-dynamic", ps(&[3])),
        ])
    );
}

// ---------------------------------------------------------------------------------------------
// Sticky: keep what you own

#[test]
fn sticky_keeps_owners_when_a_member_leaves() {
    // c1 (p0, p1) left. 6 partitions for 2 members: quota 3 each. c2 and c3 own two each,
    // below quota: they keep them and take the orphans p0, p1 round-robin in member-id order.
    let members = [
        owning("c2", &["t"], 1, ps(&[2, 3])),
        owning("c3", &["t"], 1, ps(&[4, 5])),
    ];
    let got = assign(AssignorKind::Sticky, &topics(&[("t", 6)]), &members);
    assert_eq!(
        got,
        expect(&[("c2", ps(&[0, 2, 3])), ("c3", ps(&[1, 4, 5]))])
    );
    // Range ignores ownership and recuts the topic: p3 moves from c2 to c3 for nothing.
    let range = assign(AssignorKind::Range, &topics(&[("t", 6)]), &members);
    assert_eq!(
        range,
        expect(&[("c2", ps(&[0, 1, 2])), ("c3", ps(&[3, 4, 5]))])
    );
}

#[test]
fn sticky_moves_only_the_minimum_when_a_member_joins() {
    // 6 partitions, 3 members: quota 2. c1 keeps the two lowest of its partitions (owned
    // partitions are sorted by partition number) and gives up p2; c2 gives up p5; the newcomer
    // c3 gets exactly those two. Four partitions never move.
    let members = [
        owning("c1", &["t"], 1, ps(&[0, 1, 2])),
        owning("c2", &["t"], 1, ps(&[3, 4, 5])),
        member("c3", &["t"]),
    ];
    let got = assign(AssignorKind::Sticky, &topics(&[("t", 6)]), &members);
    assert_eq!(
        got,
        expect(&[
            ("c1", ps(&[0, 1])),
            ("c2", ps(&[3, 4])),
            ("c3", ps(&[2, 5]))
        ])
    );
}

#[test]
fn java_hashmap_order_decides_who_keeps_the_bigger_share() {
    // 7 partitions, 3 members: quotas 2..3 and exactly one member may keep 3. consumer-1 and
    // consumer-3 both own 3. The leader visits members in its HashMap's order: spread
    // String.hashCode() & 15 puts consumer-3 in bucket 11, consumer-2 in 12, consumer-1 in 13,
    // so consumer-3 comes first and keeps all three; consumer-1 keeps p0, p1 and gives up p2,
    // which goes to consumer-2 (the only member below its quota).
    let members = [
        owning("consumer-1", &["t"], 4, ps(&[0, 1, 2])),
        owning("consumer-2", &["t"], 4, ps(&[6])),
        owning("consumer-3", &["t"], 4, ps(&[3, 4, 5])),
    ];
    let got = assign(AssignorKind::Sticky, &topics(&[("t", 7)]), &members);
    assert_eq!(
        got,
        expect(&[
            ("consumer-1", ps(&[0, 1])),
            ("consumer-2", ps(&[2, 6])),
            ("consumer-3", ps(&[3, 4, 5])),
        ])
    );
}

#[test]
fn sticky_with_different_subscriptions_keeps_owned_partitions_where_balance_allows() {
    // General algorithm: A keeps orders-0..2, B keeps payments-0; the balancing pass moves
    // one orders partition to B (3 vs 1 → 2 vs 2), the first one in its list that can move.
    let orders = |p: u32| tp("orders", p);
    let members = [
        owning("A", &["orders"], 2, vec![orders(0), orders(1), orders(2)]),
        owning("B", &["orders", "payments"], 2, vec![tp("payments", 0)]),
    ];
    let got = assign(
        AssignorKind::Sticky,
        &topics(&[("orders", 3), ("payments", 1)]),
        &members,
    );
    assert_eq!(
        got,
        expect(&[
            ("A", vec![orders(1), orders(2)]),
            ("B", vec![orders(0), tp("payments", 0)]),
        ])
    );
}

// ---------------------------------------------------------------------------------------------
// Generations (KIP-341): who owned it last?

#[test]
fn the_claim_from_the_newer_generation_wins() {
    // c2 missed a rebalance: it still claims p1 from generation 2, but c1 got p1 in
    // generation 3. c1 keeps p1; c2 keeps p0, the rest is dealt c1, c2 (member-id order).
    let claims = |order_c1_first: bool| {
        let c1 = owning("c1", &["t"], 3, ps(&[1]));
        let c2 = owning("c2", &["t"], 2, ps(&[0, 1]));
        if order_c1_first {
            vec![c1, c2]
        } else {
            vec![c2, c1]
        }
    };
    let expected = expect(&[("c1", ps(&[1, 2])), ("c2", ps(&[0, 3]))]);
    for order in [true, false] {
        for kind in [AssignorKind::Sticky, AssignorKind::CooperativeSticky] {
            assert_eq!(
                assign(kind, &topics(&[("t", 4)]), &claims(order)),
                expected,
                "{kind}"
            );
        }
    }
}

#[test]
fn two_claims_from_the_same_generation_are_both_ignored() {
    // Both say they owned p1 in generation 3: neither claim counts. p1 is unowned, so c1 (one
    // partition, below its quota of 2) takes it. Cooperative treats it as changing owner and
    // holds it back for one round, to be safe.
    let members = [
        owning("c1", &["t"], 3, ps(&[0, 1])),
        owning("c2", &["t"], 3, ps(&[1, 2, 3])),
    ];
    let target = expect(&[("c1", ps(&[0, 1])), ("c2", ps(&[2, 3]))]);
    assert_eq!(
        assign(AssignorKind::Sticky, &topics(&[("t", 4)]), &members),
        target
    );

    let round = assign_with_withheld(&topics(&[("t", 4)]), &members);
    assert_eq!(
        round.assignment,
        expect(&[("c1", ps(&[0])), ("c2", ps(&[2, 3]))])
    );
    assert_eq!(
        round.withheld,
        VecMap::from([(tp("t", 1), "c1".to_string())])
    );
}

#[test]
fn a_stale_claim_on_an_unsubscribed_topic_cannot_make_the_leader_spin_forever() {
    // consumer-20 (generation 6, one behind) still claims t0-8 although it now subscribes to
    // t1 and b-1 only. Java's general algorithm hands t0-8 "back" to it, moves it on, hands it
    // back … and the real leader never returns (checked: the Java classes loop forever on
    // this input). We notice the cycle and balance without handing partitions to members
    // that no longer subscribe to their topic.
    let cluster = topics(&[("t0", 9), ("payments", 5), ("t1", 9), ("b-1", 6)]);
    let parse = |spec: &str| -> Vec<TopicPartition> {
        spec.split(',')
            .map(|tp| {
                let (t, p) = tp.rsplit_once(':').unwrap();
                TopicPartition::new(t, p.parse().unwrap())
            })
            .collect()
    };
    let members = [
        Subscription {
            group_instance_id: Some("i-0".into()),
            ..owning(
                "9ZXa",
                &["t1", "b-1", "payments", "t0"],
                7,
                parse("t0:2,t1:4,t0:7,t1:1,b-1:2"),
            )
        },
        owning(
            "c-fe178f8b",
            &["b-1"],
            7,
            parse("t0:3,t1:0,b-1:5,payments:3,t0:1,t0:4,b-1:3"),
        ),
        owning(
            "consumer-20",
            &["t1", "b-1"],
            6,
            parse("t0:8,t1:3,t1:5,t1:8,payments:4"),
        ),
        owning(
            "c-52020fd9",
            &["t0", "b-1"],
            7,
            parse("t0:5,b-1:4,t1:7,b-1:0,t1:6,payments:1,b-1:1"),
        ),
    ];
    for kind in [AssignorKind::Sticky, AssignorKind::CooperativeSticky] {
        let got = assign(kind, &cluster, &members);
        let subscribed = |m: &str, t: &str| {
            members
                .iter()
                .any(|s| s.member_id == m && s.topics.iter().any(|x| x == t))
        };
        assert!(got
            .iter()
            .all(|(m, tps)| tps.iter().all(|p| subscribed(m, &p.topic))));
    }
    let target = assign(AssignorKind::Sticky, &cluster, &members);
    assert_eq!(target.values().map(Vec::len).sum::<usize>(), 29);
    assert_eq!(target["c-fe178f8b"].len(), 6, "b-1 is all it can have");
}

// ---------------------------------------------------------------------------------------------
// Cooperative: two rounds

#[test]
fn cooperative_round_one_withholds_the_partitions_that_move() {
    // Same start as `sticky_moves_only_the_minimum_when_a_member_joins`: the target gives p2
    // (from c1) and p5 (from c2) to c3. c1 and c2 still own them, so in round 1 nobody gets
    // them; c1 and c2 revoke them and rejoin.
    let members = [
        owning("c1", &["t"], 1, ps(&[0, 1, 2])),
        owning("c2", &["t"], 1, ps(&[3, 4, 5])),
        member("c3", &["t"]),
    ];
    let round1 = assign_with_withheld(&topics(&[("t", 6)]), &members);
    assert_eq!(
        round1.assignment,
        expect(&[("c1", ps(&[0, 1])), ("c2", ps(&[3, 4])), ("c3", vec![])])
    );
    assert_eq!(
        round1.withheld,
        VecMap::from([
            (tp("t", 2), "c3".to_string()),
            (tp("t", 5), "c3".to_string())
        ])
    );
    assert_eq!(
        assign(
            AssignorKind::CooperativeSticky,
            &topics(&[("t", 6)]),
            &members
        ),
        round1.assignment
    );

    // Round 2: everybody reports round 1's assignment, generation 2. p2 and p5 are free now.
    let members: Vec<Subscription> = members
        .iter()
        .map(|m| {
            owning(
                &m.member_id,
                &["t"],
                2,
                round1.assignment[&m.member_id].clone(),
            )
        })
        .collect();
    let round2 = assign_with_withheld(&topics(&[("t", 6)]), &members);
    assert!(round2.withheld.is_empty());
    assert_eq!(
        round2.assignment,
        assign(AssignorKind::Sticky, &topics(&[("t", 6)]), &members)
    );
    assert_eq!(
        round2.assignment,
        expect(&[
            ("c1", ps(&[0, 1])),
            ("c2", ps(&[3, 4])),
            ("c3", ps(&[2, 5]))
        ])
    );
}

#[test]
fn cooperative_with_different_subscriptions_withholds_what_another_member_still_owns() {
    // General algorithm: A owned all of orders; new member B (orders too) should take half.
    // The target moves orders-0 and orders-1 to B (first in the list, least loaded member),
    // and A still owns them, so they are withheld; C's payments never move.
    let orders = |p: &[u32]| p.iter().map(|&p| tp("orders", p)).collect::<Vec<_>>();
    let members = [
        owning("A", &["orders"], 5, orders(&[0, 1, 2, 3])),
        member("B", &["orders"]),
        owning("C", &["payments"], 5, vec![tp("payments", 0)]),
    ];
    let cluster = topics(&[("orders", 4), ("payments", 1)]);
    let target = assign(AssignorKind::Sticky, &cluster, &members);
    assert_eq!(target["A"], orders(&[2, 3]));
    assert_eq!(target["B"], orders(&[0, 1]));

    let round1 = assign_with_withheld(&cluster, &members);
    assert_eq!(round1.assignment["A"], orders(&[2, 3]));
    assert_eq!(round1.assignment["B"], vec![]);
    assert_eq!(round1.assignment["C"], vec![tp("payments", 0)]);
    assert_eq!(round1.withheld.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Names

#[test]
fn assignor_names_are_the_protocol_names_and_parse_back() {
    let names: Vec<&str> = AssignorKind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(
        names,
        ["range", "roundrobin", "sticky", "cooperative-sticky"]
    );
    for kind in AssignorKind::ALL {
        assert_eq!(AssignorKind::parse(kind.name()), Ok(kind));
        assert_eq!(AssignorKind::parse(kind.java_class()), Ok(kind));
        assert_eq!(kind.name().parse::<AssignorKind>(), Ok(kind));
        assert_eq!(
            kind.is_cooperative(),
            kind == AssignorKind::CooperativeSticky
        );
    }
    assert_eq!(
        AssignorKind::parse("CooperativeStickyAssignor"),
        Ok(AssignorKind::CooperativeSticky)
    );
    let err = AssignorKind::parse("round-robin").unwrap_err();
    for name in names {
        assert!(err.contains(name), "{err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Scale

#[test]
fn a_thousand_partitions_over_a_hundred_members_stays_balanced_and_sticky() {
    let cluster = topics(&[("orders", 600), ("payments", 400)]);
    let ids: Vec<String> = (0..100).map(|i| format!("consumer-{i}")).collect();
    let first: Vec<Subscription> = ids
        .iter()
        .map(|id| member(id, &["orders", "payments"]))
        .collect();
    let round1 = assign(AssignorKind::Sticky, &cluster, &first);
    assert!(round1.values().all(|a| a.len() == 10));

    // Ten members leave; the others keep all their partitions and share out the orphans.
    let second: Vec<Subscription> = ids[10..]
        .iter()
        .map(|id| owning(id, &["orders", "payments"], 1, round1[id].clone()))
        .collect();
    let round2 = assign(AssignorKind::Sticky, &cluster, &second);
    for id in &ids[10..] {
        assert!(round1[id].iter().all(|p| round2[id].contains(p)));
        assert!((11..=12).contains(&round2[id].len()));
    }
}

// ---------------------------------------------------------------------------------------------
// Properties over random groups

mod properties {
    use super::*;
    use proptest::prelude::*;

    const TOPIC_POOL: [&str; 5] = ["orders", "payments", "t0", "topic-10", "topic-2"];
    const ID_POOL: [&str; 12] = [
        "consumer-1",
        "consumer-2",
        "consumer-10",
        "consumer-11",
        "c1",
        "c2",
        "alice",
        "bob",
        "Aa",
        "BB",
        "zz-top",
        "m",
    ];

    #[derive(Clone, Debug)]
    struct Case {
        cluster: VecMap<String, u32>,
        members: Vec<Subscription>,
    }

    impl Case {
        fn all_partitions(&self) -> BTreeSet<TopicPartition> {
            let subscribed: BTreeSet<&String> =
                self.members.iter().flat_map(|m| &m.topics).collect();
            self.cluster
                .iter()
                .filter(|(t, _)| subscribed.contains(t))
                .flat_map(|(t, &n)| (0..n).map(move |p| tp(t, p)))
                .collect()
        }

        fn identical_subscriptions(&self) -> bool {
            let set = |m: &Subscription| m.topics.iter().cloned().collect::<BTreeSet<_>>();
            self.members.windows(2).all(|w| set(&w[0]) == set(&w[1]))
        }

        fn subscribed(&self, member_id: &str, topic: &str) -> bool {
            self.members
                .iter()
                .any(|m| m.member_id == member_id && m.topics.iter().any(|t| t == topic))
        }
    }

    /// Random clusters, subscriptions (often identical) and ownership claims with
    /// generations (often conflicting, sometimes stale, sometimes absent).
    fn cases() -> impl Strategy<Value = Case> {
        let cluster = prop::collection::vec(0u32..10, 1..=4).prop_map(|counts| {
            counts
                .into_iter()
                .enumerate()
                .map(|(i, n)| (TOPIC_POOL[i].to_string(), n))
                .collect::<VecMap<_, _>>()
        });
        (
            cluster,
            prop::sample::subsequence(ID_POOL.to_vec(), 1..=12),
            any::<bool>(),
        )
            .prop_flat_map(|(cluster, ids, identical)| {
                let names: Vec<String> = cluster.keys().cloned().collect();
                let mut all: Vec<(String, u32)> = cluster
                    .iter()
                    .flat_map(|(t, &n)| (0..n).map(move |p| (t.clone(), p)))
                    .collect();
                if all.is_empty() {
                    // `select` needs something to pick; this entry is filtered out below.
                    all.push((String::new(), 0));
                }
                let n = ids.len();
                let subs = prop::collection::vec(
                    prop::sample::subsequence(names.clone(), 1..=names.len()),
                    n,
                );
                let shared = prop::sample::subsequence(names.clone(), 1..=names.len());
                let owned = prop::collection::vec(
                    prop::collection::vec(prop::sample::select(all), 0..6),
                    n,
                );
                let generations = prop::collection::vec(prop::option::weighted(0.85, 1i32..4), n);
                (
                    Just(cluster),
                    Just(ids),
                    Just(identical),
                    subs,
                    shared,
                    owned,
                    generations,
                    prop::collection::vec(prop::option::weighted(0.2, 0u8..3), n),
                )
            })
            .prop_map(
                |(cluster, ids, identical, subs, shared, owned, generations, instances)| {
                    let members = ids
                        .iter()
                        .enumerate()
                        .map(|(i, id)| Subscription {
                            member_id: id.to_string(),
                            group_instance_id: instances[i].map(|k| format!("instance-{k}-{id}")),
                            topics: if identical {
                                shared.clone()
                            } else {
                                subs[i].clone()
                            },
                            owned_partitions: owned[i]
                                .iter()
                                .filter(|(t, _)| !t.is_empty())
                                .map(|(t, p)| tp(t, *p))
                                .collect(),
                            generation: generations[i],
                        })
                        .collect();
                    Case { cluster, members }
                },
            )
    }

    fn check_shape(case: &Case, got: &GroupAssignment) -> Result<(), TestCaseError> {
        let ids: BTreeSet<&str> = case.members.iter().map(|m| m.member_id.as_str()).collect();
        let keys: BTreeSet<&str> = got.keys().map(String::as_str).collect();
        prop_assert_eq!(ids, keys, "every member present, nobody else");
        for (m, tps) in got {
            prop_assert!(tps.windows(2).all(|w| w[0] < w[1]), "{} sorted", m);
            for p in tps {
                prop_assert!(
                    case.subscribed(m, &p.topic),
                    "{} got {:?} unsubscribed",
                    m,
                    p
                );
            }
        }
        Ok(())
    }

    fn sizes(got: &GroupAssignment) -> (usize, usize) {
        let min = got.values().map(Vec::len).min().unwrap_or(0);
        let max = got.values().map(Vec::len).max().unwrap_or(0);
        (min, max)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn every_subscribed_partition_is_assigned_exactly_once(case in cases()) {
            for kind in [AssignorKind::Range, AssignorKind::RoundRobin, AssignorKind::Sticky] {
                let got = assign(kind, &case.cluster, &case.members);
                check_shape(&case, &got)?;
                let assigned: Vec<&TopicPartition> = got.values().flatten().collect();
                let unique: BTreeSet<TopicPartition> = assigned.iter().map(|p| (*p).clone()).collect();
                prop_assert_eq!(assigned.len(), unique.len(), "{} assigned something twice", kind);
                prop_assert_eq!(unique, case.all_partitions(), "{} missed a partition", kind);
            }
        }

        #[test]
        fn cooperative_never_hands_out_a_partition_another_member_still_owns(case in cases()) {
            let round = assign_with_withheld(&case.cluster, &case.members);
            check_shape(&case, &round.assignment)?;
            let mut seen = BTreeSet::new();
            for (m, tps) in &round.assignment {
                for p in tps {
                    prop_assert!(seen.insert(p.clone()), "{:?} assigned twice", p);
                    let owns = |s: &Subscription| s.owned_partitions.contains(p);
                    let mine = case.members.iter().any(|s| &s.member_id == m && owns(s));
                    let others = case.members.iter().any(|s| &s.member_id != m && owns(s));
                    prop_assert!(mine || !others, "{} got {:?} while another member owns it", m, p);
                }
            }
            // Round 1 plus what it withholds is exactly the sticky target.
            let mut completed = round.assignment.clone();
            for (p, m) in &round.withheld {
                completed.get_mut(m).unwrap().push(p.clone());
                completed.get_mut(m).unwrap().sort();
            }
            prop_assert_eq!(completed, assign(AssignorKind::Sticky, &case.cluster, &case.members));
        }

        #[test]
        fn cooperative_round_two_completes_the_rebalance(case in cases()) {
            let round1 = assign(AssignorKind::CooperativeSticky, &case.cluster, &case.members);
            let next: Vec<Subscription> = case.members.iter().map(|m| Subscription {
                owned_partitions: round1[&m.member_id].clone(),
                generation: Some(10),
                ..m.clone()
            }).collect();
            let round2 = assign_with_withheld(&case.cluster, &next);
            let assigned: BTreeSet<TopicPartition> =
                round2.assignment.values().flatten().cloned().collect();
            if case.identical_subscriptions() {
                // Round 1 left everybody within its quota, so round 2 keeps all of it and
                // hands out exactly the withheld partitions.
                prop_assert!(round2.withheld.is_empty(), "withheld again: {:?}", round2.withheld);
                prop_assert_eq!(assigned, case.all_partitions());
                for (m, tps) in &round1 {
                    prop_assert!(tps.iter().all(|p| round2.assignment[m].contains(p)));
                }
            } else {
                // The general algorithm may start new moves from the new state; those wait
                // for yet another round, and everything else is assigned.
                let withheld: BTreeSet<TopicPartition> = round2.withheld.keys().cloned().collect();
                prop_assert!(assigned.is_disjoint(&withheld));
                let everything: BTreeSet<TopicPartition> = assigned.union(&withheld).cloned().collect();
                prop_assert_eq!(everything, case.all_partitions());
            }
        }

        #[test]
        fn identical_subscriptions_balance_within_one(case in cases()) {
            prop_assume!(case.identical_subscriptions());
            for kind in [AssignorKind::RoundRobin, AssignorKind::Sticky] {
                let (min, max) = sizes(&assign(kind, &case.cluster, &case.members));
                prop_assert!(max - min <= 1, "{}: {}..{}", kind, min, max);
            }
        }

        #[test]
        fn the_same_input_gives_the_same_assignment(case in cases()) {
            for kind in AssignorKind::ALL {
                prop_assert_eq!(
                    assign(kind, &case.cluster, &case.members),
                    assign(kind, &case.cluster, &case.members)
                );
            }
            // Range and roundrobin sort members (instance ids here are unique), so the
            // order the coordinator lists them in does not matter.
            let mut reversed = case.members.clone();
            reversed.reverse();
            for kind in [AssignorKind::Range, AssignorKind::RoundRobin] {
                prop_assert_eq!(
                    assign(kind, &case.cluster, &case.members),
                    assign(kind, &case.cluster, &reversed)
                );
            }
        }

        #[test]
        fn sticky_moves_nothing_when_the_owned_assignment_is_already_balanced(
            case in cases(),
            seed in any::<u64>(),
            ghost in any::<bool>(),
        ) {
            // Turn the case into a settled group: identical subscriptions, everyone in the same
            // generation, owning a balanced deal of all partitions (dealt in a shuffled order).
            let topics_all: Vec<String> = case.members[0].topics.clone();
            let mut members: Vec<Subscription> = case.members.iter().map(|m| Subscription {
                topics: topics_all.clone(),
                owned_partitions: vec![],
                generation: Some(7),
                ..m.clone()
            }).collect();
            let probe = Case { cluster: case.cluster.clone(), members: members.clone() };
            let mut deck: Vec<TopicPartition> = probe.all_partitions().into_iter().collect();
            let mut state = seed | 1;
            for i in (1..deck.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                deck.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let n = members.len();
            for (i, p) in deck.into_iter().enumerate() {
                members[(i + seed as usize) % n].owned_partitions.push(p);
            }
            if ghost {
                // A subscription to a topic that does not exist makes the subscriptions
                // unequal, so Java takes the general algorithm, which must be just as sticky.
                members[0].topics.push("no-such-topic".to_string());
            }
            for kind in [AssignorKind::Sticky, AssignorKind::CooperativeSticky] {
                let got = assign(kind, &case.cluster, &members);
                for m in &members {
                    let mut owned = m.owned_partitions.clone();
                    owned.sort();
                    prop_assert_eq!(&got[&m.member_id], &owned, "{} moved a partition of {}", kind, m.member_id);
                }
            }
        }
    }
}
