// Storage of work programme items for the scheduling service, over libs/sql (SQLite or
// PostgreSQL). Every query is scoped by tenant; rows keep the item as a serialized proto beside
// the columns that queries filter and sort on (as SchedulingStore does).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/scheduling/v1/work_programme.pb.h"

namespace moot::scheduling {

// The filters of ListWorkProgrammeItems; empty / 0 / false means "any".
struct WorkProgrammeFilter {
  std::string municipal_year;
  int status = 0;
  std::string target_meeting;
  bool menu_of_options = false;
};

// The SQL store. Methods that take a Connection run inside the caller's transaction.
class WorkProgrammeStore {
 public:
  // Schema migrations, component "scheduling_work_programme".
  static std::vector<sql::Migration> Migrations();

  // ALREADY_EXISTS naming the item when its id is taken in the body. `sort_key` orders the
  // programme (date, then id).
  static absl::Status InsertItem(sql::Connection& tx, const std::string& tenant,
                                 const std::string& body_id, const std::string& item_id,
                                 const std::string& sort_key, const v1::WorkProgrammeItem& item);
  // Replaces an item whose stored version is `expected_version` (ABORTED otherwise).
  static absl::Status UpdateItem(sql::Connection& tx, const std::string& tenant,
                                 const std::string& body_id, const std::string& item_id,
                                 const std::string& sort_key, const v1::WorkProgrammeItem& item,
                                 int64_t expected_version);
  // Deletes an item whose stored version is `expected_version` (ABORTED otherwise).
  static absl::Status DeleteItem(sql::Connection& tx, const std::string& tenant,
                                 const std::string& body_id, const std::string& item_id,
                                 const std::string& name, int64_t expected_version);
  // The item and its stored version; NOT_FOUND naming `name` when absent.
  static absl::StatusOr<std::pair<v1::WorkProgrammeItem, int64_t>> GetItem(
      sql::Connection& conn, const std::string& tenant, const std::string& body_id,
      const std::string& item_id, const std::string& name);
  // A quarter of the body's programme (R-WP-02) and its stored version; an empty quarter and 0
  // when none is stored.
  static absl::StatusOr<std::pair<v1::WorkProgrammeQuarter, int64_t>> GetQuarter(
      sql::Connection& conn, const std::string& tenant, const std::string& body_id,
      const std::string& quarter_id);
  // Inserts (expected_version 0) or replaces a quarter stored at `expected_version` (ABORTED
  // otherwise).
  static absl::Status PutQuarter(sql::Connection& tx, const std::string& tenant,
                                 const std::string& body_id, const std::string& quarter_id,
                                 const v1::WorkProgrammeQuarter& quarter, int64_t expected_version);
  // The body's items matching `filter` in sort_key order, after `after_key` (exclusive).
  static absl::StatusOr<api::Page<v1::WorkProgrammeItem>> ListItems(
      sql::Connection& conn, const std::string& tenant, const std::string& body_id,
      const WorkProgrammeFilter& filter, const std::string& after_key, int limit);
};

}  // namespace moot::scheduling
