// The loopback admin HTTP server every process runs: GET /metrics (Prometheus text format) and
// GET /healthz (JSON health with per-dependency status).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/metrics/http_listener.h"
#include "libs/metrics/metrics.h"

namespace httplib {
class Server;
}

namespace moot::metrics {

// What /healthz reports. `status` is "SERVING" when the process can do its job (HTTP 200), else
// e.g. "NOT_SERVING" (HTTP 503); dependencies map a name ("redis", "db") to its own status
// ("SERVING", "DEGRADED", "NOT_SERVING", ...).
struct HealthReport {
  bool serving = true;
  std::string status = "SERVING";
  std::map<std::string, std::string> dependencies;

  static HealthReport Serving() { return HealthReport{}; }
  static HealthReport NotServing() { return HealthReport{false, "NOT_SERVING", {}}; }
};

// Called on each /healthz request, from the server's threads; must be thread-safe and quick.
using HealthCallback = std::function<HealthReport()>;

// {"status":"SERVING","dependencies":{"redis":"DEGRADED"}}
std::string HealthReportJson(const HealthReport& report);

struct AdminServerOptions {
  std::string host = "127.0.0.1";  // Loopback only; the admin port is never public.
  int port = 0;                    // 0 picks a free port (see port()).
  int threads = 2;
};

// Serves /metrics from `metrics` and /healthz from `health` (always SERVING when empty). Other
// paths are 404. Start/Stop may be called once each; destruction stops.
class AdminServer {
 public:
  AdminServer(Metrics& metrics, HealthCallback health, AdminServerOptions options = {});
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Binds and starts serving on a background thread; returns the bound port. INVALID_ARGUMENT
  // for a non-loopback host, UNAVAILABLE if the port cannot be bound, FAILED_PRECONDITION if
  // already started.
  absl::StatusOr<int> Start();

  // Stops serving and joins the thread. Idempotent.
  void Stop();

  // The bound port, 0 before Start().
  int port() const;

 private:
  Metrics& metrics_;
  HealthCallback health_;
  const AdminServerOptions options_;
  std::unique_ptr<httplib::Server> server_;

  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  int port_ ABSL_GUARDED_BY(mu_) = 0;
  HttpListener listener_;
};

}  // namespace moot::metrics
