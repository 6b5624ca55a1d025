#ifndef MOOT_LIBS_METRICS_HTTP_LISTENER_H_
#define MOOT_LIBS_METRICS_HTTP_LISTENER_H_

#include <atomic>
#include <memory>
#include <thread>

namespace httplib {
class Server;
}  // namespace httplib

namespace moot::metrics {

// Runs a bound httplib::Server's accept loop on its own thread, and stops it without a race.
//
// cpp-httplib 0.11's Server::stop() does nothing until the accept loop has set is_running(); a
// stop() that comes in the short window between starting the thread and the loop starting is
// lost, and the join then waits forever (seen as a 300 s test timeout under Bazel's sandbox).
// Start() therefore returns only once the loop runs (or has already given up), so Stop() always
// reaches a running loop.
class HttpListener {
 public:
  HttpListener() = default;
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;
  ~HttpListener() { Stop(); }

  // `server` must already be bound (bind_to_port / bind_to_any_port) and outlive this object.
  void Start(httplib::Server* server);
  // Stops the accept loop and joins the thread. Idempotent; a no-op before Start().
  void Stop();

 private:
  httplib::Server* server_ = nullptr;
  std::shared_ptr<std::atomic<bool>> returned_;
  std::thread thread_;
};

}  // namespace moot::metrics

#endif  // MOOT_LIBS_METRICS_HTTP_LISTENER_H_
