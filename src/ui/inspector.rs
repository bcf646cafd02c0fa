//! The inspector: click a record for its key, value, partition, offset, timestamp, and which
//! groups have processed and committed it; click a consumer for its own history.

use super::sim::{Selection, Sim};
use crate::sim::consumer::AutoOffsetReset;
use crate::view::format_clock;
use leptos::prelude::*;

/// A definition list from (term, value) pairs: one row type for every fact (static markup
/// compiles to code in Leptos, so a loop is much smaller than spelled-out rows).
fn facts(rows: Vec<(&'static str, String)>) -> impl IntoView {
    view! {
        <dl class="facts">
            {rows
                .into_iter()
                .map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> })
                .collect_view()}
        </dl>
    }
}

#[component]
pub fn Inspector() -> impl IntoView {
    let sim = expect_context::<Sim>();
    let body = move || match sim.selection.get() {
        Selection::None => view! {
            <p class="hint">"Click a record or a consumer to inspect it."</p>
        }
        .into_any(),
        Selection::Record {
            topic,
            partition,
            offset,
        } => {
            let info = sim.with(|w| {
                let log = w.topic(&topic)?.partitions.get(partition as usize)?;
                let r = log.get(offset)?;
                Some((
                    r.key.map(str::to_string),
                    r.value.to_string(),
                    r.timestamp_ms,
                    w.record_status(&topic, partition, offset),
                ))
            });
            match info {
                None => view! {
                    <p class="hint">{format!("{topic} P{partition} offset {offset} is gone: retention deleted its segment.")}</p>
                }
                .into_any(),
                Some((key, value, ts, groups)) => view! {
                    {facts(vec![
                        ("topic", topic.clone()),
                        ("partition", partition.to_string()),
                        ("offset", offset.to_string()),
                        ("key", key.map_or("null (no key)".to_string(), |k| format!("\"{k}\""))),
                        ("value", value),
                        ("timestamp", format_clock(ts)),
                    ])}
                    <table class="record-groups">
                        <thead><tr><th>"group"</th><th>"processed"</th><th>"committed"</th></tr></thead>
                        <tbody>
                            {groups
                                .into_iter()
                                .map(|g| view! {
                                    <tr>
                                        <td>{g.group}</td>
                                        <td>{if g.processed { "yes" } else { "not yet" }}</td>
                                        <td>{if g.committed { "yes" } else { "not yet" }}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                .into_any(),
            }
        }
        Selection::Consumer(id) => {
            let info = sim.with(|w| {
                w.consumer(&id).map(|c| {
                    (
                        c.member_id.clone(),
                        c.group_id.clone(),
                        c.topics.join(", "),
                        c.config.clone(),
                        c.history
                            .iter()
                            .rev()
                            .map(|h| (h.at_ms, h.text.clone()))
                            .collect::<Vec<_>>(),
                    )
                })
            });
            match info {
                None => view! { <p class="hint">{format!("{id} was removed.")}</p> }.into_any(),
                Some((member, group, topics, cfg, history)) => view! {
                    {facts(vec![
                        ("client.id", id.clone()),
                        ("member id", member.unwrap_or_else(|| "— (not a member)".into())),
                        ("group.id", group),
                        ("topics", topics),
                        ("session.timeout.ms", cfg.session_timeout_ms.to_string()),
                        ("max.poll.records", cfg.max_poll_records.to_string()),
                        (
                            "auto.offset.reset",
                            match cfg.auto_offset_reset {
                                AutoOffsetReset::Earliest => "earliest",
                                AutoOffsetReset::Latest => "latest",
                                AutoOffsetReset::None => "none",
                            }
                            .to_string(),
                        ),
                    ])}
                    <ol class="history">
                        {history
                            .into_iter()
                            .map(|(t, text)| view! { <li><time>{format_clock(t)}</time>" "{text}</li> })
                            .collect_view()}
                    </ol>
                }
                .into_any(),
            }
        }
    };
    view! {
        <section class="panel inspector" aria-labelledby="inspector-title">
            <div class="panel-head">
                <h2 class="panel-title" id="inspector-title">"Inspector"</h2>
                <Show when=move || sim.selection.with(|s| *s != Selection::None)>
                    <button class="btn btn-small" on:click=move |_| sim.selection.set(Selection::None)>"close"</button>
                </Show>
            </div>
            {body}
        </section>
    }
}
