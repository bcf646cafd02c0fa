//! The few pieces of the Java runtime whose behaviour leaks into Kafka's assignors.
//!
//! The assignors run inside the group leader's JVM, and some of their tie-breaks are decided by
//! Java library behaviour rather than by anything in Kafka's own code:
//!
//! * **`String.compareTo`** orders strings by UTF-16 code units, so `"consumer-10"` sorts before
//!   `"consumer-2"` (`'1'` < `'2'`), exactly like Rust's byte order for ASCII. The two only
//!   disagree for characters above U+FFFF against U+E000–U+FFFF; [`string_compare`] follows Java.
//! * **`String.hashCode`** is `s[0]*31^(n-1) + … + s[n-1]` over UTF-16 code units, wrapping at
//!   32 bits, and `TopicPartition.hashCode` is `31 * (31 + partition) + topic.hashCode()`.
//! * **`HashMap` / `HashSet` iteration order.** The leader keeps the members' subscriptions in
//!   a `HashMap<String, Subscription>` (`ConsumerCoordinator.onLeaderElected`), so whichever
//!   member the sticky assignor looks at first is decided by the hash table: buckets in index
//!   order, `index = (h ^ (h >>> 16)) & (capacity - 1)`, and within a bucket the order of
//!   insertion. The table starts at 16 buckets, doubles when it holds more than 3/4 of its
//!   capacity, never shrinks on removal, and also doubles (instead of building a red-black tree)
//!   when one bucket reaches 9 entries while the table is smaller than 64. [`JavaHashSet`]
//!   reproduces all of that. The one thing it does not reproduce is the order inside a bucket
//!   that Java has turned into a tree (9+ colliding keys in a table of 64+ buckets): there we
//!   keep insertion order. That needs 9 keys whose spread hashes agree in their low 6+ bits,
//!   which no realistic member id or partition set produces.

use std::cmp::Ordering;

/// `java.lang.String.hashCode()`.
pub fn string_hash_code(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// `java.lang.String.compareTo()` as an [`Ordering`]: lexicographic over UTF-16 code units.
pub fn string_compare(a: &str, b: &str) -> Ordering {
    // UTF-8 byte order equals code point order, which equals UTF-16 order unless a
    // supplementary character (4 UTF-8 bytes, lead byte 0xF0..) is involved.
    if a.bytes().all(|b| b < 0xF0) && b.bytes().all(|b| b < 0xF0) {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// `org.apache.kafka.common.TopicPartition.hashCode()` given the topic's `String.hashCode()`.
pub fn topic_partition_hash_code(topic_hash: i32, partition: u32) -> i32 {
    31i32
        .wrapping_mul(31i32.wrapping_add(partition as i32))
        .wrapping_add(topic_hash)
}

/// `java.util.HashMap.hash()`: the hash code with its high half folded into the low half.
pub fn spread(hash_code: i32) -> u32 {
    let h = hash_code as u32;
    h ^ (h >> 16)
}

const DEFAULT_INITIAL_CAPACITY: usize = 16;
const TREEIFY_THRESHOLD: usize = 8;
const MIN_TREEIFY_CAPACITY: usize = 64;

/// The key order of a `java.util.HashSet` (a `HashMap` without values) created with
/// `new HashSet<>()` / `new HashMap<>()`. Keys are small ids; the caller supplies each key's
/// spread hash ([`spread`]).
#[derive(Clone, Debug, Default)]
pub struct JavaHashSet<K> {
    /// Empty until the first insertion, like Java's lazily allocated table.
    buckets: Vec<Vec<(u32, K)>>,
    len: usize,
}

impl<K: Copy + Eq> JavaHashSet<K> {
    pub fn new() -> Self {
        JavaHashSet {
            buckets: Vec::new(),
            len: 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `HashMap.putVal` for a key that may already be present. Returns whether it was new.
    pub fn insert(&mut self, key: K, hash: u32) -> bool {
        if self.buckets.is_empty() {
            self.buckets = vec![Vec::new(); DEFAULT_INITIAL_CAPACITY];
        }
        let index = self.index(hash);
        let bucket = &mut self.buckets[index];
        if bucket.iter().any(|&(_, k)| k == key) {
            return false;
        }
        bucket.push((hash, key));
        // putVal calls treeifyBin when it appends the 9th node to a list bin; treeifyBin
        // resizes instead while the table is small.
        if bucket.len() > TREEIFY_THRESHOLD && self.buckets.len() < MIN_TREEIFY_CAPACITY {
            self.resize();
        }
        self.len += 1;
        if self.len > self.buckets.len() / 4 * 3 {
            self.resize();
        }
        true
    }

    /// `HashMap.removeNode`: unlinks the key, keeping the order of the rest of its bucket.
    pub fn remove(&mut self, key: K, hash: u32) -> bool {
        if self.buckets.is_empty() {
            return false;
        }
        let index = self.index(hash);
        let bucket = &mut self.buckets[index];
        match bucket.iter().position(|&(_, k)| k == key) {
            Some(pos) => {
                bucket.remove(pos);
                self.len -= 1;
                true
            }
            None => false,
        }
    }

    /// Keys in Java's iteration order.
    pub fn iter(&self) -> impl Iterator<Item = K> + '_ {
        self.buckets.iter().flatten().map(|&(_, k)| k)
    }

    /// What `set.iterator().next()` returns.
    pub fn first(&self) -> Option<K> {
        self.iter().next()
    }

    fn index(&self, hash: u32) -> usize {
        hash as usize & (self.buckets.len() - 1)
    }

    /// `HashMap.resize`: doubles the table. Each bucket splits into a "lo" and a "hi" bucket
    /// that both keep the relative order of their entries.
    fn resize(&mut self) {
        let new_capacity = self.buckets.len() * 2;
        let mut buckets = vec![Vec::new(); new_capacity];
        for (hash, key) in self.buckets.drain(..).flatten() {
            buckets[hash as usize & (new_capacity - 1)].push((hash, key));
        }
        self.buckets = buckets;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_hash_code_matches_java() {
        // Values from `"…".hashCode()` in a JVM.
        assert_eq!(string_hash_code(""), 0);
        assert_eq!(string_hash_code("a"), 97);
        assert_eq!(string_hash_code("hello"), 99_162_322);
        assert_eq!(string_hash_code("consumer-1"), -166_239_206);
        assert_eq!(string_hash_code("consumer-10"), -858_448_042);
        assert_eq!(string_hash_code("polygenelubricants"), i32::MIN);
        // new TopicPartition("t", 3).hashCode()
        assert_eq!(topic_partition_hash_code(string_hash_code("t"), 3), 1170);
    }

    #[test]
    fn compare_is_utf16_order() {
        assert_eq!(string_compare("consumer-10", "consumer-2"), Ordering::Less);
        assert_eq!(string_compare("a", "ab"), Ordering::Less);
        // U+FF61 (3 UTF-8 bytes) vs U+1F600 (a surrogate pair, 0xD83D…): Java puts the emoji first.
        assert_eq!(string_compare("\u{FF61}", "\u{1F600}"), Ordering::Greater);
        assert_eq!("\u{FF61}".cmp("\u{1F600}"), Ordering::Less);
    }

    #[test]
    fn hash_set_iterates_by_bucket_then_insertion() {
        let mut set = JavaHashSet::new();
        // 17 and 1 share bucket 1 of 16; 2 is in bucket 2; 0 in bucket 0.
        for k in [17u32, 2, 1, 0] {
            set.insert(k, k);
        }
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![0, 17, 1, 2]);
        // The 13th key grows the table to 32: 17 now has a bucket of its own.
        for k in 3..12u32 {
            set.insert(k, k);
        }
        assert_eq!(set.iter().count(), 13);
        assert_eq!(set.iter().take(3).collect::<Vec<_>>(), vec![0, 1, 2]);
        set.remove(0, 0);
        assert_eq!(set.first(), Some(1));
    }

    #[test]
    fn a_crowded_small_table_grows_instead_of_treeifying() {
        let mut set = JavaHashSet::new();
        // Nine keys in bucket 0 of a 16-bucket table → resize to 32.
        for i in 0..9u32 {
            set.insert(i * 16, i * 16);
        }
        assert_eq!(set.buckets.len(), 32);
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![0, 32, 64, 96, 128, 16, 48, 80, 112]
        );
    }
}
