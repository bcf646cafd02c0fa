//! Replica placement: which brokers hold the copies of each partition.
//!
//! Kafka's rack-unaware assignment, `AdminUtils.assignReplicasToBrokersRackUnaware`
//! (apache/kafka `server-common/src/main/java/org/apache/kafka/admin/AdminUtils.java`):
//! 1. the first replica (the *preferred leader*) of partition `p` goes to broker
//!    `(startIndex + p) % n`, round-robin from a random start;
//! 2. follower `j` goes to `(first + 1 + (shift + j) % (n − 1)) % n`, where `shift` starts
//!    random and grows by one every `n` partitions — so partitions led by one broker spread their
//!    followers over the others, and failures move load evenly.
//!
//! `startIndex` and `shift` are `RAND.nextInt(n)` in Java; here they come from the cluster's
//! seeded stream. Adding partitions keeps the start (`AdminZkClient.createPartitions`: the index
//! of the first broker with an id ≥ partition 0's first replica) and continues from the
//! existing partition count.
//!
//! History: this is how ZooKeeper-era clusters (and `kafka-reassign-partitions --generate`)
//! place replicas. A KRaft controller places new topics with `StripedReplicaPlacer` — the same
//! goals (spread leaders, spread followers) with a different random striping — so a real
//! 4.x cluster may pick other brokers for the same topic; the lessons do not depend on it.

use super::broker::BrokerId;

/// `INVALID_REPLICATION_FACTOR` unless `1 ≤ replication_factor ≤ brokers`.
pub fn check_replication_factor(replication_factor: u32, brokers: usize) -> Result<(), String> {
    if replication_factor == 0 {
        return Err(
            "Replication factor must be larger than 0. (INVALID_REPLICATION_FACTOR)".into(),
        );
    }
    if replication_factor as usize > brokers {
        return Err(format!(
            "Replication factor: {replication_factor} larger than available brokers: {brokers}. (INVALID_REPLICATION_FACTOR)"
        ));
    }
    Ok(())
}

/// `replicaIndex(firstReplicaIndex, secondReplicaShift, replicaIndex, nBrokers)`.
fn replica_index(first: usize, shift: usize, j: usize, n: usize) -> usize {
    let shift = 1 + (shift + j) % (n - 1);
    (first + shift) % n
}

/// Replica lists for partitions `start_partition_id ..` (`partitions` of them) over
/// `brokers` (in the order given, usually sorted by id). `start_index` and
/// `next_replica_shift` are Java's `startIndex` and `nextReplicaShift` (random, or both the
/// fixed start index when adding partitions). The caller checks the replication factor.
pub fn assign_replicas_rack_unaware(
    brokers: &[BrokerId],
    partitions: u32,
    replication_factor: u32,
    start_index: usize,
    next_replica_shift: usize,
    start_partition_id: u32,
) -> Vec<Vec<BrokerId>> {
    let n = brokers.len();
    debug_assert!(n > 0 && (1..=n).contains(&(replication_factor as usize)));
    let mut shift = next_replica_shift;
    let mut out = Vec::with_capacity(partitions as usize);
    for p in start_partition_id..start_partition_id + partitions {
        let p = p as usize;
        if p > 0 && p.is_multiple_of(n) {
            shift += 1;
        }
        let first = (p + start_index) % n;
        let mut replicas = Vec::with_capacity(replication_factor as usize);
        replicas.push(brokers[first]);
        for j in 0..replication_factor as usize - 1 {
            replicas.push(brokers[replica_index(first, shift, j, n)]);
        }
        out.push(replicas);
    }
    out
}

/// The fixed start index `AdminZkClient.createPartitions` uses when a topic grows: the index
/// of the first broker whose id is ≥ partition 0's first replica (0 if none).
pub fn start_index_for_new_partitions(brokers: &[BrokerId], partition0_first: BrokerId) -> usize {
    brokers
        .iter()
        .position(|&b| b >= partition0_first)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_javadoc_table_of_five_brokers_and_ten_partitions() {
        // AdminUtils' javadoc: broker-0..4, start 0, shift 0: p0 on 0,1,2; p5 on 0,2,3
        // (the shift grew after five partitions). Here the brokers are 1..5.
        let a = assign_replicas_rack_unaware(&[1, 2, 3, 4, 5], 10, 3, 0, 0, 0);
        assert_eq!(a[0], vec![1, 2, 3]);
        assert_eq!(a[4], vec![5, 1, 2]);
        assert_eq!(a[5], vec![1, 3, 4]);
        assert_eq!(a[9], vec![5, 2, 3]);
    }

    #[test]
    fn rf_bigger_than_the_cluster_is_refused_with_kafkas_message() {
        assert_eq!(
            check_replication_factor(3, 2).unwrap_err(),
            "Replication factor: 3 larger than available brokers: 2. (INVALID_REPLICATION_FACTOR)"
        );
        assert!(check_replication_factor(0, 2).is_err());
        assert!(check_replication_factor(2, 2).is_ok());
    }
}
