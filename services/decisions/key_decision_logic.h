// The decisions service's rules for the PCC's key decisions register, independent of gRPC:
// validation, access, withholding confidential summaries, idempotent creation and the
// `decision.published` event.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/decisions/v1/decisions.pb.h"
#include "services/decisions/scheduling_directory.h"

namespace moot::decisions {

// The resource id of a decision reference: lower case, every character outside [a-z0-9]
// replaced by '-' ("004A-2018" -> "004a-2018"), dashes at either end dropped. INVALID_ARGUMENT
// naming "key_decision.reference" when no valid id remains (e.g. "///").
absl::StatusOr<std::string> DecisionIdFromReference(absl::string_view reference);

// A decision reference's parts (domain.md §2.11, §8 A5): "026-2023", "022-23", "23-2023",
// "004A-2018", "010/2018".
struct DecisionReference {
  int seq = 0;
  int year = 0;                    // Four digits ("23" -> 2023).
  std::string suffix;              // Upper case, e.g. "A"; may be empty.
  std::string Normalized() const;  // "NNN[S]-YYYY", e.g. "004A-2018".
};

// Parses a reference tolerantly; nullopt when it is not <digits>[letter](-|/)<yy|yyyy>.
std::optional<DecisionReference> ParseDecisionReference(absl::string_view reference);

// R-KD-08: whether `year` is a precept year written "YYYY-YY" with the second year the next of
// the first ("2019-20", "1999-00"; not "2019-21", "2019/20" or "19-20").
bool IsPreceptYear(absl::string_view year);

class KeyDecisionLogic {
 public:
  // None are owned; all must outlive the logic.
  // `scheduling` (for the meeting window) may be null: ListMeetingKeyDecisions is then
  // UNAVAILABLE.
  KeyDecisionLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                   ids::IdGenerator& ids, const api::PageTokens& page_tokens,
                   SchedulingDirectory* scheduling = nullptr);

  // Applies the schema migrations (decisions, request log, outbox).
  absl::Status Migrate();

  // PCC_OFFICE or OFFICER of the tenant. The id comes from the reference; ALREADY_EXISTS when
  // it is taken. Emits `decision.published` (public; its payload carries only the name,
  // reference, title and dates, never the summary). A retry with the same request_id returns
  // the first result.
  absl::StatusOr<v1::KeyDecision> CreateKeyDecision(const auth::Principal& principal,
                                                    const v1::CreateKeyDecisionRequest& request);
  // Anyone, anonymous included; another tenant's principal is PERMISSION_DENIED before any
  // lookup. The summary of a CONFIDENTIAL or COMMERCIALLY_CONFIDENTIAL decision is cleared
  // unless the caller is an OFFICER or PCC_OFFICE of the tenant.
  absl::StatusOr<v1::KeyDecision> GetKeyDecision(const auth::Principal& principal,
                                                 const v1::GetKeyDecisionRequest& request);
  // PCC_OFFICE or OFFICER. R-KD-08: marks the decision as its precept year's budget-and-precept
  // decision (again with the same year: unchanged). Emits `decision.precept_marked`.
  absl::StatusOr<v1::KeyDecision> MarkPreceptDecision(
      const auth::Principal& principal, const v1::MarkPreceptDecisionRequest& request);
  // Newest decision date first, paged; summaries withheld as for Get.
  absl::StatusOr<v1::ListKeyDecisionsResponse> ListKeyDecisions(
      const auth::Principal& principal, const v1::ListKeyDecisionsRequest& request);

  // R-KD-02, §9 item 7: what a meeting's Key Decisions item presents. Anyone of the tenant or
  // anonymous; confidential decisions title and date only.
  absl::StatusOr<v1::MeetingKeyDecisions> ListMeetingKeyDecisions(
      const auth::Principal& principal, const v1::ListMeetingKeyDecisionsRequest& request);
  // OFFICER. Replaces the meeting's manual include/exclude lists.
  absl::StatusOr<v1::MeetingKeyDecisions> SetMeetingKeyDecisionSelection(
      const auth::Principal& principal, const v1::SetMeetingKeyDecisionSelectionRequest& request);

 private:
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
  SchedulingDirectory* scheduling_;
};

}  // namespace moot::decisions
