#include "services/budget/precept_store.h"

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
  };
}

absl::Status PreceptStore::Insert(sql::Connection& tx, const std::string& tenant,
                                  const std::string& precept_id, const v1::Precept& precept) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO precepts (tenant_id, precept_id, data) VALUES ($1, $2, $3)",
                 {tenant, precept_id, sql::Bytes{precept.SerializeAsString()}})
          .status(),
      precept.name());
}

absl::StatusOr<v1::Precept> PreceptStore::Get(sql::Connection& conn, const std::string& tenant,
                                              const std::string& precept_id,
                                              const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM precepts WHERE tenant_id = $1 AND precept_id = $2",
                   {tenant, precept_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return api::Decode<v1::Precept>(result.rows[0], 0);
}

absl::StatusOr<api::Page<v1::Precept>> PreceptStore::List(sql::Connection& conn,
                                                          const std::string& tenant,
                                                          const std::string& after_key, int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT precept_id, data FROM precepts WHERE tenant_id = $1"
                   " AND (CAST($2 AS TEXT) = '' OR precept_id < $3)"
                   " ORDER BY precept_id DESC LIMIT $4",
                   {tenant, after_key, after_key, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Precept>(result, limit);
}

}  // namespace moot::budget
