// Storage of bodies and meetings for the scheduling service, over libs/sql (SQLite or
// PostgreSQL). Every query is scoped by tenant.
//
// Each row keeps the resource as a serialized proto (`data`) beside the columns that queries
// filter and sort on, so adding a field to a resource needs no migration.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/scheduling/v1/scheduling.pb.h"

namespace moot::scheduling {

using api::Page;

// The SQL store. Methods that take a Connection run inside the caller's transaction, so a state
// change and its outbox event commit together.
class SchedulingStore {
 public:
  // Schema migrations, component "scheduling".
  static std::vector<sql::Migration> Migrations();

  // ALREADY_EXISTS when the body id is taken in the tenant.
  static absl::Status InsertBody(sql::Connection& tx, const std::string& tenant,
                                 const std::string& body_id, const v1::Body& body);
  // NOT_FOUND naming the body when absent.
  static absl::StatusOr<v1::Body> GetBody(sql::Connection& conn, const std::string& tenant,
                                          const std::string& body_id, const std::string& name);
  // The body and its stored version; NOT_FOUND naming `name` when absent.
  static absl::StatusOr<std::pair<v1::Body, int64_t>> GetBodyVersion(sql::Connection& conn,
                                                                     const std::string& tenant,
                                                                     const std::string& body_id,
                                                                     const std::string& name);
  // Replaces a body whose stored version is `expected_version` (ABORTED otherwise).
  static absl::Status UpdateBody(sql::Connection& tx, const std::string& tenant,
                                 const std::string& body_id, const v1::Body& body,
                                 int64_t expected_version);
  // Bodies ordered by id, after `after_key` (exclusive).
  static absl::StatusOr<Page<v1::Body>> ListBodies(sql::Connection& conn, const std::string& tenant,
                                                   const std::string& after_key, int limit);

  static absl::Status InsertMeeting(sql::Connection& tx, const std::string& tenant,
                                    const std::string& body_id, const std::string& meeting_id,
                                    const v1::Meeting& meeting);
  // Replaces a meeting whose stored version is `expected_version` (ABORTED otherwise).
  static absl::Status UpdateMeeting(sql::Connection& tx, const std::string& tenant,
                                    const std::string& body_id, const std::string& meeting_id,
                                    const v1::Meeting& meeting, int64_t expected_version);
  // The meeting and its stored version; NOT_FOUND when absent.
  static absl::StatusOr<std::pair<v1::Meeting, int64_t>> GetMeeting(sql::Connection& conn,
                                                                    const std::string& tenant,
                                                                    const std::string& body_id,
                                                                    const std::string& meeting_id,
                                                                    const std::string& name);
  // Every meeting of the body with its stored version, in start order; only those whose status
  // is in `statuses` when it is not empty.
  static absl::StatusOr<std::vector<std::pair<v1::Meeting, int64_t>>> MeetingsOfBody(
      sql::Connection& conn, const std::string& tenant, const std::string& body_id,
      const std::vector<v1::MeetingStatus>& statuses = {});
  // Meetings ordered by start time then id. `include_drafts` false hides DRAFT meetings.
  static absl::StatusOr<Page<v1::Meeting>> ListMeetings(sql::Connection& conn,
                                                        const std::string& tenant,
                                                        const std::string& body_id,
                                                        const std::string& after_key, int limit,
                                                        bool include_drafts);
};

}  // namespace moot::scheduling
