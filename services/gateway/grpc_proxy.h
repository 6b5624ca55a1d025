// The gateway's gRPC edge: a generic service that forwards every call (unary and streaming) to
// the backend its package routes to, after the CallPolicy let it in.
#pragma once

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/generic/async_generic_service.h"
#include "libs/auth/jwt_signer.h"
#include "libs/time/clock.h"
#include "libs/tracing/tracer.h"
#include "services/gateway/backend_channels.h"
#include "services/gateway/call_policy.h"

namespace moot::gateway {

struct GrpcProxyOptions {
  // When set, callers authenticated by API key reach the backends with a short-lived bearer
  // token for the same principal (the backends cannot verify the gateway's API keys).
  const moot::auth::JwtSigner* token_signer = nullptr;
  std::string token_issuer;
  std::string token_audience;
  absl::Duration token_lifetime = absl::Minutes(5);
};

// A generic bidirectional proxy. Per call: the policy admits it (method, route, credentials,
// rate limits) before anything is read; each request message is checked (size, shape, tenant)
// before it is forwarded, and the backend call starts only with the first message that passed,
// so a refused call never reaches a backend. Messages flow both ways one at a time (flow
// control); cancellation, the deadline (defaulted and capped by the policy), client metadata
// (authorization, traceparent, ...), the backend's initial and trailing metadata and its status
// with binary details are carried through. Registered methods of the same server (health,
// reflection) take precedence over it.
class GrpcProxy : public grpc::CallbackGenericService {
 public:
  // Everything referenced must outlive the server. `tracer` may be null (no spans; the
  // caller's traceparent is forwarded as it is).
  GrpcProxy(const CallPolicy& policy, const BackendChannels& backends,
            const moot::time::Clock& clock, moot::tracing::Tracer* tracer,
            GrpcProxyOptions options = {});

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override;

 private:
  friend class ProxyCall;
  const CallPolicy& policy_;
  const BackendChannels& backends_;
  const moot::time::Clock& clock_;
  moot::tracing::Tracer* tracer_;
  const GrpcProxyOptions options_;
};

// Metadata keys never copied between calls (transport and gRPC-reserved ones).
bool IsReservedMetadataKey(absl::string_view key);

}  // namespace moot::gateway
