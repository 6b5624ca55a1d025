// The rules of a body's work programme (domain.md §2.12, §3.11 R-WP-01..06), independent of
// gRPC: validation, access, the annual statutory items, and the events they emit.
// work_programme_service.cc only converts.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/scheduling/v1/work_programme.pb.h"

namespace moot::scheduling {

// The first calendar year of a municipal year "YYYY/YY" (consecutive years, e.g. "2023/24" ->
// 2023). INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<int> ParseMunicipalYear(absl::string_view year, absl::string_view field);

// One annual statutory item of a municipal year and the window its meeting falls in.
struct StatutoryItemDef {
  v1::StatutoryItemType type;
  std::string id;  // The item id, e.g. "statutory-2023-24-precept".
  std::string topic;
  std::vector<std::string> aims;
  std::string notes;
  absl::CivilDay from;  // The window of its meeting, inclusive.
  absl::CivilDay to;
  bool provisional;  // Prefer a MEETING_KIND_PROVISIONAL meeting.
};

// The statutory items of the municipal year starting in `first_year` (§3.11, §2.12, R-PR-04..06,
// R-AR-01, R-WP-05): the annual report review in October-November, the draft precept in
// January, the precept by 8 February, the provisional (post-veto) precept meeting by 22
// February, complaints and the Panel's budget in March.
std::vector<StatutoryItemDef> StatutoryItems(int first_year);

class WorkProgrammeLogic {
 public:
  // None are owned; all must outlive the logic.
  WorkProgrammeLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                     ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // Applies the schema migrations (scheduling_work_programme, request log, outbox). Bodies and
  // meetings live in SchedulingLogic's tables, which must be migrated too.
  absl::Status Migrate();

  // OFFICER.
  absl::StatusOr<v1::WorkProgrammeItem> CreateWorkProgrammeItem(
      const auth::Principal& principal, const v1::CreateWorkProgrammeItemRequest& request);
  // Anyone, anonymous included: the work programme is published.
  absl::StatusOr<v1::WorkProgrammeItem> GetWorkProgrammeItem(
      const auth::Principal& principal, const v1::GetWorkProgrammeItemRequest& request);
  absl::StatusOr<v1::ListWorkProgrammeItemsResponse> ListWorkProgrammeItems(
      const auth::Principal& principal, const v1::ListWorkProgrammeItemsRequest& request);
  // OFFICER. R-WP-01: a living document; update_time and etag move on every change.
  absl::StatusOr<v1::WorkProgrammeItem> UpdateWorkProgrammeItem(
      const auth::Principal& principal, const v1::UpdateWorkProgrammeItemRequest& request);
  absl::StatusOr<v1::DeleteWorkProgrammeItemResponse> DeleteWorkProgrammeItem(
      const auth::Principal& principal, const v1::DeleteWorkProgrammeItemRequest& request);
  // OFFICER; a panel only (R-SG-01: the precept is a special function). Idempotent.
  absl::StatusOr<v1::SeedStatutoryItemsResponse> SeedStatutoryItems(
      const auth::Principal& principal, const v1::SeedStatutoryItemsRequest& request);

  // R-WP-02: the Chair's and Deputy Chair's input on a quarter, then the quarter's items
  // agreed (WP_CHAIR_INPUT_MISSING without both inputs). OFFICER; Get: OFFICER or MEMBER.
  absl::StatusOr<v1::WorkProgrammeQuarter> RecordChairInput(
      const auth::Principal& principal, const v1::RecordChairInputRequest& request);
  absl::StatusOr<v1::WorkProgrammeQuarter> AgreeQuarter(const auth::Principal& principal,
                                                        const v1::AgreeQuarterRequest& request);
  absl::StatusOr<v1::WorkProgrammeQuarter> GetWorkProgrammeQuarter(
      const auth::Principal& principal, const v1::GetWorkProgrammeQuarterRequest& request);

 private:
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::scheduling
