#include "tests/load/histogram.h"

#include <algorithm>
#include <cmath>

namespace moot::load {
namespace {
constexpr int64_t kMaxValue = (int64_t{1} << 62) - 1;
}  // namespace

Histogram::Histogram(int sub_bucket_bits)
    : sub_bits_(std::clamp(sub_bucket_bits, 1, 16)), sub_count_(int64_t{1} << sub_bits_) {
  // Groups 0 (exact values below 2^sub_bits) and 1..(62 - sub_bits + 1) for the highest bits.
  const int groups = 62 - sub_bits_ + 2;
  counts_.assign(static_cast<size_t>(groups) * static_cast<size_t>(sub_count_), 0);
}

int Histogram::BucketIndex(int64_t value) const {
  value = std::clamp<int64_t>(value, 0, kMaxValue);
  if (value < sub_count_) {
    return static_cast<int>(value);
  }
  const int msb = 63 - __builtin_clzll(static_cast<unsigned long long>(value));
  const int shift = msb - sub_bits_;   // >= 0
  const int64_t top = value >> shift;  // in [sub_count_, 2 * sub_count_)
  return static_cast<int>((shift + 1) * sub_count_ + (top - sub_count_));
}

int64_t Histogram::BucketLowest(int index) const {
  const int64_t group = index / sub_count_;
  const int64_t offset = index % sub_count_;
  if (group == 0) {
    return offset;
  }
  return (sub_count_ + offset) << (group - 1);
}

int64_t Histogram::BucketHighest(int index) const {
  const int64_t group = index / sub_count_;
  if (group == 0) {
    return BucketLowest(index);
  }
  return BucketLowest(index) + (int64_t{1} << (group - 1)) - 1;
}

void Histogram::Record(int64_t value, int64_t count) {
  if (count <= 0) {
    return;
  }
  value = std::clamp<int64_t>(value, 0, kMaxValue);
  counts_[static_cast<size_t>(BucketIndex(value))] += count;
  if (count_ == 0 || value < min_) {
    min_ = value;
  }
  if (count_ == 0 || value > max_) {
    max_ = value;
  }
  count_ += count;
  sum_ += static_cast<double>(value) * static_cast<double>(count);
}

bool Histogram::Merge(const Histogram& other) {
  if (other.sub_bits_ != sub_bits_) {
    return false;
  }
  if (other.count_ == 0) {
    return true;
  }
  for (size_t i = 0; i < counts_.size(); ++i) {
    counts_[i] += other.counts_[i];
  }
  if (count_ == 0 || other.min_ < min_) {
    min_ = other.min_;
  }
  if (count_ == 0 || other.max_ > max_) {
    max_ = other.max_;
  }
  count_ += other.count_;
  sum_ += other.sum_;
  return true;
}

void Histogram::Reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = 0;
  max_ = 0;
  sum_ = 0;
}

int64_t Histogram::ValueAtPercentile(double percentile) const {
  if (count_ == 0) {
    return 0;
  }
  if (!(percentile < 100.0)) {  // Also catches NaN.
    return max_;
  }
  percentile = std::max(percentile, 0.0);
  const int64_t rank = std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil(percentile / 100.0 * static_cast<double>(count_))));
  int64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      return std::clamp(BucketHighest(static_cast<int>(i)), min_, max_);
    }
  }
  return max_;
}

}  // namespace moot::load
