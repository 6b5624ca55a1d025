#include "services/scheduling/attendance_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::scheduling {
namespace {

// Keyset cursor of attendance: the kind (two digits) then the person id.
std::string AttendanceKey(const v1::Attendance& row, const std::string& person_id) {
  return absl::StrFormat("%02d|%s", static_cast<int>(row.kind()), person_id);
}

// Keyset cursor of declarations: the zero-padded item number, the person id, the id.
std::string DeclarationKey(int32_t item_number, const std::string& person_id,
                           const std::string& declaration_id) {
  return absl::StrFormat("%06d|%s|%s", item_number, person_id, declaration_id);
}

template <typename Message>
absl::StatusOr<std::vector<Message>> DecodeAll(const sql::Result& result) {
  std::vector<Message> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    MOOT_ASSIGN_OR_RETURN(Message m, api::Decode<Message>(row, 0));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

std::vector<sql::Migration> AttendanceStore::Migrations() {
  return {
      {.version = 1,
       .name = "attendance and declarations",
       .sql = "CREATE TABLE attendance ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " meeting_id TEXT NOT NULL,"
              " person_id TEXT NOT NULL,"
              " sort_key TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, meeting_id, person_id));"
              "CREATE INDEX attendance_by_key ON attendance"
              " (tenant_id, body_id, meeting_id, sort_key);"
              "CREATE TABLE declarations ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " meeting_id TEXT NOT NULL,"
              " declaration_id TEXT NOT NULL,"
              " item_number BIGINT NOT NULL,"
              " person_id TEXT NOT NULL,"
              " sort_key TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, meeting_id, declaration_id));"
              "CREATE INDEX declarations_by_key ON declarations"
              " (tenant_id, body_id, meeting_id, sort_key);"},
  };
}

absl::StatusOr<std::optional<std::pair<v1::Attendance, int64_t>>> AttendanceStore::GetAttendance(
    sql::Connection& conn, const MeetingKey& meeting, const std::string& person_id) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data, version FROM attendance WHERE tenant_id = $1 AND body_id = $2"
                   " AND meeting_id = $3 AND person_id = $4",
                   {meeting.tenant, meeting.body_id, meeting.meeting_id, person_id}));
  if (result.rows.empty()) {
    return std::nullopt;
  }
  MOOT_ASSIGN_OR_RETURN(v1::Attendance row, api::Decode<v1::Attendance>(result.rows[0], 0));
  return std::make_pair(std::move(row), result.rows[0].Int(1));
}

absl::Status AttendanceStore::PutAttendance(sql::Connection& tx, const MeetingKey& meeting,
                                            const std::string& person_id, const v1::Attendance& row,
                                            int64_t expected_version, int64_t version) {
  if (expected_version == 0) {
    return api::NameAlreadyExists(
        tx.Execute("INSERT INTO attendance (tenant_id, body_id, meeting_id, person_id, sort_key,"
                   " data, version) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   {meeting.tenant, meeting.body_id, meeting.meeting_id, person_id,
                    AttendanceKey(row, person_id), sql::Bytes{row.SerializeAsString()}, version})
            .status(),
        row.name());
  }
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute(
          "UPDATE attendance SET sort_key = $1, data = $2, version = $3 WHERE"
          " tenant_id = $4 AND body_id = $5 AND meeting_id = $6 AND person_id = $7 AND"
          " version = $8",
          {AttendanceKey(row, person_id), sql::Bytes{row.SerializeAsString()}, version,
           meeting.tenant, meeting.body_id, meeting.meeting_id, person_id, expected_version}));
  if (result.rows_affected != 1) {
    return status::WithReason(
        absl::AbortedError(absl::StrCat(row.name(), " changed concurrently; retry")),
        "CONCURRENT_MODIFICATION");
  }
  return absl::OkStatus();
}

absl::StatusOr<api::Page<v1::Attendance>> AttendanceStore::ListAttendance(
    sql::Connection& conn, const MeetingKey& meeting, const std::string& after_key, int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT sort_key, data FROM attendance WHERE tenant_id = $1 AND body_id = $2"
                   " AND meeting_id = $3 AND sort_key > $4 ORDER BY sort_key LIMIT $5",
                   {meeting.tenant, meeting.body_id, meeting.meeting_id, after_key,
                    static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Attendance>(result, limit);
}

absl::StatusOr<std::vector<v1::Attendance>> AttendanceStore::AllAttendance(
    sql::Connection& conn, const MeetingKey& meeting) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM attendance WHERE tenant_id = $1 AND body_id = $2"
                   " AND meeting_id = $3 ORDER BY sort_key",
                   {meeting.tenant, meeting.body_id, meeting.meeting_id}));
  return DecodeAll<v1::Attendance>(result);
}

absl::Status AttendanceStore::InsertDeclaration(sql::Connection& tx, const MeetingKey& meeting,
                                                const std::string& declaration_id,
                                                int32_t item_number, const std::string& person_id,
                                                const v1::Declaration& declaration) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO declarations (tenant_id, body_id, meeting_id, declaration_id,"
                 " item_number, person_id, sort_key, data) VALUES ($1, $2, $3, $4, $5, $6, $7,"
                 " $8)",
                 {meeting.tenant, meeting.body_id, meeting.meeting_id, declaration_id,
                  static_cast<int64_t>(item_number), person_id,
                  DeclarationKey(item_number, person_id, declaration_id),
                  sql::Bytes{declaration.SerializeAsString()}})
          .status(),
      declaration.name());
}

absl::StatusOr<api::Page<v1::Declaration>> AttendanceStore::ListDeclarations(
    sql::Connection& conn, const MeetingKey& meeting, int32_t item_number,
    const std::string& after_key, int limit) {
  sql::Params params = {meeting.tenant, meeting.body_id, meeting.meeting_id, after_key,
                        static_cast<int64_t>(limit) + 1};
  std::string filter;
  if (item_number != 0) {
    filter = " AND item_number = $6";
    params.push_back(static_cast<int64_t>(item_number));
  }
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute(absl::StrCat("SELECT sort_key, data FROM declarations WHERE tenant_id = $1 AND"
                                " body_id = $2 AND meeting_id = $3 AND sort_key > $4",
                                filter, " ORDER BY sort_key LIMIT $5"),
                   params));
  return api::ReadPage<v1::Declaration>(result, limit);
}

absl::StatusOr<std::vector<v1::Declaration>> AttendanceStore::ItemDeclarations(
    sql::Connection& conn, const MeetingKey& meeting, int32_t item_number) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM declarations WHERE tenant_id = $1 AND body_id = $2 AND"
                   " meeting_id = $3 AND item_number = $4 ORDER BY sort_key",
                   {meeting.tenant, meeting.body_id, meeting.meeting_id,
                    static_cast<int64_t>(item_number)}));
  return DecodeAll<v1::Declaration>(result);
}

}  // namespace moot::scheduling
