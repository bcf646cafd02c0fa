//! The event log: what happened, in plain sentences, newest first, filterable by kind
//! ("c3 joined group billing", "group billing → generation 4: c1 P0; c2 P1; c3 P2").

use super::sim::Sim;
use crate::sim::event::EventKind;
use crate::view::{event_lines, format_clock};
use leptos::prelude::*;

/// Lines shown (the world keeps more).
const SHOWN: usize = 120;

const FILTERS: [(&str, Option<EventKind>); 6] = [
    ("all", None),
    ("groups", Some(EventKind::Group)),
    ("consumers", Some(EventKind::Consumer)),
    ("offsets", Some(EventKind::Offsets)),
    ("produce", Some(EventKind::Produce)),
    ("topics", Some(EventKind::Topic)),
];

fn kind_class(k: EventKind) -> &'static str {
    match k {
        EventKind::Topic => "topic",
        EventKind::Produce => "produce",
        EventKind::Group => "group",
        EventKind::Consumer => "consumer",
        EventKind::Offsets => "offsets",
        EventKind::Retention => "retention",
        EventKind::Cluster => "cluster",
    }
}

#[component]
pub fn EventLog() -> impl IntoView {
    let sim = expect_context::<Sim>();
    let filter = RwSignal::new(None::<EventKind>);
    let lines = Memo::new(move |_| {
        let kinds: Vec<EventKind> = match filter.get() {
            None => vec![],
            Some(EventKind::Topic) => vec![EventKind::Topic, EventKind::Retention],
            Some(k) => vec![k],
        };
        sim.with(|w| event_lines(w, &kinds, SHOWN))
    });
    view! {
        <section class="panel event-log" aria-labelledby="log-title">
            <div class="panel-head">
                <h2 class="panel-title" id="log-title">"Event log"</h2>
                <div class="chips" role="group" aria-label="filter events">
                    {FILTERS
                        .iter()
                        .map(|&(label, kind)| {
                            view! {
                                <button
                                    class="chip"
                                    aria-pressed=move || (filter.get() == kind).to_string()
                                    on:click=move |_| filter.set(kind)
                                >
                                    {label}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
            <ol class="log-lines" aria-live="off">
                <For each=move || lines.get() key=|l| l.seq let:l>
                    <li class=format!("log-line kind-{}", kind_class(l.kind))>
                        <time>{format_clock(l.at_ms)}</time>
                        <span>{l.text}</span>
                    </li>
                </For>
            </ol>
        </section>
    }
}
