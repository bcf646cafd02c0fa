//! A serialisable picture of the world's state: what `kafkascope replay` prints, what tests
//! compare, and what a share link must reproduce. Field names follow Kafka's tools
//! (`kafka-consumer-groups --describe`: CURRENT-OFFSET, LOG-END-OFFSET, LAG, CONSUMER-ID;
//! `kafka-topics --describe`: Leader, Replicas, Isr).
//!
//! The format only grows: fields are added, never renamed or removed (outside tools read it).

use crate::sim::cluster::acks::{Acks, Durability};
use crate::sim::cluster::broker::BrokerId;
use crate::sim::consumer::ConsumerStatus;
use crate::sim::vecmap::VecMap;
use crate::sim::world::World;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionSummary {
    pub partition: u32,
    pub log_start_offset: u64,
    /// The leader's log end offset.
    pub log_end_offset: u64,
    /// Brokers holding a copy, preferred leader first (`Replicas`).
    pub replicas: Vec<BrokerId>,
    /// `null`: offline.
    pub leader: Option<BrokerId>,
    pub leader_epoch: u32,
    /// In-sync replicas (`Isr`).
    pub isr: Vec<BrokerId>,
    /// What consumers can read up to; `acks=all` is answered when it passes a record.
    pub high_watermark: u64,
    /// Each replica's log end offset, in `replicas` order.
    pub replica_log_end_offsets: Vec<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TopicSummary {
    pub partitions: Vec<PartitionSummary>,
    pub replication_factor: u32,
    pub min_insync_replicas: u32,
    pub unclean_leader_election_enable: bool,
    /// The `acks` its producers use.
    pub acks: Acks,
    /// What became of the records produced to it (summed over partitions).
    pub durability: Durability,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BrokerSummary {
    pub id: BrokerId,
    /// `online`, `starting`, `fenced`, `stopped` or `crashed`.
    pub state: String,
    pub controller_voter: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControllerSummary {
    /// The active controller (`null`: the quorum has none).
    pub active: Option<BrokerId>,
    pub epoch: u32,
    pub voters: Vec<BrokerId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberSummary {
    pub client_id: String,
    pub member_id: String,
    pub assignment: VecMap<String, Vec<u32>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OffsetSummary {
    pub topic: String,
    pub partition: u32,
    /// CURRENT-OFFSET (`null`: nothing committed, shown as "-").
    pub committed_offset: Option<u64>,
    /// LOG-END-OFFSET as the tool shows it: the high watermark (`ListOffsets` latest).
    pub log_end_offset: u64,
    /// LAG = LOG-END-OFFSET − committed offset.
    pub lag: u64,
    /// CONSUMER-ID (client id of the owner).
    pub consumer: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    pub state: String,
    pub generation: i32,
    pub assignor: String,
    pub protocol: String,
    pub leader: Option<String>,
    pub members: Vec<MemberSummary>,
    pub offsets: Vec<OffsetSummary>,
    pub lag: u64,
    /// The broker coordinating the group (`null`: COORDINATOR_NOT_AVAILABLE).
    pub coordinator: Option<BrokerId>,
    /// Its `__consumer_offsets` partition.
    pub offsets_partition: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConsumerSummary {
    pub group: String,
    pub status: ConsumerStatus,
    pub idle: bool,
    pub records_processed: u64,
    pub redelivered: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorldSummary {
    pub time_ms: u64,
    pub topics: VecMap<String, TopicSummary>,
    pub groups: VecMap<String, GroupSummary>,
    pub consumers: VecMap<String, ConsumerSummary>,
    pub brokers: Vec<BrokerSummary>,
    pub controller: ControllerSummary,
}

impl WorldSummary {
    pub fn of(world: &World) -> Self {
        let topics = world
            .topics()
            .iter()
            .map(|(name, t)| {
                let partitions = t
                    .partitions
                    .iter()
                    .zip(&t.replicas)
                    .enumerate()
                    .map(|(p, (log, r))| PartitionSummary {
                        partition: p as u32,
                        log_start_offset: log.log_start_offset(),
                        log_end_offset: log.log_end_offset(),
                        replicas: r.brokers().collect(),
                        leader: r.leader,
                        leader_epoch: r.leader_epoch,
                        isr: r.isr.clone(),
                        high_watermark: r.high_watermark,
                        replica_log_end_offsets: r
                            .replicas
                            .iter()
                            .map(|x| x.log_end_offset)
                            .collect(),
                    })
                    .collect();
                (
                    name.clone(),
                    TopicSummary {
                        partitions,
                        replication_factor: t.replication_factor(),
                        min_insync_replicas: t.config.min_insync_replicas,
                        unclean_leader_election_enable: t.config.unclean_leader_election_enable,
                        acks: world.acks_for(name),
                        durability: world.durability(name),
                    },
                )
            })
            .collect();
        let groups = world
            .groups()
            .iter()
            .map(|(id, g)| {
                let mut members: Vec<MemberSummary> = g
                    .members
                    .values()
                    .map(|m| {
                        let mut assignment: VecMap<String, Vec<u32>> = VecMap::new();
                        for tp in &m.assignment {
                            assignment
                                .entry(tp.topic.to_string())
                                .or_default()
                                .push(tp.partition);
                        }
                        MemberSummary {
                            client_id: m.client_id.clone(),
                            member_id: m.member_id.clone(),
                            assignment,
                        }
                    })
                    .collect();
                members.sort_by(|a, b| a.client_id.cmp(&b.client_id));
                let lag = world.group_lag(id);
                let offsets: Vec<OffsetSummary> = lag
                    .iter()
                    .map(|l| OffsetSummary {
                        topic: l.topic.clone(),
                        partition: l.partition,
                        committed_offset: l.committed_offset,
                        log_end_offset: l.log_end_offset,
                        lag: l.committed_lag,
                        consumer: l.owner.clone(),
                    })
                    .collect();
                let leader = g
                    .leader_id
                    .as_ref()
                    .and_then(|l| g.members.get(l))
                    .map(|m| m.client_id.clone());
                (
                    id.clone(),
                    GroupSummary {
                        state: g.state.name().to_string(),
                        generation: g.generation_id,
                        assignor: g.assignor.name().to_string(),
                        protocol: g.protocol().name().to_string(),
                        leader,
                        members,
                        lag: offsets.iter().map(|o| o.lag).sum(),
                        offsets,
                        coordinator: g.coordinator,
                        offsets_partition: g.offsets_partition,
                    },
                )
            })
            .collect();
        let consumers = world
            .consumers()
            .iter()
            .map(|(id, c)| {
                (
                    id.clone(),
                    ConsumerSummary {
                        group: c.group_id.clone(),
                        status: c.status,
                        idle: c.is_idle(),
                        records_processed: c.records_processed,
                        redelivered: c.redelivered,
                    },
                )
            })
            .collect();
        let quorum = world.controller_quorum();
        WorldSummary {
            time_ms: world.now_ms(),
            topics,
            groups,
            consumers,
            brokers: world
                .brokers()
                .iter()
                .map(|b| BrokerSummary {
                    id: b.id,
                    state: b.state_name().to_string(),
                    controller_voter: quorum.is_voter(b.id),
                })
                .collect(),
            controller: ControllerSummary {
                active: quorum.active,
                epoch: quorum.epoch,
                voters: quorum.voters.clone(),
            },
        }
    }
}
