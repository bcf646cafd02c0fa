//! Sessions: pick a preset or a lesson, reset, share a link, export or import a scenario
//! file. In embed mode only Reset and a link to the full page remain.

use super::session;
use super::sim::Sim;
use crate::course::lessons::{lesson, LESSONS};
use crate::course::presets::{preset, PRESETS, PRESET_TITLES};
use leptos::prelude::*;

#[component]
pub fn ScenarioBar(embed: bool) -> impl IntoView {
    let sim = expect_context::<Sim>();
    let link = RwSignal::new(None::<String>);
    let reset = move |_| {
        session::forget_autosave();
        if let Err(e) = sim.reset() {
            sim.show(e, true);
        }
    };
    let pick_preset = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if let Err(e) = preset(&id).and_then(|s| sim.load_scenario(s)) {
            sim.show(e, true);
        }
    };
    let pick_lesson = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if let Err(e) = lesson(&id).and_then(|l| sim.start_lesson(l)) {
            sim.show(e, true);
        }
    };
    if embed {
        let full = window()
            .location()
            .href()
            .unwrap_or_default()
            .replace("embed=1", "embed=0");
        return view! {
            <div class="scenario-bar">
                <button class="btn btn-small" on:click=reset>"Reset"</button>
                <a class="btn btn-small" href=full target="_blank" rel="noopener">"Open full page ↗"</a>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="scenario-bar">
            <select aria-label="load a preset" prop:value="" on:change=pick_preset>
                <option value="" disabled selected>"Presets…"</option>
                {PRESETS
                    .iter()
                    .zip(PRESET_TITLES)
                    .map(|((id, _), title)| view! { <option value=*id>{*title}</option> })
                    .collect_view()}
            </select>
            <select aria-label="start a lesson" prop:value="" on:change=pick_lesson>
                <option value="" disabled selected>"Lessons…"</option>
                {LESSONS
                    .iter()
                    .map(|l| view! { <option value=l.id>{l.title}</option> })
                    .collect_view()}
            </select>
            <button class="btn btn-small" on:click=reset title="Start this scenario or lesson again">"Reset"</button>
            <button class="btn btn-small" on:click=move |_| session::share(sim, move |l| link.set(Some(l)))>"Share link"</button>
            <button class="btn btn-small" on:click=move |_| session::export(sim)>"Export"</button>
            <button class="btn btn-small" on:click=move |_| session::import(sim)>"Import"</button>
            {move || link.get().map(|l| view! {
                <input class="share-link" readonly aria-label="share link" prop:value=l />
            })}
        </div>
    }
    .into_any()
}
