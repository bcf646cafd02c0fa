//! The CLI's JSON contract, driven through the real binary (stdin → stdout, exit code 2 on
//! bad input). Outside tools depend on exactly these shapes.
#![cfg(not(target_arch = "wasm32"))] // native only: processes, files, proptest

use std::io::Write;
use std::process::{Command, Stdio};

fn kafkascope(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kafkascope"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The CLI may exit before reading stdin (bad arguments): a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn partition_prints_one_partition_per_key() {
    let (code, out, _) = kafkascope(
        &["partition"],
        r#"{"partitions": 6, "keys": ["user-1", "order-42", ""]}"#,
    );
    assert_eq!(code, 0);
    let parts: Vec<u32> = serde_json::from_str(&out).unwrap();
    assert_eq!(parts.len(), 3);
    assert!(parts.iter().all(|&p| p < 6));
    let (_, three, _) = kafkascope(
        &["partition"],
        r#"{"partitions": 3, "keys": ["A", "B", "C", "user-1", "user-2", "user-3"]}"#,
    );
    assert_eq!(three.trim(), "[1,1,1,2,2,2]");
}

#[test]
fn assign_range_two_members_three_partitions() {
    let input = r#"{"topics": {"orders": 3}, "members": [{"id": "c1", "topics": ["orders"]}, {"id": "c2", "topics": ["orders"]}]}"#;
    let (code, out, _) = kafkascope(&["assign", "--strategy", "range"], input);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), r#"{"c1":{"orders":[0,1]},"c2":{"orders":[2]}}"#);
}

#[test]
fn assign_lists_every_member_even_idle_ones() {
    let input = r#"{"topics": {"orders": 1}, "members": [{"id": "c1", "topics": ["orders"]}, {"id": "c2", "topics": ["orders"]}]}"#;
    for s in ["range", "roundrobin", "sticky", "cooperative-sticky"] {
        let (code, out, _) = kafkascope(&["assign", "--strategy", s], input);
        assert_eq!(code, 0, "{s}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 2, "{s}: {out}");
    }
}

#[test]
fn assign_sticky_keeps_owned_partitions() {
    let input = r#"{"topics": {"orders": 3, "payments": 2}, "members": [
        {"id": "c1", "topics": ["orders", "payments"], "owned": {"orders": [0, 1], "payments": [1]}, "generation": 1},
        {"id": "c2", "topics": ["orders", "payments"], "owned": {"orders": [2], "payments": [0]}, "generation": 1}]}"#;
    let (code, out, _) = kafkascope(&["assign", "--strategy", "sticky"], input);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["c1"]["orders"], serde_json::json!([0, 1]));
    assert_eq!(v["c2"]["orders"], serde_json::json!([2]));
}

#[test]
fn replay_prints_the_final_state() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/public/scenarios/consumer-group-scaling.json"
    );
    let (code, out, err) = kafkascope(&["replay", path], "");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["groups"]["billing"]["state"], "Stable");
    let produced: u64 = v["topics"]["orders"]["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["log_end_offset"].as_u64().unwrap())
        .sum();
    assert!(produced > 0);
    assert!(v["groups"]["billing"]["offsets"][0]["lag"].is_u64());
}

#[test]
fn bad_input_exits_2_with_a_message_on_stderr() {
    for (args, stdin) in [
        (vec!["partition"], "not json"),
        (vec!["partition"], r#"{"partitions": 0, "keys": []}"#),
        (vec!["assign", "--strategy", "fastest"], "{}"),
        (
            vec!["assign", "--strategy", "range"],
            r#"{"topics": {"t": 1}}"#,
        ),
        (vec!["replay", "/nonexistent.json"], ""),
        (vec!["replay", "-"], r#"{"version": 9}"#),
        (vec!["bogus"], ""),
    ] {
        let (code, out, err) = kafkascope(&args, stdin);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}");
        assert!(err.starts_with("kafkascope: "), "{args:?}: {err}");
    }
}
