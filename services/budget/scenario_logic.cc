#include "services/budget/scenario_logic.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/request_log.h"
#include "libs/api/resource_name.h"
#include "libs/auth/access.h"
#include "libs/service/new_event.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/budget/precept_model.h"
#include "services/budget/precept_store.h"
#include "services/budget/scenario_compare.h"

namespace moot::budget {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kPreceptPattern[] = "tenants/{tenant}/precepts/{precept}";
constexpr char kScenarioPattern[] = "tenants/{tenant}/precepts/{precept}/scenarios/{scenario}";

const std::vector<auth::Role>& Readers() {
  static const auto* roles = new std::vector<auth::Role>{
      auth::Role::kMember, auth::Role::kOfficer, auth::Role::kFinanceOfficer,
      auth::Role::kPccOffice, auth::Role::kTenantAdmin};
  return *roles;
}
const std::vector<auth::Role>& Creators() {
  static const auto* roles =
      new std::vector<auth::Role>{auth::Role::kMember, auth::Role::kOfficer,
                                  auth::Role::kFinanceOfficer, auth::Role::kPccOffice};
  return *roles;
}

}  // namespace

ScenarioLogic::ScenarioLogic(sql::Database& db, const events::Outbox& outbox,
                             const time::Clock& clock, ids::IdGenerator& ids,
                             const api::PageTokens& page_tokens)
    : db_(db), outbox_(outbox), clock_(clock), ids_(ids), page_tokens_(page_tokens) {}

absl::StatusOr<v1::Scenario> ScenarioLogic::CreateScenario(
    const auth::Principal& principal, const v1::CreateScenarioRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, Creators()));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kPreceptPattern, request.parent(), "parent"));
  MOOT_RETURN_IF_ERROR(ValidateId(request.scenario_id(), "scenario_id"));
  const v1::Scenario& in = request.scenario();
  if (in.display_name().empty()) {
    return status::InvalidArgument("scenario.display_name", "is required");
  }
  if (in.kind() == v1::SCENARIO_KIND_UNSPECIFIED) {
    return status::InvalidArgument("scenario.kind", "is required");
  }
  // The PCC's proposal and revision are the PCC's; the panel and its sub-group model their own
  // (R-SG-07 workspace; R-PR-07: a sub-committee reviewing the draft cites only these, see
  // PreceptLogic::CheckSubCommitteeScenarios).
  const bool pcc_side =
      principal.HasRole(auth::Role::kFinanceOfficer) || principal.HasRole(auth::Role::kPccOffice);
  if (!pcc_side && in.kind() != v1::SCENARIO_KIND_PANEL_RECOMMENDED &&
      in.kind() != v1::SCENARIO_KIND_ALTERNATIVE) {
    return status::PermissionDenied(
        "ROLE_NOT_ALLOWED",
        "members and officers create panel-recommended or alternative scenarios only");
  }
  v1::Scenario scenario;
  scenario.set_name(api::FormatName(
      kScenarioPattern, {parent.tenant(), parent.Get("precept"), request.scenario_id()}));
  scenario.set_display_name(in.display_name());
  scenario.set_kind(in.kind());
  *scenario.mutable_inputs() = in.inputs();
  MOOT_ASSIGN_OR_RETURN(*scenario.mutable_statement(),
                        ComputeStatement(in.inputs(), "scenario.inputs"));
  scenario.set_creator(principal.subject);
  *scenario.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));

  v1::Scenario result;
  MOOT_RETURN_IF_ERROR(db_.Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(bool replayed,
                          api::RequestLog::Replay(tx, parent.tenant(), "CreateScenario",
                                                  request.request_id(), request, &result));
    if (replayed) {
      return absl::OkStatus();
    }
    MOOT_RETURN_IF_ERROR(
        PreceptStore::Get(tx, parent.tenant(), parent.Get("precept"), request.parent()).status());
    MOOT_RETURN_IF_ERROR(PreceptStore::InsertScenario(tx, parent.tenant(), parent.Get("precept"),
                                                      request.scenario_id(), scenario));
    MOOT_RETURN_IF_ERROR(outbox_.Append(
        tx, service::NewEvent(ids_, clock_, "budget", "scenario.created", parent.tenant(),
                              scenario.name(), scenario, /*is_public=*/false)));
    result = scenario;
    return api::RequestLog::Record(tx, parent.tenant(), "CreateScenario", request.request_id(),
                                   request, result, absl::ToUnixMicros(clock_.Now()));
  }));
  return result;
}

absl::StatusOr<v1::Scenario> ScenarioLogic::GetScenario(const auth::Principal& principal,
                                                        const v1::GetScenarioRequest& request) {
  MOOT_RETURN_IF_ERROR(auth::CheckTenant(principal, request.name()));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, Readers()));
  MOOT_ASSIGN_OR_RETURN(auto name,
                        api::ResourceName::Parse(kScenarioPattern, request.name(), "name"));
  v1::Scenario scenario;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(scenario,
                          PreceptStore::GetScenario(conn, name.tenant(), name.Get("precept"),
                                                    name.Get("scenario"), request.name()));
    return absl::OkStatus();
  }));
  return scenario;
}

absl::StatusOr<v1::ListScenariosResponse> ScenarioLogic::ListScenarios(
    const auth::Principal& principal, const v1::ListScenariosRequest& request) {
  MOOT_RETURN_IF_ERROR(
      auth::CheckTenant(principal, request.parent(), auth::TenantScope::kOwnTenant, "parent"));
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, Readers()));
  MOOT_ASSIGN_OR_RETURN(auto parent,
                        api::ResourceName::Parse(kPreceptPattern, request.parent(), "parent"));
  MOOT_ASSIGN_OR_RETURN(int page_size, api::EffectivePageSize(request.page_size()));
  const std::string binding = absl::StrCat("budget.ListScenarios|", request.parent());
  MOOT_ASSIGN_OR_RETURN(std::string after, page_tokens_.Check(binding, request.page_token()));
  v1::ListScenariosResponse response;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        auto page, PreceptStore::ListScenarios(conn, parent.tenant(), parent.Get("precept"), after,
                                               page_size));
    for (auto& s : page.items) {
      *response.add_scenarios() = std::move(s);
    }
    if (!page.last_key.empty()) {
      response.set_next_page_token(page_tokens_.Issue(binding, page.last_key));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::CompareScenariosResponse> ScenarioLogic::CompareScenarios(
    const auth::Principal& principal, const v1::CompareScenariosRequest& request) {
  if (request.names_size() < 2 || request.names_size() > 10) {
    return status::InvalidArgument("names", "compare between 2 and 10 scenarios");
  }
  std::vector<api::ResourceName> names;
  for (int i = 0; i < request.names_size(); ++i) {
    const std::string field = absl::StrCat("names[", i, "]");
    MOOT_RETURN_IF_ERROR(
        auth::CheckTenant(principal, request.names(i), auth::TenantScope::kOwnTenant, field));
  }
  MOOT_RETURN_IF_ERROR(auth::RequireRole(principal, Readers()));
  for (int i = 0; i < request.names_size(); ++i) {
    MOOT_ASSIGN_OR_RETURN(auto name, api::ResourceName::Parse(kScenarioPattern, request.names(i),
                                                              absl::StrCat("names[", i, "]")));
    names.push_back(std::move(name));
  }
  std::vector<v1::Scenario> scenarios;
  MOOT_RETURN_IF_ERROR(db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    for (int i = 0; i < request.names_size(); ++i) {
      MOOT_ASSIGN_OR_RETURN(
          auto s, PreceptStore::GetScenario(conn, names[i].tenant(), names[i].Get("precept"),
                                            names[i].Get("scenario"), request.names(i)));
      scenarios.push_back(std::move(s));
    }
    return absl::OkStatus();
  }));
  return budget::CompareScenarios(
      scenarios, {request.tax_base_changes_bp().begin(), request.tax_base_changes_bp().end()},
      {request.grant_changes_bp().begin(), request.grant_changes_bp().end()});
}

}  // namespace moot::budget
