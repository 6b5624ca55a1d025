#include "services/scheduling/agenda_store.h"

#include "absl/strings/str_format.h"
#include "libs/api/proto_rows.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::scheduling {
namespace {

// Keyset cursor: the zero-padded number, so that text order is number order.
std::string ItemKey(int32_t number) { return absl::StrFormat("%06d", number); }

}  // namespace

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
  };
}

absl::Status AgendaStore::InsertItem(sql::Connection& tx, const std::string& tenant,
                                     const std::string& body_id, const std::string& meeting_id,
                                     const v1::AgendaItem& item) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO agenda_items (tenant_id, body_id, meeting_id, item_number,"
                 " sort_key, data) VALUES ($1, $2, $3, $4, $5, $6)",
                 {tenant, body_id, meeting_id, static_cast<int64_t>(item.number()),
                  ItemKey(item.number()), sql::Bytes{item.SerializeAsString()}})
          .status(),
      item.name());
}

absl::StatusOr<v1::AgendaItem> AgendaStore::GetItem(sql::Connection& conn,
                                                    const std::string& tenant,
                                                    const std::string& body_id,
                                                    const std::string& meeting_id, int32_t number,
                                                    const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM agenda_items WHERE tenant_id = $1 AND body_id = $2 AND"
                   " meeting_id = $3 AND item_number = $4",
                   {tenant, body_id, meeting_id, static_cast<int64_t>(number)}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return api::Decode<v1::AgendaItem>(result.rows[0], 0);
}

absl::StatusOr<api::Page<v1::AgendaItem>> AgendaStore::ListItems(
    sql::Connection& conn, const std::string& tenant, const std::string& body_id,
    const std::string& meeting_id, const std::string& after_key, int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT sort_key, data FROM agenda_items WHERE tenant_id = $1 AND"
                   " body_id = $2 AND meeting_id = $3 AND sort_key > $4"
                   " ORDER BY sort_key LIMIT $5",
                   {tenant, body_id, meeting_id, after_key, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::AgendaItem>(result, limit);
}

}  // namespace moot::scheduling
