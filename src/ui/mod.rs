//! The Leptos front end (wasm32 only): it reads simulation state and sends commands; it never
//! decides Kafka behaviour. Data flows one way:
//! UI event → `sim::Command` → `World::apply` → events + new state → the UI renders.
//!
//! One visible thing a file:
//! * [`app`]: creates the simulation handle ([`sim`]) and places every region below;
//! * [`header`]: name, tagline, theme toggle ([`theme`]);
//! * [`controls_bar`]: play/pause, step, speed and the virtual clock;
//! * [`topics_stage`]: the topics, each as partition lanes ([`topic_lanes`]), and the
//!   [`producer_panel`];
//! * [`group_panel`]: consumer groups with their [`lag_chart`] and a [`consumer_card`] each;
//! * [`event_log`], [`inspector`], [`notice`] and the keyboard [`help`] overlay;
//! * [`on_screen`]: which lanes and cards are in view (the others skip their updates);
//! * [`scenario_bar`]: presets, lessons, reset, share links, export/import ([`session`]);
//! * [`lesson_panel`]: the guided lesson's narrated step;
//! * [`cluster_panel`]: brokers, replicas, the KRaft controller, acks and durability.
//!
//! Styles live in `styles/` (design tokens in `styles/tokens.css`).

pub mod app;
pub mod cluster_panel;
pub mod consumer_card;
pub mod controls_bar;
pub mod event_log;
pub mod group_panel;
pub mod header;
pub mod help;
pub mod inspector;
pub mod lag_chart;
pub mod lesson_panel;
pub mod notice;
pub mod on_screen;
pub mod producer_panel;
pub mod scenario_bar;
pub mod session;
pub mod sim;
pub mod theme;
pub mod topic_lanes;
pub mod topics_stage;

pub use app::App;

use leptos::prelude::*;

/// A memo of `f` that, under fast load ([`topic_lanes::FastStage`]), keeps its last value
/// while the element `el` is off screen: a view off screen ([`on_screen`]; the browser does
/// not paint it either, `content-visibility: auto`) then does no work at all, not even DOM
/// writes the browser would only throw away, and catches up when it is scrolled to. Calm, it
/// always follows `f` (cheap then, and what assistive technology reads off screen stays
/// current).
pub fn while_rendered<T>(
    el: NodeRef<leptos::html::Li>,
    f: impl Fn() -> T + Send + Sync + 'static,
) -> Memo<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let shown = RwSignal::new(true);
    el.on_load(move |li| on_screen::watch(li.into(), shown));
    let fast = expect_context::<topic_lanes::FastStage>().0;
    Memo::new(move |prev: Option<&T>| match prev {
        Some(last) if fast.get() && !shown.get() => last.clone(),
        _ => f(),
    })
}

/// Mounts the app into `<body>`, replacing the "Loading…" note of index.html.
pub fn mount() {
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}
