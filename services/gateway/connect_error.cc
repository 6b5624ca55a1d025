#include "services/gateway/connect_error.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "libs/status/grpc_status.h"
#include "nlohmann/json.hpp"
#include "services/gateway/json_transcoder.h"

namespace moot::gateway {

absl::string_view ConnectCodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return "ok";
    case absl::StatusCode::kCancelled:
      return "canceled";
    case absl::StatusCode::kUnknown:
      return "unknown";
    case absl::StatusCode::kInvalidArgument:
      return "invalid_argument";
    case absl::StatusCode::kDeadlineExceeded:
      return "deadline_exceeded";
    case absl::StatusCode::kNotFound:
      return "not_found";
    case absl::StatusCode::kAlreadyExists:
      return "already_exists";
    case absl::StatusCode::kPermissionDenied:
      return "permission_denied";
    case absl::StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case absl::StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case absl::StatusCode::kAborted:
      return "aborted";
    case absl::StatusCode::kOutOfRange:
      return "out_of_range";
    case absl::StatusCode::kUnimplemented:
      return "unimplemented";
    case absl::StatusCode::kInternal:
      return "internal";
    case absl::StatusCode::kUnavailable:
      return "unavailable";
    case absl::StatusCode::kDataLoss:
      return "data_loss";
    case absl::StatusCode::kUnauthenticated:
      return "unauthenticated";
    default:
      return "unknown";
  }
}

int HttpStatusForCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

namespace {

// The detail as JSON, or null when its type is unknown or it does not parse.
nlohmann::json DebugJson(absl::string_view type_name, const std::string& value) {
  const google::protobuf::Descriptor* type =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          std::string(type_name));
  if (type == nullptr) {
    return nullptr;
  }
  absl::StatusOr<std::string> json = BinaryToJson(type, value);
  if (!json.ok()) {
    return nullptr;
  }
  nlohmann::json parsed = nlohmann::json::parse(*json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return nullptr;
  }
  return parsed;
}

}  // namespace

std::string ConnectErrorJson(absl::StatusCode code, absl::string_view message,
                             absl::string_view details_bin) {
  nlohmann::json body = nlohmann::json::object();
  body["code"] = std::string(ConnectCodeName(code));
  if (!message.empty()) {
    body["message"] = std::string(message);
  }
  google::rpc::Status rpc_status;
  if (!details_bin.empty() &&
      rpc_status.ParseFromArray(details_bin.data(), static_cast<int>(details_bin.size())) &&
      rpc_status.details_size() > 0) {
    nlohmann::json details = nlohmann::json::array();
    for (const auto& any : rpc_status.details()) {
      absl::string_view type_name = any.type_url();
      size_t slash = type_name.rfind('/');
      if (slash != absl::string_view::npos) {
        type_name = type_name.substr(slash + 1);
      }
      nlohmann::json detail = nlohmann::json::object();
      detail["type"] = std::string(type_name);
      detail["value"] = absl::Base64Escape(any.value());
      nlohmann::json debug = DebugJson(type_name, any.value());
      if (!debug.is_null()) {
        detail["debug"] = std::move(debug);
      }
      details.push_back(std::move(detail));
    }
    body["details"] = std::move(details);
  }
  // Replace invalid UTF-8 rather than throw.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ConnectErrorJson(const absl::Status& status) {
  grpc::Status grpc_status = moot::status::ToGrpcStatus(status);
  return ConnectErrorJson(status.code(), status.message(), grpc_status.error_details());
}

}  // namespace moot::gateway
