#include "services/gateway/admin_store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::gateway {
namespace {

using moot::sql::Connection;
using moot::sql::Null;
using moot::sql::Result;
using moot::sql::Row;

constexpr char kKeyColumns[] =
    "key_id, tenant_id, roles, description, rate_limit_per_second, create_time_us, "
    "revoke_time_us";

std::vector<moot::sql::Migration> Migrations() {
  return {{1, "tenants and api keys",
           R"sql(
CREATE TABLE gateway_tenants (
  tenant_id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  rate_limit_per_second BIGINT NOT NULL DEFAULT 0,
  create_time_us BIGINT NOT NULL
);
CREATE TABLE gateway_api_keys (
  key_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  description TEXT NOT NULL,
  rate_limit_per_second BIGINT NOT NULL DEFAULT 0,
  create_time_us BIGINT NOT NULL,
  revoke_time_us BIGINT
);
CREATE INDEX gateway_api_keys_tenant ON gateway_api_keys (tenant_id, key_id);
)sql"}};
}

TenantRecord TenantFromRow(const Row& row) {
  return {row.String(0), row.String(1), row.Int(2), absl::FromUnixMicros(row.Int(3))};
}

ApiKeyRecord KeyFromRow(const Row& row) {
  ApiKeyRecord record;
  record.info.id = row.String(0);
  record.info.tenant = row.String(1);
  for (absl::string_view name : absl::StrSplit(row.String(2), ',', absl::SkipEmpty())) {
    if (auto role = moot::auth::ParseRole(name); role.has_value()) {
      record.info.roles.push_back(*role);
    }
  }
  record.info.description = row.String(3);
  record.rate_limit_per_second = row.Int(4);
  record.info.create_time = absl::FromUnixMicros(row.Int(5));
  if (!row.IsNull(6)) {
    record.revoke_time = absl::FromUnixMicros(row.Int(6));
    record.info.revoked = true;
  }
  return record;
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace

absl::Status SqlAdminStore::Migrate() { return db_.Migrate("gateway", Migrations()); }

absl::StatusOr<TenantRecord> SqlAdminStore::CreateTenant(absl::string_view id,
                                                         absl::string_view display_name,
                                                         int64_t rate_limit_per_second) {
  TenantRecord record{std::string(id), std::string(display_name), rate_limit_per_second,
                      absl::FromUnixMicros(absl::ToUnixMicros(clock_.Now()))};
  absl::Status status = db_.WithConnection([&](Connection& conn) -> absl::Status {
    return conn
        .Execute(
            "INSERT INTO gateway_tenants (tenant_id, display_name, rate_limit_per_second, "
            "create_time_us) VALUES ($1, $2, $3, $4)",
            {record.id, record.display_name, record.rate_limit_per_second,
             absl::ToUnixMicros(record.create_time)})
        .status();
  });
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return moot::status::WithReason(
        absl::AlreadyExistsError(absl::StrCat("tenants/", id, " already exists")), "TENANT_EXISTS");
  }
  MOOT_RETURN_IF_ERROR(status);
  return record;
}

absl::StatusOr<TenantRecord> SqlAdminStore::GetTenant(absl::string_view id) const {
  std::optional<TenantRecord> found;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(Result result,
                          conn.Execute("SELECT tenant_id, display_name, rate_limit_per_second, "
                                       "create_time_us FROM gateway_tenants WHERE tenant_id = $1",
                                       {std::string(id)}));
    if (!result.rows.empty()) {
      found = TenantFromRow(result.rows[0]);
    }
    return absl::OkStatus();
  }));
  if (!found.has_value()) {
    return moot::status::NotFound(absl::StrCat("tenants/", id));
  }
  return *found;
}

absl::StatusOr<std::vector<TenantRecord>> SqlAdminStore::ListTenants(absl::string_view after_id,
                                                                     int limit) const {
  std::vector<TenantRecord> tenants;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        Result result,
        conn.Execute("SELECT tenant_id, display_name, rate_limit_per_second, create_time_us "
                     "FROM gateway_tenants WHERE tenant_id > $1 ORDER BY tenant_id LIMIT $2",
                     {std::string(after_id), static_cast<int64_t>(limit)}));
    for (const Row& row : result.rows) {
      tenants.push_back(TenantFromRow(row));
    }
    return absl::OkStatus();
  }));
  return tenants;
}

absl::StatusOr<moot::auth::IssuedApiKey> SqlAdminStore::CreateKey(
    absl::string_view tenant, std::vector<moot::auth::Role> roles, absl::string_view description,
    int64_t rate_limit_per_second) {
  if (tenant.empty()) {
    return moot::status::InvalidArgument("parent", "a key belongs to a tenant");
  }
  if (roles.empty()) {
    return moot::status::InvalidArgument("api_key.roles", "at least one role is required");
  }
  std::vector<std::string> role_names;
  for (moot::auth::Role role : roles) {
    if (role == moot::auth::Role::kPublic) {
      return moot::status::InvalidArgument("api_key.roles", "PUBLIC cannot be granted to a key");
    }
    role_names.emplace_back(moot::auth::RoleName(role));
  }
  MOOT_ASSIGN_OR_RETURN(moot::auth::ApiKeyParts parts, moot::auth::NewApiKeyParts());
  moot::auth::IssuedApiKey issued;
  issued.info.id = parts.id;
  issued.info.tenant = std::string(tenant);
  issued.info.roles = std::move(roles);
  issued.info.description = std::string(description);
  issued.info.create_time = absl::FromUnixMicros(absl::ToUnixMicros(clock_.Now()));
  issued.key = moot::auth::FormatApiKey(parts);
  std::string hash =
      absl::BytesToHexString(moot::auth::HashApiKeySecret(pepper_, parts.id, parts.secret));
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](Connection& conn) -> absl::Status {
    return conn
        .Execute(
            "INSERT INTO gateway_api_keys (key_id, tenant_id, secret_hash, roles, description, "
            "rate_limit_per_second, create_time_us) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {issued.info.id, issued.info.tenant, hash, absl::StrJoin(role_names, ","),
             issued.info.description, rate_limit_per_second,
             absl::ToUnixMicros(issued.info.create_time)})
        .status();
  }));
  return issued;
}

absl::StatusOr<moot::auth::IssuedApiKey> SqlAdminStore::Create(absl::string_view tenant,
                                                               std::vector<moot::auth::Role> roles,
                                                               absl::string_view description) {
  return CreateKey(tenant, std::move(roles), description, 0);
}

absl::StatusOr<ApiKeyRecord> SqlAdminStore::GetKey(absl::string_view tenant,
                                                   absl::string_view id) const {
  std::optional<ApiKeyRecord> found;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        Result result,
        conn.Execute(absl::StrCat("SELECT ", kKeyColumns,
                                  " FROM gateway_api_keys WHERE tenant_id = $1 AND key_id = $2"),
                     {std::string(tenant), std::string(id)}));
    if (!result.rows.empty()) {
      found = KeyFromRow(result.rows[0]);
    }
    return absl::OkStatus();
  }));
  if (!found.has_value()) {
    return moot::status::NotFound(absl::StrCat("tenants/", tenant, "/apiKeys/", id));
  }
  return *found;
}

absl::StatusOr<std::vector<ApiKeyRecord>> SqlAdminStore::ListKeys(absl::string_view tenant,
                                                                  absl::string_view after_id,
                                                                  int limit) const {
  std::vector<ApiKeyRecord> keys;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        Result result,
        conn.Execute(absl::StrCat("SELECT ", kKeyColumns,
                                  " FROM gateway_api_keys WHERE tenant_id = $1 AND key_id > $2 "
                                  "ORDER BY key_id LIMIT $3"),
                     {std::string(tenant), std::string(after_id), static_cast<int64_t>(limit)}));
    for (const Row& row : result.rows) {
      keys.push_back(KeyFromRow(row));
    }
    return absl::OkStatus();
  }));
  return keys;
}

absl::StatusOr<moot::auth::Principal> SqlAdminStore::Verify(absl::string_view key) const {
  std::optional<moot::auth::ApiKeyParts> parts = moot::auth::ParseApiKey(key);
  if (!parts.has_value()) {
    return moot::status::Unauthenticated(moot::auth::kApiKeyMalformed, "malformed API key");
  }
  std::optional<std::pair<ApiKeyRecord, std::string>> found;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        Result result,
        conn.Execute(absl::StrCat("SELECT ", kKeyColumns,
                                  ", secret_hash FROM gateway_api_keys WHERE key_id = $1"),
                     {parts->id}));
    if (!result.rows.empty()) {
      found.emplace(KeyFromRow(result.rows[0]), result.rows[0].String(7));
    }
    return absl::OkStatus();
  }));
  std::string hash =
      absl::BytesToHexString(moot::auth::HashApiKeySecret(pepper_, parts->id, parts->secret));
  if (!found.has_value() || !ConstantTimeEquals(hash, found->second)) {
    return moot::status::Unauthenticated(moot::auth::kApiKeyInvalid, "invalid API key");
  }
  if (found->first.info.revoked) {
    return moot::status::Unauthenticated(moot::auth::kApiKeyRevoked, "the API key was revoked");
  }
  return moot::auth::Principal{found->first.info.tenant, absl::StrCat("apikey:", parts->id),
                               found->first.info.roles};
}

absl::Status SqlAdminStore::Revoke(absl::string_view tenant, absl::string_view id) {
  MOOT_RETURN_IF_ERROR(GetKey(tenant, id).status());
  return db_.WithConnection([&](Connection& conn) -> absl::Status {
    return conn
        .Execute(
            "UPDATE gateway_api_keys SET revoke_time_us = $3 WHERE tenant_id = $1 AND key_id = $2 "
            "AND revoke_time_us IS NULL",
            {std::string(tenant), std::string(id), absl::ToUnixMicros(clock_.Now())})
        .status();
  });
}

absl::StatusOr<std::vector<moot::auth::ApiKeyInfo>> SqlAdminStore::List(
    absl::string_view tenant) const {
  MOOT_ASSIGN_OR_RETURN(std::vector<ApiKeyRecord> records, ListKeys(tenant, "", 100000));
  std::vector<moot::auth::ApiKeyInfo> infos;
  for (ApiKeyRecord& record : records) {
    infos.push_back(std::move(record.info));
  }
  return infos;
}

std::optional<double> SqlAdminStore::TenantRate(absl::string_view tenant) const {
  absl::StatusOr<TenantRecord> record = GetTenant(tenant);
  if (!record.ok() || record->rate_limit_per_second <= 0) {
    return std::nullopt;
  }
  return static_cast<double>(record->rate_limit_per_second);
}

std::optional<double> SqlAdminStore::ApiKeyRate(absl::string_view key_id) const {
  std::optional<double> rate;
  absl::Status status = db_.WithConnection([&](Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        Result result,
        conn.Execute("SELECT rate_limit_per_second FROM gateway_api_keys WHERE key_id = $1",
                     {std::string(key_id)}));
    if (!result.rows.empty() && result.rows[0].Int(0) > 0) {
      rate = static_cast<double>(result.rows[0].Int(0));
    }
    return absl::OkStatus();
  });
  return status.ok() ? rate : std::nullopt;
}

}  // namespace moot::gateway
