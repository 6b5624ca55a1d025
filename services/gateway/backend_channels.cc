#include "services/gateway/backend_channels.h"

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace moot::gateway {

void BackendChannels::Add(std::string name, std::shared_ptr<grpc::Channel> channel) {
  auto stub = std::make_unique<grpc::GenericStub>(channel);
  backends_[std::move(name)] = Backend{std::move(channel), std::move(stub)};
}

void BackendChannels::AddAddress(std::string name, const std::string& address,
                                 int max_receive_bytes) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(max_receive_bytes);
  // Keep idle connections to backends alive so that the first call after a pause is fast.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  Add(std::move(name),
      grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
}

grpc::GenericStub* BackendChannels::Stub(absl::string_view name) const {
  auto it = backends_.find(name);
  return it == backends_.end() ? nullptr : it->second.stub.get();
}

std::shared_ptr<grpc::Channel> BackendChannels::Channel(absl::string_view name) const {
  auto it = backends_.find(name);
  return it == backends_.end() ? nullptr : it->second.channel;
}

std::vector<std::string> BackendChannels::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, backend] : backends_) {
    names.push_back(name);
  }
  return names;
}

}  // namespace moot::gateway
