//! Kafka's keyed partitioning, bit-exact with the Java client.
//!
//! Mirrors `org.apache.kafka.common.utils.Utils.murmur2` / `toPositive` and
//! `org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey`:
//! `toPositive(murmur2(keyBytes)) % numPartitions`, where `keyBytes` is the serialised key
//! (UTF-8 for a `StringSerializer`). Note `toPositive` masks the sign bit (`x & 0x7fffffff`);
//! it is **not** `abs()`, which would send some keys elsewhere.
//!
//! librdkafka-based clients (Python, Go, .NET, kcat) default to CRC32 (`consistent_random`),
//! so they place the same key elsewhere unless configured with `murmur2_random`.

const SEED: u32 = 0x9747_b28c;
const M: u32 = 0x5bd1_e995;
const R: u32 = 24;

/// 32-bit murmur2 exactly as Kafka computes it (returned as Java's signed `int`).
pub fn murmur2(data: &[u8]) -> i32 {
    let length = data.len();
    let mut h: u32 = SEED ^ (length as u32);
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    // The Java switch falls through from case 3 to case 1.
    let tail = chunks.remainder();
    if tail.len() >= 3 {
        h ^= (tail[2] as u32) << 16;
    }
    if tail.len() >= 2 {
        h ^= (tail[1] as u32) << 8;
    }
    if !tail.is_empty() {
        h ^= tail[0] as u32;
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// `Utils.toPositive`: clears the sign bit.
pub fn to_positive(x: i32) -> i32 {
    x & 0x7fff_ffff
}

/// The partition Java's default partitioner picks for a (non-null) key.
pub fn partition_for_key(key: &[u8], num_partitions: u32) -> u32 {
    assert!(num_partitions > 0, "a topic has at least one partition");
    (to_positive(murmur2(key)) as u32) % num_partitions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_kafka_utils_test_vectors() {
        // org.apache.kafka.common.utils.UtilsTest#testMurmur2
        assert_eq!(murmur2(b"21"), -973932308);
        assert_eq!(murmur2(b"foobar"), -790332482);
        assert_eq!(murmur2(b"a-little-bit-long-string"), -985981536);
        assert_eq!(murmur2(b"a-little-bit-longer-string"), -1486304829);
        assert_eq!(
            murmur2(b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"),
            -58897971
        );
        assert_eq!(murmur2(b"abc"), 479470107);
    }

    #[test]
    fn to_positive_masks_instead_of_abs() {
        assert_eq!(to_positive(-1), i32::MAX);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(5), 5);
    }

    #[test]
    fn course_key_skew_examples() {
        // "Teaching gold": with 3 partitions A, B, C all land on partition 1 and
        // user-1..3 all on partition 2.
        for k in ["A", "B", "C"] {
            assert_eq!(partition_for_key(k.as_bytes(), 3), 1, "key {k}");
        }
        for k in ["user-1", "user-2", "user-3"] {
            assert_eq!(partition_for_key(k.as_bytes(), 3), 2, "key {k}");
        }
    }
}
