//! The stage: every topic as partition lanes, and a form to create another topic (the
//! producer is a panel of its own, below it).

use super::sim::Sim;
use super::topic_lanes::TopicLanes;
use crate::sim::topic::TopicConfig;
use crate::sim::Command;
use leptos::prelude::*;

#[component]
pub fn TopicsStage() -> impl IntoView {
    let sim = expect_context::<Sim>();
    let topics = Memo::new(move |_| sim.with(|w| w.topics().keys().cloned().collect::<Vec<_>>()));
    let fast = expect_context::<super::topic_lanes::FastStage>().0;
    let name = RwSignal::new(String::new());
    let partitions = RwSignal::new("3".to_string());
    let replication = RwSignal::new("1".to_string());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = match super::producer_panel::parse_in_range(
            "partitions",
            &partitions.get_untracked(),
            1,
            64,
        ) {
            Ok(n) => n,
            Err(e) => return sim.show(e, true),
        };
        let rf = match super::producer_panel::parse_in_range(
            "replication factor",
            &replication.get_untracked(),
            1,
            6,
        ) {
            Ok(n) => n,
            Err(e) => return sim.show(e, true),
        };
        if sim
            .send(Command::CreateTopic {
                name: name.get_untracked().trim().to_string(),
                partitions: n,
                config: TopicConfig {
                    retention_ms: 600_000,
                    segment_bytes: 2_048,
                    replication_factor: Some(rf),
                    ..Default::default()
                },
            })
            .is_some()
        {
            name.set(String::new());
        }
    };
    view! {
        <section class="panel stage" class:fast=fast aria-labelledby="stage-title">
            <div class="panel-head">
                <h2 class="panel-title" id="stage-title">"Topics"</h2>
                <span class="legend">
                    <span class="legend-item">"▼ position"</span>
                    <span class="legend-item">"▲ committed offset"</span>
                    <span class="legend-item">"colour = key"</span>
                </span>
            </div>
            <For each=move || topics.get() key=|t| t.clone() let:t>
                <TopicLanes topic=t />
            </For>
            <form class="inline-form new-topic" on:submit=create>
                <input
                    aria-label="new topic name"
                    placeholder="new topic, e.g. payments"
                    maxlength="60"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <label>
                    "partitions"
                    <input
                        aria-label="partitions of the new topic"
                        type="number"
                        min="1"
                        max="64"
                        prop:value=move || partitions.get()
                        on:input=move |ev| partitions.set(event_target_value(&ev))
                    />
                </label>
                <label title="replication.factor: copies on different brokers">
                    "replicas"
                    <input
                        aria-label="replication factor of the new topic"
                        type="number"
                        min="1"
                        max="6"
                        prop:value=move || replication.get()
                        on:input=move |ev| replication.set(event_target_value(&ev))
                    />
                </label>
                <button class="btn btn-small" type="submit">"+ topic"</button>
            </form>
        </section>
    }
}
