#include "services/decisions/audit_logic.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/decisions/audit_log.h"

namespace moot::decisions {
namespace {

constexpr char kTenantPattern[] = "tenants/{tenant}";

}  // namespace

absl::StatusOr<v1::AuditVerification> AuditLogic::VerifyAuditChain(
    const auth::Principal& principal, const v1::VerifyAuditChainRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kTenantAdmin}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  v1::AuditVerification result;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(result, AuditLog::Verify(conn, parent.tenant()));
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<v1::ListAuditRecordsResponse> AuditLogic::ListAuditRecords(
    const auth::Principal& principal, const v1::ListAuditRecordsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kTenantAdmin}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("decisions.ListAuditRecords|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  int64_t after_seq = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &after_seq)) {
    return status::InvalidArgument("page_token", "is not a token of this listing");
  }
  v1::ListAuditRecordsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto rows, AuditLog::List(conn, parent.tenant(), after_seq, page_size));
    const bool more = static_cast<int>(rows.size()) > page_size;
    for (int i = 0; i < static_cast<int>(rows.size()) && i < page_size; ++i) {
      *response.add_records() = std::move(rows[i]);
    }
    if (more) {
      response.set_next_page_token(
          page_tokens_.Issue(binding, absl::StrCat(response.records().rbegin()->seq())));
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace moot::decisions
