#include "tools/moot/http_get.h"

#include <httplib.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace moot::cli {

HttpResult HttpGet(const std::string& base_url, const std::string& path, const std::string& token,
                   int timeout_seconds) {
  HttpResult result;
  httplib::Client client(base_url);
  client.set_connection_timeout(timeout_seconds, 0);
  client.set_read_timeout(timeout_seconds, 0);
  httplib::Headers headers;
  if (!token.empty()) {
    headers.emplace("Authorization", "Bearer " + token);
  }
  auto response = client.Get(path.c_str(), headers);
  if (!response) {
    result.error = httplib::to_string(response.error());
    return result;
  }
  result.status = response->status;
  result.body = response->body;
  return result;
}

std::string PrettyHealth(const std::string& json) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    return json + "\n";
  }
  std::ostringstream out;
  out << "overall: " << doc.value("status", std::string("UNKNOWN")) << "\n";
  // The gateway reports every process under "services".
  auto processes = doc.find("services");
  if (processes == doc.end()) {
    processes = doc.find("processes");
  }
  if (processes != doc.end() && processes->is_object()) {
    size_t width = 7;
    for (auto it = processes->begin(); it != processes->end(); ++it) {
      width = std::max(width, it.key().size());
    }
    for (auto it = processes->begin(); it != processes->end(); ++it) {
      std::string status = it.value().is_string() ? it.value().get<std::string>()
                           : it.value().is_object()
                               ? it.value().value("status", std::string("UNKNOWN"))
                               : std::string("UNKNOWN");
      out << "  " << it.key() << std::string(width - it.key().size() + 2, ' ') << status << "\n";
    }
  }
  return out.str();
}

std::string PrettyTrace(const std::string& json) {
  nlohmann::json spans = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!spans.is_array()) {
    return json;
  }
  std::map<std::string, std::vector<const nlohmann::json*>> children;
  std::vector<const nlohmann::json*> roots;
  std::map<std::string, bool> ids;
  for (const auto& span : spans) {
    ids[span.value("id", std::string())] = true;
  }
  for (const auto& span : spans) {
    const std::string parent = span.value("parentId", std::string());
    if (parent.empty() || ids.find(parent) == ids.end()) {
      roots.push_back(&span);
    } else {
      children[parent].push_back(&span);
    }
  }
  auto by_start = [](const nlohmann::json* a, const nlohmann::json* b) {
    return a->value("timestamp", int64_t{0}) < b->value("timestamp", int64_t{0});
  };
  std::sort(roots.begin(), roots.end(), by_start);
  std::ostringstream out;
  std::function<void(const nlohmann::json*, int)> print = [&](const nlohmann::json* span,
                                                              int depth) {
    std::string service;
    if (auto it = span->find("localEndpoint"); it != span->end() && it->is_object()) {
      service = it->value("serviceName", std::string());
    }
    out << std::string(2 * depth, ' ') << "[" << service << "] " << span->value("name", "") << "  "
        << span->value("kind", "") << "  " << span->value("duration", int64_t{0}) << "us\n";
    auto& kids = children[span->value("id", std::string())];
    std::sort(kids.begin(), kids.end(), by_start);
    for (const auto* kid : kids) {
      print(kid, depth + 1);
    }
  };
  if (!spans.empty()) {
    out << "trace " << spans[0].value("traceId", std::string()) << " (" << spans.size()
        << " spans)\n";
  }
  for (const auto* root : roots) {
    print(root, 0);
  }
  return out.str();
}

}  // namespace moot::cli
