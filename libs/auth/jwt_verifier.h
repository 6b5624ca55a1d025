// Verifies JWT bearer tokens (HS256, RS256, ES256 on an allow-list) and maps them to a Principal.
#pragma once

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/auth/crypto.h"
#include "libs/auth/principal.h"
#include "libs/time/clock.h"

namespace moot::auth {

// ErrorInfo reasons of the UNAUTHENTICATED statuses Verify() returns.
inline constexpr absl::string_view kTokenMalformed = "TOKEN_MALFORMED";
inline constexpr absl::string_view kTokenExpired = "TOKEN_EXPIRED";
inline constexpr absl::string_view kTokenNotYetValid = "TOKEN_NOT_YET_VALID";
inline constexpr absl::string_view kTokenBadSignature = "TOKEN_BAD_SIGNATURE";
inline constexpr absl::string_view kTokenAlgNotAllowed = "TOKEN_ALG_NOT_ALLOWED";
inline constexpr absl::string_view kTokenWrongIssuer = "TOKEN_WRONG_ISSUER";
inline constexpr absl::string_view kTokenWrongAudience = "TOKEN_WRONG_AUDIENCE";
inline constexpr absl::string_view kTokenUnknownKey = "TOKEN_UNKNOWN_KEY";

// Tokens longer than this are rejected unparsed (TOKEN_MALFORMED).
inline constexpr size_t kMaxTokenBytes = 8192;

struct JwtVerifierOptions {
  // The allow-list; anything else (including "none") is TOKEN_ALG_NOT_ALLOWED. An algorithm on
  // the list without a key to check it (HS256 without a secret) is refused the same way.
  std::vector<std::string> algorithms = {"HS256", "RS256", "ES256"};
  // The shared HS256 secret (>= 32 bytes); empty disables HS256.
  std::string hs256_secret;
  // RS256/ES256 public keys (PEM) by key id; the algorithm follows from the key's type.
  std::map<std::string, std::string> public_keys_pem;
  std::string issuer;    // Required "iss"; empty accepts any.
  std::string audience;  // Must be "aud" or one of its entries; empty accepts any.
  absl::Duration leeway = absl::Seconds(30);  // Clock skew tolerated on exp and nbf.
  const moot::time::Clock* clock = nullptr;   // Defaults to the real clock; not owned.
};

// Thread-safe after construction.
class JwtVerifier {
 public:
  // Fails (INVALID_ARGUMENT) on an unknown algorithm in the list, a short secret, a key that is
  // not a PEM public key, or a key too weak or of the wrong kind.
  static absl::StatusOr<std::unique_ptr<JwtVerifier>> Create(JwtVerifierOptions options);

  // Checks the token and returns its principal. Every failure is UNAUTHENTICATED with one of
  // the reasons above: structure, base64url or JSON problems and missing/ill-typed claims are
  // TOKEN_MALFORMED; "alg" not allowed or without a key (e.g. HS256 when only public keys are
  // configured) TOKEN_ALG_NOT_ALLOWED; a "kid" not configured (or missing) for RS256/ES256
  // TOKEN_UNKNOWN_KEY; then TOKEN_BAD_SIGNATURE, TOKEN_EXPIRED (exp is required),
  // TOKEN_NOT_YET_VALID, TOKEN_WRONG_ISSUER, TOKEN_WRONG_AUDIENCE.
  //
  // Claims: "sub" (string, required), "tenant" (string, may be empty), "roles" (array of role
  // names; unknown names are ignored so that a new role never widens an old service's grants).
  absl::StatusOr<Principal> Verify(absl::string_view token) const;

  // Tokens whose signature and claims were verified are remembered (up to this many), so a
  // client that sends the same token on every call costs one lookup, not a signature check and
  // two JSON parses. The time checks (exp, nbf) are made again on every use.
  static constexpr size_t kCacheCapacity = 10000;

 private:
  struct PublicKey {
    EvpPkeyPtr key;
    std::string alg;
  };
  struct VerifiedToken {
    Principal principal;
    absl::Time expires;
    absl::Time not_before;
  };
  explicit JwtVerifier(JwtVerifierOptions options) : options_(std::move(options)) {}
  absl::StatusOr<Principal> VerifyUncached(absl::string_view token, absl::Time now,
                                           VerifiedToken* verified) const;

  JwtVerifierOptions options_;
  std::map<std::string, PublicKey, std::less<>> keys_;
  mutable absl::Mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, VerifiedToken> cache_ ABSL_GUARDED_BY(cache_mu_);
};

}  // namespace moot::auth
