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
    // UTF-8 byte order equals code point order, which equals UTF-16 order except where the
    // first differing characters are a supplementary one (U+10000 and up: a surrogate pair,
    // 0xD800.. in UTF-16; lead byte 0xF0..=0xF4 in UTF-8) and one in U+E000..=U+FFFF (lead
    // byte 0xEE or 0xEF). The strings agree up to the first differing byte, so either both
    // differing bytes are continuation bytes of characters with the same lead byte (same
    // length, byte order holds), or both are lead bytes.
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let Some(i) = first_difference(x, y) else {
        return x.len().cmp(&y.len());
    };
    let (p, q) = (x[i], y[i]);
    let high_bmp = |byte: u8| (0xEE..0xF0).contains(&byte);
    if (p >= 0xF0 && high_bmp(q)) || (q >= 0xF0 && high_bmp(p)) {
        // The surrogate pair comes first in UTF-16.
        return if p >= 0xF0 {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    p.cmp(&q)
}

/// The first index where `x` and `y` differ, if one of them does not start with the other.
/// Compares 8 bytes at a time: member ids often share a long prefix (`client.id-`).
fn first_difference(x: &[u8], y: &[u8]) -> Option<usize> {
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    let (x_words, _) = x.as_chunks::<8>();
    let (y_words, _) = y.as_chunks::<8>();
    for (k, (a, b)) in x_words.iter().zip(y_words).enumerate() {
        let diff = u64::from_le_bytes(*a) ^ u64::from_le_bytes(*b);
        if diff != 0 {
            return Some(k * 8 + diff.trailing_zeros() as usize / 8);
        }
    }
    (x_words.len() * 8..n).find(|&i| x[i] != y[i])
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
/// A list bin becomes a tree when it reaches this many nodes plus one …
const TREEIFY_THRESHOLD: usize = 8;
/// … and a tree bin that a resize leaves with this many nodes or fewer becomes a list again.
const UNTREEIFY_THRESHOLD: usize = 6;
/// Below this capacity a crowded bin makes the table grow instead of becoming a tree.
const MIN_TREEIFY_CAPACITY: usize = 64;

type Link = Option<u32>;

/// One `HashMap.Node`/`TreeNode`: `next`/`prev` are the bin's iteration order, the rest is
/// the red-black tree of a tree bin.
#[derive(Clone, Debug)]
struct Node<K> {
    hash: u32,
    key: K,
    next: Link,
    prev: Link,
    parent: Link,
    left: Link,
    right: Link,
    red: bool,
}

/// The key order of a `java.util.HashSet` / the key set of a `java.util.HashMap` created with
/// the default constructor. Keys are small ids; the caller supplies each key's spread hash
/// ([`spread`]) and, for keys whose hashes are equal, Java's `compareTo` (only tree bins use it).
///
/// This is a transcription of `java.util.HashMap` (JDK 8–21 share the code): a table of bins,
/// each a linked list in insertion order, split in order on resize; a bin that would reach 9
/// nodes makes a table smaller than 64 grow, and otherwise becomes a red-black tree
/// (`TreeNode.treeify`, `putTreeVal`, `balanceInsertion`, `moveRootToFront`, `split`),
/// whose iteration order is no longer insertion order: the root moves to the front and a new
/// node is linked in right after its tree parent. All of that is reproduced. One thing is not:
/// removing a key from a *tree* bin (`removeTreeNode`, which can move a new root to the front)
/// here just unlinks it and turns the bin back into a plain list. Only the sticky assignor's
/// movement sets remove keys, and their tree bins would need 9+ partitions of one topic
/// moved between the same two members whose hashes agree in the table's low bits.
#[derive(Clone, Debug, Default)]
pub struct JavaHashSet<K> {
    nodes: Vec<Node<K>>,
    /// Bin heads (`HashMap.table`); empty until the first insertion, like Java's lazy table.
    table: Vec<Link>,
    is_tree: Vec<bool>,
    len: usize,
}

impl<K: Copy + Eq> JavaHashSet<K> {
    pub fn new() -> Self {
        JavaHashSet {
            nodes: Vec::new(),
            table: Vec::new(),
            is_tree: Vec::new(),
            len: 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `HashMap.putVal` (`HashSet.add`). Returns whether the key was new. `compare` is the
    /// keys' `compareTo`, consulted only inside tree bins and only for equal hashes.
    pub fn insert(&mut self, key: K, hash: u32, compare: &dyn Fn(K, K) -> Ordering) -> bool {
        if self.table.is_empty() {
            self.table = vec![None; DEFAULT_INITIAL_CAPACITY];
            self.is_tree = vec![false; DEFAULT_INITIAL_CAPACITY];
        }
        let index = self.index(hash);
        match self.table[index] {
            None => {
                let x = self.new_node(hash, key, None);
                self.table[index] = Some(x);
            }
            Some(_) if self.is_tree[index] => {
                if !self.put_tree_val(index, hash, key, compare) {
                    return false;
                }
            }
            Some(head) => {
                let mut p = head;
                let mut bin_count = 0;
                loop {
                    if self.nodes[p as usize].key == key {
                        return false;
                    }
                    match self.nodes[p as usize].next {
                        Some(e) => {
                            p = e;
                            bin_count += 1;
                        }
                        None => {
                            let x = self.new_node(hash, key, None);
                            self.nodes[p as usize].next = Some(x);
                            self.nodes[x as usize].prev = Some(p);
                            if bin_count >= TREEIFY_THRESHOLD - 1 {
                                self.treeify_bin(hash, compare);
                            }
                            break;
                        }
                    }
                }
            }
        }
        self.len += 1;
        if self.len > self.table.len() / 4 * 3 {
            self.resize(compare);
        }
        true
    }

    /// `HashMap.removeNode` (`HashSet.remove`). Returns whether the key was there.
    pub fn remove(&mut self, key: K, hash: u32) -> bool {
        if self.table.is_empty() {
            return false;
        }
        let index = self.index(hash);
        let mut cursor = self.table[index];
        while let Some(x) = cursor {
            let node = &self.nodes[x as usize];
            if node.key == key {
                let (prev, next) = (node.prev, node.next);
                match prev {
                    Some(p) => self.nodes[p as usize].next = next,
                    None => self.table[index] = next,
                }
                if let Some(n) = next {
                    self.nodes[n as usize].prev = prev;
                }
                if self.is_tree[index] {
                    // See the type's docs: not `removeTreeNode`.
                    self.is_tree[index] = false;
                }
                self.len -= 1;
                return true;
            }
            cursor = node.next;
        }
        false
    }

    /// Keys in Java's iteration order.
    pub fn iter(&self) -> impl Iterator<Item = K> + '_ {
        self.table.iter().flat_map(move |&head| {
            std::iter::successors(head, move |&x| self.nodes[x as usize].next)
                .map(move |x| self.nodes[x as usize].key)
        })
    }

    /// What `set.iterator().next()` returns.
    pub fn first(&self) -> Option<K> {
        self.iter().next()
    }

    fn index(&self, hash: u32) -> usize {
        hash as usize & (self.table.len() - 1)
    }

    fn new_node(&mut self, hash: u32, key: K, next: Link) -> u32 {
        self.nodes.push(Node {
            hash,
            key,
            next,
            prev: None,
            parent: None,
            left: None,
            right: None,
            red: false,
        });
        (self.nodes.len() - 1) as u32
    }

    /// `HashMap.resize`: doubles the table. List bins split into a "lo" and a "hi" list that
    /// keep their order; tree bins split the same way (`TreeNode.split`).
    fn resize(&mut self, compare: &dyn Fn(K, K) -> Ordering) {
        let old_capacity = self.table.len();
        let new_capacity = old_capacity * 2;
        let old_table = std::mem::replace(&mut self.table, vec![None; new_capacity]);
        let old_is_tree = std::mem::replace(&mut self.is_tree, vec![false; new_capacity]);
        for (j, head) in old_table.into_iter().enumerate() {
            let Some(head) = head else { continue };
            let (mut lo, mut hi) = (Vec::new(), Vec::new());
            let mut cursor = Some(head);
            while let Some(x) = cursor {
                cursor = self.nodes[x as usize].next;
                if self.nodes[x as usize].hash as usize & old_capacity == 0 {
                    lo.push(x);
                } else {
                    hi.push(x);
                }
            }
            let both = !lo.is_empty() && !hi.is_empty();
            for (bin, list) in [(j, lo), (j + old_capacity, hi)] {
                if list.is_empty() {
                    continue;
                }
                self.link_list(bin, &list);
                if old_is_tree[j] && list.len() > UNTREEIFY_THRESHOLD {
                    self.is_tree[bin] = true;
                    if both {
                        self.treeify(bin, compare);
                    }
                }
            }
        }
    }

    /// Makes `list` the bin's linked list, in that order.
    fn link_list(&mut self, bin: usize, list: &[u32]) {
        self.table[bin] = list.first().copied();
        for (i, &x) in list.iter().enumerate() {
            let node = &mut self.nodes[x as usize];
            node.prev = i.checked_sub(1).map(|p| list[p]);
            node.next = list.get(i + 1).copied();
        }
    }

    /// `HashMap.treeifyBin`.
    fn treeify_bin(&mut self, hash: u32, compare: &dyn Fn(K, K) -> Ordering) {
        if self.table.len() < MIN_TREEIFY_CAPACITY {
            self.resize(compare);
        } else {
            let index = self.index(hash);
            self.is_tree[index] = true;
            self.treeify(index, compare);
        }
    }

    /// Which way `x` goes from `p` in a tree bin (`dir <= 0` is left).
    fn goes_left(&self, x: u32, p: u32, compare: &dyn Fn(K, K) -> Ordering) -> bool {
        let (x, p) = (&self.nodes[x as usize], &self.nodes[p as usize]);
        // Hashes compare as Java ints.
        match (p.hash as i32).cmp(&(x.hash as i32)) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => compare(x.key, p.key) != Ordering::Greater,
        }
    }

    /// `TreeNode.treeify`: builds the tree from the bin's list, in list order.
    fn treeify(&mut self, bin: usize, compare: &dyn Fn(K, K) -> Ordering) {
        let mut root: Link = None;
        let mut cursor = self.table[bin];
        while let Some(x) = cursor {
            cursor = self.nodes[x as usize].next;
            let node = &mut self.nodes[x as usize];
            node.left = None;
            node.right = None;
            match root {
                None => {
                    node.parent = None;
                    node.red = false;
                    root = Some(x);
                }
                Some(r) => {
                    let mut p = r;
                    loop {
                        let left = self.goes_left(x, p, compare);
                        let child = if left {
                            self.nodes[p as usize].left
                        } else {
                            self.nodes[p as usize].right
                        };
                        match child {
                            Some(c) => p = c,
                            None => {
                                self.nodes[x as usize].parent = Some(p);
                                if left {
                                    self.nodes[p as usize].left = Some(x);
                                } else {
                                    self.nodes[p as usize].right = Some(x);
                                }
                                root = Some(self.balance_insertion(r, x));
                                break;
                            }
                        }
                    }
                }
            }
        }
        if let Some(r) = root {
            self.move_root_to_front(bin, r);
        }
    }

    /// `TreeNode.putTreeVal`: returns false if the key is already there.
    fn put_tree_val(
        &mut self,
        bin: usize,
        hash: u32,
        key: K,
        compare: &dyn Fn(K, K) -> Ordering,
    ) -> bool {
        let root = self.table[bin].expect("a tree bin has a root first");
        let x = self.new_node(hash, key, None);
        let mut p = root;
        loop {
            if self.nodes[p as usize].hash == hash && self.nodes[p as usize].key == key {
                self.nodes.pop();
                return false;
            }
            let left = self.goes_left(x, p, compare);
            let child = if left {
                self.nodes[p as usize].left
            } else {
                self.nodes[p as usize].right
            };
            match child {
                Some(c) => p = c,
                None => {
                    // Linked into the bin's list right after its tree parent.
                    let xpn = self.nodes[p as usize].next;
                    if left {
                        self.nodes[p as usize].left = Some(x);
                    } else {
                        self.nodes[p as usize].right = Some(x);
                    }
                    self.nodes[p as usize].next = Some(x);
                    let node = &mut self.nodes[x as usize];
                    node.next = xpn;
                    node.parent = Some(p);
                    node.prev = Some(p);
                    if let Some(n) = xpn {
                        self.nodes[n as usize].prev = Some(x);
                    }
                    let root = self.balance_insertion(root, x);
                    self.move_root_to_front(bin, root);
                    return true;
                }
            }
        }
    }

    /// `TreeNode.moveRootToFront`.
    fn move_root_to_front(&mut self, bin: usize, root: u32) {
        let first = self.table[bin].expect("non-empty bin");
        if root == first {
            return;
        }
        self.table[bin] = Some(root);
        let (rp, rn) = (
            self.nodes[root as usize].prev,
            self.nodes[root as usize].next,
        );
        if let Some(n) = rn {
            self.nodes[n as usize].prev = rp;
        }
        if let Some(p) = rp {
            self.nodes[p as usize].next = rn;
        }
        self.nodes[first as usize].prev = Some(root);
        self.nodes[root as usize].next = Some(first);
        self.nodes[root as usize].prev = None;
    }

    fn parent(&self, x: u32) -> Link {
        self.nodes[x as usize].parent
    }

    fn is_red(&self, x: Link) -> bool {
        x.is_some_and(|x| self.nodes[x as usize].red)
    }

    /// `TreeNode.balanceInsertion`: the red-black fix-up after inserting `x`.
    fn balance_insertion(&mut self, mut root: u32, mut x: u32) -> u32 {
        self.nodes[x as usize].red = true;
        loop {
            let Some(xp) = self.parent(x) else {
                self.nodes[x as usize].red = false;
                return x;
            };
            let xpp = match self.parent(xp) {
                Some(xpp) if self.nodes[xp as usize].red => xpp,
                _ => return root,
            };
            let xppl = self.nodes[xpp as usize].left;
            if xppl == Some(xp) {
                let xppr = self.nodes[xpp as usize].right;
                if self.is_red(xppr) {
                    self.nodes[xppr.unwrap() as usize].red = false;
                    self.nodes[xp as usize].red = false;
                    self.nodes[xpp as usize].red = true;
                    x = xpp;
                } else {
                    let (mut xp, mut xpp) = (Some(xp), Some(xpp));
                    if self.nodes[xp.unwrap() as usize].right == Some(x) {
                        x = xp.unwrap();
                        root = self.rotate_left(root, x);
                        xp = self.parent(x);
                        xpp = xp.and_then(|p| self.parent(p));
                    }
                    if let Some(xp) = xp {
                        self.nodes[xp as usize].red = false;
                        if let Some(xpp) = xpp {
                            self.nodes[xpp as usize].red = true;
                            root = self.rotate_right(root, xpp);
                        }
                    }
                }
            } else if self.is_red(xppl) {
                self.nodes[xppl.unwrap() as usize].red = false;
                self.nodes[xp as usize].red = false;
                self.nodes[xpp as usize].red = true;
                x = xpp;
            } else {
                let (mut xp, mut xpp) = (Some(xp), Some(xpp));
                if self.nodes[xp.unwrap() as usize].left == Some(x) {
                    x = xp.unwrap();
                    root = self.rotate_right(root, x);
                    xp = self.parent(x);
                    xpp = xp.and_then(|p| self.parent(p));
                }
                if let Some(xp) = xp {
                    self.nodes[xp as usize].red = false;
                    if let Some(xpp) = xpp {
                        self.nodes[xpp as usize].red = true;
                        root = self.rotate_left(root, xpp);
                    }
                }
            }
        }
    }

    /// `TreeNode.rotateLeft`.
    fn rotate_left(&mut self, mut root: u32, p: u32) -> u32 {
        let Some(r) = self.nodes[p as usize].right else {
            return root;
        };
        let rl = self.nodes[r as usize].left;
        self.nodes[p as usize].right = rl;
        if let Some(rl) = rl {
            self.nodes[rl as usize].parent = Some(p);
        }
        let pp = self.nodes[p as usize].parent;
        self.nodes[r as usize].parent = pp;
        match pp {
            None => {
                root = r;
                self.nodes[r as usize].red = false;
            }
            Some(pp) if self.nodes[pp as usize].left == Some(p) => {
                self.nodes[pp as usize].left = Some(r)
            }
            Some(pp) => self.nodes[pp as usize].right = Some(r),
        }
        self.nodes[r as usize].left = Some(p);
        self.nodes[p as usize].parent = Some(r);
        root
    }

    /// `TreeNode.rotateRight`.
    fn rotate_right(&mut self, mut root: u32, p: u32) -> u32 {
        let Some(l) = self.nodes[p as usize].left else {
            return root;
        };
        let lr = self.nodes[l as usize].right;
        self.nodes[p as usize].left = lr;
        if let Some(lr) = lr {
            self.nodes[lr as usize].parent = Some(p);
        }
        let pp = self.nodes[p as usize].parent;
        self.nodes[l as usize].parent = pp;
        match pp {
            None => {
                root = l;
                self.nodes[l as usize].red = false;
            }
            Some(pp) if self.nodes[pp as usize].right == Some(p) => {
                self.nodes[pp as usize].right = Some(l)
            }
            Some(pp) => self.nodes[pp as usize].left = Some(l),
        }
        self.nodes[l as usize].right = Some(p);
        self.nodes[p as usize].parent = Some(l);
        root
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
    fn compare_agrees_with_utf16_on_every_pair_of_tricky_strings() {
        let words = [
            "",
            "a",
            "ab",
            "b",
            "consumer-10",
            "consumer-2",
            "\u{7F}",
            "\u{80}",
            "\u{7FF}",
            "\u{800}",
            "\u{D7FF}",
            "\u{E000}",
            "\u{EFFF}",
            "\u{F000}",
            "\u{FF61}",
            "\u{FFFF}",
            "\u{10000}",
            "\u{1F600}",
            "\u{1F601}",
            "\u{10FFFF}",
            "x\u{1F600}y",
            "x\u{FF61}",
            "x\u{1F600}",
            "é",
            "éa",
            "\u{E9}\u{1F600}",
            "\u{E9}\u{EFFF}",
            "\u{10400}",
            "\u{F4}",
        ];
        for a in words {
            for b in words {
                for (a, b) in [(a, b), (&*format!("{a}{b}"), a), (a, &*format!("{b}{a}"))] {
                    assert_eq!(
                        string_compare(a, b),
                        a.encode_utf16().cmp(b.encode_utf16()),
                        "{a:?} vs {b:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn hash_set_iterates_by_bucket_then_insertion() {
        let mut set = JavaHashSet::new();
        // 17 and 1 share bucket 1 of 16; 2 is in bucket 2; 0 in bucket 0.
        for k in [17u32, 2, 1, 0] {
            set.insert(k, k, &|a: u32, b: u32| a.cmp(&b));
        }
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![0, 17, 1, 2]);
        // The 13th key grows the table to 32: 17 now has a bucket of its own.
        for k in 3..12u32 {
            set.insert(k, k, &|a: u32, b: u32| a.cmp(&b));
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
            set.insert(i * 16, i * 16, &|a: u32, b: u32| a.cmp(&b));
        }
        assert_eq!(set.table.len(), 32);
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![0, 32, 64, 96, 128, 16, 48, 80, 112]
        );
    }

    #[test]
    fn sixteen_equal_hashes_make_a_tree_bin_ordered_like_java() {
        // "Aa" and "BB" have the same String.hashCode, so all 16 four-pair strings collide.
        // The 9th grows the table to 32, the 10th to 64, the 11th turns the bin into a
        // red-black tree. Expected order printed by a JVM (`new HashMap<>()`, `keySet()`).
        let keys = [
            "AaBBAaAa", "BBAaBBBB", "BBAaBBAa", "BBBBAaBB", "BBBBAaAa", "AaAaBBBB", "AaBBBBAa",
            "AaAaAaAa", "AaAaAaBB", "BBBBBBBB", "BBBBBBAa", "AaBBAaBB", "AaAaBBAa", "BBAaAaAa",
            "BBAaAaBB", "AaBBBBBB",
        ];
        let java = "BBAaBBAa AaBBAaAa BBAaBBBB BBBBAaBB BBBBAaAa AaAaBBBB AaAaBBAa AaBBBBAa \
                    BBAaAaAa AaBBBBBB BBAaAaBB AaBBAaBB AaAaAaAa AaAaAaBB BBBBBBBB BBBBBBAa";
        let compare = |a: u32, b: u32| string_compare(keys[a as usize], keys[b as usize]);
        let mut set = JavaHashSet::new();
        for (i, k) in keys.iter().enumerate() {
            assert!(set.insert(i as u32, spread(string_hash_code(k)), &compare));
        }
        assert!(!set.insert(3, spread(string_hash_code(keys[3])), &compare));
        let order: Vec<&str> = set.iter().map(|i| keys[i as usize]).collect();
        assert_eq!(order, java.split_whitespace().collect::<Vec<_>>());
    }
}
