// The rules of people and memberships (who sits on which body, and when), independent of gRPC:
// validation, access, state changes and the events they emit. people_service.cc only converts.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/scheduling/v1/people.pb.h"

namespace moot::scheduling {

// True when `date` is a real civil date written "YYYY-MM-DD" (e.g. not "2023-02-30").
bool IsCivilDate(absl::string_view date);

class PeopleLogic {
 public:
  // None are owned; all must outlive the logic.
  PeopleLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
              ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // Applies the schema migrations (scheduling_people, request log, outbox). The bodies the
  // memberships name live in SchedulingLogic's tables, which must be migrated too.
  absl::Status Migrate();

  // People. Create: OFFICER or TENANT_ADMIN, emits `person.created` (public). Get/List: anyone,
  // including anonymous callers (panel membership is public information).
  absl::StatusOr<v1::Person> CreatePerson(const auth::Principal& principal,
                                          const v1::CreatePersonRequest& request);
  absl::StatusOr<v1::Person> GetPerson(const auth::Principal& principal,
                                       const v1::GetPersonRequest& request);
  absl::StatusOr<v1::ListPeopleResponse> ListPeople(const auth::Principal& principal,
                                                    const v1::ListPeopleRequest& request);
  // Links a person to an account (user_subject; empty unlinks): OFFICER or TENANT_ADMIN;
  // INVALID_ARGUMENT user_subject when malformed; FAILED_PRECONDITION USER_SUBJECT_TAKEN when
  // another person of the tenant has it, ETAG_MISMATCH for a stale etag. Emits
  // `person.user_subject_set` (private: the subject is shown to officers and tenant admins only).
  absl::StatusOr<v1::Person> SetPersonUserSubject(const auth::Principal& principal,
                                                  const v1::SetPersonUserSubjectRequest& request);

  // Memberships. Create: OFFICER or TENANT_ADMIN; the body and the person must exist; a
  // person's memberships of one body may not overlap (INVALID_ARGUMENT, field
  // membership.start_date, reason MEMBERSHIP_OVERLAP). Emits `membership.created` (public).
  absl::StatusOr<v1::Membership> CreateMembership(const auth::Principal& principal,
                                                  const v1::CreateMembershipRequest& request);
  // Ends an open membership (OFFICER or TENANT_ADMIN): INVALID_ARGUMENT end_date when it is not
  // a date on or after the start; FAILED_PRECONDITION MEMBERSHIP_ALREADY_ENDED when it already
  // has an end date (history is never overwritten); FAILED_PRECONDITION ETAG_MISMATCH for a stale
  // etag. Emits `membership.ended` (public).
  absl::StatusOr<v1::Membership> EndMembership(const auth::Principal& principal,
                                               const v1::EndMembershipRequest& request);
  // Every membership of a body, past and present. Anyone.
  absl::StatusOr<v1::ListMembershipsResponse> ListMemberships(
      const auth::Principal& principal, const v1::ListMembershipsRequest& request);
  // The members of a body on a date. Anyone. NOT_FOUND when the body does not exist.
  absl::StatusOr<v1::ListMembersAtResponse> ListMembersAt(const auth::Principal& principal,
                                                          const v1::ListMembersAtRequest& request);

 private:
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::scheduling
