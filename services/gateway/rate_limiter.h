// Token-bucket rate limits per key (a tenant, an API key), with an injected clock.
#pragma once

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/time/clock.h"

namespace moot::gateway {

// ErrorInfo reason of a rejected call.
inline constexpr absl::string_view kRateLimited = "RATE_LIMITED";

// A bucket's shape: `per_second` tokens are added each second up to `burst`.
struct RateLimit {
  double per_second = 0;  // <= 0 means unlimited.
  double burst = 0;       // <= 0 means max(1, per_second).
};

// Thread-safe. Buckets idle long enough to be full again are forgotten once more than
// `max_keys` keys are held, so memory stays bounded.
class RateLimiter {
 public:
  explicit RateLimiter(const moot::time::Clock& clock, size_t max_keys = 100000)
      : clock_(clock), max_keys_(max_keys) {}

  // Takes one token from `key`'s bucket. RESOURCE_EXHAUSTED (reason RATE_LIMITED, metadata
  // {"key": key}) with RetryInfo = the time until a token is available when the bucket is
  // empty; a rejected call takes no token.
  absl::Status Acquire(absl::string_view key, RateLimit limit);

  size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time updated;
    absl::Time full_at;  // When the bucket is full again if nothing is taken.
  };
  void EvictLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const moot::time::Clock& clock_;
  const size_t max_keys_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace moot::gateway
