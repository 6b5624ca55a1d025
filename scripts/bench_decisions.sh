#!/usr/bin/env bash
# The decisions register's part of quality.md P4: recording a resolution (a write with its
# outbox event) at a fixed rate on SQLite, write p99 and the commit-to-consumer latency of its
# event through a real Redis. Writes $BENCH_OUT_DIR/decisions.json (one JSON object) and prints
# it; exits non-zero when the bench could not run.
#
#   scripts/bench_decisions.sh BUILD_DIR       (e.g. build/release)
#   BENCH_DURATION=20s BENCH_DECISIONS_RATE=500 BENCH_OUT_DIR=var/bench
#
# To join `make bench`, call it from scripts/bench.sh after the floor and merge the object into
# runs.jsonl (it carries target_id "P4" and name "decisions-record-resolution").
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${1:-build/release}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
DURATION=${BENCH_DURATION:-20s}
RATE=${BENCH_DECISIONS_RATE:-500}
OUT=${BENCH_OUT_DIR:-$ROOT/var/bench}
BENCH="$BUILD/services/decisions/decisions_bench"
[ -x "$BENCH" ] || { echo "bench_decisions: $BENCH is not built" >&2; exit 1; }
mkdir -p "$OUT"
WORK=$(mktemp -d)
REDIS_PID=
cleanup() {
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A private Redis on a free port, nothing persisted.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$WORK" \
  >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 50); do
  redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done

timeout 300 "$BENCH" --redis="redis://127.0.0.1:$PORT" --database="sqlite://$WORK/bench.db" \
  --rate="$RATE" --duration="$DURATION" | tee "$OUT/decisions.json"
