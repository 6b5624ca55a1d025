// The rules of agenda items, independent of gRPC: validation, access, the public view of exempt
// items, state changes and the events they emit. agenda_service.cc only converts.
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

namespace moot::scheduling {

// True when `time` is a civil time of day written "HH:MM" (00:00..23:59).
bool IsClockTime(absl::string_view time);

// The item as the public sees it: an exempt item keeps its number, title, kind and paragraph,
// but loses its description and public_interest_reason. Non-exempt items are unchanged.
v1::AgendaItem PublicView(v1::AgendaItem item);

class AgendaLogic {
 public:
  // None are owned; all must outlive the logic.
  AgendaLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
              ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // Applies the schema migrations (scheduling_agenda, request log, outbox). The meetings the
  // items belong to live in SchedulingLogic's tables, which must be migrated too.
  absl::Status Migrate();

  // OFFICER. The meeting must exist (NOT_FOUND) and the number be unused in it
  // (ALREADY_EXISTS). Emits `agenda_item.created`, public unless the item is exempt.
  absl::StatusOr<v1::AgendaItem> CreateAgendaItem(const auth::Principal& principal,
                                                  const v1::CreateAgendaItemRequest& request);
  // Anyone may read; callers who are not OFFICER or MEMBER of the tenant get PublicView, and
  // items of a DRAFT meeting are invisible to those who may not see the draft.
  absl::StatusOr<v1::AgendaItem> GetAgendaItem(const auth::Principal& principal,
                                               const v1::GetAgendaItemRequest& request);
  absl::StatusOr<v1::ListAgendaItemsResponse> ListAgendaItems(
      const auth::Principal& principal, const v1::ListAgendaItemsRequest& request);

 private:
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::scheduling
