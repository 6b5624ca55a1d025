// Storage of petitions (R-PQ-06) for the scheduling service, over libs/sql (SQLite or
// PostgreSQL). Every query is scoped by tenant; rows keep the petition as a serialized proto
// beside the columns that queries filter and sort on.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/scheduling/v1/petitions.pb.h"

namespace moot::scheduling {

// The SQL store. Methods that take a Connection run inside the caller's transaction.
class PetitionStore {
 public:
  // Schema migrations, component "scheduling_petitions".
  static std::vector<sql::Migration> Migrations();

  // ALREADY_EXISTS naming the petition when its id is taken. `sort_key` orders the body's
  // petitions (receipt time, then id).
  static absl::Status InsertPetition(sql::Connection& tx, const std::string& tenant,
                                     const std::string& body_id, const std::string& petition_id,
                                     const std::string& sort_key, const v1::Petition& petition);
  // Replaces a petition stored at `expected_version` (ABORTED otherwise).
  static absl::Status UpdatePetition(sql::Connection& tx, const std::string& tenant,
                                     const std::string& body_id, const std::string& petition_id,
                                     const v1::Petition& petition, int64_t expected_version);
  // The petition and its stored version; NOT_FOUND naming `name` when absent.
  static absl::StatusOr<std::pair<v1::Petition, int64_t>> GetPetition(
      sql::Connection& conn, const std::string& tenant, const std::string& body_id,
      const std::string& petition_id, const std::string& name);
  // The body's petitions whose status is one of `statuses`, in receipt order, after `after_key`
  // (exclusive).
  static absl::StatusOr<api::Page<v1::Petition>> ListPetitions(
      sql::Connection& conn, const std::string& tenant, const std::string& body_id,
      const std::vector<int>& statuses, const std::string& after_key, int limit);
};

}  // namespace moot::scheduling
