// Idempotent create and mutate requests (AIP-155): a retry with the same request_id returns the
// first response and has no second effect; the same id with a different request is refused.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "libs/sql/database.h"

namespace moot::api {

// Stores the responses of requests that carried a request_id, in the service's own database,
// inside the same transaction as the request's effect.
class RequestLog {
 public:
  // The migrations of the `request_log` table; apply with Database::Migrate("request_log", ...).
  static std::vector<sql::Migration> Migrations();

  // Inside `tx`: if `request_id` was already used by `tenant` for `method`, returns the stored
  // response (parsed into `response`) and true; FAILED_PRECONDITION (reason
  // REQUEST_ID_REUSED) if it was used with a different request; false if it is new. An empty
  // request_id always returns false.
  static absl::StatusOr<bool> Replay(sql::Connection& tx, absl::string_view tenant,
                                     absl::string_view method, absl::string_view request_id,
                                     const google::protobuf::Message& request,
                                     google::protobuf::Message* response);

  // Inside the same `tx` as the effect: records the response of a new request. No-op for an
  // empty request_id.
  static absl::Status Record(sql::Connection& tx, absl::string_view tenant,
                             absl::string_view method, absl::string_view request_id,
                             const google::protobuf::Message& request,
                             const google::protobuf::Message& response, int64_t now_micros);
};

}  // namespace moot::api
