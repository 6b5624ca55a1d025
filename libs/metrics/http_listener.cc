#include "libs/metrics/http_listener.h"

#include <chrono>

#include "httplib.h"

namespace moot::metrics {

void HttpListener::Start(httplib::Server* server) {
  Stop();
  server_ = server;
  returned_ = std::make_shared<std::atomic<bool>>(false);
  thread_ = std::thread([server, returned = returned_] {
    server->listen_after_bind();
    returned->store(true);
  });
  // Wait for the accept loop to start (it sets is_running() first thing), or for it to have
  // failed and returned; either way a later stop() cannot be lost.
  while (!server->is_running() && !returned_->load()) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

void HttpListener::Stop() {
  if (!thread_.joinable()) {
    return;
  }
  server_->stop();
  thread_.join();
}

}  // namespace moot::metrics
