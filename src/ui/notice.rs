//! One message at a time for the learner: why a command was refused (the world is left as it
//! was), or a notice. Errors stay until dismissed or replaced; notices fade after a while.

use super::sim::Sim;
use leptos::prelude::*;

#[component]
pub fn NoticeBar() -> impl IntoView {
    let sim = expect_context::<Sim>();
    view! {
        <Show when=move || sim.notice.with(Option::is_some)>
            <div
                class="notice"
                class:notice-error=move || sim.notice.with(|n| n.as_ref().is_some_and(|n| n.error))
                role="alert"
            >
                <span>{move || sim.notice.with(|n| n.as_ref().map(|n| n.text.clone()))}</span>
                <button class="btn btn-small" aria-label="dismiss message" on:click=move |_| sim.notice.set(None)>"×"</button>
            </div>
        </Show>
    }
}
