#include "services/budget/precept_store.h"

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::budget {

std::vector<sql::Migration> PreceptStore::Migrations() {
  return {
      {.version = 1,
       .name = "precepts",
       .sql = "CREATE TABLE precepts ("
              " tenant_id TEXT NOT NULL,"
              " precept_id TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, precept_id));"},
      {.version = 2,
       .name = "precepts_version",
       .sql = "ALTER TABLE precepts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;"},
      {.version = 3,
       .name = "precepts_published",
       .sql = "ALTER TABLE precepts ADD COLUMN published BIGINT NOT NULL DEFAULT 0;"},
      {.version = 4,
       .name = "scenarios",
       .sql = "CREATE TABLE scenarios ("
              " tenant_id TEXT NOT NULL,"
              " precept_id TEXT NOT NULL,"
              " scenario_id TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, precept_id, scenario_id));"},
      {.version = 5,
       .name = "plans",
       .sql = "CREATE TABLE plans ("
              " tenant_id TEXT NOT NULL,"
              " plan_id TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, plan_id));"},
  };
}

absl::Status PreceptStore::Insert(sql::Connection& tx, const std::string& tenant,
                                  const std::string& precept_id, const v1::Precept& precept) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO precepts (tenant_id, precept_id, data, version, published)"
                 " VALUES ($1, $2, $3, 1, $4)",
                 {tenant, precept_id, sql::Bytes{precept.SerializeAsString()},
                  static_cast<int64_t>(precept.published() ? 1 : 0)})
          .status(),
      precept.name());
}

absl::StatusOr<v1::Precept> PreceptStore::Get(sql::Connection& conn, const std::string& tenant,
                                              const std::string& precept_id,
                                              const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(auto found, GetVersioned(conn, tenant, precept_id, name));
  return std::move(found.first);
}

absl::StatusOr<std::pair<v1::Precept, int64_t>> PreceptStore::GetVersioned(
    sql::Connection& conn, const std::string& tenant, const std::string& precept_id,
    const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data, version FROM precepts WHERE tenant_id = $1 AND precept_id = $2",
                   {tenant, precept_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(auto precept, api::Decode<v1::Precept>(result.rows[0], 0));
  return std::make_pair(std::move(precept), result.rows[0].Int(1));
}

absl::Status PreceptStore::Update(sql::Connection& tx, const std::string& tenant,
                                  const std::string& precept_id, const v1::Precept& precept,
                                  int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        tx.Execute("UPDATE precepts SET data = $1, version = $2, published = $3"
                                   " WHERE tenant_id = $4 AND precept_id = $5 AND version = $6",
                                   {sql::Bytes{precept.SerializeAsString()}, expected_version + 1,
                                    static_cast<int64_t>(precept.published() ? 1 : 0), tenant,
                                    precept_id, expected_version}));
  if (result.rows_affected != 1) {
    return status::WithReason(
        absl::AbortedError(absl::StrCat(precept.name(), " changed concurrently; retry")),
        "CONCURRENT_MODIFICATION");
  }
  return absl::OkStatus();
}

absl::StatusOr<api::Page<v1::Precept>> PreceptStore::List(sql::Connection& conn,
                                                          const std::string& tenant,
                                                          const std::string& after_key, int limit,
                                                          bool published_only) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT precept_id, data FROM precepts WHERE tenant_id = $1"
                   " AND (CAST($2 AS TEXT) = '' OR precept_id < $3)"
                   " AND (published = 1 OR $4 = 0)"
                   " ORDER BY precept_id DESC LIMIT $5",
                   {tenant, after_key, after_key, static_cast<int64_t>(published_only ? 1 : 0),
                    static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Precept>(result, limit);
}

absl::Status PreceptStore::InsertScenario(sql::Connection& tx, const std::string& tenant,
                                          const std::string& precept_id,
                                          const std::string& scenario_id,
                                          const v1::Scenario& scenario) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO scenarios (tenant_id, precept_id, scenario_id, data)"
                 " VALUES ($1, $2, $3, $4)",
                 {tenant, precept_id, scenario_id, sql::Bytes{scenario.SerializeAsString()}})
          .status(),
      scenario.name());
}

absl::StatusOr<v1::Scenario> PreceptStore::GetScenario(sql::Connection& conn,
                                                       const std::string& tenant,
                                                       const std::string& precept_id,
                                                       const std::string& scenario_id,
                                                       const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT data FROM scenarios WHERE tenant_id = $1 AND"
                                     " precept_id = $2 AND scenario_id = $3",
                                     {tenant, precept_id, scenario_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return api::Decode<v1::Scenario>(result.rows[0], 0);
}

absl::StatusOr<api::Page<v1::Scenario>> PreceptStore::ListScenarios(sql::Connection& conn,
                                                                    const std::string& tenant,
                                                                    const std::string& precept_id,
                                                                    const std::string& after_key,
                                                                    int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT scenario_id, data FROM scenarios WHERE tenant_id = $1"
                   " AND precept_id = $2 AND (CAST($3 AS TEXT) = '' OR scenario_id > $4)"
                   " ORDER BY scenario_id LIMIT $5",
                   {tenant, precept_id, after_key, after_key, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Scenario>(result, limit);
}

absl::Status PreceptStore::InsertPlan(sql::Connection& tx, const std::string& tenant,
                                      const std::string& plan_id, const v1::Plan& plan) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO plans (tenant_id, plan_id, data) VALUES ($1, $2, $3)",
                 {tenant, plan_id, sql::Bytes{plan.SerializeAsString()}})
          .status(),
      plan.name());
}

absl::StatusOr<v1::Plan> PreceptStore::GetPlan(sql::Connection& conn, const std::string& tenant,
                                               const std::string& plan_id,
                                               const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT data FROM plans WHERE tenant_id = $1 AND plan_id = $2",
                                     {tenant, plan_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return api::Decode<v1::Plan>(result.rows[0], 0);
}

absl::StatusOr<api::Page<v1::Plan>> PreceptStore::ListPlans(sql::Connection& conn,
                                                            const std::string& tenant,
                                                            const std::string& after_key,
                                                            int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT plan_id, data FROM plans WHERE tenant_id = $1"
                   " AND (CAST($2 AS TEXT) = '' OR plan_id > $3) ORDER BY plan_id LIMIT $4",
                   {tenant, after_key, after_key, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Plan>(result, limit);
}

}  // namespace moot::budget
