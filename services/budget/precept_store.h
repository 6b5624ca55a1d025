// Storage of precept years for the budget service, over libs/sql (SQLite or PostgreSQL). Every
// query is scoped by tenant; each row keeps the Precept as a serialized proto.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/budget/v1/budget.pb.h"

namespace moot::budget {

// Methods that take a Connection run inside the caller's transaction.
class PreceptStore {
 public:
  // Schema migrations, component "budget".
  static std::vector<sql::Migration> Migrations();

  // ALREADY_EXISTS naming the precept when the year exists in the tenant.
  static absl::Status Insert(sql::Connection& tx, const std::string& tenant,
                             const std::string& precept_id, const v1::Precept& precept);
  // NOT_FOUND naming `name` when absent.
  static absl::StatusOr<v1::Precept> Get(sql::Connection& conn, const std::string& tenant,
                                         const std::string& precept_id, const std::string& name);
  // Years newest first, strictly before `after_key` (the last year of the previous page; empty
  // for the first page).
  static absl::StatusOr<api::Page<v1::Precept>> List(sql::Connection& conn,
                                                     const std::string& tenant,
                                                     const std::string& after_key, int limit);
};

}  // namespace moot::budget
