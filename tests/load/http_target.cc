#include "tests/load/http_target.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"

namespace moot::load {
namespace {

std::unique_ptr<httplib::Client> NewClient(const HttpUrl& url, absl::Duration timeout) {
  auto client = std::make_unique<httplib::Client>(url.host, url.port);
  client->set_keep_alive(true);
  client->set_tcp_nodelay(true);  // Otherwise Nagle + delayed ACK add ~40 ms per call.
  const auto us = std::chrono::microseconds(absl::ToInt64Microseconds(timeout));
  client->set_connection_timeout(us);
  client->set_read_timeout(us);
  client->set_write_timeout(us);
  return client;
}

httplib::Headers ToHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  httplib::Headers out;
  for (const auto& [k, v] : headers) {
    out.emplace(k, v);
  }
  return out;
}

std::pair<int, std::string> Post(httplib::Client& client, const HttpUrl& url,
                                 const httplib::Headers& headers, const HttpTargetOptions& o) {
  httplib::Result res = client.Post(url.path, headers, o.body, o.content_type);
  if (!res) {
    return {-static_cast<int>(res.error()) - 1, ""};  // Error::Success is 0: keep it negative.
  }
  return {res->status, std::move(res->body)};
}

}  // namespace

absl::StatusOr<HttpUrl> ParseHttpUrl(const std::string& url) {
  constexpr absl::string_view kScheme = "http://";
  if (!absl::StartsWith(url, kScheme)) {
    return moot::status::InvalidArgument("url", "must start with http://");
  }
  std::string rest = url.substr(kScheme.size());
  HttpUrl out;
  const size_t slash = rest.find('/');
  out.path = slash == std::string::npos ? "/" : rest.substr(slash);
  std::string hostport = rest.substr(0, slash);
  const size_t colon = hostport.rfind(':');
  if (colon != std::string::npos) {
    if (!absl::SimpleAtoi(hostport.substr(colon + 1), &out.port) || out.port <= 0 ||
        out.port > 65535) {
      return moot::status::InvalidArgument("url", "bad port");
    }
    hostport.resize(colon);
  }
  if (hostport.empty()) {
    return moot::status::InvalidArgument("url", "missing host");
  }
  out.host = hostport;
  return out;
}

absl::StatusOr<std::unique_ptr<HttpTarget>> HttpTarget::Create(HttpTargetOptions options) {
  absl::StatusOr<HttpUrl> url = ParseHttpUrl(options.url);
  if (!url.ok()) {
    return url.status();
  }
  return std::unique_ptr<HttpTarget>(new HttpTarget(std::move(options), *std::move(url)));
}

HttpTarget::HttpTarget(HttpTargetOptions options, HttpUrl url)
    : options_(std::move(options)), url_(std::move(url)) {
  const int n = std::max(1, options_.connections);
  for (int i = 0; i < n; ++i) {
    workers_.emplace_back([this] { Worker(); });
  }
}

HttpTarget::~HttpTarget() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& t : workers_) {
    t.join();
  }
  // Calls never sent still get their callback, so that nobody waits for them forever.
  std::deque<DoneFn> left;
  {
    absl::MutexLock lock(&mu_);
    left.swap(queue_);
  }
  for (DoneFn& done : left) {
    done(-static_cast<int>(httplib::Error::Canceled) - 1, 0);
  }
}

void HttpTarget::Start(DoneFn done) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(done));
}

void HttpTarget::Worker() {
  std::unique_ptr<httplib::Client> client = NewClient(url_, options_.timeout);
  const httplib::Headers headers = ToHeaders(options_.headers);
  while (true) {
    DoneFn done;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](HttpTarget* t) { return t->stopping_ || !t->queue_.empty(); }, this));
      if (stopping_) {
        return;
      }
      done = std::move(queue_.front());
      queue_.pop_front();
    }
    auto [code, body] = Post(*client, url_, headers, options_);
    done(code, body.size());
  }
}

std::string HttpTarget::CodeName(int code) const {
  if (code >= 0) {
    return absl::StrCat("HTTP_", code);
  }
  return absl::StrCat("TRANSPORT_", httplib::to_string(static_cast<httplib::Error>(-code - 1)));
}

std::pair<int, std::string> HttpTarget::CallOnce() {
  std::unique_ptr<httplib::Client> client = NewClient(url_, options_.timeout);
  return Post(*client, url_, ToHeaders(options_.headers), options_);
}

}  // namespace moot::load
