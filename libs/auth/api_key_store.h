// API keys for partner systems: "moot_<id>_<secret>", shown once, stored only as a keyed hash,
// each exchanged for a Principal{tenant, "apikey:<id>", roles}.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/auth/principal.h"
#include "libs/time/clock.h"

namespace moot::auth {

// ErrorInfo reasons of the UNAUTHENTICATED statuses Verify() returns.
inline constexpr absl::string_view kApiKeyMalformed = "API_KEY_MALFORMED";
inline constexpr absl::string_view kApiKeyInvalid = "API_KEY_INVALID";  // Unknown id, bad secret.
inline constexpr absl::string_view kApiKeyRevoked = "API_KEY_REVOKED";

// What is kept about a key (never its secret).
struct ApiKeyInfo {
  std::string id;  // 16 lower-case hex characters.
  std::string tenant;
  std::vector<Role> roles;
  std::string description;
  absl::Time create_time;
  bool revoked = false;
};

// A newly created key: `key` is the only time the secret is ever available.
struct IssuedApiKey {
  ApiKeyInfo info;
  std::string key;  // "moot_<id>_<secret>"
};

// The parts of a presented key.
struct ApiKeyParts {
  std::string id;
  std::string secret;
};
// Splits "moot_<16 hex>_<64 hex>"; nullopt for anything else.
std::optional<ApiKeyParts> ParseApiKey(absl::string_view key);
// The stored form of a secret: HMAC-SHA256(pepper, id ":" secret), 32 raw bytes. With an
// empty pepper this is still a keyed hash bound to the id, but a database leak then allows
// offline guessing of (high-entropy) secrets only.
std::string HashApiKeySecret(absl::string_view pepper, absl::string_view id,
                             absl::string_view secret);
// A fresh key for `id` (random 256-bit secret): returns {id, secret}.
absl::StatusOr<ApiKeyParts> NewApiKeyParts();
std::string FormatApiKey(const ApiKeyParts& parts);

// Where API keys live. Implementations are thread-safe.
class ApiKeyStore {
 public:
  virtual ~ApiKeyStore() = default;
  // Creates a key for `tenant` (required) with `roles` (not PUBLIC).
  virtual absl::StatusOr<IssuedApiKey> Create(absl::string_view tenant, std::vector<Role> roles,
                                              absl::string_view description) = 0;
  // The principal of a presented key; UNAUTHENTICATED with API_KEY_MALFORMED, API_KEY_INVALID
  // (unknown id or wrong secret, indistinguishable) or API_KEY_REVOKED.
  virtual absl::StatusOr<Principal> Verify(absl::string_view key) const = 0;
  // Revokes a key of `tenant`; NOT_FOUND when the tenant has no such key. Idempotent.
  virtual absl::Status Revoke(absl::string_view tenant, absl::string_view id) = 0;
  // The tenant's keys, oldest first.
  virtual absl::StatusOr<std::vector<ApiKeyInfo>> List(absl::string_view tenant) const = 0;
};

// Keys in memory (tests, single-process demos). A SQL-backed store implements the same
// interface with the same hashing helpers.
class InMemoryApiKeyStore : public ApiKeyStore {
 public:
  // `pepper` is the server-side HMAC key (MOOT_API_KEY_PEPPER); `clock` is not owned.
  InMemoryApiKeyStore(const moot::time::Clock* clock, std::string pepper);

  absl::StatusOr<IssuedApiKey> Create(absl::string_view tenant, std::vector<Role> roles,
                                      absl::string_view description) override;
  absl::StatusOr<Principal> Verify(absl::string_view key) const override;
  absl::Status Revoke(absl::string_view tenant, absl::string_view id) override;
  absl::StatusOr<std::vector<ApiKeyInfo>> List(absl::string_view tenant) const override;

 private:
  struct Entry {
    ApiKeyInfo info;
    std::string hash;
    int64_t sequence = 0;
  };
  const moot::time::Clock* clock_;
  const std::string pepper_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> keys_ ABSL_GUARDED_BY(mu_);
  int64_t next_sequence_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace moot::auth
