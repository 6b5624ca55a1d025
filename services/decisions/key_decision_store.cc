#include "services/decisions/key_decision_store.h"

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::decisions {

std::vector<sql::Migration> KeyDecisionStore::Migrations() {
  return {
      {.version = 1,
       .name = "key decisions",
       .sql = "CREATE TABLE key_decisions ("
              " tenant_id TEXT NOT NULL,"
              " decision_id TEXT NOT NULL,"
              " sort_key TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, decision_id));"
              "CREATE INDEX key_decisions_by_date ON key_decisions (tenant_id, sort_key);"},
      {.version = 2,
       .name = "normalised references (unique per tenant)",
       .sql = "ALTER TABLE key_decisions ADD COLUMN normalized TEXT NOT NULL DEFAULT '';"
              "CREATE UNIQUE INDEX key_decisions_by_reference ON key_decisions"
              " (tenant_id, normalized) WHERE normalized <> '';"},
      {.version = 3,
       .name = "manual key decision selections per meeting",
       .sql = "CREATE TABLE key_decision_selections ("
              " tenant_id TEXT NOT NULL,"
              " meeting TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, meeting));"},
      {.version = 4,
       .name = "budget-and-precept decisions by precept year (R-KD-08)",
       .sql = "ALTER TABLE key_decisions ADD COLUMN precept_year TEXT NOT NULL DEFAULT '';"
              "CREATE UNIQUE INDEX key_decisions_by_precept_year ON key_decisions"
              " (tenant_id, precept_year) WHERE precept_year <> '';"},
  };
}

absl::Status KeyDecisionStore::Insert(sql::Connection& tx, const std::string& tenant,
                                      const std::string& decision_id,
                                      const v1::KeyDecision& decision) {
  // "YYYY-MM-DD|id": text order is date order, and ids are unique within the tenant.
  const std::string sort_key = absl::StrCat(decision.decision_date(), "|", decision_id);
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO key_decisions (tenant_id, decision_id, sort_key, normalized,"
                 " precept_year, data) VALUES ($1, $2, $3, $4, $5, $6)",
                 {tenant, decision_id, sort_key, decision.normalized_reference(),
                  decision.precept_year(), sql::Bytes{decision.SerializeAsString()}})
          .status(),
      decision.name());
}

absl::StatusOr<v1::KeyDecision> KeyDecisionStore::Get(sql::Connection& conn,
                                                      const std::string& tenant,
                                                      const std::string& decision_id,
                                                      const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM key_decisions WHERE tenant_id = $1 AND decision_id = $2",
                   {tenant, decision_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return api::Decode<v1::KeyDecision>(result.rows[0], 0);
}

absl::StatusOr<api::Page<v1::KeyDecision>> KeyDecisionStore::List(
    sql::Connection& conn, const std::string& tenant, const std::string& after_key, int limit,
    const std::string& normalized, const std::string& precept_year) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT sort_key, data FROM key_decisions WHERE tenant_id = $1"
                   " AND (CAST($2 AS TEXT) = '' OR sort_key < $3)"
                   " AND (CAST($4 AS TEXT) = '' OR normalized = $5)"
                   " AND (CAST($6 AS TEXT) = '' OR precept_year = $7)"
                   " ORDER BY sort_key DESC LIMIT $8",
                   {tenant, after_key, after_key, normalized, normalized, precept_year,
                    precept_year, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::KeyDecision>(result, limit);
}

absl::Status KeyDecisionStore::UpdatePreceptYear(sql::Connection& tx, const std::string& tenant,
                                                 const std::string& decision_id,
                                                 const v1::KeyDecision& decision) {
  return api::NameAlreadyExists(
      tx.Execute("UPDATE key_decisions SET precept_year = $1, data = $2 WHERE tenant_id = $3 AND"
                 " decision_id = $4",
                 {decision.precept_year(), sql::Bytes{decision.SerializeAsString()}, tenant,
                  decision_id})
          .status(),
      decision.name());
}

absl::StatusOr<std::string> KeyDecisionStore::FindPreceptDecision(sql::Connection& conn,
                                                                  const std::string& tenant,
                                                                  const std::string& precept_year) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT decision_id FROM key_decisions WHERE tenant_id = $1"
                                     " AND precept_year = $2",
                                     {tenant, precept_year}));
  return result.rows.empty() ? std::string() : result.rows[0].String(0);
}

}  // namespace moot::decisions
