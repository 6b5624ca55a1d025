// The rules of agenda items, independent of gRPC: validation, access, the public view of exempt
// items, the standing template, state changes and the events they emit, and reading published
// agenda versions. agenda_service.cc only converts. Publication itself is
// SchedulingLogic::PublishAgenda (agenda_publication.h).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/scheduling/v1/agenda.pb.h"
#include "services/scheduling/agenda_rules.h"

namespace moot::scheduling {

// Access: OFFICER of the tenant writes; OFFICER and MEMBER of the tenant read the working
// agenda; everyone else reads only the latest published version, with exempt items in their
// PublicView. Items of a DRAFT meeting are invisible to those who may not see the draft. Item
// events (`agenda_item.*`) are not public: they describe the unpublished working agenda.
class AgendaLogic {
 public:
  // None are owned; all must outlive the logic.
  AgendaLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
              ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // Applies the schema migrations (scheduling_agenda, request log, outbox). The meetings the
  // items belong to live in SchedulingLogic's tables, which must be migrated too.
  absl::Status Migrate();

  // OFFICER. The meeting must exist (NOT_FOUND) and the number be unused in it
  // (ALREADY_EXISTS). Emits `agenda_item.created`.
  absl::StatusOr<v1::AgendaItem> CreateAgendaItem(const auth::Principal& principal,
                                                  const v1::CreateAgendaItemRequest& request);
  absl::StatusOr<v1::AgendaItem> GetAgendaItem(const auth::Principal& principal,
                                               const v1::GetAgendaItemRequest& request);
  absl::StatusOr<v1::ListAgendaItemsResponse> ListAgendaItems(
      const auth::Principal& principal, const v1::ListAgendaItemsRequest& request);
  // OFFICER. Emits `agenda_item.updated` (nothing when nothing changed).
  absl::StatusOr<v1::AgendaItem> UpdateAgendaItem(const auth::Principal& principal,
                                                  const v1::UpdateAgendaItemRequest& request);
  // OFFICER. Emits `agenda_item.deleted`.
  absl::StatusOr<v1::DeleteAgendaItemResponse> DeleteAgendaItem(
      const auth::Principal& principal, const v1::DeleteAgendaItemRequest& request);
  // OFFICER, unpublished agendas only. Emits `agenda_item.reordered`.
  absl::StatusOr<v1::ReorderAgendaItemsResponse> ReorderAgendaItems(
      const auth::Principal& principal, const v1::ReorderAgendaItemsRequest& request);
  // OFFICER. The body's standing items (R-MTG-03). Emits `agenda_item.created` per item.
  absl::StatusOr<v1::CreateAgendaFromTemplateResponse> CreateAgendaFromTemplate(
      const auth::Principal& principal, const v1::CreateAgendaFromTemplateRequest& request);
  // Published versions: anyone who may see the meeting; PublicView for outsiders.
  absl::StatusOr<v1::ListAgendaVersionsResponse> ListAgendaVersions(
      const auth::Principal& principal, const v1::ListAgendaVersionsRequest& request);
  absl::StatusOr<v1::AgendaVersion> GetAgendaVersion(const auth::Principal& principal,
                                                     const v1::GetAgendaVersionRequest& request);

 private:
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::scheduling
