// The minutes register's rules, independent of gRPC: minutes per meeting, gapless minute
// numbering by the body's scheme with an audited officer override (R-MIN-03, R-MIN-05),
// resolutions with roman-numbered clauses (R-MIN-04), confirmation of earlier minutes by a
// CONFIRM_MINUTES resolution (R-MIN-01, R-MIN-02), the lifecycle DRAFT -> PUBLISHED ->
// CONFIRMED -> SIGNED, corrections that keep the earlier revision, the audit chain and events.
#pragma once

#include <string>

#include <functional>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/decisions/v1/minutes.pb.h"
#include "services/decisions/scheduling_directory.h"

namespace moot::decisions {

class MinutesLogic {
 public:
  // None are owned; all must outlive the logic.
  MinutesLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
               ids::IdGenerator& ids, const api::PageTokens& page_tokens,
               SchedulingDirectory& scheduling);

  // Applies the schema migrations (minutes, audit, request log, outbox).
  absl::Status Migrate();

  // OFFICER. Asks scheduling for the meeting (NOT_FOUND when it has none) and its body's
  // numbering scheme. ALREADY_EXISTS when the meeting has minutes. Emits `minutes.created`.
  absl::StatusOr<v1::Minutes> CreateMinutes(const auth::Principal& principal,
                                            const v1::CreateMinutesRequest& request);
  // Officers and members of the tenant see DRAFT minutes; everyone else (anonymous included)
  // only published ones: a DRAFT is NOT_FOUND to them.
  absl::StatusOr<v1::Minutes> GetMinutes(const auth::Principal& principal,
                                         const v1::GetMinutesRequest& request);
  // OFFICER; the minutes must be DRAFT (MINUTES_NOT_DRAFT). The next number of the body's
  // counter, or the officer's override_number (with a reason; MINUTE_NUMBER_TAKEN when used).
  // Emits `minute.added`.
  absl::StatusOr<v1::MinuteEntry> AddMinuteEntry(const auth::Principal& principal,
                                                 const v1::AddMinuteEntryRequest& request);
  absl::StatusOr<v1::MinuteEntry> GetMinuteEntry(const auth::Principal& principal,
                                                 const v1::GetMinuteEntryRequest& request);
  absl::StatusOr<v1::ListMinuteEntriesResponse> ListMinuteEntries(
      const auth::Principal& principal, const v1::ListMinuteEntriesRequest& request);
  // OFFICER; DRAFT minutes only. Emits `resolution.recorded`; each CONFIRM_MINUTES clause moves
  // the named meetings' PUBLISHED minutes to CONFIRMED (`minutes.confirmed`), refusing minutes
  // already confirmed (MINUTES_ALREADY_CONFIRMED), unpublished (MINUTES_NOT_PUBLISHED) or absent
  // (MINUTES_NOT_RECORDED).
  absl::StatusOr<v1::MinuteEntry> RecordResolution(const auth::Principal& principal,
                                                   const v1::RecordResolutionRequest& request);
  // OFFICER. DRAFT -> PUBLISHED (MINUTES_NOT_DRAFT otherwise; MINUTES_EMPTY without entries).
  absl::StatusOr<v1::Minutes> PublishMinutes(const auth::Principal& principal,
                                             const v1::MinutesTransitionRequest& request);
  // OFFICER. CONFIRMED -> SIGNED (MINUTES_NOT_CONFIRMED otherwise).
  absl::StatusOr<v1::Minutes> SignMinutes(const auth::Principal& principal,
                                          const v1::MinutesTransitionRequest& request);
  // OFFICER. Published (or later) minutes only (MINUTES_NOT_PUBLISHED); keeps the previous
  // revision with the reason. Emits `minutes.corrected`.
  absl::StatusOr<v1::MinuteEntry> CorrectMinuteEntry(const auth::Principal& principal,
                                                     const v1::CorrectMinuteEntryRequest& request);

  // OFFICER. The style, confirmation wording or webcast link of minutes in any state (R-MIN-06,
  // R-MIN-07, R-MIN-08). Emits `minutes.updated` (public once published).
  absl::StatusOr<v1::Minutes> UpdateMinutes(const auth::Principal& principal,
                                            const v1::UpdateMinutesRequest& request);
  // The minutes and their entries rendered for publication; visibility as GetMinutes.
  absl::StatusOr<v1::RenderedMinutes> RenderMinutes(const auth::Principal& principal,
                                                    const v1::RenderMinutesRequest& request);

 private:
  absl::StatusOr<v1::Minutes> Transition(const auth::Principal& principal,
                                         const v1::MinutesTransitionRequest& request,
                                         absl::string_view method);

  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
  SchedulingDirectory& scheduling_;
};

}  // namespace moot::decisions
