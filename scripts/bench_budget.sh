#!/usr/bin/env bash
# The budget model's benchmarks (issue 5 point 12): a precept year with 10 billing authorities
# and 20 funding lines, two scenarios compared with sensitivity, and a 10-year medium-term plan.
# Each must take microseconds, not milliseconds: the script fails when a mean real time per
# call reaches 1 ms. Results: var/bench/budget.json (Google Benchmark JSON) and a summary on
# stdout.
#
#   scripts/bench_budget.sh BUILD_DIR      (default build/release; make bench builds it)
#   BENCH_OUT_DIR=var/bench                where the JSON goes
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${1:-build/release}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
OUT=${BENCH_OUT_DIR:-$ROOT/var/bench}
BENCH="$BUILD/services/budget/budget_bench"

command -v jq >/dev/null || { echo "bench_budget: jq is required (make deps)" >&2; exit 1; }
[ -x "$BENCH" ] || { echo "bench_budget: $BENCH is missing; build target budget_bench" >&2; exit 1; }
mkdir -p "$OUT"

timeout 300 "$BENCH" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_out="$OUT/budget.json" --benchmark_out_format=json >/dev/null

echo "budget model (mean of 3 repetitions):"
jq -r '.benchmarks[] | select(.aggregate_name == "mean")
       | "  \(.run_name): \(.real_time | floor) \(.time_unit) real"' "$OUT/budget.json"
slow=$(jq -r '.benchmarks[] | select(.aggregate_name == "mean")
              | (if .time_unit == "ns" then .real_time / 1000
                 elif .time_unit == "us" then .real_time
                 elif .time_unit == "ms" then .real_time * 1000
                 else .real_time * 1000000 end) as $us
              | select($us >= 1000) | .run_name' "$OUT/budget.json")
if [ -n "$slow" ]; then
  echo "bench_budget: slower than 1 ms per call: $slow" >&2
  exit 1
fi
echo "bench_budget: every case under 1 ms; results in $OUT/budget.json"
