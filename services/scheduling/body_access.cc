#include "services/scheduling/body_access.h"

#include "libs/status/macros.h"
#include "libs/time/clock.h"
#include "services/scheduling/people_store.h"

namespace moot::scheduling {

absl::StatusOr<bool> MaySeeDrafts(sql::Connection& conn, const auth::Principal& principal,
                                  const std::string& tenant, const std::string& body_id,
                                  absl::CivilDay on) {
  if (principal.tenant != tenant || principal.IsAnonymous()) {
    return false;
  }
  if (principal.HasRole(auth::Role::kOfficer) || principal.HasRole(auth::Role::kTenantAdmin)) {
    return true;
  }
  if (!principal.HasRole(auth::Role::kMember)) {
    return false;
  }
  MOOT_ASSIGN_OR_RETURN(auto person_id,
                        PeopleStore::PersonIdBySubject(conn, tenant, principal.subject));
  if (!person_id.has_value()) {
    return false;
  }
  MOOT_ASSIGN_OR_RETURN(auto memberships,
                        PeopleStore::PersonMemberships(conn, tenant, body_id, *person_id));
  const std::string date = absl::FormatCivilTime(on);
  for (const auto& membership : memberships) {
    // Dates are "YYYY-MM-DD", so text order is date order; an empty end date is open-ended.
    if (membership.start_date() <= date &&
        (membership.end_date().empty() || date <= membership.end_date())) {
      return true;
    }
  }
  return false;
}

absl::CivilDay LondonToday(absl::Time now) { return absl::ToCivilDay(now, time::London()); }

}  // namespace moot::scheduling
