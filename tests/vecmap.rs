//! `VecMap` / `VecSet` (the sim's sorted-Vec maps) behave exactly like `BTreeMap` /
//! `BTreeSet` for every operation the sim uses, and read and write the same JSON.
#![cfg(not(target_arch = "wasm32"))] // native only

use kafkascope::sim::vecmap::{VecMap, VecSet};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug)]
enum Op {
    Insert(u8, i32),
    Remove(u8),
    GetMut(u8, i32),
    Entry(u8, i32),
    Retain(u8),
    Extend(Vec<(u8, i32)>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<u8>(), any::<i32>()).prop_map(|(k, v)| Op::Insert(k % 40, v)),
        any::<u8>().prop_map(|k| Op::Remove(k % 40)),
        (any::<u8>(), any::<i32>()).prop_map(|(k, v)| Op::GetMut(k % 40, v)),
        (any::<u8>(), any::<i32>()).prop_map(|(k, v)| Op::Entry(k % 40, v)),
        any::<u8>().prop_map(|m| Op::Retain(m % 5 + 2)),
        proptest::collection::vec((any::<u8>(), any::<i32>()), 0..6)
            .prop_map(|v| Op::Extend(v.into_iter().map(|(k, v)| (k % 40, v)).collect())),
    ]
}

fn same(v: &VecMap<u8, i32>, b: &BTreeMap<u8, i32>) {
    assert_eq!(v.len(), b.len());
    assert_eq!(v.is_empty(), b.is_empty());
    assert!(v.iter().eq(b.iter()), "{v:?} vs {b:?}");
    assert!(v.keys().eq(b.keys()) && v.values().eq(b.values()));
    assert_eq!(v.first_key_value(), b.first_key_value());
    assert_eq!(v.last_key_value(), b.last_key_value());
    for k in 0..40u8 {
        assert_eq!(v.get(&k), b.get(&k));
        assert_eq!(v.contains_key(&k), b.contains_key(&k));
    }
}

proptest! {
    #[test]
    fn a_vecmap_is_a_btreemap(ops in proptest::collection::vec(op(), 0..80)) {
        let mut v = VecMap::new();
        let mut b = BTreeMap::new();
        for op in ops {
            match op {
                Op::Insert(k, x) => prop_assert_eq!(v.insert(k, x), b.insert(k, x)),
                Op::Remove(k) => prop_assert_eq!(v.remove(&k), b.remove(&k)),
                Op::GetMut(k, x) => {
                    if let (Some(a), Some(c)) = (v.get_mut(&k), b.get_mut(&k)) {
                        *a = x;
                        *c = x;
                    }
                }
                Op::Entry(k, x) => {
                    *v.entry(k).or_insert(x) += 1;
                    *b.entry(k).or_insert(x) += 1;
                    *v.entry(k).or_default() -= 1;
                    *b.entry(k).or_default() -= 1;
                }
                Op::Retain(m) => {
                    v.retain(|k, _| k % m != 0);
                    b.retain(|k, _| k % m != 0);
                }
                Op::Extend(pairs) => {
                    v.extend(pairs.clone());
                    b.extend(pairs);
                }
            }
            same(&v, &b);
        }
        // JSON: the same text both ways, and each reads the other's.
        let vs: VecMap<String, i32> = v.iter().map(|(k, x)| (k.to_string(), *x)).collect();
        let bs: BTreeMap<String, i32> = b.iter().map(|(k, x)| (k.to_string(), *x)).collect();
        let json = serde_json::to_string(&bs).unwrap();
        prop_assert_eq!(serde_json::to_string(&vs).unwrap(), json.clone());
        prop_assert_eq!(serde_json::from_str::<VecMap<String, i32>>(&json).unwrap(), vs);
    }

    #[test]
    fn collecting_keeps_the_last_value_of_a_repeated_key(pairs in proptest::collection::vec((0u8..10, any::<i32>()), 0..30)) {
        let v: VecMap<u8, i32> = pairs.iter().cloned().collect();
        let b: BTreeMap<u8, i32> = pairs.into_iter().collect();
        same(&v, &b);
    }

    #[test]
    fn a_vecset_is_a_btreeset(ops in proptest::collection::vec((any::<bool>(), 0u8..30), 0..80)) {
        let mut v = VecSet::new();
        let mut b = BTreeSet::new();
        for (insert, k) in ops {
            if insert {
                prop_assert_eq!(v.insert(k), b.insert(k));
            } else {
                prop_assert_eq!(v.remove(&k), b.remove(&k));
            }
            prop_assert_eq!(v.len(), b.len());
            prop_assert!(v.iter().eq(b.iter()));
            for k in 0..30u8 {
                prop_assert_eq!(v.contains(&k), b.contains(&k));
            }
        }
    }
}

#[test]
fn a_repeated_key_in_json_keeps_the_last_value_like_btreemap() {
    let json = r#"{"b": 1, "a": 2, "b": 3}"#;
    let v: VecMap<String, i32> = serde_json::from_str(json).unwrap();
    let b: BTreeMap<String, i32> = serde_json::from_str(json).unwrap();
    assert!(v.iter().eq(b.iter()));
    assert_eq!(v["b"], 3);
    let e = serde_json::from_str::<VecMap<String, i32>>("[1]").unwrap_err();
    assert!(e.to_string().contains("a map"), "{e}");
}
