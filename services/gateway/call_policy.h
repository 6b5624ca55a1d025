// What every call through the gateway must pass before a backend sees it, whatever the transport
// (gRPC or HTTP/JSON): a known and routed method, valid credentials, the rate limits, the
// request size limit and the tenant check of the resource names in each request message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/principal.h"
#include "services/gateway/method_registry.h"
#include "services/gateway/rate_limiter.h"

namespace moot::gateway {

// ErrorInfo reason of an oversized request message.
inline constexpr absl::string_view kRequestTooLarge = "REQUEST_TOO_LARGE";

struct GatewayLimits {
  // Deadline of a unary or client-streaming call whose caller set none, and the longest allowed.
  absl::Duration default_deadline = absl::Seconds(30);
  absl::Duration max_deadline = absl::Seconds(120);
  // The longest a server-streaming or bidirectional call (e.g. WatchEvents) may last.
  absl::Duration max_stream_duration = absl::Hours(1);
  // Largest request message accepted, in bytes.
  int64_t max_request_bytes = 4 * 1024 * 1024;
  // Default rates (requests per second); 0 means unlimited. Buckets hold `burst_seconds` of rate.
  double tenant_requests_per_second = 100;
  double api_key_requests_per_second = 20;
  double anonymous_requests_per_second = 200;
  double burst_seconds = 2;
};

// Per-tenant and per-key rates set by administrators (admin.v1 Tenant/ApiKey
// rate_limit_per_second). nullopt or 0 means the installation default. Thread-safe.
class RateOverrides {
 public:
  virtual ~RateOverrides() = default;
  virtual std::optional<double> TenantRate(absl::string_view tenant) const = 0;
  virtual std::optional<double> ApiKeyRate(absl::string_view key_id) const = 0;
};

// A call that was let in.
struct AdmittedCall {
  MethodInfo method;
  std::string backend;
  moot::auth::Principal principal;
};

// The resource names a request names: its top-level string fields `name` and `parent`, and
// those of its message fields whose type is declared inside the request's type (e.g.
// documents.v1.UploadDocumentRequest.Metadata.parent). Empty values are skipped. Each entry is
// (field path, value).
std::vector<std::pair<std::string, std::string>> RequestResourceNames(
    const google::protobuf::Message& request);

// Checks every resource name of `request` against the principal's tenant: PERMISSION_DENIED
// reason TENANT_MISMATCH when one names another tenant. Anonymous callers and principals without
// a tenant (platform operators) pass here; the backend decides what they may see.
absl::Status CheckRequestTenant(const moot::auth::Principal& principal,
                                const google::protobuf::Message& request);

// Thread-safe; the referenced objects must outlive it.
class CallPolicy {
 public:
  CallPolicy(const MethodRegistry& registry, const RouteTable& routes,
             const moot::auth::Authenticator& authenticator, RateLimiter& rate_limiter,
             GatewayLimits limits, const RateOverrides* overrides = nullptr)
      : registry_(registry),
        routes_(routes),
        authenticator_(authenticator),
        rate_limiter_(rate_limiter),
        limits_(limits),
        overrides_(overrides) {}

  // Looks the method up (UNIMPLEMENTED naming it), routes it (UNIMPLEMENTED), authenticates
  // the caller from every value of the authorization and x-api-key headers (UNAUTHENTICATED),
  // and takes a token from the tenant's and the API key's buckets (RESOURCE_EXHAUSTED with
  // RetryInfo).
  absl::StatusOr<AdmittedCall> Admit(absl::string_view path,
                                     const std::vector<absl::string_view>& authorization,
                                     const std::vector<absl::string_view>& api_keys) const;

  // Checks one request message (binary): RESOURCE_EXHAUSTED reason REQUEST_TOO_LARGE over the
  // size limit, INVALID_ARGUMENT when it does not parse as the method's input type, then
  // CheckRequestTenant().
  absl::Status CheckRequest(const AdmittedCall& call, absl::string_view bytes) const;

  // The deadline to give the backend: the caller's (absl::InfiniteFuture() when none) capped at
  // now + the maximum, or now + the default when the caller set none. Streams from the server
  // are capped at now + max_stream_duration instead.
  absl::Time BackendDeadline(const MethodInfo& method, absl::Time requested, absl::Time now) const;

  const GatewayLimits& limits() const { return limits_; }
  const MethodRegistry& registry() const { return registry_; }

 private:
  absl::Status CheckRateLimits(const moot::auth::Principal& principal) const;

  const MethodRegistry& registry_;
  const RouteTable& routes_;
  const moot::auth::Authenticator& authenticator_;
  RateLimiter& rate_limiter_;
  const GatewayLimits limits_;
  const RateOverrides* overrides_;
};

}  // namespace moot::gateway
