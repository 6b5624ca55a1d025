// Storage of agenda items for the scheduling service, over libs/sql (SQLite or PostgreSQL).
// Every query is scoped by tenant; rows keep the item as a serialized proto beside the columns
// that queries filter and sort on (as SchedulingStore does).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/scheduling/v1/agenda.pb.h"

namespace moot::scheduling {

// The SQL store. Methods that take a Connection run inside the caller's transaction.
class AgendaStore {
 public:
  // Schema migrations, component "scheduling_agenda".
  static std::vector<sql::Migration> Migrations();

  // ALREADY_EXISTS naming the item when its number is taken in the meeting.
  static absl::Status InsertItem(sql::Connection& tx, const std::string& tenant,
                                 const std::string& body_id, const std::string& meeting_id,
                                 const v1::AgendaItem& item);
  // NOT_FOUND naming `name` when absent.
  static absl::StatusOr<v1::AgendaItem> GetItem(sql::Connection& conn, const std::string& tenant,
                                                const std::string& body_id,
                                                const std::string& meeting_id, int32_t number,
                                                const std::string& name);
  // The meeting's items ordered by number, after `after_key` (exclusive; a key of a previous
  // page).
  static absl::StatusOr<api::Page<v1::AgendaItem>> ListItems(
      sql::Connection& conn, const std::string& tenant, const std::string& body_id,
      const std::string& meeting_id, const std::string& after_key, int limit);
};

}  // namespace moot::scheduling
