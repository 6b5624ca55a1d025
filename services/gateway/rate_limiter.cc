#include "services/gateway/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"

namespace moot::gateway {

absl::Status RateLimiter::Acquire(absl::string_view key, RateLimit limit) {
  if (limit.per_second <= 0 || !std::isfinite(limit.per_second)) {
    return absl::OkStatus();
  }
  double burst = limit.burst > 0 ? limit.burst : std::max(1.0, limit.per_second);
  absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) {
      EvictLocked(now);
    }
    it = buckets_.emplace(std::string(key), Bucket{burst, now, now}).first;
  }
  Bucket& bucket = it->second;
  double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - bucket.updated));
  bucket.tokens = std::min(burst, bucket.tokens + elapsed * limit.per_second);
  bucket.updated = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    bucket.full_at = now + absl::Seconds((burst - bucket.tokens) / limit.per_second);
    return absl::OkStatus();
  }
  absl::Duration retry = absl::Seconds((1.0 - bucket.tokens) / limit.per_second);
  // Round up to whole milliseconds so that a client retrying after the delay succeeds.
  retry = absl::Ceil(retry, absl::Milliseconds(1));
  absl::Status status = moot::status::ResourceExhausted(
      kRateLimited,
      absl::StrCat("rate limit of ", limit.per_second, " requests per second exceeded for ", key),
      retry);
  return moot::status::WithReason(status, kRateLimited, {{"key", std::string(key)}});
}

void RateLimiter::EvictLocked(absl::Time now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (it->second.full_at <= now) {
      buckets_.erase(it++);
    } else {
      ++it;
    }
  }
}

size_t RateLimiter::size() const {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

}  // namespace moot::gateway
