//! kafkascope: Apache Kafka, live in the browser.
//!
//! * [`sim`] is Kafka as a pure, deterministic state machine (no web dependency, no wall clock).
//!   It runs unchanged in the browser, in native tests, in benchmarks and in the CLI.
//! * [`course`] is the teaching layer: presets, guided lessons and saved sessions (share
//!   links, autosave), pure like `sim`, so native tests run every lesson.
//! * `ui` (wasm32 only) is the Leptos front end: it reads sim state and sends commands.
//! * `cli` (native only) is the headless twin of the page: `partition`, `assign`, `replay`.

pub mod course;
pub mod sim;
pub mod view;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod ui;
