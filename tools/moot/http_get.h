// The CLI's HTTP side: GET against the gateway's HTTP port, and plain-text renderings of the
// health and trace JSON it returns.
#pragma once

#include <string>

namespace moot::cli {

struct HttpResult {
  int status = 0;  // HTTP status; 0 when the request failed.
  std::string body;
  std::string error;  // Non-empty when the request could not be made.
};

// GET `path` from `base_url` ("http://host:port") with an optional bearer token.
HttpResult HttpGet(const std::string& base_url, const std::string& path, const std::string& token,
                   int timeout_seconds);

// Renders /healthz JSON as an aligned table (the raw body if it is not the expected JSON).
std::string PrettyHealth(const std::string& json);

// Renders a Zipkin v2 span list as an indented tree by parent, with durations.
std::string PrettyTrace(const std::string& json);

}  // namespace moot::cli
