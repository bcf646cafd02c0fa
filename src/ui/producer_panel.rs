//! The producer: key (free text, a key set such as user-1…user-5, or no key), value, the
//! partitioner (the default: murmur2 for keys / uniform sticky without; round-robin; or an
//! explicit partition), send one, send a burst, and an auto-produce rate from 0 to 5,000/s.
//! Every record sent shows where it went and why ("key user-3 → murmur2 → P1").

use super::sim::Sim;
use crate::sim::cluster::acks::Acks;
use crate::sim::event::Event;
use crate::sim::partitioner::PartitionerKind;
use crate::sim::{Command, KeySpec};
use leptos::prelude::*;

/// The auto-produce slider's range.
pub const MAX_UI_RATE: u32 = 5_000;
/// The rates the auto-produce slider stops at: roughly ×2 and ×2.5 apart, so the slow rates a
/// lesson uses (1–50/s) get as much of the track as the stress rates (a linear 0–5,000 track
/// squeezed 0–50/s into its first percent).
pub const RATE_STOPS: [u32; 13] = [
    0,
    1,
    2,
    5,
    10,
    20,
    50,
    100,
    200,
    500,
    1_000,
    2_000,
    MAX_UI_RATE,
];

/// The slider position showing `rate`: the highest stop not above it.
pub fn rate_stop(rate: u32) -> usize {
    RATE_STOPS.iter().rposition(|&s| s <= rate).unwrap_or(0)
}
/// Largest burst from the panel.
pub const MAX_UI_BURST: u32 = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KeyMode {
    Text,
    Set,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    Default,
    RoundRobin,
    Explicit,
}

/// Parses a whole number within `lo..=hi`, or says what is wrong (inputs are clamped with a
/// clear message rather than silently).
pub fn parse_in_range(label: &str, text: &str, lo: u32, hi: u32) -> Result<u32, String> {
    match text.trim().parse::<i64>() {
        Ok(v) if v >= lo as i64 && v <= hi as i64 => Ok(v as u32),
        Ok(_) => Err(format!("{label} must be between {lo} and {hi}")),
        Err(_) => Err(format!(
            "{label}: \"{}\" is not a whole number",
            text.trim()
        )),
    }
}

#[component]
pub fn ProducerPanel() -> impl IntoView {
    let sim = expect_context::<Sim>();
    let topics = Memo::new(move |_| sim.with(|w| w.topics().keys().cloned().collect::<Vec<_>>()));
    let topic = RwSignal::new(topics.get_untracked().first().cloned().unwrap_or_default());
    // The chosen topic, or the first one if it is gone (or none was chosen yet).
    let topic_now = move || {
        let t = topic.get_untracked();
        let ts = topics.get_untracked();
        if ts.contains(&t) {
            t
        } else {
            ts.first().cloned().unwrap_or(t)
        }
    };
    let key_mode = RwSignal::new(KeyMode::Text);
    let key = RwSignal::new("user-1".to_string());
    let key_set = RwSignal::new("5".to_string());
    let value = RwSignal::new("order placed".to_string());
    let route = RwSignal::new(Route::Default);
    let partition = RwSignal::new("0".to_string());
    let burst = RwSignal::new("100".to_string());
    let rate = Memo::new(move |_| {
        let t = topic.get();
        sim.with(|w| w.auto_producers().get(&t).map_or(0, |a| a.rate_per_s))
    });

    let partitioner = move || match route.get_untracked() {
        Route::RoundRobin => PartitionerKind::RoundRobin,
        _ => PartitionerKind::Default,
    };
    let keys = move || -> Result<KeySpec, String> {
        Ok(match key_mode.get_untracked() {
            KeyMode::Text => KeySpec::Fixed {
                key: key.get_untracked(),
            },
            KeyMode::None => KeySpec::None,
            KeyMode::Set => KeySpec::Set {
                prefix: "user-".into(),
                count: parse_in_range("key set size", &key_set.get_untracked(), 1, 1000)?,
            },
        })
    };
    let fail = move |msg: String| sim.show(msg, true);

    let send_one = move || {
        let t = topic_now();
        let explicit = if route.get_untracked() == Route::Explicit {
            let max = sim.peek(|w| w.topic(&t).map_or(1, |t| t.partition_count()));
            match parse_in_range("partition", &partition.get_untracked(), 0, max - 1) {
                Ok(p) => Some(p),
                Err(e) => return fail(e),
            }
        } else {
            None
        };
        let key = match keys() {
            Ok(KeySpec::Fixed { key }) => Some(key),
            Ok(KeySpec::None) => None,
            Ok(KeySpec::Set { prefix, count }) => {
                // One record from the set: the next user in turn.
                let n = sim.peek(|w| w.next_event_seq()) % count as u64 + 1;
                Some(format!("{prefix}{n}"))
            }
            Err(e) => return fail(e),
        };
        if let Some(events) = sim.send(Command::Produce {
            topic: t.clone(),
            key: key.clone(),
            value: value.get_untracked(),
            partition: explicit,
            partitioner: partitioner(),
        }) {
            if let Some(Event::RecordProduced {
                partition,
                offset,
                reason,
                ..
            }) = events.first()
            {
                sim.last_produced.set(Some(format!(
                    "{} → offset {offset}",
                    reason.explain(key.as_deref(), *partition)
                )));
            }
        }
    };
    let send_burst = move || {
        let count = match parse_in_range("burst size", &burst.get_untracked(), 1, MAX_UI_BURST) {
            Ok(c) => c,
            Err(e) => return fail(e),
        };
        let keys = match keys() {
            Ok(k) => k,
            Err(e) => return fail(e),
        };
        if let Some(events) = sim.send(Command::ProduceBurst {
            topic: topic_now(),
            count,
            keys,
            partitioner: partitioner(),
        }) {
            if let Some(e) = events.first() {
                sim.last_produced.set(Some(e.describe()));
            }
        }
    };
    let set_rate = move |r: u32| {
        let keys = match keys() {
            Ok(k) => k,
            Err(e) => return fail(e),
        };
        sim.send(Command::SetAutoProduce {
            topic: topic_now(),
            rate_per_s: r.min(MAX_UI_RATE),
            keys,
            partitioner: partitioner(),
        });
    };
    // The `p` keyboard shortcut sends one record with these settings.
    if let Some(ProduceAction(slot)) = use_context::<ProduceAction>() {
        slot.set_value(Some(std::sync::Arc::new(send_one)));
    }

    view! {
        <section class="panel producer" aria-labelledby="producer-title">
            <div class="panel-head">
                <h2 class="panel-title" id="producer-title">"Producer"</h2>
            </div>
            <div class="form-grid">
                <label>
                    "topic"
                    <select
                        aria-label="topic to produce to"
                        prop:value=topic
                        on:change=move |ev| topic.set(event_target_value(&ev))
                    >
                        {move || {
                            topics
                                .get()
                                .into_iter()
                                .map(|t| view! { <option value=t.clone()>{t.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    "key"
                    <select
                        aria-label="key mode"
                        on:change=move |ev| {
                            key_mode.set(match event_target_value(&ev).as_str() {
                                "set" => KeyMode::Set,
                                "none" => KeyMode::None,
                                _ => KeyMode::Text,
                            })
                        }
                    >
                        <option value="text">"this key"</option>
                        <option value="set">"user-1 … user-N"</option>
                        <option value="none">"no key (null)"</option>
                    </select>
                </label>
                {move || match key_mode.get() {
                    KeyMode::Text => view! {
                        <label>
                            "key text"
                            <input
                                aria-label="record key"
                                maxlength="100"
                                prop:value=key
                                on:input=move |ev| key.set(event_target_value(&ev))
                            />
                        </label>
                    }
                    .into_any(),
                    KeyMode::Set => view! {
                        <label>
                            "N keys"
                            <input
                                aria-label="number of keys in the key set"
                                type="number"
                                min="1"
                                max="1000"
                                prop:value=key_set
                                on:input=move |ev| key_set.set(event_target_value(&ev))
                            />
                        </label>
                    }
                    .into_any(),
                    KeyMode::None => ().into_any(),
                }}
                <label>
                    "value"
                    <input
                        aria-label="record value"
                        maxlength="200"
                        prop:value=value
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "partitioner"
                    <select
                        aria-label="partitioner"
                        on:change=move |ev| {
                            route.set(match event_target_value(&ev).as_str() {
                                "rr" => Route::RoundRobin,
                                "explicit" => Route::Explicit,
                                _ => Route::Default,
                            })
                        }
                    >
                        <option value="default">"default (murmur2 / sticky)"</option>
                        <option value="rr">"RoundRobinPartitioner"</option>
                        <option value="explicit">"explicit partition"</option>
                    </select>
                </label>
                <label title="acks: how many copies must have a record before the producer is told it is written; with acks=all, min.insync.replicas is how many in-sync copies that must be at least (set per topic in the cluster panel)">
                    "acks"
                    <select
                        aria-label="acks"
                        prop:value=move || sim.with(|w| w.acks_for(&topic.get()).name())
                        on:change=move |ev| {
                            if let Some(acks) = Acks::parse(&event_target_value(&ev)) {
                                sim.send(Command::SetAcks { topic: Some(topic.get_untracked()), acks });
                            }
                        }
                    >
                        <option value="0">"0 (fire and forget)"</option>
                        <option value="1">"1 (leader only)"</option>
                        <option value="all">"all (in-sync replicas)"</option>
                    </select>
                    <span class="field-note">
                        {move || sim.with(|w| {
                            w.topic(&topic.get())
                                .map(|t| format!("min.insync.replicas {}", t.config.min_insync_replicas))
                        })}
                    </span>
                </label>
                {move || {
                    (route.get() == Route::Explicit)
                        .then(|| {
                            view! {
                                <label>
                                    "partition"
                                    <input
                                        aria-label="explicit partition"
                                        type="number"
                                        min="0"
                                        prop:value=partition
                                        on:input=move |ev| partition.set(event_target_value(&ev))
                                    />
                                </label>
                            }
                        })
                }}
            </div>
            <div class="button-row">
                <button class="btn btn-primary" on:click=move |_| send_one() title="send one record (p)">
                    "Send"
                </button>
                <input
                    class="burst-input"
                    aria-label="burst size"
                    type="number"
                    min="1"
                    max=MAX_UI_BURST.to_string()
                    prop:value=burst
                    on:input=move |ev| burst.set(event_target_value(&ev))
                />
                <button class="btn" on:click=move |_| send_burst()>"Send burst"</button>
            </div>
            <label class="rate">
                <span>
                    "auto-produce "
                    <strong>{move || format!("{}/s", rate.get())}</strong>
                </span>
                <input
                    type="range"
                    aria-label="auto-produce rate, records per second"
                    min="0"
                    max=(RATE_STOPS.len() - 1).to_string()
                    step="1"
                    prop:value=move || rate_stop(rate.get()).to_string()
                    aria-valuetext=move || format!("{} records per second", rate.get())
                    on:change=move |ev| {
                        let stop = event_target_value(&ev).parse::<usize>().unwrap_or(0);
                        set_rate(RATE_STOPS[stop.min(RATE_STOPS.len() - 1)])
                    }
                />
            </label>
            <p class="produce-reason" role="status" aria-live="polite">
                {move || sim.last_produced.get().unwrap_or_else(|| {
                    "Send a record to see which partition it lands in, and why.".into()
                })}
            </p>
        </section>
    }
}

/// A slot the app provides and the producer panel fills with its "send one" action, for the
/// `p` keyboard shortcut.
#[derive(Clone, Copy)]
pub struct ProduceAction(pub StoredValue<Option<std::sync::Arc<dyn Fn() + Send + Sync>>>);
