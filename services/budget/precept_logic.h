// The budget service's rules for precept years, independent of gRPC: validation, access, the
// precept model, the statutory cycle (propose, report and veto, revise, second report, issue),
// CSV import and export, chart series, idempotent requests and the `precept.*` events.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/calendar/calendar.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/budget/v1/budget.pb.h"
#include "services/budget/meeting_directory.h"
#include "services/budget/vote_lookup.h"

namespace moot::budget {

// INVALID_ARGUMENT naming "precept_id" unless `id` is "YYYY-YY" with YY = (YYYY + 1) mod 100,
// e.g. "2024-25" or "1999-00".
absl::Status ValidatePreceptYear(absl::string_view id, absl::string_view field = "precept_id");

// Whether the principal may read unpublished (draft) budget figures of its tenant: members,
// officers, finance officers, the PCC's office and tenant admins (issue 5 point 9).
bool CanReadDrafts(const auth::Principal& principal);

class PreceptLogic {
 public:
  // None are owned; all must outlive the logic. `votes` checks a veto's vote. `meetings` reads
  // the panel's meetings from scheduling for the timetable; null when scheduling is not
  // configured (the precept's stored planned meetings are used then).
  PreceptLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
               ids::IdGenerator& ids, const api::PageTokens& page_tokens, const VoteLookup& votes,
               const MeetingDirectory* meetings = nullptr);

  // Applies the schema migrations (budget, request log, outbox).
  absl::Status Migrate();

  // FINANCE_OFFICER or PCC_OFFICE of the tenant. With `inputs`, computes the statement;
  // without, Band D from the requirement and tax base. Emits `precept.created`. ALREADY_EXISTS
  // for a year that exists; a retry with the same request_id returns the first result.
  absl::StatusOr<v1::Precept> CreatePrecept(const auth::Principal& principal,
                                            const v1::CreatePreceptRequest& request);
  // Readers of drafts see every year; anyone else (anonymous included) only published or issued
  // ones (NOT_FOUND otherwise). Another tenant's principal is PERMISSION_DENIED before any
  // lookup.
  absl::StatusOr<v1::Precept> GetPrecept(const auth::Principal& principal,
                                         const v1::GetPreceptRequest& request);
  // Newest year first, paged.
  absl::StatusOr<v1::ListPreceptsResponse> ListPrecepts(const auth::Principal& principal,
                                                        const v1::ListPreceptsRequest& request);
  // FINANCE_OFFICER or PCC_OFFICE. Inputs and body of a DRAFT year; planned meetings and
  // the published flag in any state. `precept.updated`.
  absl::StatusOr<v1::Precept> UpdatePrecept(const auth::Principal& principal,
                                            const v1::UpdatePreceptRequest& request);
  // FINANCE_OFFICER or PCC_OFFICE. `precept.proposed`.
  absl::StatusOr<v1::Precept> ProposePrecept(const auth::Principal& principal,
                                             const v1::ProposePreceptRequest& request);
  // OFFICER (the panel's scrutiny officer). `precept.vetoed` or `precept.not_vetoed` with a
  // PreceptOutcome payload. The report must record the equality duty (R-PR-10); it records the
  // documents considered (R-PR-03, R-PR-12, warnings when missing), a sub-committee's review with
  // its own scenarios (R-PR-07) and shows the year's information requests (R-PR-11).
  absl::StatusOr<v1::Precept> RecordPanelReport(const auth::Principal& principal,
                                                const v1::RecordPanelReportRequest& request);
  // FINANCE_OFFICER or PCC_OFFICE. `precept.revised`.
  absl::StatusOr<v1::Precept> RevisePrecept(const auth::Principal& principal,
                                            const v1::RevisePreceptRequest& request);
  // OFFICER. `precept.second_reported`. The same review checks as the first report.
  absl::StatusOr<v1::Precept> RecordSecondReport(const auth::Principal& principal,
                                                 const v1::RecordSecondReportRequest& request);
  // FINANCE_OFFICER or PCC_OFFICE. `precept.issued` (public).
  absl::StatusOr<v1::Precept> IssuePrecept(const auth::Principal& principal,
                                           const v1::IssuePreceptRequest& request);
  // Readers of drafts, or anyone for a published year. The panel steps are checked against the
  // body's meetings in scheduling (read as the caller), or the stored planned meetings when
  // scheduling is not configured, the precept has no body, or the request asks for them; the
  // response says which (meeting_source).
  absl::StatusOr<v1::PreceptTimetable> GetPreceptTimetable(
      const auth::Principal& principal, const v1::GetPreceptTimetableRequest& request);
  // FINANCE_OFFICER or PCC_OFFICE, DRAFT years. INVALID_ARGUMENT naming "csv" and the line for
  // the first bad line; nothing changes then.
  absl::StatusOr<v1::Precept> ImportPreceptCsv(const auth::Principal& principal,
                                               const v1::ImportPreceptCsvRequest& request);
  // As GetPrecept.
  absl::StatusOr<v1::ExportPreceptResponse> ExportPrecept(const auth::Principal& principal,
                                                          const v1::ExportPreceptRequest& request);
  absl::StatusOr<v1::Charts> GetPreceptCharts(const auth::Principal& principal,
                                              const v1::GetPreceptChartsRequest& request);
  // R-PR-11: records a panel information request (OFFICER) or changes one (OFFICER,
  // FINANCE_OFFICER or PCC_OFFICE, e.g. to record the answer), in any state.
  // `precept.information_request_set`.
  absl::StatusOr<v1::Precept> SetInformationRequest(
      const auth::Principal& principal, const v1::SetInformationRequestRequest& request);

 private:
  struct PendingEvent {
    std::string type;
    std::shared_ptr<google::protobuf::Message> payload;
    bool is_public;
  };
  using Change = std::function<absl::StatusOr<std::vector<PendingEvent>>(v1::Precept&)>;

  // Access, load, etag check, change, store, events and request log in one transaction.
  absl::StatusOr<v1::Precept> Mutate(const auth::Principal& principal,
                                     const google::protobuf::Message& request,
                                     absl::string_view method, const std::string& name,
                                     const std::string& etag, const std::string& request_id,
                                     const std::vector<auth::Role>& roles, const Change& change);
  // Reads the sub-committee's scenarios of `report` and refuses any that is not a panel or
  // sub-group scenario (R-PR-07, SUB_COMMITTEE_SCENARIO_NOT_ITS_OWN).
  absl::Status CheckSubCommitteeScenarios(const v1::PanelReport& report, const std::string& tenant,
                                          const std::string& field);
  // Access-checked read of one precept (published only for non-draft readers).
  absl::StatusOr<v1::Precept> Read(const auth::Principal& principal, const std::string& name);

  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
  const VoteLookup& votes_;
  const MeetingDirectory* meetings_;
  calendar::HolidayCalendar calendar_;
};

}  // namespace moot::budget
