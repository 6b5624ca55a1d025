// The budget service's rules for scenarios of a precept year (issue 5 point 4): who may create
// which kind, the model computed for each, and CompareScenarios with sensitivity.
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

class ScenarioLogic {
 public:
  // None are owned; all must outlive the logic. PreceptLogic::Migrate creates the tables.
  ScenarioLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // FINANCE_OFFICER or PCC_OFFICE: any kind. OFFICER or MEMBER (the panel and its budget
  // sub-group): PANEL_RECOMMENDED or ALTERNATIVE. The precept year must exist. Emits
  // `scenario.created` (not public).
  absl::StatusOr<v1::Scenario> CreateScenario(const auth::Principal& principal,
                                              const v1::CreateScenarioRequest& request);
  // Readers of drafts of the tenant (scenarios are never public).
  absl::StatusOr<v1::Scenario> GetScenario(const auth::Principal& principal,
                                           const v1::GetScenarioRequest& request);
  // In id order, paged.
  absl::StatusOr<v1::ListScenariosResponse> ListScenarios(const auth::Principal& principal,
                                                          const v1::ListScenariosRequest& request);
  // Two to ten scenarios of the caller's tenant.
  absl::StatusOr<v1::CompareScenariosResponse> CompareScenarios(
      const auth::Principal& principal, const v1::CompareScenariosRequest& request);

 private:
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::budget
