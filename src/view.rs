//! View models: what the page shows, derived from the world in one place.
//!
//! Pure functions from `&World` to small, comparable structs. The Leptos components render
//! these and nothing else, so (a) the UI never re-implements Kafka rules — every number here
//! is read from the simulation — and (b) this layer compiles and is tested natively.
//! Everything is bounded: a lane shows a fixed window of the newest records whatever the
//! log holds, so the DOM stays small at thousands of records per second.

use crate::sim::assignor::TopicPartition;
use crate::sim::consumer::ConsumerStatus;
use crate::sim::event::{format_partitions, EventKind};
use crate::sim::group::GroupState;
use crate::sim::World;

/// Number of key colours in the palette (`--key-0` … `--key-11` in styles/tokens.css).
pub const KEY_COLOURS: u32 = 12;

/// `"First topic: keys!"` → `"first-topic-keys"`: a file name from a title.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for ch in title.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A stable colour index for a key (FNV-1a, so it never depends on the partition count);
/// `None` for a record without a key.
pub fn key_colour(key: Option<&str>) -> Option<u32> {
    let key = key?;
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    Some(h % KEY_COLOURS)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordCell {
    pub offset: u64,
    pub key: Option<String>,
    pub value: String,
    pub colour: Option<u32>,
    /// First record of a segment (drawn with a boundary).
    pub segment_start: bool,
}

/// One group's cursors on one lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CursorView {
    pub group: String,
    pub owner: Option<String>,
    /// Next offset the owner will fetch.
    pub position: Option<u64>,
    pub committed: Option<u64>,
    /// LEO − committed (what kafka-consumer-groups shows as LAG).
    pub lag: u64,
    pub position_lag: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaneView {
    pub partition: u32,
    pub log_start_offset: u64,
    pub log_end_offset: u64,
    /// First offset shown (the window holds the newest records); the cells themselves come
    /// from [`lane_cells`], only for offsets a lane has not drawn yet.
    pub window_start: u64,
    pub cursors: Vec<CursorView>,
    pub size_bytes: u64,
    pub segments: usize,
    /// Leader, ISR and high watermark, when the cluster has more than one broker.
    pub replication: Option<ReplicationView>,
}

/// One partition's replication, as `kafka-topics --describe` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicationView {
    /// `None`: offline.
    pub leader: Option<u32>,
    pub replicas: Vec<u32>,
    pub isr: Vec<u32>,
    pub high_watermark: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicView {
    pub name: String,
    pub partitions: u32,
    pub retention_ms: i64,
    pub retention_bytes: i64,
    pub segment_bytes: u64,
    pub auto_rate_per_s: u32,
    pub lanes: Vec<LaneView>,
    pub total_records: u64,
}

/// The topic as lanes, each showing at most `window` of its newest records.
pub fn topic_view(world: &World, topic: &str, window: u64) -> Option<TopicView> {
    let t = world.topic(topic)?;
    let groups: Vec<(String, Vec<crate::sim::world::PartitionLag>)> = world
        .groups()
        .keys()
        .map(|g| {
            let lag = world
                .group_lag(g)
                .into_iter()
                .filter(|l| l.topic == topic)
                .collect();
            (g.clone(), lag)
        })
        .collect();
    let lanes = t
        .partitions
        .iter()
        .enumerate()
        .map(|(p, log)| {
            let (start, end) = (log.log_start_offset(), log.log_end_offset());
            let window_start = end.saturating_sub(window).max(start);
            let cursors = groups
                .iter()
                .filter_map(|(g, lags)| {
                    let l = lags.iter().find(|l| l.partition == p as u32)?;
                    Some(CursorView {
                        group: g.clone(),
                        owner: l.owner.clone(),
                        position: l.position,
                        committed: l.committed_offset,
                        lag: l.committed_lag,
                        position_lag: l.position_lag,
                    })
                })
                .collect();
            LaneView {
                partition: p as u32,
                log_start_offset: start,
                log_end_offset: end,
                window_start,
                cursors,
                size_bytes: log.size_bytes(),
                segments: log.segment_count(),
                replication: (world.brokers().len() > 1)
                    .then(|| world.partition_replicas(topic, p as u32))
                    .flatten()
                    .map(|r| ReplicationView {
                        leader: r.leader,
                        replicas: r.brokers().collect(),
                        isr: r.isr.clone(),
                        high_watermark: r.high_watermark,
                    }),
            }
        })
        .collect();
    Some(TopicView {
        name: t.name.clone(),
        partitions: t.partition_count(),
        retention_ms: t.config.retention_ms,
        retention_bytes: t.config.retention_bytes,
        segment_bytes: t.config.segment_bytes,
        auto_rate_per_s: world
            .auto_producers()
            .get(topic)
            .map_or(0, |a| a.rate_per_s),
        total_records: t.partitions.iter().map(|l| l.len()).sum(),
        lanes,
    })
}

/// The records of one partition at offsets `from..to` (clipped to what the log holds), as
/// cells: a lane asks only for the offsets it has not drawn yet, so a frame costs the new
/// records, not the whole window.
pub fn lane_cells(
    world: &World,
    topic: &str,
    partition: u32,
    from: u64,
    to: u64,
) -> Vec<RecordCell> {
    let Some(log) = world
        .topic(topic)
        .and_then(|t| t.partitions.get(partition as usize))
    else {
        return Vec::new();
    };
    let start = log.log_start_offset();
    log.range(from, to)
        .map(|r| RecordCell {
            offset: r.offset,
            colour: key_colour(r.key),
            key: r.key.map(str::to_string),
            value: r.value.chars().take(64).collect(),
            segment_start: r.offset > start && log.is_segment_base(r.offset),
        })
        .collect()
}

/// What a consumer card says about its consumer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CardStatus {
    Active,
    Idle,
    Rebalancing,
    Crashed,
    Stalled,
    Stopped,
}

impl CardStatus {
    pub fn label(self) -> &'static str {
        match self {
            CardStatus::Active => "active",
            CardStatus::Idle => "idle",
            CardStatus::Rebalancing => "rebalancing",
            CardStatus::Crashed => "crashed",
            CardStatus::Stalled => "stalled",
            CardStatus::Stopped => "stopped",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerView {
    pub client_id: String,
    pub member_id: Option<String>,
    pub group: String,
    pub status: CardStatus,
    pub partitions: Vec<TopicPartition>,
    pub partitions_label: String,
    pub records_processed: u64,
    pub redelivered: u64,
    /// Σ (high watermark − position) over its partitions (`records-lag`).
    pub lag: u64,
    /// Time until the coordinator gives up on a crashed (or silent) member.
    pub session_left_ms: Option<u64>,
    pub processing_ms_per_record: f64,
    pub is_leader: bool,
    pub static_member: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupView {
    pub group: String,
    pub state: GroupState,
    pub generation: i32,
    pub assignor: &'static str,
    pub protocol: &'static str,
    pub rebalance_reason: String,
    pub consumers: Vec<ConsumerView>,
    pub committed_lag: u64,
    pub position_lag: u64,
    /// (virtual ms, committed lag) samples for the chart.
    pub lag_history: Vec<(u64, u64)>,
    pub topics: Vec<String>,
}

pub fn consumer_view(world: &World, client_id: &str) -> Option<ConsumerView> {
    let c = world.consumer(client_id)?;
    let g = world.group(&c.group_id);
    let in_group = c
        .member_id
        .as_ref()
        .is_some_and(|m| g.is_some_and(|g| g.members.contains_key(m)));
    let rebalancing = g.is_some_and(|g| g.is_rebalancing())
        || matches!(
            c.status,
            ConsumerStatus::Joining | ConsumerStatus::AwaitingSync
        );
    let status = match c.status {
        ConsumerStatus::Crashed => CardStatus::Crashed,
        ConsumerStatus::Stopped => CardStatus::Stopped,
        _ if c.stalled => CardStatus::Stalled,
        _ if rebalancing || !in_group => CardStatus::Rebalancing,
        _ if c.assignment.is_empty() => CardStatus::Idle,
        _ => CardStatus::Active,
    };
    let lag = c
        .assignment
        .iter()
        .filter_map(|tp| {
            // records-lag: the high watermark (what may be read) minus the position.
            let hw = world
                .partition_replicas(&tp.topic, tp.partition)?
                .high_watermark;
            let pos = c.positions.get(tp)?;
            Some(hw.saturating_sub(*pos))
        })
        .sum();
    let member = g.and_then(|g| {
        g.members
            .values()
            .find(|m| m.client_id == c.client_id)
            .map(|m| (g, m))
    });
    let session_left_ms = match c.status {
        ConsumerStatus::Crashed => world.session_time_left_ms(client_id),
        _ => None,
    };
    // A crashed consumer's partitions stay with it (on the coordinator) until it expires.
    let partitions = match (c.status, member) {
        (ConsumerStatus::Crashed, Some((_, m))) => m.assignment.clone(),
        (ConsumerStatus::Crashed, None) | (ConsumerStatus::Stopped, _) => Vec::new(),
        _ => c.assignment.clone(),
    };
    Some(ConsumerView {
        client_id: c.client_id.clone(),
        member_id: c.member_id.clone(),
        group: c.group_id.clone(),
        status,
        partitions_label: if partitions.is_empty() {
            "—".into()
        } else {
            format_partitions(&partitions)
        },
        partitions,
        records_processed: c.records_processed,
        redelivered: c.redelivered,
        lag,
        session_left_ms,
        processing_ms_per_record: c.config.processing_ms_per_record,
        is_leader: member.is_some_and(|(g, m)| g.leader_id.as_ref() == Some(&m.member_id)),
        static_member: c.config.group_instance_id.is_some(),
    })
}

pub fn groups_view(world: &World) -> Vec<GroupView> {
    world
        .groups()
        .values()
        .map(|g| {
            let lag = world.group_lag(&g.group_id);
            let mut topics: Vec<String> = lag.iter().map(|l| l.topic.clone()).collect();
            topics.dedup();
            let consumers = world
                .consumers()
                .values()
                .filter(|c| c.group_id == g.group_id)
                .filter_map(|c| consumer_view(world, &c.client_id))
                .collect();
            GroupView {
                group: g.group_id.clone(),
                state: g.state,
                generation: g.generation_id,
                assignor: g.assignor.name(),
                protocol: g.protocol().name(),
                rebalance_reason: g.rebalance_reason.clone(),
                consumers,
                committed_lag: lag.iter().map(|l| l.committed_lag).sum(),
                position_lag: lag.iter().filter_map(|l| l.position_lag).sum(),
                lag_history: g
                    .lag_history
                    .iter()
                    .map(|s| (s.at_ms, s.committed_lag))
                    .collect(),
                topics,
            }
        })
        .collect()
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventLine {
    pub seq: u64,
    pub at_ms: u64,
    pub kind: EventKind,
    pub text: String,
}

/// The newest `limit` events of the given kinds (all kinds when `kinds` is empty), newest
/// first.
pub fn event_lines(world: &World, kinds: &[EventKind], limit: usize) -> Vec<EventLine> {
    world
        .events()
        .iter()
        .rev()
        .filter(|e| kinds.is_empty() || kinds.contains(&e.event.kind()))
        .take(limit)
        .map(|e| EventLine {
            seq: e.seq,
            at_ms: e.at_ms,
            kind: e.event.kind(),
            text: e.event.describe(),
        })
        .collect()
}

/// `12.3 s`, `1 min 05 s`: the virtual clock for people.
pub fn format_clock(ms: u64) -> String {
    let s = ms / 1000;
    if s < 60 {
        format!("{}.{} s", s, (ms % 1000) / 100)
    } else {
        format!("{} min {:02} s", s / 60, s % 60)
    }
}

/// `20`, `0.5`, `0.125`: milliseconds for people, without float formatting (which would
/// add kilobytes of formatting code to the page).
pub fn format_ms(ms: f64) -> String {
    let us = (ms.max(0.0) * 1000.0).round() as u64;
    let (whole, frac) = (us / 1000, us % 1000);
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:03}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Parses `12`, `0.5`, `.25` (non-negative decimals) without `f64::from_str`.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if (int.is_empty() && frac.is_empty()) || int.len() > 9 || frac.len() > 6 {
        return None;
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let i: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let f: u64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    Some(i as f64 + f as f64 / 10f64.powi(frac.len() as i32))
}

/// One decimal place (`12.3`) with integer arithmetic.
fn tenths(x: f64) -> String {
    let t = (x * 10.0).round() as i64;
    let sign = if t < 0 { "-" } else { "" };
    format!("{sign}{}.{}", t.abs() / 10, t.abs() % 10)
}

/// An SVG polyline `points` attribute for a series scaled into `width × height`.
pub fn sparkline_points(samples: &[(u64, u64)], width: f64, height: f64) -> String {
    if samples.is_empty() {
        return String::new();
    }
    let t0 = samples[0].0 as f64;
    let t1 = samples[samples.len() - 1].0 as f64;
    let span = (t1 - t0).max(1.0);
    let max = samples.iter().map(|s| s.1).max().unwrap_or(0).max(1) as f64;
    let mut out = String::with_capacity(samples.len() * 12);
    for (t, v) in samples {
        let x = (*t as f64 - t0) / span * width;
        let y = height - (*v as f64 / max) * height;
        out.push_str(&tenths(x));
        out.push(',');
        out.push_str(&tenths(y));
        out.push(' ');
    }
    out.pop();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::partitioner::PartitionerKind;
    use crate::sim::topic::TopicConfig;
    use crate::sim::{Command, KeySpec};

    fn world_with_records(n: u32) -> World {
        let mut w = World::with_seed(1);
        w.apply(Command::CreateTopic {
            name: "t".into(),
            partitions: 2,
            config: TopicConfig::default(),
        })
        .unwrap();
        w.apply(Command::ProduceBurst {
            topic: "t".into(),
            count: n,
            keys: KeySpec::Set {
                prefix: "user-".into(),
                count: 5,
            },
            partitioner: PartitionerKind::Default,
        })
        .unwrap();
        w
    }

    #[test]
    fn key_colours_are_stable_and_in_the_palette() {
        assert_eq!(key_colour(Some("user-1")), key_colour(Some("user-1")));
        assert_eq!(key_colour(None), None);
        for k in ["a", "b", "user-1", "order-42", ""] {
            assert!(key_colour(Some(k)).unwrap() < KEY_COLOURS);
        }
    }

    #[test]
    fn lanes_show_a_bounded_window_of_the_newest_records() {
        let w = world_with_records(50_000);
        let v = topic_view(&w, "t", 24).unwrap();
        assert_eq!(v.lanes.len(), 2);
        assert_eq!(v.total_records, 50_000);
        for lane in &v.lanes {
            assert_eq!(lane.log_end_offset - lane.window_start, 24);
            let cells = lane_cells(
                &w,
                "t",
                lane.partition,
                lane.window_start,
                lane.log_end_offset,
            );
            assert_eq!(cells.len(), 24);
            assert_eq!(cells.last().unwrap().offset, lane.log_end_offset - 1);
            assert_eq!(lane.window_start, cells[0].offset);
            // Only what is asked for, and never past the log's ends.
            assert_eq!(
                lane_cells(&w, "t", lane.partition, lane.log_end_offset - 3, u64::MAX).len(),
                3
            );
            assert!(lane_cells(&w, "t", 9, 0, 10).is_empty());
            assert!(lane_cells(&w, "nope", 0, 0, 10).is_empty());
        }
    }

    #[test]
    fn groups_view_reports_idle_and_lag() {
        let mut w = world_with_records(10);
        for c in ["c1", "c2", "c3"] {
            w.apply(Command::AddConsumer {
                client_id: c.into(),
                group: "g".into(),
                topics: vec!["t".into()],
                config: crate::sim::consumer::ConsumerConfig {
                    auto_offset_reset: crate::sim::consumer::AutoOffsetReset::Earliest,
                    processing_ms_per_record: 0.0,
                    ..Default::default()
                },
            })
            .unwrap();
        }
        w.tick(4_000);
        let g = &groups_view(&w)[0];
        assert_eq!(g.state, GroupState::Stable);
        let idle = g
            .consumers
            .iter()
            .filter(|c| c.status == CardStatus::Idle)
            .count();
        assert_eq!(idle, 1, "3 consumers on 2 partitions");
        assert_eq!(g.position_lag, 0);
        assert!(g.consumers.iter().any(|c| c.is_leader));
    }

    #[test]
    fn ms_and_decimals_without_float_formatting() {
        assert_eq!(format_ms(20.0), "20");
        assert_eq!(format_ms(0.5), "0.5");
        assert_eq!(format_ms(0.125), "0.125");
        assert_eq!(parse_decimal("0.25"), Some(0.25));
        assert_eq!(parse_decimal("10"), Some(10.0));
        assert_eq!(parse_decimal(".5"), Some(0.5));
        for bad in ["", ".", "-1", "1e3", "NaN", "fast", "1.2.3"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn clock_and_sparkline_format() {
        assert_eq!(format_clock(12_345), "12.3 s");
        assert_eq!(format_clock(65_000), "1 min 05 s");
        assert_eq!(
            sparkline_points(&[(0, 0), (10, 5)], 100.0, 10.0),
            "0.0,10.0 100.0,0.0"
        );
        assert_eq!(sparkline_points(&[], 1.0, 1.0), "");
    }
}

/// A broker as the cluster view draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerView {
    pub id: u32,
    /// running, stopped, crashed, fenced, registering.
    pub state: &'static str,
    pub running: bool,
    pub controller: bool,
    pub voter: bool,
    /// The replicas it holds (user topics), in topic and partition order.
    pub replicas: Vec<ReplicaChip>,
}

/// One replica on a broker: `orders-0`, leader or follower, in sync or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaChip {
    pub label: String,
    pub leader: bool,
    pub in_sync: bool,
}

/// The cluster: brokers with their replicas, and the KRaft controller quorum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterView {
    pub brokers: Vec<BrokerView>,
    pub controller: Option<u32>,
    pub controller_epoch: u32,
    pub voters: Vec<u32>,
    pub offline_partitions: usize,
}

/// Most replica chips drawn per broker (the rest are counted).
pub const MAX_CHIPS: usize = 24;

pub fn cluster_view(world: &World) -> ClusterView {
    let q = world.controller_quorum();
    let mut offline = 0;
    let mut brokers: Vec<BrokerView> = world
        .brokers()
        .iter()
        .map(|b| BrokerView {
            id: b.id,
            state: b.state_name(),
            running: b.is_running(),
            controller: q.active == Some(b.id),
            voter: q.is_voter(b.id),
            replicas: Vec::new(),
        })
        .collect();
    for t in world.topics().values() {
        for (p, r) in t.replicas.iter().enumerate() {
            if r.leader.is_none() {
                offline += 1;
            }
            for id in r.brokers() {
                if let Some(b) = brokers.iter_mut().find(|b| b.id == id) {
                    b.replicas.push(ReplicaChip {
                        label: format!("{}-{p}", t.name),
                        leader: r.leader == Some(id),
                        in_sync: r.is_in_sync(id),
                    });
                }
            }
        }
    }
    ClusterView {
        brokers,
        controller: q.active,
        controller_epoch: q.epoch,
        voters: q.voters.clone(),
        offline_partitions: offline,
    }
}

/// A topic's replication settings, for its row in the cluster view.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TopicReplicationView {
    pub topic: String,
    pub replication_factor: u32,
    pub min_insync_replicas: u32,
    pub unclean: bool,
    pub acks: &'static str,
}

pub fn topic_replication_views(world: &World) -> Vec<TopicReplicationView> {
    world
        .topics()
        .values()
        .map(|t| TopicReplicationView {
            topic: t.name.clone(),
            replication_factor: t.replication_factor(),
            min_insync_replicas: t.config.min_insync_replicas,
            unclean: t.config.unclean_leader_election_enable,
            acks: world.acks_for(&t.name).name(),
        })
        .collect()
}

/// `acknowledged 1204 · lost after ack 0 · refused 3`: what became of a topic's records.
pub fn durability_line(world: &World, topic: &str) -> String {
    let d = world.durability(topic);
    format!(
        "acknowledged {} · lost after ack {} · lost unacknowledged {} · failed {}",
        d.acknowledged, d.lost_acknowledged, d.lost_unacknowledged, d.failed
    )
}
