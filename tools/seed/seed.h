// Loading demo (or any) data into a running Moot through its public API: a data file is a list
// of API calls in JSON, each made as a given role of a tenant through the gateway.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "libs/auth/jwt_signer.h"

namespace moot::seed {

// The roles demo credentials are made for, and the principal roles each carries.
// "officer" -> OFFICER, "member" -> MEMBER, "partner" -> PARTNER, "ops" -> OPS,
// "tenant_admin" -> TENANT_ADMIN, "finance_officer" -> FINANCE_OFFICER,
// "pcc_office" -> PCC_OFFICE.
const std::vector<std::string>& DemoRoles();

// Mints long-lived demo tokens: tenants x roles, subject "user:demo-<role>".
class Credentials {
 public:
  Credentials(std::unique_ptr<auth::JwtSigner> signer, std::string issuer, std::string audience,
              absl::Time now, absl::Duration lifetime);
  // The token for `role` of `tenant` (minted once, then cached). INVALID_ARGUMENT for an unknown
  // role.
  absl::StatusOr<std::string> Token(const std::string& tenant, const std::string& role);
  // {"tenants": {"<tenant>": {"<role>": "<token>"}}} for every tenant and DemoRoles() role.
  absl::StatusOr<std::string> Json(const std::vector<std::string>& tenants);

 private:
  std::unique_ptr<auth::JwtSigner> signer_;
  std::string issuer_;
  std::string audience_;
  absl::Time now_;
  absl::Duration lifetime_;
  std::map<std::pair<std::string, std::string>, std::string> cache_;
};

// One call of a data file.
struct Call {
  std::string method;        // "/moot.scheduling.v1.BodyService/CreateBody"
  std::string tenant;        // Whose credentials.
  std::string role;          // Which role's credentials.
  std::string request_json;  // The request, in proto3 JSON.
  bool allow_exists = true;  // ALREADY_EXISTS counts as done (re-running a seed is harmless).
};

// A data file: {"tenant": "west-midlands", "calls": [{"method": ..., "as": "officer",
// "request": {...}}, ...]}; a call may name another "tenant". INVALID_ARGUMENT with the call's
// index when the file is malformed.
absl::StatusOr<std::vector<Call>> ParseDataFile(const std::string& json, std::string* tenant);

// Checks, without calling anything, that every call names a known method, a known role, and a
// request that converts to the method's request type. INVALID_ARGUMENT naming the call.
absl::Status Validate(const std::vector<Call>& calls);

// Makes each call through `channel` with a bearer token from `credentials`, converting JSON to the
// method's request type via the generated descriptor pool. A call refused with RESOURCE_EXHAUSTED
// (the gateway's per-tenant rate limit) is repeated after its RetryInfo delay (at most 5 s; 250 ms
// without one), up to 20 tries. Stops at the first other failure and returns it, naming the call.
// Returns the number of calls made.
absl::StatusOr<int> Apply(const std::vector<Call>& calls, Credentials& credentials,
                          const std::shared_ptr<grpc::Channel>& channel,
                          absl::Duration per_call_deadline = absl::Seconds(10));

}  // namespace moot::seed
