// Storage of meeting attendance and declarations of interest for the scheduling service, over
// libs/sql (SQLite or PostgreSQL). Every query is scoped by tenant; rows keep the resource as a
// serialized proto beside the columns that queries filter and sort on (as SchedulingStore does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/scheduling/v1/attendance.pb.h"

namespace moot::scheduling {

// A meeting's key inside a tenant.
struct MeetingKey {
  std::string tenant;
  std::string body_id;
  std::string meeting_id;
};

// The SQL store. Methods that take a Connection run inside the caller's transaction.
class AttendanceStore {
 public:
  // Schema migrations, component "scheduling_attendance".
  static std::vector<sql::Migration> Migrations();

  // One person's row and its stored version; nullopt when there is none.
  static absl::StatusOr<std::optional<std::pair<v1::Attendance, int64_t>>> GetAttendance(
      sql::Connection& conn, const MeetingKey& meeting, const std::string& person_id);
  // Inserts (expected_version 0) or replaces the row whose stored version is expected_version
  // (ABORTED reason CONCURRENT_MODIFICATION otherwise). `version` is the row's new version.
  static absl::Status PutAttendance(sql::Connection& tx, const MeetingKey& meeting,
                                    const std::string& person_id, const v1::Attendance& row,
                                    int64_t expected_version, int64_t version);
  // The meeting's rows ordered by kind then person, after `after_key` (exclusive).
  static absl::StatusOr<api::Page<v1::Attendance>> ListAttendance(sql::Connection& conn,
                                                                  const MeetingKey& meeting,
                                                                  const std::string& after_key,
                                                                  int limit);
  // Every row of the meeting.
  static absl::StatusOr<std::vector<v1::Attendance>> AllAttendance(sql::Connection& conn,
                                                                   const MeetingKey& meeting);

  // ALREADY_EXISTS naming the declaration when its id is taken.
  static absl::Status InsertDeclaration(sql::Connection& tx, const MeetingKey& meeting,
                                        const std::string& declaration_id, int32_t item_number,
                                        const std::string& person_id,
                                        const v1::Declaration& declaration);
  // The meeting's declarations ordered by item number, person and id, after `after_key`
  // (exclusive); only those on `item_number` when it is not 0.
  static absl::StatusOr<api::Page<v1::Declaration>> ListDeclarations(sql::Connection& conn,
                                                                     const MeetingKey& meeting,
                                                                     int32_t item_number,
                                                                     const std::string& after_key,
                                                                     int limit);
  // Every declaration on one item.
  static absl::StatusOr<std::vector<v1::Declaration>> ItemDeclarations(sql::Connection& conn,
                                                                       const MeetingKey& meeting,
                                                                       int32_t item_number);
};

}  // namespace moot::scheduling
