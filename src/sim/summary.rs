//! A serialisable picture of the world's state: what `kafkascope replay` prints, what tests
//! compare, and what a share link must reproduce. Field names follow Kafka's tools
//! (`kafka-consumer-groups --describe`: CURRENT-OFFSET, LOG-END-OFFSET, LAG, CONSUMER-ID).

use crate::sim::consumer::ConsumerStatus;
use crate::sim::world::World;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionSummary {
    pub partition: u32,
    pub log_start_offset: u64,
    pub log_end_offset: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TopicSummary {
    pub partitions: Vec<PartitionSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberSummary {
    pub client_id: String,
    pub member_id: String,
    pub assignment: BTreeMap<String, Vec<u32>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OffsetSummary {
    pub topic: String,
    pub partition: u32,
    /// CURRENT-OFFSET (`null`: nothing committed, shown as "-").
    pub committed_offset: Option<u64>,
    pub log_end_offset: u64,
    /// LAG = log end offset − committed offset.
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
    pub topics: BTreeMap<String, TopicSummary>,
    pub groups: BTreeMap<String, GroupSummary>,
    pub consumers: BTreeMap<String, ConsumerSummary>,
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
                    .enumerate()
                    .map(|(p, log)| PartitionSummary {
                        partition: p as u32,
                        log_start_offset: log.log_start_offset(),
                        log_end_offset: log.log_end_offset(),
                    })
                    .collect();
                (name.clone(), TopicSummary { partitions })
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
                        let mut assignment: BTreeMap<String, Vec<u32>> = BTreeMap::new();
                        for tp in &m.assignment {
                            assignment
                                .entry(tp.topic.clone())
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
        WorldSummary {
            time_ms: world.now_ms(),
            topics,
            groups,
            consumers,
        }
    }
}
