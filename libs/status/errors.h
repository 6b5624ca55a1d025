// Building absl::Status values that carry Moot's structured error details.
//
// Inside Moot every error is an absl::Status. The structured details that the gRPC edge turns
// into google.rpc.Status (ErrorInfo, BadRequest, PreconditionFailure, RetryInfo) ride along as
// absl::Status payloads, keyed by the type URL of the detail message, so that nothing between
// the rule that failed and the edge has to know about gRPC.
#pragma once

#include <string>
#include <utility>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/time.h"

namespace moot::status {

// The ErrorInfo domain every Moot error carries.
inline constexpr absl::string_view kErrorDomain = "moot.dev";

// One bad field of a request.
struct FieldViolation {
  std::string field;        // Path of the field, e.g. "meeting.start_time".
  std::string description;  // What is wrong with it, for a person.
};

// One broken precondition (business rule).
struct PreconditionViolation {
  std::string type;         // The rule, e.g. "QUESTION_DEADLINE".
  std::string subject;      // What it applies to, e.g. a resource name.
  std::string description;  // What is wrong, for a person.
};

// A decoded view of the details attached to a status (see Details()).
struct ErrorDetails {
  std::string reason;  // ErrorInfo.reason; empty when none is attached.
  std::string domain;  // ErrorInfo.domain.
  absl::flat_hash_map<std::string, std::string> metadata;      // ErrorInfo.metadata.
  std::vector<FieldViolation> field_violations;                // BadRequest.
  std::vector<PreconditionViolation> precondition_violations;  // PreconditionFailure.
  absl::Duration retry_delay = absl::ZeroDuration();           // RetryInfo, zero when absent.
  bool has_retry_info = false;
};

// Attaches an ErrorInfo{reason, kErrorDomain, metadata} to `status` (replacing any earlier one).
absl::Status WithReason(absl::Status status, absl::string_view reason,
                        absl::flat_hash_map<std::string, std::string> metadata = {});

// Adds a BadRequest field violation to `status`.
absl::Status WithFieldViolation(absl::Status status, absl::string_view field,
                                absl::string_view description);

// Adds a PreconditionFailure violation to `status`.
absl::Status WithPreconditionViolation(absl::Status status, absl::string_view type,
                                       absl::string_view subject, absl::string_view description);

// Attaches RetryInfo with `delay` to `status`.
absl::Status WithRetryDelay(absl::Status status, absl::Duration delay);

// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD. Protobuf string
// fields (google.rpc details, Status.message) must be UTF-8, and error text often quotes what a
// client sent; every helper here applies it.
std::string Utf8Safe(absl::string_view text);

// Reads back everything the helpers above attached.
ErrorDetails Details(const absl::Status& status);

// INVALID_ARGUMENT naming the field: reason INVALID_ARGUMENT (or `reason`), one field violation.
// The message reads "<field>: <description>".
absl::Status InvalidArgument(absl::string_view field, absl::string_view description,
                             absl::string_view reason = "INVALID_ARGUMENT");

// FAILED_PRECONDITION naming the rule: reason `rule`, one precondition violation.
absl::Status FailedPrecondition(absl::string_view rule, absl::string_view subject,
                                absl::string_view description,
                                absl::flat_hash_map<std::string, std::string> metadata = {});

// NOT_FOUND for a resource name, reason NOT_FOUND and metadata {"resource": name}.
absl::Status NotFound(absl::string_view resource_name);

// PERMISSION_DENIED with a reason, e.g. "TENANT_MISMATCH", "ROLE_NOT_ALLOWED".
absl::Status PermissionDenied(absl::string_view reason, absl::string_view message);

// UNAUTHENTICATED with a reason, e.g. "TOKEN_EXPIRED".
absl::Status Unauthenticated(absl::string_view reason, absl::string_view message);

// RESOURCE_EXHAUSTED with a reason and a retry delay.
absl::Status ResourceExhausted(absl::string_view reason, absl::string_view message,
                               absl::Duration retry_after);

}  // namespace moot::status
