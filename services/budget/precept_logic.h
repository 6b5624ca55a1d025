// The budget service's rules for precept years, independent of gRPC: validation, access, the
// Band D calculation, idempotent creation and the `precept.created` event.
#pragma once

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/events/outbox.h"
#include "libs/ids/id_generator.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/budget/v1/budget.pb.h"

namespace moot::budget {

// INVALID_ARGUMENT naming "precept_id" unless `id` is "YYYY-YY" with YY = (YYYY + 1) mod 100,
// e.g. "2024-25" or "1999-00".
absl::Status ValidatePreceptYear(absl::string_view id);

class PreceptLogic {
 public:
  // None are owned; all must outlive the logic.
  PreceptLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
               ids::IdGenerator& ids, const api::PageTokens& page_tokens);

  // Applies the schema migrations (budget, request log, outbox).
  absl::Status Migrate();

  // FINANCE_OFFICER or PCC_OFFICE of the tenant. Computes band_d_pence; emits
  // `precept.created`. ALREADY_EXISTS for a year that exists; a retry with the same request_id
  // returns the first result.
  absl::StatusOr<v1::Precept> CreatePrecept(const auth::Principal& principal,
                                            const v1::CreatePreceptRequest& request);
  // Anyone, anonymous included (precepts are public records); another tenant's principal is
  // PERMISSION_DENIED before any lookup.
  absl::StatusOr<v1::Precept> GetPrecept(const auth::Principal& principal,
                                         const v1::GetPreceptRequest& request);
  // Newest year first, paged.
  absl::StatusOr<v1::ListPreceptsResponse> ListPrecepts(const auth::Principal& principal,
                                                        const v1::ListPreceptsRequest& request);

 private:
  sql::Database& db_;
  const events::Outbox& outbox_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::budget
