#include "tests/load/open_loop.h"

#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cmath>

namespace moot::load {

OpenLoopSchedule::OpenLoopSchedule(absl::Time start, double rate_per_second)
    : start_(start),
      rate_(rate_per_second > 0 ? rate_per_second : 1.0),
      interval_ns_(1e9 / rate_) {}

absl::Time OpenLoopSchedule::IntendedSendTime(int64_t index) const {
  return start_ + absl::Nanoseconds(static_cast<int64_t>(
                      std::llround(static_cast<double>(index) * interval_ns_)));
}

int64_t OpenLoopSchedule::DueBy(absl::Time t) const {
  if (t < start_) {
    return 0;
  }
  const double elapsed_ns = absl::ToDoubleNanoseconds(t - start_);
  int64_t n = static_cast<int64_t>(std::floor(elapsed_ns / interval_ns_)) + 1;
  // Correct the floating-point estimate against the exact rounding of IntendedSendTime.
  while (n > 0 && IntendedSendTime(n - 1) > t) {
    --n;
  }
  while (IntendedSendTime(n) <= t) {
    ++n;
  }
  return n;
}

int64_t RunOpenLoop(const moot::time::Clock& clock, const SleepUntilFn& sleep_until,
                    const OpenLoopSchedule& schedule, absl::Time end, const SendFn& send,
                    absl::Duration tick) {
  const int64_t limit = end > schedule.start() ? schedule.DueBy(end - absl::Nanoseconds(1)) : 0;
  int64_t sent = 0;
  absl::Time last_wake = absl::InfinitePast();
  while (sent < limit) {
    const absl::Time intended = schedule.IntendedSendTime(sent);
    if (clock.Now() < intended) {
      sleep_until(std::max(intended, last_wake + tick));
      last_wake = clock.Now();
      if (last_wake < intended) {
        continue;  // Woken early; the clock moves, so this ends.
      }
    }
    send(sent, intended);
    ++sent;
  }
  return sent;
}

void SleepUntilReal(absl::Time t) {
  const timespec ts = absl::ToTimespec(t);
  while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

}  // namespace moot::load
