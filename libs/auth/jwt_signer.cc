#include "libs/auth/jwt_signer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"

namespace moot::auth {

using ::nlohmann::json;

absl::StatusOr<std::unique_ptr<JwtSigner>> JwtSigner::Hs256(absl::string_view secret) {
  if (secret.size() < 32) {
    return moot::status::InvalidArgument("secret", "must be at least 32 bytes");
  }
  std::unique_ptr<JwtSigner> s(new JwtSigner());
  s->alg_ = "HS256";
  s->secret_ = std::string(secret);
  return s;
}

absl::StatusOr<std::unique_ptr<JwtSigner>> JwtSigner::FromPrivateKeyPem(absl::string_view pem,
                                                                        absl::string_view kid) {
  absl::StatusOr<EvpPkeyPtr> key = ParsePrivateKeyPem(pem);
  if (!key.ok()) {
    return moot::status::InvalidArgument("private_key", key.status().message());
  }
  absl::StatusOr<std::string> alg = JwsAlgorithmForKey(key->get());
  if (!alg.ok()) {
    return moot::status::InvalidArgument("private_key", alg.status().message());
  }
  if (kid.empty()) {
    return moot::status::InvalidArgument("kid", "is required for RS256/ES256 keys");
  }
  std::unique_ptr<JwtSigner> s(new JwtSigner());
  s->alg_ = *std::move(alg);
  s->kid_ = std::string(kid);
  s->key_ = *std::move(key);
  return s;
}

absl::StatusOr<std::string> JwtSigner::Sign(const json& claims) const {
  if (!claims.is_object()) {
    return moot::status::InvalidArgument("claims", "must be a JSON object");
  }
  json header = {{"alg", alg_}, {"typ", "JWT"}};
  if (!kid_.empty()) {
    header["kid"] = kid_;
  }
  std::string input;
  try {
    input = absl::StrCat(Base64UrlEncode(header.dump()), ".", Base64UrlEncode(claims.dump()));
  } catch (const json::exception& e) {  // Invalid UTF-8 in a claim.
    return moot::status::InvalidArgument("claims", e.what());
  }
  std::string signature;
  if (alg_ == "HS256") {
    signature = HmacSha256(secret_, input);
  } else {
    absl::StatusOr<std::string> sig = SignSha256(key_.get(), alg_, input);
    if (!sig.ok()) {
      return sig.status();
    }
    signature = *std::move(sig);
  }
  return absl::StrCat(input, ".", Base64UrlEncode(signature));
}

absl::StatusOr<std::string> JwtSigner::SignToken(const TokenSpec& spec) const {
  return Sign(ClaimsFor(spec));
}

json ClaimsFor(const TokenSpec& spec) {
  json claims = json::object();
  claims["sub"] = spec.principal.subject;
  claims["tenant"] = spec.principal.tenant;
  json roles = json::array();
  for (Role r : spec.principal.roles) {
    roles.push_back(std::string(RoleName(r)));
  }
  claims["roles"] = roles;
  if (!spec.issuer.empty()) {
    claims["iss"] = spec.issuer;
  }
  if (!spec.audience.empty()) {
    claims["aud"] = spec.audience;
  }
  claims["iat"] = absl::ToUnixSeconds(spec.issued_at);
  claims["exp"] = absl::ToUnixSeconds(spec.issued_at + spec.lifetime);
  claims["nbf"] = absl::ToUnixSeconds(spec.not_before != absl::InfinitePast() ? spec.not_before
                                                                              : spec.issued_at);
  return claims;
}

}  // namespace moot::auth
