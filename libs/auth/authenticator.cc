#include "libs/auth/authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "libs/status/errors.h"

namespace moot::auth {

using ::moot::status::Unauthenticated;

absl::StatusOr<Principal> Authenticator::Authenticate(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const {
  std::vector<absl::string_view> authorization;
  std::vector<absl::string_view> api_keys;
  for (const auto& [key, value] : metadata) {
    absl::string_view k(key.data(), key.size());
    absl::string_view v(value.data(), value.size());
    if (absl::EqualsIgnoreCase(k, kAuthorizationHeader)) {
      authorization.push_back(v);
    } else if (absl::EqualsIgnoreCase(k, kApiKeyHeader)) {
      api_keys.push_back(v);
    }
  }
  return AuthenticateHeaders(authorization, api_keys);
}

absl::StatusOr<Principal> Authenticator::AuthenticateHeaders(
    const std::vector<absl::string_view>& authorization,
    const std::vector<absl::string_view>& api_keys) const {
  if (authorization.empty() && api_keys.empty()) {
    return Principal::Anonymous();
  }
  if (authorization.size() + api_keys.size() > 1) {
    return Unauthenticated(kCredentialsAmbiguous, "send exactly one credential");
  }
  if (!api_keys.empty()) {
    if (api_keys_ == nullptr) {
      return Unauthenticated(kCredentialsNotAccepted, "API keys are not accepted here");
    }
    return api_keys_->Verify(absl::StripAsciiWhitespace(api_keys.front()));
  }
  absl::string_view value = absl::StripAsciiWhitespace(authorization.front());
  constexpr absl::string_view kBearer = "bearer ";
  if (value.size() <= kBearer.size() || !absl::StartsWithIgnoreCase(value, kBearer)) {
    return Unauthenticated(kTokenMalformed, "authorization must be \"Bearer <token>\"");
  }
  absl::string_view token = absl::StripLeadingAsciiWhitespace(value.substr(kBearer.size()));
  if (jwt_verifier_ == nullptr) {
    return Unauthenticated(kCredentialsNotAccepted, "bearer tokens are not accepted here");
  }
  return jwt_verifier_->Verify(token);
}

}  // namespace moot::auth
