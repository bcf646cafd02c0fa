//! A topic as partition lanes: the newest records of each partition as cells coloured by
//! key and labelled with their offsets, newest on the right at the log end offset (LEO);
//! per group, the owner's position (▼ above the lane) and the committed offset (▲ below);
//! the lag per group beside the lane. Retention shows as the log start offset moving.
//!
//! Only a fixed window of cells is drawn per lane, and a frame touches only the cells of
//! records that arrived since the last one (see `CellRow`): the DOM stays the same size and
//! the work per frame follows the produce rate, not the window.

use super::sim::{Selection, Sim};
use crate::sim::topic::TopicConfig;
use crate::sim::Command;
use crate::view::{topic_view, CursorView, LaneView, RecordCell};
use leptos::prelude::*;

/// Records drawn per lane (the oldest are clipped on narrow screens).
pub const LANE_WINDOW: u64 = 32;

/// Records per second (all auto-producers together) above which new cells appear without
/// their entry animation and lanes stop gliding: each animating cell costs Chromium a layer
/// of its own, and at 200 records/s some 50 of them at once took the page to 23 fps (60 fps
/// at 60 records/s; the course's scenarios produce 1–20 records/s).
pub const FAST_RATE_PER_S: u32 = 60;

/// Under fast load a lane redraws every `LANE_PHASES`-th frame, a third of the lanes on
/// each frame (20 Hz a lane: at 150 records a second a lane's cells are a blur either way).
const LANE_PHASES: u64 = 3;

/// Whether the page is under fast load (auto-producers above [`FAST_RATE_PER_S`] together);
/// provided by the app. Under it new cells do not animate, lanes take turns to redraw, and
/// lanes and cards off screen stop updating (see `while_rendered`). Calm, everything stays
/// live everywhere, so what a screen reader reads off screen is current.
#[derive(Clone, Copy)]
pub struct FastStage(pub Memo<bool>);

impl FastStage {
    pub fn new(sim: Sim) -> Self {
        FastStage(Memo::new(move |_| {
            sim.with(|w| {
                w.auto_producers()
                    .values()
                    .map(|a| a.rate_per_s)
                    .sum::<u32>()
            }) > FAST_RATE_PER_S
        }))
    }
}

/// Cell pitch in px (width + gap), shared with styles/live.css (`--cell-pitch`).
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
                            sim.readout();
                            view.get_untracked()
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
    // Off screen, the lane keeps what it showed (see `while_rendered`).
    let lane_ref = NodeRef::<leptos::html::Li>::new();
    let fast = expect_context::<FastStage>().0;
    let lane = super::while_rendered(lane_ref, move || {
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
    // Under fast load a lane redraws its cells and cursors every LANE_PHASES-th frame, the
    // lanes taking turns: a busy frame does a third of the work. A held frame is drawn on the
    // lane's next turn, or at once on pause.
    let staged = Memo::new(move |prev: Option<&Option<LaneView>>| {
        if let Some(prev) = prev {
            if fast.get()
                && sim.playback.playing.get()
                && !(sim.frame.get() + u64::from(partition)).is_multiple_of(LANE_PHASES)
            {
                return prev.clone();
            }
        }
        lane.get()
    });
    // What the cells depend on: the window, the log start (segment marks) and the load.
    let window = Memo::new(move |_| {
        staged.with(|l| {
            l.as_ref()
                .map(|l| (l.window_start, l.log_end_offset, l.log_start_offset))
        })
    });
    let cells_ref = NodeRef::<leptos::html::Div>::new();
    let topic_for_draw = topic.clone();
    // The cells are drawn by hand (see `CellRow`): only new records touch the DOM.
    Effect::new(move |row: Option<CellRow>| {
        let mut row = row.unwrap_or_default();
        let (Some(parent), Some((from, to, log_start))) = (cells_ref.get(), window.get()) else {
            return row;
        };
        let draw = Draw {
            from,
            to,
            log_start,
            selected: selected.get(),
            animate: !fast.get(),
            loads: sim.loads.get(),
        };
        row.sync(&parent, draw, |a, b| {
            sim.peek(|w| crate::view::lane_cells(w, &topic_for_draw, partition, a, b))
        });
        row
    });
    let cursors = move || {
        staged
            .get()
            .map(|l| (l.log_end_offset, l.cursors))
            .unwrap_or_default()
    };
    // Lags and offsets as text: at the readout rate (see `Sim::readout`).
    let meta = move || {
        sim.readout();
        lane.get_untracked().map(lane_meta)
    };
    let topic_for_cells = topic.clone();
    let topic_for_title = topic.clone();
    let topic_for_focus = topic.clone();
    view! {
        <li
            class="lane"
            style=format!("--lane-colour: var(--partition-{})", partition % 8)
            aria-label=format!("{topic} partition {partition}")
            node_ref=lane_ref
        >
            <span class="lane-label">{format!("P{partition}")}</span>
            <div class="lane-track">
                // One handler per lane for every cell: a click selects the record; pointing at
                // a cell or focusing it gives it its title (key and value), written only then
                // rather than for each of thousands of records a second.
                <div
                    class="lane-cells"
                    on:click=move |ev| {
                        if let Some((_, offset)) = cell_at(&ev) {
                            sim.selection.set(Selection::Record { topic: topic_for_cells.clone(), partition, offset });
                        }
                    }
                    on:mouseover=move |ev| describe_cell(&sim, &topic_for_title, partition, &ev)
                    on:focusin=move |ev| describe_cell(&sim, &topic_for_focus, partition, &ev)
                >
                    <div class="cell-strip" node_ref=cells_ref></div>
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

/// What one lane's cells should show this frame.
#[derive(Clone, Copy)]
struct Draw {
    /// The window `from..to` (the newest records).
    from: u64,
    to: u64,
    log_start: u64,
    selected: Option<u64>,
    /// Calm stage: new cells slide in.
    animate: bool,
    /// [`Sim::loads`]: a new world redraws every cell.
    loads: u64,
}

/// One drawn cell: a `<button class="record-cell">` and what it shows.
struct DrawnCell {
    el: web_sys::Element,
    /// The button's text node (its offset), rewritten in place.
    text: web_sys::Node,
    offset: u64,
    colour: Option<u32>,
    segment_start: bool,
    /// 0: still; 1 / 2: the two names of the slide-in animation (switching between them
    /// replays it on a reused element).
    anim: u8,
    /// What its `class` attribute says now (`None`: to be written), so a frame compares
    /// four small values per cell instead of building its class string.
    look: Option<Look>,
}

/// What a cell's classes show: colour, segment start, selected, animation name.
type Look = (Option<u32>, bool, bool, u8);

/// Offsets a strip may run past its base before the cells are placed again (their `left`
/// stays far inside what browsers lay out exactly).
const REBASE_AFTER: u64 = 100_000;

/// The cells of one lane, oldest first, drawn by hand rather than as a keyed list.
///
/// Each cell sits at a fixed place on a strip, `left = (offset − base) × pitch`, and the
/// strip is shifted left by the log end offset (one `transform`; when calm it glides). So a
/// frame removes the cells that left the window, reuses their elements for the records that
/// arrived and writes only those: a record's cell never changes once drawn (records are
/// immutable). Nothing else moves in the DOM or needs layout, which is what keeps the page
/// at 60 fps with every lane taking records, and no reactive owner is left behind per
/// record drawn (a keyed list leaks one: reactive_graph keeps dead children until the
/// parent goes).
#[derive(Default)]
struct CellRow {
    cells: std::collections::VecDeque<DrawnCell>,
    loads: u64,
    base: u64,
    shift: Option<u64>,
    /// Whether the elements are out of offset order in the DOM (see `sync`).
    dom_unsorted: bool,
}

impl CellRow {
    fn sync(
        &mut self,
        strip: &web_sys::Element,
        d: Draw,
        fetch: impl FnOnce(u64, u64) -> Vec<RecordCell>,
    ) {
        let mut spare = Vec::new();
        let stale = |c: &DrawnCell| c.offset < d.from || c.offset >= d.to;
        if d.loads != self.loads || self.cells.front().is_some_and(|c| c.offset > d.from) {
            // Another world, or the window grew to the left (a truncated log grew again).
            self.loads = d.loads;
            spare.extend(self.cells.drain(..));
        }
        while self.cells.back().is_some_and(stale) {
            spare.extend(self.cells.pop_back());
        }
        while self.cells.front().is_some_and(stale) {
            spare.extend(self.cells.pop_front());
        }
        if d.from < self.base || d.to - self.base > REBASE_AFTER || self.cells.is_empty() {
            self.base = d.from;
            for c in &self.cells {
                place_cell(&c.el, c.offset - self.base);
            }
        }
        let next = self.cells.back().map_or(d.from, |c| c.offset + 1);
        if next < d.to {
            for cell in fetch(next, d.to) {
                let mut drawn = spare.pop().unwrap_or_else(new_cell);
                // The text is the offset (the click handler reads it back); the title comes
                // on hover or focus (`describe_cell`), and a stale one goes now.
                drawn.text.set_node_value(Some(&cell.offset.to_string()));
                let _ = drawn.el.remove_attribute("title");
                place_cell(&drawn.el, cell.offset - self.base);
                drawn.offset = cell.offset;
                drawn.colour = cell.colour;
                drawn.segment_start = cell.segment_start;
                drawn.anim = match (d.animate, drawn.anim) {
                    (false, _) => 0,
                    (true, 1) => 2,
                    (true, _) => 1,
                };
                drawn.look = None; // written below
                if d.animate || !drawn.el.is_connected() {
                    // Calm: to the end, so the DOM stays in offset order.
                    let _ = strip.append_child(&drawn.el);
                } else {
                    // Fast: a reused element stays where it is (moving it would make the
                    // browser build its box again).
                    self.dom_unsorted = true;
                }
                self.cells.push_back(drawn);
            }
        }
        for gone in spare {
            gone.el.remove();
        }
        // Calm again after fast: the DOM back in offset order, for tab order and screen
        // readers.
        if self.dom_unsorted && d.animate {
            for c in &self.cells {
                let _ = strip.append_child(&c.el);
            }
            self.dom_unsorted = false;
        }
        for c in &mut self.cells {
            let look = (
                c.colour,
                c.segment_start && c.offset > d.log_start,
                d.selected == Some(c.offset),
                c.anim,
            );
            if c.look != Some(look) {
                let _ = c.el.set_attribute("class", &cell_class(look));
                c.look = Some(look);
            }
        }
        let shift = d.to - self.base;
        if self.shift != Some(shift) {
            self.shift = Some(shift);
            let px = shift * CELL_PITCH_PX;
            let _ = strip.set_attribute("style", &format!("transform: translateX(-{px}px)"));
        }
    }
}

fn new_cell() -> DrawnCell {
    let el = document().create_element("button").expect("create a cell");
    let text = document().create_text_node("");
    let _ = el.append_child(&text);
    DrawnCell {
        el,
        text: text.into(),
        offset: 0,
        colour: None,
        segment_start: false,
        anim: 0,
        look: None,
    }
}

/// A cell's place on its strip.
fn place_cell(el: &web_sys::Element, slot: u64) {
    let left = slot * CELL_PITCH_PX;
    let _ = el.set_attribute("style", &format!("left: {left}px"));
}

/// The cell's classes: its key colour is a class (`k0` … `k11`, `kn`), not an inline custom
/// property, so the browser styles a thousand cells from a cache instead of one by one.
fn cell_class((colour, segment_start, selected, anim): Look) -> String {
    let mut class = match colour {
        Some(c) => format!("record-cell k{c}"),
        None => String::from("record-cell kn"),
    };
    for (on, name) in [
        (segment_start, " segment-start"),
        (selected, " selected"),
        (anim == 1, " in-a"),
        (anim == 2, " in-b"),
    ] {
        if on {
            class.push_str(name);
        }
    }
    class
}

/// The record cell an event happened on, and the offset it shows.
fn cell_at(ev: &web_sys::Event) -> Option<(web_sys::Element, u64)> {
    use wasm_bindgen::JsCast;
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let offset = el
        .class_name()
        .starts_with("record-cell")
        .then(|| el.text_content()?.parse().ok())??;
    Some((el, offset))
}

/// Gives the cell under the pointer (or focused) its title: offset, key and value, read from
/// the world now.
fn describe_cell(sim: &Sim, topic: &str, partition: u32, ev: &web_sys::Event) {
    let Some((el, offset)) = cell_at(ev) else {
        return;
    };
    if el.has_attribute("title") {
        return;
    }
    let cells = sim.peek(|w| crate::view::lane_cells(w, topic, partition, offset, offset + 1));
    if let Some(cell) = cells.first() {
        let key = cell
            .key
            .as_deref()
            .map_or("null".to_string(), |k| format!("\"{k}\""));
        let title = format!("offset {} · key {key} · value {}", cell.offset, cell.value);
        let _ = el.set_attribute("title", &title);
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
