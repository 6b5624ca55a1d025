#include "libs/metrics/admin_server.h"

#include <sys/socket.h>

#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "libs/status/errors.h"
#include "nlohmann/json.hpp"

namespace moot::metrics {

std::string HealthReportJson(const HealthReport& report) {
  nlohmann::json j = nlohmann::json::object();
  j["status"] = report.status;
  nlohmann::json deps = nlohmann::json::object();
  for (const auto& [name, status] : report.dependencies) {
    deps[name] = status;
  }
  j["dependencies"] = std::move(deps);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

AdminServer::AdminServer(Metrics& metrics, HealthCallback health, AdminServerOptions options)
    : metrics_(metrics),
      health_(std::move(health)),
      options_(std::move(options)),
      server_(std::make_unique<httplib::Server>()) {
  const int threads = options_.threads > 0 ? options_.threads : 1;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let a second
  // process silently share (and split the scrapes of) a configured admin port.
  server_->set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server_->set_keep_alive_timeout(1);
  server_->set_read_timeout(5);
  server_->set_write_timeout(5);
  server_->set_payload_max_length(1 << 16);
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.Serialize(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    HealthReport report;
    if (health_) {
      try {
        report = health_();
      } catch (const std::exception& e) {
        report = HealthReport::NotServing();
        report.status = "UNKNOWN";
      }
    }
    res.status = report.serving ? 200 : 503;
    res.set_content(HealthReportJson(report), "application/json");
  });
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content("internal error\n", "text/plain");
      });
}

AdminServer::~AdminServer() { Stop(); }

absl::StatusOr<int> AdminServer::Start() {
  if (options_.host != "127.0.0.1" && options_.host != "::1" && options_.host != "localhost") {
    return status::InvalidArgument("admin.host", "the admin server binds loopback only");
  }
  if (options_.port < 0 || options_.port > 65535) {
    return status::InvalidArgument("admin.port", "must be 0..65535");
  }
  absl::MutexLock lock(&mu_);
  if (started_ || stopped_) {
    return absl::FailedPreconditionError("admin server already started");
  }
  int port = options_.port;
  if (port == 0) {
    port = server_->bind_to_any_port(options_.host);
  } else if (!server_->bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot bind admin server to ", options_.host, ":", options_.port));
  }
  port_ = port;
  started_ = true;
  listener_.Start(server_.get());
  return port;
}

void AdminServer::Stop() {
  absl::MutexLock lock(&mu_);
  if (!started_ || stopped_) {
    return;
  }
  listener_.Stop();
  stopped_ = true;
}

int AdminServer::port() const {
  absl::MutexLock lock(&mu_);
  return port_;
}

}  // namespace moot::metrics
