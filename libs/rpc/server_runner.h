// The gRPC server runner every Moot process uses: health, reflection, interceptors, message size
// limits, background loops, and graceful shutdown on SIGTERM.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/server_interceptor.h"

namespace moot::rpc {

struct ServerRunnerOptions {
  std::string service_name;                    // e.g. "scheduling"; logged and reported.
  std::string listen_address = "127.0.0.1:0";  // Port 0 picks a free port (see port()).
  int max_receive_message_bytes = 4 * 1024 * 1024;
  int max_send_message_bytes = 16 * 1024 * 1024;
  absl::Duration shutdown_grace = absl::Seconds(10);  // In-flight calls get this long to finish.
  bool enable_reflection = true;
};

// A loop that runs beside the server (outbox relay, stream consumers, span exporter). Start is
// called after the server starts; Stop must return promptly and is called once at shutdown,
// after the server stopped accepting calls and drained.
struct BackgroundTask {
  std::string name;
  std::function<void()> start;
  std::function<void()> stop;
};

// The health of one dependency (database, Redis, another service).
enum class DependencyHealth { kServing, kDegraded, kNotServing };

// Builds, runs and stops one gRPC server. Thread-compatible set-up, thread-safe afterwards.
class ServerRunner {
 public:
  explicit ServerRunner(ServerRunnerOptions options);
  ~ServerRunner();
  ServerRunner(const ServerRunner&) = delete;
  ServerRunner& operator=(const ServerRunner&) = delete;

  // Set-up, before Start(). Services are not owned and must outlive the runner.
  void AddService(grpc::Service* service);
  void AddGenericService(grpc::CallbackGenericService* service);
  void AddInterceptorFactory(
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> factory);
  void AddBackgroundTask(BackgroundTask task);

  // Binds and starts serving; then starts the background tasks. Fails (never aborts) when the
  // address cannot be bound.
  absl::Status Start();

  // The bound port (after Start()).
  int port() const { return port_; }
  // An in-process channel to this server (tests, self-calls).
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Reports a dependency's health. The gRPC health service reports the overall status
  // (NOT_SERVING if any dependency is kNotServing; a degraded dependency such as Redis — events
  // wait in the outbox — keeps the service SERVING) for "" and for the service name.
  void SetDependencyHealth(absl::string_view dependency, DependencyHealth health);
  // The dependencies and their health, for /healthz.
  absl::flat_hash_map<std::string, DependencyHealth> Dependencies() const;
  bool Serving() const;

  // Graceful shutdown: health goes NOT_SERVING, the server stops accepting calls, in-flight calls
  // get `shutdown_grace` to finish (then are cancelled), background tasks stop in reverse order.
  // Idempotent; safe to call from any thread.
  void Shutdown();

  // Blocks until Shutdown() is called from elsewhere.
  void Wait();

 private:
  void UpdateHealthLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ServerRunnerOptions options_;
  std::vector<grpc::Service*> services_;
  std::vector<grpc::CallbackGenericService*> generic_services_;
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptor_factories_;
  std::vector<BackgroundTask> tasks_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, DependencyHealth> dependencies_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

// Process-wide settings every Moot server applies first thing in main(): in release builds,
// Abseil's mutex deadlock detection is turned off (Debian's Abseil keeps it on, and its lock
// graph bookkeeping costs a measurable share of every call); debug builds and tests keep it.
void ConfigureProcess();

// Blocks SIGTERM and SIGINT in the calling thread (call first thing in main(), before any
// thread starts, so every thread inherits the mask) and returns a function that waits for one
// of them and returns its number.
std::function<int()> InstallShutdownSignals();

}  // namespace moot::rpc
