#include "services/gateway/gateway.h"

#include "libs/metrics/metrics_interceptor.h"
#include "services/gateway/cached_rate_overrides.h"

#include "absl/strings/str_cat.h"
#include "libs/log/logger.h"
#include "libs/status/macros.h"

namespace moot::gateway {

Gateway::Gateway(GatewayOptions options, GatewayDeps deps)
    : options_(std::move(options)),
      deps_(std::move(deps)),
      clock_(deps_.clock != nullptr ? *deps_.clock : moot::time::Clock::Real()),
      rate_limiter_(clock_) {}

Gateway::~Gateway() { Shutdown(); }

absl::Status Gateway::Start() {
  if (deps_.authenticator == nullptr) {
    return absl::InvalidArgumentError("the gateway needs an authenticator");
  }
  // Replies from backends may be as large as the server's send limit.
  const int max_reply = 16 * 1024 * 1024;
  std::vector<std::string> health_names;
  for (const auto& [name, address] : options_.backend_addresses) {
    backends_.AddAddress(name, address, max_reply);
    health_names.push_back(name);
  }
  if (!deps_.admin_services.empty()) {
    admin_runner_ = std::make_unique<moot::rpc::ServerRunner>(
        moot::rpc::ServerRunnerOptions{.service_name = "gateway-admin",
                                       .listen_address = "127.0.0.1:0",
                                       .shutdown_grace = options_.shutdown_grace,
                                       .enable_reflection = false});
    for (grpc::Service* service : deps_.admin_services) {
      admin_runner_->AddService(service);
    }
    MOOT_RETURN_IF_ERROR(admin_runner_->Start());
    backends_.Add("admin", admin_runner_->InProcessChannel());
  }
  if (deps_.rate_overrides != nullptr) {
    rate_overrides_ = std::make_unique<CachedRateOverrides>(*deps_.rate_overrides, clock_);
  }
  policy_ = std::make_unique<CallPolicy>(registry_, options_.routes, *deps_.authenticator,
                                         rate_limiter_, options_.limits, rate_overrides_.get());
  proxy_ = std::make_unique<GrpcProxy>(*policy_, backends_, clock_, deps_.tracer, options_.proxy);
  // The transport admits a little more than the policy so that an oversized message gets the
  // policy's explicit REQUEST_TOO_LARGE error.
  int64_t transport_limit = std::min<int64_t>(options_.limits.max_request_bytes + 64 * 1024,
                                              std::numeric_limits<int>::max());
  runner_ = std::make_unique<moot::rpc::ServerRunner>(
      moot::rpc::ServerRunnerOptions{.service_name = "gateway",
                                     .listen_address = options_.grpc_listen,
                                     .max_receive_message_bytes = static_cast<int>(transport_limit),
                                     .max_send_message_bytes = max_reply,
                                     .shutdown_grace = options_.shutdown_grace});
  runner_->AddGenericService(proxy_.get());
  if (deps_.metrics != nullptr) {
    runner_->AddInterceptorFactory(
        std::make_unique<moot::metrics::MetricsServerInterceptorFactory>(*deps_.metrics, clock_));
  }
  MOOT_RETURN_IF_ERROR(runner_->Start());

  moot::rpc::ServerRunner* runner = runner_.get();
  health_ = std::make_unique<HealthChecker>(
      backends_, health_names, [runner] { return runner->Serving(); }, options_.health_timeout);
  HttpServerDeps http_deps;
  http_deps.registry = &registry_;
  http_deps.gateway_channel = runner_->InProcessChannel();
  http_deps.tracer = deps_.tracer;
  http_deps.health = health_.get();
  http_deps.traces = deps_.traces;
  http_deps.authenticator = deps_.authenticator;
  ical_ = std::make_unique<IcalFeedSource>(runner_->InProcessChannel(), options_.ical);
  http_deps.ical = ical_.get();
  http_ = std::make_unique<HttpServer>(
      std::move(http_deps),
      HttpServerOptions{.host = options_.http_host,
                        .port = options_.http_port,
                        .max_request_bytes = options_.limits.max_request_bytes,
                        .threads = options_.http_threads});
  absl::StatusOr<int> http_port = http_->Start();
  if (!http_port.ok()) {
    runner_->Shutdown();
    return http_port.status();
  }
  moot::log::Info("gateway started", {{"grpc_port", absl::StrCat(runner_->port())},
                                      {"http_port", absl::StrCat(*http_port)}});
  return absl::OkStatus();
}

void Gateway::Shutdown() {
  if (shut_down_) {
    return;
  }
  shut_down_ = true;
  if (http_ != nullptr) {
    http_->Stop();
  }
  if (runner_ != nullptr) {
    runner_->Shutdown();
  }
  if (admin_runner_ != nullptr) {
    admin_runner_->Shutdown();
  }
}

}  // namespace moot::gateway
