//! What the active controller does to partitions: elect leaders, change ISRs, react to brokers
//! leaving and joining, and move leadership back to preferred replicas.
//!
//! Mirrors `ReplicationControlManager` in the KRaft controller (apache/kafka
//! `metadata/src/main/java/org/apache/kafka/controller/ReplicationControlManager.java`):
//! * `handleBrokerFenced` / `handleBrokerInControlledShutdown` →
//!   `generateLeaderAndIsrUpdates(brokerToRemove = b)`: b leaves every ISR (never emptying
//!   one) and every partition it led gets a new leader ([`super::election`]) — or none:
//!   the partition is **offline**;
//! * `handleBrokerUnfenced` → `generateLeaderAndIsrUpdates(brokerToAdd = b)` over the
//!   leaderless partitions: b's return can bring them back (or, with
//!   `unclean.leader.election.enable`, lead them uncleanly);
//! * `AlterPartition` from leaders: ISR shrink for followers behind for
//!   `replica.lag.time.max.ms`, ISR expansion for followers that caught up;
//! * `auto.leader.rebalance.enable` (default true): every `leader.imbalance.check.interval.seconds`
//!   (300), for each broker whose share of not-led preferred partitions exceeds
//!   `leader.imbalance.per.broker.percentage` (10), elect the preferred replica where it is
//!   in sync (`QuorumController.maybeScheduleNextBalancePartitionLeaders`).
//!
//! The follower fetch loop itself (`ReplicaFetcherThread`) is [`replication_round`].

use super::broker::{serving, Broker, BrokerId};
use super::election::{elect_leader, Election, LeaderElection};
use super::replica::{IsrShrinkReason, PartitionReplicas, ProduceError};
use crate::sim::event::Event;
use crate::sim::log::PartitionLog;

/// One partition as the controller sees it: its replica set, and (for user topics) its log
/// and the topic configs elections need. `topic: None` is a `__consumer_offsets` partition,
/// which has no log here and makes no events (the group coordinator events tell its story).
pub struct PartitionMut<'a> {
    pub topic: Option<&'a str>,
    pub partition: u32,
    pub replicas: &'a mut PartitionReplicas,
    pub log: Option<&'a mut PartitionLog>,
    pub unclean_leader_election_enable: bool,
    pub min_insync_replicas: u32,
}

/// Who acts, when, on which brokers; where events go.
pub struct ControllerCtx<'a> {
    pub brokers: &'a [Broker],
    pub controller: BrokerId,
    pub now_ms: u64,
    pub out: &'a mut Vec<Event>,
}

/// A change to apply to partitions.
#[derive(Clone, Copy, Debug)]
pub struct Change {
    /// The broker leaving ISRs and leadership, and why.
    pub remove: Option<(BrokerId, IsrShrinkReason)>,
    /// A broker that counts as acceptable although not yet unfenced.
    pub add: Option<BrokerId>,
    /// Preferred-leader election instead of online / unclean.
    pub preferred: bool,
    /// Unclean election even where the topic does not allow it (`kafka-leader-election
    /// --election-type UNCLEAN`).
    pub unclean: bool,
}

impl Change {
    /// Elect where needed, remove nobody.
    pub const NONE: Change = Change {
        remove: None,
        add: None,
        preferred: false,
        unclean: false,
    };
}

/// `generateLeaderAndIsrUpdates` over the partitions `only` selects; returns how many user-topic
/// partitions `remove` stopped leading.
pub fn update_leader_and_isr(
    parts: &mut [PartitionMut],
    ctx: &mut ControllerCtx,
    change: Change,
    only: &dyn Fn(&PartitionReplicas) -> bool,
) -> u32 {
    let remove_id = change.remove.map(|r| r.0);
    let brokers = ctx.brokers;
    let acceptable =
        |b: BrokerId| Some(b) != remove_id && (Some(b) == change.add || serving(brokers, b));
    let mut moved = 0;
    for part in parts.iter_mut() {
        if !only(part.replicas) {
            continue;
        }
        let p = &mut *part.replicas;
        let mut target_isr = p.isr.clone();
        if let Some(r) = remove_id {
            if target_isr.len() > 1 {
                target_isr.retain(|&b| b != r);
            }
        }
        let election = if change.preferred {
            Election::Preferred
        } else if change.unclean || part.unclean_leader_election_enable {
            Election::Unclean
        } else {
            Election::Online
        };
        let result = elect_leader(p, &target_isr, &acceptable, election);
        let previous = p.leader;
        let isr_before = p.isr.clone();
        if result.leader != previous {
            let truncation =
                p.change_leader(result.leader, result.unclean, part.log.as_deref_mut());
            if !result.unclean {
                p.isr = target_isr;
            }
            // Followers of the new leader drop what it does not have (leader-epoch truncation).
            for b in p.brokers().collect::<Vec<_>>() {
                if Some(b) != result.leader && (serving(brokers, b) || Some(b) == change.add) {
                    p.truncate_divergent(b);
                }
            }
            if previous.is_some() && previous == remove_id && part.topic.is_some() {
                moved += 1;
            }
            if let Some(topic) = part.topic {
                let kind = if result.unclean {
                    LeaderElection::Unclean
                } else if change.preferred && result.leader == Some(p.preferred_leader()) {
                    LeaderElection::Preferred
                } else {
                    LeaderElection::Clean
                };
                ctx.out.push(Event::LeaderElected {
                    topic: topic.to_string(),
                    partition: part.partition,
                    leader: result.leader,
                    previous,
                    leader_epoch: p.leader_epoch,
                    controller: ctx.controller,
                    election: kind,
                });
                if let (Some(t), Some(leader)) = (truncation, result.leader) {
                    ctx.out.push(Event::RecordsLost {
                        topic: topic.to_string(),
                        partition: part.partition,
                        from: t.from,
                        to: t.to,
                        leader,
                        unclean: result.unclean,
                        acknowledged: t.cut.acknowledged,
                        unacknowledged: t.cut.fire_and_forget,
                        awaiting: t.cut.awaiting,
                    });
                }
            }
        } else {
            p.isr = target_isr;
        }
        if let (Some(topic), Some((r, reason))) = (part.topic, change.remove) {
            if isr_before.contains(&r) && !p.isr.contains(&r) && !result.unclean {
                ctx.out.push(Event::IsrShrunk {
                    topic: topic.to_string(),
                    partition: part.partition,
                    broker_id: r,
                    isr: p.isr.clone(),
                    reason,
                });
            }
        }
        advance_high_watermark(part, ctx.out);
    }
    moved
}

/// HW after a change; reports `acks=all` records that reached it with too small an ISR.
fn advance_high_watermark(part: &mut PartitionMut, out: &mut Vec<Event>) {
    let failed = part
        .replicas
        .maybe_increment_high_watermark(part.min_insync_replicas);
    let error = ProduceError::NotEnoughReplicasAfterAppend;
    if failed > 0 && part.replicas.last_produce_error != Some(error) {
        part.replicas.last_produce_error = Some(error);
        if let Some(topic) = part.topic {
            out.push(Event::ProduceFailed {
                topic: topic.to_string(),
                partition: part.partition,
                error: error.code().to_string(),
                records: failed,
                acks: super::acks::Acks::All,
            });
        }
    }
}

/// One round of follower fetches (`ReplicaFetcherThread`), and the leaders' ISR proposals
/// (`AlterPartition`), which only an active controller can accept.
pub fn replication_round(
    parts: &mut [PartitionMut],
    brokers: &[Broker],
    controller: Option<BrokerId>,
    now_ms: u64,
    replica_lag_time_max_ms: u64,
    out: &mut Vec<Event>,
) {
    for part in parts.iter_mut() {
        let p = &mut *part.replicas;
        let Some(leader) = p.leader.filter(|&l| serving(brokers, l)) else {
            continue;
        };
        if p.replicas.len() == 1 {
            continue;
        }
        let followers: Vec<BrokerId> = p.brokers().filter(|&b| b != leader).collect();
        for &b in &followers {
            if serving(brokers, b) {
                p.truncate_divergent(b);
                p.follower_fetched(b, now_ms);
            }
        }
        if controller.is_some() {
            for &b in &followers {
                let Some((leo, last_caught_up_ms)) = p
                    .replica(b)
                    .map(|r| (r.log_end_offset, r.last_caught_up_ms))
                else {
                    continue;
                };
                let caught_up =
                    serving(brokers, b) && leo >= p.high_watermark && last_caught_up_ms == now_ms;
                if !p.is_in_sync(b) && caught_up {
                    p.expand_isr(b);
                    if let Some(topic) = part.topic {
                        out.push(Event::IsrExpanded {
                            topic: topic.to_string(),
                            partition: part.partition,
                            broker_id: b,
                            isr: p.isr.clone(),
                        });
                    }
                } else if p.is_in_sync(b)
                    && now_ms.saturating_sub(last_caught_up_ms) > replica_lag_time_max_ms
                    && p.shrink_isr(b)
                {
                    if let Some(topic) = part.topic {
                        out.push(Event::IsrShrunk {
                            topic: topic.to_string(),
                            partition: part.partition,
                            broker_id: b,
                            isr: p.isr.clone(),
                            reason: IsrShrinkReason::Lagging,
                        });
                    }
                }
            }
        }
        advance_high_watermark(part, out);
        part.replicas.prune_delivery();
    }
}

/// `auto.leader.rebalance.enable`: preferred elections for brokers over the imbalance ratio.
pub fn rebalance_preferred_leaders(
    parts: &mut [PartitionMut],
    ctx: &mut ControllerCtx,
    imbalance_percentage: u32,
) {
    let n = ctx.brokers.len();
    let (mut preferred, mut not_led) = (vec![0u64; n + 1], vec![0u64; n + 1]);
    for part in parts.iter() {
        let b = part.replicas.preferred_leader() as usize;
        if b <= n {
            preferred[b] += 1;
            if part.replicas.leader != Some(b as BrokerId) {
                not_led[b] += 1;
            }
        }
    }
    let over: Vec<bool> = (0..=n)
        .map(|b| preferred[b] > 0 && not_led[b] * 100 > imbalance_percentage as u64 * preferred[b])
        .collect();
    if !over.iter().any(|&o| o) {
        return;
    }
    let brokers = ctx.brokers;
    let eligible = |p: &PartitionReplicas| {
        let b = p.preferred_leader();
        over.get(b as usize).copied().unwrap_or(false)
            && p.leader != Some(b)
            && p.is_in_sync(b)
            && serving(brokers, b)
    };
    update_leader_and_isr(
        parts,
        ctx,
        Change {
            preferred: true,
            ..Change::NONE
        },
        &eligible,
    );
}
