#!/usr/bin/env python3
"""Times kafka-python's partition assignors on the input kafkascope's core bench writes.

    python3 scripts/bench_kafka_python.py INPUT.json        # prints one JSON object on stdout

`cargo bench --bench core` writes INPUT.json, runs this script in the same run and prints
python_time / rust_time per strategy. The input is the CLI's `assign` format, one entry per
case, plus what Rust assigned so the two results can be compared:

    {"topics": {"topic-0": 100, ...},
     "strategies": ["range", "roundrobin", "sticky", "cooperative-sticky"],
     "max_runs": 5, "budget_s": 6.0,
     "cases": [{"name": "cold",
                "members": [{"id": "member-000", "topics": ["topic-0", ...],
                             "owned": {"topic-0": [0, 1]}, "generation": 1}, ...],
                "rust": {"range": {"member-000": {"topic-0": [0]}, ...}, ...}}]}

Each assignor's `assign(cluster, members)` is timed in-process with time.perf_counter, after
the members' metadata has been built (a real group leader decodes it first as well); the
figure is the median of up to `max_runs` runs after one untimed warm-up call, fewer when the
runs of one case would take more than `budget_s` seconds (always at least one; a warm-up
call slower than budget_s / (max_runs + 1) counts as the first run).

Output:

    {"kafka_python": "3.0.12", "python": "3.11.7",
     "results": [{"case": "cold", "strategy": "range", "median_s": 0.0123, "runs": 5,
                  "same_as_rust": true}, ...
                 {"case": "cold", "strategy": "cooperative-sticky",
                  "unsupported": "not in kafka-python 2.0.2"}]}

Works with kafka-python 2.0.2 (assign(cluster, {member_id: metadata})) and 3.x
(assign(cluster, [JoinGroupResponseMember])). Without kafka-python it prints
{"error": "kafka-python not installed"} and exits with status 3.
"""

import json
import platform
import statistics
import sys
import time
from types import SimpleNamespace


class FakeCluster:
    """The two calls the assignors make on kafka-python's ClusterMetadata."""

    def __init__(self, partitions_per_topic):
        self._partitions = {t: set(range(n)) for t, n in partitions_per_topic.items()}

    def topics(self, exclude_internal_topics=True):
        return set(self._partitions)

    def partitions_for_topic(self, topic):
        return self._partitions.get(topic)


def load_assignors():
    """Strategy name -> (assignor, metadata builder); None for strategies the version lacks."""
    import kafka
    from kafka.coordinator.assignors.range import RangePartitionAssignor
    from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
    from kafka.coordinator.assignors.sticky.sticky_assignor import StickyPartitionAssignor
    from kafka.structs import TopicPartition

    def owned_tps(member):
        owned = member.get("owned") or {}
        return [TopicPartition(t, p) for t, ps in sorted(owned.items()) for p in ps]

    def plain(cls):
        return lambda member: cls.metadata(member["topics"])

    def sticky(member):
        # The sticky assignor's user data: previous assignment and its generation (KIP-54 v1).
        owned = owned_tps(member)
        generation = member.get("generation")
        generation = -1 if generation is None else generation
        if hasattr(StickyPartitionAssignor, "_metadata"):  # 3.x
            return StickyPartitionAssignor._metadata(
                member["topics"], owned or None, generation
            )
        # 2.x: metadata() reads class attributes, so encode the user data as it does.
        from kafka.coordinator.assignors.sticky.sticky_assignor import StickyAssignorUserDataV1
        from kafka.coordinator.protocol import ConsumerProtocolMemberMetadata

        user_data = b""
        if owned:
            by_topic = {}
            for tp in owned:
                by_topic.setdefault(tp.topic, []).append(tp.partition)
            # Named: 2.x's Struct.encode holds its instance by a weak reference only.
            data = StickyAssignorUserDataV1(list(by_topic.items()), generation)
            user_data = data.encode()
        return ConsumerProtocolMemberMetadata(
            StickyPartitionAssignor.version, list(member["topics"]), user_data
        )

    assignors = {
        "range": (RangePartitionAssignor(), plain(RangePartitionAssignor)),
        "roundrobin": (RoundRobinPartitionAssignor(), plain(RoundRobinPartitionAssignor)),
        "sticky": (StickyPartitionAssignor(), sticky),
        "cooperative-sticky": None,
    }
    try:
        from kafka.coordinator.assignors.cooperative_sticky import CooperativeStickyAssignor
        from kafka.protocol.consumer.metadata import ConsumerProtocolSubscription

        def cooperative(member):
            # KIP-429 owned partitions and (subscription v2) their generation.
            owned = member.get("owned") or {}
            generation = member.get("generation")
            return ConsumerProtocolSubscription(
                version=2,
                topics=sorted(member["topics"]),
                user_data=b"",
                owned_partitions=[
                    ConsumerProtocolSubscription.TopicPartition(topic=t, partitions=sorted(ps))
                    for t, ps in sorted(owned.items())
                ],
                generation_id=-1 if generation is None else generation,
            )

        assignors["cooperative-sticky"] = (CooperativeStickyAssignor(), cooperative)
    except ImportError:
        pass
    return kafka.__version__, assignors


def members_argument(version, members, build_metadata):
    """kafka-python 2.x takes {member_id: metadata}; 3.x a list of JoinGroupResponseMember."""
    if int(version.split(".")[0]) < 3:
        return {m["id"]: build_metadata(m) for m in members}
    return [
        SimpleNamespace(member_id=m["id"], group_instance_id=None, metadata=build_metadata(m))
        for m in members
    ]


def as_sets(result):
    """{member_id: ProtocolAssignment} -> {member_id: {(topic, partition)}} without empty ones."""
    out = {}
    for member_id, assignment in result.items():
        tps = {(tp.topic, tp.partition) for tp in assignment.partitions()}
        if tps:
            out[member_id] = tps
    return out


def rust_as_sets(rust):
    out = {}
    for member_id, per_topic in rust.items():
        tps = {(t, p) for t, ps in per_topic.items() for p in ps}
        if tps:
            out[member_id] = tps
    return out


def main():
    if len(sys.argv) != 2:
        print("usage: bench_kafka_python.py INPUT.json", file=sys.stderr)
        return 2
    try:
        version, assignors = load_assignors()
    except ImportError as e:
        print(json.dumps({"error": f"kafka-python not installed ({e})"}))
        return 3
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)

    cluster = FakeCluster(spec["topics"])
    max_runs = int(spec.get("max_runs", 5))
    budget_s = float(spec.get("budget_s", 6.0))
    results = []
    for case in spec["cases"]:
        for strategy in spec["strategies"]:
            entry = {"case": case["name"], "strategy": strategy}
            results.append(entry)
            found = assignors.get(strategy)
            if found is None:
                entry["unsupported"] = f"not in kafka-python {version}"
                continue
            assignor, build_metadata = found
            members = members_argument(version, case["members"], build_metadata)
            # A first call, untimed unless it is slow (then it is the first of the runs).
            started = time.perf_counter()
            result = assignor.assign(cluster, members)
            first = time.perf_counter() - started
            times = [first] if first > budget_s / (max_runs + 1) else []
            started = time.perf_counter()
            while len(times) < max_runs:
                t0 = time.perf_counter()
                result = assignor.assign(cluster, members)
                times.append(time.perf_counter() - t0)
                if time.perf_counter() - started + times[-1] > budget_s:
                    break
            entry["median_s"] = statistics.median(times)
            entry["runs"] = len(times)
            rust = case.get("rust", {}).get(strategy)
            if rust is not None:
                entry["same_as_rust"] = as_sets(result) == rust_as_sets(rust)
    print(
        json.dumps(
            {"kafka_python": version, "python": platform.python_version(), "results": results}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
