#include "services/budget/plan_logic.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/budget/plan_model.h"
#include "services/budget/precept_model.h"
#include "services/budget/precept_store.h"

namespace moot::budget {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kTenantPattern[] = "tenants/{tenant}";
constexpr char kPlanPattern[] = "tenants/{tenant}/plans/{plan}";

const std::vector<auth::Role>& Readers() {
  static const auto* roles = new std::vector<auth::Role>{
      auth::Role::kMember, auth::Role::kOfficer, auth::Role::kFinanceOfficer,
      auth::Role::kPccOffice, auth::Role::kTenantAdmin};
  return *roles;
}

}  // namespace

PlanLogic::PlanLogic(sql::Database& db, const events::Outbox& outbox, const time::Clock& clock,
                     ids::IdGenerator& ids, const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::StatusOr<v1::Plan> PlanLogic::CreatePlan(const auth::Principal& principal,
                                               const v1::CreatePlanRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(
      auth::RequireRole(principal, {auth::Role::kFinanceOfficer, auth::Role::kPccOffice}));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(ValidateId(request.plan_id(), "plan_id"));
  if (request.plan().display_name().empty()) {
    return status::InvalidArgument("plan.display_name", "is required");
  }
  v1::Plan plan = request.plan();
  plan.set_name(api::FormatName(kPlanPattern, {parent.tenant(), request.plan_id()}));
  MOOT_RETURN_IF_ERROR(ComputePlan(plan));
  *plan.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));

  v1::Plan result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreatePlan",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(PreceptStore::InsertPlan(tx, parent.tenant(), request.plan_id(), plan));
    MOOT_RETURN_IF_ERROR(
        outbox_.Append(tx, service::NewEvent(ids_, clock_, "budget", "plan.created",
                                             parent.tenant(), plan.name(), plan,
                                             /*is_public=*/false)));
    result = plan;
    return api::RequestLog::Record(tx, parent.tenant(), "CreatePlan", request.request_id(), request,
                                   result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Plan> PlanLogic::GetPlan(const auth::Principal& principal,
                                            const v1::GetPlanRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, Readers()));
  MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kPlanPattern, request.name(), "name"));
  v1::Plan plan;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        plan, PreceptStore::GetPlan(conn, name.tenant(), name.Get("plan"), request.name()));
    return absl::OkStatus();
  }));
  return plan;
}

absl::StatusOr<v1::ListPlansResponse> PlanLogic::ListPlans(const auth::Principal& principal,
                                                           const v1::ListPlansRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, Readers()));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kTenantPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("budget.ListPlans|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListPlansResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(auto page,
                          PreceptStore::ListPlans(conn, parent.tenant(), after, page_size));
    for (auto& p : page.items) {
      *response.add_plans() = std::move(p);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Charts> PlanLogic::GetPlanCharts(const auth::Principal& principal,
                                                    const v1::GetPlanChartsRequest& request) {
  v1::GetPlanRequest get;
  get.set_name(request.name());
  MOOT_ASSIGN_OR_RETURN(v1::Plan plan, GetPlan(principal, get));
  v1::Charts charts;
  v1::ChartSeries* gap = charts.add_series();
  gap->set_id("plan_funding_gap");
  gap->set_title(absl::StrCat("Funding gap by year, ", plan.display_name()));
  v1::ChartSeries* reserves = charts.add_series();
  reserves->set_id("plan_reserves");
  reserves->set_title(absl::StrCat("Reserves at year end, ", plan.display_name()));
  for (const auto& y : plan.plan_years()) {
    v1::ChartPoint* g = gap->add_points();
    g->set_label(y.year());
    g->set_value_pence(y.gap_pence());
    v1::ChartPoint* r = reserves->add_points();
    r->set_label(y.year());
    r->set_value_pence(y.reserves_closing_pence());
  }
  return charts;
}

}  // namespace moot::budget
