#include "services/scheduling/people_store.h"

#include "absl/strings/str_cat.h"
#include "libs/api/proto_rows.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::scheduling {

std::vector<sql::Migration> PeopleStore::Migrations() {
  return {
      {.version = 1,
       .name = "people and memberships",
       .sql = "CREATE TABLE people ("
              " tenant_id TEXT NOT NULL,"
              " person_id TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, person_id));"
              "CREATE TABLE memberships ("
              " tenant_id TEXT NOT NULL,"
              " body_id TEXT NOT NULL,"
              " membership_id TEXT NOT NULL,"
              " person_id TEXT NOT NULL,"
              " start_date TEXT NOT NULL,"
              " end_date TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " PRIMARY KEY (tenant_id, body_id, membership_id));"
              "CREATE INDEX memberships_by_person ON memberships (tenant_id, body_id, person_id);"
              "CREATE INDEX memberships_by_start ON memberships (tenant_id, body_id, start_date);"},
      {.version = 2,
       .name = "membership versions (EndMembership)",
       .sql = "ALTER TABLE memberships ADD COLUMN version BIGINT NOT NULL DEFAULT 1;"},
      {.version = 3,
       .name = "person user_subject (a caller's person, body_access.h)",
       .sql = "ALTER TABLE people ADD COLUMN user_subject TEXT NOT NULL DEFAULT '';"
              "CREATE UNIQUE INDEX people_by_subject ON people (tenant_id, user_subject)"
              " WHERE user_subject <> '';"},
  };
}

absl::Status PeopleStore::InsertPerson(sql::Connection& tx, const std::string& tenant,
                                       const std::string& person_id, const v1::Person& person) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO people (tenant_id, person_id, data, version, user_subject)"
                 " VALUES ($1, $2, $3, 1, $4)",
                 {tenant, person_id, sql::Bytes{person.SerializeAsString()}, person.user_subject()})
          .status(),
      person.name());
}

absl::StatusOr<v1::Person> PeopleStore::GetPerson(sql::Connection& conn, const std::string& tenant,
                                                  const std::string& person_id,
                                                  const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM people WHERE tenant_id = $1 AND person_id = $2",
                   {tenant, person_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  return api::Decode<v1::Person>(result.rows[0], 0);
}

absl::StatusOr<std::pair<v1::Person, int64_t>> PeopleStore::GetPersonVersioned(
    sql::Connection& conn, const std::string& tenant, const std::string& person_id,
    const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data, version FROM people WHERE tenant_id = $1 AND person_id = $2",
                   {tenant, person_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(v1::Person person, api::Decode<v1::Person>(result.rows[0], 0));
  const int64_t version = result.rows[0].Int(1);
  person.set_etag(absl::StrCat(version));
  return std::make_pair(std::move(person), version);
}

absl::Status PeopleStore::UpdatePerson(sql::Connection& tx, const std::string& tenant,
                                       const std::string& person_id, const v1::Person& person,
                                       int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(sql::Result result,
                        tx.Execute("UPDATE people SET data = $1, version = $2, user_subject = $3"
                                   " WHERE tenant_id = $4 AND person_id = $5 AND version = $6",
                                   {sql::Bytes{person.SerializeAsString()}, expected_version + 1,
                                    person.user_subject(), tenant, person_id, expected_version}));
  if (result.rows_affected != 1) {
    return status::WithReason(
        absl::AbortedError(absl::StrCat(person.name(), " changed concurrently; retry")),
        "CONCURRENT_MODIFICATION");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> PeopleStore::PersonIdBySubject(
    sql::Connection& conn, const std::string& tenant, const std::string& user_subject) {
  if (user_subject.empty()) {
    return std::nullopt;
  }
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT person_id FROM people WHERE tenant_id = $1 AND user_subject = $2",
                   {tenant, user_subject}));
  if (result.rows.empty()) {
    return std::nullopt;
  }
  return result.rows[0].String(0);
}

absl::StatusOr<api::Page<v1::Person>> PeopleStore::ListPeople(sql::Connection& conn,
                                                              const std::string& tenant,
                                                              const std::string& after_key,
                                                              int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT person_id, data FROM people WHERE tenant_id = $1 AND person_id > $2"
                   " ORDER BY person_id LIMIT $3",
                   {tenant, after_key, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Person>(result, limit);
}

absl::Status PeopleStore::InsertMembership(sql::Connection& tx, const std::string& tenant,
                                           const std::string& body_id,
                                           const std::string& membership_id,
                                           const std::string& person_id,
                                           const v1::Membership& membership) {
  return api::NameAlreadyExists(
      tx.Execute("INSERT INTO memberships (tenant_id, body_id, membership_id, person_id,"
                 " start_date, end_date, data) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                 {tenant, body_id, membership_id, person_id, membership.start_date(),
                  membership.end_date(), sql::Bytes{membership.SerializeAsString()}})
          .status(),
      membership.name());
}

absl::StatusOr<std::pair<v1::Membership, int64_t>> PeopleStore::GetMembership(
    sql::Connection& conn, const std::string& tenant, const std::string& body_id,
    const std::string& membership_id, const std::string& name) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data, version FROM memberships WHERE tenant_id = $1 AND body_id = $2"
                   " AND membership_id = $3",
                   {tenant, body_id, membership_id}));
  if (result.rows.empty()) {
    return status::NotFound(name);
  }
  MOOT_ASSIGN_OR_RETURN(v1::Membership membership, api::Decode<v1::Membership>(result.rows[0], 0));
  const int64_t version = result.rows[0].Int(1);
  membership.set_etag(absl::StrCat(version));
  return std::make_pair(std::move(membership), version);
}

absl::Status PeopleStore::UpdateMembership(sql::Connection& tx, const std::string& tenant,
                                           const std::string& body_id,
                                           const std::string& membership_id,
                                           const v1::Membership& membership,
                                           int64_t expected_version) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      tx.Execute("UPDATE memberships SET start_date = $1, end_date = $2, data = $3, version = $4"
                 " WHERE tenant_id = $5 AND body_id = $6 AND membership_id = $7 AND version = $8",
                 {membership.start_date(), membership.end_date(),
                  sql::Bytes{membership.SerializeAsString()}, expected_version + 1, tenant, body_id,
                  membership_id, expected_version}));
  if (result.rows_affected != 1) {
    return status::WithReason(
        absl::AbortedError(absl::StrCat(membership.name(), " changed concurrently; retry")),
        "CONCURRENT_MODIFICATION");
  }
  return absl::OkStatus();
}

namespace {

absl::StatusOr<std::vector<v1::Membership>> DecodeAll(const sql::Result& result) {
  std::vector<v1::Membership> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    MOOT_ASSIGN_OR_RETURN(v1::Membership m, api::Decode<v1::Membership>(row, 0));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<v1::Membership>> PeopleStore::PersonMemberships(
    sql::Connection& conn, const std::string& tenant, const std::string& body_id,
    const std::string& person_id) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM memberships WHERE tenant_id = $1 AND body_id = $2 AND"
                   " person_id = $3 ORDER BY start_date, membership_id",
                   {tenant, body_id, person_id}));
  return DecodeAll(result);
}

absl::StatusOr<api::Page<v1::Membership>> PeopleStore::ListMemberships(sql::Connection& conn,
                                                                       const std::string& tenant,
                                                                       const std::string& body_id,
                                                                       const std::string& after_key,
                                                                       int limit) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT membership_id, data FROM memberships WHERE tenant_id = $1 AND"
                   " body_id = $2 AND membership_id > $3 ORDER BY membership_id LIMIT $4",
                   {tenant, body_id, after_key, static_cast<int64_t>(limit) + 1}));
  return api::ReadPage<v1::Membership>(result, limit);
}

absl::StatusOr<std::vector<v1::Membership>> PeopleStore::MembersAt(sql::Connection& conn,
                                                                   const std::string& tenant,
                                                                   const std::string& body_id,
                                                                   const std::string& date) {
  MOOT_ASSIGN_OR_RETURN(
      sql::Result result,
      conn.Execute("SELECT data FROM memberships WHERE tenant_id = $1 AND body_id = $2 AND"
                   " start_date <= $3 AND (end_date = '' OR end_date >= $4)"
                   " ORDER BY person_id, membership_id",
                   {tenant, body_id, date, date}));
  return DecodeAll(result);
}

}  // namespace moot::scheduling
