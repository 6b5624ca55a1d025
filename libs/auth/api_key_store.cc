#include "libs/auth/api_key_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/crypto.h"
#include "libs/status/errors.h"

namespace moot::auth {
namespace {

constexpr absl::string_view kPrefix = "moot_";
constexpr size_t kIdHexChars = 16;
constexpr size_t kSecretHexChars = 64;

bool IsLowerHex(absl::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::optional<ApiKeyParts> ParseApiKey(absl::string_view key) {
  if (key.size() != kPrefix.size() + kIdHexChars + 1 + kSecretHexChars ||
      key.substr(0, kPrefix.size()) != kPrefix || key[kPrefix.size() + kIdHexChars] != '_') {
    return std::nullopt;
  }
  absl::string_view id = key.substr(kPrefix.size(), kIdHexChars);
  absl::string_view secret = key.substr(kPrefix.size() + kIdHexChars + 1);
  if (!IsLowerHex(id) || !IsLowerHex(secret)) {
    return std::nullopt;
  }
  return ApiKeyParts{std::string(id), std::string(secret)};
}

std::string HashApiKeySecret(absl::string_view pepper, absl::string_view id,
                             absl::string_view secret) {
  return HmacSha256(pepper, absl::StrCat(id, ":", secret));
}

absl::StatusOr<ApiKeyParts> NewApiKeyParts() {
  absl::StatusOr<std::string> id = RandomBytes(kIdHexChars / 2);
  absl::StatusOr<std::string> secret = RandomBytes(kSecretHexChars / 2);
  if (!id.ok()) {
    return id.status();
  }
  if (!secret.ok()) {
    return secret.status();
  }
  return ApiKeyParts{HexEncode(*id), HexEncode(*secret)};
}

std::string FormatApiKey(const ApiKeyParts& parts) {
  return absl::StrCat(kPrefix, parts.id, "_", parts.secret);
}

InMemoryApiKeyStore::InMemoryApiKeyStore(const moot::time::Clock* clock, std::string pepper)
    : clock_(clock), pepper_(std::move(pepper)) {}

absl::StatusOr<IssuedApiKey> InMemoryApiKeyStore::Create(absl::string_view tenant,
                                                         std::vector<Role> roles,
                                                         absl::string_view description) {
  if (tenant.empty()) {
    return moot::status::InvalidArgument("tenant", "is required");
  }
  std::vector<Role> unique;
  for (Role r : roles) {
    if (r == Role::kPublic) {
      return moot::status::InvalidArgument("roles", "PUBLIC is not a role a key can hold");
    }
    if (std::find(unique.begin(), unique.end(), r) == unique.end()) {
      unique.push_back(r);
    }
  }
  absl::MutexLock lock(&mu_);
  ApiKeyParts parts;
  do {
    absl::StatusOr<ApiKeyParts> p = NewApiKeyParts();
    if (!p.ok()) {
      return p.status();
    }
    parts = *std::move(p);
  } while (keys_.contains(parts.id));
  Entry e;
  e.info.id = parts.id;
  e.info.tenant = std::string(tenant);
  e.info.roles = std::move(unique);
  e.info.description = std::string(description);
  e.info.create_time = clock_->Now();
  e.hash = HashApiKeySecret(pepper_, parts.id, parts.secret);
  e.sequence = next_sequence_++;
  IssuedApiKey issued{e.info, FormatApiKey(parts)};
  keys_.emplace(parts.id, std::move(e));
  return issued;
}

absl::StatusOr<Principal> InMemoryApiKeyStore::Verify(absl::string_view key) const {
  std::optional<ApiKeyParts> parts = ParseApiKey(key);
  if (!parts) {
    return moot::status::Unauthenticated(kApiKeyMalformed,
                                         "API key is not of the form moot_<id>_<secret>");
  }
  std::string presented = HashApiKeySecret(pepper_, parts->id, parts->secret);
  absl::MutexLock lock(&mu_);
  auto it = keys_.find(parts->id);
  // Unknown ids are compared against a dummy hash so both failures take the same path.
  static const std::string kDummy(32, '\0');
  const std::string& stored = it == keys_.end() ? kDummy : it->second.hash;
  if (!ConstantTimeEquals(presented, stored) || it == keys_.end()) {
    return moot::status::Unauthenticated(kApiKeyInvalid, "API key is not valid");
  }
  if (it->second.info.revoked) {
    return moot::status::Unauthenticated(kApiKeyRevoked, "API key has been revoked");
  }
  Principal p;
  p.tenant = it->second.info.tenant;
  p.subject = absl::StrCat("apikey:", it->second.info.id);
  p.roles = it->second.info.roles;
  return p;
}

absl::Status InMemoryApiKeyStore::Revoke(absl::string_view tenant, absl::string_view id) {
  absl::MutexLock lock(&mu_);
  auto it = keys_.find(id);
  if (it == keys_.end() || it->second.info.tenant != tenant) {
    return moot::status::NotFound(absl::StrCat("tenants/", tenant, "/apiKeys/", id));
  }
  it->second.info.revoked = true;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ApiKeyInfo>> InMemoryApiKeyStore::List(absl::string_view tenant) const {
  std::vector<std::pair<int64_t, ApiKeyInfo>> found;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, e] : keys_) {
      if (e.info.tenant == tenant) {
        found.emplace_back(e.sequence, e.info);
      }
    }
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ApiKeyInfo> out;
  for (auto& [seq, info] : found) {
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace moot::auth
