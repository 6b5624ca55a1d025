// Requests to see confidential key decisions' reports (R-KD-04), independent of gRPC: recorded
// with their outcome; a grant gives nobody default access. Audited, with non-public events.
#pragma once

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/decisions/v1/decisions.pb.h"

namespace moot::decisions {

class AccessRequestLogic {
 public:
  // None are owned; all must outlive the logic.
  AccessRequestLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                     ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // Applies the schema migrations (access requests).
  absl::Status Migrate();

  absl::StatusOr<v1::AccessRequest> CreateAccessRequest(
      const auth::Principal& principal, const v1::CreateAccessRequestRequest& request);
  absl::StatusOr<v1::AccessRequest> DecideAccessRequest(
      const auth::Principal& principal, const v1::DecideAccessRequestRequest& request);
  absl::StatusOr<v1::ListAccessRequestsResponse> ListAccessRequests(
      const auth::Principal& principal, const v1::ListAccessRequestsRequest& request);

 private:
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::decisions
