//! Consumer groups: each group's state badge (Empty, PreparingRebalance,
//! CompletingRebalance, Stable), generation, assignor and protocol (eager or cooperative),
//! lag chart, and a card per consumer. Add consumers and groups here.

use super::consumer_card::ConsumerCard;
use super::lag_chart::LagChart;
use super::sim::{ui_consumer_config, Sim};
use crate::sim::assignor::AssignorKind;
use crate::sim::group::GroupState;
use crate::sim::Command;
use crate::view::{groups_view, GroupView};
use leptos::prelude::*;

/// A client id not used yet: c1, c2, …
pub fn next_client_id(sim: &Sim) -> String {
    sim.peek(|w| {
        (1..)
            .map(|i| format!("c{i}"))
            .find(|id| w.consumer(id).is_none())
            .expect("a free id")
    })
}

/// Adds a consumer to `group`, subscribed to every topic the group reads (or the first topic).
pub fn add_consumer(sim: &Sim, group: &str) {
    let topics = sim.peek(|w| {
        let mut ts: Vec<String> = w
            .consumers()
            .values()
            .filter(|c| c.group_id == group)
            .flat_map(|c| c.topics.clone())
            .collect();
        ts.sort_unstable();
        ts.dedup();
        if ts.is_empty() {
            ts.extend(w.topics().keys().next().cloned());
        }
        ts
    });
    if topics.is_empty() {
        sim.show("create a topic first".into(), true);
        return;
    }
    sim.send(Command::AddConsumer {
        client_id: next_client_id(sim),
        group: group.to_string(),
        topics,
        config: ui_consumer_config(),
    });
}

#[component]
pub fn GroupPanel() -> impl IntoView {
    let sim = expect_context::<Sim>();
    let groups = Memo::new(move |_| sim.with(groups_view));
    // The list only changes when a group comes or goes (the cards read `groups` themselves).
    let ids = Memo::new(move |_| {
        groups.with(|gs| gs.iter().map(|g| g.group.clone()).collect::<Vec<_>>())
    });
    let new_group = RwSignal::new(String::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_group.get_untracked().trim().to_string();
        if name.is_empty() {
            sim.show("enter a group.id".into(), true);
            return;
        }
        if sim
            .send(Command::CreateGroup {
                group: name.clone(),
                assignor: AssignorKind::Range,
            })
            .is_some()
        {
            add_consumer(&sim, &name);
            new_group.set(String::new());
        }
    };
    view! {
        <aside class="panel side-panel" aria-labelledby="groups-title">
            <div class="panel-head">
                <h2 class="panel-title" id="groups-title">"Consumer groups"</h2>
            </div>
            <For each=move || ids.get() key=|g| g.clone() let:g>
                <GroupCard group=g groups=groups />
            </For>
            <form class="inline-form new-group" on:submit=create>
                <input
                    aria-label="new group id"
                    placeholder="new group.id, e.g. email"
                    maxlength="60"
                    prop:value=move || new_group.get()
                    on:input=move |ev| new_group.set(event_target_value(&ev))
                />
                <button class="btn btn-small" type="submit">"+ group"</button>
            </form>
        </aside>
    }
}

fn state_class(s: GroupState) -> &'static str {
    match s {
        GroupState::Stable => "state-stable",
        GroupState::Empty | GroupState::Dead => "state-empty",
        _ => "state-rebalancing",
    }
}

#[component]
fn GroupCard(group: String, groups: Memo<Vec<GroupView>>) -> impl IntoView {
    let sim = expect_context::<Sim>();
    let id = group.clone();
    // Borrow the list and clone only this group (not every group, for every card, per frame).
    let g = Memo::new(move |_| groups.with(|gs| gs.iter().find(|g| g.group == id).cloned()));
    let client_ids = Memo::new(move |_| {
        g.with(|g| {
            g.as_ref()
                .map(|g| {
                    g.consumers
                        .iter()
                        .map(|c| c.client_id.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let history = Signal::derive(move || {
        g.with(|g| {
            g.as_ref()
                .map(|g| g.lag_history.clone())
                .unwrap_or_default()
        })
    });
    let gid = group.clone();
    let set_assignor = move |ev: leptos::ev::Event| {
        if let Ok(a) = AssignorKind::parse(&event_target_value(&ev)) {
            sim.send(Command::SetAssignor {
                group: gid.clone(),
                assignor: a,
            });
        }
    };
    let gid2 = group.clone();
    // The header redraws on a state change, not on every lag change.
    let head = Memo::new(move |_| {
        g.with(|g| {
            g.as_ref().map(|g| HeadView {
                group: g.group.clone(),
                state: g.state,
                rebalance_reason: g.rebalance_reason.clone(),
                generation: g.generation,
            })
        })
    });
    view! {
        <section class="group-card" aria-label=format!("group {group}")>
            <header class="group-head">
                {move || {
                    head.get()
                        .map(|g| {
                            view! {
                                <h3 class="group-name">{g.group.clone()}</h3>
                                <span class=format!("state-badge {}", state_class(g.state)) title=g.rebalance_reason.clone()>
                                    {g.state.name()}
                                </span>
                                <span class="generation" title="generation id: +1 on every completed rebalance">
                                    {format!("gen {}", g.generation)}
                                </span>

                            }
                        })
                }}
            </header>
            <div class="group-config">
                <label>
                    "partition.assignment.strategy"
                    <select
                        aria-label=format!("assignor of {group}")
                        prop:value=move || g.with(|g| g.as_ref().map(|g| g.assignor.to_string()).unwrap_or_default())
                        on:change=set_assignor
                    >
                        {AssignorKind::ALL
                            .iter()
                            .map(|a| view! { <option value=a.name()>{a.name()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <span class="protocol" title="cooperative-sticky rebalances cooperatively; the others eagerly">
                    {move || g.with(|g| g.as_ref().map(|g| format!("{} protocol", g.protocol)).unwrap_or_default())}
                </span>
            </div>
            <LagChart samples=history group=group.clone() />
            <ul class="consumer-list">
                <For each=move || client_ids.get() key=|c| c.clone() let:c>
                    <ConsumerCard client_id=c groups=groups />
                </For>
            </ul>
            <button
                class="btn btn-small"
                on:click=move |_| add_consumer(&sim, &gid2)
                title="start another consumer in this group (c)"
            >
                "+ consumer"
            </button>
        </section>
    }
}

/// What a group card's header shows.
#[derive(Clone, PartialEq)]
struct HeadView {
    group: String,
    state: GroupState,
    rebalance_reason: String,
    generation: i32,
}
