#include "services/scheduling/agenda_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/api/proto_rows.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::scheduling {

std::vector<sql::Migration> AgendaStore::Migrations() {
  return {
      {.version = 1,
       .name = "agenda items",
       .sql = "CREATE TABLE agenda_items ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " meeting_id TEXT NOT NULL,"
              " item_number BIGINT NOT NULL,"
              " sort_key TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, meeting_id, item_number));"
              "CREATE INDEX agenda_items_by_key ON agenda_items"
              " (tenant_id, body_id, meeting_id, sort_key);"},
      {.version = 2,
       .name = "agenda item versions and published agenda versions",
       .sql = "ALTER TABLE agenda_items ADD COLUMN version BIGINT NOT NULL DEFAULT 1;"
              "CREATE TABLE agenda_versions ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " meeting_id TEXT NOT NULL,"
              " version BIGINT NOT NULL,"
              " sort_key TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, meeting_id, version));"},
  };
}

std::string AgendaStore::NumberKey(int32_t number) { return absl::StrFormat("%06d", number); }

absl::Status AgendaStore::InsertItem(sql::Connection& tx, const AgendaKey& m,
                                     const v1::AgendaItem& item) {
  int64_t version = 1;
  if (!absl::SimpleAtoi(item.etag(), &version)) {
    version = 1;
  }
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO agenda_items (tenant_id, body_id, meeting_id, item_number,"
                 " sort_key, data, version) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                 {m.tenant, m.body_id, m.meeting_id, static_cast<int64_t>(item.number()),
                  NumberKey(item.number()), sql::Bytes{item.SerializeAsString()}, version})
          .status(),
      item.name());
}

absl::Status AgendaStore::UpdateItem(sql::Connection& tx, const AgendaKey& m,
                                     const v1::AgendaItem& item, int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("UPDATE agenda_items SET data = $1, version = $2 WHERE tenant_id = $3 AND"
                 " body_id = $4 AND meeting_id = $5 AND item_number = $6 AND version = $7",
                 {sql::Bytes{item.SerializeAsString()}, expected_version + 1, m.tenant, m.body_id,
                  m.meeting_id, static_cast<int64_t>(item.number()), expected_version}));
  if (result.rows_affected != 1) {
    return status::WithReason(
        absl::AbortedError(absl::StrCat(item.name(), " changed concurrently; retry")),
        "CONCURRENT_MODIFICATION");
  }
  return absl::OkStatus();
}

absl::Status AgendaStore::DeleteItem(sql::Connection& tx, const AgendaKey& m, int32_t number,
                                     const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("DELETE FROM agenda_items WHERE tenant_id = $1 AND body_id = $2 AND"
                 " meeting_id = $3 AND item_number = $4",
                 {m.tenant, m.body_id, m.meeting_id, static_cast<int64_t>(number)}));
  if (result.rows_affected != 1) {
    return status::NotFound(name);
  }
  return absl::OkStatus();
}

absl::Status AgendaStore::ReplaceItems(sql::Connection& tx, const AgendaKey& m,
                                       const std::vector<v1::AgendaItem>& items) {
  MOOT_RETURN_IF_ERROR(
      tx.Execute("DELETE FROM agenda_items WHERE tenant_id = $1 AND body_id = $2 AND"
                 " meeting_id = $3",
                 {m.tenant, m.body_id, m.meeting_id})
          .status());
  for (const v1::AgendaItem& item : items) {
    MOOT_RETURN_IF_ERROR(InsertItem(tx, m, item));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::AgendaItem> AgendaStore::GetItem(sql::Connection& conn, const AgendaKey& m,
                                                    int32_t number, const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM agenda_items WHERE tenant_id = $1 AND body_id = $2 AND"
                   " meeting_id = $3 AND item_number = $4",
                   {m.tenant, m.body_id, m.meeting_id, static_cast<int64_t>(number)}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return api::Decode<v1::AgendaItem>(result.rows[0], 0);
}

absl::StatusOr<api::Page<v1::AgendaItem>> AgendaStore::ListItems(sql::Connection& conn,
                                                                 const AgendaKey& m,
                                                                 const std::string& after_key,
                                                                 int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute(
          "SELECT sort_key, data FROM agenda_items WHERE tenant_id = $1 AND"
          " body_id = $2 AND meeting_id = $3 AND sort_key > $4"
          " ORDER BY sort_key LIMIT $5",
          {m.tenant, m.body_id, m.meeting_id, after_key, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::AgendaItem>(result, limit);
}

absl::StatusOr<std::vector<v1::AgendaItem>> AgendaStore::AllItems(sql::Connection& conn,
                                                                  const AgendaKey& m) {
  MOOT_ASSIGN_OR_RETURN(auto page, ListItems(conn, m, "", 1000));
  return std::move(page.items);
}

absl::Status AgendaStore::InsertVersion(sql::Connection& tx, const AgendaKey& m,
                                        const v1::AgendaVersion& version) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO agenda_versions (tenant_id, body_id, meeting_id, version,"
                 " sort_key, data) VALUES ($1, $2, $3, $4, $5, $6)",
                 {m.tenant, m.body_id, m.meeting_id, static_cast<int64_t>(version.version()),
                  NumberKey(version.version()), sql::Bytes{version.SerializeAsString()}})
          .status(),
      version.name());
}

absl::StatusOr<v1::AgendaVersion> AgendaStore::GetVersion(sql::Connection& conn, const AgendaKey& m,
                                                          int32_t version,
                                                          const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM agenda_versions WHERE tenant_id = $1 AND body_id = $2 AND"
                   " meeting_id = $3 AND version = $4",
                   {m.tenant, m.body_id, m.meeting_id, static_cast<int64_t>(version)}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return api::Decode<v1::AgendaVersion>(result.rows[0], 0);
}

absl::StatusOr<std::optional<v1::AgendaVersion>> AgendaStore::LatestVersion(sql::Connection& conn,
                                                                            const AgendaKey& m) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM agenda_versions WHERE tenant_id = $1 AND body_id = $2 AND"
                   " meeting_id = $3 ORDER BY version DESC LIMIT 1",
                   {m.tenant, m.body_id, m.meeting_id}));
  if (result.rows.empty()) {
    return std::optional<v1::AgendaVersion>();
  }
  MOOT_ASSIGN_OR_RETURN(auto version, api::Decode<v1::AgendaVersion>(result.rows[0], 0));
  return std::optional<v1::AgendaVersion>(std::move(version));
}

absl::StatusOr<api::Page<v1::AgendaVersion>> AgendaStore::ListVersions(sql::Connection& conn,
                                                                       const AgendaKey& m,
                                                                       const std::string& after_key,
                                                                       int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute(
          "SELECT sort_key, data FROM agenda_versions WHERE tenant_id = $1 AND"
          " body_id = $2 AND meeting_id = $3 AND sort_key > $4"
          " ORDER BY sort_key LIMIT $5",
          {m.tenant, m.body_id, m.meeting_id, after_key, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::AgendaVersion>(result, limit);
}

}  // namespace moot::scheduling
