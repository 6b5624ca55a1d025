// The rules of attendance, declarations of interest and vote eligibility (domain.md §2.2, §2.6,
// §3.3, §9 items 4 and 5), independent of gRPC: validation, access, state changes and the events
// they emit. attendance_service.cc only converts.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/scheduling/v1/attendance.pb.h"

namespace moot::scheduling {

// Decisions the sources leave open, settled here:
// - Whether someone is a member is judged on the meeting's civil date in Europe/London (start
//   and end days inclusive). PRESENT, APOLOGIES and ABSENT need a non-SUBSTITUTE membership in
//   force: FAILED_PRECONDITION reason NOT_A_MEMBER otherwise (a state of the register, not a
//   malformed request).
// - A SUBSTITUTE must hold a SUBSTITUTE membership of the body in force on the date
//   (NOT_A_SUBSTITUTE), on behalf of a member in force (NOT_A_MEMBER, subject on_behalf_of) who
//   is not recorded PRESENT (MEMBER_PRESENT) and has no other substitute (ALREADY_SUBSTITUTED);
//   a member whose seat a substitute took cannot then be recorded PRESENT (MEMBER_SUBSTITUTED).
// - ALSO_PRESENT (officers, the PCC, guests) needs an existing person and a capacity; it never
//   counts for quorum or votes.
// - arrived_at / left_at are "HH:MM" on the meeting day, after the meeting's local start time,
//   and arrived_at before left_at; only for PRESENT, SUBSTITUTE and ALSO_PRESENT.
// - "Held", for the public: status HELD, or a scheduled / published meeting whose start has
//   passed. Until then the public cannot list attendance (FAILED_PRECONDITION MEETING_NOT_HELD);
//   the apologies reason is never shown to the public nor put in events.
// - Eligibility: see voter_eligibility.h. The vote must fall on the meeting's day.
class AttendanceLogic {
 public:
  // None are owned; all must outlive the logic.
  AttendanceLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                  ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // Applies the schema migrations (scheduling_attendance, request log, outbox). Meetings, agenda
  // items, people and memberships live in the other scheduling logics' tables, which must be
  // migrated too.
  absl::Status Migrate();

  // OFFICER. Creates or replaces one person's row (etag-checked when given). Emits
  // `attendance.recorded` (public when the meeting is held).
  absl::StatusOr<v1::Attendance> RecordAttendance(const auth::Principal& principal,
                                                  const v1::RecordAttendanceRequest& request);
  // OFFICER, TENANT_ADMIN and MEMBER of the tenant: any meeting they may see; anyone else: a held
  // meeting's rows without apologies reasons. With the quorum check (R-MTG-10, §9 item 4).
  absl::StatusOr<v1::ListAttendanceResponse> ListAttendance(
      const auth::Principal& principal, const v1::ListAttendanceRequest& request);
  // OFFICER. The item must exist in the meeting and the person be a member (any role) on the
  // meeting's date. Emits `declaration.recorded`: without the nature and not public for a
  // SENSITIVE interest; otherwise public once the meeting is held.
  absl::StatusOr<v1::Declaration> CreateDeclaration(const auth::Principal& principal,
                                                    const v1::CreateDeclarationRequest& request);
  // OFFICER, TENANT_ADMIN and MEMBER of the tenant: any meeting they may see; anyone else: a held
  // meeting's (MEETING_NOT_HELD otherwise). The nature of a SENSITIVE interest only for OFFICER.
  absl::StatusOr<v1::ListDeclarationsResponse> ListDeclarations(
      const auth::Principal& principal, const v1::ListDeclarationsRequest& request);
  // OFFICER, MEMBER, or a service principal (subject "service:...") of the tenant.
  absl::StatusOr<v1::ListEligibleVotersResponse> ListEligibleVoters(
      const auth::Principal& principal, const v1::ListEligibleVotersRequest& request);

 private:
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::scheduling
