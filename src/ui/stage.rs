//! The stage: each topic as a set of partition lanes, records coloured by key.
//!
//! Until the UI is wired to the simulation it shows a labelled preview of one topic, built
//! by Kafka's rules: every record of a key sits in the same partition, offsets count up
//! from 0 in each partition, and the log end offset (LEO) is the offset the next record gets.

use leptos::prelude::*;

/// Preview topic: for each partition, the key (colour index) of each record, oldest first.
/// Keys 0 and 3 hash to P0, keys 1 and 4 to P1, keys 2 and 5 to P2.
const PREVIEW_TOPIC: &str = "orders";
const PREVIEW_LOGS: [&[u32]; 3] = [
    &[0, 3, 0, 0, 3, 3, 0],
    &[1, 1, 4, 1, 4],
    &[2, 5, 5, 2, 2, 5, 2, 5, 2],
];

#[component]
pub fn Stage() -> impl IntoView {
    view! {
        <section class="panel stage" aria-labelledby="stage-title">
            <div class="panel-head">
                <h2 class="panel-title" id="stage-title">"Topics"</h2>
                <span class="badge">"Preview"</span>
            </div>
            <p class="panel-hint">
                "Each partition is a lane of records, oldest on the left, labelled with its offset. "
                "Colours show the record key: the same key always lands in the same partition."
            </p>
            <h3 class="topic-title">{format!("topic {PREVIEW_TOPIC}, {} partitions", PREVIEW_LOGS.len())}</h3>
            <ol class="lanes" aria-label=format!("Partitions of topic {PREVIEW_TOPIC}")>
                {PREVIEW_LOGS
                    .iter()
                    .enumerate()
                    .map(|(partition, keys)| view! { <PreviewLane partition keys /> })
                    .collect_view()}
            </ol>
            <p class="stage-empty">
                "Producers, consumer positions, committed offsets and lag per partition appear on these lanes."
            </p>
        </section>
    }
}

#[component]
fn PreviewLane(partition: usize, keys: &'static [u32]) -> impl IntoView {
    let log_end_offset = keys.len();
    view! {
        <li class="lane" style=format!("--lane-colour: var(--partition-{partition})")>
            <span class="lane-label">{format!("P{partition}")}</span>
            <div class="lane-track">
                {keys
                    .iter()
                    .enumerate()
                    .map(|(offset, key)| {
                        view! {
                            <span
                                class="record-cell"
                                style=format!("--cell-colour: var(--key-{key})")
                                title=format!("offset {offset}, key user-{key}")
                            >
                                {offset}
                            </span>
                        }
                    })
                    .collect_view()}
            </div>
            <span class="lane-meta">{format!("LEO {log_end_offset}")}</span>
        </li>
    }
}
