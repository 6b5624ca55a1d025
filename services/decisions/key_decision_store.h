// Storage of the PCC's key decisions for the decisions service, over libs/sql (SQLite or
// PostgreSQL). Every query is scoped by tenant; each row keeps the KeyDecision as a serialized
// proto beside its sort key.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/decisions/v1/decisions.pb.h"

namespace moot::decisions {

// Methods that take a Connection run inside the caller's transaction.
class KeyDecisionStore {
 public:
  // Schema migrations, component "decisions".
  static std::vector<sql::Migration> Migrations();

  // ALREADY_EXISTS naming the decision when its id, or its normalised reference, is taken in
  // the tenant.
  static absl::Status Insert(sql::Connection& tx, const std::string& tenant,
                             const std::string& decision_id, const v1::KeyDecision& decision);
  // NOT_FOUND naming `name` when absent.
  static absl::StatusOr<v1::KeyDecision> Get(sql::Connection& conn, const std::string& tenant,
                                             const std::string& decision_id,
                                             const std::string& name);
  // Newest decision date first (then id, descending), strictly after `after_key` in that order
  // (empty for the first page).
  // `normalized` non-empty keeps only the decision with that normalised reference,
  // `precept_year` non-empty only the budget-and-precept decision of that year (R-KD-08).
  static absl::StatusOr<api::Page<v1::KeyDecision>> List(sql::Connection& conn,
                                                         const std::string& tenant,
                                                         const std::string& after_key, int limit,
                                                         const std::string& normalized = "",
                                                         const std::string& precept_year = "");
  // Replaces the stored decision and its precept year (R-KD-08).
  static absl::Status UpdatePreceptYear(sql::Connection& tx, const std::string& tenant,
                                        const std::string& decision_id,
                                        const v1::KeyDecision& decision);
  // The id of the tenant's budget-and-precept decision of `precept_year`; "" when none.
  static absl::StatusOr<std::string> FindPreceptDecision(sql::Connection& conn,
                                                         const std::string& tenant,
                                                         const std::string& precept_year);
};

}  // namespace moot::decisions
