// The gateway's HTTP edge: every unary method as Connect-protocol unary JSON
// (POST /<package>.<Service>/<Method>), GET /healthz, the Zipkin v2 trace API and the public
// iCalendar feeds (GET /ical/<tenant>.ics, GET /ical/<tenant>/<body>.ics).
#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "libs/auth/authenticator.h"
#include "libs/metrics/http_listener.h"
#include "libs/tracing/tracer.h"
#include "services/gateway/health_checker.h"
#include "services/gateway/ical_feed_source.h"
#include "services/gateway/method_registry.h"
#include "services/gateway/trace_query.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace moot::gateway {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 picks a free port (see port()).
  int64_t max_request_bytes = 4 * 1024 * 1024;
  int threads = 64;  // One per kept-alive connection (cpp-httplib's model).
};

// Everything the handlers use; not owned, must outlive the server. `gateway_channel` reaches
// the gateway's own gRPC edge (the GrpcProxy), so an HTTP call takes exactly the gRPC path:
// the same policy (credentials, rate limits, tenant check, deadlines), routing and backends.
// `traces` may be null (the trace API then answers 503 unavailable).
struct HttpServerDeps {
  const MethodRegistry* registry = nullptr;
  std::shared_ptr<grpc::Channel> gateway_channel;
  moot::tracing::Tracer* tracer = nullptr;
  const HealthChecker* health = nullptr;
  const TraceQuery* traces = nullptr;
  // Authenticates trace API callers (OPS only).
  const moot::auth::Authenticator* authenticator = nullptr;
  // The public iCalendar feeds (GET /ical/<tenant>.ics, /ical/<tenant>/<body>.ics); null
  // leaves them out.
  const IcalFeedSource* ical = nullptr;
};

class HttpServer {
 public:
  HttpServer(HttpServerDeps deps, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and serves on a background thread; returns the port. UNAVAILABLE when the address
  // cannot be bound.
  absl::StatusOr<int> Start();
  // Stops serving and joins the thread. Idempotent.
  void Stop();
  int port() const;

 private:
  void HandleUnary(const httplib::Request& request, httplib::Response& response);
  void HandleHealth(const httplib::Request& request, httplib::Response& response);
  void HandleTrace(const httplib::Request& request, httplib::Response& response);
  void HandleTraces(const httplib::Request& request, httplib::Response& response);
  void HandleIcal(const httplib::Request& request, httplib::Response& response,
                  const std::string& tenant, const std::string& body);
  absl::Status AuthorizeOps(const httplib::Request& request) const;

  const HttpServerDeps deps_;
  const HttpServerOptions options_;
  grpc::GenericStub stub_;
  std::unique_ptr<httplib::Server> server_;
  mutable absl::Mutex mu_;
  int port_ ABSL_GUARDED_BY(mu_) = 0;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  moot::metrics::HttpListener listener_;
};

}  // namespace moot::gateway
