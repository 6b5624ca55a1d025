// The scheduling service's rules, independent of gRPC: validation, access, state changes and
// the events they emit. The gRPC adapters (body_service.cc, meeting_service.cc) only convert.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/calendar/calendar.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/scheduling/v1/scheduling.pb.h"

namespace moot::scheduling {

class SchedulingLogic {
 public:
  // None are owned; all must outlive the logic.
  SchedulingLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                  ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // Applies the schema migrations (scheduling, request log, outbox).
  absl::Status Migrate();

  // Bodies. Create: OFFICER or TENANT_ADMIN. Get/List: anyone; bodies are public records.
  absl::StatusOr<v1::Body> CreateBody(const auth::Principal& principal,
                                      const v1::CreateBodyRequest& request);
  absl::StatusOr<v1::Body> GetBody(const auth::Principal& principal,
                                   const v1::GetBodyRequest& request);
  absl::StatusOr<v1::ListBodiesResponse> ListBodies(const auth::Principal& principal,
                                                    const v1::ListBodiesRequest& request);
  // OFFICER or TENANT_ADMIN. Field mask over the body's fields and rules; kind and parent_body
  // are immutable; `body.etag`, when set, must match (FAILED_PRECONDITION ETAG_MISMATCH). Emits
  // `body.updated`; a change of rules recomputes the deadlines of the body's open meetings.
  absl::StatusOr<v1::Body> UpdateBody(const auth::Principal& principal,
                                      const v1::UpdateBodyRequest& request);
  // R-SG-03/04: the sub-group's members on a date, enforced (SUBGROUP_TOO_SMALL,
  // SUBGROUP_MEMBER_NOT_IN_PARENT) and warned about. Anyone may read (memberships are public).
  absl::StatusOr<v1::SubGroupCheck> CheckSubGroup(const auth::Principal& principal,
                                                  const v1::CheckSubGroupRequest& request);

  // Meetings. Create and PublishAgenda: OFFICER. Get/List: the public sees scheduled and
  // published meetings; DRAFT meetings only officers and members of the tenant.
  absl::StatusOr<v1::Meeting> CreateMeeting(const auth::Principal& principal,
                                            const v1::CreateMeetingRequest& request);
  absl::StatusOr<v1::Meeting> GetMeeting(const auth::Principal& principal,
                                         const v1::GetMeetingRequest& request);
  absl::StatusOr<v1::ListMeetingsResponse> ListMeetings(const auth::Principal& principal,
                                                        const v1::ListMeetingsRequest& request);
  // OFFICER. Title, venue, webcast, end time, kind (field mask). Emits `meeting.updated`.
  absl::StatusOr<v1::Meeting> UpdateMeeting(const auth::Principal& principal,
                                            const v1::UpdateMeetingRequest& request);
  // OFFICER. New start (and end) with a reason; deadlines recomputed. Emits
  // `meeting.rescheduled`.
  absl::StatusOr<v1::Meeting> RescheduleMeeting(const auth::Principal& principal,
                                                const v1::RescheduleMeetingRequest& request);
  // OFFICER. Confirm, cancel, postpone, mark held (the table in scheduling.proto). Emits
  // `meeting.scheduled`, `meeting.confirmed`, `meeting.cancelled`, `meeting.postponed` or
  // `meeting.held`.
  absl::StatusOr<v1::Meeting> TransitionMeeting(const auth::Principal& principal,
                                                const v1::TransitionMeetingRequest& request);

  // R-MTG-05: the meetings of a municipal year from the body's pattern, skipping bank holidays,
  // closure days and days the body already meets. OFFICER; `create` stores them as DRAFT
  // meetings (private `meeting.drafted` each), idempotent by request_id.
  absl::StatusOr<v1::ProposeMeetingsResponse> ProposeMeetings(
      const auth::Principal& principal, const v1::ProposeMeetingsRequest& request);

  // The transition itself inside the caller's transaction, for the precept listener (R-MTG-07)
  // and TransitionMeeting: checks the table, applies, stores and emits the event. `actual_end`
  // (HELD only, R-MTG-11) is when the meeting ended.
  absl::StatusOr<v1::Meeting> ApplyTransition(
      sql::Connection& tx, const std::string& tenant, const std::string& body_id,
      const std::string& meeting_id, v1::MeetingStatus target, const std::string& reason,
      const google::protobuf::Timestamp* actual_end = nullptr);

  // Recomputes the stored deadlines of the body's open meetings (not held or cancelled) with
  // `calendar`, and their warnings (R-MTG-05/06); stores those that changed (new etag, same
  // sequence).
  static absl::Status RefreshDeadlines(sql::Connection& tx, const std::string& tenant,
                                       const v1::Body& body,
                                       const calendar::HolidayCalendar& calendar);

  // Publishes the agenda as a new version and emits `agenda.published` in the same transaction.
  // FAILED_PRECONDITION (MEETING_CANCELLED) for a cancelled meeting.
  absl::StatusOr<v1::Meeting> PublishAgenda(const auth::Principal& principal,
                                            const v1::PublishAgendaRequest& request);

 private:
  events::v1::Event MakeEvent(absl::string_view type, const std::string& tenant,
                              const std::string& subject, const google::protobuf::Message& payload,
                              bool is_public);
  // R-SG-02/03 for a meeting of a sub-group on `local_date` (no-op for other bodies).
  absl::Status CheckSubGroupMeeting(sql::Connection& tx, const std::string& tenant,
                                    const std::string& body_id, const v1::Body& body,
                                    const std::string& local_date);
  // Stores `meeting` (version `version`) as changed and emits `type` with a MeetingChanged.
  absl::StatusOr<v1::Meeting> StoreChange(sql::Connection& tx, const std::string& tenant,
                                          const std::string& body_id, const std::string& meeting_id,
                                          v1::Meeting meeting, int64_t version,
                                          absl::string_view type, v1::MeetingStatus previous_status,
                                          const google::protobuf::Timestamp* previous_start,
                                          const std::string& reason);

  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::scheduling
