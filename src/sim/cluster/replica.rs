//! The replicas of one partition: leader, followers, ISR and high watermark.
//!
//! Mirrors the broker's `Partition` (`core/src/main/scala/kafka/cluster/Partition.scala`),
//! `Replica` (`core/.../cluster/Replica.scala`) and the controller's `PartitionRegistration`:
//! * every partition has `replication.factor` **replicas**, the first is the *preferred
//!   leader*; one replica is the **leader**, it takes all writes and reads; the others are
//!   **followers** that fetch from it (`ReplicaFetcherThread`) like consumers do;
//! * the **ISR** (in-sync replicas) are the replicas caught up with the leader: a follower
//!   that has not caught up for `replica.lag.time.max.ms` (30000) is removed
//!   (`Partition.maybeShrinkIsr`), one whose log end reaches the high watermark is added back
//!   (`maybeExpandIsr`). The leader proposes, the controller decides (`AlterPartition`). The
//!   ISR is never empty: its last member stays in it even when it dies;
//! * the **high watermark** (HW) is the smallest log end offset (LEO) in the ISR
//!   (`maybeIncrementLeaderHW`): records below it are on every in-sync replica — *committed*.
//!   Consumers read only below it, `acks=all` producers are answered when it passes them;
//! * every leader change bumps the **leader epoch**. Followers of a new leader, and a returning
//!   old leader, truncate records the new leader does not have (KIP-101 leader-epoch
//!   truncation): whatever only a dead leader held is gone.
//!
//! The simulator stores one copy of the records per partition — the leader's log
//! ([`crate::sim::log::PartitionLog`]) — and, per replica, how far its copy reaches. Every
//! replica's copy is a prefix of the leader's, except the tail a dead ex-leader wrote that no
//! one copied (`log_end_offset` beyond `consistent_end_offset`): it is truncated when that
//! broker comes back. Simplifications: all replicas share the leader's log start offset;
//! a follower fetch copies everything up to the leader's LEO at once (no
//! `replica.fetch.max.bytes`).

use super::acks::{Delivery, DeliveryCounts, DeliveryLog, Durability};
use super::broker::BrokerId;
use crate::sim::log::PartitionLog;
use serde::{Deserialize, Serialize};

/// Why a replica left the ISR.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IsrShrinkReason {
    /// Its broker was fenced (missed heartbeats, or re-registered after a restart).
    BrokerFenced,
    /// Its broker is shutting down (controlled shutdown).
    ControlledShutdown,
    /// It did not catch up for `replica.lag.time.max.ms`.
    Lagging,
}

impl IsrShrinkReason {
    pub fn describe(self) -> &'static str {
        match self {
            IsrShrinkReason::BrokerFenced => "its broker was fenced",
            IsrShrinkReason::ControlledShutdown => "its broker is shutting down",
            IsrShrinkReason::Lagging => "not caught up for replica.lag.time.max.ms",
        }
    }
}

/// One broker's copy of a partition (`kafka.cluster.Replica`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Replica {
    pub broker_id: BrokerId,
    /// LEO of this broker's copy.
    pub log_end_offset: u64,
    /// End of the part of this copy that agrees with the partition's history; anything beyond
    /// it was written by this broker while it led and never copied before it lost leadership.
    pub consistent_end_offset: u64,
    /// Last time its LEO reached the leader's (`lastCaughtUpTimeMs`).
    pub last_caught_up_ms: u64,
}

/// Why the last produce attempt to a partition failed (Kafka error codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum ProduceError {
    /// `acks=all` while the ISR is smaller than `min.insync.replicas`.
    NotEnoughReplicas,
    /// No leader: the partition is offline.
    LeaderNotAvailable,
    /// The leader's broker died and has not been fenced yet: requests time out.
    RequestTimedOut,
    /// `acks=all` records reached the HW while the ISR was below `min.insync.replicas`.
    NotEnoughReplicasAfterAppend,
}

impl ProduceError {
    pub fn code(self) -> &'static str {
        match self {
            ProduceError::NotEnoughReplicas => "NOT_ENOUGH_REPLICAS",
            ProduceError::LeaderNotAvailable => "LEADER_NOT_AVAILABLE",
            ProduceError::RequestTimedOut => "REQUEST_TIMED_OUT",
            ProduceError::NotEnoughReplicasAfterAppend => "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
        }
    }
}

/// What a leader change cut from the log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Truncation {
    /// Offsets `[from, to)` are gone.
    pub from: u64,
    pub to: u64,
    pub cut: DeliveryCounts,
}

/// The replica set of one partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionReplicas {
    /// In assignment order: the first is the preferred leader.
    pub replicas: Vec<Replica>,
    /// In-sync replicas, in assignment order.
    pub isr: Vec<BrokerId>,
    /// `None`: offline (no eligible replica).
    pub leader: Option<BrokerId>,
    pub leader_epoch: u32,
    pub high_watermark: u64,
    /// What became of the records produced here.
    pub durability: Durability,
    /// Highest LEO the partition ever had (committed offsets may point up to it after an
    /// unclean election cut the log).
    pub max_log_end_offset: u64,
    #[serde(skip)]
    pub(crate) delivery: DeliveryLog,
    #[serde(skip)]
    pub(crate) last_produce_error: Option<ProduceError>,
}

impl PartitionReplicas {
    /// A new partition on `assignment` with logs ending at `log_end_offset`: everyone in sync,
    /// the preferred replica leads.
    pub fn new(assignment: &[BrokerId], log_end_offset: u64, now_ms: u64) -> Self {
        debug_assert!(!assignment.is_empty());
        PartitionReplicas {
            replicas: assignment
                .iter()
                .map(|&b| Replica {
                    broker_id: b,
                    log_end_offset,
                    consistent_end_offset: log_end_offset,
                    last_caught_up_ms: now_ms,
                })
                .collect(),
            isr: assignment.to_vec(),
            leader: assignment.first().copied(),
            leader_epoch: 0,
            high_watermark: log_end_offset,
            durability: Durability::default(),
            max_log_end_offset: log_end_offset,
            delivery: DeliveryLog::new(log_end_offset),
            last_produce_error: None,
        }
    }

    pub fn replication_factor(&self) -> usize {
        self.replicas.len()
    }

    pub fn preferred_leader(&self) -> BrokerId {
        self.replicas[0].broker_id
    }

    pub fn brokers(&self) -> impl Iterator<Item = BrokerId> + '_ {
        self.replicas.iter().map(|r| r.broker_id)
    }

    pub fn replica(&self, broker: BrokerId) -> Option<&Replica> {
        self.replicas.iter().find(|r| r.broker_id == broker)
    }

    pub(crate) fn replica_mut(&mut self, broker: BrokerId) -> Option<&mut Replica> {
        self.replicas.iter_mut().find(|r| r.broker_id == broker)
    }

    pub fn is_in_sync(&self, broker: BrokerId) -> bool {
        self.isr.contains(&broker)
    }

    /// LEO of the leader's log (`None` when offline).
    pub fn leader_log_end_offset(&self) -> Option<u64> {
        self.leader
            .and_then(|l| self.replica(l))
            .map(|r| r.log_end_offset)
    }

    /// `acks=all` records appended but not yet acknowledged.
    pub fn awaiting_acks(&self) -> u64 {
        self.delivery
            .count(self.high_watermark, self.delivery.end())
            .awaiting
    }

    /// The leader appended a record at `offset` (its LEO is now `offset + 1`).
    pub(crate) fn on_append(&mut self, offset: u64, delivery: Delivery, min_insync: u32) {
        let leader = self.leader.expect("append needs a leader");
        let r = self.replica_mut(leader).expect("leader is a replica");
        debug_assert_eq!(
            r.log_end_offset, offset,
            "leader LEO out of step with its log"
        );
        r.log_end_offset = offset + 1;
        r.consistent_end_offset = offset + 1;
        self.max_log_end_offset = self.max_log_end_offset.max(offset + 1);
        self.durability.appended += 1;
        self.last_produce_error = None;
        if self.isr.len() == 1 {
            // The leader is the whole ISR: the HW follows its LEO at once (the fast path of
            // every single-replica partition).
            debug_assert_eq!(self.isr[0], leader);
            debug_assert_eq!(self.high_watermark, offset);
            let state = match delivery {
                Delivery::AwaitingHighWatermark if min_insync > 1 => Delivery::Failed,
                Delivery::AwaitingHighWatermark => Delivery::Acknowledged,
                other => other,
            };
            match state {
                Delivery::Acknowledged => self.durability.acknowledged += 1,
                Delivery::Failed => self.durability.failed += 1,
                _ => {}
            }
            self.delivery.push(offset, state);
            self.high_watermark = offset + 1;
        } else {
            if delivery == Delivery::Acknowledged {
                self.durability.acknowledged += 1;
            }
            self.delivery.push(offset, delivery);
            self.maybe_increment_high_watermark(min_insync);
        }
        if self.delivery.run_count() > 32 {
            self.prune_delivery();
        }
    }

    /// `maybeIncrementLeaderHW`: HW = min LEO over the ISR (never backwards here). Answers the
    /// `acks=all` requests it passes; returns how many failed with
    /// `NOT_ENOUGH_REPLICAS_AFTER_APPEND` (the ISR shrank below `min.insync.replicas`).
    pub(crate) fn maybe_increment_high_watermark(&mut self, min_insync: u32) -> u64 {
        let Some(min_leo) = self
            .isr
            .iter()
            .filter_map(|&b| self.replica(b).map(|r| r.log_end_offset))
            .min()
        else {
            return 0;
        };
        if min_leo <= self.high_watermark {
            return 0;
        }
        let (from, to) = (self.high_watermark, min_leo);
        self.high_watermark = min_leo;
        let outcome = if self.isr.len() >= min_insync as usize {
            Delivery::Acknowledged
        } else {
            Delivery::Failed
        };
        let n = self
            .delivery
            .transition(from, to, Delivery::AwaitingHighWatermark, outcome);
        if outcome == Delivery::Acknowledged {
            self.durability.acknowledged += n;
            0
        } else {
            self.durability.failed += n;
            n
        }
    }

    /// A follower's fetch came back: it copied everything up to the leader's LEO.
    pub(crate) fn follower_fetched(&mut self, broker: BrokerId, now_ms: u64) {
        let Some(leo) = self.leader_log_end_offset() else {
            return;
        };
        if let Some(r) = self.replica_mut(broker) {
            r.log_end_offset = leo;
            r.consistent_end_offset = leo;
            r.last_caught_up_ms = now_ms;
        }
    }

    /// Removes `broker` from the ISR unless it is the last member; `true` if it was removed.
    pub(crate) fn shrink_isr(&mut self, broker: BrokerId) -> bool {
        if self.isr.len() > 1 && self.isr.contains(&broker) {
            self.isr.retain(|&b| b != broker);
            true
        } else {
            false
        }
    }

    /// Adds `broker` back to the ISR (kept in assignment order).
    pub(crate) fn expand_isr(&mut self, broker: BrokerId) {
        if self.isr.contains(&broker) {
            return;
        }
        // Insert before the first ISR member that comes later in the assignment (no sort: one
        // less generic sort in the page's wasm).
        let rank = |b: BrokerId| self.replicas.iter().position(|r| r.broker_id == b);
        let at = self
            .isr
            .iter()
            .position(|&b| rank(b) > rank(broker))
            .unwrap_or(self.isr.len());
        self.isr.insert(at, broker);
    }

    /// Makes `new_leader` the leader (or takes the partition offline with `None`), bumping the
    /// leader epoch. If the new leader's log is shorter than the old leader's, the difference
    /// is truncated from `log` and from every copy; an unclean leader also sets the ISR to
    /// itself and may pull the HW back. Returns what was cut.
    pub(crate) fn change_leader(
        &mut self,
        new_leader: Option<BrokerId>,
        unclean: bool,
        log: Option<&mut PartitionLog>,
    ) -> Option<Truncation> {
        if new_leader == self.leader {
            return None;
        }
        self.leader = new_leader;
        self.leader_epoch += 1;
        let new_leader = new_leader?;
        if unclean {
            self.isr = vec![new_leader];
        }
        let new_leo = self.replica(new_leader)?.log_end_offset;
        let old_leo = self.delivery.end();
        let cut = self.delivery.truncate(new_leo);
        for r in &mut self.replicas {
            r.consistent_end_offset = r.consistent_end_offset.min(new_leo);
        }
        self.high_watermark = self.high_watermark.min(new_leo);
        if let Some(log) = log {
            log.truncate_to(new_leo);
        }
        if new_leo >= old_leo {
            return None;
        }
        self.durability.lost_acknowledged += cut.acknowledged;
        self.durability.lost_unacknowledged += cut.fire_and_forget;
        self.durability.failed += cut.awaiting;
        Some(Truncation {
            from: new_leo,
            to: old_leo,
            cut,
        })
    }

    /// A replica on a serving broker drops what disagrees with the leader (a follower of a new
    /// leader, or a returning ex-leader); returns `(from, to)` if it cut anything.
    pub(crate) fn truncate_divergent(&mut self, broker: BrokerId) -> Option<(u64, u64)> {
        let r = self.replica_mut(broker)?;
        if r.log_end_offset > r.consistent_end_offset {
            let from = r.log_end_offset;
            r.log_end_offset = r.consistent_end_offset;
            Some((from, r.consistent_end_offset))
        } else {
            None
        }
    }

    /// Forgets delivery states no truncation can reach any more.
    pub(crate) fn prune_delivery(&mut self) {
        let floor = self
            .replicas
            .iter()
            .map(|r| r.consistent_end_offset)
            .min()
            .unwrap_or(0)
            .min(self.high_watermark);
        self.delivery.prune(floor);
    }

    /// The partition's own invariants; `Err` names the broken one.
    pub fn check(&self, log_end_offset: Option<u64>) -> Result<(), String> {
        if self.isr.is_empty() {
            return Err("empty ISR".into());
        }
        for b in &self.isr {
            let Some(r) = self.replica(*b) else {
                return Err(format!("ISR member {b} is not a replica"));
            };
            if r.log_end_offset < self.high_watermark {
                return Err(format!(
                    "high watermark {} beyond the LEO {} of ISR member {b}",
                    self.high_watermark, r.log_end_offset
                ));
            }
        }
        let mut seen: Vec<BrokerId> = self.brokers().collect();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() != self.replicas.len() {
            return Err("a broker holds two replicas".into());
        }
        if let Some(l) = self.leader {
            if !self.isr.contains(&l) {
                return Err(format!("leader {l} is not in the ISR {:?}", self.isr));
            }
            let leo = self.leader_log_end_offset().unwrap_or(0);
            if let Some(log_leo) = log_end_offset {
                if log_leo != leo {
                    return Err(format!("leader LEO {leo} but the log ends at {log_leo}"));
                }
            }
            if self.high_watermark > leo {
                return Err(format!(
                    "high watermark {} beyond leader LEO {leo}",
                    self.high_watermark
                ));
            }
            for r in &self.replicas {
                if r.consistent_end_offset > leo {
                    return Err(format!(
                        "broker {} agrees with the leader beyond its LEO",
                        r.broker_id
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_watermark_is_the_smallest_leo_in_the_isr() {
        let mut p = PartitionReplicas::new(&[1, 2, 3], 0, 0);
        for o in 0..5 {
            p.on_append(o, Delivery::AwaitingHighWatermark, 2);
        }
        assert_eq!(p.high_watermark, 0, "followers have not fetched yet");
        p.follower_fetched(2, 10);
        p.maybe_increment_high_watermark(2);
        assert_eq!(
            p.high_watermark, 0,
            "broker 3 is in the ISR and has nothing"
        );
        p.follower_fetched(3, 10);
        p.maybe_increment_high_watermark(2);
        assert_eq!(p.high_watermark, 5);
        assert_eq!(p.durability.acknowledged, 5);
    }

    #[test]
    fn the_last_isr_member_stays() {
        let mut p = PartitionReplicas::new(&[1, 2], 0, 0);
        assert!(p.shrink_isr(2));
        assert!(!p.shrink_isr(1));
        assert_eq!(p.isr, vec![1]);
        p.expand_isr(2);
        assert_eq!(p.isr, vec![1, 2]);
    }

    #[test]
    fn a_shorter_new_leader_cuts_acks1_records() {
        let mut p = PartitionReplicas::new(&[1, 2], 0, 0);
        p.on_append(0, Delivery::Acknowledged, 1);
        p.follower_fetched(2, 1);
        p.on_append(1, Delivery::Acknowledged, 1);
        p.on_append(2, Delivery::Acknowledged, 1);
        let t = p.change_leader(Some(2), false, None).unwrap();
        assert_eq!((t.from, t.to, t.cut.acknowledged), (1, 3, 2));
        assert_eq!(p.durability.lost_acknowledged, 2);
        assert_eq!(p.replica(1).unwrap().consistent_end_offset, 1);
        assert_eq!(p.truncate_divergent(1), Some((3, 1)));
    }
}
