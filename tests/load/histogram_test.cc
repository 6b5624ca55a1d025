#include "tests/load/histogram.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace moot::load {
namespace {

TEST(HistogramTest, EmptyReportsZeros) {
  Histogram h;
  EXPECT_EQ(h.count(), 0);
  EXPECT_EQ(h.ValueAtPercentile(50), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.min(), 0);
}

TEST(HistogramTest, SmallValuesAreExact) {
  Histogram h;  // 7 sub-bucket bits: exact below 256.
  for (int v = 1; v <= 100; ++v) {
    h.Record(v);
  }
  EXPECT_EQ(h.ValueAtPercentile(50), 50);
  EXPECT_EQ(h.ValueAtPercentile(90), 90);
  EXPECT_EQ(h.ValueAtPercentile(99), 99);
  EXPECT_EQ(h.ValueAtPercentile(100), 100);
  EXPECT_EQ(h.ValueAtPercentile(0), 1);
  EXPECT_EQ(h.min(), 1);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(HistogramTest, BucketsCoverEveryValueWithBoundedRelativeWidth) {
  Histogram h;
  for (int64_t v : {int64_t{0}, int64_t{127}, int64_t{128}, int64_t{255}, int64_t{256},
                    int64_t{1000}, int64_t{123456789}, int64_t{1} << 40}) {
    const int i = h.BucketIndex(v);
    EXPECT_LE(h.BucketLowest(i), v) << v;
    EXPECT_GE(h.BucketHighest(i), v) << v;
    const int64_t width = h.BucketHighest(i) - h.BucketLowest(i) + 1;
    if (v < 256) {
      EXPECT_EQ(width, 1) << v;  // Exact.
    } else {
      EXPECT_LE(static_cast<double>(width) / static_cast<double>(v), 1.0 / 128) << v;
    }
  }
  // Consecutive buckets tile the line with no gap.
  for (int i = 1; i < 128 * 20; ++i) {
    EXPECT_EQ(h.BucketLowest(i), h.BucketHighest(i - 1) + 1) << i;
  }
}

TEST(HistogramTest, UniformDistributionPercentilesWithinOnePercent) {
  Histogram h;
  for (int64_t v = 1; v <= 1000000; ++v) {
    h.Record(v * 1000);  // 1 us .. 1 s in ns.
  }
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    const double expected = p / 100.0 * 1e9;
    EXPECT_NEAR(static_cast<double>(h.ValueAtPercentile(p)), expected, expected * 0.01) << p;
  }
  EXPECT_EQ(h.ValueAtPercentile(100), int64_t{1000000000});
  EXPECT_EQ(h.max(), int64_t{1000000000});
}

TEST(HistogramTest, ExponentialDistributionMatchesSortedSample) {
  std::mt19937_64 rng(42);
  std::exponential_distribution<double> dist(1.0 / 200000.0);  // mean 200 us in ns.
  std::vector<int64_t> values;
  Histogram h;
  for (int i = 0; i < 200000; ++i) {
    const auto v = static_cast<int64_t>(dist(rng));
    values.push_back(v);
    h.Record(v);
  }
  std::sort(values.begin(), values.end());
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * values.size())) - 1;
    const double exact = static_cast<double>(values[rank]);
    EXPECT_NEAR(static_cast<double>(h.ValueAtPercentile(p)), exact, exact * 0.01) << p;
  }
  EXPECT_NEAR(h.mean(), 200000.0, 200000.0 * 0.02);
}

TEST(HistogramTest, BimodalTailIsVisibleAtP99) {
  Histogram h;
  h.Record(100000, 980);   // 98% at 100 us.
  h.Record(50000000, 20);  // 2% at 50 ms: a stall.
  EXPECT_NEAR(static_cast<double>(h.ValueAtPercentile(50)), 100000, 1000);
  EXPECT_NEAR(static_cast<double>(h.ValueAtPercentile(98)), 100000, 1000);
  EXPECT_NEAR(static_cast<double>(h.ValueAtPercentile(99)), 50000000, 500000);
}

TEST(HistogramTest, MergeEqualsRecordingEverythingInOne) {
  Histogram a, b, all;
  for (int64_t v = 0; v < 5000; ++v) {
    (v % 3 == 0 ? a : b).Record(v * 37);
    all.Record(v * 37);
  }
  ASSERT_TRUE(a.Merge(b));
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_DOUBLE_EQ(a.mean(), all.mean());
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
    EXPECT_EQ(a.ValueAtPercentile(p), all.ValueAtPercentile(p)) << p;
  }
}

TEST(HistogramTest, MergeRefusesDifferentPrecision) {
  Histogram a(7), b(5);
  b.Record(10);
  EXPECT_FALSE(a.Merge(b));
  EXPECT_EQ(a.count(), 0);
}

TEST(HistogramTest, OutOfRangeValuesAreClampedNotLost) {
  Histogram h;
  h.Record(-5);
  h.Record(INT64_MAX);
  EXPECT_EQ(h.count(), 2);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), (int64_t{1} << 62) - 1);
  h.Reset();
  EXPECT_EQ(h.count(), 0);
  EXPECT_EQ(h.ValueAtPercentile(99), 0);
}

}  // namespace
}  // namespace moot::load
