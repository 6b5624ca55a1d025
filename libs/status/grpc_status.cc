#include "libs/status/grpc_status.h"

#include <string>

#include "absl/strings/cord.h"
#include "google/rpc/status.pb.h"
#include "libs/status/errors.h"

namespace moot::status {
namespace {

constexpr char kErrorInfoUrl[] = "type.googleapis.com/google.rpc.ErrorInfo";

}  // namespace

absl::string_view CodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return "OK";
    case absl::StatusCode::kCancelled:
      return "CANCELLED";
    case absl::StatusCode::kUnknown:
      return "UNKNOWN";
    case absl::StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case absl::StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case absl::StatusCode::kNotFound:
      return "NOT_FOUND";
    case absl::StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case absl::StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case absl::StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case absl::StatusCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case absl::StatusCode::kAborted:
      return "ABORTED";
    case absl::StatusCode::kOutOfRange:
      return "OUT_OF_RANGE";
    case absl::StatusCode::kUnimplemented:
      return "UNIMPLEMENTED";
    case absl::StatusCode::kInternal:
      return "INTERNAL";
    case absl::StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case absl::StatusCode::kDataLoss:
      return "DATA_LOSS";
    case absl::StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

void ToRpcStatus(const absl::Status& status, google::rpc::Status* out) {
  out->Clear();
  out->set_code(static_cast<int>(status.code()));
  out->set_message(Utf8Safe(status.message()));
  if (status.ok()) {
    return;
  }
  bool has_info = false;
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    if (url.rfind("type.googleapis.com/google.rpc.", 0) != 0) {
      return;
    }
    auto* any = out->add_details();
    any->set_type_url(std::string(url));
    any->set_value(std::string(payload));
    has_info = has_info || url == kErrorInfoUrl;
  });
  if (!has_info) {
    // Every error carries an ErrorInfo; a bare status gets its code's name as the reason.
    absl::Status with_info = WithReason(status, CodeName(status.code()));
    auto* any = out->add_details();
    any->set_type_url(kErrorInfoUrl);
    any->set_value(std::string(*with_info.GetPayload(kErrorInfoUrl)));
  }
}

absl::Status FromRpcStatus(const google::rpc::Status& rpc_status) {
  if (rpc_status.code() == 0) {
    return absl::OkStatus();
  }
  absl::Status status(static_cast<absl::StatusCode>(rpc_status.code()), rpc_status.message());
  for (const auto& any : rpc_status.details()) {
    status.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
  return status;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) {
    return grpc::Status::OK;
  }
  google::rpc::Status rpc_status;
  ToRpcStatus(status, &rpc_status);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), rpc_status.message(),
                      rpc_status.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) {
    return absl::OkStatus();
  }
  google::rpc::Status rpc_status;
  if (!status.error_details().empty() && rpc_status.ParseFromString(status.error_details()) &&
      rpc_status.code() == static_cast<int>(status.error_code())) {
    return FromRpcStatus(rpc_status);
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace moot::status
