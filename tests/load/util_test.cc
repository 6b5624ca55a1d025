#include "gtest/gtest.h"
#include "tests/load/flags.h"
#include "tests/load/proc_stats.h"

#include <unistd.h>

namespace moot::load {
namespace {

TEST(FlagsTest, ParsesRepeatedValuesDurationsAndRates) {
  const char* argv[] = {"loadgen",
                        "--mode=rate",
                        "--rate=500/s",
                        "--duration=2s",
                        "--metadata=authorization:Bearer x",
                        "--metadata=x-a:b",
                        "--help"};
  absl::StatusOr<Flags> f =
      Flags::Parse(7, argv, {"mode", "rate", "duration", "metadata", "help", "warmup"});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->Get("mode"), "rate");
  EXPECT_EQ(*f->GetDouble("rate", 0), 500.0);
  EXPECT_EQ(*f->GetDuration("duration", absl::ZeroDuration()), absl::Seconds(2));
  EXPECT_EQ(*f->GetDuration("warmup", absl::Seconds(3)), absl::Seconds(3));
  EXPECT_EQ(f->GetAll("metadata"), (std::vector<std::string>{"authorization:Bearer x", "x-a:b"}));
  EXPECT_TRUE(f->Has("help"));
}

TEST(FlagsTest, RejectsUnknownFlagsPositionalArgumentsAndBadNumbers) {
  const char* unknown[] = {"x", "--nope=1"};
  EXPECT_EQ(Flags::Parse(2, unknown, {"mode"}).status().code(), absl::StatusCode::kInvalidArgument);
  const char* positional[] = {"x", "mode"};
  EXPECT_FALSE(Flags::Parse(2, positional, {"mode"}).ok());
  const char* bad[] = {"x", "--rate=fast", "--duration=soon"};
  absl::StatusOr<Flags> f = Flags::Parse(3, bad, {"rate", "duration"});
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->GetDouble("rate", 0).ok());
  EXPECT_FALSE(f->GetDuration("duration", absl::ZeroDuration()).ok());
}

TEST(ProcStatsTest, ParsesStatWithSpacesInTheCommandName) {
  const std::string stat =
      "1234 (my (odd) proc) S 1 1234 1234 0 -1 4194560 500 0 0 0 250 75 0 0 20 0 4 0 100 "
      "1000000 300 18446744073709551615";
  EXPECT_EQ(*ParseStatCpuTicks(stat), 325);
  EXPECT_FALSE(ParseStatCpuTicks("garbage").ok());
}

TEST(ProcStatsTest, ParsesVmHwm) {
  EXPECT_EQ(*ParseVmHwmKib("Name:\tx\nVmPeak:\t  9000 kB\nVmHWM:\t    4321 kB\nVmRSS:\t 1 kB\n"),
            4321);
  EXPECT_FALSE(ParseVmHwmKib("Name:\tx\n").ok());
}

TEST(ProcStatsTest, ReadsThisProcess) {
  absl::StatusOr<long long> rss = ProcessPeakRssKib(getpid());
  ASSERT_TRUE(rss.ok()) << rss.status();
  EXPECT_GT(*rss, 0);
  EXPECT_TRUE(ProcessCpuSeconds(getpid()).ok());
  EXPECT_FALSE(ProcessCpuSeconds(-1).ok());
  EXPECT_GE(SelfCpuSeconds(), 0.0);
}

}  // namespace
}  // namespace moot::load
