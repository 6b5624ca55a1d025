// The scheduling service's rules, independent of gRPC: validation, access, state changes and
// the events they emit. The gRPC adapters (body_service.cc, meeting_service.cc) only convert.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
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

  // Meetings. Create and PublishAgenda: OFFICER. Get/List: the public sees scheduled and
  // published meetings; DRAFT meetings only officers and members of the tenant.
  absl::StatusOr<v1::Meeting> CreateMeeting(const auth::Principal& principal,
                                            const v1::CreateMeetingRequest& request);
  absl::StatusOr<v1::Meeting> GetMeeting(const auth::Principal& principal,
                                         const v1::GetMeetingRequest& request);
  absl::StatusOr<v1::ListMeetingsResponse> ListMeetings(const auth::Principal& principal,
                                                        const v1::ListMeetingsRequest& request);
  // Publishes the agenda as a new version and emits `agenda.published` in the same transaction.
  // FAILED_PRECONDITION (MEETING_CANCELLED) for a cancelled meeting.
  absl::StatusOr<v1::Meeting> PublishAgenda(const auth::Principal& principal,
                                            const v1::PublishAgendaRequest& request);

 private:
  events::v1::Event MakeEvent(absl::string_view type, const std::string& tenant,
                              const std::string& subject, const google::protobuf::Message& payload,
                              bool is_public);

  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::scheduling
