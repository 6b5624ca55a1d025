#include "services/gateway/cached_rate_overrides.h"

#include "absl/strings/str_cat.h"

namespace moot::gateway {

template <typename Fetch>
std::optional<double> CachedRateOverrides::Lookup(const std::string& key, Fetch fetch) const {
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && now - it->second.fetched < ttl_) {
      return it->second.rate;
    }
  }
  // Fetched outside the lock: a slow store does not hold up calls served from the cache.
  std::optional<double> rate = fetch();
  absl::MutexLock lock(&mu_);
  if (entries_.size() >= capacity_) {
    entries_.clear();
  }
  entries_[key] = Entry{rate, now};
  return rate;
}

std::optional<double> CachedRateOverrides::TenantRate(absl::string_view tenant) const {
  return Lookup(absl::StrCat("t|", tenant), [&] { return source_.TenantRate(tenant); });
}

std::optional<double> CachedRateOverrides::ApiKeyRate(absl::string_view key_id) const {
  return Lookup(absl::StrCat("k|", key_id), [&] { return source_.ApiKeyRate(key_id); });
}

}  // namespace moot::gateway
