#include "services/scheduling/work_programme_store.h"

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::scheduling {

std::vector<sql::Migration> WorkProgrammeStore::Migrations() {
  return {
      {.version = 1,
       .name = "work programme items",
       .sql = "CREATE TABLE work_programme_items ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " item_id TEXT NOT NULL,"
              " sort_key TEXT NOT NULL,"
              " municipal_year TEXT NOT NULL,"
              " status BIGINT NOT NULL,"
              " target_meeting TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, item_id));"
              "CREATE INDEX work_programme_items_by_sort ON work_programme_items"
              " (tenant_id, body_id, sort_key);"},
      {.version = 2,
       .name = "work programme quarters",
       .sql = "CREATE TABLE work_programme_quarters ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " quarter_id TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, quarter_id));"},
  };
}

absl::StatusOr<std::pair<v1::WorkProgrammeQuarter, int64_t>> WorkProgrammeStore::GetQuarter(
    sql::Connection& conn, const std::string& tenant, const std::string& body_id,
    const std::string& quarter_id) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data, version FROM work_programme_quarters WHERE tenant_id = $1 AND"
                   " body_id = $2 AND quarter_id = $3",
                   {tenant, body_id, quarter_id}));
  if (result.rows.empty()) {
    return std::make_pair(v1::WorkProgrammeQuarter(), int64_t{0});
  }
  MOOT_ASSIGN_OR_RETURN(v1::WorkProgrammeQuarter quarter,
                        api::Decode<v1::WorkProgrammeQuarter>(result.rows[0], 0));
  return std::make_pair(std::move(quarter), result.rows[0].Int(1));
}

absl::Status WorkProgrammeStore::PutQuarter(sql::Connection& tx, const std::string& tenant,
                                            const std::string& body_id,
                                            const std::string& quarter_id,
                                            const v1::WorkProgrammeQuarter& quarter,
                                            int64_t expected_version) {
  if (expected_version == 0) {
    return tx
        .Execute(
            "INSERT INTO work_programme_quarters (tenant_id, body_id, quarter_id, data, version)"
            " VALUES ($1, $2, $3, $4, 1)",
            {tenant, body_id, quarter_id, sql::Bytes{quarter.SerializeAsString()}})
        .status();
  }
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("UPDATE work_programme_quarters SET data = $4, version = $5 WHERE tenant_id = $1"
                 " AND body_id = $2 AND quarter_id = $3 AND version = $6",
                 {tenant, body_id, quarter_id, sql::Bytes{quarter.SerializeAsString()},
                  expected_version + 1, expected_version}));
  if (result.rows_affected != 1) {
    return absl::AbortedError(absl::StrCat(quarter.name(), " changed concurrently; retry"));
  }
  return absl::OkStatus();
}

absl::Status WorkProgrammeStore::InsertItem(sql::Connection& tx, const std::string& tenant,
                                            const std::string& body_id, const std::string& item_id,
                                            const std::string& sort_key,
                                            const v1::WorkProgrammeItem& item) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO work_programme_items (tenant_id, body_id, item_id, sort_key,"
                 " municipal_year, status, target_meeting, data, version)"
                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
                 {tenant, body_id, item_id, sort_key, item.municipal_year(),
                  static_cast<int64_t>(item.status()), item.target_meeting(),
                  sql::Bytes{item.SerializeAsString()}})
          .status(),
      item.name());
}

absl::Status WorkProgrammeStore::UpdateItem(sql::Connection& tx, const std::string& tenant,
                                            const std::string& body_id, const std::string& item_id,
                                            const std::string& sort_key,
                                            const v1::WorkProgrammeItem& item,
                                            int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("UPDATE work_programme_items SET sort_key = $1, municipal_year = $2,"
                 " status = $3, target_meeting = $4, data = $5, version = $6"
                 " WHERE tenant_id = $7 AND body_id = $8 AND item_id = $9 AND version = $10",
                 {sort_key, item.municipal_year(), static_cast<int64_t>(item.status()),
                  item.target_meeting(), sql::Bytes{item.SerializeAsString()}, expected_version + 1,
                  tenant, body_id, item_id, expected_version}));
  if (result.rows_affected != 1) {
    return status::WithReason(
        absl::AbortedError(absl::StrCat(item.name(), " changed concurrently; retry")),
        "CONCURRENT_MODIFICATION");
  }
  return absl::OkStatus();
}

absl::Status WorkProgrammeStore::DeleteItem(sql::Connection& tx, const std::string& tenant,
                                            const std::string& body_id, const std::string& item_id,
                                            const std::string& name, int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("DELETE FROM work_programme_items WHERE tenant_id = $1 AND body_id = $2 AND"
                 " item_id = $3 AND version = $4",
                 {tenant, body_id, item_id, expected_version}));
  if (result.rows_affected != 1) {
    return status::WithReason(
        absl::AbortedError(absl::StrCat(name, " changed concurrently; retry")),
        "CONCURRENT_MODIFICATION");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::pair<v1::WorkProgrammeItem, int64_t>> WorkProgrammeStore::GetItem(
    sql::Connection& conn, const std::string& tenant, const std::string& body_id,
    const std::string& item_id, const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data, version FROM work_programme_items WHERE tenant_id = $1 AND"
                   " body_id = $2 AND item_id = $3",
                   {tenant, body_id, item_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(v1::WorkProgrammeItem item,
                        api::Decode<v1::WorkProgrammeItem>(result.rows[0], 0));
  return std::make_pair(std::move(item), result.rows[0].Int(1));
}

absl::StatusOr<api::Page<v1::WorkProgrammeItem>> WorkProgrammeStore::ListItems(
    sql::Connection& conn, const std::string& tenant, const std::string& body_id,
    const WorkProgrammeFilter& filter, const std::string& after_key, int limit) {
  sql::Params params = {tenant, body_id, after_key};
  std::string query =
      "SELECT sort_key, data FROM work_programme_items WHERE tenant_id = $1 AND body_id = $2"
      " AND sort_key > $3";
  if (!filter.municipal_year.empty()) {
    params.push_back(filter.municipal_year);
    absl::StrAppend(&query, " AND municipal_year = $", params.size());
  }
  if (filter.status != 0) {
    params.push_back(static_cast<int64_t>(filter.status));
    absl::StrAppend(&query, " AND status = $", params.size());
  }
  if (filter.menu_of_options) {
    absl::StrAppend(&query, " AND target_meeting = ''");
  } else if (!filter.target_meeting.empty()) {
    params.push_back(filter.target_meeting);
    absl::StrAppend(&query, " AND target_meeting = $", params.size());
  }
  params.push_back(static_cast<int64_t>(limit) + 1);
  absl::StrAppend(&query, " ORDER BY sort_key LIMIT $", params.size());
  MOOT_ASSIGN_OR_RETURN(sql::Result result, conn.Execute(query, params));
  return api::ReadPage<v1::WorkProgrammeItem>(result, limit);
}

}  // namespace moot::scheduling
