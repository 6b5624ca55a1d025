#include "libs/time/clock.h"

namespace moot::time {

Clock& Clock::Real() {
  static RealClock* const clock = new RealClock();
  return *clock;
}

absl::Time FakeClock::Now() const {
  absl::MutexLock lock(&mu_);
  return now_;
}

void FakeClock::Set(absl::Time t) {
  absl::MutexLock lock(&mu_);
  now_ = t;
}

void FakeClock::Advance(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  now_ += d;
}

const absl::TimeZone& London() {
  static const absl::TimeZone* const zone = [] {
    auto* tz = new absl::TimeZone();
    if (!absl::LoadTimeZone("Europe/London", tz)) {
      *tz = absl::UTCTimeZone();
    }
    return tz;
  }();
  return *zone;
}

}  // namespace moot::time
