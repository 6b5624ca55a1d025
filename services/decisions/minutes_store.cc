#include "services/decisions/minutes_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::decisions {
namespace {

std::string NumberKey(int64_t number) { return absl::StrFormat("%020d", number); }

absl::Status Concurrent(const std::string& name) {
  return status::WithReason(absl::AbortedError(absl::StrCat(name, " changed concurrently; retry")),
                            "CONCURRENT_MODIFICATION");
}

}  // namespace

std::vector<sql::Migration> MinutesStore::Migrations() {
  return {
      {.version = 1,
       .name = "minutes, entries and number counters",
       .sql = "CREATE TABLE minutes ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " meeting_id TEXT NOT NULL,"
              " state BIGINT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, meeting_id));"
              "CREATE TABLE minute_entries ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " meeting_id TEXT NOT NULL,"
              " entry_id TEXT NOT NULL,"
              " scope TEXT NOT NULL,"
              " number BIGINT NOT NULL,"
              " sort_key TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, meeting_id, entry_id),"
              " UNIQUE (tenant_id, body_id, scope, number));"
              "CREATE INDEX minute_entries_by_number ON minute_entries"
              " (tenant_id, body_id, meeting_id, sort_key);"
              "CREATE TABLE minute_counters ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " scope TEXT NOT NULL,"
              " next_number BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, scope));"},
  };
}

absl::Status MinutesStore::InsertMinutes(sql::Connection& tx, const MeetingKey& key,
                                         const v1::Minutes& minutes) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO minutes (tenant_id, body_id, meeting_id, state, data, version)"
                 " VALUES ($1, $2, $3, $4, $5, 1)",
                 {key.tenant, key.body, key.meeting, static_cast<int64_t>(minutes.state()),
                  sql::Bytes{minutes.SerializeAsString()}})
          .status(),
      minutes.name());
}

absl::StatusOr<std::pair<v1::Minutes, int64_t>> MinutesStore::GetMinutes(sql::Connection& conn,
                                                                         const MeetingKey& key,
                                                                         const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT data, version FROM minutes WHERE tenant_id = $1"
                                     " AND body_id = $2 AND meeting_id = $3",
                                     {key.tenant, key.body, key.meeting}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(v1::Minutes minutes, api::Decode<v1::Minutes>(result.rows[0], 0));
  return std::make_pair(std::move(minutes), result.rows[0].Int(1));
}

absl::Status MinutesStore::UpdateMinutes(sql::Connection& tx, const MeetingKey& key,
                                         const v1::Minutes& minutes, int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("UPDATE minutes SET state = $1, data = $2, version = $3 WHERE tenant_id = $4"
                 " AND body_id = $5 AND meeting_id = $6 AND version = $7",
                 {static_cast<int64_t>(minutes.state()), sql::Bytes{minutes.SerializeAsString()},
                  expected_version + 1, key.tenant, key.body, key.meeting, expected_version}));
  return result.rows_affected == 1 ? absl::OkStatus() : Concurrent(minutes.name());
}

absl::StatusOr<int64_t> MinutesStore::NextNumber(sql::Connection& tx, const MeetingKey& key,
                                                 const std::string& scope) {
  // R-MIN-03: the read and the advance happen in the caller's serializable transaction, so two
  // writers never get the same number and a rolled-back writer leaves no gap.
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("SELECT next_number FROM minute_counters WHERE tenant_id = $1 AND body_id = $2"
                 " AND scope = $3",
                 {key.tenant, key.body, scope}));
  if (result.rows.empty()) {
    MOOT_RETURN_IF_ERROR(tx.Execute("INSERT INTO minute_counters (tenant_id, body_id, scope,"
                                    " next_number) VALUES ($1, $2, $3, 2)",
                                    {key.tenant, key.body, scope})
                             .status());
    return 1;
  }
  const int64_t number = result.rows[0].Int(0);
  MOOT_RETURN_IF_ERROR(tx.Execute("UPDATE minute_counters SET next_number = $1 WHERE"
                                  " tenant_id = $2 AND body_id = $3 AND scope = $4",
                                  {number + 1, key.tenant, key.body, scope})
                           .status());
  return number;
}

absl::Status MinutesStore::AdvanceCounterPast(sql::Connection& tx, const MeetingKey& key,
                                              const std::string& scope, int64_t number) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("SELECT next_number FROM minute_counters WHERE tenant_id = $1 AND body_id = $2"
                 " AND scope = $3",
                 {key.tenant, key.body, scope}));
  if (result.rows.empty()) {
    return tx
        .Execute(
            "INSERT INTO minute_counters (tenant_id, body_id, scope, next_number)"
            " VALUES ($1, $2, $3, $4)",
            {key.tenant, key.body, scope, number + 1})
        .status();
  }
  if (result.rows[0].Int(0) > number) {
    return absl::OkStatus();
  }
  return tx
      .Execute(
          "UPDATE minute_counters SET next_number = $1 WHERE tenant_id = $2 AND"
          " body_id = $3 AND scope = $4",
          {number + 1, key.tenant, key.body, scope})
      .status();
}

absl::Status MinutesStore::InsertEntry(sql::Connection& tx, const MeetingKey& key,
                                       const std::string& scope, const std::string& entry_id,
                                       const v1::MinuteEntry& entry) {
  absl::Status status =
      tx.Execute(
            "INSERT INTO minute_entries (tenant_id, body_id, meeting_id, entry_id, scope,"
            " number, sort_key, data, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
            {key.tenant, key.body, key.meeting, entry_id, scope, entry.number(),
             NumberKey(entry.number()), sql::Bytes{entry.SerializeAsString()}})
          .status();
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return status::FailedPrecondition(
        "MINUTE_NUMBER_TAKEN", entry.name(),
        absl::StrCat("the body already has minute ", entry.display_number()));
  }
  return status;
}

absl::StatusOr<std::pair<v1::MinuteEntry, int64_t>> MinutesStore::GetEntry(
    sql::Connection& conn, const MeetingKey& key, const std::string& entry_id,
    const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT data, version FROM minute_entries WHERE tenant_id ="
                                     " $1 AND body_id = $2 AND meeting_id = $3 AND entry_id = $4",
                                     {key.tenant, key.body, key.meeting, entry_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(v1::MinuteEntry entry, api::Decode<v1::MinuteEntry>(result.rows[0], 0));
  return std::make_pair(std::move(entry), result.rows[0].Int(1));
}

absl::Status MinutesStore::UpdateEntry(sql::Connection& tx, const MeetingKey& key,
                                       const std::string& entry_id, const v1::MinuteEntry& entry,
                                       int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("UPDATE minute_entries SET data = $1, version = $2 WHERE tenant_id = $3 AND"
                 " body_id = $4 AND meeting_id = $5 AND entry_id = $6 AND version = $7",
                 {sql::Bytes{entry.SerializeAsString()}, expected_version + 1, key.tenant, key.body,
                  key.meeting, entry_id, expected_version}));
  return result.rows_affected == 1 ? absl::OkStatus() : Concurrent(entry.name());
}

absl::StatusOr<std::optional<v1::MinuteEntry>> MinutesStore::FindEntry(sql::Connection& conn,
                                                                       const std::string& tenant,
                                                                       const std::string& body,
                                                                       int64_t number) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT data FROM minute_entries WHERE tenant_id = $1 AND"
                                     " body_id = $2 AND scope = '' AND number = $3",
                                     {tenant, body, number}));
  if (result.rows.empty()) {
    return std::optional<v1::MinuteEntry>();
  }
  MOOT_ASSIGN_OR_RETURN(v1::MinuteEntry entry, api::Decode<v1::MinuteEntry>(result.rows[0], 0));
  return std::optional<v1::MinuteEntry>(std::move(entry));
}

absl::StatusOr<std::vector<v1::Minutes>> MinutesStore::ListBodyMinutes(sql::Connection& conn,
                                                                       const std::string& tenant,
                                                                       const std::string& body) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT data FROM minutes WHERE tenant_id = $1 AND"
                                     " body_id = $2 ORDER BY meeting_id",
                                     {tenant, body}));
  std::vector<v1::Minutes> out;
  for (const auto& row : result.rows) {
    MOOT_ASSIGN_OR_RETURN(v1::Minutes m, api::Decode<v1::Minutes>(row, 0));
    out.push_back(std::move(m));
  }
  return out;
}

absl::StatusOr<api::Page<v1::MinuteEntry>> MinutesStore::ListEntries(sql::Connection& conn,
                                                                     const MeetingKey& key,
                                                                     const std::string& after_key,
                                                                     int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute(
          "SELECT sort_key, data FROM minute_entries WHERE tenant_id = $1 AND"
          " body_id = $2 AND meeting_id = $3 AND sort_key > $4 ORDER BY sort_key"
          " LIMIT $5",
          {key.tenant, key.body, key.meeting, after_key, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::MinuteEntry>(result, limit);
}

}  // namespace moot::decisions
