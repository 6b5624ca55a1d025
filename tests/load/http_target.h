// A Target sending one HTTP/1.1 POST over a pool of keep-alive connections (one thread each).
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tests/load/target.h"

namespace moot::load {

struct HttpTargetOptions {
  std::string url;  // "http://host:port/path".
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  absl::Duration timeout = absl::Seconds(10);
  int connections = 4;
};

// The parts of an http:// URL.
struct HttpUrl {
  std::string host;
  int port = 80;
  std::string path;
};
// Parses "http://host[:port][/path]"; INVALID_ARGUMENT for anything else (https is not
// supported: the benchmark runs on loopback).
absl::StatusOr<HttpUrl> ParseHttpUrl(const std::string& url);

class HttpTarget : public Target {
 public:
  // Fails on a bad URL.
  static absl::StatusOr<std::unique_ptr<HttpTarget>> Create(HttpTargetOptions options);
  ~HttpTarget() override;

  // Queues the call; a connection's thread sends it when free (the queueing time is part of the
  // latency the open-loop runner measures).
  void Start(DoneFn done) override;
  bool IsOk(int code) const override { return code >= 200 && code < 300; }
  // "HTTP_<status>", or "TRANSPORT_<httplib error>" for a negative code.
  std::string CodeName(int code) const override;

  // One blocking call: status (or negative transport error) and body.
  std::pair<int, std::string> CallOnce();

 private:
  HttpTarget(HttpTargetOptions options, HttpUrl url);
  void Worker();

  HttpTargetOptions options_;
  HttpUrl url_;
  absl::Mutex mu_;
  std::deque<DoneFn> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace moot::load
