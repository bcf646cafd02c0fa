//! A consumer's card: client id (member id on hover), assigned partitions, status (active,
//! idle, rebalancing, crashed, stalled, stopped), records processed, redeliveries and lag;
//! a session-timeout countdown after a crash; and what you can do to it: stop it gracefully,
//! crash it, stall its poll loop, restart it, remove it, change its processing time.
//!
//! The read-only rows re-render as a whole when the consumer's view changes (one reactive
//! closure each keeps the page small); the buttons are built once per status so a click is
//! never lost to a re-render.

use super::sim::{Selection, Sim};
use crate::sim::Command;
use crate::view::{format_ms, parse_decimal, CardStatus, ConsumerView, GroupView};
use leptos::prelude::*;

/// Processing times offered per record, in ms.
const PROCESSING_MS: [f64; 7] = [0.0, 1.0, 5.0, 20.0, 50.0, 200.0, 1000.0];

fn top_row(c: ConsumerView) -> impl IntoView {
    let member = c.member_id.clone().unwrap_or_else(|| "not a member".into());
    view! {
        <span class="status-dot" aria-hidden="true"></span>
        <strong class="consumer-id" title=member>{c.client_id.clone()}</strong>
        {c.is_leader.then(|| view! { <span class="tag" title="group leader: runs the assignor">"leader"</span> })}
        {c.static_member.then(|| view! { <span class="tag" title="static member (group.instance.id)">"static"</span> })}
        <span class="consumer-status">{c.status.label()}</span>
        <span class="consumer-parts" title="assigned partitions">{c.partitions_label.clone()}</span>
    }
}

fn stats_row(c: ConsumerView) -> impl IntoView {
    let dupes = (c.redelivered > 0).then(|| {
        view! {
            <span class="dupes" title="records processed a second time (at-least-once)">
                {format!("{} redelivered", c.redelivered)}
            </span>
        }
    });
    let countdown = c.session_left_ms.map(|ms| {
        view! {
            <span class="countdown" title="session.timeout.ms: the coordinator removes it when this reaches 0">
                {format!("session timeout in {}.{} s", ms / 1000, ms % 1000 / 100)}
            </span>
        }
    });
    let idle = (c.status == CardStatus::Idle)
        .then(|| view! { <span class="idle-note">"idle: more consumers than partitions"</span> });
    view! {
        <span title="records processed">{format!("{} processed", c.records_processed)}</span>
        <span title="log end offset − position, over its partitions">{format!("lag {}", c.lag)}</span>
        {dupes}
        {countdown}
        {idle}
    }
}

#[component]
pub fn ConsumerCard(client_id: String, groups: Memo<Vec<GroupView>>) -> impl IntoView {
    let sim = expect_context::<Sim>();
    let id = client_id.clone();
    // Borrow the groups and clone only this consumer's view.
    // Off screen, the card keeps what it showed (see `while_rendered`).
    let card_ref = NodeRef::<leptos::html::Li>::new();
    let c = super::while_rendered(card_ref, move || {
        groups.with(|gs| {
            gs.iter()
                .flat_map(|g| g.consumers.iter())
                .find(|c| c.client_id == id)
                .cloned()
        })
    });
    let status =
        Memo::new(move |_| c.with(|c| c.as_ref().map_or(CardStatus::Stopped, |c| c.status)));
    // The top row without the counters: it redraws on a status or assignment change only.
    let top = Memo::new(move |_| {
        c.with(|c| {
            c.as_ref().map(|c| ConsumerView {
                records_processed: 0,
                redelivered: 0,
                lag: 0,
                session_left_ms: None,
                ..c.clone()
            })
        })
    });
    let send = move |cmd: Command| {
        sim.send(cmd);
    };
    let actions = {
        let id = client_id.clone();
        move || {
            let id_speed = id.clone();
            let id = id.clone();
            let click = move |make: fn(String) -> Command| {
                let id = id.clone();
                move |ev: leptos::ev::MouseEvent| {
                    ev.stop_propagation();
                    send(make(id.clone()));
                }
            };
            match status.get() {
                CardStatus::Crashed | CardStatus::Stopped => view! {
                    <button class="btn btn-small" on:click=click(|id| Command::RestartConsumer { client_id: id })>"restart"</button>
                    <button class="btn btn-small" on:click=click(|id| Command::RemoveConsumer { client_id: id })>"remove"</button>
                }
                .into_any(),
                st => {
                    let stall = if st == CardStatus::Stalled {
                        view! { <button class="btn btn-small" on:click=click(|id| Command::ResumeConsumer { client_id: id })>"resume"</button> }.into_any()
                    } else {
                        view! { <button class="btn btn-small" title="the poll loop hangs; heartbeats continue until max.poll.interval.ms" on:click=click(|id| Command::StallConsumer { client_id: id })>"stall"</button> }.into_any()
                    };
                    let current = c.get_untracked().map_or(20.0, |c| c.processing_ms_per_record);
                    view! {
                        <button class="btn btn-small" title="consumer.close(): commit, LeaveGroup, immediate rebalance" on:click=click(|id| Command::StopConsumer { client_id: id })>"stop"</button>
                        <button class="btn btn-small btn-danger" title="kill -9: no commit, no LeaveGroup; noticed after session.timeout.ms" on:click=click(|id| Command::CrashConsumer { client_id: id })>"crash"</button>
                        {stall}
                        <select
                            class="speed-select"
                            aria-label="processing time per record"
                            on:click=|ev| ev.stop_propagation()
                            on:change=move |ev| {
                                let ms = parse_decimal(&event_target_value(&ev)).unwrap_or(20.0);
                                send(Command::SetProcessingTime { client_id: id_speed.clone(), processing_ms_per_record: ms });
                            }
                        >
                            {PROCESSING_MS
                                .iter()
                                .map(|&ms| view! { <option value=format_ms(ms) selected=ms == current>{format!("{} ms/record", format_ms(ms))}</option> })
                                .collect_view()}
                        </select>
                    }
                    .into_any()
                }
            }
        }
    };
    let id_sel = client_id.clone();
    let id_cls = client_id.clone();
    view! {
        <li
            class=move || {
                let selected = sim.selection.with(|s| matches!(s, Selection::Consumer(x) if *x == id_cls));
                format!("consumer-card status-{}{}", status.get().label(), if selected { " selected" } else { "" })
            }
            aria-label=move || format!("consumer {} {}", client_id, status.get().label())
            on:click=move |_| sim.selection.set(Selection::Consumer(id_sel.clone()))
            node_ref=card_ref
        >
            <div class="consumer-top">{move || top.get().map(top_row)}</div>
            <div class="consumer-stats">
                {move || {
                    sim.readout();
                    c.get_untracked().map(stats_row)
                }}
            </div>
            <div class="consumer-actions">{actions}</div>
        </li>
    }
}
