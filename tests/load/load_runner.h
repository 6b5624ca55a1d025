// Drives a Target closed-loop (N calls in flight, for maximum throughput) or open-loop (a fixed
// arrival rate, latency from the intended send time) and collects what the report needs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "absl/time/time.h"
#include "libs/time/clock.h"
#include "tests/load/histogram.h"
#include "tests/load/open_loop.h"
#include "tests/load/target.h"

namespace moot::load {

enum class LoadMode { kMax, kRate };

struct RunOptions {
  LoadMode mode = LoadMode::kMax;
  int concurrency = 1;                          // kMax: calls in flight.
  double rate = 100;                            // kRate: calls per second.
  absl::Duration warmup = absl::Seconds(3);     // Not measured.
  absl::Duration duration = absl::Seconds(20);  // Measured.
  // kRate: a send due while this many calls are outstanding is counted as LOADGEN_OVERLOAD
  // instead of being sent (bounds memory when the target cannot keep up).
  int64_t max_inflight = 50000;
  // kRate: the pacer wakes at most once per tick (see RunOpenLoop).
  absl::Duration tick = absl::ZeroDuration();
  // How long to wait after the end for outstanding calls.
  absl::Duration drain_timeout = absl::Seconds(15);
  // Called (on a helper thread) when the measured window opens and closes, e.g. to sample CPU.
  std::function<void()> on_measure_start;
  std::function<void()> on_measure_end;
};

struct RunResult {
  // Latency in nanoseconds of the successful calls sent in the measured window: from the intended
  // send time (kRate) or the actual send time (kMax) to the response.
  Histogram latency_ns;
  int64_t sent = 0;       // Calls sent (or due, for kRate) in the measured window.
  int64_t completed = 0;  // Of those, calls that finished (any code) before the drain ended.
  int64_t ok = 0;
  // Responses (any code / OK) that arrived inside the measured window, whenever sent: what the
  // target really delivered (an overloaded target finishes its backlog only in the drain).
  int64_t done_in_window = 0;
  int64_t ok_in_window = 0;
  std::map<std::string, int64_t> errors;  // By code name, incl. LOADGEN_OVERLOAD.
  int64_t error_count = 0;
  int64_t unfinished = 0;      // Calls (any window) still outstanding after the drain timeout.
  int64_t response_bytes = 0;  // Size of the last successful response.
  absl::Duration measured;     // The measured window's length.

  double achieved_rate() const;  // done_in_window / measured
  double ok_rate() const;        // ok_in_window / measured
};

// Runs `options` against `target` using `clock` for times and `sleep_until` to wait. Blocks for
// warmup + duration (+ drain). `target` must outlive every call it started (see unfinished).
RunResult RunLoad(Target& target, const RunOptions& options, const moot::time::Clock& clock,
                  const SleepUntilFn& sleep_until);

}  // namespace moot::load
