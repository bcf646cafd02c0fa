//! The page's handle on the simulation: one [`World`], the commands sent to it, and the
//! clock that drives it.
//!
//! Data flows one way: a control calls [`Sim::send`] with a [`Command`]; the world applies
//! it (or refuses it, unchanged, and the message is shown); [`Sim::frame`] bumps; memos that
//! read the world through [`Sim::with`] recompute, and the DOM updates. While playing, the
//! world is ticked once per animation frame by `elapsed × speed` virtual milliseconds, so
//! however many records arrive, the page does one batch of work per frame.

use super::controls_bar::Playback;
use crate::sim::command::TimedCommand;
use crate::sim::event::Event;
use crate::sim::{Command, World};
use leptos::prelude::*;

/// Longest virtual time one animation frame may advance at 1× (a background tab comes back
/// without a jump of minutes).
const MAX_FRAME_MS: f64 = 100.0;
/// Commands kept for replay / share links.
pub const MAX_HISTORY: usize = 10_000;

/// What the inspector shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    None,
    Record {
        topic: String,
        partition: u32,
        offset: u64,
    },
    Consumer(String),
}

/// A message for the learner: an error from a refused command, or a notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub id: u64,
    pub text: String,
    pub error: bool,
}

/// Copy handle on the simulation; provided as context by the app.
#[derive(Clone, Copy)]
pub struct Sim {
    world: StoredValue<World>,
    history: StoredValue<Vec<TimedCommand>>,
    /// Bumps after every change to the world: the one signal views subscribe to.
    pub frame: RwSignal<u64>,
    /// Play/pause, speed (virtual seconds per real second, 0.1× … 10×) and steps taken.
    pub playback: Playback,
    pub selection: RwSignal<Selection>,
    pub notice: RwSignal<Option<Notice>>,
    /// The explanation of the last record sent from the producer panel.
    pub last_produced: RwSignal<Option<String>>,
    last_frame_ts: StoredValue<Option<f64>>,
    /// Step presses already turned into virtual time.
    steps_done: StoredValue<u64>,
    carry_ms: StoredValue<f64>,
}

impl Sim {
    /// A handle on `world`, playing at 1× (the page comes alive at once).
    pub fn new(world: World) -> Self {
        let playback = Playback::new();
        playback.playing.set(true);
        Sim {
            world: StoredValue::new(world),
            history: StoredValue::new(Vec::new()),
            frame: RwSignal::new(0),
            playback,
            selection: RwSignal::new(Selection::None),
            notice: RwSignal::new(None),
            last_produced: RwSignal::new(None),
            last_frame_ts: StoredValue::new(None),
            steps_done: StoredValue::new(0),
            carry_ms: StoredValue::new(0.0),
        }
    }

    /// Reads the world, subscribing the caller to changes.
    pub fn with<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        self.frame.track();
        self.world.with_value(f)
    }

    /// Reads the world without subscribing (event handlers).
    pub fn peek<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        self.world.with_value(f)
    }

    /// Sends a command; a refusal is shown to the learner and changes nothing.
    pub fn send(&self, command: Command) -> Option<Vec<Event>> {
        let at_ms = self.peek(|w| w.now_ms());
        let result = self
            .world
            .try_update_value(|w| w.apply(command.clone()))
            .expect("world is alive");
        self.frame.update(|f| *f += 1);
        match result {
            Ok(events) => {
                self.history.update_value(|h| {
                    if h.len() < MAX_HISTORY {
                        h.push(TimedCommand { at_ms, command });
                    }
                });
                Some(events)
            }
            Err(e) => {
                self.show(e.0, true);
                None
            }
        }
    }

    /// Shows a message (errors stay until replaced or dismissed).
    pub fn show(&self, text: String, error: bool) {
        let id = self
            .notice
            .with_untracked(|n| n.as_ref().map_or(0, |n| n.id + 1));
        self.notice.set(Some(Notice { id, text, error }));
        if !error {
            // Notices (not errors) go by themselves after a while.
            let notice = self.notice;
            set_timeout(
                move || {
                    if notice.with_untracked(|m| m.as_ref().is_some_and(|m| m.id == id)) {
                        notice.set(None);
                    }
                },
                std::time::Duration::from_secs(4),
            );
        }
    }

    /// Advances virtual time by `ms` (the Step button).
    pub fn step(&self, ms: u64) {
        self.world.update_value(|w| {
            w.tick(ms);
        });
        self.frame.update(|f| *f += 1);
    }

    /// Called once per animation frame with `performance.now()`.
    pub fn on_animation_frame(&self, now_ts: f64) {
        // Step presses (button or →) since the last frame: each advances STEP_MS.
        let steps = self.playback.steps.get_untracked();
        let pending = steps.saturating_sub(self.steps_done.get_value());
        if pending > 0 {
            self.steps_done.set_value(steps);
            self.step(pending * super::help::STEP_MS);
        }
        let last = self.last_frame_ts.get_value();
        self.last_frame_ts.set_value(Some(now_ts));
        if !self.playback.playing.get_untracked() {
            return;
        }
        let Some(last) = last else { return };
        let elapsed = (now_ts - last).clamp(0.0, MAX_FRAME_MS);
        let virtual_ms = elapsed * self.playback.speed.get_untracked() + self.carry_ms.get_value();
        let whole = virtual_ms.floor();
        self.carry_ms.set_value(virtual_ms - whole);
        if whole >= 1.0 {
            self.world.update_value(|w| {
                w.tick(whole as u64);
            });
            self.frame.update(|f| *f += 1);
        }
    }

    /// The commands applied so far, with their virtual times (for replay and share links).
    pub fn history(&self) -> Vec<TimedCommand> {
        self.history.get_value()
    }

    /// Replaces the world (a preset, an imported scenario, a reset).
    pub fn replace(&self, world: World, history: Vec<TimedCommand>) {
        self.world.set_value(world);
        self.history.set_value(history);
        self.selection.set(Selection::None);
        self.last_produced.set(None);
        self.frame.update(|f| *f += 1);
    }
}

/// Starts the animation-frame loop that drives the clock.
pub fn start_clock(sim: Sim) {
    fn schedule(sim: Sim) {
        request_animation_frame(move || {
            let now = window().performance().map(|p| p.now()).unwrap_or_default();
            sim.on_animation_frame(now);
            schedule(sim);
        });
    }
    schedule(sim);
}

/// The world the page starts with: a topic and a group of two consumers, timings scaled so a
/// crash is noticed in seconds (the knobs keep Kafka's names).
pub fn starter_world() -> World {
    use crate::sim::topic::TopicConfig;
    use crate::sim::WorldConfig;
    let mut w = World::new(WorldConfig {
        seed: 42,
        ..Default::default()
    })
    .expect("valid config");
    let cmds = [
        Command::CreateTopic {
            name: "orders".into(),
            partitions: 3,
            config: TopicConfig {
                retention_ms: 600_000,
                segment_bytes: 2_048,
                ..Default::default()
            },
        },
        Command::CreateGroup {
            group: "billing".into(),
            assignor: crate::sim::assignor::AssignorKind::Range,
        },
    ];
    for c in cmds {
        w.apply(c).expect("starter command");
    }
    for id in ["c1", "c2"] {
        w.apply(Command::AddConsumer {
            client_id: id.into(),
            group: "billing".into(),
            topics: vec!["orders".into()],
            config: ui_consumer_config(),
        })
        .expect("starter consumer");
    }
    w
}

/// Consumer settings used by the page's "add consumer": Kafka's names, scaled timings.
pub fn ui_consumer_config() -> crate::sim::consumer::ConsumerConfig {
    crate::sim::consumer::ConsumerConfig {
        session_timeout_ms: 10_000,
        heartbeat_interval_ms: 1_000,
        max_poll_interval_ms: 30_000,
        max_poll_records: 100,
        auto_commit_interval_ms: 5_000,
        auto_offset_reset: crate::sim::consumer::AutoOffsetReset::Earliest,
        processing_ms_per_record: 20.0,
        ..Default::default()
    }
}
