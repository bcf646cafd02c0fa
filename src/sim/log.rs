//! A partition's log: an append-only sequence of records addressed by offset.
//!
//! Mirrors the broker's `UnifiedLog` / `LogSegment` at the level a learner sees:
//! * offsets start at 0 and only grow; the **log end offset** (LEO) is the offset the next
//!   record will get;
//! * the log is split into **segments**; a segment *rolls* when it reaches `segment.bytes`;
//! * **retention** (`retention.ms`, `retention.bytes`) deletes *whole* segments, oldest first,
//!   never the active (last) one, and moves the **log start offset** forward. A consumer whose
//!   position falls below it gets `OffsetOutOfRange` and `auto.offset.reset` applies.
//!
//! Memory budget: records are stored column-wise inside each segment (timestamp, key length,
//! end of key+value bytes, producer id), 18 bytes per record beyond its key and value bytes.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Key length marker for a record without a key (Kafka's null key, not an empty one).
const NULL_KEY: u32 = u32::MAX;

/// One record as read back from a log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordView<'a> {
    pub offset: u64,
    pub timestamp_ms: u64,
    pub key: Option<&'a str>,
    pub value: &'a str,
    /// Index of the producer that wrote it (0 = the learner's producer panel).
    pub producer_id: u16,
}

/// Why segments were deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionCause {
    /// `retention.ms`: the segment's newest record is older than the retention time.
    RetentionMs,
    /// `retention.bytes`: the partition is over its size limit.
    RetentionBytes,
    /// The simulator's own memory cap on retained records (not a Kafka setting).
    MemoryCap,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Segment {
    base_offset: u64,
    timestamps_ms: Vec<u64>,
    key_lens: Vec<u32>,
    /// End of each record's key+value bytes in `bytes`.
    ends: Vec<u32>,
    producers: Vec<u16>,
    bytes: String,
    /// Size as Kafka would count it (record batch encoding estimate).
    size_bytes: u64,
}

impl Segment {
    fn new(base_offset: u64) -> Self {
        Segment {
            base_offset,
            ..Default::default()
        }
    }

    fn len(&self) -> u64 {
        self.timestamps_ms.len() as u64
    }

    fn max_timestamp_ms(&self) -> u64 {
        self.timestamps_ms.iter().copied().max().unwrap_or(0)
    }

    fn record(&self, i: usize) -> RecordView<'_> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends[i] as usize;
        let key_len = self.key_lens[i];
        let (key, value) = if key_len == NULL_KEY {
            (None, &self.bytes[start..end])
        } else {
            let split = start + key_len as usize;
            (Some(&self.bytes[start..split]), &self.bytes[split..end])
        };
        RecordView {
            offset: self.base_offset + i as u64,
            timestamp_ms: self.timestamps_ms[i],
            key,
            value,
            producer_id: self.producers[i],
        }
    }
}

/// An append-only partition log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionLog {
    segments: VecDeque<Segment>,
    log_start_offset: u64,
    log_end_offset: u64,
    size_bytes: u64,
}

impl Default for PartitionLog {
    fn default() -> Self {
        Self::new()
    }
}

impl PartitionLog {
    pub fn new() -> Self {
        PartitionLog {
            segments: VecDeque::from([Segment::new(0)]),
            log_start_offset: 0,
            log_end_offset: 0,
            size_bytes: 0,
        }
    }

    /// First offset still in the log (moves forward when retention deletes segments).
    pub fn log_start_offset(&self) -> u64 {
        self.log_start_offset
    }

    /// Offset the next appended record will get.
    pub fn log_end_offset(&self) -> u64 {
        self.log_end_offset
    }

    /// Records currently retained.
    pub fn len(&self) -> u64 {
        self.log_end_offset - self.log_start_offset
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes retained, counted the way Kafka sizes records in a batch.
    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }

    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// Base offsets of the segments, oldest first (for drawing segment boundaries).
    pub fn segment_base_offsets(&self) -> impl Iterator<Item = u64> + '_ {
        self.segments.iter().map(|s| s.base_offset)
    }

    /// Appends a record and returns its offset. Rolls a new segment first when the active
    /// one has reached `segment_bytes`.
    pub fn append(
        &mut self,
        timestamp_ms: u64,
        key: Option<&str>,
        value: &str,
        producer_id: u16,
        record_bytes: u64,
        segment_bytes: u64,
    ) -> u64 {
        let offset = self.log_end_offset;
        let needs_roll = {
            let active = self
                .segments
                .back()
                .expect("a log always has an active segment");
            active.len() > 0
                && (active.size_bytes + record_bytes > segment_bytes
                    || active.bytes.len() + key.map_or(0, str::len) + value.len()
                        > u32::MAX as usize / 2)
        };
        if needs_roll {
            self.segments.push_back(Segment::new(offset));
        }
        let active = self.segments.back_mut().expect("active segment");
        match key {
            Some(k) => {
                active.key_lens.push(k.len() as u32);
                active.bytes.push_str(k);
            }
            None => active.key_lens.push(NULL_KEY),
        }
        active.bytes.push_str(value);
        active.ends.push(active.bytes.len() as u32);
        active.timestamps_ms.push(timestamp_ms);
        active.producers.push(producer_id);
        active.size_bytes += record_bytes;
        self.size_bytes += record_bytes;
        self.log_end_offset += 1;
        offset
    }

    /// Whether a segment starts at `offset` (a boundary a lane draws).
    pub fn is_segment_base(&self, offset: u64) -> bool {
        self.segments
            .binary_search_by(|s| s.base_offset.cmp(&offset))
            .is_ok()
    }

    /// The record at `offset`, if it is still retained.
    pub fn get(&self, offset: u64) -> Option<RecordView<'_>> {
        if offset < self.log_start_offset || offset >= self.log_end_offset {
            return None;
        }
        // Segments are sorted by base offset: binary search for the one holding `offset`.
        let idx = match self
            .segments
            .binary_search_by(|s| s.base_offset.cmp(&offset))
        {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let seg = &self.segments[idx];
        Some(seg.record((offset - seg.base_offset) as usize))
    }

    /// Records in `[from, to)` that are still retained.
    pub fn range(&self, from: u64, to: u64) -> impl Iterator<Item = RecordView<'_>> + '_ {
        let from = from.max(self.log_start_offset);
        let to = to.min(self.log_end_offset);
        (from..to).filter_map(move |o| self.get(o))
    }

    /// First offset whose timestamp is ≥ `timestamp_ms` (like `ListOffsets` by timestamp),
    /// or the log end offset when there is none.
    pub fn offset_for_timestamp(&self, timestamp_ms: u64) -> u64 {
        for seg in &self.segments {
            if seg.max_timestamp_ms() < timestamp_ms {
                continue;
            }
            if let Some(i) = seg.timestamps_ms.iter().position(|&t| t >= timestamp_ms) {
                return seg.base_offset + i as u64;
            }
        }
        self.log_end_offset
    }

    /// Applies retention; returns the cause if any segment was deleted.
    ///
    /// Like the broker's `deleteRetentionMsBreachedSegments` and
    /// `deleteRetentionSizeBreachedSegments`: time first, then size (a segment is deleted
    /// only if the log stays at or above `retention.bytes` without it), then the simulator's
    /// own cap on retained records. The active segment is never deleted.
    pub fn enforce_retention(
        &mut self,
        now_ms: u64,
        retention_ms: Option<u64>,
        retention_bytes: Option<u64>,
        max_records: u64,
    ) -> Option<RetentionCause> {
        self.enforce_retention_below(now_ms, retention_ms, retention_bytes, max_records, u64::MAX)
    }

    /// [`PartitionLog::enforce_retention`], deleting by time and size only segments that end at
    /// or below `high_watermark` (`UnifiedLog.deletableSegments`: nothing a follower may still
    /// need). The simulator's memory cap ignores it.
    pub fn enforce_retention_below(
        &mut self,
        now_ms: u64,
        retention_ms: Option<u64>,
        retention_bytes: Option<u64>,
        max_records: u64,
        high_watermark: u64,
    ) -> Option<RetentionCause> {
        let mut cause = None;
        let below_hw =
            |segs: &VecDeque<Segment>| segs.get(1).is_some_and(|s| s.base_offset <= high_watermark);
        if let Some(ms) = retention_ms {
            while self.segments.len() > 1
                && below_hw(&self.segments)
                && self.segments[0].max_timestamp_ms().saturating_add(ms) <= now_ms
            {
                self.delete_oldest();
                cause = Some(RetentionCause::RetentionMs);
            }
        }
        if let Some(limit) = retention_bytes {
            while self.segments.len() > 1
                && below_hw(&self.segments)
                && self.size_bytes - self.segments[0].size_bytes >= limit
            {
                self.delete_oldest();
                cause.get_or_insert(RetentionCause::RetentionBytes);
            }
        }
        while self.segments.len() > 1 && self.len() > max_records {
            self.delete_oldest();
            cause.get_or_insert(RetentionCause::MemoryCap);
        }
        if self.len() > max_records {
            // A single huge active segment: roll it so the cap can hold next time.
            self.segments.push_back(Segment::new(self.log_end_offset));
        }
        cause
    }

    /// Removes every record at or above `offset` (a follower of a new leader, or a log whose
    /// leader changed, dropping what the new leader does not have — `UnifiedLog.truncateTo`).
    /// The log end offset moves back to `offset`.
    pub fn truncate_to(&mut self, offset: u64) {
        if offset >= self.log_end_offset {
            return;
        }
        while self.segments.len() > 1
            && self
                .segments
                .back()
                .is_some_and(|s| s.base_offset >= offset)
        {
            let seg = self.segments.pop_back().expect("segment");
            self.size_bytes = self.size_bytes.saturating_sub(seg.size_bytes);
        }
        let seg = self
            .segments
            .back_mut()
            .expect("a log always has an active segment");
        if seg.base_offset >= offset {
            // Truncating below everything retained: the log restarts empty at `offset`.
            self.size_bytes = self.size_bytes.saturating_sub(seg.size_bytes);
            *seg = Segment::new(offset);
            self.log_start_offset = offset;
        } else {
            let keep = (offset - seg.base_offset) as usize;
            let mut removed = 0;
            for i in keep..seg.timestamps_ms.len() {
                let start = if i == 0 { 0 } else { seg.ends[i - 1] as usize };
                let key_len = seg.key_lens[i];
                let len = seg.ends[i] as usize - start;
                let (key, value) = if key_len == NULL_KEY {
                    (None, len)
                } else {
                    (Some(key_len as usize), len - key_len as usize)
                };
                removed += crate::sim::partitioner::sticky::record_size_in_bytes(key, value);
            }
            let bytes_end = if keep == 0 {
                0
            } else {
                seg.ends[keep - 1] as usize
            };
            seg.timestamps_ms.truncate(keep);
            seg.key_lens.truncate(keep);
            seg.ends.truncate(keep);
            seg.producers.truncate(keep);
            seg.bytes.truncate(bytes_end);
            seg.size_bytes = seg.size_bytes.saturating_sub(removed);
            self.size_bytes = self.size_bytes.saturating_sub(removed);
        }
        self.log_end_offset = offset;
        debug_assert!(self.log_start_offset <= self.log_end_offset);
    }

    fn delete_oldest(&mut self) {
        let seg = self.segments.pop_front().expect("segment to delete");
        self.size_bytes -= seg.size_bytes;
        self.log_start_offset = self.segments[0].base_offset;
        debug_assert!(self.log_start_offset <= self.log_end_offset);
    }

    /// Heap bytes used beyond the key and value bytes themselves (memory budget check).
    pub fn overhead_bytes(&self) -> u64 {
        self.segments
            .iter()
            .map(|s| {
                (s.timestamps_ms.capacity() * 8
                    + s.key_lens.capacity() * 4
                    + s.ends.capacity() * 4
                    + s.producers.capacity() * 2
                    + (s.bytes.capacity() - s.bytes.len())
                    + std::mem::size_of::<Segment>()) as u64
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_with(n: u64, segment_bytes: u64) -> PartitionLog {
        let mut log = PartitionLog::new();
        for i in 0..n {
            log.append(i * 1000, Some("k"), &format!("v{i}"), 0, 10, segment_bytes);
        }
        log
    }

    #[test]
    fn offsets_start_at_zero_and_grow() {
        let log = log_with(5, 1 << 20);
        assert_eq!(log.log_start_offset(), 0);
        assert_eq!(log.log_end_offset(), 5);
        let r = log.get(3).unwrap();
        assert_eq!(
            (r.offset, r.key, r.value, r.timestamp_ms),
            (3, Some("k"), "v3", 3000)
        );
        assert!(log.get(5).is_none());
    }

    #[test]
    fn null_key_differs_from_empty_key() {
        let mut log = PartitionLog::new();
        log.append(0, None, "a", 0, 10, 100);
        log.append(0, Some(""), "b", 0, 10, 100);
        assert_eq!(log.get(0).unwrap().key, None);
        assert_eq!(log.get(1).unwrap().key, Some(""));
    }

    #[test]
    fn segments_roll_at_segment_bytes() {
        let log = log_with(10, 30); // 3 records of 10 bytes per segment
        assert_eq!(log.segment_count(), 4);
        assert_eq!(
            log.segment_base_offsets().collect::<Vec<_>>(),
            vec![0, 3, 6, 9]
        );
    }

    #[test]
    fn retention_ms_deletes_whole_old_segments_and_moves_log_start() {
        let mut log = log_with(10, 30); // timestamps 0..9000
        let cause = log.enforce_retention(10_500, Some(5_000), None, u64::MAX);
        // Segment [0,3) newest ts 2000 ≤ 5500 and [3,6) newest 5000 ≤ 5500 → deleted.
        assert_eq!(cause, Some(RetentionCause::RetentionMs));
        assert_eq!(log.log_start_offset(), 6);
        assert_eq!(log.log_end_offset(), 10);
        assert!(log.get(5).is_none());
        assert_eq!(log.get(6).unwrap().value, "v6");
    }

    #[test]
    fn retention_never_deletes_the_active_segment() {
        let mut log = log_with(2, 1 << 20);
        assert_eq!(
            log.enforce_retention(1 << 40, Some(1), Some(1), u64::MAX),
            None
        );
        assert_eq!(log.len(), 2);
    }

    #[test]
    fn retention_bytes_keeps_at_least_the_limit() {
        let mut log = log_with(10, 30); // 100 bytes in segments of 30,30,30,10
        log.enforce_retention(0, None, Some(45), u64::MAX);
        // 100-30=70 ≥ 45 delete; 70-30=40 < 45 stop.
        assert_eq!(log.log_start_offset(), 3);
        assert_eq!(log.size_bytes(), 70);
    }

    #[test]
    fn truncation_drops_the_tail_and_later_appends_reuse_the_offsets() {
        let mut log = log_with(10, 30); // segments [0,3) [3,6) [6,9) [9,10)
        log.truncate_to(4);
        assert_eq!(log.log_end_offset(), 4);
        assert_eq!(log.segment_base_offsets().collect::<Vec<_>>(), vec![0, 3]);
        assert!(log.is_segment_base(3) && log.is_segment_base(0));
        assert!(!log.is_segment_base(6) && !log.is_segment_base(2));
        assert_eq!(log.size_bytes(), 4 * record_bytes_of_v());
        assert!(log.get(4).is_none());
        assert_eq!(log.get(3).unwrap().value, "v3");
        log.append(0, None, "new", 0, 10, 30);
        assert_eq!(log.get(4).unwrap().value, "new");
        log.truncate_to(0);
        assert_eq!((log.log_start_offset(), log.log_end_offset()), (0, 0));
    }

    fn record_bytes_of_v() -> u64 {
        crate::sim::partitioner::sticky::record_size_in_bytes(Some(1), 2)
    }

    #[test]
    fn offset_for_timestamp_finds_first_at_or_after() {
        let log = log_with(10, 30);
        assert_eq!(log.offset_for_timestamp(2500), 3);
        assert_eq!(log.offset_for_timestamp(0), 0);
        assert_eq!(log.offset_for_timestamp(99_999), 10);
    }
}
