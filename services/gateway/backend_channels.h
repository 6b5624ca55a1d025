// The gateway's channels to its backends, by backend name.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"

namespace moot::gateway {

// Thread-compatible set-up (Add), thread-safe afterwards.
class BackendChannels {
 public:
  // Adds a backend reached through `channel` (replacing an earlier one of that name).
  void Add(std::string name, std::shared_ptr<grpc::Channel> channel);
  // Adds a backend at "host:port" over an insecure channel that accepts replies up to
  // `max_receive_bytes`.
  void AddAddress(std::string name, const std::string& address, int max_receive_bytes);
  // The generic stub of `name`, or nullptr when there is no such backend.
  grpc::GenericStub* Stub(absl::string_view name) const;
  std::shared_ptr<grpc::Channel> Channel(absl::string_view name) const;
  // Backend names in order.
  std::vector<std::string> Names() const;

 private:
  struct Backend {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
  };
  std::map<std::string, Backend, std::less<>> backends_;
};

}  // namespace moot::gateway
