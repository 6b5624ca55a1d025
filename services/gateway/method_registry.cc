#include "services/gateway/method_registry.h"

#include "proto/all_contracts.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "proto/all_contracts.h"

namespace moot::gateway {
namespace {

absl::Status NotFound(absl::string_view path, absl::string_view why) {
  return moot::status::WithReason(
      absl::UnimplementedError(absl::StrCat("method ", path, " is not implemented: ", why)),
      "METHOD_NOT_FOUND", {{"method", std::string(path)}});
}

}  // namespace

MethodRegistry::MethodRegistry(const google::protobuf::DescriptorPool* pool)
    : pool_(pool != nullptr ? pool : google::protobuf::DescriptorPool::generated_pool()) {
  // Every contract's descriptors must be in the generated pool (see proto/all_contracts.h).
  proto::LinkAllContracts();
}

absl::StatusOr<MethodInfo> MethodRegistry::Find(absl::string_view path) const {
  if (path.size() < 4 || path.size() > 512 || path[0] != '/') {
    return NotFound(path, "a method path reads /<package>.<Service>/<Method>");
  }
  absl::string_view rest = path.substr(1);
  size_t slash = rest.find('/');
  if (slash == absl::string_view::npos || slash == 0 || slash + 1 >= rest.size() ||
      rest.find('/', slash + 1) != absl::string_view::npos) {
    return NotFound(path, "a method path reads /<package>.<Service>/<Method>");
  }
  std::string service_name(rest.substr(0, slash));
  std::string method_name(rest.substr(slash + 1));
  const google::protobuf::ServiceDescriptor* service = pool_->FindServiceByName(service_name);
  if (service == nullptr) {
    return NotFound(path, absl::StrCat("no service ", service_name));
  }
  const google::protobuf::MethodDescriptor* method = service->FindMethodByName(method_name);
  if (method == nullptr) {
    return NotFound(path, absl::StrCat(service_name, " has no method ", method_name));
  }
  MethodInfo info;
  info.path = std::string(path);
  info.service = service_name;
  info.method = method_name;
  info.package = service->file()->package();
  info.descriptor = method;
  info.client_streaming = method->client_streaming();
  info.server_streaming = method->server_streaming();
  return info;
}

void RouteTable::Add(std::string prefix, std::string backend) {
  routes_.emplace_back(std::move(prefix), std::move(backend));
}

absl::StatusOr<std::string> RouteTable::Route(absl::string_view service) const {
  const std::pair<std::string, std::string>* best = nullptr;
  for (const auto& route : routes_) {
    const std::string& prefix = route.first;
    bool matches =
        service == prefix || (absl::StartsWith(service, prefix) && service.size() > prefix.size() &&
                              service[prefix.size()] == '.');
    if (matches && (best == nullptr || prefix.size() > best->first.size())) {
      best = &route;
    }
  }
  if (best == nullptr) {
    return moot::status::WithReason(
        absl::UnimplementedError(absl::StrCat("no backend serves ", service)), "NO_ROUTE",
        {{"service", std::string(service)}});
  }
  return best->second;
}

RouteTable RouteTable::Default() {
  RouteTable table;
  for (const char* domain : {"scheduling", "documents", "decisions", "budget", "notifications"}) {
    table.Add(absl::StrCat("moot.", domain, ".v1"), domain);
  }
  table.Add("moot.admin.v1", "admin");
  return table;
}

}  // namespace moot::gateway
