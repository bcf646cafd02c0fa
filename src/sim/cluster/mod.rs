//! The cluster: brokers, the KRaft controller quorum, and the replicas of every partition.
//!
//! A Kafka cluster is a handful of brokers (`node.id` 1, 2, 3 …). Each partition has
//! `replication.factor` copies on different brokers ([`placement`]); one copy leads, the others
//! follow ([`replica`]); the active controller ([`quorum`]) decides who leads and who is in
//! sync ([`controller`], [`election`]) and fences brokers that stop heartbeating
//! ([`broker`]). Producers choose how much of that to wait for ([`acks`]); groups find their
//! coordinator through the internal `__consumer_offsets` topic ([`coordinator`]).
//!
//! The default world is one broker and replication factor 1 — a single copy, so the high
//! watermark equals the log end offset at once and nothing here changes what a learner sees.
//!
//! Randomness (replica placement, controller elections) comes from its own seeded stream,
//! so adding a cluster feature never shifts the producer's or the group's random choices.

pub mod acks;
pub mod broker;
pub mod controller;
pub mod coordinator;
pub mod election;
pub mod placement;
pub mod quorum;
pub mod replica;

use crate::sim::event::Event;
use crate::sim::rng::Rng;
use crate::sim::topic::Topic;
use crate::sim::world::WorldConfig;
use broker::{Broker, BrokerId, BrokerProcess};
use controller::{Change, ControllerCtx, PartitionMut};
use quorum::{ControllerQuorum, QuorumChange};
use replica::{IsrShrinkReason, PartitionReplicas};

/// Salt of the cluster's random stream (the world's seed xor this).
const CLUSTER_STREAM: u64 = 0x6b61_666b_6173_6361;

/// Brokers, controller quorum and `__consumer_offsets`; user topics keep their replica sets
/// next to their logs ([`Topic::replicas`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    brokers: Vec<Broker>,
    quorum: ControllerQuorum,
    offsets_topic: Vec<PartitionReplicas>,
    rng: Rng,
    next_fetch_ms: u64,
    next_rebalance_ms: u64,
    elections_pending: bool,
}

/// Every partition of the user topics and of `__consumer_offsets`, for the controller.
fn partitions<'a>(
    topics: &'a mut [&mut Topic],
    offsets_topic: &'a mut [PartitionReplicas],
) -> Vec<PartitionMut<'a>> {
    let mut out = Vec::new();
    for t in topics.iter_mut() {
        let Topic {
            name,
            config,
            partitions,
            replicas,
        } = &mut **t;
        for (p, (replicas, log)) in replicas.iter_mut().zip(partitions.iter_mut()).enumerate() {
            out.push(PartitionMut {
                topic: Some(name.as_str()),
                partition: p as u32,
                replicas,
                log: Some(log),
                unclean_leader_election_enable: config.unclean_leader_election_enable,
                min_insync_replicas: config.min_insync_replicas,
            });
        }
    }
    for (p, replicas) in offsets_topic.iter_mut().enumerate() {
        out.push(PartitionMut {
            topic: None,
            partition: p as u32,
            replicas,
            log: None,
            unclean_leader_election_enable: false,
            min_insync_replicas: 1,
        });
    }
    out
}

impl Cluster {
    pub fn new(config: &WorldConfig) -> Self {
        let n = config.brokers;
        let mut rng = Rng::new(config.seed ^ CLUSTER_STREAM);
        let ids: Vec<BrokerId> = (1..=n).collect();
        let rf = config.offsets_topic_replication_factor.clamp(1, n);
        let start = rng.below(n as u64) as usize;
        let shift = rng.below(n as u64) as usize;
        let offsets_topic = placement::assign_replicas_rack_unaware(
            &ids,
            config.offsets_topic_num_partitions,
            rf,
            start,
            shift,
            0,
        )
        .iter()
        .map(|a| PartitionReplicas::new(a, 0, 0))
        .collect();
        Cluster {
            brokers: ids.iter().map(|&b| Broker::new(b)).collect(),
            quorum: ControllerQuorum::new((1..=n.min(config.controller_voters)).collect()),
            offsets_topic,
            rng,
            next_fetch_ms: config.replica_fetch_interval_ms,
            next_rebalance_ms: config.leader_imbalance_check_interval_ms,
            elections_pending: false,
        }
    }

    // ----- reading -------------------------------------------------------------------------

    pub fn brokers(&self) -> &[Broker] {
        &self.brokers
    }

    pub fn broker(&self, id: BrokerId) -> Option<&Broker> {
        broker::broker(&self.brokers, id)
    }

    pub fn quorum(&self) -> &ControllerQuorum {
        &self.quorum
    }

    pub fn active_controller(&self) -> Option<BrokerId> {
        self.quorum.active
    }

    /// Replica sets of `__consumer_offsets`, by partition.
    pub fn offsets_topic(&self) -> &[PartitionReplicas] {
        &self.offsets_topic
    }

    /// The coordinator of groups in `__consumer_offsets` partition `p`: its leader, if that
    /// broker is serving.
    pub fn coordinator(&self, p: u32) -> Option<BrokerId> {
        self.offsets_topic
            .get(p as usize)?
            .leader
            .filter(|&l| broker::serving(&self.brokers, l))
    }

    /// Ids of the brokers serving now, ascending.
    pub fn serving_brokers(&self) -> Vec<BrokerId> {
        self.brokers
            .iter()
            .filter(|b| b.is_serving())
            .map(|b| b.id)
            .collect()
    }

    fn alive_voters(&self) -> Vec<BrokerId> {
        self.quorum
            .voters
            .iter()
            .copied()
            .filter(|&v| self.broker(v).is_some_and(Broker::is_running))
            .collect()
    }

    // ----- placement -----------------------------------------------------------------------

    /// Replica lists for a new topic over the serving brokers (`INVALID_REPLICATION_FACTOR` if
    /// there are too few).
    pub fn place(
        &mut self,
        partitions: u32,
        replication_factor: u32,
    ) -> Result<Vec<Vec<BrokerId>>, String> {
        let ids = self.serving_brokers();
        placement::check_replication_factor(replication_factor, ids.len())?;
        let n = ids.len() as u64;
        let start = self.rng.below(n) as usize;
        let shift = self.rng.below(n) as usize;
        Ok(placement::assign_replicas_rack_unaware(
            &ids,
            partitions,
            replication_factor,
            start,
            shift,
            0,
        ))
    }

    /// Replica lists for partitions `existing..existing + count` of a growing topic.
    pub fn place_more(
        &self,
        partition0_first: BrokerId,
        existing: u32,
        count: u32,
        replication_factor: u32,
    ) -> Result<Vec<Vec<BrokerId>>, String> {
        let ids = self.serving_brokers();
        placement::check_replication_factor(replication_factor, ids.len())?;
        let start = placement::start_index_for_new_partitions(&ids, partition0_first);
        Ok(placement::assign_replicas_rack_unaware(
            &ids,
            count,
            replication_factor,
            start,
            start,
            existing,
        ))
    }

    // ----- broker lifecycle ----------------------------------------------------------------

    /// `kill -9`: nothing moves until the controller fences it.
    pub fn crash_broker(
        &mut self,
        id: BrokerId,
        now_ms: u64,
        config: &WorldConfig,
        out: &mut Vec<Event>,
    ) {
        let b = &mut self.brokers[id as usize - 1];
        b.process = BrokerProcess::Crashed;
        b.registering = false;
        b.session_deadline_ms = now_ms + config.broker_session_timeout_ms;
        out.push(Event::BrokerCrashed { broker_id: id });
        self.voter_down(id, false, now_ms, config, out);
    }

    /// Graceful stop: with an active controller, a controlled shutdown moves leaderships and
    /// removes the broker from ISRs first.
    pub fn stop_broker(
        &mut self,
        id: BrokerId,
        now_ms: u64,
        config: &WorldConfig,
        topics: &mut [&mut Topic],
        out: &mut Vec<Event>,
    ) {
        let controlled = self.quorum.active.is_some() && !self.brokers[id as usize - 1].registering;
        let mut moved = 0;
        let mut events = Vec::new();
        if let Some(controller) = self.quorum.active.filter(|_| controlled) {
            moved = self.remove_from_partitions(
                id,
                IsrShrinkReason::ControlledShutdown,
                controller,
                now_ms,
                topics,
                &mut events,
            );
        }
        let b = &mut self.brokers[id as usize - 1];
        b.process = BrokerProcess::Stopped;
        b.fenced = b.fenced || controlled;
        b.registering = false;
        b.session_deadline_ms = now_ms + config.broker_session_timeout_ms;
        out.push(Event::BrokerStopped {
            broker_id: id,
            controlled,
            leaders_moved: moved,
        });
        out.extend(events);
        self.voter_down(id, true, now_ms, config, out);
    }

    /// Starts a stopped or crashed broker: it registers again (fenced until the controller
    /// accepts it).
    pub fn restart_broker(
        &mut self,
        id: BrokerId,
        now_ms: u64,
        config: &WorldConfig,
        out: &mut Vec<Event>,
    ) {
        let b = &mut self.brokers[id as usize - 1];
        b.process = BrokerProcess::Running;
        b.registering = true;
        out.push(Event::BrokerRestarted { broker_id: id });
        let alive = self.alive_voters().len();
        self.quorum.voter_up(
            id,
            alive,
            now_ms,
            config.controller_quorum_election_timeout_ms,
        );
    }

    /// A new, empty broker (not a controller voter); it registers like a restarted one.
    pub fn add_broker(&mut self, out: &mut Vec<Event>) -> BrokerId {
        let id = self.brokers.len() as BrokerId + 1;
        let mut b = Broker::new(id);
        b.registering = true;
        self.brokers.push(b);
        out.push(Event::BrokerAdded { broker_id: id });
        id
    }

    fn voter_down(
        &mut self,
        id: BrokerId,
        graceful: bool,
        now_ms: u64,
        config: &WorldConfig,
        out: &mut Vec<Event>,
    ) {
        let alive = self.alive_voters().len();
        let timeouts = quorum::QuorumTimeouts {
            fetch_timeout_ms: config.controller_quorum_fetch_timeout_ms,
            election_timeout_ms: config.controller_quorum_election_timeout_ms,
        };
        if let Some(QuorumChange::Lost { alive }) =
            self.quorum
                .voter_down(id, graceful, alive, now_ms, timeouts, &mut self.rng)
        {
            out.push(Event::ControllerUnavailable {
                alive_voters: alive as u32,
                voters: self.quorum.voters.len() as u32,
            });
        }
    }

    /// A topic config changed (e.g. unclean election enabled): re-run elections.
    pub fn request_elections(&mut self) {
        self.elections_pending = true;
    }

    // ----- time ----------------------------------------------------------------------------

    /// Whether [`Cluster::step`] has anything to do at `now_ms` (cheap: called every ms).
    pub fn needs_step(&self, now_ms: u64, config: &WorldConfig) -> bool {
        if self.quorum.election_at_ms().is_some_and(|t| now_ms >= t) {
            return true;
        }
        if self.brokers.len() > 1 && now_ms >= self.next_fetch_ms {
            return true;
        }
        self.quorum.active.is_some()
            && (self.elections_pending
                || (self.brokers.len() > 1
                    && config.auto_leader_rebalance_enable
                    && now_ms >= self.next_rebalance_ms)
                || self.brokers.iter().any(|b| {
                    (b.is_running() && b.registering)
                        || (!b.is_running() && !b.fenced && now_ms >= b.session_deadline_ms)
                }))
    }

    /// One ms of cluster life: controller elections, fencing, registrations, leader elections,
    /// preferred-leader rebalancing and follower fetches.
    pub fn step(
        &mut self,
        now_ms: u64,
        config: &WorldConfig,
        topics: &mut [&mut Topic],
        out: &mut Vec<Event>,
    ) {
        let alive = self.alive_voters();
        if let Some(QuorumChange::Elected { controller, epoch }) =
            self.quorum.step(now_ms, &alive, &mut self.rng)
        {
            out.push(Event::ControllerElected { controller, epoch });
            // A new controller starts every broker's session afresh.
            for b in &mut self.brokers {
                if !b.is_running() && !b.fenced {
                    b.session_deadline_ms = b
                        .session_deadline_ms
                        .max(now_ms + config.broker_session_timeout_ms);
                }
            }
            self.elections_pending = true;
        }
        if let Some(controller) = self.quorum.active {
            self.controller_step(controller, now_ms, config, topics, out);
        }
        if now_ms >= self.next_fetch_ms {
            self.next_fetch_ms = now_ms + config.replica_fetch_interval_ms;
            if self.brokers.len() > 1 {
                let Cluster {
                    brokers,
                    offsets_topic,
                    quorum,
                    ..
                } = &mut *self;
                let mut parts = partitions(topics, offsets_topic);
                controller::replication_round(
                    &mut parts,
                    brokers,
                    quorum.active,
                    now_ms,
                    config.replica_lag_time_max_ms,
                    out,
                );
            }
        }
    }

    fn controller_step(
        &mut self,
        controller: BrokerId,
        now_ms: u64,
        config: &WorldConfig,
        topics: &mut [&mut Topic],
        out: &mut Vec<Event>,
    ) {
        for i in 0..self.brokers.len() {
            let b = self.brokers[i].clone();
            let id = b.id;
            if !b.is_running() && !b.fenced && now_ms >= b.session_deadline_ms {
                self.fence(id, true, controller, now_ms, topics, out);
            } else if b.is_running() && b.registering {
                if !b.fenced {
                    self.fence(id, false, controller, now_ms, topics, out);
                }
                self.unfence(id, controller, now_ms, topics, out);
            }
        }
        let rebalance_due = config.auto_leader_rebalance_enable
            && self.brokers.len() > 1
            && now_ms >= self.next_rebalance_ms;
        if !self.elections_pending && !rebalance_due {
            return;
        }
        let Cluster {
            brokers,
            offsets_topic,
            elections_pending,
            next_rebalance_ms,
            ..
        } = &mut *self;
        let mut parts = partitions(topics, offsets_topic);
        let mut ctx = ControllerCtx {
            brokers,
            controller,
            now_ms,
            out,
        };
        if *elections_pending {
            *elections_pending = false;
            controller::update_leader_and_isr(&mut parts, &mut ctx, Change::NONE, &|p| {
                p.leader.is_none()
            });
        }
        if rebalance_due {
            *next_rebalance_ms = now_ms + config.leader_imbalance_check_interval_ms;
            controller::rebalance_preferred_leaders(
                &mut parts,
                &mut ctx,
                config.leader_imbalance_per_broker_percentage,
            );
        }
    }

    /// `kafka-leader-election` on `topics`: preferred (where the preferred replica is in sync
    /// and not leading) or unclean (leaderless partitions). The caller checked there is an
    /// active controller.
    pub fn elect_leaders(
        &mut self,
        election: election::ElectionType,
        now_ms: u64,
        topics: &mut [&mut Topic],
        out: &mut Vec<Event>,
    ) {
        let Some(controller) = self.quorum.active else {
            return;
        };
        let Cluster { brokers, .. } = &*self;
        let mut parts: Vec<PartitionMut> = partitions(topics, &mut [])
            .into_iter()
            .filter(|p| p.topic.is_some())
            .collect();
        let mut ctx = ControllerCtx {
            brokers,
            controller,
            now_ms,
            out,
        };
        match election {
            election::ElectionType::Preferred => {
                let eligible = |p: &PartitionReplicas| {
                    let b = p.preferred_leader();
                    p.leader != Some(b) && p.is_in_sync(b) && broker::serving(brokers, b)
                };
                controller::update_leader_and_isr(
                    &mut parts,
                    &mut ctx,
                    Change {
                        preferred: true,
                        ..Change::NONE
                    },
                    &eligible,
                );
            }
            election::ElectionType::Unclean => {
                controller::update_leader_and_isr(
                    &mut parts,
                    &mut ctx,
                    Change {
                        unclean: true,
                        ..Change::NONE
                    },
                    &|p| p.leader.is_none(),
                );
            }
        }
    }

    /// `handleBrokerFenced`.
    fn fence(
        &mut self,
        id: BrokerId,
        session_expired: bool,
        controller: BrokerId,
        now_ms: u64,
        topics: &mut [&mut Topic],
        out: &mut Vec<Event>,
    ) {
        out.push(Event::BrokerFenced {
            broker_id: id,
            controller,
            session_expired,
        });
        self.remove_from_partitions(
            id,
            IsrShrinkReason::BrokerFenced,
            controller,
            now_ms,
            topics,
            out,
        );
        self.brokers[id as usize - 1].fenced = true;
    }

    /// The controller takes broker `id` out of every ISR and leadership it has (a controlled
    /// shutdown or a fencing, as `reason` says); returns how many leaderships moved.
    fn remove_from_partitions(
        &mut self,
        id: BrokerId,
        reason: IsrShrinkReason,
        controller: BrokerId,
        now_ms: u64,
        topics: &mut [&mut Topic],
        out: &mut Vec<Event>,
    ) -> u32 {
        let Cluster {
            brokers,
            offsets_topic,
            ..
        } = &mut *self;
        let mut parts = partitions(topics, offsets_topic);
        let mut ctx = ControllerCtx {
            brokers,
            controller,
            now_ms,
            out,
        };
        controller::update_leader_and_isr(
            &mut parts,
            &mut ctx,
            Change {
                remove: Some((id, reason)),
                ..Change::NONE
            },
            &|p| p.leader == Some(id) || p.is_in_sync(id),
        )
    }

    /// `handleBrokerUnfenced`: the broker's copies drop what diverged, then it may lead the
    /// partitions that had no leader.
    fn unfence(
        &mut self,
        id: BrokerId,
        controller: BrokerId,
        now_ms: u64,
        topics: &mut [&mut Topic],
        out: &mut Vec<Event>,
    ) {
        let b = &mut self.brokers[id as usize - 1];
        b.fenced = false;
        b.registering = false;
        out.push(Event::BrokerUnfenced {
            broker_id: id,
            controller,
        });
        let Cluster {
            brokers,
            offsets_topic,
            ..
        } = &mut *self;
        let mut parts = partitions(topics, offsets_topic);
        for part in parts.iter_mut() {
            if let Some((from, to)) = part.replicas.truncate_divergent(id) {
                if let Some(topic) = part.topic {
                    out.push(Event::ReplicaTruncated {
                        topic: topic.to_string(),
                        partition: part.partition,
                        broker_id: id,
                        from,
                        to,
                    });
                }
            }
        }
        let mut ctx = ControllerCtx {
            brokers,
            controller,
            now_ms,
            out,
        };
        controller::update_leader_and_isr(
            &mut parts,
            &mut ctx,
            Change {
                add: Some(id),
                ..Change::NONE
            },
            &|p| p.leader.is_none(),
        );
    }
}
