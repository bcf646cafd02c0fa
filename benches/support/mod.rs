//! What the native bench (`benches/core.rs`) and the wasm bench (`benches/wasm_core.rs`)
//! share, so "appends/s" means the same loop over the same records on both sides.

use kafkascope::sim::log::PartitionLog;
use kafkascope::sim::partitioner::sticky::record_size_in_bytes;
use kafkascope::sim::topic::TopicConfig;
use kafkascope::sim::{Command, World, WorldConfig};

/// Records per `PartitionLog::append` run, on both sides.
pub const LOG_RECORDS: usize = 1_000_000;

/// Kafka's default `segment.bytes`.
pub const SEGMENT_BYTES: u64 = 1_073_741_824;

/// 1,000 keys like the course's (`user-1` … `user-1000`) and 1,024 values like the
/// auto-producer's (`e1000000` …).
pub struct Material {
    keys: Vec<String>,
    values: Vec<String>,
}

impl Material {
    pub fn new() -> Self {
        Material {
            keys: (1..=1000).map(|i| format!("user-{i}")).collect(),
            values: (0..1024)
                .map(|i| format!("e{}", 1_000_000 + 977 * i))
                .collect(),
        }
    }

    pub fn record(&self, i: usize) -> (&str, &str) {
        (&self.keys[(i * 7919) % 1000], &self.values[i % 1024])
    }
}

/// Appends records `from..to` of the material to `log` at 1 ms per 5 records.
pub fn append_records(log: &mut PartitionLog, m: &Material, from: usize, to: usize, seg: u64) {
    for i in from..to {
        let (key, value) = m.record(i);
        let bytes = record_size_in_bytes(Some(key.len()), value.len());
        log.append((i / 5) as u64, Some(key), value, 0, bytes, seg);
    }
}

/// The world the "World ProduceBurst" figure produces into, on both sides: topic `bench` with
/// 32 partitions and no retention cap that a run could reach.
pub fn bench_world() -> World {
    let mut w = World::new(WorldConfig {
        seed: 7,
        max_retained_records_per_partition: 10_000_000,
        ..WorldConfig::default()
    })
    .expect("valid world config");
    w.apply(Command::CreateTopic {
        name: "bench".into(),
        partitions: 32,
        config: TopicConfig::default(),
    })
    .expect("create topic");
    w
}
