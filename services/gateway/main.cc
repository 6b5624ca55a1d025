// The gateway process: wires config, the admin store, authentication, tracing and the servers.
#include <algorithm>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/api/page_token.h"
#include "libs/auth/api_key_store.h"
#include "libs/auth/auth_config.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/config/common_keys.h"
#include "libs/config/config.h"
#include "libs/ids/id_generator.h"
#include "libs/log/logger.h"
#include "libs/metrics/admin_server.h"
#include "libs/metrics/metrics.h"
#include "libs/redis/redis_client.h"
#include "libs/rpc/server_runner.h"
#include "libs/service/redis_stream_writer.h"
#include "libs/sql/database.h"
#include "libs/tracing/batching_exporter.h"
#include "libs/tracing/redis_stream_sink.h"
#include "libs/tracing/tracer.h"
#include "services/gateway/admin_service.h"
#include "services/gateway/admin_store.h"
#include "services/gateway/gateway.h"

extern char** environ;

namespace {

using moot::config::Key;

// Spans go nowhere when no Redis is configured.
class DiscardingSink : public moot::tracing::SpanSink {
 public:
  absl::Status Write(const std::vector<moot::tracing::Span>&) override { return absl::OkStatus(); }
};

int Run(int argc, char** argv) {
  std::function<int()> wait_for_signal = moot::rpc::InstallShutdownSignals();
  moot::rpc::ConfigureProcess();

  moot::config::ConfigSchema schema;
  moot::config::AddCommonKeys(schema, {.service_name = "gateway",
                                       .grpc_port = 50051,
                                       .admin_port = 9051,
                                       .database_url = "sqlite://var/data/gateway.db"});
  schema.Add(Key::String("MOOT_HTTP_HOST", "127.0.0.1").Help("HTTP/JSON listen host."));
  schema.Add(Key::Int("MOOT_HTTP_PORT", 8080).Range(0, 65535).Help("HTTP/JSON listen port."));
  const std::vector<std::pair<std::string, int>> backends = {{"scheduling", 50061},
                                                             {"documents", 50062},
                                                             {"decisions", 50063},
                                                             {"budget", 50064},
                                                             {"notifications", 50065}};
  for (const auto& [name, port] : backends) {
    std::string key = absl::StrCat("MOOT_", absl::AsciiStrToUpper(name), "_ADDRESS");
    schema.Add(Key::String(key, absl::StrCat("127.0.0.1:", port))
                   .Help(absl::StrCat("host:port of the ", name, " service.")));
  }
  schema.Add(Key::String("MOOT_PUBLIC_BASE_URL", "http://127.0.0.1:8080")
                 .Validate([](const moot::config::Value& v) -> absl::Status {
                   const std::string& url = std::get<std::string>(v);
                   const bool scheme =
                       absl::StartsWith(url, "http://") || absl::StartsWith(url, "https://");
                   const bool clean = std::none_of(url.begin(), url.end(), [](char c) {
                     return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
                   });
                   return scheme && clean ? absl::OkStatus()
                                          : absl::InvalidArgumentError(
                                                "not an http(s) URL without spaces (e.g. "
                                                "https://moot.example.org)");
                 })
                 .Help("Public web address; iCalendar feeds link agendas below it."));
  schema.Add(Key::Int("MOOT_HTTP_THREADS", 64)
                 .Range(1, 4096)
                 .Help("HTTP worker threads: one per kept-alive connection."));
  schema.Add(Key::Duration("MOOT_DEFAULT_DEADLINE", absl::Seconds(30))
                 .Help("Deadline of calls whose caller set none."));
  schema.Add(Key::Duration("MOOT_MAX_DEADLINE", absl::Seconds(120))
                 .Help("Longest deadline a unary call may have."));
  schema.Add(Key::Duration("MOOT_MAX_STREAM_DURATION", absl::Hours(1))
                 .Help("Longest a server stream (WatchEvents) may last."));
  schema.Add(Key::Int("MOOT_MAX_REQUEST_BYTES", 4 * 1024 * 1024)
                 .Range(1024, 64 * 1024 * 1024)
                 .Help("Largest request message accepted."));
  schema.Add(Key::Int("MOOT_TENANT_RATE_LIMIT", 100)
                 .Range(0, 1000000)
                 .Help("Default requests per second per tenant (0 = unlimited)."));
  schema.Add(Key::Int("MOOT_API_KEY_RATE_LIMIT", 20)
                 .Range(0, 1000000)
                 .Help("Default requests per second per API key (0 = unlimited)."));
  schema.Add(Key::Int("MOOT_ANONYMOUS_RATE_LIMIT", 200)
                 .Range(0, 1000000)
                 .Help("Requests per second of all anonymous callers together (0 = unlimited)."));

  absl::StatusOr<moot::config::Config> config = moot::config::Load(schema, environ, argc, argv);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  if (config->help_requested()) {
    std::cout << schema.Help("gateway");
    return 0;
  }
  moot::config::CommonConfig common = moot::config::ReadCommonConfig(*config);
  moot::log::SetServiceName("gateway");
  moot::log::Level level;
  if (moot::log::ParseLevel(common.log_level, &level)) {
    moot::log::SetMinLevel(level);
  }
  moot::log::Info("configuration", {{"config", config->Describe()}});

  auto fail = [](absl::string_view what, const absl::Status& status) {
    moot::log::Error(what, {{"error", status.ToString()}});
    return 1;
  };

  // Storage: tenants and API keys.
  absl::StatusOr<std::unique_ptr<moot::sql::Database>> db = moot::sql::Open(common.database_url);
  if (!db.ok()) {
    return fail("cannot open the database", db.status());
  }
  moot::gateway::SqlAdminStore store(**db, moot::time::Clock::Real(), common.api_key_pepper);
  if (absl::Status migrated = store.Migrate(); !migrated.ok()) {
    return fail("cannot migrate the database", migrated);
  }

  // Authentication.
  absl::StatusOr<std::unique_ptr<moot::auth::JwtVerifier>> verifier =
      moot::auth::JwtVerifierFromConfig(common, &moot::time::Clock::Real());
  if (!verifier.ok()) {
    return fail("bad JWT configuration", verifier.status());
  }
  moot::auth::Authenticator authenticator(verifier->get(), &store);
  // API-key callers reach the backends with a short-lived token (HS256 installs only).
  std::unique_ptr<moot::auth::JwtSigner> signer;
  if (!common.jwt_hs256_secret.empty()) {
    absl::StatusOr<std::unique_ptr<moot::auth::JwtSigner>> made =
        moot::auth::JwtSigner::Hs256(common.jwt_hs256_secret);
    if (made.ok()) {
      signer = *std::move(made);
    }
  }

  // Tracing and the trace API.
  std::unique_ptr<moot::redis::RedisClient> redis;
  std::unique_ptr<moot::service::RedisStreamWriter> stream_writer;
  std::unique_ptr<moot::tracing::SpanSink> sink;
  std::unique_ptr<moot::gateway::RedisSpanSource> span_source;
  std::unique_ptr<moot::gateway::TraceQuery> traces;
  if (!common.redis_url.empty()) {
    absl::StatusOr<moot::redis::RedisOptions> redis_options =
        moot::redis::ParseRedisUrl(common.redis_url);
    if (!redis_options.ok()) {
      return fail("bad MOOT_REDIS_URL", redis_options.status());
    }
    redis = std::make_unique<moot::redis::RedisClient>(*redis_options);
    stream_writer = std::make_unique<moot::service::RedisStreamWriter>(*redis);
    sink = std::make_unique<moot::tracing::RedisStreamSink>(*stream_writer);
    span_source = std::make_unique<moot::gateway::RedisSpanSource>(*redis);
    traces = std::make_unique<moot::gateway::TraceQuery>(*span_source);
  } else {
    sink = std::make_unique<DiscardingSink>();
  }
  moot::tracing::BatchingExporter exporter(*sink);
  moot::ids::UlidGenerator ids;
  moot::tracing::Tracer tracer("gateway", moot::time::Clock::Real(), ids, exporter);

  // Admin services.
  absl::StatusOr<moot::auth::ApiKeyParts> page_secret = moot::auth::NewApiKeyParts();
  if (!page_secret.ok()) {
    return fail("no randomness", page_secret.status());
  }
  moot::api::PageTokens page_tokens(page_secret->secret);
  moot::gateway::TenantServiceImpl tenants(store, authenticator, page_tokens);
  moot::gateway::ApiKeyServiceImpl api_keys(store, authenticator, page_tokens);

  moot::gateway::GatewayOptions options;
  options.grpc_listen = common.grpc_listen;
  options.http_host = config->GetString("MOOT_HTTP_HOST");
  options.http_port = static_cast<int>(config->GetInt("MOOT_HTTP_PORT"));
  options.http_threads = static_cast<int>(config->GetInt("MOOT_HTTP_THREADS"));
  options.shutdown_grace = common.shutdown_grace;
  for (const auto& [name, port] : backends) {
    options.backend_addresses[name] =
        config->GetString(absl::StrCat("MOOT_", absl::AsciiStrToUpper(name), "_ADDRESS"));
  }
  options.limits.default_deadline = config->GetDuration("MOOT_DEFAULT_DEADLINE");
  options.limits.max_deadline = config->GetDuration("MOOT_MAX_DEADLINE");
  options.limits.max_stream_duration = config->GetDuration("MOOT_MAX_STREAM_DURATION");
  options.limits.max_request_bytes = config->GetInt("MOOT_MAX_REQUEST_BYTES");
  options.limits.tenant_requests_per_second =
      static_cast<double>(config->GetInt("MOOT_TENANT_RATE_LIMIT"));
  options.limits.api_key_requests_per_second =
      static_cast<double>(config->GetInt("MOOT_API_KEY_RATE_LIMIT"));
  options.limits.anonymous_requests_per_second =
      static_cast<double>(config->GetInt("MOOT_ANONYMOUS_RATE_LIMIT"));
  options.ical.public_base_url = config->GetString("MOOT_PUBLIC_BASE_URL");
  // A feed's tenant must exist here (unknown tenants are 404), and names the calendar.
  options.ical.tenant_display_name =
      [&store](absl::string_view tenant) -> absl::StatusOr<std::string> {
    absl::StatusOr<moot::gateway::TenantRecord> record = store.GetTenant(tenant);
    if (!record.ok()) {
      return record.status();
    }
    return record->display_name.empty() ? std::string(tenant) : record->display_name;
  };
  options.proxy.token_signer = signer.get();
  options.proxy.token_issuer = common.jwt_issuer;
  options.proxy.token_audience = common.jwt_audience;

  moot::metrics::Metrics metrics;
  moot::gateway::Gateway gateway(
      options, moot::gateway::GatewayDeps{.authenticator = &authenticator,
                                          .tracer = &tracer,
                                          .traces = traces.get(),
                                          .rate_overrides = &store,
                                          .metrics = &metrics,
                                          .admin_services = {&tenants, &api_keys}});
  if (absl::Status started = gateway.Start(); !started.ok()) {
    return fail("cannot start", started);
  }
  // The loopback admin port: /metrics and /healthz of the gateway process itself (the public
  // /healthz on the HTTP port reports every process).
  std::unique_ptr<moot::metrics::AdminServer> admin;
  if (common.admin_port > 0) {
    moot::rpc::ServerRunner* runner = &gateway.runner();
    admin = std::make_unique<moot::metrics::AdminServer>(
        metrics,
        [runner] {
          return runner->Serving() ? moot::metrics::HealthReport::Serving()
                                   : moot::metrics::HealthReport::NotServing();
        },
        moot::metrics::AdminServerOptions{.port = common.admin_port});
    if (absl::StatusOr<int> port = admin->Start(); !port.ok()) {
      gateway.Shutdown();
      return fail("cannot start the admin port", port.status());
    }
  }
  int signal = wait_for_signal();
  moot::log::Info("signal received, shutting down", {{"signal", absl::StrCat(signal)}});
  gateway.Shutdown();
  if (admin != nullptr) {
    admin->Stop();
  }
  exporter.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
