// The gateway process assembled: the gRPC edge (generic proxy), the HTTP/JSON edge, the admin
// services it serves itself, and their shared policy, routes and backend channels.
#pragma once

#include "libs/metrics/metrics.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "libs/auth/authenticator.h"
#include "libs/rpc/server_runner.h"
#include "libs/time/clock.h"
#include "libs/tracing/tracer.h"
#include "services/gateway/backend_channels.h"
#include "services/gateway/call_policy.h"
#include "services/gateway/grpc_proxy.h"
#include "services/gateway/health_checker.h"
#include "services/gateway/http_server.h"
#include "services/gateway/ical_feed_source.h"
#include "services/gateway/method_registry.h"
#include "services/gateway/rate_limiter.h"
#include "services/gateway/trace_query.h"

namespace moot::gateway {

struct GatewayOptions {
  std::string grpc_listen = "127.0.0.1:0";
  std::string http_host = "127.0.0.1";
  int http_port = 0;  // 0 picks a free port.
  GatewayLimits limits;
  RouteTable routes = RouteTable::Default();
  // Backend name -> "host:port" (e.g. "scheduling" -> "127.0.0.1:50061"). The "admin" backend
  // is the gateway's own admin server and needs no address.
  std::map<std::string, std::string> backend_addresses;
  absl::Duration health_timeout = absl::Seconds(1);
  absl::Duration shutdown_grace = absl::Seconds(10);
  GrpcProxyOptions proxy;
  // cpp-httplib serves one connection per thread for as long as the client keeps it alive, so
  // this bounds the keep-alive clients served at once (others wait for a free thread).
  int http_threads = 64;
  // The public iCalendar feeds on the HTTP edge (public base URL, tenant directory).
  IcalFeedOptions ical;
};

// Not owned; must outlive the Gateway. Only `authenticator` is required.
struct GatewayDeps {
  const moot::auth::Authenticator* authenticator = nullptr;
  const moot::time::Clock* clock = nullptr;  // Defaults to the real clock.
  moot::tracing::Tracer* tracer = nullptr;
  const TraceQuery* traces = nullptr;
  const RateOverrides* rate_overrides = nullptr;
  // RED metrics of every call through the gRPC edge (and so of the HTTP edge too) when set.
  moot::metrics::Metrics* metrics = nullptr;
  // Services the gateway implements itself (moot.admin.v1), routed as the backend "admin".
  std::vector<grpc::Service*> admin_services;
};

class Gateway {
 public:
  Gateway(GatewayOptions options, GatewayDeps deps);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Starts the admin server, the gRPC edge and the HTTP edge. Fails (never aborts) when an
  // address cannot be bound.
  absl::Status Start();
  // Graceful: health NOT_SERVING, HTTP stops, in-flight gRPC calls drain. Idempotent.
  void Shutdown();

  int grpc_port() const { return runner_->port(); }
  int http_port() const { return http_ != nullptr ? http_->port() : 0; }
  moot::rpc::ServerRunner& runner() { return *runner_; }

 private:
  GatewayOptions options_;
  GatewayDeps deps_;
  const moot::time::Clock& clock_;
  MethodRegistry registry_;
  BackendChannels backends_;
  RateLimiter rate_limiter_;
  std::unique_ptr<RateOverrides> rate_overrides_;  // Cached view of deps_.rate_overrides.
  std::unique_ptr<CallPolicy> policy_;
  std::unique_ptr<GrpcProxy> proxy_;
  std::unique_ptr<moot::rpc::ServerRunner> admin_runner_;
  std::unique_ptr<moot::rpc::ServerRunner> runner_;
  std::unique_ptr<HealthChecker> health_;
  std::unique_ptr<IcalFeedSource> ical_;
  std::unique_ptr<HttpServer> http_;
  bool shut_down_ = false;
};

}  // namespace moot::gateway
