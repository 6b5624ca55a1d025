// The budget service's rules for medium-term financial plans (issue 5 point 5): access,
// validation, the computed years, idempotent creation, the `plan.created` event and the chart of
// the funding gap by year.
#pragma once

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/budget/v1/budget.pb.h"

namespace moot::budget {

class PlanLogic {
 public:
  // None are owned; all must outlive the logic. PreceptLogic::Migrate creates the tables.
  PlanLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
            ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // FINANCE_OFFICER or PCC_OFFICE. Emits `plan.created` (not public).
  absl::StatusOr<v1::Plan> CreatePlan(const auth::Principal& principal,
                                      const v1::CreatePlanRequest& request);
  // Readers of drafts of the tenant.
  absl::StatusOr<v1::Plan> GetPlan(const auth::Principal& principal,
                                   const v1::GetPlanRequest& request);
  absl::StatusOr<v1::ListPlansResponse> ListPlans(const auth::Principal& principal,
                                                  const v1::ListPlansRequest& request);
  // "plan_funding_gap" (gap by year) and "plan_reserves" (closing reserves by year).
  absl::StatusOr<v1::Charts> GetPlanCharts(const auth::Principal& principal,
                                           const v1::GetPlanChartsRequest& request);

 private:
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::budget
