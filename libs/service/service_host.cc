#include "libs/service/service_host.h"

#include <openssl/sha.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/auth/auth_config.h"
#include "libs/log/logger.h"
#include "libs/metrics/metrics_interceptor.h"
#include "libs/status/macros.h"
#include "libs/tracing/event_context.h"
#include "libs/tracing/grpc_interceptors.h"

namespace moot::service {

namespace {

// A stable secret for page tokens, derived from the installation's secrets so that a token
// stays valid across restarts and replicas; random per process when none is configured.
std::string PageTokenSecret(const config::CommonConfig& common, ids::IdGenerator& ids) {
  const std::string seed = absl::StrCat(common.api_key_pepper, "|", common.jwt_hs256_secret);
  if (seed.size() <= 1) {
    return ids.RandomHex(32);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const std::string input = absl::StrCat("moot page tokens|", seed);
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

absl::string_view HealthName(rpc::DependencyHealth health) {
  switch (health) {
    case rpc::DependencyHealth::kServing:
      return "SERVING";
    case rpc::DependencyHealth::kDegraded:
      return "DEGRADED";
    case rpc::DependencyHealth::kNotServing:
      return "NOT_SERVING";
  }
  return "UNKNOWN";
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Create(
    ServiceHostOptions options, const config::Environment& environ,
    const std::vector<std::string>& args) {
  std::unique_ptr<ServiceHost> host(new ServiceHost());
  host->options_ = std::move(options);
  config::AddCommonKeys(host->schema_, {.service_name = host->options_.name,
                                        .grpc_port = host->options_.default_grpc_port,
                                        .admin_port = host->options_.default_admin_port,
                                        .database_url = absl::StrCat("sqlite://var/data/",
                                                                     host->options_.name, ".db")});
  if (host->options_.extra_keys) {
    host->options_.extra_keys(host->schema_);
  }
  MOOT_ASSIGN_OR_RETURN(host->config_, config::Load(host->schema_, environ, args));
  if (host->config_.help_requested()) {
    return host;
  }
  host->common_ = config::ReadCommonConfig(host->config_);
  const config::CommonConfig& common = host->common_;

  log::SetServiceName(common.service_name);
  log::Level level = log::Level::kInfo;
  if (log::ParseLevel(common.log_level, &level)) {
    log::SetMinLevel(level);
  }
  host->clock_ = host->options_.clock != nullptr ? host->options_.clock : &time::Clock::Real();
  log::Info("configuration", {{"config", host->config_.Describe()}});

  MOOT_ASSIGN_OR_RETURN(host->db_, sql::Open(common.database_url, 4));
  if (absl::Status ping = host->db_->Ping(); !ping.ok()) {
    return absl::UnavailableError(
        absl::StrCat("MOOT_DATABASE_URL: the database does not answer: ", ping.message()));
  }

  MOOT_ASSIGN_OR_RETURN(redis::RedisOptions redis_options, redis::ParseRedisUrl(common.redis_url));
  redis_options.connect_timeout = absl::Milliseconds(500);
  redis_options.command_timeout = absl::Seconds(1);
  host->redis_ = std::make_unique<redis::RedisClient>(redis_options, *host->clock_);
  host->relay_ = std::make_unique<events::OutboxRelay>(*host->db_, *host->redis_);
  // Every committed transaction wakes the relay, so events leave right after their commit rather
  // than at the next poll (quality.md P4: seen by a consumer within 50 ms).
  events::OutboxRelay* relay = host->relay_.get();
  host->db_->SetAfterCommit([relay] { relay->Notify(); });

  host->span_writer_ = std::make_unique<RedisStreamWriter>(*host->redis_);
  host->span_sink_ = std::make_unique<tracing::RedisStreamSink>(*host->span_writer_);
  metrics::Metrics* metrics = &host->metrics_;
  host->span_exporter_ = std::make_unique<tracing::BatchingExporter>(
      *host->span_sink_, tracing::BatchingExporterOptions{
                             .flush_interval = absl::Milliseconds(200),
                             .on_dropped = [metrics](int64_t n) { metrics->AddSpansDropped(n); }});
  host->tracer_ = std::make_unique<tracing::Tracer>(common.service_name, *host->clock_, host->ids_,
                                                    *host->span_exporter_);
  tracing::Tracer* tracer = host->tracer_.get();
  const std::string stream = host->outbox_.stream();
  host->relay_->SetHook(
      [tracer, metrics, stream](const events::v1::Event& event, absl::string_view entry_id) {
        tracing::ScopedSpan span = tracing::StartProducerSpan(*tracer, event, stream);
        span.SetAttribute("messaging.redis.entry_id", entry_id);
        span.End();
        metrics->AddEventsRelayed(stream);
      });

  MOOT_ASSIGN_OR_RETURN(host->jwt_verifier_, auth::JwtVerifierFromConfig(common, host->clock_));
  host->authenticator_ = std::make_unique<auth::Authenticator>(host->jwt_verifier_.get(), nullptr);
  host->server_auth_ = std::make_unique<auth::ServerAuth>(host->authenticator_.get());
  host->page_tokens_ = std::make_unique<api::PageTokens>(PageTokenSecret(common, host->ids_));

  host->runner_ = std::make_unique<rpc::ServerRunner>(rpc::ServerRunnerOptions{
      .service_name = common.service_name,
      .listen_address = common.grpc_listen,
      .shutdown_grace = common.shutdown_grace,
  });
  // Order: tracing first (so the span covers everything and logs get the trace id), then
  // authentication, then metrics.
  host->runner_->AddInterceptorFactory(
      std::make_unique<tracing::TracingServerInterceptorFactory>(*host->tracer_));
  host->runner_->AddInterceptorFactory(host->server_auth_->InterceptorFactory());
  host->runner_->AddInterceptorFactory(
      std::make_unique<metrics::MetricsServerInterceptorFactory>(host->metrics_, *host->clock_));
  return host;
}

ServiceHost::~ServiceHost() { Shutdown(); }

std::string ServiceHost::help_text() const { return schema_.Help(options_.name); }

absl::Status ServiceHost::Start() {
  MOOT_RETURN_IF_ERROR(events::Outbox::Migrate(*db_));
  MOOT_RETURN_IF_ERROR(runner_->Start());
  started_ = true;
  relay_->Start();
  ProbeHealth();
  if (common_.admin_port > 0) {
    admin_ = std::make_unique<metrics::AdminServer>(
        metrics_,
        [this]() {
          metrics::HealthReport report;
          report.serving = runner_->Serving();
          report.status = report.serving ? "SERVING" : "NOT_SERVING";
          for (const auto& [name, health] : runner_->Dependencies()) {
            report.dependencies[name] = std::string(HealthName(health));
          }
          return report;
        },
        metrics::AdminServerOptions{.port = common_.admin_port});
    MOOT_RETURN_IF_ERROR(admin_->Start().status());
  }
  probe_ = std::thread([this] {
    while (!stop_probe_.WaitForNotificationWithTimeout(options_.health_interval)) {
      ProbeHealth();
    }
  });
  log::Info("serving",
            {{"grpc_port", absl::StrCat(grpc_port())}, {"admin_port", absl::StrCat(admin_port())}});
  return absl::OkStatus();
}

void ServiceHost::ProbeHealth() {
  runner_->SetDependencyHealth("database", db_->Ping().ok() ? rpc::DependencyHealth::kServing
                                                            : rpc::DependencyHealth::kNotServing);
  // Without Redis the service still takes writes (events wait in the outbox): DEGRADED.
  runner_->SetDependencyHealth("redis", redis_->Ping().ok() ? rpc::DependencyHealth::kServing
                                                            : rpc::DependencyHealth::kDegraded);
  metrics_.SetOutboxDepth(relay_->depth());
}

void ServiceHost::Shutdown() {
  if (shut_down_ || config_.help_requested() || runner_ == nullptr) {
    return;
  }
  shut_down_ = true;
  stop_probe_.Notify();
  if (probe_.joinable()) {
    probe_.join();
  }
  runner_->Shutdown();
  if (started_) {
    relay_->Stop();
  }
  db_->SetAfterCommit(nullptr);  // Nothing writes any more; the relay may go before the database.
  if (admin_) {
    admin_->Stop();
  }
  if (span_exporter_) {
    span_exporter_->Stop();
  }
}

int ServiceHost::Run(const std::function<int()>& wait_for_signal) {
  if (absl::Status status = Start(); !status.ok()) {
    log::Error("start-up failed", {{"status", status.ToString()}});
    Shutdown();
    return 1;
  }
  const int signal = wait_for_signal();
  log::Info("signal received", {{"signal", absl::StrCat(signal)}});
  Shutdown();
  return 0;
}

}  // namespace moot::service
