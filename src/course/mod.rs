//! The course around the simulator: preset scenarios, guided lessons, and the saved form of a
//! session (share links, autosave, exported files).
//!
//! Pure Rust like [`crate::sim`], so every lesson is run from first step to last by native
//! tests; the page (`ui`) only shows it.

pub mod lessons;
pub mod presets;
pub mod saved;

use crate::sim::consumer::{AutoOffsetReset, ConsumerConfig};

/// Consumer settings of consumers added on the page and in lessons: Kafka's names, timings
/// scaled from minutes to seconds so a crash is noticed while you watch.
pub fn scaled_consumer_config() -> ConsumerConfig {
    ConsumerConfig {
        session_timeout_ms: 10_000,
        heartbeat_interval_ms: 1_000,
        max_poll_interval_ms: 30_000,
        max_poll_records: 100,
        auto_commit_interval_ms: 5_000,
        auto_offset_reset: AutoOffsetReset::Earliest,
        processing_ms_per_record: 20.0,
        ..Default::default()
    }
}
