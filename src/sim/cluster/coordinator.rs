//! Which broker is a group's coordinator.
//!
//! Group metadata and committed offsets are records in the internal topic
//! `__consumer_offsets` (`offsets.topic.num.partitions` = 50, `offsets.topic.replication.factor`
//! = 3). A group lives in partition `Utils.abs(groupId.hashCode()) % 50` and its **coordinator
//! is that partition's leader** (`GroupCoordinatorService.partitionFor`, formerly
//! `GroupMetadataManager.partitionFor`). Clients find it with `FindCoordinator`.
//!
//! When the leader of that partition changes, the new leader loads the group from the log and
//! becomes the coordinator; members get `NOT_COORDINATOR` (or `COORDINATOR_NOT_AVAILABLE`
//! while the partition has no leader), look the coordinator up again and carry on — their
//! session timers restart at the load (`GroupCoordinator.onGroupLoaded`). Because offsets are
//! replicated like any record, they survive as long as an in-sync replica of the partition
//! does (the simulator keeps them in the group; `__consumer_offsets` never elects uncleanly).
//!
//! Simplification: Kafka refuses to create `__consumer_offsets` with fewer brokers than its
//! replication factor; here it gets min(3, brokers) replicas, like a dev cluster configured with
//! `offsets.topic.replication.factor=1`. It is placed when the world starts (Kafka creates it
//! on the first `FindCoordinator`).

use crate::sim::assignor::java::string_hash_code;

/// The internal topic's name.
pub const OFFSETS_TOPIC: &str = "__consumer_offsets";

/// Kafka's `Utils.abs`: `Math.abs` except `Integer.MIN_VALUE` maps to 0 (not to itself).
pub fn java_utils_abs(n: i32) -> i32 {
    if n == i32::MIN {
        0
    } else {
        n.abs()
    }
}

/// The `__consumer_offsets` partition holding `group_id`.
pub fn partition_for(group_id: &str, offsets_topic_partitions: u32) -> u32 {
    java_utils_abs(string_hash_code(group_id)) as u32 % offsets_topic_partitions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_is_abs_of_java_string_hash_code_mod_50() {
        // "billing".hashCode() = -109829509 (Java) → 109829509 % 50 = 9.
        assert_eq!(string_hash_code("billing"), -109_829_509);
        assert_eq!(partition_for("billing", 50), 9);
        // hashCode = Integer.MIN_VALUE: Utils.abs gives 0, not a negative number.
        assert_eq!(string_hash_code("polygenelubricants"), i32::MIN);
        assert_eq!(partition_for("polygenelubricants", 50), 0);
    }
}
