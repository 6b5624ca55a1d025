#include "tests/load/grpc_target.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"

namespace moot::load {

std::string GrpcCodeName(int code) {
  static constexpr const char* kNames[] = {"OK",
                                           "CANCELLED",
                                           "UNKNOWN",
                                           "INVALID_ARGUMENT",
                                           "DEADLINE_EXCEEDED",
                                           "NOT_FOUND",
                                           "ALREADY_EXISTS",
                                           "PERMISSION_DENIED",
                                           "RESOURCE_EXHAUSTED",
                                           "FAILED_PRECONDITION",
                                           "ABORTED",
                                           "OUT_OF_RANGE",
                                           "UNIMPLEMENTED",
                                           "INTERNAL",
                                           "UNAVAILABLE",
                                           "DATA_LOSS",
                                           "UNAUTHENTICATED"};
  if (code >= 0 && code < static_cast<int>(std::size(kNames))) {
    return kNames[code];
  }
  return absl::StrCat("CODE_", code);
}

GrpcTarget::GrpcTarget(GrpcTargetOptions options) : options_(std::move(options)) {
  grpc::Slice slice(options_.request);
  request_ = grpc::ByteBuffer(&slice, 1);
  const int channels = std::max(1, options_.channels);
  for (int i = 0; i < channels; ++i) {
    grpc::ChannelArguments args;
    // Own subchannel pool, so that each channel really is a separate connection.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetMaxReceiveMessageSize(64 << 20);
    stubs_.push_back(std::make_unique<grpc::GenericStub>(
        grpc::CreateCustomChannel(options_.address, grpc::InsecureChannelCredentials(), args)));
  }
}

std::string GrpcTarget::CodeName(int code) const { return GrpcCodeName(code); }

namespace {
struct GrpcCall {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
};
}  // namespace

void GrpcTarget::Start(DoneFn done) {
  auto* call = new GrpcCall;
  call->request = request_;
  call->context.set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  for (const auto& [key, value] : options_.metadata) {
    call->context.AddMetadata(key, value);
  }
  const uint64_t n = next_.fetch_add(1, std::memory_order_relaxed);
  grpc::GenericStub& stub = *stubs_[n % stubs_.size()];
  stub.UnaryCall(&call->context, options_.method, grpc::StubOptions(), &call->request,
                 &call->response, [call, done = std::move(done)](grpc::Status status) {
                   const size_t bytes = call->response.Length();
                   delete call;
                   done(static_cast<int>(status.error_code()), bytes);
                 });
}

std::pair<grpc::Status, std::string> GrpcTarget::CallOnce() {
  GrpcCall call;
  call.request = request_;
  call.context.set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  for (const auto& [key, value] : options_.metadata) {
    call.context.AddMetadata(key, value);
  }
  absl::Notification finished;
  grpc::Status result;
  stubs_[0]->UnaryCall(&call.context, options_.method, grpc::StubOptions(), &call.request,
                       &call.response, [&](grpc::Status status) {
                         result = std::move(status);
                         finished.Notify();
                       });
  finished.WaitForNotification();
  std::string bytes;
  std::vector<grpc::Slice> slices;
  if (result.ok() && call.response.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) {
      bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return {result, bytes};
}

}  // namespace moot::load
