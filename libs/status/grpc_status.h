// The one conversion between absl::Status and grpc::Status, used at the gRPC edge only.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace google::rpc {
class Status;
}

namespace moot::status {

// Converts `status` to a grpc::Status whose binary details hold a google.rpc.Status with the
// same code and message and every detail attached by errors.h (ErrorInfo always: a status that
// has none gets reason = the code's name). OK maps to grpc::Status::OK.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients: rebuilds an absl::Status with the code, message and every detail
// of the google.rpc.Status found in `status.error_details()`. Unparseable details are ignored.
absl::Status FromGrpcStatus(const grpc::Status& status);

// Converts between absl::Status and google.rpc.Status (used by the JSON edge).
void ToRpcStatus(const absl::Status& status, google::rpc::Status* out);
absl::Status FromRpcStatus(const google::rpc::Status& rpc_status);

// The canonical name of a code, e.g. "INVALID_ARGUMENT".
absl::string_view CodeName(absl::StatusCode code);

}  // namespace moot::status
