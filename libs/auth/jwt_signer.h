// Signs JWTs (HS256 with a shared secret; RS256/ES256 with a private key and key id). Used by
// tests, the demo-credential generator and the CLI; services only verify.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/auth/crypto.h"
#include "libs/auth/principal.h"
#include "nlohmann/json.hpp"

namespace moot::auth {

// What a token says; SignToken() turns it into the claims JwtVerifier reads.
struct TokenSpec {
  Principal principal;   // -> "tenant", "sub", "roles".
  std::string issuer;    // -> "iss" (omitted when empty).
  std::string audience;  // -> "aud" (omitted when empty).
  absl::Time issued_at;  // -> "iat" and, unless not_before is set, the start of validity.
  absl::Duration lifetime = absl::Hours(1);      // -> "exp" = issued_at + lifetime.
  absl::Time not_before = absl::InfinitePast();  // -> "nbf" when set.
};

class JwtSigner {
 public:
  // HS256 with a shared secret (>= 32 bytes).
  static absl::StatusOr<std::unique_ptr<JwtSigner>> Hs256(absl::string_view secret);
  // RS256 or ES256, from the key type of an unencrypted PEM private key; `kid` names the public
  // key verifiers hold.
  static absl::StatusOr<std::unique_ptr<JwtSigner>> FromPrivateKeyPem(absl::string_view pem,
                                                                      absl::string_view kid);

  const std::string& alg() const { return alg_; }
  const std::string& kid() const { return kid_; }

  // A token with the given claims (any JSON object).
  absl::StatusOr<std::string> Sign(const nlohmann::json& claims) const;
  // A token for `spec`.
  absl::StatusOr<std::string> SignToken(const TokenSpec& spec) const;

 private:
  JwtSigner() = default;
  std::string alg_;
  std::string kid_;
  std::string secret_;
  EvpPkeyPtr key_;
};

// The claims SignToken() writes for `spec`.
nlohmann::json ClaimsFor(const TokenSpec& spec);

}  // namespace moot::auth
