//! The cluster: brokers as boxes holding their replicas (★ leader, struck through when out
//! of the ISR), the KRaft controller quorum, stop / crash / restart per broker, and per topic
//! its replication settings (`acks`, `min.insync.replicas`, `unclean.leader.election.enable`)
//! with what became of its records. The high watermark and ISR of each partition are on its
//! lane. The simulator decides everything; this only shows it and sends commands.

use super::sim::Sim;
use crate::sim::cluster::acks::Acks;
use crate::sim::command::BrokerRef;
use crate::sim::Command;
use crate::view::{cluster_view, durability_line, topic_replication_views, MAX_CHIPS};
use leptos::prelude::*;

#[component]
pub fn ClusterPanel() -> impl IntoView {
    let sim = expect_context::<Sim>();
    // Changes only when leadership, ISRs or broker states change: cheap to redraw whole.
    let cluster = Memo::new(move |_| sim.with(cluster_view));
    let topics = Memo::new(move |_| sim.with(topic_replication_views));
    let controller = move || {
        let c = cluster.get();
        let voters = c
            .voters
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        match c.controller {
            Some(id) => format!(
                "KRaft · active controller: broker {id} (epoch {}) · voters {voters}",
                c.controller_epoch
            ),
            None => format!(
                "KRaft · no active controller: a majority of voters {voters} is down, so no leader elections"
            ),
        }
    };
    let brokers = move || {
        let c = cluster.get();
        c.brokers
            .into_iter()
            .map(|b| {
                let id = b.id;
                let more = b.replicas.len().saturating_sub(MAX_CHIPS);
                let chips = b
                    .replicas
                    .into_iter()
                    .take(MAX_CHIPS)
                    .map(|r| {
                        let text = if r.leader { format!("★{}", r.label) } else { r.label };
                        view! { <li class="chip-replica" class:leader=r.leader class:out-of-sync=!r.in_sync>{text}</li> }
                    })
                    .collect_view();
                let role = match (b.controller, b.voter) {
                    (true, _) => "active controller",
                    (false, true) => "controller voter",
                    _ => "broker",
                };
                view! {
                    <div class="broker" class:down=!b.running aria-label=format!("broker {id}")>
                        <div class="broker-head">
                            <strong>{format!("broker {id}")}</strong>
                            <span class="broker-state">{b.state}</span>
                        </div>
                        <div class="broker-role" class:controller=b.controller>{role}</div>
                        <ul class="replica-chips">
                            {chips}
                            {(more > 0).then(|| view! { <li class="chip-more">{format!("+{more}")}</li> })}
                        </ul>
                        <div class="broker-actions">
                            {if b.running {
                                view! {
                                    <button class="btn btn-small" title="controlled shutdown: leaders move first" on:click=move |_| { sim.send(Command::StopBroker(BrokerRef { broker_id: id })); }>"stop"</button>
                                    <button class="btn btn-small btn-danger" title="kill -9: noticed after broker.session.timeout.ms" on:click=move |_| { sim.send(Command::CrashBroker(BrokerRef { broker_id: id })); }>"crash"</button>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <button class="btn btn-small" on:click=move |_| { sim.send(Command::RestartBroker(BrokerRef { broker_id: id })); }>"restart"</button>
                                }
                                    .into_any()
                            }}
                        </div>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel cluster" aria-labelledby="cluster-title">
            <div class="panel-head">
                <h2 class="panel-title" id="cluster-title">"Cluster"</h2>
                <span class="panel-hint">{controller}</span>
                <button class="btn btn-small" on:click=move |_| { sim.send(Command::AddBroker); }>"+ broker"</button>
            </div>
            <div class="brokers">{brokers}</div>
            <For each=move || topics.get() key=|t| t.clone() let:t>
                <TopicReplication t />
            </For>
            <p class="panel-hint">"Before Kafka 4.0, a ZooKeeper ensemble held this metadata and picked the controller; KRaft keeps it in a Raft log on the controllers themselves."</p>
        </section>
    }
}

#[component]
fn TopicReplication(t: crate::view::TopicReplicationView) -> impl IntoView {
    let sim = expect_context::<Sim>();
    let topic = t.topic.clone();
    let set_config = {
        let topic = topic.clone();
        move |min_insync: Option<u32>, unclean: Option<bool>| {
            let Some(mut config) = sim.peek(|w| w.topic(&topic).map(|t| t.config.clone())) else {
                return;
            };
            if let Some(n) = min_insync {
                config.min_insync_replicas = n;
            }
            if let Some(u) = unclean {
                config.unclean_leader_election_enable = u;
            }
            sim.send(Command::SetTopicConfig {
                topic: topic.clone(),
                config,
            });
        }
    };
    let set_config2 = set_config.clone();
    let acks_topic = topic.clone();
    let line_topic = topic.clone();
    view! {
        <div class="topic-replication" aria-label=format!("replication of {topic}")>
            <strong>{topic.clone()}</strong>
            <span>{format!("replication.factor {}", t.replication_factor)}</span>
            <label>
                "acks "
                <select aria-label=format!("acks for {topic}") on:change=move |ev| {
                    if let Some(acks) = Acks::parse(&event_target_value(&ev)) {
                        sim.send(Command::SetAcks { topic: Some(acks_topic.clone()), acks });
                    }
                }>
                    {["0", "1", "all"].map(|a| view! { <option value=a selected=a == t.acks>{a}</option> })}
                </select>
            </label>
            <label>
                "min.insync.replicas "
                <select aria-label=format!("min.insync.replicas for {topic}") on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse() {
                        set_config(Some(n), None);
                    }
                }>
                    {(1..=t.replication_factor.max(t.min_insync_replicas))
                        .map(|n| view! { <option value=n.to_string() selected=n == t.min_insync_replicas>{n.to_string()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label title="may an out-of-sync replica become leader (availability) and lose what it lacks (durability)?">
                <input type="checkbox" checked=t.unclean on:change=move |_| set_config2(None, Some(!t.unclean)) />
                " unclean.leader.election.enable"
            </label>
            <span class="durability">{move || sim.with(|w| durability_line(w, &line_topic))}</span>
        </div>
    }
}
