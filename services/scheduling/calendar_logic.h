// CalendarService's rules: the statutory deadline engine as an API (libs/calendar; R-PQ-01,
// R-PQ-02, R-MTG-09; domain.md §9 items 1-3) and a tenant's local closure days, which count as
// non-working days for that tenant's meeting deadlines.
#pragma once

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/scheduling/v1/calendar.pb.h"

namespace moot::scheduling {

class CalendarLogic {
 public:
  // None are owned; all must outlive the logic.
  CalendarLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // Applies the schema migrations (closures, request log, outbox).
  absl::Status Migrate();

  // Anyone, anonymous included; with a parent, a caller of another tenant is denied. An empty
  // parent uses the national bank holidays only.
  absl::StatusOr<v1::ComputeDeadlineResponse> ComputeDeadline(
      const auth::Principal& principal, const v1::ComputeDeadlineRequest& request);
  // OFFICER or TENANT_ADMIN. Emits `calendar.closure_created`; the deadlines of the tenant's open
  // meetings are recomputed.
  absl::StatusOr<v1::Closure> CreateClosure(const auth::Principal& principal,
                                            const v1::CreateClosureRequest& request);
  // Any caller of the tenant, anonymous included (closure days are public).
  absl::StatusOr<v1::ListClosuresResponse> ListClosures(const auth::Principal& principal,
                                                        const v1::ListClosuresRequest& request);
  // OFFICER or TENANT_ADMIN. Emits `calendar.closure_deleted`; deadlines recomputed.
  absl::StatusOr<v1::Closure> DeleteClosure(const auth::Principal& principal,
                                            const v1::DeleteClosureRequest& request);

 private:
  // Recomputes the deadlines of every body's open meetings after the closures changed.
  absl::Status RefreshTenant(sql::Connection& tx, const std::string& tenant);

  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::scheduling
