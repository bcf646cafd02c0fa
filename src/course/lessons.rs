//! Guided lessons: the course's walk-throughs as short sequences of narrated steps.
//!
//! A step says what to do and what to watch. The learner does it on the page (add a consumer,
//! produce a key, crash a service…) or presses "Do it for me", which sends the step's
//! [`Act`] commands; the step is complete when its condition ([`Step::done`]) holds in the
//! world, so "Next" waits for the simulator, not for a timer. A [`Predict`] step asks first
//! ("Which partition will key user-7 go to?") and the simulator gives the answer — computed
//! with the same murmur2 the producer uses, never typed in by hand.
//!
//! Every lesson is run from first step to last by `tests/lessons.rs` (native) and by the
//! end-to-end test in Chromium.

use crate::course::presets::preset;
use crate::course::scaled_consumer_config;
use crate::sim::assignor::TopicPartition;
use crate::sim::command::BrokerRef;
use crate::sim::consumer::ConsumerStatus;
use crate::sim::group::{Group, GroupState};
use crate::sim::log::PartitionLog;
use crate::sim::partitioner::{murmur2, PartitionerKind};
use crate::sim::scenario::Scenario;
use crate::sim::{Command, KeySpec, ResetSpec, World};

/// One guided lesson.
pub struct Lesson {
    /// Its name in links: `?lesson=consumer-groups`.
    pub id: &'static str,
    pub title: &'static str,
    /// The preset it starts from (its setup and its commands at 0 ms, e.g. auto-produce).
    pub preset: &'static str,
    pub steps: &'static [Step],
}

/// One narrated step.
pub struct Step {
    pub title: &'static str,
    /// What is going on, in the course's words.
    pub text: &'static str,
    /// Where to look while it happens.
    pub watch: &'static str,
    /// What "Do it for me" does (`None`: nothing to do but watch).
    pub act: Option<Act>,
    /// The step is complete once this holds (`None`: at once).
    pub done: Option<fn(&World) -> bool>,
    /// A question to answer before acting.
    pub predict: Option<Predict>,
}

/// The commands of "Do it for me", computed from the world when pressed.
pub struct Act {
    pub label: &'static str,
    pub commands: fn(&World) -> Vec<Command>,
}

/// A "predict" moment: a question, its choices, and the simulator's answer.
pub struct Predict {
    pub question: &'static str,
    pub choices: fn(&World) -> Vec<String>,
    /// Index of the right choice, computed from the world.
    pub answer: fn(&World) -> usize,
}

impl Lesson {
    /// The scenario the lesson starts from: the preset's setup and its commands at 0 ms
    /// (background such as auto-produce); the steps do the rest.
    pub fn scenario(&self) -> Scenario {
        let mut s = preset(self.preset).expect("lesson presets parse (tested)");
        s.commands.retain(|c| c.at_ms == 0);
        s.run_until_ms = None;
        s
    }
}

/// The lesson called `id`.
pub fn lesson(id: &str) -> Result<&'static Lesson, String> {
    LESSONS.iter().find(|l| l.id == id).ok_or_else(|| {
        let known: Vec<&str> = LESSONS.iter().map(|l| l.id).collect();
        format!(
            "there is no lesson \"{}\"; lessons are {}",
            id.chars().take(40).collect::<String>(),
            known.join(", ")
        )
    })
}

// ----- small helpers the steps share ----------------------------------------------------------

fn produce(topic: &str, key: &str, value: &str) -> Command {
    Command::Produce {
        topic: topic.into(),
        key: Some(key.into()),
        value: value.into(),
        partition: None,
        partitioner: PartitionerKind::Default,
    }
}

fn add(client_id: &str, group: &str, topic: &str) -> Command {
    Command::AddConsumer {
        client_id: client_id.into(),
        group: group.into(),
        topics: vec![topic.into()],
        config: scaled_consumer_config(),
    }
}

fn partitions(w: &World, topic: &str) -> u32 {
    w.topic(topic).map_or(0, |t| t.partition_count())
}

fn partition_choices(w: &World, topic: &str) -> Vec<String> {
    (0..partitions(w, topic)).map(|p| format!("P{p}")).collect()
}

fn key_partition(w: &World, topic: &str, key: &str) -> usize {
    w.partition_for_key(topic, key).unwrap_or(0) as usize
}

fn records(w: &World, topic: &str) -> u64 {
    w.topic(topic)
        .map_or(0, |t| t.partitions.iter().map(|l| l.log_end_offset()).sum())
}

/// Records with `value` (and `key`, if given) in `topic`.
fn count(w: &World, topic: &str, key: Option<&str>, value: Option<&str>) -> usize {
    let Some(t) = w.topic(topic) else { return 0 };
    t.partitions
        .iter()
        .flat_map(|l| l.range(l.log_start_offset(), l.log_end_offset()))
        .filter(|r| key.is_none_or(|k| r.key == Some(k)) && value.is_none_or(|v| r.value == v))
        .count()
}

fn auto(topic: &str, rate_per_s: u32, prefix: &str) -> Command {
    Command::SetAutoProduce {
        topic: topic.into(),
        rate_per_s,
        keys: KeySpec::Set {
            prefix: prefix.into(),
            count: 50,
        },
        partitioner: PartitionerKind::Default,
    }
}

/// `(leader, ISR)` of `topic-partition`.
fn replication(w: &World, topic: &str, partition: u32) -> (Option<u32>, Vec<u32>) {
    w.partition_replicas(topic, partition)
        .map_or((None, Vec::new()), |r| (r.leader, r.isr.clone()))
}

fn stable(w: &World, group: &str, members: usize) -> bool {
    w.group(group)
        .is_some_and(|g| g.state == GroupState::Stable && g.members.len() == members)
}

/// The group has processed everything in `topic` (and there was something).
fn caught_up(w: &World, group: &str, topic: &str) -> bool {
    records(w, topic) > 0
        && every_partition(w, group, topic, |g, tp, log| {
            g.processed_high.get(tp).copied().unwrap_or(0) >= log.log_end_offset()
        })
}

/// `test` holds for `group` on every partition of `topic` (false if either is missing).
fn every_partition(
    w: &World,
    group: &str,
    topic: &str,
    test: impl Fn(&Group, &TopicPartition, &PartitionLog) -> bool,
) -> bool {
    let (Some(g), Some(t)) = (w.group(group), w.topic(topic)) else {
        return false;
    };
    t.partitions
        .iter()
        .enumerate()
        .all(|(p, log)| test(g, &TopicPartition::new(topic, p as u32), log))
}

/// Client id of the consumer that owns `topic-partition` in `group`.
fn owner(w: &World, group: &str, topic: &str, partition: u32) -> Option<String> {
    let tp = TopicPartition::new(topic, partition);
    w.group(group)?
        .members
        .values()
        .find(|m| m.assignment.contains(&tp))
        .map(|m| m.client_id.clone())
}

// ----- the lessons --------------------------------------------------------------------------------

/// Every lesson, in course order.
pub static LESSONS: &[Lesson] = &[
    Lesson {
        id: "first-topic",
        title: "1 · First topic: partitions, offsets and keys",
        preset: "first-topic",
        steps: &[
            Step {
                title: "A topic is a set of logs",
                text: "Topic orders has 3 partitions, P0 to P2. Each partition is an append-only log: a new record gets the next offset of its partition, starting at 0, and is never changed afterwards.",
                watch: "The three empty lanes: one per partition.",
                act: None,
                done: None,
                predict: None,
            },
            Step {
                title: "A key picks the partition",
                text: "The Java producer hashes the key's bytes with murmur2 and takes the result modulo the number of partitions: toPositive(murmur2(\"user-7\")) % 3. No randomness: the same key always gives the same partition.",
                watch: "The producer panel explains the hash of the record it sent.",
                act: Some(Act {
                    label: "Produce key user-7",
                    commands: |_| vec![produce("orders", "user-7", "order #1")],
                }),
                done: Some(|w| count(w, "orders", Some("user-7"), None) >= 1),
                predict: Some(Predict {
                    question: "Which partition will key user-7 go to?",
                    choices: |w| partition_choices(w, "orders"),
                    answer: |w| key_partition(w, "orders", "user-7"),
                }),
            },
            Step {
                title: "Same key, same partition, in order",
                text: "Send user-7 twice more. All of one user's events land in one partition, at offsets 0, 1, 2…: consumers read them in the order they were produced.",
                watch: "user-7's records lined up in one lane.",
                act: Some(Act {
                    label: "Produce user-7 twice",
                    commands: |_| {
                        vec![
                            produce("orders", "user-7", "order #2"),
                            produce("orders", "user-7", "order #3"),
                        ]
                    },
                }),
                done: Some(|w| count(w, "orders", Some("user-7"), None) >= 3),
                predict: None,
            },
            Step {
                title: "No order across partitions",
                text: "Each partition counts its own offsets. Offset 1 in P0 and offset 1 in P2 say nothing about which came first: Kafka orders records within a partition only. Need an order? Give the related events one key.",
                watch: "Other users' records start at offset 0 in their own lanes.",
                act: Some(Act {
                    label: "Produce user-1 … user-4",
                    commands: |_| {
                        (1..=4)
                            .map(|i| produce("orders", &format!("user-{i}"), "order"))
                            .collect()
                    },
                }),
                done: Some(|w| records(w, "orders") >= 7),
                predict: None,
            },
            Step {
                title: "Key skew",
                text: "murmur2 spreads many keys evenly, but a few keys over a few partitions can collide: A, B and C all land in the same partition. Real systems get hot partitions this way.",
                watch: "Where A, B and C land.",
                act: Some(Act {
                    label: "Produce keys A, B, C",
                    commands: |_| {
                        ["A", "B", "C"]
                            .iter()
                            .map(|k| produce("orders", k, "event"))
                            .collect()
                    },
                }),
                done: Some(|w| count(w, "orders", Some("C"), None) >= 1),
                predict: Some(Predict {
                    question: "Keys A, B and C: where do they go?",
                    choices: |_| {
                        ["All to P0", "All to P1", "All to P2", "One to each partition"]
                            .map(String::from)
                            .to_vec()
                    },
                    answer: |w| {
                        let p: Vec<usize> = ["A", "B", "C"]
                            .iter()
                            .map(|k| key_partition(w, "orders", k))
                            .collect();
                        if p.iter().all(|&x| x == p[0]) && p[0] < 3 {
                            p[0]
                        } else {
                            3
                        }
                    },
                }),
            },
        ],
    },
    Lesson {
        id: "consumer-groups",
        title: "2 · One group: consumers share the partitions",
        preset: "consumer-group-scaling",
        steps: &[
            Step {
                title: "Two consumers, three partitions",
                text: "c1 and c2 join group billing. After group.initial.rebalance.delay.ms the group leader runs the range assignor: partitions in order, 3 / 2 each, and the first 3 % 2 members get one extra.",
                watch: "The group card: PreparingRebalance → CompletingRebalance → Stable.",
                act: None,
                done: Some(|w| stable(w, "billing", 2)),
                predict: Some(Predict {
                    question: "Range assignor, 2 consumers, 3 partitions: what does c2 get?",
                    choices: |_| ["P0", "P2", "P1 and P2", "Nothing"].map(String::from).to_vec(),
                    answer: |_| 1,
                }),
            },
            Step {
                title: "Add a third consumer",
                text: "A new member joins, so the coordinator starts a rebalance: everyone rejoins (PreparingRebalance), the leader's assignment goes out with SyncGroup (CompletingRebalance), then Stable with the generation + 1. Range is eager: every consumer first gives up everything.",
                watch: "Each consumer ends with one partition; the generation goes up.",
                act: Some(Act {
                    label: "Add consumer c3",
                    commands: |_| vec![add("c3", "billing", "orders")],
                }),
                done: Some(|w| {
                    stable(w, "billing", 3)
                        && w.group("billing")
                            .is_some_and(|g| g.members.values().all(|m| m.assignment.len() == 1))
                }),
                predict: None,
            },
            Step {
                title: "Remove the second",
                text: "A graceful close sends LeaveGroup, so the rebalance starts at once. (A crash is noticed only after session.timeout.ms without heartbeats.)",
                watch: "c2's partition moves to another member.",
                act: Some(Act {
                    label: "Stop consumer c2",
                    commands: |_| {
                        vec![Command::StopConsumer {
                            client_id: "c2".into(),
                        }]
                    },
                }),
                done: Some(|w| {
                    stable(w, "billing", 2)
                        && w.consumer("c2")
                            .is_some_and(|c| c.status == ConsumerStatus::Stopped)
                }),
                predict: None,
            },
            Step {
                title: "More consumers than partitions",
                text: "Add two more: four consumers, three partitions. A partition is read by at most one member of a group, so one consumer has nothing to do. It stays in the group as a hot standby.",
                watch: "One consumer card says idle.",
                act: Some(Act {
                    label: "Add c4 and c5",
                    commands: |_| vec![add("c4", "billing", "orders"), add("c5", "billing", "orders")],
                }),
                done: Some(|w| {
                    stable(w, "billing", 4)
                        && w.group("billing")
                            .is_some_and(|g| g.members.values().any(|m| m.assignment.is_empty()))
                }),
                predict: Some(Predict {
                    question: "Four consumers on three partitions: how many sit idle?",
                    choices: |_| ["None", "One", "Two"].map(String::from).to_vec(),
                    answer: |_| 1,
                }),
            },
        ],
    },
    Lesson {
        id: "round-robin-vs-keyed",
        title: "3 · Round-robin vs keyed partitioning",
        preset: "round-robin-vs-keyed",
        steps: &[
            Step {
                title: "Round-robin: keys ignored",
                text: "With partitioner.class = RoundRobinPartitioner the producer deals records over the partitions in turn, whatever the key: M1 → P0, M2 → P1, M3 → P2, M4 → P0…",
                watch: "Two messages per lane, in turn.",
                act: Some(Act {
                    label: "Produce M1 … M6 round-robin",
                    commands: |_| {
                        (1..=6)
                            .map(|i| Command::Produce {
                                topic: "messages".into(),
                                key: None,
                                value: format!("M{i}"),
                                partition: None,
                                partitioner: PartitionerKind::RoundRobin,
                            })
                            .collect()
                    },
                }),
                done: Some(|w| records(w, "messages") >= 6),
                predict: Some(Predict {
                    question: "Where does M4 go?",
                    choices: |w| partition_choices(w, "messages"),
                    answer: |w| 3 % partitions(w, "messages").max(1) as usize,
                }),
            },
            Step {
                title: "Keyed: one key, one partition",
                text: "With a key and the default partitioner, murmur2(key) % partitions decides, so customer-42's messages stay together and in order.",
                watch: "All three customer-42 records in one lane.",
                act: Some(Act {
                    label: "Produce customer-42 three times",
                    commands: |_| {
                        (1..=3)
                            .map(|i| produce("messages", "customer-42", &format!("update {i}")))
                            .collect()
                    },
                }),
                done: Some(|w| count(w, "messages", Some("customer-42"), None) >= 3),
                predict: Some(Predict {
                    question: "Which partition will key customer-42 go to?",
                    choices: |w| partition_choices(w, "messages"),
                    answer: |w| key_partition(w, "messages", "customer-42"),
                }),
            },
            Step {
                title: "Adding partitions moves keys",
                text: "Grow the topic to 6 partitions: hash % 3 becomes hash % 6. Kafka never moves records already written, so a key's history can end up split over two partitions and per-key order breaks at the change. Choose partition counts up front.",
                watch: "Where customer-42's next record lands.",
                act: Some(Act {
                    label: "Grow to 6 partitions, produce customer-42",
                    commands: |_| {
                        vec![
                            Command::AddPartitions {
                                topic: "messages".into(),
                                partitions: 6,
                            },
                            produce("messages", "customer-42", "update 4"),
                        ]
                    },
                }),
                done: Some(|w| {
                    partitions(w, "messages") == 6
                        && count(w, "messages", Some("customer-42"), None) >= 4
                }),
                predict: Some(Predict {
                    question: "With 6 partitions, where does customer-42 go?",
                    choices: |_| (0..6).map(|p| format!("P{p}")).collect(),
                    answer: |_| murmur2::partition_for_key(b"customer-42", 6) as usize,
                }),
            },
        ],
    },
    Lesson {
        id: "fan-out",
        title: "4 · Same group shares, separate groups fan out",
        preset: "fan-out",
        steps: &[
            Step {
                title: "Four groups on one topic",
                text: "worker-1, worker-2 and worker-3 are one group, workers: they split the 3 partitions. inventory, billing and email are separate groups, one consumer each: each gets every partition.",
                watch: "The group cards: workers has three members, the others one.",
                act: None,
                done: Some(|w| {
                    stable(w, "workers", 3)
                        && ["inventory", "billing", "email"].iter().all(|g| stable(w, g, 1))
                }),
                predict: None,
            },
            Step {
                title: "Work shared within a group",
                text: "Sixty orders arrive. Within workers each order is handled once, by the owner of its partition: that is how a group scales out.",
                watch: "The workers group's lag falls to 0 quickly: three consumers share it.",
                act: Some(Act {
                    label: "Produce 60 orders",
                    commands: |_| {
                        vec![Command::ProduceBurst {
                            topic: "orders".into(),
                            count: 60,
                            keys: KeySpec::Set {
                                prefix: "order-".into(),
                                count: 20,
                            },
                            partitioner: PartitionerKind::Default,
                        }]
                    },
                }),
                done: Some(|w| caught_up(w, "workers", "orders")),
                predict: None,
            },
            Step {
                title: "Every group gets everything",
                text: "inventory, billing and email each read all 60 orders, at their own pace and with their own committed offsets: a slow email service does not hold back billing. This is fan-out (publish/subscribe).",
                watch: "email's lag falls last: it is the slowest reader.",
                act: None,
                done: Some(|w| {
                    ["inventory", "billing", "email"]
                        .iter()
                        .all(|g| caught_up(w, g, "orders"))
                }),
                predict: Some(Predict {
                    question: "How many of the 60 orders does the email service read?",
                    choices: |_| ["15", "20", "60"].map(String::from).to_vec(),
                    answer: |_| 2,
                }),
            },
        ],
    },
    Lesson {
        id: "choreography",
        title: "5 · E-commerce choreography: events drive services",
        preset: "ecommerce-choreography",
        steps: &[
            Step {
                title: "Four services, no orchestrator",
                text: "checkout turns order_placed into payment_requested (topic payment-requests); payment turns that into payment_successful (payments); inventory reserves stock (inventory_reserved). shipping reads inventory and payments and starts an order only when it has seen both for the same order id: a join on the key.",
                watch: "Five topics; each service is its own consumer group.",
                act: None,
                done: Some(|w| {
                    [
                        "checkout",
                        "inventory-service",
                        "payment-service",
                        "shipping-service",
                    ]
                    .iter()
                    .all(|g| stable(w, g, 1))
                }),
                predict: None,
            },
            Step {
                title: "Place an order",
                text: "One order_placed event sets off a chain: two services react at once, payment through its own topic, and shipping waits for both answers.",
                watch: "order-1 travels through the topics, always in the same partition (same key). The event log narrates each hop.",
                act: Some(Act {
                    label: "Place order-1",
                    commands: |_| vec![produce("orders", "order-1", "order_placed")],
                }),
                done: Some(|w| count(w, "shipments", Some("order-1"), None) >= 1),
                predict: None,
            },
            Step {
                title: "The payment service goes down",
                text: "Crash payment-1 and place order-2. Inventory still reserves stock, the payment request waits in its topic, and shipping holds the order: it has inventory_reserved but no payment_successful yet.",
                watch: "payment-requests fills up; shipments gets nothing for order-2.",
                act: Some(Act {
                    label: "Crash payment-1, place order-2",
                    commands: |_| {
                        vec![
                            Command::CrashConsumer {
                                client_id: "payment-1".into(),
                            },
                            produce("orders", "order-2", "order_placed"),
                        ]
                    },
                }),
                done: Some(|w| {
                    count(w, "inventory", Some("order-2"), None) >= 1
                        && count(w, "payment-requests", Some("order-2"), None) >= 1
                        && count(w, "shipments", Some("order-2"), None) == 0
                        && w.consumer("payment-1")
                            .is_some_and(|c| c.status == ConsumerStatus::Crashed)
                }),
                predict: Some(Predict {
                    question: "With payment down, what happens to order-2?",
                    choices: |_| {
                        [
                            "It is lost",
                            "It ships without payment",
                            "It waits, then ships when payment is back",
                        ]
                        .map(String::from)
                        .to_vec()
                    },
                    answer: |_| 2,
                }),
            },
            Step {
                title: "Payment is back",
                text: "Restart payment-1. It resumes from its group's committed offset, pays order-2, and shipping completes the join. Had it crashed after paying but before committing, it would pay again: at-least-once, so real handlers are idempotent.",
                watch: "shipment_started for order-2.",
                act: Some(Act {
                    label: "Restart payment-1",
                    commands: |_| {
                        vec![Command::RestartConsumer {
                            client_id: "payment-1".into(),
                        }]
                    },
                }),
                done: Some(|w| count(w, "shipments", Some("order-2"), None) >= 1),
                predict: None,
            },
        ],
    },
    Lesson {
        id: "crash-redelivery",
        title: "6 · Crash before commit: at-least-once",
        preset: "crash-redelivery",
        steps: &[
            Step {
                title: "One partition, two consumers",
                text: "Topic payments has one partition, so one consumer of payments-service owns it and the other waits, idle. Offsets are committed automatically every auto.commit.interval.ms (5 s).",
                watch: "Which consumer owns P0.",
                act: None,
                done: Some(|w| stable(w, "payments-service", 2)),
                predict: None,
            },
            Step {
                title: "Work in progress",
                text: "Two hundred payments arrive and the owner works through them, a quarter of a second each (almost a minute of work). What it has processed but not yet committed is exactly what a crash will replay.",
                watch: "The gap between the owner's position ▼ and the committed offset ▲.",
                act: Some(Act {
                    label: "Produce 200 payments (slow processing)",
                    commands: |w| {
                        let mut out = Vec::new();
                        if let Some(o) = owner(w, "payments-service", "payments", 0) {
                            out.push(Command::SetProcessingTime {
                                client_id: o,
                                processing_ms_per_record: 250.0,
                            });
                        }
                        out.push(Command::ProduceBurst {
                            topic: "payments".into(),
                            count: 200,
                            keys: KeySpec::None,
                            partitioner: PartitionerKind::Default,
                        });
                        out
                    },
                }),
                done: Some(|w| {
                    let Some(o) = owner(w, "payments-service", "payments", 0) else {
                        return false;
                    };
                    let tp = TopicPartition::new("payments", 0);
                    let processed = w
                        .consumer(&o)
                        .and_then(|c| c.processed.get(&tp).copied())
                        .unwrap_or(0);
                    let committed = w
                        .group("payments-service")
                        .and_then(|g| g.committed.get(&tp).map(|c| c.offset))
                        .unwrap_or(0);
                    processed >= 3 && processed > committed
                }),
                predict: None,
            },
            Step {
                title: "Crash!",
                text: "The owner dies before its next commit. Nobody notices at first: the coordinator waits session.timeout.ms without heartbeats, then rebalances, and the other consumer starts from the committed offset, processing again what the first had already done.",
                watch: "The session countdown, then the duplicates highlighted in the log.",
                act: Some(Act {
                    label: "Crash the owner",
                    commands: |w| {
                        owner(w, "payments-service", "payments", 0)
                            .map(|o| Command::CrashConsumer { client_id: o })
                            .into_iter()
                            .collect()
                    },
                }),
                done: Some(|w| w.consumers().values().any(|c| c.redelivered > 0)),
                predict: Some(Predict {
                    question: "After the crash, what happens to the payments processed since the last commit?",
                    choices: |_| {
                        ["They are lost", "They are processed again", "Nothing: they were done"]
                            .map(String::from)
                            .to_vec()
                    },
                    answer: |_| 1,
                }),
            },
        ],
    },
    Lesson {
        id: "retention-replay",
        title: "7 · Retention and replay",
        preset: "retention-replay",
        steps: &[
            Step {
                title: "Old segments are deleted",
                text: "Topic clicks keeps records for retention.ms = 20 s. Kafka deletes whole closed segments, never single records, so the log start offset jumps forward a segment at a time. Speed up time to see it sooner.",
                watch: "The greyed start of each lane and its log start offset.",
                act: None,
                done: Some(|w| {
                    w.topic("clicks")
                        .is_some_and(|t| t.partitions.iter().any(|l| l.log_start_offset() > 0))
                }),
                predict: None,
            },
            Step {
                title: "A new group reads history",
                text: "A new group has no committed offsets, so auto.offset.reset decides: earliest starts at the log start offset and replays what retention kept; latest would see only new records.",
                watch: "latecomers starts from the log start, not from 0.",
                act: Some(Act {
                    label: "Add late-1 in group latecomers",
                    commands: |_| vec![add("late-1", "latecomers", "clicks")],
                }),
                done: Some(|w| caught_up(w, "latecomers", "clicks")),
                predict: None,
            },
            Step {
                title: "Stop the group first",
                text: "kafka-consumer-groups --reset-offsets only works on an inactive group (state Empty): stop a1.",
                watch: "analytics goes Empty.",
                act: Some(Act {
                    label: "Stop a1",
                    commands: |_| {
                        vec![Command::StopConsumer {
                            client_id: "a1".into(),
                        }]
                    },
                }),
                done: Some(|w| {
                    w.group("analytics")
                        .is_some_and(|g| g.state == GroupState::Empty)
                }),
                predict: None,
            },
            Step {
                title: "Reset to earliest",
                text: "kafka-consumer-groups --group analytics --topic clicks --reset-offsets --to-earliest --execute moves the committed offsets back to the log start.",
                watch: "The committed offsets ▲ jump back.",
                act: Some(Act {
                    label: "Reset analytics to earliest",
                    commands: |_| {
                        vec![Command::ResetOffsets {
                            group: "analytics".into(),
                            topic: Some("clicks".into()),
                            to: ResetSpec::Earliest,
                        }]
                    },
                }),
                done: Some(|w| {
                    every_partition(w, "analytics", "clicks", |g, tp, log| {
                        g.committed
                            .get(tp)
                            .is_some_and(|c| c.offset <= log.log_start_offset())
                    })
                }),
                predict: None,
            },
            Step {
                title: "Replay",
                text: "Restart a1: it resumes from the reset offsets and processes the retained history again. Replay is a feature: fix a bug, reset, reprocess.",
                watch: "a1 reprocesses records it had already seen.",
                act: Some(Act {
                    label: "Restart a1",
                    commands: |_| {
                        vec![Command::RestartConsumer {
                            client_id: "a1".into(),
                        }]
                    },
                }),
                done: Some(|w| {
                    w.consumer("a1")
                        .is_some_and(|c| c.status == ConsumerStatus::Active)
                        && caught_up(w, "analytics", "clicks")
                }),
                predict: None,
            },
        ],
    },
    Lesson {
        id: "eager-vs-cooperative",
        title: "8 · Eager vs cooperative rebalancing",
        preset: "eager-vs-cooperative",
        steps: &[
            Step {
                title: "Two groups, two protocols",
                text: "Both groups read topic events (6 partitions). eager uses the range assignor (eager protocol); cooperative uses cooperative-sticky (cooperative protocol).",
                watch: "Both group cards reach Stable.",
                act: None,
                done: Some(|w| stable(w, "eager", 2) && stable(w, "cooperative", 2)),
                predict: None,
            },
            Step {
                title: "A third consumer joins each",
                text: "Eager: every member revokes all its partitions before rejoining: the whole group stops (stop-the-world). Cooperative: members keep what they own; only the partitions that must move are revoked, in a second, follow-up rebalance.",
                watch: "Eager consumers all go blank for a moment; cooperative ones keep working, and the group rebalances twice.",
                act: Some(Act {
                    label: "Add e3 and k3",
                    commands: |_| vec![add("e3", "eager", "events"), add("k3", "cooperative", "events")],
                }),
                done: Some(|w| {
                    stable(w, "eager", 3)
                        && stable(w, "cooperative", 3)
                        && w.group("cooperative").is_some_and(|g| g.withheld.is_empty())
                }),
                predict: Some(Predict {
                    question: "Which group stops every consumer during the rebalance?",
                    choices: |_| ["eager", "cooperative", "both"].map(String::from).to_vec(),
                    answer: |_| 0,
                }),
            },
        ],
    },
    Lesson {
        id: "kafka-vs-queue",
        title: "9 · Kafka vs a queue and Pub/Sub",
        preset: "kafka-vs-queue",
        steps: &[
            Step {
                title: "Shared work, like a queue",
                text: "w1 and w2 share the tasks as competing workers would on a queue, but by partition: each partition has one owner at a time, so tasks of one key run in order.",
                watch: "The workers group's lag stays low.",
                act: None,
                done: Some(|w| stable(w, "workers", 2) && records(w, "tasks") > 0),
                predict: None,
            },
            Step {
                title: "Reading does not delete",
                text: "A queue deletes a message once it is acknowledged. Kafka only moves the group's committed offset; the records stay until retention.ms. The log start offset is still 0.",
                watch: "Committed offsets ▲ move; the log start does not.",
                act: None,
                done: Some(|w| {
                    w.group("workers")
                        .is_some_and(|g| g.committed.values().any(|c| c.offset > 0))
                }),
                predict: None,
            },
            Step {
                title: "Another reader gets everything",
                text: "A new group, audit, reads the whole history from the start without disturbing workers. A queue would have nothing left for it; a Pub/Sub subscription created now would see only new messages. (Kafka 4's share groups, KIP-932, add queue-style per-record acknowledgement on top of the log.)",
                watch: "audit catches up from offset 0 on every partition.",
                act: Some(Act {
                    label: "Add audit-1 in group audit",
                    commands: |_| vec![add("audit-1", "audit", "tasks")],
                }),
                done: Some(|w| {
                    every_partition(w, "audit", "tasks", |g, tp, log| {
                        !g.processed_high.is_empty()
                            && (log.is_empty() || g.processed_high.get(tp).is_some_and(|&h| h > 0))
                    })
                }),
                predict: Some(Predict {
                    question: "The audit group joins late. Where does it start reading (auto.offset.reset = earliest)?",
                    choices: |_| {
                        ["At the newest record", "At offset 0 of each partition", "Nowhere: the tasks were consumed"]
                            .map(String::from)
                            .to_vec()
                    },
                    answer: |_| 1,
                }),
            },
        ],
    },
    Lesson {
        id: "broker-dies",
        title: "10 · A broker dies: leaders move",
        preset: "broker-dies",
        steps: &[
            Step {
                title: "Three brokers, three copies",
                text: "Topic orders has replication factor 3: every partition has a copy on brokers 1, 2 and 3. One copy leads (★) and takes the writes; the others follow and fetch from it. With acks=all and min.insync.replicas=2, a write counts once the in-sync replicas (the ISR) have it: that is the high watermark, and consumers read only up to it.",
                watch: "The cluster panel: ★ marks each partition's leader. Each lane shows its leader, ISR and HW.",
                act: Some(Act {
                    label: "Start producing 20 orders/s",
                    commands: |_| vec![auto("orders", 20, "order-")],
                }),
                done: Some(|w| stable(w, "billing", 2) && records(w, "orders") >= 20),
                predict: None,
            },
            Step {
                title: "Crash broker 2",
                text: "Broker 2 dies without a goodbye. For broker.session.timeout.ms nothing moves: the partition it leads is unavailable and writes to it time out. Then the active controller fences broker 2, picks a surviving in-sync replica as the new leader (a new leader epoch) and shrinks the ISRs.",
                watch: "The lanes: leader 2 becomes another broker; ISR loses 2. If broker 2 coordinated group billing, the coordinator moves too.",
                act: Some(Act {
                    label: "Crash broker 2",
                    commands: |_| vec![Command::CrashBroker(BrokerRef { broker_id: 2 })],
                }),
                done: Some(|w| {
                    (0..partitions(w, "orders")).all(|p| {
                        let (leader, isr) = replication(w, "orders", p);
                        leader.is_some_and(|l| l != 2) && !isr.contains(&2)
                    })
                }),
                predict: Some(Predict {
                    question: "Broker 2 is gone. Which broker can become a partition's new leader?",
                    choices: |_| {
                        ["Any broker", "Only a replica that is in the ISR", "None until broker 2 returns"]
                            .map(String::from)
                            .to_vec()
                    },
                    answer: |_| 1,
                }),
            },
            Step {
                title: "Broker 2 comes back",
                text: "A restarted broker truncates its log to what is safe, fetches what it missed from the leaders and, once caught up, rejoins every ISR. Later the controller hands its preferred leaderships back (auto.leader.rebalance.enable).",
                watch: "ISR 1,2,3 again on every lane.",
                act: Some(Act {
                    label: "Restart broker 2",
                    commands: |_| vec![Command::RestartBroker(BrokerRef { broker_id: 2 })],
                }),
                done: Some(|w| {
                    (0..partitions(w, "orders")).all(|p| replication(w, "orders", p).1.len() == 3)
                }),
                predict: None,
            },
        ],
    },
    Lesson {
        id: "acks",
        title: "11 · acks=1 loses data, acks=all does not",
        preset: "acks-and-durability",
        steps: &[
            Step {
                title: "Two producers, two promises",
                text: "Both topics have three copies, led by the same broker. clicks-acks1 is written with acks=1: the leader says \"written\" as soon as the record is in its own log. payments-acks-all uses acks=all: the leader answers only once the high watermark passes the record, when every in-sync follower has fetched it.",
                watch: "The durability line of each topic in the cluster panel.",
                act: Some(Act {
                    label: "Produce 1,000/s to both",
                    commands: |_| {
                        vec![
                            auto("clicks-acks1", 1000, "user-"),
                            auto("payments-acks-all", 1000, "account-"),
                        ]
                    },
                }),
                done: Some(|w| records(w, "clicks-acks1") >= 2000),
                predict: None,
            },
            Step {
                title: "The leader crashes",
                text: "Broker 3 dies between two follower fetches. When the controller elects a follower, its log ends where it last fetched: what only the old leader had is gone.",
                watch: "lost after ack grows for clicks-acks1 and stays 0 for payments-acks-all (those producers got errors instead, and would retry).",
                act: Some(Act {
                    label: "Crash broker 3",
                    commands: |_| vec![Command::CrashBroker(BrokerRef { broker_id: 3 })],
                }),
                done: Some(|w| {
                    w.partition_replicas("clicks-acks1", 0)
                        .is_some_and(|r| r.leader.is_some_and(|l| l != 3))
                        && w.durability("clicks-acks1").lost_acknowledged > 0
                }),
                predict: Some(Predict {
                    question: "Which producer loses records it was told were written?",
                    choices: |_| {
                        ["acks=1 (clicks)", "acks=all (payments)", "Both", "Neither"]
                            .map(String::from)
                            .to_vec()
                    },
                    answer: |_| 0,
                }),
            },
        ],
    },
    Lesson {
        id: "unclean-election",
        title: "12 · Unclean leader election",
        preset: "unclean-election",
        steps: &[
            Step {
                title: "Two copies, unclean election allowed",
                text: "Topic metrics has one partition on brokers 4 and 5 (replication factor 2, min.insync.replicas=1, acks=1) and unclean.leader.election.enable=true.",
                watch: "The lane of metrics: leader, ISR and HW.",
                act: Some(Act {
                    label: "Produce 100/s",
                    commands: |_| vec![auto("metrics", 100, "host-")],
                }),
                done: Some(|w| records(w, "metrics") >= 100),
                predict: None,
            },
            Step {
                title: "The follower dies",
                text: "Broker 5 crashes. Once fenced, the ISR shrinks to the leader alone: writes go on, on a single copy.",
                watch: "ISR 4.",
                act: Some(Act {
                    label: "Crash broker 5",
                    commands: |_| vec![Command::CrashBroker(BrokerRef { broker_id: 5 })],
                }),
                done: Some(|w| replication(w, "metrics", 0).1 == [4]),
                predict: None,
            },
            Step {
                title: "The leader dies too",
                text: "Broker 4 crashes. No in-sync replica is left: the partition goes offline.",
                watch: "OFFLINE on the lane; producing fails.",
                act: Some(Act {
                    label: "Crash broker 4",
                    commands: |_| vec![Command::CrashBroker(BrokerRef { broker_id: 4 })],
                }),
                done: Some(|w| replication(w, "metrics", 0).0.is_none()),
                predict: None,
            },
            Step {
                title: "The stale copy returns",
                text: "Broker 5 comes back. It is not in sync, but unclean election is enabled, so the controller makes it leader anyway: everything written while it was down is lost, and new records reuse those offsets. With the default (false) the partition would stay offline until broker 4 returned: no loss, no availability.",
                watch: "lost after ack jumps; the dashboards consumer goes back to the first lost offset (KIP-320).",
                act: Some(Act {
                    label: "Restart broker 5",
                    commands: |_| vec![Command::RestartBroker(BrokerRef { broker_id: 5 })],
                }),
                done: Some(|w| {
                    replication(w, "metrics", 0).0 == Some(5)
                        && w.durability("metrics").lost_acknowledged > 0
                }),
                predict: Some(Predict {
                    question: "Broker 5 is back but out of sync. What happens?",
                    choices: |_| {
                        [
                            "The partition stays offline",
                            "Broker 5 leads and the records it lacks are lost",
                            "Broker 5 copies them from broker 4 first",
                        ]
                        .map(String::from)
                        .to_vec()
                    },
                    answer: |_| 1,
                }),
            },
        ],
    },
];
