// A Target sending one serialized request to any unary gRPC method (generic stub, callback API).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "tests/load/target.h"

namespace moot::load {

struct GrpcTargetOptions {
  std::string address;                                        // "host:port", insecure.
  std::string method;                                         // "/package.Service/Method".
  std::string request;                                        // The serialized request message.
  std::vector<std::pair<std::string, std::string>> metadata;  // Sent with every call.
  absl::Duration timeout = absl::Seconds(10);                 // Per-call deadline.
  int channels = 1;  // Separate connections; calls are spread round-robin.
};

class GrpcTarget : public Target {
 public:
  explicit GrpcTarget(GrpcTargetOptions options);
  void Start(DoneFn done) override;
  bool IsOk(int code) const override { return code == 0; }
  std::string CodeName(int code) const override;

  // One blocking call: the status and the serialized response.
  std::pair<grpc::Status, std::string> CallOnce();

 private:
  GrpcTargetOptions options_;
  grpc::ByteBuffer request_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  std::atomic<uint64_t> next_{0};
};

// "OK", "CANCELLED", ... "UNAUTHENTICATED"; "CODE_<n>" otherwise.
std::string GrpcCodeName(int code);

}  // namespace moot::load
