#include "services/scheduling/scheduling_store.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/proto_rows.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

// Keyset cursor for meetings: zero-padded start microseconds and the id, so that text order is
// the listing order.
std::string MeetingKey(int64_t start_us, const std::string& meeting_id) {
  return absl::StrFormat("%020d|%s", start_us, meeting_id);
}

}  // namespace

std::vector<sql::Migration> SchedulingStore::Migrations() {
  return {
      {.version = 1,
       .name = "bodies and meetings",
       .sql = "CREATE TABLE bodies ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id));"
              "CREATE TABLE meetings ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " meeting_id TEXT NOT NULL,"
              " sort_key TEXT NOT NULL,"
              " status BIGINT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, meeting_id));"
              "CREATE INDEX meetings_by_start ON meetings (tenant_id, body_id, sort_key);"},
  };
}

absl::Status SchedulingStore::InsertBody(sql::Connection& tx, const std::string& tenant,
                                         const std::string& body_id, const v1::Body& body) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO bodies (tenant_id, body_id, data, version) VALUES ($1, $2, $3, 1)",
                 {tenant, body_id, sql::Bytes{body.SerializeAsString()}})
          .status(),
      body.name());
}

absl::StatusOr<v1::Body> SchedulingStore::GetBody(sql::Connection& conn, const std::string& tenant,
                                                  const std::string& body_id,
                                                  const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM bodies WHERE tenant_id = $1 AND body_id = $2",
                   {tenant, body_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return api::Decode<v1::Body>(result.rows[0], 0);
}

absl::StatusOr<std::pair<v1::Body, int64_t>> SchedulingStore::GetBodyVersion(
    sql::Connection& conn, const std::string& tenant, const std::string& body_id,
    const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data, version FROM bodies WHERE tenant_id = $1 AND body_id = $2",
                   {tenant, body_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(v1::Body body, api::Decode<v1::Body>(result.rows[0], 0));
  return std::make_pair(std::move(body), result.rows[0].Int(1));
}

absl::Status SchedulingStore::UpdateBody(sql::Connection& tx, const std::string& tenant,
                                         const std::string& body_id, const v1::Body& body,
                                         int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        tx.Execute("UPDATE bodies SET data = $1, version = $2"
                                   " WHERE tenant_id = $3 AND body_id = $4 AND version = $5",
                                   {sql::Bytes{body.SerializeAsString()}, expected_version + 1,
                                    tenant, body_id, expected_version}));
  if (result.rows_affected != 1) {
    return status::WithReason(
        absl::AbortedError(absl::StrCat(body.name(), " changed concurrently; retry")),
        "CONCURRENT_MODIFICATION");
  }
  return absl::OkStatus();
}

absl::StatusOr<Page<v1::Body>> SchedulingStore::ListBodies(sql::Connection& conn,
                                                           const std::string& tenant,
                                                           const std::string& after_key,
                                                           int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT body_id, data FROM bodies WHERE tenant_id = $1 AND body_id > $2"
                   " ORDER BY body_id LIMIT $3",
                   {tenant, after_key, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Body>(result, limit);
}

absl::Status SchedulingStore::InsertMeeting(sql::Connection& tx, const std::string& tenant,
                                            const std::string& body_id,
                                            const std::string& meeting_id,
                                            const v1::Meeting& meeting) {
  const int64_t start_us = TimeUtil::TimestampToMicroseconds(meeting.start_time());
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO meetings (tenant_id, body_id, meeting_id, sort_key, status, data,"
                 " version) VALUES ($1, $2, $3, $4, $5, $6, 1)",
                 {tenant, body_id, meeting_id, MeetingKey(start_us, meeting_id),
                  static_cast<int64_t>(meeting.status()), sql::Bytes{meeting.SerializeAsString()}})
          .status(),
      meeting.name());
}

absl::Status SchedulingStore::UpdateMeeting(sql::Connection& tx, const std::string& tenant,
                                            const std::string& body_id,
                                            const std::string& meeting_id,
                                            const v1::Meeting& meeting, int64_t expected_version) {
  const int64_t start_us = TimeUtil::TimestampToMicroseconds(meeting.start_time());
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("UPDATE meetings SET sort_key = $1, status = $2, data = $3, version = $4"
                 " WHERE tenant_id = $5 AND body_id = $6 AND meeting_id = $7 AND version = $8",
                 {MeetingKey(start_us, meeting_id), static_cast<int64_t>(meeting.status()),
                  sql::Bytes{meeting.SerializeAsString()}, expected_version + 1, tenant, body_id,
                  meeting_id, expected_version}));
  if (result.rows_affected != 1) {
    return status::WithReason(
        absl::AbortedError(absl::StrCat(meeting.name(), " changed concurrently; retry")),
        "CONCURRENT_MODIFICATION");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::pair<v1::Meeting, int64_t>> SchedulingStore::GetMeeting(
    sql::Connection& conn, const std::string& tenant, const std::string& body_id,
    const std::string& meeting_id, const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT data, version FROM meetings WHERE tenant_id = $1 AND"
                                     " body_id = $2 AND meeting_id = $3",
                                     {tenant, body_id, meeting_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(v1::Meeting meeting, api::Decode<v1::Meeting>(result.rows[0], 0));
  return std::make_pair(std::move(meeting), result.rows[0].Int(1));
}

absl::StatusOr<std::vector<std::pair<v1::Meeting, int64_t>>> SchedulingStore::MeetingsOfBody(
    sql::Connection& conn, const std::string& tenant, const std::string& body_id,
    const std::vector<v1::MeetingStatus>& statuses) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT data, version, status FROM meetings WHERE"
                                     " tenant_id = $1 AND body_id = $2 ORDER BY sort_key",
                                     {tenant, body_id}));
  std::vector<std::pair<v1::Meeting, int64_t>> out;
  for (const auto& row : result.rows) {
    if (!statuses.empty() &&
        std::find(statuses.begin(), statuses.end(), static_cast<v1::MeetingStatus>(row.Int(2))) ==
            statuses.end()) {
      continue;
    }
    MOOT_ASSIGN_OR_RETURN(v1::Meeting meeting, api::Decode<v1::Meeting>(row, 0));
    out.emplace_back(std::move(meeting), row.Int(1));
  }
  return out;
}

absl::StatusOr<Page<v1::Meeting>> SchedulingStore::ListMeetings(sql::Connection& conn,
                                                                const std::string& tenant,
                                                                const std::string& body_id,
                                                                const std::string& after_key,
                                                                int limit, bool include_drafts) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute(
          "SELECT sort_key, data FROM meetings WHERE tenant_id = $1 AND body_id = $2"
          " AND sort_key > $3 AND (status <> $4 OR $5 = 1) ORDER BY sort_key LIMIT $6",
          {tenant, body_id, after_key, static_cast<int64_t>(v1::MEETING_STATUS_DRAFT),
           static_cast<int64_t>(include_drafts ? 1 : 0), static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Meeting>(result, limit);
}

}  // namespace moot::scheduling
