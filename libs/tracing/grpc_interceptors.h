// gRPC interceptors (gRPC's experimental interceptor API) that carry W3C traceparent/tracestate
// in metadata and record a SERVER span per incoming call and a CLIENT span per outgoing call.
#pragma once

#include <optional>
#include <string>

#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/client_interceptor.h"
#include "grpcpp/support/server_interceptor.h"
#include "libs/tracing/tracer.h"

namespace moot::tracing {

// Per incoming call: reads traceparent/tracestate from the client's metadata (a missing or
// malformed traceparent starts a new trace), starts a SERVER span named
// "<package.Service>/<Method>" with rpc.* attributes, makes its context current on the handler's
// thread (CurrentSpanContext()) and findable by ServerSpanContext(ctx), adds the span's
// traceparent to the response's initial metadata, and ends the span with the call's status.
// Register with ServerBuilder::experimental().SetInterceptorCreators(). `tracer` must outlive
// the server.
class TracingServerInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit TracingServerInterceptorFactory(Tracer& tracer) : tracer_(tracer) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  Tracer& tracer_;
};

// Per outgoing call: starts a CLIENT span whose parent is, in order, a valid traceparent the
// caller put on the ClientContext, or the thread's CurrentSpanContext(), or none (a new trace);
// sends the span's traceparent (and the parent's tracestate) in the metadata; ends the span with
// the call's status. Register with grpc::experimental::CreateCustomChannelWithInterceptors().
// `tracer` must outlive every channel using it.
class TracingClientInterceptorFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit TracingClientInterceptorFactory(Tracer& tracer) : tracer_(tracer) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override;

 private:
  Tracer& tracer_;
};

// The SERVER span context of the call on `ctx` while its handler runs (the tracing server
// interceptor must be installed), else nullopt. For handlers that hop threads.
std::optional<SpanContext> ServerSpanContext(const grpc::ServerContextBase* ctx);

// The traceparent the server sent back in its initial metadata (valid after the call finished),
// or empty. The gateway returns it to HTTP callers.
std::string ResponseTraceParent(const grpc::ClientContext& ctx);

// Splits "/pkg.Service/Method" into {"pkg.Service", "Method"}; anything else gives
// {"", method-without-leading-slash}.
std::pair<std::string, std::string> SplitGrpcMethod(absl::string_view full_method);

}  // namespace moot::tracing
