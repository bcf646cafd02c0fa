//! The built-in *uniform sticky* partitioner for records without a key (KIP-794, Kafka 3.3+).
//!
//! Mirrors `org.apache.kafka.clients.producer.internals.BuiltInPartitioner`: the producer
//! sticks to one partition until about `batch.size` bytes have been produced to it, then
//! picks the next one at random (`toPositive(random) % partitions`; with adaptive
//! partitioning, weighted towards partitions with shorter queues — this simulator sends
//! instantly, so every queue is empty and the choice is uniform). Batching many records into
//! one partition is what makes unkeyed produce cheap; over time the load still evens out.
//!
//! History worth telling learners: ≤ 2.3 round-robin per record; 2.4 sticky per batch
//! (KIP-480); 3.3 uniform sticky; 4.0 removed the `DefaultPartitioner` class.

use super::murmur2::to_positive;
use crate::sim::rng::Rng;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StickyPartitioner {
    current: Option<u32>,
    produced_bytes: u64,
}

impl StickyPartitioner {
    /// The partition for the next unkeyed record of `record_bytes` bytes.
    pub fn next(
        &mut self,
        rng: &mut Rng,
        num_partitions: u32,
        batch_size: u64,
        record_bytes: u64,
    ) -> u32 {
        self.next_available(rng, &[], num_partitions, batch_size, record_bytes)
    }

    /// Like [`StickyPartitioner::next`], choosing a new sticky partition among `available`
    /// (the partitions with a leader) unless that list is empty, as
    /// `BuiltInPartitioner.nextPartition` does without load statistics.
    pub fn next_available(
        &mut self,
        rng: &mut Rng,
        available: &[u32],
        num_partitions: u32,
        batch_size: u64,
        record_bytes: u64,
    ) -> u32 {
        let p = match self.current {
            Some(p) if p < num_partitions => p,
            _ => self.pick(rng, available, num_partitions),
        };
        self.produced_bytes += record_bytes;
        // BuiltInPartitioner.updatePartitionInfo: switch once the sticky batch is full.
        if self.produced_bytes >= batch_size {
            self.current = None;
        }
        p
    }

    /// The partition unkeyed records currently stick to, if one is chosen.
    pub fn current(&self) -> Option<u32> {
        self.current
    }

    fn pick(&mut self, rng: &mut Rng, available: &[u32], num_partitions: u32) -> u32 {
        let random = to_positive(rng.next_i32()) as u32;
        let p = if available.is_empty() {
            random % num_partitions
        } else {
            available[(random % available.len() as u32) as usize]
        };
        self.current = Some(p);
        self.produced_bytes = 0;
        p
    }
}

/// Size of a record in a v2 record batch (`DefaultRecord.sizeInBytes`), with zero timestamp
/// and offset deltas and no headers — what the producer counts towards `batch.size`.
pub fn record_size_in_bytes(key_len: Option<usize>, value_len: usize) -> u64 {
    fn varint_len(v: i64) -> u64 {
        let mut v = ((v << 1) ^ (v >> 63)) as u64; // zig-zag
        let mut n = 1;
        while v >= 0x80 {
            v >>= 7;
            n += 1;
        }
        n
    }
    let key = match key_len {
        Some(k) => varint_len(k as i64) + k as u64,
        None => varint_len(-1),
    };
    // attributes + timestampDelta + offsetDelta + key + value + header count
    let body = 1 + 1 + 1 + key + varint_len(value_len as i64) + value_len as u64 + 1;
    varint_len(body as i64) + body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sticks_until_batch_is_full_then_moves() {
        let mut rng = Rng::new(1);
        let mut s = StickyPartitioner::default();
        let first = s.next(&mut rng, 6, 100, 30);
        assert_eq!(s.next(&mut rng, 6, 100, 30), first);
        assert_eq!(s.next(&mut rng, 6, 100, 30), first);
        // 4th record brings the batch to 120 ≥ 100 bytes: still on `first`, then a new pick.
        assert_eq!(s.next(&mut rng, 6, 100, 30), first);
        assert_eq!(s.current(), None);
    }

    #[test]
    fn spreads_over_all_partitions_in_the_long_run() {
        let mut rng = Rng::new(9);
        let mut s = StickyPartitioner::default();
        let mut counts = [0u32; 4];
        for _ in 0..40_000 {
            counts[s.next(&mut rng, 4, 1000, 100) as usize] += 1;
        }
        for c in counts {
            assert!((8_000..12_000).contains(&c), "{counts:?}");
        }
    }

    #[test]
    fn record_size_matches_default_record_layout() {
        // key "k" (1 byte), value "v" (1 byte): body = 1+1+1+(1+1)+(1+1)+1 = 8, plus length 1.
        assert_eq!(record_size_in_bytes(Some(1), 1), 9);
        // null key is varint(-1) = 1 byte.
        assert_eq!(record_size_in_bytes(None, 1), 8);
    }
}
