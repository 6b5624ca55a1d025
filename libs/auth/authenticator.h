// Turns a call's credentials (gRPC metadata or HTTP headers) into a Principal.
#pragma once

#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/string_ref.h"
#include "libs/auth/api_key_store.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/auth/principal.h"

namespace moot::auth {

// ErrorInfo reasons besides the verifier's and the key store's.
inline constexpr absl::string_view kCredentialsAmbiguous = "CREDENTIALS_AMBIGUOUS";
inline constexpr absl::string_view kCredentialsNotAccepted = "CREDENTIALS_NOT_ACCEPTED";

// The metadata keys (lower case, as gRPC delivers them).
inline constexpr absl::string_view kAuthorizationHeader = "authorization";
inline constexpr absl::string_view kApiKeyHeader = "x-api-key";

// Thread-safe; the verifier and key store are not owned and may be null (that kind of
// credential is then refused with CREDENTIALS_NOT_ACCEPTED).
class Authenticator {
 public:
  Authenticator(const JwtVerifier* jwt_verifier, const ApiKeyStore* api_keys)
      : jwt_verifier_(jwt_verifier), api_keys_(api_keys) {}

  // From gRPC client metadata: "authorization: Bearer <jwt>" or "x-api-key: <key>".
  absl::StatusOr<Principal> Authenticate(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const;

  // Transport-free form: every value of each header. No values at all gives the anonymous
  // principal; more than one credential is UNAUTHENTICATED (CREDENTIALS_AMBIGUOUS); an
  // authorization value that is not "Bearer <token>" is UNAUTHENTICATED (TOKEN_MALFORMED); a
  // present credential that fails never falls back to anonymous.
  absl::StatusOr<Principal> AuthenticateHeaders(
      const std::vector<absl::string_view>& authorization,
      const std::vector<absl::string_view>& api_keys) const;

 private:
  const JwtVerifier* jwt_verifier_;
  const ApiKeyStore* api_keys_;
};

}  // namespace moot::auth
