// The decisions register's hash-chained audit log (issue 4 point 6): every change is appended,
// in the same transaction as the change, as a row holding the previous row's hash, a canonical
// serialisation of the change, the actor, the method, the time and the trace id. Each row's hash
// is SHA-256 over all of that, so editing, deleting, inserting or reordering rows breaks the
// chain at the first row touched; a head row per tenant catches truncation at the end.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "libs/sql/database.h"
#include "moot/decisions/v1/minutes.pb.h"

namespace moot::decisions {

// One change to append.
struct AuditEntry {
  std::string actor;     // The principal's subject ("user:...").
  std::string method;    // "AddMinuteEntry", ...
  std::string resource;  // The resource changed.
  absl::Time time;
  std::string trace_id;  // W3C trace id or "".
  std::string change;    // Canonical serialisation of the change (see Canonical()).
};

class AuditLog {
 public:
  // Migrations of component "audit".
  static std::vector<sql::Migration> Migrations();

  // The canonical serialisation of a message: protobuf's deterministic encoding.
  static std::string Canonical(const google::protobuf::Message& message);

  // The hex SHA-256 of a row: over the length-prefixed fields seq, tenant, prev_hash, actor,
  // method, resource, time (unix micros), trace id and change.
  static std::string RowHash(const std::string& tenant, int64_t seq, const std::string& prev_hash,
                             const AuditEntry& entry);

  // Appends inside the caller's transaction; returns the row's seq.
  static absl::StatusOr<int64_t> Append(sql::Connection& tx, const std::string& tenant,
                                        const AuditEntry& entry);

  // Walks the tenant's chain in seq order and reports the first bad row.
  static absl::StatusOr<v1::AuditVerification> Verify(sql::Connection& conn,
                                                      const std::string& tenant);

  // The rows after `after_seq`, at most `limit` + 1 (the extra one says more follow).
  static absl::StatusOr<std::vector<v1::AuditRecord>> List(sql::Connection& conn,
                                                           const std::string& tenant,
                                                           int64_t after_seq, int limit);
};

}  // namespace moot::decisions
