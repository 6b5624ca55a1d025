#include "libs/auth/jwt_verifier.h"

#include <cmath>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/status/errors.h"
#include "nlohmann/json.hpp"

namespace moot::auth {
namespace {

using ::moot::status::Unauthenticated;
using ::nlohmann::json;

bool KnownAlgorithm(absl::string_view alg) {
  return alg == "HS256" || alg == "RS256" || alg == "ES256";
}

// A NumericDate (RFC 7519 §2): integer or fractional seconds since the epoch.
std::optional<absl::Time> NumericDate(const json& v) {
  constexpr double kLimit = 1e11;  // Year ~5138; anything beyond is nonsense.
  if (v.is_number_integer() || v.is_number_unsigned()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(kLimit)) {
      return std::nullopt;
    }
    int64_t s = v.get<int64_t>();
    if (s < -kLimit || s > kLimit) {
      return std::nullopt;
    }
    return absl::FromUnixSeconds(s);
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || d < -kLimit || d > kLimit) {
      return std::nullopt;
    }
    return absl::FromUnixMicros(static_cast<int64_t>(std::floor(d * 1e6)));
  }
  return std::nullopt;
}

absl::StatusOr<json> ParseObject(absl::string_view b64, absl::string_view what) {
  std::optional<std::string> raw = Base64UrlDecode(b64);
  if (!raw) {
    return Unauthenticated(kTokenMalformed, absl::StrCat("token ", what, " is not base64url"));
  }
  json j = json::parse(*raw, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Unauthenticated(kTokenMalformed, absl::StrCat("token ", what, " is not a JSON object"));
  }
  return j;
}

absl::StatusOr<Principal> CheckClaims(const json& claims, const JwtVerifierOptions& options,
                                      absl::Time now) {
  // Time.
  auto exp_it = claims.find("exp");
  if (exp_it == claims.end()) {
    return Unauthenticated(kTokenMalformed, "token has no exp claim");
  }
  std::optional<absl::Time> exp = NumericDate(*exp_it);
  if (!exp) {
    return Unauthenticated(kTokenMalformed, "token exp is not a number of seconds");
  }
  if (now >= *exp + options.leeway) {
    return Unauthenticated(kTokenExpired, "token has expired");
  }
  if (auto nbf_it = claims.find("nbf"); nbf_it != claims.end()) {
    std::optional<absl::Time> nbf = NumericDate(*nbf_it);
    if (!nbf) {
      return Unauthenticated(kTokenMalformed, "token nbf is not a number of seconds");
    }
    if (now + options.leeway < *nbf) {
      return Unauthenticated(kTokenNotYetValid, "token is not valid yet");
    }
  }
  // Issuer and audience.
  if (!options.issuer.empty()) {
    auto iss = claims.find("iss");
    if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != options.issuer) {
      return Unauthenticated(kTokenWrongIssuer, "token issuer is not accepted");
    }
  }
  if (!options.audience.empty()) {
    bool match = false;
    auto aud = claims.find("aud");
    if (aud != claims.end() && aud->is_string()) {
      match = aud->get<std::string>() == options.audience;
    } else if (aud != claims.end() && aud->is_array()) {
      for (const json& a : *aud) {
        if (a.is_string() && a.get<std::string>() == options.audience) {
          match = true;
          break;
        }
      }
    }
    if (!match) {
      return Unauthenticated(kTokenWrongAudience, "token audience is not accepted");
    }
  }
  // The principal.
  Principal p;
  auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty()) {
    return Unauthenticated(kTokenMalformed, "token has no sub claim");
  }
  p.subject = sub->get<std::string>();
  if (auto tenant = claims.find("tenant"); tenant != claims.end()) {
    if (!tenant->is_string()) {
      return Unauthenticated(kTokenMalformed, "token tenant claim is not a string");
    }
    p.tenant = tenant->get<std::string>();
  }
  if (auto roles = claims.find("roles"); roles != claims.end()) {
    if (!roles->is_array()) {
      return Unauthenticated(kTokenMalformed, "token roles claim is not an array");
    }
    for (const json& r : *roles) {
      if (!r.is_string()) {
        return Unauthenticated(kTokenMalformed, "token roles claim holds a non-string");
      }
      std::optional<Role> role = ParseRole(r.get<std::string>());
      if (role && !p.HasRole(*role)) {
        p.roles.push_back(*role);
      }
    }
  }
  return p;
}

}  // namespace

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifier::Create(JwtVerifierOptions options) {
  for (const std::string& alg : options.algorithms) {
    if (!KnownAlgorithm(alg)) {
      return moot::status::InvalidArgument(
          "algorithms", absl::StrCat("\"", alg, "\" is not supported (HS256, RS256, ES256)"));
    }
  }
  if (!options.hs256_secret.empty() && options.hs256_secret.size() < 32) {
    return moot::status::InvalidArgument("hs256_secret", "must be at least 32 bytes");
  }
  if (options.clock == nullptr) {
    options.clock = &moot::time::Clock::Real();
  }
  std::unique_ptr<JwtVerifier> v(new JwtVerifier(std::move(options)));
  for (const auto& [kid, pem] : v->options_.public_keys_pem) {
    absl::StatusOr<EvpPkeyPtr> key = ParsePublicKeyPem(pem);
    if (!key.ok()) {
      return moot::status::InvalidArgument(absl::StrCat("public_keys[", kid, "]"),
                                           key.status().message());
    }
    absl::StatusOr<std::string> alg = JwsAlgorithmForKey(key->get());
    if (!alg.ok()) {
      return moot::status::InvalidArgument(absl::StrCat("public_keys[", kid, "]"),
                                           alg.status().message());
    }
    v->keys_.emplace(kid, PublicKey{*std::move(key), *std::move(alg)});
  }
  return v;
}

absl::StatusOr<Principal> JwtVerifier::Verify(absl::string_view token) const {
  const absl::Time now = options_.clock->Now();
  {
    absl::MutexLock lock(&cache_mu_);
    auto it = cache_.find(token);
    if (it != cache_.end()) {
      if (now < it->second.expires + options_.leeway &&
          now + options_.leeway >= it->second.not_before) {
        return it->second.principal;
      }
      // No longer (or not yet) valid: the full check below gives the precise reason.
      cache_.erase(it);
    }
  }
  VerifiedToken verified;
  absl::StatusOr<Principal> principal = VerifyUncached(token, now, &verified);
  if (principal.ok()) {
    verified.principal = *principal;
    absl::MutexLock lock(&cache_mu_);
    if (cache_.size() >= kCacheCapacity) {
      cache_.clear();
    }
    cache_.insert_or_assign(std::string(token), std::move(verified));
  }
  return principal;
}

absl::StatusOr<Principal> JwtVerifier::VerifyUncached(absl::string_view token, absl::Time now,
                                                      VerifiedToken* verified) const {
  if (token.size() > kMaxTokenBytes) {
    return Unauthenticated(kTokenMalformed, "token is too long");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return Unauthenticated(kTokenMalformed, "token is not header.claims.signature");
  }
  absl::StatusOr<json> header = ParseObject(parts[0], "header");
  if (!header.ok()) {
    return header.status();
  }
  std::optional<std::string> signature = Base64UrlDecode(parts[2]);
  if (!signature) {
    return Unauthenticated(kTokenMalformed, "token signature is not base64url");
  }
  auto alg_it = header->find("alg");
  if (alg_it == header->end() || !alg_it->is_string()) {
    return Unauthenticated(kTokenMalformed, "token header has no alg");
  }
  const std::string alg = alg_it->get<std::string>();
  bool allowed = false;
  for (const std::string& a : options_.algorithms) {
    allowed = allowed || a == alg;
  }
  if (!allowed) {
    return Unauthenticated(kTokenAlgNotAllowed,
                           absl::StrCat("token algorithm is not allowed: ", alg.substr(0, 16)));
  }
  // Critical extensions we do not understand must not be ignored (RFC 7515 §4.1.11).
  if (header->contains("crit")) {
    return Unauthenticated(kTokenMalformed, "token header has unsupported crit extensions");
  }
  const absl::string_view signing_input = token.substr(0, parts[0].size() + 1 + parts[1].size());
  if (alg == "HS256") {
    // Only the configured shared secret is ever an HMAC key: a token "signed" with a public key
    // as HMAC secret is refused here when no secret is configured, and fails the signature
    // check otherwise.
    if (options_.hs256_secret.empty()) {
      return Unauthenticated(kTokenAlgNotAllowed, "HS256 tokens are not accepted here");
    }
    if (!ConstantTimeEquals(HmacSha256(options_.hs256_secret, signing_input), *signature)) {
      return Unauthenticated(kTokenBadSignature, "token signature does not verify");
    }
  } else {
    auto kid_it = header->find("kid");
    if (kid_it == header->end() || !kid_it->is_string()) {
      return Unauthenticated(kTokenUnknownKey, "token header has no kid");
    }
    auto key = keys_.find(kid_it->get<std::string>());
    if (key == keys_.end()) {
      return Unauthenticated(kTokenUnknownKey, "token key id is not known");
    }
    if (key->second.alg != alg) {
      return Unauthenticated(kTokenAlgNotAllowed, "token algorithm does not match its key");
    }
    if (!VerifySha256(key->second.key.get(), alg, signing_input, *signature)) {
      return Unauthenticated(kTokenBadSignature, "token signature does not verify");
    }
  }
  absl::StatusOr<json> claims = ParseObject(parts[1], "claims");
  if (!claims.ok()) {
    return claims.status();
  }
  try {
    absl::StatusOr<Principal> principal = CheckClaims(*claims, options_, now);
    if (principal.ok()) {
      // CheckClaims accepted both as numbers.
      verified->expires = NumericDate(claims->at("exp")).value_or(absl::InfinitePast());
      verified->not_before = claims->contains("nbf")
                                 ? NumericDate(claims->at("nbf")).value_or(absl::InfiniteFuture())
                                 : absl::InfinitePast();
    }
    return principal;
  } catch (const json::exception&) {
    // CheckClaims checks every type before reading it; this is a second line only.
    return Unauthenticated(kTokenMalformed, "token claims are malformed");
  }
}

}  // namespace moot::auth
