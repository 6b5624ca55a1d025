// The gateway's own data: tenants and partner API keys (stored hashed), in SQL (libs/sql).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/auth/api_key_store.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "services/gateway/call_policy.h"

namespace moot::gateway {

struct TenantRecord {
  std::string id;
  std::string display_name;
  int64_t rate_limit_per_second = 0;
  absl::Time create_time;
};

struct ApiKeyRecord {
  moot::auth::ApiKeyInfo info;
  int64_t rate_limit_per_second = 0;
  std::optional<absl::Time> revoke_time;
};

// Thread-safe (the Database is). Implements the auth library's ApiKeyStore, so the gateway's
// Authenticator verifies keys against it, and RateOverrides for the call policy.
class SqlAdminStore : public moot::auth::ApiKeyStore, public RateOverrides {
 public:
  // `db` and `clock` must outlive the store. `pepper` is the HMAC key of the key hashes.
  SqlAdminStore(moot::sql::Database& db, const moot::time::Clock& clock, std::string pepper)
      : db_(db), clock_(clock), pepper_(std::move(pepper)) {}

  // Applies the schema migrations (component "gateway").
  absl::Status Migrate();

  // Tenants. ALREADY_EXISTS for a second tenant of that id; NOT_FOUND "tenants/<id>".
  absl::StatusOr<TenantRecord> CreateTenant(absl::string_view id, absl::string_view display_name,
                                            int64_t rate_limit_per_second);
  absl::StatusOr<TenantRecord> GetTenant(absl::string_view id) const;
  // Up to `limit` tenants with ids after `after_id`, by id.
  absl::StatusOr<std::vector<TenantRecord>> ListTenants(absl::string_view after_id,
                                                        int limit) const;

  // API keys with their own rate limit; the secret is only in the returned key.
  absl::StatusOr<moot::auth::IssuedApiKey> CreateKey(absl::string_view tenant,
                                                     std::vector<moot::auth::Role> roles,
                                                     absl::string_view description,
                                                     int64_t rate_limit_per_second);
  absl::StatusOr<ApiKeyRecord> GetKey(absl::string_view tenant, absl::string_view id) const;
  absl::StatusOr<std::vector<ApiKeyRecord>> ListKeys(absl::string_view tenant,
                                                     absl::string_view after_id, int limit) const;

  // moot::auth::ApiKeyStore.
  absl::StatusOr<moot::auth::IssuedApiKey> Create(absl::string_view tenant,
                                                  std::vector<moot::auth::Role> roles,
                                                  absl::string_view description) override;
  absl::StatusOr<moot::auth::Principal> Verify(absl::string_view key) const override;
  absl::Status Revoke(absl::string_view tenant, absl::string_view id) override;
  absl::StatusOr<std::vector<moot::auth::ApiKeyInfo>> List(absl::string_view tenant) const override;

  // RateOverrides.
  std::optional<double> TenantRate(absl::string_view tenant) const override;
  std::optional<double> ApiKeyRate(absl::string_view key_id) const override;

 private:
  moot::sql::Database& db_;
  const moot::time::Clock& clock_;
  const std::string pepper_;
};

}  // namespace moot::gateway
