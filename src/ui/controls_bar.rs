//! The time controls: play/pause, step, speed, and a readout of the simulation clock.
//!
//! The simulation runs on a virtual clock (`World::tick`), never the wall clock; these
//! controls only say how the UI should drive it. The readout shows the virtual clock when a
//! simulation is provided (the app), else the steps taken (the bar on its own, in tests).

use leptos::prelude::*;

/// Speeds a learner can pick, as multiples of real time (0.1× to 10×).
pub const SPEEDS: [f64; 7] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0];

/// How the UI drives the simulation clock. Copy: every field is a signal.
#[derive(Clone, Copy, Debug)]
pub struct Playback {
    /// The clock advances by itself while true.
    pub playing: RwSignal<bool>,
    /// Virtual seconds per real second, one of [`SPEEDS`].
    pub speed: RwSignal<f64>,
    /// Steps taken with the Step button.
    pub steps: RwSignal<u64>,
}

impl Playback {
    /// Paused, at 1×, no step taken.
    pub fn new() -> Self {
        Self {
            playing: RwSignal::new(false),
            speed: RwSignal::new(1.0),
            steps: RwSignal::new(0),
        }
    }
}

impl Default for Playback {
    fn default() -> Self {
        Self::new()
    }
}

/// Labels of [`SPEEDS`] (written out: float formatting would cost the page kilobytes).
const SPEED_LABELS: [&str; 7] = ["0.1", "0.25", "0.5", "1", "2", "5", "10"];

/// `0.25` → `"0.25×"`, `1.0` → `"1×"` (the nearest of [`SPEEDS`]).
pub fn format_speed(speed: f64) -> String {
    let i = SPEEDS
        .iter()
        .enumerate()
        .min_by(|a, b| (a.1 - speed).abs().total_cmp(&(b.1 - speed).abs()))
        .map_or(3, |(i, _)| i);
    format!("{}×", SPEED_LABELS[i])
}

/// A speed from the select box, kept within [`SPEEDS`]' range (1× if unreadable).
pub fn parse_speed(value: &str) -> f64 {
    match crate::view::parse_decimal(value) {
        Some(speed) => speed.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]),
        _ => 1.0,
    }
}

const PLAY_ICON: &str = "M7 4.5v15l12.5-7.5z";
const PAUSE_ICON: &str = "M6 4.5h4.5v15H6zm7.5 0H18v15h-4.5z";
const STEP_ICON: &str = "M5 4.5v15l10-7.5zm11 0h3v15h-3z";

#[component]
pub fn ControlsBar(playback: Playback) -> impl IntoView {
    let Playback {
        playing,
        speed,
        steps,
    } = playback;

    view! {
        <div class="controls-bar" role="toolbar" aria-label="Time controls">
            <button
                type="button"
                class="btn btn-primary"
                title="Play or pause the simulation"
                on:click=move |_| playing.update(|p| *p = !*p)
            >
                <svg class="btn-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path
                        d=move || if playing.get() { PAUSE_ICON } else { PLAY_ICON }
                        fill="currentColor"
                    />
                </svg>
                {move || if playing.get() { "Pause" } else { "Play" }}
            </button>
            <button
                type="button"
                class="btn"
                title="Advance the simulation by one step (while paused)"
                disabled=move || playing.get()
                on:click=move |_| steps.update(|n| *n += 1)
            >
                <svg class="btn-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d=STEP_ICON fill="currentColor" />
                </svg>
                "Step"
            </button>
            <label class="control-label">
                "Speed"
                <select
                    class="select"
                    on:change=move |ev| speed.set(parse_speed(&event_target_value(&ev)))
                >
                    {SPEEDS
                        .iter()
                        .zip(SPEED_LABELS)
                        .map(|(&s, label)| {
                            view! {
                                <option value=label prop:selected=move || speed.get() == s>
                                    {format!("{label}×")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <output
                class="clock-readout"
                aria-label="Simulation clock"
                data-playing=move || playing.get().to_string()
            >
                {move || {
                    view! {
                        <span class="clock-state">{if playing.get() { "Playing" } else { "Paused" }}</span>
                        <span>{format_speed(speed.get())}</span>
                    }
                }}
                <span class="clock-time">
                    {move || match use_context::<super::sim::Sim>() {
                        Some(sim) => format!("t = {}", crate::view::format_clock(sim.with(|w| w.now_ms()))),
                        None => format!("step {}", steps.get()),
                    }}
                </span>
            </output>
        </div>
    }
}
