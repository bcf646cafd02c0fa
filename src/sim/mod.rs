//! Kafka as a pure, deterministic state machine.
//!
//! Nothing in here touches the web, the wall clock or an OS random source: a seed and a
//! virtual clock come in from outside, so the same seed and the same commands give the same
//! state, bit for bit, in the browser, in native tests, in benchmarks and in the CLI.

pub mod assignor;
pub mod buffered;
pub mod cluster;
pub mod command;
pub mod consumer;
pub mod event;
pub mod group;
pub mod log;
pub mod partitioner;
pub mod rng;
pub mod topic;
pub mod vecmap;
pub mod world;

pub use command::{Command, KeySpec, ResetSpec, TimedCommand};
pub use world::{SimError, World, WorldConfig};
pub mod scenario;
pub mod summary;
