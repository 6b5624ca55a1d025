// Storage of precept years, their scenarios and medium-term plans for the budget service, over
// libs/sql (SQLite or PostgreSQL). Every query is scoped by tenant; each row keeps the resource
// as a serialized proto, with a version for optimistic concurrency where it is updated.
#pragma once

#include <string>
#include <utility>
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
  // The precept and its version.
  static absl::StatusOr<std::pair<v1::Precept, int64_t>> GetVersioned(sql::Connection& conn,
                                                                      const std::string& tenant,
                                                                      const std::string& precept_id,
                                                                      const std::string& name);
  // Replaces the precept if its version is still `expected_version` (ABORTED
  // CONCURRENT_MODIFICATION otherwise); the new version is expected_version + 1.
  static absl::Status Update(sql::Connection& tx, const std::string& tenant,
                             const std::string& precept_id, const v1::Precept& precept,
                             int64_t expected_version);
  // Years newest first, strictly before `after_key` (the last year of the previous page; empty
  // for the first page); only published ones when `published_only`.
  static absl::StatusOr<api::Page<v1::Precept>> List(sql::Connection& conn,
                                                     const std::string& tenant,
                                                     const std::string& after_key, int limit,
                                                     bool published_only = false);

  // Scenarios of a precept year.
  static absl::Status InsertScenario(sql::Connection& tx, const std::string& tenant,
                                     const std::string& precept_id, const std::string& scenario_id,
                                     const v1::Scenario& scenario);
  static absl::StatusOr<v1::Scenario> GetScenario(sql::Connection& conn, const std::string& tenant,
                                                  const std::string& precept_id,
                                                  const std::string& scenario_id,
                                                  const std::string& name);
  // In id order, after `after_key`.
  static absl::StatusOr<api::Page<v1::Scenario>> ListScenarios(sql::Connection& conn,
                                                               const std::string& tenant,
                                                               const std::string& precept_id,
                                                               const std::string& after_key,
                                                               int limit);

  // Medium-term financial plans.
  static absl::Status InsertPlan(sql::Connection& tx, const std::string& tenant,
                                 const std::string& plan_id, const v1::Plan& plan);
  static absl::StatusOr<v1::Plan> GetPlan(sql::Connection& conn, const std::string& tenant,
                                          const std::string& plan_id, const std::string& name);
  static absl::StatusOr<api::Page<v1::Plan>> ListPlans(sql::Connection& conn,
                                                       const std::string& tenant,
                                                       const std::string& after_key, int limit);
};

}  // namespace moot::budget
