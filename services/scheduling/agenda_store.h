// Storage of agenda items and published agenda versions for the scheduling service, over
// libs/sql (SQLite or PostgreSQL). Every query is scoped by tenant; rows keep the item or version
// as a serialized proto beside the columns that queries filter and sort on (as SchedulingStore
// does).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/scheduling/v1/agenda.pb.h"

namespace moot::scheduling {

// The meeting an agenda belongs to, as the store's key columns.
struct AgendaKey {
  std::string tenant;
  std::string body_id;
  std::string meeting_id;
};

// The SQL store. Methods that take a Connection run inside the caller's transaction.
class AgendaStore {
 public:
  // Schema migrations, component "scheduling_agenda".
  static std::vector<sql::Migration> Migrations();

  // Keyset cursor of an item or version number: zero-padded, so that text order is number
  // order.
  static std::string NumberKey(int32_t number);

  // ALREADY_EXISTS naming the item when its number is taken in the meeting. The item's etag is
  // its stored version ("1" on insert).
  static absl::Status InsertItem(sql::Connection& tx, const AgendaKey& meeting,
                                 const v1::AgendaItem& item);
  // Replaces the item of the same number whose stored version is `expected_version` (ABORTED,
  // reason CONCURRENT_MODIFICATION, otherwise); the item's etag must be expected_version + 1.
  static absl::Status UpdateItem(sql::Connection& tx, const AgendaKey& meeting,
                                 const v1::AgendaItem& item, int64_t expected_version);
  // Removes one item; NOT_FOUND naming `name` when absent.
  static absl::Status DeleteItem(sql::Connection& tx, const AgendaKey& meeting, int32_t number,
                                 const std::string& name);
  // Replaces every item of the meeting by `items` (renumbering).
  static absl::Status ReplaceItems(sql::Connection& tx, const AgendaKey& meeting,
                                   const std::vector<v1::AgendaItem>& items);
  // NOT_FOUND naming `name` when absent.
  static absl::StatusOr<v1::AgendaItem> GetItem(sql::Connection& conn, const AgendaKey& meeting,
                                                int32_t number, const std::string& name);
  // The same, with the meeting's key columns spelled out (AttendanceLogic's form).
  static absl::StatusOr<v1::AgendaItem> GetItem(sql::Connection& conn, const std::string& tenant,
                                                const std::string& body_id,
                                                const std::string& meeting_id, int32_t number,
                                                const std::string& name) {
    return GetItem(conn, AgendaKey{tenant, body_id, meeting_id}, number, name);
  }
  // The meeting's items ordered by number, after `after_key` (exclusive; a key of a previous
  // page).
  static absl::StatusOr<api::Page<v1::AgendaItem>> ListItems(sql::Connection& conn,
                                                             const AgendaKey& meeting,
                                                             const std::string& after_key,
                                                             int limit);
  // Every item of the meeting in number order (at most 999 by validation).
  static absl::StatusOr<std::vector<v1::AgendaItem>> AllItems(sql::Connection& conn,
                                                              const AgendaKey& meeting);

  // ALREADY_EXISTS naming the version when its number is taken.
  static absl::Status InsertVersion(sql::Connection& tx, const AgendaKey& meeting,
                                    const v1::AgendaVersion& version);
  // NOT_FOUND naming `name` when absent.
  static absl::StatusOr<v1::AgendaVersion> GetVersion(sql::Connection& conn,
                                                      const AgendaKey& meeting, int32_t version,
                                                      const std::string& name);
  // The highest version, or nullopt before the first publication.
  static absl::StatusOr<std::optional<v1::AgendaVersion>> LatestVersion(sql::Connection& conn,
                                                                        const AgendaKey& meeting);
  // Versions in version order after `after_key`.
  static absl::StatusOr<api::Page<v1::AgendaVersion>> ListVersions(sql::Connection& conn,
                                                                   const AgendaKey& meeting,
                                                                   const std::string& after_key,
                                                                   int limit);
};

}  // namespace moot::scheduling
