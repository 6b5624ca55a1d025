// The gateway's view of every public gRPC method, read from the generated descriptor pool (every
// moot proto linked into the gateway), and the routes from a method's package to its backend.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace moot::gateway {

// One method the gateway can serve.
struct MethodInfo {
  std::string path;     // "/moot.scheduling.v1.BodyService/GetBody"
  std::string service;  // "moot.scheduling.v1.BodyService"
  std::string method;   // "GetBody"
  std::string package;  // "moot.scheduling.v1"
  const google::protobuf::MethodDescriptor* descriptor = nullptr;
  bool client_streaming = false;
  bool server_streaming = false;
  bool unary() const { return !client_streaming && !server_streaming; }
  const google::protobuf::Descriptor* input_type() const { return descriptor->input_type(); }
  const google::protobuf::Descriptor* output_type() const { return descriptor->output_type(); }
};

// Finds methods by their gRPC path. Thread-safe.
class MethodRegistry {
 public:
  // `pool` defaults to the generated pool; the constructor makes sure every moot proto package
  // is linked in (a generic gateway references no generated class otherwise).
  explicit MethodRegistry(const google::protobuf::DescriptorPool* pool = nullptr);

  // The method at `path` ("/<package>.<Service>/<Method>"). UNIMPLEMENTED (reason
  // METHOD_NOT_FOUND) naming the path when the pool has no such method or the path is malformed.
  absl::StatusOr<MethodInfo> Find(absl::string_view path) const;

  const google::protobuf::DescriptorPool* pool() const { return pool_; }

 private:
  const google::protobuf::DescriptorPool* pool_;
};

// Routes a method's package (or any dotted prefix of its service name) to a backend name.
// The longest matching prefix wins. Thread-compatible: build, then only read.
class RouteTable {
 public:
  RouteTable() = default;
  // "moot.scheduling.v1" -> "scheduling".
  void Add(std::string prefix, std::string backend);
  // The backend for `service` ("moot.scheduling.v1.BodyService"); UNIMPLEMENTED (reason
  // NO_ROUTE) naming the service when nothing routes it.
  absl::StatusOr<std::string> Route(absl::string_view service) const;
  const std::vector<std::pair<std::string, std::string>>& routes() const { return routes_; }

  // The routes of a standard installation: moot.<domain>.v1 -> <domain> for the five backends,
  // and moot.admin.v1 -> "admin" (served inside the gateway).
  static RouteTable Default();

 private:
  std::vector<std::pair<std::string, std::string>> routes_;
};

}  // namespace moot::gateway
