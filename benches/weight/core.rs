//! The simulation core alone, as a wasm module with no UI and no JSON: what `./x bench page`
//! weighs to show how much of the page's 150 kB goal the Kafka model itself takes.
//!
//! One exported function drives everything a page needs from the core: it creates a world,
//! applies one command of each kind a learner uses most (topic, group, consumer, keyed
//! auto-produce, a broker, a crash), advances the clock and describes the events, so the
//! linker keeps the coordinator, the four assignors, the cluster and the log. Built with the
//! page's release profile: `cargo build --release --target wasm32-unknown-unknown --example
//! weigh_core` (this file is `benches/weight/core.rs`).

use kafkascope::sim::assignor::AssignorKind;
use kafkascope::sim::command::{Command, KeySpec};
use kafkascope::sim::world::{World, WorldConfig};

/// Runs a small world of `partitions` partitions with the `assignor`-th strategy for `ms`
/// of virtual time; returns the length of its event descriptions.
#[no_mangle]
pub extern "C" fn run(partitions: u32, assignor: u32, ms: u64) -> usize {
    let assignor = [
        AssignorKind::Range,
        AssignorKind::RoundRobin,
        AssignorKind::Sticky,
        AssignorKind::CooperativeSticky,
    ][assignor as usize % 4];
    let Ok(mut world) = World::new(WorldConfig::default()) else {
        return 0;
    };
    let commands = [
        Command::CreateTopic {
            name: "orders".into(),
            partitions,
            config: Default::default(),
        },
        Command::CreateGroup {
            group: "billing".into(),
            assignor,
        },
        Command::AddConsumer {
            client_id: "c1".into(),
            group: "billing".into(),
            topics: vec!["orders".into()],
            config: Default::default(),
        },
        Command::SetAutoProduce {
            topic: "orders".into(),
            rate_per_s: 10 * partitions,
            keys: KeySpec::Set {
                prefix: "user-".into(),
                count: 5,
            },
            partitioner: Default::default(),
        },
        Command::AddBroker,
        Command::CrashConsumer {
            client_id: "c1".into(),
        },
    ];
    let mut described = 0;
    for command in commands {
        match world.apply(command) {
            Ok(events) => described += events.iter().map(|e| e.describe().len()).sum::<usize>(),
            Err(e) => described += e.to_string().len(),
        }
    }
    described
        + world
            .advance_to(ms)
            .iter()
            .map(|e| e.describe().len())
            .sum::<usize>()
}

#[allow(dead_code)] // natively this example is only compiled (by `cargo test`), never run
fn main() {}
