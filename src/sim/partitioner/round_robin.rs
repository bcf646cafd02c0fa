//! `org.apache.kafka.clients.producer.RoundRobinPartitioner`: ignores the key and deals records
//! over the topic's partitions with a per-topic counter: `toPositive(counter++) % partitions`.
//! (Java uses the *available* partitions; every partition is available in this simulator
//! until brokers can fail.) M1..M6 on 3 partitions → P0 P1 P2 P0 P1 P2.

use super::murmur2::to_positive;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRobinPartitioner {
    counter: i32,
}

impl RoundRobinPartitioner {
    /// The next partition, and the counter value that chose it.
    pub fn next(&mut self, num_partitions: u32) -> (u32, u32) {
        let value = self.counter;
        self.counter = self.counter.wrapping_add(1);
        let p = (to_positive(value) as u32) % num_partitions;
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
