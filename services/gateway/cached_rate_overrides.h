// A time-bounded cache in front of the stored per-tenant and per-key rate overrides, so that
// admitting a call does not cost a database query. A change made by an admin takes effect within
// the cache's lifetime.
#pragma once

#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/time/clock.h"
#include "services/gateway/call_policy.h"

namespace moot::gateway {

class CachedRateOverrides : public RateOverrides {
 public:
  // `source` and `clock` are not owned. At most `capacity` entries are kept (the cache is
  // emptied when full).
  CachedRateOverrides(const RateOverrides& source, const moot::time::Clock& clock,
                      absl::Duration ttl = absl::Seconds(5), size_t capacity = 100000)
      : source_(source), clock_(clock), ttl_(ttl), capacity_(capacity) {}

  std::optional<double> TenantRate(absl::string_view tenant) const override;
  std::optional<double> ApiKeyRate(absl::string_view key_id) const override;

 private:
  struct Entry {
    std::optional<double> rate;
    absl::Time fetched;
  };
  template <typename Fetch>
  std::optional<double> Lookup(const std::string& key, Fetch fetch) const;

  const RateOverrides& source_;
  const moot::time::Clock& clock_;
  const absl::Duration ttl_;
  const size_t capacity_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace moot::gateway
