// Open-loop pacing: send times fixed in advance at a constant rate, so a slow response never
// delays later sends, and latency counted from the intended send time (no coordinated omission).
#pragma once

#include <cstdint>
#include <functional>

#include "absl/time/time.h"
#include "libs/time/clock.h"

namespace moot::load {

// Send i is due at start + i / rate.
class OpenLoopSchedule {
 public:
  // `rate_per_second` must be > 0 (values <= 0 are treated as 1/s).
  OpenLoopSchedule(absl::Time start, double rate_per_second);

  absl::Time start() const { return start_; }
  double rate() const { return rate_; }
  // When send `index` (0-based) should leave.
  absl::Time IntendedSendTime(int64_t index) const;
  // How many sends are due by `t` (those with IntendedSendTime(i) <= t); 0 before start.
  int64_t DueBy(absl::Time t) const;

 private:
  absl::Time start_;
  double rate_;
  double interval_ns_;
};

// Waits until the given time (real: sleeps; tests: advance a FakeClock).
using SleepUntilFn = std::function<void(absl::Time)>;
// Starts send `index`, which was due at `intended`.
using SendFn = std::function<void(int64_t index, absl::Time intended)>;

// Calls `send` for every index whose intended time is before `end`, in order, never earlier than
// its intended time; when the caller falls behind (a stall), the overdue sends go out at once
// with their original intended times. Returns the number of sends. Stops after
// schedule.DueBy(end) sends at most, so it always ends once the clock passes `end`.
// With a `tick`, the sender wakes at most once per tick and sends everything due by then (fewer
// wake-ups at high rates; the wait is still counted in each call's latency).
int64_t RunOpenLoop(const moot::time::Clock& clock, const SleepUntilFn& sleep_until,
                    const OpenLoopSchedule& schedule, absl::Time end, const SendFn& send,
                    absl::Duration tick = absl::ZeroDuration());

// The latency to report for a response that arrived at `done` for a send due at `intended`:
// done - intended (never negative).
inline absl::Duration LatencyFromIntended(absl::Time intended, absl::Time done) {
  return done > intended ? done - intended : absl::ZeroDuration();
}

// A SleepUntilFn for the real clock with fine timer slack (absolute CLOCK_REALTIME sleep).
void SleepUntilReal(absl::Time t);

}  // namespace moot::load
