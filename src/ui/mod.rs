//! The Leptos front end (wasm32 only): it reads simulation state and sends commands; it never
//! decides Kafka behaviour. Data flows one way:
//! UI event → `sim::Command` → `World::apply` → events + new state → the UI renders.
//!
//! One visible thing a file:
//! * [`app`]: the layout shell that places every region below;
//! * [`header`]: name, tagline, theme toggle ([`theme`]);
//! * [`controls_bar`]: play/pause, step, speed and the clock readout;
//! * [`stage`]: the topics as partition lanes;
//! * [`side_panel`]: consumer groups and their consumers.
//!
//! Styles live in `styles/` (design tokens in `styles/tokens.css`).

pub mod app;
pub mod controls_bar;
pub mod header;
pub mod side_panel;
pub mod stage;
pub mod theme;

pub use app::App;

use leptos::prelude::*;

/// Mounts the app into `<body>`, replacing the "Loading…" note of index.html.
pub fn mount() {
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}
