//! `org.apache.kafka.clients.producer.RoundRobinPartitioner`: ignores the key and deals records
//! over the topic's partitions with a per-topic counter: `toPositive(counter++) % partitions`.
//! Java deals over the *available* partitions (those with a leader) when some are not:
//! `availablePartitions.get(toPositive(counter) % available)`. M1..M6 on 3 partitions →
//! P0 P1 P2 P0 P1 P2.

use super::murmur2::to_positive;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRobinPartitioner {
    counter: i32,
}

impl RoundRobinPartitioner {
    /// The next partition, and the counter value that chose it.
    pub fn next(&mut self, num_partitions: u32) -> (u32, u32) {
        self.next_available(&[], num_partitions)
    }

    /// The next partition among `available` (all partitions when it is empty).
    pub fn next_available(&mut self, available: &[u32], num_partitions: u32) -> (u32, u32) {
        let value = self.counter;
        self.counter = self.counter.wrapping_add(1);
        let v = to_positive(value) as u32;
        let p = if available.is_empty() {
            v % num_partitions
        } else {
            available[(v % available.len() as u32) as usize]
        };
        (p, value as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m1_to_m6_over_three_partitions() {
        let mut rr = RoundRobinPartitioner::default();
        let got: Vec<u32> = (0..6).map(|_| rr.next(3).0).collect();
        assert_eq!(got, vec![0, 1, 2, 0, 1, 2]);
    }
}
