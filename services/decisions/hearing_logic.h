// Confirmation hearings, independent of gRPC (domain.md §3.8): the four posts and the veto
// available for the Chief Constable only (R-CH-01), the hearing as its own meeting (R-CH-02),
// re-appointments with a later effective date (R-CH-03), the three-week report deadline
// (R-CH-04), the private recommendation, its publication and the PCC's response (R-CH-05).
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/decisions/v1/hearings.pb.h"
#include "services/decisions/scheduling_directory.h"

namespace moot::decisions {

// R-CH-04: the last day of "the period of three weeks beginning with the day on which the panel
// receives the notification" (PRSRA 2011 Sch.8 para 4(6)): the day of receipt counts, so
// received 1 March -> due 21 March.
absl::CivilDay HearingReportDue(absl::CivilDay received);

class HearingLogic {
 public:
  // None are owned; all must outlive the logic.
  HearingLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
               ids::IdGenerator& ids, const api::PageTokens& page_tokens,
               SchedulingDirectory& scheduling);

  // Applies the schema migrations (hearings).
  absl::Status Migrate();

  // OFFICER. The meeting must exist in scheduling. ALREADY_EXISTS when the id is taken.
  absl::StatusOr<v1::ConfirmationHearing> CreateHearing(const auth::Principal& principal,
                                                        const v1::CreateHearingRequest& request);
  // Anyone of the tenant or anonymous; the recommendation is withheld until published except
  // from officers and members of the tenant.
  absl::StatusOr<v1::ConfirmationHearing> GetHearing(const auth::Principal& principal,
                                                     const v1::GetHearingRequest& request);
  absl::StatusOr<v1::ListHearingsResponse> ListHearings(const auth::Principal& principal,
                                                        const v1::ListHearingsRequest& request);
  // OFFICER.
  absl::StatusOr<v1::ConfirmationHearing> RecordRecommendation(
      const auth::Principal& principal, const v1::RecordRecommendationRequest& request);
  // OFFICER.
  absl::StatusOr<v1::ConfirmationHearing> PublishRecommendation(
      const auth::Principal& principal, const v1::PublishRecommendationRequest& request);
  // OFFICER or PCC_OFFICE.
  absl::StatusOr<v1::ConfirmationHearing> RecordPccResponse(
      const auth::Principal& principal, const v1::RecordPccResponseRequest& request);

 private:
  // Applies `apply` to the stored hearing inside a transaction, records the change (event
  // `event_type`) and the request for idempotency.
  absl::StatusOr<v1::ConfirmationHearing> Change(
      const auth::Principal& principal, const std::string& name, const std::string& etag,
      absl::string_view method, const google::protobuf::Message& request,
      const std::string& request_id, absl::string_view event_type, bool is_public,
      const std::function<absl::Status(sql::Connection&, v1::ConfirmationHearing&)>& apply);

  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
  SchedulingDirectory& scheduling_;
};

}  // namespace moot::decisions
