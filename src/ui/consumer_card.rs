//! A consumer's card: client id (member id on hover), assigned partitions, status (active,
//! idle, rebalancing, crashed, stalled, stopped), records processed, redeliveries and lag;
//! a session-timeout countdown after a crash; and what you can do to it: stop it gracefully,
//! crash it, stall its poll loop, restart it, remove it, change its processing time.

use super::sim::{Selection, Sim};
use crate::sim::Command;
use crate::view::{CardStatus, GroupView};
use leptos::prelude::*;

#[component]
pub fn ConsumerCard(client_id: String, groups: Memo<Vec<GroupView>>) -> impl IntoView {
    let sim = expect_context::<Sim>();
    let id = client_id.clone();
    let c = Memo::new(move |_| {
        groups
            .get()
            .into_iter()
            .flat_map(|g| g.consumers)
            .find(|c| c.client_id == id)
    });
    let status = move || c.get().map_or(CardStatus::Stopped, |c| c.status);
    let act = {
        let id = client_id.clone();
        move |make: fn(String) -> Command| {
            let id = id.clone();
            move |ev: leptos::ev::MouseEvent| {
                ev.stop_propagation();
                sim.send(make(id.clone()));
            }
        }
    };
    let running = move || !matches!(status(), CardStatus::Crashed | CardStatus::Stopped);
    let id_sel = client_id.clone();
    let id_speed = client_id.clone();
    let selected = {
        let id = client_id.clone();
        move || {
            sim.selection
                .with(|s| matches!(s, Selection::Consumer(c) if *c == id))
        }
    };
    let set_speed = move |ev: leptos::ev::Event| {
        let ms = event_target_value(&ev).parse::<f64>().unwrap_or(20.0);
        sim.send(Command::SetProcessingTime {
            client_id: id_speed.clone(),
            processing_ms_per_record: ms,
        });
    };
    view! {
        <li
            class=move || format!("consumer-card status-{}", status().label())
            class:selected=selected
            aria-label=move || format!("consumer {} {}", client_id, status().label())
            on:click=move |_| sim.selection.set(Selection::Consumer(id_sel.clone()))
        >
            <div class="consumer-top">
                <span class="status-dot" aria-hidden="true"></span>
                <strong class="consumer-id" title=move || c.get().and_then(|c| c.member_id).unwrap_or_else(|| "not a member".into())>
                    {client_id.clone()}
                </strong>
                <Show when=move || c.get().is_some_and(|c| c.is_leader)>
                    <span class="tag" title="group leader: runs the assignor">"leader"</span>
                </Show>
                <span class="consumer-status">{move || status().label()}</span>
                <span class="consumer-parts" title="assigned partitions">
                    {move || c.get().map(|c| c.partitions_label).unwrap_or_default()}
                </span>
            </div>
            <div class="consumer-stats">
                <span title="records processed">{move || c.get().map(|c| format!("{} processed", c.records_processed))}</span>
                <span title="log end offset − position, over its partitions">{move || c.get().map(|c| format!("lag {}", c.lag))}</span>
                <Show when=move || c.get().is_some_and(|c| c.redelivered > 0)>
                    <span class="dupes" title="records processed a second time (at-least-once)">
                        {move || c.get().map(|c| format!("{} redelivered", c.redelivered))}
                    </span>
                </Show>
                <Show when=move || c.get().is_some_and(|c| c.session_left_ms.is_some())>
                    <span class="countdown" title="session.timeout.ms: the coordinator removes it when this reaches 0">
                        {move || c.get().and_then(|c| c.session_left_ms).map(|ms| format!("session timeout in {:.1} s", ms as f64 / 1000.0))}
                    </span>
                </Show>
                <Show when=move || status() == CardStatus::Idle>
                    <span class="idle-note">"idle: more consumers than partitions"</span>
                </Show>
            </div>
            <div class="consumer-actions">
                <Show
                    when=running
                    fallback={
                        let act = act.clone();
                        move || view! {
                            <button class="btn btn-small" on:click=act(|id| Command::RestartConsumer { client_id: id })>"restart"</button>
                            <button class="btn btn-small" on:click=act(|id| Command::RemoveConsumer { client_id: id })>"remove"</button>
                        }
                    }
                >
                    <button class="btn btn-small" title="consumer.close(): commit, LeaveGroup, immediate rebalance" on:click=act(|id| Command::StopConsumer { client_id: id })>"stop"</button>
                    <button class="btn btn-small btn-danger" title="kill -9: no commit, no LeaveGroup; noticed after session.timeout.ms" on:click=act(|id| Command::CrashConsumer { client_id: id })>"crash"</button>
                    {
                        let act = act.clone();
                        move || if status() == CardStatus::Stalled {
                            view! { <button class="btn btn-small" on:click=act(|id| Command::ResumeConsumer { client_id: id })>"resume"</button> }.into_any()
                        } else {
                            view! { <button class="btn btn-small" title="the poll loop hangs; heartbeats continue until max.poll.interval.ms" on:click=act(|id| Command::StallConsumer { client_id: id })>"stall"</button> }.into_any()
                        }
                    }
                    <select
                        class="speed-select"
                        aria-label="processing time per record"
                        on:click=|ev| ev.stop_propagation()
                        prop:value=move || c.get().map(|c| c.processing_ms_per_record.to_string()).unwrap_or_default()
                        on:change=set_speed.clone()
                    >
                        {[0.0, 1.0, 5.0, 20.0, 50.0, 200.0, 1000.0]
                            .iter()
                            .map(|ms| view! { <option value=ms.to_string()>{format!("{ms} ms/record")}</option> })
                            .collect_view()}
                    </select>
                </Show>
            </div>
        </li>
    }
}
