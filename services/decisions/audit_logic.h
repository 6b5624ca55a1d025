// Reading and verifying the register's audit chain (issue 4 point 6), independent of gRPC.
#pragma once

#include "absl/status/statusor.h"
#include "libs/api/page_token.h"
#include "libs/auth/principal.h"
#include "libs/sql/database.h"
#include "moot/decisions/v1/minutes.pb.h"

namespace moot::decisions {

class AuditLogic {
 public:
  AuditLogic(sql::Database& db, const api::PageTokens& page_tokens)
      : db_(db), page_tokens_(page_tokens) {}

  // OFFICER or TENANT_ADMIN of the tenant. OK with the head hash, or the first bad row.
  absl::StatusOr<v1::AuditVerification> VerifyAuditChain(
      const auth::Principal& principal, const v1::VerifyAuditChainRequest& request);
  // OFFICER or TENANT_ADMIN of the tenant; chain order, without the changes themselves.
  absl::StatusOr<v1::ListAuditRecordsResponse> ListAuditRecords(
      const auth::Principal& principal, const v1::ListAuditRecordsRequest& request);

 private:
  sql::Database& db_;
  const api::PageTokens& page_tokens_;
};

}  // namespace moot::decisions
