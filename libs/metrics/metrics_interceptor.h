// A gRPC server interceptor that records RED metrics (rate, errors, duration) for every call.
#pragma once

#include "grpcpp/support/server_interceptor.h"
#include "libs/metrics/metrics.h"
#include "libs/time/clock.h"

namespace moot::metrics {

// Per call: starts timing when the client's metadata arrives and, when the status is sent,
// records moot_rpc_requests_total{service,method,code} and moot_rpc_duration_seconds. A call
// that ends without a status (cancelled by the client) is recorded as CANCELLED. Register with
// ServerBuilder::experimental().SetInterceptorCreators(). `metrics` and `clock` must outlive the
// server.
class MetricsServerInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  MetricsServerInterceptorFactory(Metrics& metrics, const time::Clock& clock)
      : metrics_(metrics), clock_(clock) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  Metrics& metrics_;
  const time::Clock& clock_;
};

}  // namespace moot::metrics
