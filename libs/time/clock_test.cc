#include "libs/time/clock.h"

#include <gtest/gtest.h>

namespace moot::time {
namespace {

TEST(FakeClockTest, MovesOnlyWhenTold) {
  FakeClock clock(absl::FromUnixSeconds(100));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(100));
  clock.Advance(absl::Seconds(5));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(105));
  clock.Set(absl::FromUnixSeconds(7));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(7));
}

TEST(RealClockTest, IsNearNow) {
  EXPECT_LT(absl::AbsDuration(Clock::Real().Now() - absl::Now()), absl::Seconds(5));
}

TEST(LondonTest, KnowsBritishSummerTime) {
  // 2023-07-01 12:00 UTC is 13:00 BST; 2023-12-01 12:00 UTC is 12:00 GMT.
  absl::Time summer = absl::FromCivil(absl::CivilSecond(2023, 7, 1, 12, 0, 0), absl::UTCTimeZone());
  absl::Time winter =
      absl::FromCivil(absl::CivilSecond(2023, 12, 1, 12, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(absl::ToCivilHour(summer, London()).hour(), 13);
  EXPECT_EQ(absl::ToCivilHour(winter, London()).hour(), 12);
}

}  // namespace
}  // namespace moot::time
