// Petitions from the public to a body (R-PQ-06; the product decision is in
// docs/development.md "Petitions"), independent of gRPC: validation, who sees what, the status
// changes and their events. petition_service.cc only converts.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/scheduling/v1/petitions.pb.h"

namespace moot::scheduling {

// Who is looking at a petition.
enum class PetitionAudience {
  kPublic,   // Anonymous callers and other roles: ACCEPTED and RESPONDED, public fields only.
  kMember,   // Members of the tenant: every petition, without contact details.
  kOfficer,  // Officers of the tenant: everything.
};

// The petition as `audience` may see it (the public view is built from an allow-list).
v1::Petition PetitionView(const v1::Petition& petition, PetitionAudience audience);

class PetitionLogic {
 public:
  // None are owned; all must outlive the logic.
  PetitionLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // Applies the schema migrations (scheduling_petitions, request log, outbox). Bodies live in
  // SchedulingLogic's tables, which must be migrated too.
  absl::Status Migrate();

  // Anyone, anonymous included.
  absl::StatusOr<v1::Petition> SubmitPetition(const auth::Principal& principal,
                                              const v1::SubmitPetitionRequest& request);
  absl::StatusOr<v1::Petition> GetPetition(const auth::Principal& principal,
                                           const v1::GetPetitionRequest& request);
  absl::StatusOr<v1::ListPetitionsResponse> ListPetitions(const auth::Principal& principal,
                                                          const v1::ListPetitionsRequest& request);
  // OFFICER.
  absl::StatusOr<v1::Petition> AcceptPetition(const auth::Principal& principal,
                                              const v1::AcceptPetitionRequest& request);
  absl::StatusOr<v1::Petition> RejectPetition(const auth::Principal& principal,
                                              const v1::RejectPetitionRequest& request);
  absl::StatusOr<v1::Petition> RespondToPetition(const auth::Principal& principal,
                                                 const v1::RespondToPetitionRequest& request);

 private:
  // Checks access and the etag, moves the petition from `from` to `to` after `change` edits it,
  // and emits `event_type`.
  template <typename Request, typename Change>
  absl::StatusOr<v1::Petition> Transition(const auth::Principal& principal, const Request& request,
                                          absl::string_view method, v1::PetitionStatus from,
                                          v1::PetitionStatus to, absl::string_view event_type,
                                          Change change);

  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::scheduling
