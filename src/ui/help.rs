//! Keyboard shortcuts (space = play/pause, → = step, p = produce, c = add consumer,
//! ? = this help) and the help overlay that lists them.

use super::group_panel::add_consumer;
use super::producer_panel::ProduceAction;
use super::sim::Sim;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Virtual milliseconds one Step advances.
pub const STEP_MS: u64 = 100;

pub const SHORTCUTS: [(&str, &str); 6] = [
    ("Space", "play / pause the clock"),
    ("→", "step 100 ms of virtual time"),
    ("p", "produce one record with the producer's settings"),
    ("c", "add a consumer to the first group"),
    ("?", "show / hide this help"),
    ("Esc", "close help and the inspector"),
];

/// Installs the shortcuts; ignored while typing in a field.
pub fn install_shortcuts(sim: Sim, help_open: RwSignal<bool>, produce: ProduceAction) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if typing {
            return;
        }
        match ev.key().as_str() {
            " " => {
                ev.prevent_default();
                sim.playback.playing.update(|p| *p = !*p);
            }
            "ArrowRight" => {
                ev.prevent_default();
                sim.playback.steps.update(|n| *n += 1);
            }
            "p" => {
                if let Some(f) = produce.0.get_value() {
                    f();
                }
            }
            "c" => {
                let first = sim.peek(|w| w.groups().keys().next().cloned());
                match first {
                    Some(g) => add_consumer(&sim, &g),
                    None => sim.show("create a group first".into(), true),
                }
            }
            "?" => help_open.update(|o| *o = !*o),
            "Escape" => {
                help_open.set(false);
                sim.selection.set(super::sim::Selection::None);
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
}

#[component]
pub fn HelpOverlay(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" on:click=move |_| open.set(false)>
                <div class="overlay-card" on:click=|ev| ev.stop_propagation()>
                    <h2 id="help-title">"Keyboard shortcuts"</h2>
                    <dl class="shortcuts">
                        {SHORTCUTS
                            .iter()
                            .map(|(k, what)| view! { <dt><kbd>{*k}</kbd></dt><dd>{*what}</dd> })
                            .collect_view()}
                    </dl>
                    <p class="hint">
                        "Timings are scaled so you see them happen (session.timeout.ms 10 s, heartbeat.interval.ms 1 s); "
                        "every knob keeps Kafka's own name. Keyed records use Java's murmur2, exactly as a real producer does."
                    </p>
                    <button class="btn" on:click=move |_| open.set(false)>"close"</button>
                </div>
            </div>
        </Show>
    }
}
