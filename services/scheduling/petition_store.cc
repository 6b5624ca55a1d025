#include "services/scheduling/petition_store.h"

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::scheduling {

std::vector<sql::Migration> PetitionStore::Migrations() {
  return {
      {.version = 1,
       .name = "petitions",
       .sql = "CREATE TABLE petitions ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " petition_id TEXT NOT NULL,"
              " sort_key TEXT NOT NULL,"
              " status BIGINT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, petition_id));"
              "CREATE INDEX petitions_by_sort ON petitions (tenant_id, body_id, sort_key);"},
  };
}

absl::Status PetitionStore::InsertPetition(sql::Connection& tx, const std::string& tenant,
                                           const std::string& body_id,
                                           const std::string& petition_id,
                                           const std::string& sort_key,
                                           const v1::Petition& petition) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO petitions (tenant_id, body_id, petition_id, sort_key, status, data,"
                 " version) VALUES ($1, $2, $3, $4, $5, $6, 1)",
                 {tenant, body_id, petition_id, sort_key, static_cast<int64_t>(petition.status()),
                  sql::Bytes{petition.SerializeAsString()}})
          .status(),
      petition.name());
}

absl::Status PetitionStore::UpdatePetition(sql::Connection& tx, const std::string& tenant,
                                           const std::string& body_id,
                                           const std::string& petition_id,
                                           const v1::Petition& petition, int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute(
          "UPDATE petitions SET status = $4, data = $5, version = $6 WHERE tenant_id = $1"
          " AND body_id = $2 AND petition_id = $3 AND version = $7",
          {tenant, body_id, petition_id, static_cast<int64_t>(petition.status()),
           sql::Bytes{petition.SerializeAsString()}, expected_version + 1, expected_version}));
  if (result.rows_affected != 1) {
    return absl::AbortedError(absl::StrCat(petition.name(), " changed concurrently; retry"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::pair<v1::Petition, int64_t>> PetitionStore::GetPetition(
    sql::Connection& conn, const std::string& tenant, const std::string& body_id,
    const std::string& petition_id, const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        conn.Execute("SELECT data, version FROM petitions WHERE tenant_id = $1 AND"
                                     " body_id = $2 AND petition_id = $3",
                                     {tenant, body_id, petition_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(v1::Petition petition, api::Decode<v1::Petition>(result.rows[0], 0));
  return std::make_pair(std::move(petition), result.rows[0].Int(1));
}

absl::StatusOr<api::Page<v1::Petition>> PetitionStore::ListPetitions(
    sql::Connection& conn, const std::string& tenant, const std::string& body_id,
    const std::vector<int>& statuses, const std::string& after_key, int limit) {
  sql::Params params = {tenant, body_id, after_key};
  std::string query =
      "SELECT sort_key, data FROM petitions WHERE tenant_id = $1 AND body_id = $2 AND"
      " sort_key > $3 AND status IN (";
  for (size_t i = 0; i < statuses.size(); ++i) {
    params.push_back(static_cast<int64_t>(statuses[i]));
    absl::StrAppend(&query, i == 0 ? "" : ", ", "$", params.size());
  }
  absl::StrAppend(&query, statuses.empty() ? "NULL)" : ")");
  params.push_back(static_cast<int64_t>(limit) + 1);
  absl::StrAppend(&query, " ORDER BY sort_key LIMIT $", params.size());
  MOOT_ASSIGN_OR_RETURN(sql::Result result, conn.Execute(query, params));
  return api::ReadPage<v1::Petition>(result, limit);
}

}  // namespace moot::scheduling
