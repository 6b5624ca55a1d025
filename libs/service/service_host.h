// Everything a Moot process shares, wired once: configuration, logging, the database, Redis, the
// outbox relay, tracing to Redis, metrics and the admin port, authentication, the gRPC server
// with its interceptors, dependency health, and graceful shutdown. A service's main() builds a
// ServiceHost, constructs its logic and adapters over the host's parts, and calls Run().
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "libs/api/page_token.h"
#include "libs/auth/api_key_store.h"
#include "libs/auth/authenticator.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/auth/server_auth.h"
#include "libs/config/common_keys.h"
#include "libs/config/config.h"
#include "libs/config/config_schema.h"
#include "libs/events/outbox.h"
#include "libs/events/outbox_relay.h"
#include "libs/ids/id_generator.h"
#include "libs/metrics/admin_server.h"
#include "libs/metrics/metrics.h"
#include "libs/redis/redis_client.h"
#include "libs/rpc/server_runner.h"
#include "libs/service/redis_stream_writer.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "libs/tracing/batching_exporter.h"
#include "libs/tracing/redis_stream_sink.h"
#include "libs/tracing/tracer.h"

namespace moot::service {

struct ServiceHostOptions {
  std::string name;            // "scheduling", ...
  int default_grpc_port = 0;   // 50061, ...
  int default_admin_port = 0;  // 9061, ...
  // Declares the service's own configuration keys beside the common ones.
  std::function<void(config::ConfigSchema&)> extra_keys;
  // The clock to use (tests); the real clock when null.
  const time::Clock* clock = nullptr;
  // Interval of the dependency health probe (database and Redis ping).
  absl::Duration health_interval = absl::Seconds(1);
};

class ServiceHost {
 public:
  // Loads the configuration from `environ` and `args` (the arguments after the program name),
  // opens the database (and checks it answers) and prepares everything else. Redis need not be
  // reachable: the service starts, its health reports Redis DEGRADED, and events wait in the
  // outbox. Errors name the bad setting. When --help was given, returns a host whose
  // help_requested() is true (print help_text() and exit 0).
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Create(ServiceHostOptions options,
                                                             const config::Environment& environ,
                                                             const std::vector<std::string>& args);
  ~ServiceHost();
  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  bool help_requested() const { return config_.help_requested(); }
  std::string help_text() const;

  // The parts, valid for the host's lifetime.
  const config::Config& config() const { return config_; }
  const config::CommonConfig& common() const { return common_; }
  const time::Clock& clock() const { return *clock_; }
  ids::IdGenerator& ids() { return ids_; }
  sql::Database& db() { return *db_; }
  redis::RedisClient& redis() { return *redis_; }
  const events::Outbox& outbox() const { return outbox_; }
  events::OutboxRelay& relay() { return *relay_; }
  tracing::Tracer& tracer() { return *tracer_; }
  metrics::Metrics& metrics() { return metrics_; }
  const auth::ServerAuth& server_auth() const { return *server_auth_; }
  const api::PageTokens& page_tokens() const { return *page_tokens_; }
  rpc::ServerRunner& runner() { return *runner_; }

  // Registers a gRPC service (not owned; must outlive the host). Before Start().
  void AddService(grpc::Service* service) { runner_->AddService(service); }
  // Adds a loop started after the server and stopped at shutdown, before the relay.
  void AddBackgroundTask(rpc::BackgroundTask task) { runner_->AddBackgroundTask(std::move(task)); }

  // Applies the outbox migrations, starts the gRPC server, the relay, the admin port and the
  // health probe. The service applies its own migrations before calling Start().
  absl::Status Start();

  // The bound ports (after Start()).
  int grpc_port() const { return runner_->port(); }
  int admin_port() const { return admin_ ? admin_->port() : 0; }

  // Stops everything in order: health NOT_SERVING, no new calls, drain in-flight calls within
  // the grace period, background loops, the relay (one last round), spans flushed. Idempotent.
  void Shutdown();

  // Start(), then block until SIGTERM or SIGINT, then Shutdown(). Returns the process exit code.
  // `wait_for_signal` must come from rpc::InstallShutdownSignals() called first thing in main().
  int Run(const std::function<int()>& wait_for_signal);

 private:
  ServiceHost() = default;
  void ProbeHealth();

  ServiceHostOptions options_;
  config::ConfigSchema schema_;
  config::Config config_;
  config::CommonConfig common_;
  const time::Clock* clock_ = nullptr;
  ids::UlidGenerator ids_;
  std::unique_ptr<sql::Database> db_;
  std::unique_ptr<redis::RedisClient> redis_;
  events::Outbox outbox_;
  std::unique_ptr<events::OutboxRelay> relay_;
  metrics::Metrics metrics_;
  std::unique_ptr<RedisStreamWriter> span_writer_;
  std::unique_ptr<tracing::RedisStreamSink> span_sink_;
  std::unique_ptr<tracing::BatchingExporter> span_exporter_;
  std::unique_ptr<tracing::Tracer> tracer_;
  std::unique_ptr<auth::JwtVerifier> jwt_verifier_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<auth::ServerAuth> server_auth_;
  std::unique_ptr<api::PageTokens> page_tokens_;
  std::unique_ptr<rpc::ServerRunner> runner_;
  std::unique_ptr<metrics::AdminServer> admin_;
  absl::Notification stop_probe_;
  std::thread probe_;
  bool started_ = false;
  bool shut_down_ = false;
};

}  // namespace moot::service
