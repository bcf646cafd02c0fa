//! A topic as partition lanes: the newest records of each partition as cells coloured by
//! key and labelled with their offsets, newest on the right at the log end offset (LEO);
//! per group, the owner's position (▼ above the lane) and the committed offset (▲ below);
//! the lag per group beside the lane. Retention shows as the log start offset moving.
//!
//! Only a fixed window of cells is rendered per lane (keyed by offset, so a new record mounts
//! one cell, which slides in); the DOM stays the same size at any produce rate.

use super::sim::{Selection, Sim};
use crate::sim::topic::TopicConfig;
use crate::sim::Command;
use crate::view::{topic_view, CursorView, LaneView, RecordCell};
use leptos::prelude::*;

/// Records drawn per lane (the oldest are clipped on narrow screens).
pub const LANE_WINDOW: u64 = 32;

/// Records per second (all auto-producers together) above which the lanes stop animating
/// each record and update their cells in place.
pub const FAST_RATE_PER_S: u32 = 200;

/// Whether the stage is above [`FAST_RATE_PER_S`]; provided by the stage to its lanes.
#[derive(Clone, Copy)]
pub struct FastStage(pub Memo<bool>);
/// Cell pitch in px (width + gap), shared with styles/lanes.css (`--cell-pitch`).
const CELL_PITCH_PX: u64 = 30;

/// Index of a group in the world, for its cursor colour (`--group-N`).
fn group_index(sim: &Sim, group: &str) -> usize {
    sim.peek(|w| w.groups().keys().position(|g| g == group).unwrap_or(0)) % 6
}

#[component]
pub fn TopicLanes(topic: String) -> impl IntoView {
    let sim = expect_context::<Sim>();
    let name = topic.clone();
    let view = Memo::new(move |_| sim.with(|w| topic_view(w, &name, LANE_WINDOW)));
    let topic_for_add = topic.clone();
    let add_partition = move |_| {
        let Some(v) = view.get_untracked() else {
            return;
        };
        sim.send(Command::AddPartitions {
            topic: topic_for_add.clone(),
            partitions: v.partitions + 1,
        });
    };
    let (show_settings, set_show_settings) = signal(false);
    let title = topic.clone();
    let lanes_label = format!("partitions of {topic}");
    let topic_for_form = topic.clone();
    view! {
        <article class="topic-card" aria-label=format!("topic {title}")>
            <header class="topic-head">
                <h3 class="topic-title">
                    <span class="topic-name">{topic.clone()}</span>
                    <span class="topic-sub">
                        {move || {
                            view.get()
                                .map(|v| {
                                    format!(
                                        "{} partitions · {} records retained{}",
                                        v.partitions,
                                        v.total_records,
                                        if v.auto_rate_per_s > 0 {
                                            format!(" · producing {}/s", v.auto_rate_per_s)
                                        } else {
                                            String::new()
                                        },
                                    )
                                })
                        }}
                    </span>
                </h3>
                <div class="topic-actions">
                    <button
                        class="btn btn-small"
                        on:click=add_partition
                        title="kafka-topics --alter --partitions N+1: keyed records now use % (N+1), so some keys move"
                    >
                        "+ partition"
                    </button>
                    <button
                        class="btn btn-small"
                        aria-expanded=move || show_settings.get().to_string()
                        on:click=move |_| set_show_settings.update(|s| *s = !*s)
                    >
                        "retention…"
                    </button>
                </div>
            </header>
            <Show when=move || show_settings.get()>
                <RetentionForm topic=topic_for_form.clone() />
            </Show>
            <ol class="lanes" aria-label=lanes_label>
                <For
                    each=move || view.get().map(|v| v.lanes).unwrap_or_default()
                    key=|lane| lane.partition
                    let:lane
                >
                    <Lane topic=topic.clone() partition=lane.partition view=view />
                </For>
            </ol>
        </article>
    }
}

#[component]
fn Lane(
    topic: String,
    partition: u32,
    view: Memo<Option<crate::view::TopicView>>,
) -> impl IntoView {
    let sim = expect_context::<Sim>();
    // Borrow the topic's view and clone only this lane (a `get()` would clone every lane,
    // for every lane, every frame).
    let lane = Memo::new(move |_| {
        view.with(|v| {
            v.as_ref()
                .and_then(|v| v.lanes.iter().find(|l| l.partition == partition).cloned())
        })
    });
    // The selected record (if it is in this lane), read here once rather than by every
    // cell: a per-cell subscription to the selection cost memory for every record drawn.
    let topic_sel = topic.clone();
    let selected = Memo::new(move |_| {
        sim.selection.with(|s| match s {
            Selection::Record {
                topic: t,
                partition: p,
                offset,
            } if *t == topic_sel && *p == partition => Some(*offset),
            _ => None,
        })
    });
    let fast = expect_context::<FastStage>().0;
    let cells = move || {
        let sel = selected.get();
        lane.with(|l| {
            l.as_ref()
                .map(|l| {
                    l.cells
                        .iter()
                        .map(|c| (c.clone(), sel == Some(c.offset)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let cursors = move || {
        lane.get()
            .map(|l| (l.log_end_offset, l.cursors))
            .unwrap_or_default()
    };
    let meta = move || lane.get().map(lane_meta);
    let topic_for_cells = topic.clone();
    view! {
        <li
            class="lane"
            style=format!("--lane-colour: var(--partition-{})", partition % 8)
            aria-label=format!("{topic} partition {partition}")
        >
            <span class="lane-label">{format!("P{partition}")}</span>
            <div class="lane-track">
                // One click handler for the lane: the cell says its offset (no listener per
                // record).
                <div class="lane-cells" on:click=move |ev| {
                    use wasm_bindgen::JsCast;
                    let offset = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|e| e.get_attribute("data-offset"))
                        .and_then(|o| o.parse().ok());
                    if let Some(offset) = offset {
                        sim.selection.set(Selection::Record { topic: topic_for_cells.clone(), partition, offset });
                    }
                }>
                    {move || {
                        if fast.get() {
                            // Fast: the cells update in place. A keyed row per record would
                            // leave a reactive owner behind for every record ever shown
                            // (reactive_graph keeps dead children until the parent goes) and
                            // churn thousands of nodes a second.
                            (move || {
                                cells()
                                    .into_iter()
                                    .map(|(cell, selected)| {
                                        view! { <Cell cell selected /> }
                                    })
                                    .collect_view()
                            })
                                .into_any()
                        } else {
                            // Calm: keyed by offset, so each new record slides in.
                            view! {
                                <For each=cells key=|(c, selected)| (c.offset, *selected) let:cell>
                                    <Cell cell=cell.0 selected=cell.1 />
                                </For>
                            }
                                .into_any()
                        }
                    }}
                </div>
                <div class="lane-cursors">
                    {move || {
                        let (leo, cs) = cursors();
                        view! {
                            <span class="leo-marker" title="log end offset: the offset the next record gets">
                                {leo}
                            </span>
                            <span aria-hidden="true">
                                {cs.into_iter().map(|c| cursor_marks(&sim, leo, c)).collect_view()}
                            </span>
                        }
                    }}
                </div>
            </div>
            <div class="lane-meta">{meta}</div>
        </li>
    }
}

fn lane_meta(l: LaneView) -> impl IntoView {
    let replication = l.replication.as_ref().map(|r| {
        let list = |ids: &[u32]| {
            ids.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        let text = match r.leader {
            Some(leader) => format!(
                "leader {leader} · ISR {} · HW {}",
                list(&r.isr),
                r.high_watermark
            ),
            None => format!("OFFLINE · HW {}", r.high_watermark),
        };
        let tip = format!(
            "replicas {} (first = preferred leader); consumers read up to the high watermark, the offset every in-sync replica has",
            list(&r.replicas)
        );
        view! { <span class="lane-repl" class:offline=r.leader.is_none() title=tip>{text}</span> }
    });
    let start = (l.log_start_offset > 0).then(|| {
        view! {
            <span class="lane-lso" title="log start offset: older segments were deleted by retention">
                {format!("start {}", l.log_start_offset)}
            </span>
        }
    });
    let lags = l
        .cursors
        .iter()
        .map(|c| {
            let tip = format!(
                "{}: LOG-END-OFFSET {} − CURRENT-OFFSET {} = LAG {}{}",
                c.group,
                l.log_end_offset,
                c.committed.map_or("-".to_string(), |o| o.to_string()),
                c.lag,
                c.owner
                    .as_ref()
                    .map_or(String::new(), |o| format!(" (owner {o})"))
            );
            view! {
                <span class="lane-lag" title=tip class:lagging={c.lag > 0}>
                    {format!("{} lag {}", c.group, c.lag)}
                </span>
            }
        })
        .collect_view();
    view! { {replication} {start} {lags} }
}

fn cursor_marks(sim: &Sim, leo: u64, c: CursorView) -> impl IntoView {
    let idx = group_index(sim, &c.group);
    let right = |offset: u64| -> String {
        // Cell k from the right holds offset LEO-1-k; a cursor at LEO sits on the LEO marker.
        let cells_from_end = leo.saturating_sub(offset).min(LANE_WINDOW) as i64;
        format!(
            "calc(var(--leo-width) + {}px)",
            (cells_from_end - 1) * CELL_PITCH_PX as i64
        )
    };
    let position = c.position.map(|p| {
        let behind = leo.saturating_sub(p) > LANE_WINDOW;
        view! {
            <span
                class="cursor cursor-position"
                class:offscreen=behind
                style=format!("right: {}; --cursor-colour: var(--group-{idx})", right(p))
                title=format!("{} position {} ({})", c.group, p, c.owner.clone().unwrap_or_default())
            >
                {if behind { format!("◀{p}") } else { "▼".to_string() }}
            </span>
        }
    });
    let committed = c.committed.map(|o| {
        let behind = leo.saturating_sub(o) > LANE_WINDOW;
        view! {
            <span
                class="cursor cursor-committed"
                class:offscreen=behind
                style=format!("right: {}; --cursor-colour: var(--group-{idx})", right(o))
                title=format!("{} committed offset {}", c.group, o)
            >
                {if behind { format!("◀{o}") } else { "▲".to_string() }}
            </span>
        }
    });
    view! { {position} {committed} }
}

#[component]
fn Cell(cell: RecordCell, selected: bool) -> impl IntoView {
    let colour = cell
        .colour
        .map_or("var(--key-none)".to_string(), |c| format!("var(--key-{c})"));
    let title = format!(
        "offset {} · key {} · value {}",
        cell.offset,
        cell.key
            .as_deref()
            .map_or("null".to_string(), |k| format!("\"{k}\"")),
        cell.value
    );
    let offset = cell.offset;
    view! {
        <button
            class="record-cell"
            class:segment-start=cell.segment_start
            class:selected=selected
            style=format!("--cell-colour: {colour}")
            title=title
            data-offset=offset
        >
            {offset}
        </button>
    }
}

#[component]
fn RetentionForm(topic: String) -> impl IntoView {
    let sim = expect_context::<Sim>();
    let current = sim
        .peek(|w| w.topic(&topic).map(|t| t.config.clone()))
        .unwrap_or_default();
    let (retention_s, set_retention_s) = signal(if current.retention_ms > 0 {
        (current.retention_ms / 1000).to_string()
    } else {
        "-1".to_string()
    });
    let (segment, set_segment) = signal(current.segment_bytes.to_string());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let retention_ms = match retention_s.get_untracked().trim().parse::<i64>() {
            Ok(-1) => -1,
            Ok(s) if s > 0 && s <= 31_536_000 => s * 1000,
            _ => {
                sim.show(
                    "retention.ms: enter seconds between 1 and 31536000, or -1 for forever".into(),
                    true,
                );
                return;
            }
        };
        let Ok(segment_bytes) = segment.get_untracked().trim().parse::<u64>() else {
            sim.show("segment.bytes: enter a whole number of bytes".into(), true);
            return;
        };
        sim.send(Command::SetTopicConfig {
            topic: topic.clone(),
            config: TopicConfig {
                retention_ms,
                segment_bytes,
                ..current.clone()
            },
        });
    };
    view! {
        <form class="inline-form" on:submit=apply>
            <label>
                "retention.ms (s)"
                <input
                    type="number"
                    min="-1"
                    prop:value=retention_s
                    on:input=move |ev| set_retention_s.set(event_target_value(&ev))
                />
            </label>
            <label>
                "segment.bytes"
                <input
                    type="number"
                    min="14"
                    prop:value=segment
                    on:input=move |ev| set_segment.set(event_target_value(&ev))
                />
            </label>
            <button class="btn btn-small" type="submit">"apply"</button>
            <span class="hint">"Retention deletes whole segments, never the active one."</span>
        </form>
    }
}
