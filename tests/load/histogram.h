// A log-linear (HDR-style) latency histogram: constant relative precision over a wide range.
#pragma once

#include <cstdint>
#include <vector>

namespace moot::load {

// Records non-negative integer values (the load generator records nanoseconds) into buckets
// that are exact below 2^(sub_bucket_bits + 1) and have a relative width of at most
// 2^-sub_bucket_bits above it (0.8% with the default 7 bits). Negative values are recorded as 0,
// values of 2^62 or more as 2^62 - 1. Not thread-safe: guard it or keep one per thread and
// Merge().
class Histogram {
 public:
  explicit Histogram(int sub_bucket_bits = 7);

  void Record(int64_t value, int64_t count = 1);
  // Adds every value of `other`, which must have the same sub_bucket_bits (else does nothing and
  // returns false).
  bool Merge(const Histogram& other);
  void Reset();

  int64_t count() const { return count_; }
  int64_t min() const { return count_ == 0 ? 0 : min_; }
  int64_t max() const { return count_ == 0 ? 0 : max_; }
  double mean() const { return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_); }

  // The smallest recorded-bucket value v such that at least `percentile`% of the values are <= v
  // (reported as the bucket's highest value, never above max()). 0 when empty; percentile is
  // clamped to [0, 100]; 100 returns max().
  int64_t ValueAtPercentile(double percentile) const;

  // Bucket geometry, exposed for tests.
  int BucketIndex(int64_t value) const;
  int64_t BucketLowest(int index) const;
  int64_t BucketHighest(int index) const;

 private:
  int sub_bits_;
  int64_t sub_count_;  // 2^sub_bits_
  std::vector<int64_t> counts_;
  int64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  double sum_ = 0;
};

}  // namespace moot::load
