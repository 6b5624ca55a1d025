// Who may see the drafts of a body: DRAFT meetings and the working (unpublished) agenda.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/auth/principal.h"
#include "libs/sql/database.h"

namespace moot::scheduling {

// True for officers and tenant admins of `tenant`, and for a MEMBER of `tenant` whose subject is
// the user_subject of a person holding a membership of `body_id` in force on `on` (for a
// sub-group: a membership of the sub-group itself). False for everyone else, including members
// of other bodies, members whose membership has ended and members with no linked person.
absl::StatusOr<bool> MaySeeDrafts(sql::Connection& conn, const auth::Principal& principal,
                                  const std::string& tenant, const std::string& body_id,
                                  absl::CivilDay on);

// The civil date of now in Europe/London, for MaySeeDrafts.
absl::CivilDay LondonToday(absl::Time now);

}  // namespace moot::scheduling
