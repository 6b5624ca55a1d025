#include "tests/load/open_loop.h"

#include <vector>

#include "gtest/gtest.h"
#include "libs/time/clock.h"
#include "tests/load/histogram.h"

namespace moot::load {
namespace {

using moot::time::FakeClock;

const absl::Time kStart = absl::FromUnixSeconds(1700000000);

TEST(OpenLoopScheduleTest, IntendedSendTimesAreFixedIntervalsFromStart) {
  const OpenLoopSchedule s(kStart, 1000);
  EXPECT_EQ(s.IntendedSendTime(0), kStart);
  EXPECT_EQ(s.IntendedSendTime(1), kStart + absl::Milliseconds(1));
  EXPECT_EQ(s.IntendedSendTime(1000), kStart + absl::Seconds(1));
  // A rate that does not divide a second: rounded to the nanosecond, no drift.
  const OpenLoopSchedule third(kStart, 3);
  EXPECT_EQ(third.IntendedSendTime(1), kStart + absl::Nanoseconds(333333333));
  EXPECT_EQ(third.IntendedSendTime(3), kStart + absl::Seconds(1));
  EXPECT_EQ(third.IntendedSendTime(3000), kStart + absl::Seconds(1000));
}

TEST(OpenLoopScheduleTest, DueByCountsSendsAtOrBeforeATime) {
  const OpenLoopSchedule s(kStart, 1000);
  EXPECT_EQ(s.DueBy(kStart - absl::Nanoseconds(1)), 0);
  EXPECT_EQ(s.DueBy(kStart), 1);
  EXPECT_EQ(s.DueBy(kStart + absl::Microseconds(999)), 1);
  EXPECT_EQ(s.DueBy(kStart + absl::Milliseconds(1)), 2);
  EXPECT_EQ(s.DueBy(kStart + absl::Seconds(1) - absl::Nanoseconds(1)), 1000);
}

// Sleeps by moving the fake clock to the wake-up time, plus `stall` once on the n-th sleep.
struct FakeSleeper {
  FakeClock* clock;
  int stall_on_sleep = -1;
  absl::Duration stall;
  int sleeps = 0;
  void operator()(absl::Time t) {
    if (clock->Now() < t) {
      clock->Set(t);
    }
    if (sleeps++ == stall_on_sleep) {
      clock->Advance(stall);
    }
  }
};

struct Send {
  int64_t index;
  absl::Time intended;
  absl::Time actual;
};

TEST(RunOpenLoopTest, SendsEachRequestAtItsIntendedTime) {
  FakeClock clock(kStart);
  FakeSleeper sleeper{&clock};
  std::vector<Send> sends;
  const OpenLoopSchedule s(kStart, 100);
  const int64_t n = RunOpenLoop(clock, std::ref(sleeper), s, kStart + absl::Seconds(1),
                                [&](int64_t i, absl::Time intended) {
                                  sends.push_back({i, intended, clock.Now()});
                                });
  ASSERT_EQ(n, 100);
  ASSERT_EQ(sends.size(), 100u);
  for (int64_t i = 0; i < 100; ++i) {
    EXPECT_EQ(sends[i].index, i);
    EXPECT_EQ(sends[i].intended, kStart + i * absl::Milliseconds(10));
    EXPECT_EQ(sends[i].actual, sends[i].intended);
  }
}

TEST(RunOpenLoopTest, AStallDoesNotShiftLaterSendTimesAndLatencyCountsFromIntended) {
  FakeClock clock(kStart);
  // The 10th sleep oversleeps by 55 ms (e.g. the loadgen was descheduled): sends due meanwhile
  // go out at once, still stamped with their intended times.
  FakeSleeper sleeper{&clock, 9, absl::Milliseconds(55)};
  const OpenLoopSchedule s(kStart, 100);
  std::vector<Send> sends;
  Histogram latency_us;
  const absl::Duration service_time = absl::Milliseconds(1);
  RunOpenLoop(
      clock, std::ref(sleeper), s, kStart + absl::Seconds(1), [&](int64_t i, absl::Time intended) {
        sends.push_back({i, intended, clock.Now()});
        // The response arrives service_time after the actual send.
        latency_us.Record(
            absl::ToInt64Microseconds(LatencyFromIntended(intended, clock.Now() + service_time)));
      });
  ASSERT_EQ(sends.size(), 100u);  // Nothing skipped.
  for (int64_t i = 0; i < 100; ++i) {
    EXPECT_EQ(sends[i].intended, kStart + i * absl::Milliseconds(10)) << i;
    EXPECT_GE(sends[i].actual, sends[i].intended) << i;
  }
  // The sleep before send 10 woke at its time 10's time + 55 ms: sends 10..15 left late, at that
  // instant.
  const absl::Time woke = kStart + absl::Milliseconds(155);
  for (int i = 10; i <= 15; ++i) {
    EXPECT_EQ(sends[i].actual, woke) << i;
  }
  EXPECT_EQ(sends[16].actual, sends[16].intended);
  // Latency from the intended time sees the stall: 56 ms, 46, 36, 26, 16, 6 for sends 10..15.
  EXPECT_EQ(latency_us.max(), 56000);
  EXPECT_NEAR(static_cast<double>(latency_us.ValueAtPercentile(50)), 1000, 10);
  EXPECT_GE(latency_us.ValueAtPercentile(95), 6000);
  // Measured from the actual send (coordinated omission) every call would look like 1 ms.
}

TEST(RunOpenLoopTest, ATickBatchesWakeUpsButKeepsIntendedTimes) {
  FakeClock clock(kStart);
  FakeSleeper sleeper{&clock};
  std::vector<Send> sends;
  // 1000/s with a 5 ms tick: one wake-up per 5 ms, five sends each.
  RunOpenLoop(
      clock, std::ref(sleeper), OpenLoopSchedule(kStart, 1000), kStart + absl::Milliseconds(100),
      [&](int64_t i, absl::Time intended) {
        sends.push_back({i, intended, clock.Now()});
      },
      absl::Milliseconds(5));
  ASSERT_EQ(sends.size(), 100u);
  EXPECT_LE(sleeper.sleeps, 21);
  for (int64_t i = 0; i < 100; ++i) {
    EXPECT_EQ(sends[i].intended, kStart + i * absl::Milliseconds(1)) << i;
    EXPECT_GE(sends[i].actual, sends[i].intended) << i;
    EXPECT_LT(sends[i].actual - sends[i].intended, absl::Milliseconds(5)) << i;
  }
}

TEST(RunOpenLoopTest, EndBeforeStartSendsNothing) {
  FakeClock clock(kStart);
  FakeSleeper sleeper{&clock};
  int calls = 0;
  EXPECT_EQ(RunOpenLoop(clock, std::ref(sleeper), OpenLoopSchedule(kStart, 10), kStart,
                        [&](int64_t, absl::Time) { ++calls; }),
            0);
  EXPECT_EQ(calls, 0);
}

TEST(LatencyFromIntendedTest, NeverNegative) {
  EXPECT_EQ(LatencyFromIntended(kStart, kStart + absl::Microseconds(130)), absl::Microseconds(130));
  EXPECT_EQ(LatencyFromIntended(kStart, kStart - absl::Microseconds(1)), absl::ZeroDuration());
}

}  // namespace
}  // namespace moot::load
