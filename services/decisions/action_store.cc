#include "services/decisions/action_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::decisions {
namespace {

std::string SortKey(const v1::Action& action, const std::string& action_id) {
  return absl::StrFormat("%012d|%03d|%s|%s", action.minute_number(), action.clause_no(),
                         action.sub_clause(), action_id);
}

}  // namespace

std::vector<sql::Migration> ActionStore::Migrations() {
  return {
      {.version = 1,
       .name = "actions",
       .sql = "CREATE TABLE actions ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " action_id TEXT NOT NULL,"
              " sort_key TEXT NOT NULL,"
              " status BIGINT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, action_id));"
              "CREATE INDEX actions_by_ref ON actions (tenant_id, body_id, sort_key);"},
  };
}

absl::Status ActionStore::Insert(sql::Connection& tx, const std::string& tenant,
                                 const std::string& body, const std::string& action_id,
                                 const v1::Action& action) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO actions (tenant_id, body_id, action_id, sort_key, status, data,"
                 " version) VALUES ($1, $2, $3, $4, $5, $6, 1)",
                 {tenant, body, action_id, SortKey(action, action_id),
                  static_cast<int64_t>(action.status()), sql::Bytes{action.SerializeAsString()}})
          .status(),
      action.name());
}

absl::StatusOr<bool> ActionStore::Exists(sql::Connection& conn, const std::string& tenant,
                                         const std::string& body, const std::string& action_id) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT 1 FROM actions WHERE tenant_id = $1 AND body_id = $2"
                                     " AND action_id = $3",
                                     {tenant, body, action_id}));
  return !result.rows.empty();
}

absl::StatusOr<std::pair<v1::Action, int64_t>> ActionStore::Get(sql::Connection& conn,
                                                                const std::string& tenant,
                                                                const std::string& body,
                                                                const std::string& action_id,
                                                                const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT data, version FROM actions WHERE tenant_id = $1 AND"
                                     " body_id = $2 AND action_id = $3",
                                     {tenant, body, action_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(v1::Action action, api::Decode<v1::Action>(result.rows[0], 0));
  return std::make_pair(std::move(action), result.rows[0].Int(1));
}

absl::Status ActionStore::Update(sql::Connection& tx, const std::string& tenant,
                                 const std::string& body, const std::string& action_id,
                                 const v1::Action& action, int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("UPDATE actions SET status = $1, data = $2, version = $3 WHERE tenant_id = $4"
                 " AND body_id = $5 AND action_id = $6 AND version = $7",
                 {static_cast<int64_t>(action.status()), sql::Bytes{action.SerializeAsString()},
                  expected_version + 1, tenant, body, action_id, expected_version}));
  if (result.rows_affected != 1) {
    return status::WithReason(
        absl::AbortedError(absl::StrCat(action.name(), " changed concurrently; retry")),
        "CONCURRENT_MODIFICATION");
  }
  return absl::OkStatus();
}

absl::StatusOr<api::Page<v1::Action>> ActionStore::List(sql::Connection& conn,
                                                        const std::string& tenant,
                                                        const std::string& body,
                                                        v1::ActionStatus status,
                                                        const std::string& after_key, int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT sort_key, data FROM actions WHERE tenant_id = $1 AND body_id = $2"
                   " AND sort_key > $3 AND ($4 = 0 OR status = $5) ORDER BY sort_key LIMIT $6",
                   {tenant, body, after_key, static_cast<int64_t>(status),
                    static_cast<int64_t>(status), static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Action>(result, limit);
}

}  // namespace moot::decisions
