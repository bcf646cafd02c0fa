//! Producer `acks` and what became of every record a producer sent: durability, counted.
//!
//! `acks` is a producer setting (`ProducerConfig.ACKS_CONFIG`, default `all` since Kafka 3.0):
//! * `acks=0` — fire and forget: the producer never hears back. A record sent to a partition
//!   without a leader, or truncated later, is gone and nobody is told.
//! * `acks=1` — the leader answers as soon as the record is in *its* log. If the leader dies
//!   before a follower copied the record, the new leader's log is shorter: an acknowledged
//!   record is lost (the old leader truncates it when it comes back).
//! * `acks=all` (`-1`) — the leader answers once the record is below the **high watermark**,
//!   i.e. every in-sync replica has it; with `min.insync.replicas` the append itself is refused
//!   (`NOT_ENOUGH_REPLICAS`) while the ISR is smaller than that. Only an unclean leader
//!   election can then lose an acknowledged record.
//!
//! On the broker the waiting `acks=all` requests sit in the produce purgatory
//! (`DelayedProduce.tryComplete`, `Partition.checkEnoughReplicasReachOffset`): when the high
//! watermark passes them they succeed — or fail with `NOT_ENOUGH_REPLICAS_AFTER_APPEND` if the
//! ISR shrank below `min.insync.replicas` meanwhile.
//!
//! The simulator keeps, per partition, a run-length list of *delivery states* over the offsets
//! that could still be truncated ([`DeliveryLog`]) and counters ([`Durability`]), so a lesson
//! can say "acks=1 lost 37 acknowledged records, acks=all lost none" without one event per
//! record. Simplification: a producer does not retry (Java's idempotent producer retries
//! failed batches until `delivery.timeout.ms`); a failure is counted and reported once.

use serde::{Deserialize, Serialize};

/// The producer's `acks` setting. JSON: `"0"`, `"1"` or `"all"` (`"-1"` is accepted too).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Acks {
    #[serde(rename = "0")]
    Zero,
    #[serde(rename = "1")]
    One,
    /// Kafka's default since 3.0.
    #[default]
    #[serde(rename = "all", alias = "-1")]
    All,
}

impl Acks {
    /// The setting spelled as Kafka spells it: `"0"`, `"1"`, `"all"` (or `"-1"`).
    pub fn parse(text: &str) -> Option<Acks> {
        match text {
            "0" => Some(Acks::Zero),
            "1" => Some(Acks::One),
            "all" | "-1" => Some(Acks::All),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Acks::Zero => "0",
            Acks::One => "1",
            Acks::All => "all",
        }
    }
}

/// What the producer knows about one appended record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// `acks=0`: written, never acknowledged.
    FireAndForget,
    /// The producer got a success (`acks=1` at append, `acks=all` once below the HW).
    Acknowledged,
    /// `acks=all`, waiting for the high watermark.
    AwaitingHighWatermark,
    /// The producer got an error although the record may be in the log
    /// (`NOT_ENOUGH_REPLICAS_AFTER_APPEND`).
    Failed,
}

impl Delivery {
    pub fn for_acks(acks: Acks) -> Self {
        match acks {
            Acks::Zero => Delivery::FireAndForget,
            Acks::One => Delivery::Acknowledged,
            Acks::All => Delivery::AwaitingHighWatermark,
        }
    }
}

/// Counters of one partition (summed per topic in the summary).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Durability {
    /// Records written to a leader's log.
    pub appended: u64,
    /// Records whose producer got a success.
    pub acknowledged: u64,
    /// Records whose producer got an error (`NOT_ENOUGH_REPLICAS`, no leader, leader
    /// unreachable, or an `acks=all` record truncated before it was acknowledged).
    pub failed: u64,
    /// Acknowledged records that were later truncated away: data loss nobody was told about.
    pub lost_acknowledged: u64,
    /// `acks=0` records that never made it or were truncated: silently lost.
    pub lost_unacknowledged: u64,
}

impl Durability {
    pub fn add(&mut self, other: &Durability) {
        self.appended += other.appended;
        self.acknowledged += other.acknowledged;
        self.failed += other.failed;
        self.lost_acknowledged += other.lost_acknowledged;
        self.lost_unacknowledged += other.lost_unacknowledged;
    }
}

/// How many records of each delivery state a range holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryCounts {
    pub fire_and_forget: u64,
    pub acknowledged: u64,
    pub awaiting: u64,
    pub failed: u64,
}

impl DeliveryCounts {
    fn add(&mut self, state: Delivery, n: u64) {
        match state {
            Delivery::FireAndForget => self.fire_and_forget += n,
            Delivery::Acknowledged => self.acknowledged += n,
            Delivery::AwaitingHighWatermark => self.awaiting += n,
            Delivery::Failed => self.failed += n,
        }
    }

    pub fn total(&self) -> u64 {
        self.fire_and_forget + self.acknowledged + self.awaiting + self.failed
    }
}

/// Delivery states of offsets `[start, end)` as runs `(first offset, state)`, sorted; a run
/// lasts until the next one starts (the last until `end`). Offsets below `start` are safe from
/// truncation and forgotten. Appends of one kind extend the last run, so the list stays short.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryLog {
    runs: Vec<(u64, Delivery)>,
    end: u64,
}

impl DeliveryLog {
    pub fn new(end: u64) -> Self {
        DeliveryLog {
            runs: Vec::new(),
            end,
        }
    }

    pub fn end(&self) -> u64 {
        self.end
    }

    /// Number of runs kept (bounded by pruning).
    pub fn run_count(&self) -> usize {
        self.runs.len()
    }

    /// Records the state of the record at `offset` (which must be the end).
    pub fn push(&mut self, offset: u64, state: Delivery) {
        debug_assert_eq!(offset, self.end, "delivery log out of step with the log");
        if self.runs.last().is_none_or(|&(_, s)| s != state) {
            self.runs.push((offset, state));
        }
        self.end = offset + 1;
    }

    fn run_end(&self, i: usize) -> u64 {
        self.runs.get(i + 1).map_or(self.end, |r| r.0)
    }

    /// Counts states in `[from, to)`.
    pub fn count(&self, from: u64, to: u64) -> DeliveryCounts {
        let mut out = DeliveryCounts::default();
        for (i, &(start, state)) in self.runs.iter().enumerate().rev() {
            let end = self.run_end(i);
            if end <= from {
                break;
            }
            let (a, b) = (start.max(from), end.min(to));
            if a < b {
                out.add(state, b - a);
            }
        }
        out
    }

    /// Splits so that a run starts exactly at `at` (if `at` is inside the kept range).
    fn split_at(&mut self, at: u64) {
        if at >= self.end {
            return;
        }
        let i = match self.runs.binary_search_by(|r| r.0.cmp(&at)) {
            Ok(_) => return,
            Err(0) => return,
            Err(i) => i - 1,
        };
        let state = self.runs[i].1;
        self.runs.insert(i + 1, (at, state));
    }

    fn merge(&mut self) {
        self.runs.dedup_by(|b, a| a.1 == b.1);
    }

    /// Turns every `from` state in `[from_offset, to_offset)` into `to`; returns how many.
    pub fn transition(
        &mut self,
        from_offset: u64,
        to_offset: u64,
        from: Delivery,
        to: Delivery,
    ) -> u64 {
        let to_offset = to_offset.min(self.end);
        if from_offset >= to_offset {
            return 0;
        }
        self.split_at(from_offset);
        self.split_at(to_offset);
        let mut n = 0;
        for i in 0..self.runs.len() {
            let (start, state) = self.runs[i];
            let end = self.run_end(i);
            if start >= from_offset && end <= to_offset && state == from {
                self.runs[i].1 = to;
                n += end - start;
            }
        }
        self.merge();
        n
    }

    /// Forgets offsets `≥ to` (the log was truncated there); returns what they were.
    pub fn truncate(&mut self, to: u64) -> DeliveryCounts {
        if to >= self.end {
            return DeliveryCounts::default();
        }
        let counts = self.count(to, self.end);
        self.split_at(to);
        self.runs.retain(|r| r.0 < to);
        self.end = to;
        counts
    }

    /// Forgets offsets below `below` (no truncation can reach them any more).
    pub fn prune(&mut self, below: u64) {
        let keep_from = self
            .runs
            .iter()
            .enumerate()
            .rev()
            .find(|&(_, r)| r.0 <= below)
            .map_or(0, |(i, _)| i);
        if keep_from > 0 {
            self.runs.drain(..keep_from);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acks_parse_their_own_names_and_nothing_else() {
        for a in [Acks::Zero, Acks::One, Acks::All] {
            assert_eq!(Acks::parse(a.name()), Some(a));
        }
        assert_eq!(Acks::parse("-1"), Some(Acks::All));
        assert_eq!(Acks::parse("2"), None);
    }

    fn log(states: &[(Delivery, u64)]) -> DeliveryLog {
        let mut l = DeliveryLog::new(0);
        for &(s, n) in states {
            for _ in 0..n {
                l.push(l.end(), s);
            }
        }
        l
    }

    #[test]
    fn runs_stay_short_and_count_by_state() {
        let l = log(&[
            (Delivery::Acknowledged, 5),
            (Delivery::FireAndForget, 3),
            (Delivery::Acknowledged, 2),
        ]);
        assert_eq!(l.run_count(), 3);
        let c = l.count(3, 9);
        assert_eq!((c.acknowledged, c.fire_and_forget), (3, 3));
    }

    #[test]
    fn high_watermark_acknowledges_awaiting_records() {
        let mut l = log(&[
            (Delivery::Acknowledged, 4),
            (Delivery::AwaitingHighWatermark, 6),
        ]);
        let n = l.transition(
            4,
            7,
            Delivery::AwaitingHighWatermark,
            Delivery::Acknowledged,
        );
        assert_eq!(n, 3);
        assert_eq!(l.count(0, 10).acknowledged, 7);
        assert_eq!(l.count(0, 10).awaiting, 3);
        assert_eq!(l.run_count(), 2, "merged with the acknowledged run");
    }

    #[test]
    fn truncation_reports_what_was_cut() {
        let mut l = log(&[(Delivery::Acknowledged, 4), (Delivery::FireAndForget, 4)]);
        let cut = l.truncate(2);
        assert_eq!((cut.acknowledged, cut.fire_and_forget), (2, 4));
        assert_eq!(l.end(), 2);
        l.push(2, Delivery::FireAndForget);
        assert_eq!(l.count(0, 3).fire_and_forget, 1);
    }

    #[test]
    fn pruning_keeps_the_run_holding_the_boundary() {
        let mut l = log(&[
            (Delivery::Acknowledged, 4),
            (Delivery::FireAndForget, 4),
            (Delivery::Acknowledged, 4),
        ]);
        l.prune(6);
        assert_eq!(l.run_count(), 2);
        assert_eq!(l.count(6, 12).fire_and_forget, 2);
    }

    #[test]
    fn acks_json_uses_kafkas_values() {
        assert_eq!(serde_json::to_string(&Acks::All).unwrap(), "\"all\"");
        assert_eq!(serde_json::from_str::<Acks>("\"1\"").unwrap(), Acks::One);
        assert_eq!(serde_json::from_str::<Acks>("\"-1\"").unwrap(), Acks::All);
    }
}
