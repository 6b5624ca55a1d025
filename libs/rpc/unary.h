// The one shape of a unary gRPC handler in Moot: find the caller, run the logic, convert the
// result once at the edge. Adapters stay one line per method.
#pragma once

#include <exception>
#include <utility>

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"
#include "libs/auth/principal.h"
#include "libs/auth/server_auth.h"
#include "libs/log/logger.h"
#include "libs/status/grpc_status.h"

namespace moot::rpc {

// Authenticates the call (UNAUTHENTICATED with the reason when its credentials are bad), runs
// `fn(principal)` -> absl::StatusOr<Response>, and converts the outcome with ToGrpcStatus. An
// exception escaping the logic (a bug) becomes INTERNAL instead of ending the process.
template <typename Response, typename Fn>
grpc::Status Unary(const auth::ServerAuth& auth, grpc::ServerContext* context, Response* response,
                   Fn&& fn) {
  try {
    absl::StatusOr<auth::Principal> principal = auth.PrincipalFromContext(context);
    if (!principal.ok()) {
      return status::ToGrpcStatus(principal.status());
    }
    absl::StatusOr<Response> result = std::forward<Fn>(fn)(*principal);
    if (!result.ok()) {
      if (result.status().code() == absl::StatusCode::kInternal ||
          result.status().code() == absl::StatusCode::kDataLoss ||
          result.status().code() == absl::StatusCode::kUnknown) {
        log::Error("internal error", {{"status", result.status().ToString()}});
      }
      return status::ToGrpcStatus(result.status());
    }
    *response = *std::move(result);
    return grpc::Status::OK;
  } catch (const std::exception& e) {
    log::Error("exception in handler", {{"what", e.what()}});
    return status::ToGrpcStatus(absl::InternalError("internal error"));
  }
}

}  // namespace moot::rpc
