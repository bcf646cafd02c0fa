//! The page's handle on the simulation: one [`World`], the commands sent to it, and the
//! clock that drives it.
//!
//! Data flows one way: a control calls [`Sim::send`] with a [`Command`]; the world applies
//! it (or refuses it, unchanged, and the message is shown); [`Sim::frame`] bumps; memos that
//! read the world through [`Sim::with`] recompute, and the DOM updates. While playing, the
//! world is ticked once per animation frame by `elapsed × speed` virtual milliseconds, so
//! however many records arrive, the page does one batch of work per frame.
//!
//! The world always comes from a scenario (a preset, a lesson, a share link, a file): the
//! handle keeps that scenario's setup, the commands applied since (the history) and those the
//! scenario still has scheduled, so the session can be saved, shared and replayed exactly
//! ([`crate::course::saved`]).

use super::controls_bar::Playback;
use crate::course::lessons::Lesson;
use crate::course::saved::{restore, Saved, SAVED_VERSION};
use crate::sim::command::TimedCommand;
use crate::sim::event::Event;
use crate::sim::scenario::Scenario;
use crate::sim::{Command, World};
use leptos::prelude::*;
use std::collections::VecDeque;

/// Longest virtual time one animation frame may advance at 1× (a background tab comes back
/// without a jump of minutes).
const MAX_FRAME_MS: f64 = 100.0;
/// Most times a second the readouts (lag and record counters beside the lanes and on the
/// cards) redraw while time runs: a number changing 60 times a second cannot be read, and
/// redrawing it is most of what a busy frame costs. Motion (cells, cursors) keeps every frame.
const READOUT_EVERY_MS: f64 = 100.0;
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

/// The guided lesson being followed.
#[derive(Clone)]
pub struct LessonState {
    pub lesson: &'static Lesson,
    pub step: usize,
    /// Where each step began, `[commands applied, virtual ms]`: "Back" replays to it.
    pub marks: Vec<[u64; 2]>,
}

/// Copy handle on the simulation; provided as context by the app.
#[derive(Clone, Copy)]
pub struct Sim {
    world: StoredValue<World>,
    history: StoredValue<Vec<TimedCommand>>,
    /// The scenario the world started from (its `commands` left empty).
    base: StoredValue<Scenario>,
    /// Commands the scenario still has scheduled, in time order.
    scheduled: StoredValue<VecDeque<TimedCommand>>,
    /// What "Reset" starts again: the scenario as it was loaded.
    origin: StoredValue<Scenario>,
    /// Scheduled commands as they were at the last load (a lesson's "Back" reschedules them).
    script: StoredValue<Vec<TimedCommand>>,
    /// The lesson being followed, if any.
    pub lesson: RwSignal<Option<LessonState>>,
    /// Bumps when a new scenario, lesson or session is loaded (views reset their own state).
    pub loads: RwSignal<u64>,
    /// Bumps after every change to the world: the one signal views subscribe to.
    pub frame: RwSignal<u64>,
    /// Bumps with `frame`, but at most every [`READOUT_EVERY_MS`] while time runs (at once
    /// after a command, a step or a load; on pause through `playing`): what readouts
    /// subscribe to ([`Sim::readout`]).
    readout: RwSignal<u64>,
    last_readout_ts: StoredValue<f64>,
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
    /// A handle on `scenario` at time 0, playing at 1× (the page comes alive at once).
    pub fn new(scenario: Scenario) -> Result<Self, String> {
        // Empty until `load_scenario` fills it the way every later load does.
        let sim = Sim {
            world: StoredValue::new(World::with_seed(scenario.seed)),
            history: StoredValue::new(Vec::new()),
            base: StoredValue::new(scenario.clone()),
            script: StoredValue::new(Vec::new()),
            scheduled: StoredValue::new(VecDeque::new()),
            origin: StoredValue::new(scenario.clone()),
            lesson: RwSignal::new(None),
            loads: RwSignal::new(0),
            frame: RwSignal::new(0),
            readout: RwSignal::new(0),
            last_readout_ts: StoredValue::new(0.0),
            playback: Playback::new(),
            selection: RwSignal::new(Selection::None),
            notice: RwSignal::new(None),
            last_produced: RwSignal::new(None),
            last_frame_ts: StoredValue::new(None),
            steps_done: StoredValue::new(0),
            carry_ms: StoredValue::new(0.0),
        };
        sim.load_scenario(scenario)?;
        Ok(sim)
    }

    /// Reads the world, subscribing the caller to changes.
    pub fn with<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        self.frame.track();
        self.world.with_value(f)
    }

    /// Subscribes the caller to the readout clock: numbers that change every frame under load
    /// redraw at most 10 times a second (read them with `get_untracked` after this). Pausing
    /// redraws them at once, so a paused page shows the world as it stopped.
    pub fn readout(&self) {
        self.readout.track();
        self.playback.playing.track();
    }

    /// After a change to the world: `frame` bumps; `readout` too, unless it is time running
    /// (`now_ts` given) and the readouts redrew less than [`READOUT_EVERY_MS`] ago.
    fn changed(&self, now_ts: Option<f64>) {
        self.frame.update(|f| *f += 1);
        if let Some(now) = now_ts {
            if now - self.last_readout_ts.get_value() < READOUT_EVERY_MS {
                return;
            }
            self.last_readout_ts.set_value(now);
        }
        self.readout.update(|r| *r += 1);
    }

    /// Reads the world without subscribing (event handlers).
    pub fn peek<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        self.world.with_value(f)
    }

    /// Sends a command; a refusal is shown to the learner and changes nothing.
    pub fn send(&self, command: Command) -> Option<Vec<Event>> {
        if self.history.with_value(|h| h.len()) >= MAX_HISTORY {
            self.show(
                format!("this session has reached {MAX_HISTORY} actions: reset or load a scenario to go on"),
                true,
            );
            return None;
        }
        let result = self.apply(command);
        self.changed(None);
        match result {
            Ok(events) => Some(events),
            Err(e) => {
                self.show(e, true);
                None
            }
        }
    }

    /// Applies a command now and records it in the history (the replayable session).
    fn apply(&self, command: Command) -> Result<Vec<Event>, String> {
        let at_ms = self.peek(|w| w.now_ms());
        let events = self
            .world
            .try_update_value(|w| w.apply(command.clone()))
            .expect("world is alive")
            .map_err(|e| e.0)?;
        self.history
            .update_value(|h| h.push(TimedCommand { at_ms, command }));
        Ok(events)
    }

    /// Advances virtual time by `ms`, applying scheduled scenario commands as they come due.
    fn advance(&self, ms: u64) {
        let target = self.peek(|w| w.now_ms()) + ms;
        loop {
            let due = self
                .scheduled
                .try_update_value(|s| {
                    if s.front().is_some_and(|c| c.at_ms <= target) {
                        s.pop_front()
                    } else {
                        None
                    }
                })
                .flatten();
            let Some(tc) = due else { break };
            self.world.update_value(|w| {
                w.advance_to(tc.at_ms);
            });
            if let Err(e) = self.apply(tc.command) {
                self.show(
                    format!("the scenario's command at {} ms was refused: {e}", tc.at_ms),
                    true,
                );
            }
        }
        self.world.update_value(|w| {
            w.advance_to(target);
        });
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
        self.advance(ms);
        self.changed(None);
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
            self.advance(whole as u64);
            self.changed(Some(now_ts));
        }
    }

    /// The session as it travels (share link, autosave, export).
    pub fn saved(&self) -> Saved {
        let mut scenario = self.base.get_value();
        scenario.commands = self.history.get_value();
        self.scheduled
            .with_value(|s| scenario.commands.extend(s.iter().cloned()));
        let lesson = self.lesson.get_untracked();
        Saved {
            kafkascope: SAVED_VERSION,
            scenario,
            now_ms: self.peek(|w| w.now_ms()),
            lesson: lesson.as_ref().map(|l| l.lesson.id.to_string()),
            step: lesson.as_ref().map_or(0, |l| l.step),
            marks: lesson.map(|l| l.marks).unwrap_or_default(),
            paused: !self.playback.playing.get_untracked(),
        }
    }

    /// The session as a scenario file: everything so far, then what is still scheduled, and
    /// `run_until_ms` = now, so `kafkascope replay` reaches the same state.
    pub fn export(&self) -> Scenario {
        let saved = self.saved();
        let mut s = saved.scenario;
        s.run_until_ms = Some(saved.now_ms);
        s
    }

    /// Replaces everything with `saved` (replayed from its seed). On error nothing changes.
    pub fn load(&self, saved: Saved) -> Result<(), String> {
        let lesson = match &saved.lesson {
            Some(id) => Some(crate::course::lessons::lesson(id)?),
            None => None,
        };
        if let Some(l) = lesson {
            if saved.step >= l.steps.len() {
                return Err(format!("step: lesson {} has {} steps", l.id, l.steps.len()));
            }
        }
        self.load_at(&saved.scenario, saved.now_ms, None)?;
        self.origin.set_value(saved.scenario);
        self.playback.playing.set(!saved.paused);
        self.lesson.set(lesson.map(|lesson| LessonState {
            lesson,
            step: saved.step,
            marks: saved.marks,
        }));
        Ok(())
    }

    /// Starts `scenario` from time 0, outside any lesson.
    pub fn load_scenario(&self, scenario: Scenario) -> Result<(), String> {
        self.load_at(&scenario, 0, None)?;
        self.origin.set_value(scenario);
        self.lesson.set(None);
        self.playback.playing.set(true);
        Ok(())
    }

    /// Starts the current lesson, or the scenario as it was loaded, again.
    pub fn reset(&self) -> Result<(), String> {
        match self.lesson.get_untracked() {
            Some(l) => self.start_lesson(l.lesson),
            None => self.load_scenario(self.origin.get_value()),
        }
    }

    /// Starts a lesson from its first step.
    pub fn start_lesson(&self, lesson: &'static Lesson) -> Result<(), String> {
        self.load_at(&lesson.scenario(), 0, None)?;
        self.lesson.set(Some(LessonState {
            lesson,
            step: 0,
            marks: vec![[0, 0]],
        }));
        self.playback.playing.set(true);
        Ok(())
    }

    /// Rebuilds the world from the current scenario with its first `applied` commands, at
    /// `now_ms` (a lesson's "Back").
    pub fn rewind(&self, applied: usize, now_ms: u64) -> Result<(), String> {
        let mut scenario = self.base.get_value();
        scenario.commands = self
            .history
            .with_value(|h| h[..applied.min(h.len())].to_vec());
        let later = self.script.with_value(|s| {
            s.iter()
                .filter(|c| c.at_ms > now_ms)
                .cloned()
                .collect::<Vec<_>>()
        });
        scenario.commands.extend(later);
        let script = self.script.get_value();
        self.load_at(&scenario, now_ms, Some(applied))?;
        self.script.set_value(script);
        Ok(())
    }

    fn load_at(
        &self,
        scenario: &Scenario,
        now_ms: u64,
        applied: Option<usize>,
    ) -> Result<(), String> {
        let restored = restore(scenario, now_ms, applied)?;
        let mut base = scenario.clone();
        base.commands.clear();
        self.world.set_value(restored.world);
        self.history.set_value(restored.history);
        self.script
            .set_value(restored.pending.iter().cloned().collect());
        self.scheduled.set_value(restored.pending);
        self.base.set_value(base);
        self.selection.set(Selection::None);
        self.last_produced.set(None);
        self.loads.update(|n| *n += 1);
        self.changed(None);
        Ok(())
    }

    /// Commands applied so far (a lesson marks where each step began).
    pub fn applied_count(&self) -> usize {
        self.history.with_value(|h| h.len())
    }

    /// The scenario the session started from.
    pub fn base_name(&self) -> String {
        self.base.with_value(|b| b.name.clone())
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

/// Consumer settings used by the page's "add consumer": Kafka's names, scaled timings.
pub fn ui_consumer_config() -> crate::sim::consumer::ConsumerConfig {
    crate::course::scaled_consumer_config()
}
