// Storage of people and their memberships of bodies for the scheduling service, over libs/sql
// (SQLite or PostgreSQL). Every query is scoped by tenant; rows keep the resource as a serialized
// proto beside the columns that queries filter and sort on (as SchedulingStore does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/proto_rows.h"
#include "libs/sql/database.h"
#include "moot/scheduling/v1/people.pb.h"

namespace moot::scheduling {

// The SQL store. Methods that take a Connection run inside the caller's transaction.
class PeopleStore {
 public:
  // Schema migrations, component "scheduling_people".
  static std::vector<sql::Migration> Migrations();

  // ALREADY_EXISTS naming the person when the id is taken in the tenant.
  static absl::Status InsertPerson(sql::Connection& tx, const std::string& tenant,
                                   const std::string& person_id, const v1::Person& person);
  // NOT_FOUND naming `name` when absent.
  static absl::StatusOr<v1::Person> GetPerson(sql::Connection& conn, const std::string& tenant,
                                              const std::string& person_id,
                                              const std::string& name);
  // The person and its stored version (also set as its etag); NOT_FOUND naming `name`.
  static absl::StatusOr<std::pair<v1::Person, int64_t>> GetPersonVersioned(
      sql::Connection& conn, const std::string& tenant, const std::string& person_id,
      const std::string& name);
  // Replaces a person whose stored version is `expected_version` (ABORTED reason
  // CONCURRENT_MODIFICATION otherwise); the new version is expected_version + 1.
  static absl::Status UpdatePerson(sql::Connection& tx, const std::string& tenant,
                                   const std::string& person_id, const v1::Person& person,
                                   int64_t expected_version);
  // The id of the person whose user_subject is `user_subject` in the tenant; nullopt when no
  // person is linked to it (or it is empty).
  static absl::StatusOr<std::optional<std::string>> PersonIdBySubject(
      sql::Connection& conn, const std::string& tenant, const std::string& user_subject);
  // People ordered by id, after `after_key` (exclusive).
  static absl::StatusOr<api::Page<v1::Person>> ListPeople(sql::Connection& conn,
                                                          const std::string& tenant,
                                                          const std::string& after_key, int limit);

  // ALREADY_EXISTS naming the membership when the id is taken in the body. `person_id` is the
  // person's id segment; the dates are the membership's ("" end date = open-ended).
  static absl::Status InsertMembership(sql::Connection& tx, const std::string& tenant,
                                       const std::string& body_id, const std::string& membership_id,
                                       const std::string& person_id,
                                       const v1::Membership& membership);
  // The membership and its stored version (also set as its etag); NOT_FOUND naming `name`.
  static absl::StatusOr<std::pair<v1::Membership, int64_t>> GetMembership(
      sql::Connection& conn, const std::string& tenant, const std::string& body_id,
      const std::string& membership_id, const std::string& name);
  // Replaces a membership whose stored version is `expected_version` (ABORTED reason
  // CONCURRENT_MODIFICATION otherwise); the new version is expected_version + 1.
  static absl::Status UpdateMembership(sql::Connection& tx, const std::string& tenant,
                                       const std::string& body_id, const std::string& membership_id,
                                       const v1::Membership& membership, int64_t expected_version);
  // Every membership of `person_id` on the body (any period).
  static absl::StatusOr<std::vector<v1::Membership>> PersonMemberships(
      sql::Connection& conn, const std::string& tenant, const std::string& body_id,
      const std::string& person_id);
  // The body's memberships ordered by id, after `after_key` (exclusive).
  static absl::StatusOr<api::Page<v1::Membership>> ListMemberships(sql::Connection& conn,
                                                                   const std::string& tenant,
                                                                   const std::string& body_id,
                                                                   const std::string& after_key,
                                                                   int limit);
  // The body's memberships in force on `date` ("YYYY-MM-DD"): start_date <= date and (no end
  // date or date <= end_date), ordered by person then id.
  static absl::StatusOr<std::vector<v1::Membership>> MembersAt(sql::Connection& conn,
                                                               const std::string& tenant,
                                                               const std::string& body_id,
                                                               const std::string& date);
};

}  // namespace moot::scheduling
