#!/usr/bin/env bash
# Native benchmarks of the simulation core: one table of figures against their targets.
#
#   scripts/bench.sh        makes sure kafka-python is importable, then `cargo bench --bench core`
#
# The bench compares the Rust assignors with kafka-python's on the same input in the same run
# (scripts/bench_kafka_python.py). If `python3` cannot import kafka-python, this script installs
# it into a virtual environment under target/ (nothing system-wide) and puts that first on PATH;
# if that fails too, the bench still runs and says "kafka-python not installed" in its table.
# KAFKASCOPE_NO_PIP=1 skips the install.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

KAFKA_PYTHON_VERSION="3.0.12"
VENV="$ROOT/target/bench-venv"

has_kafka_python() { python3 -c 'import kafka.coordinator.assignors.range' >/dev/null 2>&1; }

if [ -x "$VENV/bin/python3" ]; then
    export PATH="$VENV/bin:$PATH"
fi
if ! has_kafka_python && [ "${KAFKASCOPE_NO_PIP:-0}" != 1 ] && command -v python3 >/dev/null; then
    echo "bench: installing kafka-python $KAFKA_PYTHON_VERSION into ${VENV#"$ROOT"/}" >&2
    if python3 -m venv "$VENV" >&2 &&
        "$VENV/bin/python3" -m pip install --quiet "kafka-python==$KAFKA_PYTHON_VERSION" >&2; then
        export PATH="$VENV/bin:$PATH"
    else
        echo "bench: could not install kafka-python; the table will say so" >&2
    fi
fi

exec cargo bench --bench core "$@"
