//! A session in a form that travels: the share link's payload, the autosave, and the replay
//! that turns it back into the same world.
//!
//! The simulator is deterministic, so a session is fully described by the scenario it started
//! from (seed, settings, setup), every command applied since, with its virtual time, and the
//! virtual time it had reached. Replaying those from the seed gives the same world, record for
//! record — no state is serialised, only causes.
//!
//! ```json
//! { "kafkascope": 1, "now_ms": 12500, "lesson": "consumer-groups", "step": 2,
//!   "scenario": { "version": 1, "seed": 42, "topics": [...], "commands": [...] } }
//! ```
//! The page compresses it (deflate-raw) and base64url-encodes it after `#s=` in the URL.

use crate::sim::command::TimedCommand;
use crate::sim::scenario::{Scenario, MAX_RUN_MS, MAX_SCENARIO_BYTES};
use crate::sim::World;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// The envelope version this build reads and writes.
pub const SAVED_VERSION: u32 = 1;

/// A session: what a share link, the autosave and "export" carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Saved {
    /// Envelope version ([`SAVED_VERSION`]).
    pub kafkascope: u32,
    /// The starting scenario; its `commands` are everything applied so far followed by what
    /// the scenario still has scheduled.
    pub scenario: Scenario,
    /// Virtual time reached.
    pub now_ms: u64,
    /// The guided lesson being followed, and its step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    #[serde(default)]
    pub step: usize,
    /// Where each lesson step began, as `[commands applied, virtual ms]`: "Back" replays to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<[u64; 2]>,
    /// Saved while paused: opens paused, at exactly that moment.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paused: bool,
}

impl Saved {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("saved session serialises")
    }

    /// Whether `text` is a saved session (it has the envelope's `kafkascope` field) rather
    /// than a plain scenario file.
    pub fn is_session(text: &str) -> bool {
        matches!(
            Head::parse(text),
            Ok(Head {
                kafkascope: Some(_)
            })
        )
    }

    /// Parses and checks a saved session; one message names what is wrong.
    pub fn from_json(text: &str) -> Result<Saved, String> {
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(format!(
                "the saved session is {} bytes; the limit is {MAX_SCENARIO_BYTES}",
                text.len()
            ));
        }
        // The envelope's version first, so a newer format gets a clear message.
        match Head::parse(text)?.kafkascope.and_then(|v| v.as_u64()) {
            Some(v) if v == SAVED_VERSION as u64 => {}
            Some(v) => {
                return Err(format!(
                "saved by a newer kafkascope (format {v}); this one reads format {SAVED_VERSION}"
            ))
            }
            None => return Err("not a kafkascope session (no \"kafkascope\" field)".into()),
        }
        let mut saved: Saved =
            serde_json::from_str(text).map_err(|e| format!("invalid session: {e}"))?;
        saved.scenario = saved
            .scenario
            .checked()
            .map_err(|e| format!("scenario: {e}"))?;
        if saved.now_ms > MAX_RUN_MS {
            return Err(format!(
                "now_ms: {} is beyond the {MAX_RUN_MS} ms a session may run",
                saved.now_ms
            ));
        }
        if let Some(bad) = saved
            .marks
            .iter()
            .find(|[n, ms]| *n as usize > saved.scenario.commands.len() || *ms > saved.now_ms)
        {
            return Err(format!("marks: {bad:?} is past the session"));
        }
        Ok(saved)
    }
}

/// Only the envelope's version, read before the rest.
#[derive(Deserialize)]
struct Head {
    kafkascope: Option<serde_json::Number>,
}

impl Head {
    fn parse(text: &str) -> Result<Head, String> {
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))
    }
}

/// A world rebuilt from a scenario: what was applied, and what is still scheduled.
#[derive(Clone, Debug)]
pub struct Restored {
    pub world: World,
    pub history: Vec<TimedCommand>,
    pub pending: VecDeque<TimedCommand>,
}

/// Replays `scenario` to `now_ms`, applying its first `applied` commands (all those due by
/// `now_ms` when `None`); later ones stay scheduled. A refused command is an error naming it.
pub fn restore(
    scenario: &Scenario,
    now_ms: u64,
    applied: Option<usize>,
) -> Result<Restored, String> {
    let mut world = scenario.start()?;
    let mut history = Vec::new();
    let mut pending: VecDeque<TimedCommand> = scenario.commands.iter().cloned().collect();
    while let Some(tc) = pending.front() {
        let due = match applied {
            Some(n) => history.len() < n,
            None => tc.at_ms <= now_ms,
        };
        if !due {
            break;
        }
        let tc = pending.pop_front().expect("front exists");
        world.advance_to(tc.at_ms);
        world.apply(tc.command.clone()).map_err(|e| {
            format!(
                "commands[{}] ({}) at {} ms: {e}",
                history.len(),
                tc.command.kind(),
                tc.at_ms
            )
        })?;
        history.push(tc);
    }
    world.advance_to(now_ms);
    Ok(Restored {
        world,
        history,
        pending,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::presets::preset;

    fn saved(now_ms: u64) -> Saved {
        Saved {
            kafkascope: SAVED_VERSION,
            scenario: preset("consumer-group-scaling").unwrap(),
            now_ms,
            lesson: None,
            step: 0,
            marks: vec![],
            paused: false,
        }
    }

    #[test]
    fn a_session_round_trips_and_replays_to_the_same_world() {
        let s = saved(17_000);
        let back = Saved::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s);
        let a = restore(&s.scenario, s.now_ms, None).unwrap();
        let b = restore(&back.scenario, back.now_ms, None).unwrap();
        assert_eq!(a.world, b.world);
        assert_eq!(a.world.now_ms(), 17_000);
        // Commands after 17 s are still scheduled.
        assert_eq!(a.history.len(), 3);
        assert_eq!(a.pending.len(), 2);
    }

    #[test]
    fn ticking_on_after_a_restore_equals_restoring_later() {
        let s = saved(10_000);
        let mut a = restore(&s.scenario, 10_000, None).unwrap();
        for tc in a.pending.drain(..) {
            a.world.advance_to(tc.at_ms);
            a.world.apply(tc.command).unwrap();
        }
        a.world.advance_to(30_000);
        let b = restore(&s.scenario, 30_000, None).unwrap();
        assert_eq!(a.world, b.world);
    }

    #[test]
    fn bad_sessions_get_one_clear_message() {
        let good = saved(1_000).to_json();
        for (text, expect) in [
            ("{", "not valid JSON"),
            ("{}", "not a kafkascope session"),
            (r#"{"kafkascope":9}"#, "newer kafkascope"),
            (r#"{"kafkascope":1,"now_ms":5}"#, "missing field `scenario`"),
            (
                &good.replace("\"now_ms\":1000", "\"now_ms\":99999999999"),
                "now_ms",
            ),
            (&good.replace("\"seed\"", "\"sead\""), "sead"),
            (&good.replace("\"version\":1", "\"version\":7"), "version"),
        ] {
            let e = Saved::from_json(text).unwrap_err();
            assert!(e.contains(expect), "{text:.60} → {e}");
        }
    }

    #[test]
    fn a_session_is_told_apart_from_a_scenario_file() {
        assert!(Saved::is_session(&saved(0).to_json()));
        let scenario = preset("first-topic").unwrap();
        let mut named = scenario.clone();
        named.name = "kafkascope".into();
        assert!(!Saved::is_session(&scenario.to_json()));
        assert!(!Saved::is_session(&named.to_json()));
        assert!(!Saved::is_session("{ nope"));
    }

    #[test]
    fn a_refused_command_is_named() {
        let mut s = saved(30_000);
        s.scenario.commands[2].command = crate::sim::Command::StopConsumer {
            client_id: "nobody".into(),
        };
        let e = restore(&s.scenario, 30_000, None).unwrap_err();
        assert!(
            e.starts_with("commands[2] (stop_consumer) at 16000 ms"),
            "{e}"
        );
    }
}
