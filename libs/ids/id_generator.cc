#include "libs/ids/id_generator.h"

#include "absl/strings/str_format.h"

namespace moot::ids {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

}  // namespace

UlidGenerator::UlidGenerator(const time::Clock& clock) : clock_(clock) {}

std::string UlidGenerator::NewId() {
  const int64_t ms = absl::ToUnixMillis(clock_.Now());
  uint64_t hi;
  uint64_t lo;
  {
    absl::MutexLock lock(&mu_);
    if (ms == last_ms_) {
      // Monotonic: same millisecond, increment the 80-bit random part.
      lo = last_lo_ + 1;
      hi = last_hi_ + (lo == 0 ? 1 : 0);
      hi &= 0xFFFF;
    } else {
      hi = absl::Uniform<uint64_t>(bitgen_) & 0x7FFF;  // Leave room to increment.
      lo = absl::Uniform<uint64_t>(bitgen_);
    }
    last_ms_ = ms;
    last_hi_ = hi;
    last_lo_ = lo;
  }
  std::string out(26, '0');
  // 48-bit time -> 10 chars (50 bits, top 2 zero).
  uint64_t t = static_cast<uint64_t>(ms) & 0xFFFFFFFFFFFFULL;
  for (int i = 9; i >= 0; --i) {
    out[i] = kCrockford[t & 31];
    t >>= 5;
  }
  // 80 random bits -> 16 chars.
  for (int i = 25; i >= 10; --i) {
    out[i] = kCrockford[lo & 31];
    lo = (lo >> 5) | ((hi & 31) << 59);
    hi >>= 5;
  }
  return out;
}

std::string UlidGenerator::RandomHex(int n) {
  std::string out;
  out.reserve(2 * n);
  absl::MutexLock lock(&mu_);
  for (int i = 0; i < n; ++i) {
    absl::StrAppendFormat(&out, "%02x", absl::Uniform<uint32_t>(bitgen_) & 0xFF);
  }
  return out;
}

std::string SequentialIdGenerator::NewId() {
  absl::MutexLock lock(&mu_);
  return absl::StrFormat("%s%010d", prefix_, next_++);
}

std::string SequentialIdGenerator::RandomHex(int n) {
  absl::MutexLock lock(&mu_);
  std::string out = absl::StrFormat("%0*x", 2 * n, next_++);
  return out.substr(out.size() - 2 * n);
}

}  // namespace moot::ids
