// The Connect protocol's unary JSON error form and its HTTP status mapping
// (https://connectrpc.com/docs/protocol#error-end-stream).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace moot::gateway {

// "invalid_argument", "not_found", ... (Connect's code names); "unknown" for anything unknown.
absl::string_view ConnectCodeName(absl::StatusCode code);

// Connect's HTTP status for a code: invalid_argument/failed_precondition/out_of_range 400,
// unauthenticated 401, permission_denied 403, not_found 404, already_exists/aborted 409,
// resource_exhausted 429, canceled 499, unimplemented 501, unavailable 503,
// deadline_exceeded 504, everything else 500. OK is 200.
int HttpStatusForCode(absl::StatusCode code);

// The JSON error body for a failed call:
//   {"code": "...", "message": "...", "details": [{"type": "google.rpc.ErrorInfo",
//    "value": "<base64 of the detail>", "debug": {...the detail as JSON...}}]}
// `details_bin` is the serialized google.rpc.Status of the call (grpc-status-details-bin);
// empty or unparseable details give no "details".
std::string ConnectErrorJson(absl::StatusCode code, absl::string_view message,
                             absl::string_view details_bin);

// The same for an absl::Status built inside the gateway (details from libs/status payloads).
std::string ConnectErrorJson(const absl::Status& status);

}  // namespace moot::gateway
