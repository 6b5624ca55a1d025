#include "services/decisions/access_request_logic.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/proto_rows.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/decisions/change_recorder.h"
#include "services/decisions/key_decision_store.h"

namespace moot::decisions {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kDecisionPattern[] = "tenants/{tenant}/decisions/{decision}";
constexpr char kRequestPattern[] = "tenants/{tenant}/decisions/{decision}/accessRequests/{request}";

absl::Status RequireText(absl::string_view field, const std::string& value, size_t max) {
  if (value.empty()) {
    return status::InvalidArgument(field, "is required");
  }
  if (value.size() > max) {
    return status::InvalidArgument(field, absl::StrCat("must be at most ", max, " characters"));
  }
  return absl::OkStatus();
}

std::vector<sql::Migration> Migrations() {
  return {
      {.version = 1,
       .name = "access requests",
       .sql = "CREATE TABLE decision_access_requests ("
              " tenant_id TEXT NOT NULL,"
              " decision_id TEXT NOT NULL,"
              " request_id TEXT NOT NULL,"
              " data BYTEA NOT NULL,"
              " version BIGINT NOT NULL,"
              " PRIMARY KEY (tenant_id, decision_id, request_id));"},
  };
}

}  // namespace

AccessRequestLogic::AccessRequestLogic(sql::Database& db, const events::Outbox& outbox,
                                       const time::Clock& clock, ids::IdGenerator& ids,
                                       const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::Status AccessRequestLogic::Migrate() { return db_.Migrate("access_requests", Migrations()); }

absl::StatusOr<v1::AccessRequest> AccessRequestLogic::CreateAccessRequest(
    const auth::Principal& principal, const v1::CreateAccessRequestRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kOfficer, auth::Role::kMember}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kDecisionPattern, request.parent(), "parent"));
  const v1::AccessRequest& in = request.access_request();
  MOOT_RETURN_IF_ERROR(RequireText("access_request.requester", in.requester(), 200));
  MOOT_RETURN_IF_ERROR(RequireText("access_request.reason", in.reason(), 2000));
  const std::string tenant = parent.tenant();
  v1::AccessRequest result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, tenant, "CreateAccessRequest",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_ASSIGN_OR_RETURN(
        v1::KeyDecision decision,
        KeyDecisionStore::Get(tx, tenant, parent.Get("decision"), request.parent()));
    // R-KD-04: only confidential reports are withheld, so only they can be asked for.
    if (decision.confidentiality() != v1::CONFIDENTIALITY_CONFIDENTIAL &&
        decision.confidentiality() != v1::CONFIDENTIALITY_COMMERCIALLY_CONFIDENTIAL) {
      return status::FailedPrecondition("DECISION_NOT_CONFIDENTIAL", request.parent(),
                                        "the decision is public; its report needs no request");
    }
    const std::string id = absl::AsciiStrToLower(ids_.NewId());
    v1::AccessRequest access;
    access.set_name(api::FormatName(kRequestPattern, {tenant, parent.Get("decision"), id}));
    access.set_requester(in.requester());
    access.set_reason(in.reason());
    access.set_outcome(v1::ACCESS_OUTCOME_PENDING);
    access.set_recorded_by(principal.subject);
    *access.mutable_create_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));
    MOOT_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO decision_access_requests (tenant_id, decision_id, request_id,"
                   " data, version) VALUES ($1, $2, $3, $4, 1)",
                   {tenant, parent.Get("decision"), id, sql::Bytes{access.SerializeAsString()}})
            .status());
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, tenant);
    MOOT_RETURN_IF_ERROR(recorder.Record("CreateAccessRequest", access.name(), access,
                                         "decision.access_requested", /*is_public=*/false));
    result = access;
    return api::RequestLog::Record(tx, tenant, "CreateAccessRequest", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::AccessRequest> AccessRequestLogic::DecideAccessRequest(
    const auth::Principal& principal, const v1::DecideAccessRequestRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.name(), auth::TenantScope::kOwnTenant, "name"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, {auth::Role::kPccOffice}));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kRequestPattern, request.name(), "name"));
  if (request.outcome() != v1::ACCESS_OUTCOME_GRANTED &&
      request.outcome() != v1::ACCESS_OUTCOME_REFUSED) {
    return status::InvalidArgument("outcome", "must be GRANTED or REFUSED");
  }
  MOOT_RETURN_IF_ERROR(RequireText("outcome_reason", request.outcome_reason(), 2000));
  v1::AccessRequest result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        sql::Result r,
        tx.Execute("SELECT data, version FROM decision_access_requests WHERE tenant_id = $1 AND"
                   " decision_id = $2 AND request_id = $3",
                   {name.tenant(), name.Get("decision"), name.Get("request")}));
    if (r.rows.empty()) {
      return status::NotFound(request.name());
    }
    MOOT_ASSIGN_OR_RETURN(v1::AccessRequest access, api::Decode<v1::AccessRequest>(r.rows[0], 0));
    if (access.outcome() != v1::ACCESS_OUTCOME_PENDING) {
      return status::FailedPrecondition("ACCESS_ALREADY_DECIDED", request.name(),
                                        "the request already has an outcome");
    }
    access.set_outcome(request.outcome());
    access.set_outcome_reason(request.outcome_reason());
    access.set_decided_by(principal.subject);
    *access.mutable_decide_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));
    MOOT_ASSIGN_OR_RETURN(
        sql::Result updated,
        tx.Execute("UPDATE decision_access_requests SET data = $1, version = version + 1 WHERE"
                   " tenant_id = $2 AND decision_id = $3 AND request_id = $4 AND version = $5",
                   {sql::Bytes{access.SerializeAsString()}, name.tenant(), name.Get("decision"),
                    name.Get("request"), r.rows[0].Int(1)}));
    if (updated.rows_affected != 1) {
      return status::WithReason(absl::AbortedError("changed concurrently; retry"),
                                "CONCURRENT_MODIFICATION");
    }
    ChangeRecorder recorder(tx, outbox_, ids_, clock_, principal, name.tenant());
    MOOT_RETURN_IF_ERROR(recorder.Record("DecideAccessRequest", access.name(), access,
                                         "decision.access_decided", /*is_public=*/false));
    result = access;
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<v1::ListAccessRequestsResponse> AccessRequestLogic::ListAccessRequests(
    const auth::Principal& principal, const v1::ListAccessRequestsRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(
      principal, {auth::Role::kOfficer, auth::Role::kMember, auth::Role::kPccOffice}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kDecisionPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("decisions.ListAccessRequests|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListAccessRequestsResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        sql::Result r,
        conn.Execute(
            "SELECT request_id, data FROM decision_access_requests WHERE tenant_id = $1"
            " AND decision_id = $2 AND request_id > $3 ORDER BY request_id LIMIT $4",
            {parent.tenant(), parent.Get("decision"), after, static_cast<int64_t>(page_size) + 1}));
    MOOT_ASSIGN_OR_RETURN(auto page, api::ReadPage<v1::AccessRequest>(r, page_size));
    for (auto& a : page.items) {
      *response.add_access_requests() = std::move(a);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace moot::decisions
