//! Preset scenarios: the files in `public/scenarios/`, built into the app so a preset opens
//! at once, offline, from any path (they are also copied next to the page for download).

use crate::sim::scenario::Scenario;

/// `(id, JSON)` of every preset, in course order. The id is the file name and the value of
/// `?scenario=` in a page link.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "playground",
        include_str!("../../public/scenarios/playground.json"),
    ),
    (
        "first-topic",
        include_str!("../../public/scenarios/first-topic.json"),
    ),
    (
        "consumer-group-scaling",
        include_str!("../../public/scenarios/consumer-group-scaling.json"),
    ),
    (
        "round-robin-vs-keyed",
        include_str!("../../public/scenarios/round-robin-vs-keyed.json"),
    ),
    (
        "fan-out",
        include_str!("../../public/scenarios/fan-out.json"),
    ),
    (
        "ecommerce-choreography",
        include_str!("../../public/scenarios/ecommerce-choreography.json"),
    ),
    (
        "crash-redelivery",
        include_str!("../../public/scenarios/crash-redelivery.json"),
    ),
    (
        "retention-replay",
        include_str!("../../public/scenarios/retention-replay.json"),
    ),
    (
        "eager-vs-cooperative",
        include_str!("../../public/scenarios/eager-vs-cooperative.json"),
    ),
    (
        "kafka-vs-queue",
        include_str!("../../public/scenarios/kafka-vs-queue.json"),
    ),
    (
        "broker-dies",
        include_str!("../../public/scenarios/broker-dies.json"),
    ),
    (
        "acks-and-durability",
        include_str!("../../public/scenarios/acks-and-durability.json"),
    ),
    (
        "unclean-election",
        include_str!("../../public/scenarios/unclean-election.json"),
    ),
    ("stress", include_str!("../../public/scenarios/stress.json")),
];

/// Short titles of the presets, for menus, in [`PRESETS`] order.
pub const PRESET_TITLES: &[&str] = &[
    "Playground",
    "First topic: partitions, offsets, keys",
    "Consumer group scaling: 1 → 4 consumers",
    "Round-robin vs keyed",
    "Fan-out: one group vs several",
    "E-commerce choreography",
    "Crash before commit: redelivery",
    "Retention and replay",
    "Eager vs cooperative rebalancing",
    "Kafka vs a queue",
    "A broker dies",
    "acks=1 vs acks=all",
    "Unclean leader election",
    "Stress: 5,000 events/s",
];

/// The preset the page starts with.
pub const DEFAULT_PRESET: &str = "playground";

/// The preset called `id`, parsed; an unknown id is an error naming the known ones.
pub fn preset(id: &str) -> Result<Scenario, String> {
    let (_, json) = PRESETS.iter().find(|(p, _)| *p == id).ok_or_else(|| {
        let known: Vec<&str> = PRESETS.iter().map(|(p, _)| *p).collect();
        format!(
            "there is no preset \"{}\"; presets are {}",
            id.chars().take(40).collect::<String>(),
            known.join(", ")
        )
    })?;
    Scenario::from_json(json).map_err(|e| format!("preset {id}: {e}"))
}
