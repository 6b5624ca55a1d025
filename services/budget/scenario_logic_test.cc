#include "services/budget/scenario_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "libs/testing/test_util.h"
#include "services/budget/plan_logic.h"
#include "services/budget/precept_logic.h"

namespace moot::budget {
namespace {

using ::testing::ElementsAre;

auth::Principal As(auth::Role role, const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:x", .roles = {role}};
}
std::string Reason(const absl::Status& s) { return status::Details(s).reason; }
std::string Field(const absl::Status& s) {
  auto d = status::Details(s);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

class UnusedVotes : public VoteLookup {
 public:
  absl::StatusOr<VoteRecord> GetVote(const auth::Principal&,
                                     const std::string& name) const override {
    return status::NotFound(name);
  }
};

class ScenarioLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    precepts_ = std::make_unique<PreceptLogic>(*db_, outbox_, clock_, ids_, tokens_, votes_);
    ASSERT_TRUE(precepts_->Migrate().ok());
    scenarios_ = std::make_unique<ScenarioLogic>(*db_, outbox_, clock_, ids_, tokens_);
    plans_ = std::make_unique<PlanLogic>(*db_, outbox_, clock_, ids_, tokens_);
    v1::CreatePreceptRequest year;
    year.set_parent("tenants/wm");
    year.set_precept_id("2023-24");
    year.mutable_precept()->set_council_tax_requirement_pence(16993945000);
    year.mutable_precept()->set_tax_base_hundredths(83900000);
    ASSERT_TRUE(precepts_->CreatePrecept(As(auth::Role::kFinanceOfficer), year).ok());
  }

  static v1::CreateScenarioRequest Scenario(const std::string& id, v1::ScenarioKind kind,
                                            int64_t grants) {
    v1::CreateScenarioRequest r;
    r.set_parent("tenants/wm/precepts/2023-24");
    r.set_scenario_id(id);
    r.mutable_scenario()->set_display_name(id);
    r.mutable_scenario()->set_kind(kind);
    v1::PreceptInputs* in = r.mutable_scenario()->mutable_inputs();
    in->set_net_budget_requirement_pence(71840000000);
    auto* line = in->add_funding_lines();
    line->set_id("grants");
    line->set_amount_pence(grants);
    in->set_tax_base_hundredths(83900000);
    in->set_population(2864925);
    in->set_prior_band_d_pence(18755);
    in->set_referendum_limit_pence(1000);  // £10: the £15 rise breaks it (a warning here)
    return r;
  }

  std::vector<std::string> OutboxTypes() {
    std::vector<std::string> types;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT type FROM outbox ORDER BY seq");
                     if (!r.ok()) return r.status();
                     for (const auto& row : r->rows) types.push_back(row.String(0));
                     return absl::OkStatus();
                   })
                    .ok());
    return types;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1675000000)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  UnusedVotes votes_;
  std::unique_ptr<PreceptLogic> precepts_;
  std::unique_ptr<ScenarioLogic> scenarios_;
  std::unique_ptr<PlanLogic> plans_;
};

constexpr int64_t kGrants = 71840000000 - 16993945000;

TEST_F(ScenarioLogicTest, WhoCreatesWhichKind) {
  auto proposed = scenarios_->CreateScenario(
      As(auth::Role::kPccOffice), Scenario("proposed", v1::SCENARIO_KIND_PROPOSED, kGrants));
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  EXPECT_EQ(proposed->name(), "tenants/wm/precepts/2023-24/scenarios/proposed");
  EXPECT_EQ(proposed->statement().band_d_pence(), 20255);
  // The referendum limit is a warning on a scenario, not an error.
  ASSERT_EQ(proposed->statement().warnings_size(), 1);
  EXPECT_EQ(proposed->statement().warnings(0).code(), "REFERENDUM_LIMIT_EXCEEDED");
  // A member of the budget sub-group models an alternative; not the PCC's proposal.
  auto member = scenarios_->CreateScenario(
      As(auth::Role::kMember),
      Scenario("bsg-lower", v1::SCENARIO_KIND_ALTERNATIVE, kGrants + 100000000));
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_EQ(member->creator(), "user:x");
  auto denied = scenarios_->CreateScenario(As(auth::Role::kMember),
                                           Scenario("fake", v1::SCENARIO_KIND_PROPOSED, kGrants));
  EXPECT_EQ(Reason(denied.status()), "ROLE_NOT_ALLOWED");
  EXPECT_TRUE(scenarios_
                  ->CreateScenario(As(auth::Role::kOfficer),
                                   Scenario("panel", v1::SCENARIO_KIND_PANEL_RECOMMENDED, kGrants))
                  .ok());
  // Bad input names the field; a missing year is NOT_FOUND.
  auto bad = Scenario("bad", v1::SCENARIO_KIND_ALTERNATIVE, kGrants);
  bad.mutable_scenario()->mutable_inputs()->set_population(0);
  EXPECT_EQ(Field(scenarios_->CreateScenario(As(auth::Role::kMember), bad).status()),
            "scenario.inputs.population");
  bad = Scenario("Bad Id", v1::SCENARIO_KIND_ALTERNATIVE, kGrants);
  EXPECT_EQ(Field(scenarios_->CreateScenario(As(auth::Role::kMember), bad).status()),
            "scenario_id");
  bad = Scenario("x", v1::SCENARIO_KIND_UNSPECIFIED, kGrants);
  EXPECT_EQ(Field(scenarios_->CreateScenario(As(auth::Role::kMember), bad).status()),
            "scenario.kind");
  bad = Scenario("x", v1::SCENARIO_KIND_ALTERNATIVE, kGrants);
  bad.set_parent("tenants/wm/precepts/2030-31");
  EXPECT_EQ(scenarios_->CreateScenario(As(auth::Role::kMember), bad).status().code(),
            absl::StatusCode::kNotFound);

  v1::CompareScenariosRequest compare;
  compare.add_names(proposed->name());
  compare.add_names(member->name());
  compare.add_tax_base_changes_bp(-100);
  compare.add_grant_changes_bp(100);
  auto compared = scenarios_->CompareScenarios(As(auth::Role::kMember), compare);
  ASSERT_TRUE(compared.ok()) << compared.status();
  EXPECT_EQ(compared->names_size(), 2);
  EXPECT_EQ(compared->sensitivities_size(), 4);
  compare.clear_names();
  compare.add_names(proposed->name());
  EXPECT_EQ(Field(scenarios_->CompareScenarios(As(auth::Role::kMember), compare).status()),
            "names");

  v1::ListScenariosRequest list;
  list.set_parent("tenants/wm/precepts/2023-24");
  list.set_page_size(2);
  auto page = scenarios_->ListScenarios(As(auth::Role::kMember), list);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->scenarios_size(), 2);
  EXPECT_EQ(page->scenarios(0).display_name(), "bsg-lower");
  list.set_page_token(page->next_page_token());
  page = scenarios_->ListScenarios(As(auth::Role::kMember), list);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->scenarios_size(), 1);
  EXPECT_TRUE(page->next_page_token().empty());
  EXPECT_THAT(OutboxTypes(), ElementsAre("precept.created", "scenario.created", "scenario.created",
                                         "scenario.created"));
}

TEST_F(ScenarioLogicTest, ScenarioAndPlanRpcsCheckTenantAndRole) {
  ASSERT_TRUE(scenarios_
                  ->CreateScenario(As(auth::Role::kFinanceOfficer),
                                   Scenario("proposed", v1::SCENARIO_KIND_PROPOSED, kGrants))
                  .ok());
  v1::CreatePlanRequest plan;
  plan.set_parent("tenants/wm");
  plan.set_plan_id("mtfp");
  plan.mutable_plan()->set_display_name("MTFP");
  plan.mutable_plan()->set_first_year("2024-25");
  plan.mutable_plan()->set_years(4);
  ASSERT_TRUE(plans_->CreatePlan(As(auth::Role::kFinanceOfficer), plan).ok());
  const std::string scenario = "tenants/wm/precepts/2023-24/scenarios/proposed";
  using Call = std::function<absl::Status(const auth::Principal&)>;
  struct Case {
    std::string rpc;
    Call call;
    auth::Role wrong_role;
  };
  const std::vector<Case> cases = {
      {"CreateScenario",
       [&](const auto& p) {
         return scenarios_
             ->CreateScenario(p, Scenario("alt", v1::SCENARIO_KIND_ALTERNATIVE, kGrants))
             .status();
       },
       auth::Role::kPartner},
      {"GetScenario",
       [&](const auto& p) {
         v1::GetScenarioRequest r;
         r.set_name(scenario);
         return scenarios_->GetScenario(p, r).status();
       },
       auth::Role::kPartner},
      {"ListScenarios",
       [&](const auto& p) {
         v1::ListScenariosRequest r;
         r.set_parent("tenants/wm/precepts/2023-24");
         return scenarios_->ListScenarios(p, r).status();
       },
       auth::Role::kOps},
      {"CompareScenarios",
       [&](const auto& p) {
         v1::CompareScenariosRequest r;
         r.add_names(scenario);
         r.add_names(scenario);
         return scenarios_->CompareScenarios(p, r).status();
       },
       auth::Role::kPartner},
      {"CreatePlan",
       [&](const auto& p) {
         auto r = plan;
         r.set_plan_id("other");
         return plans_->CreatePlan(p, r).status();
       },
       auth::Role::kMember},
      {"GetPlan",
       [&](const auto& p) {
         v1::GetPlanRequest r;
         r.set_name("tenants/wm/plans/mtfp");
         return plans_->GetPlan(p, r).status();
       },
       auth::Role::kPartner},
      {"ListPlans",
       [&](const auto& p) {
         v1::ListPlansRequest r;
         r.set_parent("tenants/wm");
         return plans_->ListPlans(p, r).status();
       },
       auth::Role::kPartner},
      {"GetPlanCharts",
       [&](const auto& p) {
         v1::GetPlanChartsRequest r;
         r.set_name("tenants/wm/plans/mtfp");
         return plans_->GetPlanCharts(p, r).status();
       },
       auth::Role::kPartner},
  };
  for (const auto& c : cases) {
    for (auth::Role role : {auth::Role::kFinanceOfficer, auth::Role::kMember}) {
      absl::Status s = c.call(As(role, "ny"));
      EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << c.rpc;
      EXPECT_EQ(Reason(s), "TENANT_MISMATCH") << c.rpc;
    }
    absl::Status s = c.call(As(c.wrong_role));
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << c.rpc << ": " << s;
    EXPECT_EQ(Reason(s), "ROLE_NOT_ALLOWED") << c.rpc;
    EXPECT_EQ(c.call(auth::Principal::Anonymous()).code(), absl::StatusCode::kUnauthenticated)
        << c.rpc;
  }
}

TEST_F(ScenarioLogicTest, PlanIsComputedStoredAndCharted) {
  v1::CreatePlanRequest r;
  r.set_parent("tenants/wm");
  r.set_plan_id("mtfp-2024");
  r.set_request_id("plan-1");
  v1::Plan* plan = r.mutable_plan();
  plan->set_display_name("MTFP 2024/25 to 2027/28");
  plan->set_first_year("2024-25");
  plan->set_years(4);
  plan->mutable_assumptions()->set_base_budget_requirement_pence(71840000000);
  plan->mutable_assumptions()->set_pay_share_bp(8000);
  plan->mutable_assumptions()->set_pay_inflation_bp(300);
  plan->mutable_assumptions()->set_base_grant_pence(54846055000);
  plan->mutable_assumptions()->set_base_tax_base_hundredths(83900000);
  plan->mutable_assumptions()->set_base_band_d_pence(20255);
  auto created = plans_->CreatePlan(As(auth::Role::kPccOffice), r);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->plan_years_size(), 4);
  EXPECT_EQ(created->plan_years(3).year(), "2027-28");
  auto again = plans_->CreatePlan(As(auth::Role::kPccOffice), r);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->SerializeAsString(), created->SerializeAsString());
  r.set_request_id("");
  EXPECT_EQ(plans_->CreatePlan(As(auth::Role::kPccOffice), r).status().code(),
            absl::StatusCode::kAlreadyExists);
  r.mutable_plan()->set_years(0);
  r.set_plan_id("x");
  EXPECT_EQ(Field(plans_->CreatePlan(As(auth::Role::kPccOffice), r).status()), "plan.years");

  v1::GetPlanChartsRequest charts;
  charts.set_name(created->name());
  auto c = plans_->GetPlanCharts(As(auth::Role::kMember), charts);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->series(0).id(), "plan_funding_gap");
  ASSERT_EQ(c->series(0).points_size(), 4);
  EXPECT_EQ(c->series(0).points(0).label(), "2024-25");
  EXPECT_EQ(c->series(0).points(0).value_pence(), created->plan_years(0).gap_pence());
  EXPECT_THAT(OutboxTypes(), ElementsAre("precept.created", "plan.created"));
}

// The demo calls of deploy/demo (10-west-midlands.json's precept year, then
// 30-west-midlands-budget.json) run through the logic as the seed tool would run them.
TEST(DemoDataTest, BudgetDemoRunsThroughTheLogic) {
  auto db = moot::testing::OpenTestDatabase();
  ASSERT_TRUE(db.ok());
  time::FakeClock clock{absl::FromUnixSeconds(1764000000)};  // November 2025
  ids::SequentialIdGenerator ids{"ev"};
  api::PageTokens tokens{"s"};
  events::Outbox outbox;
  UnusedVotes votes;
  PreceptLogic precepts(**db, outbox, clock, ids, tokens, votes);
  ASSERT_TRUE(precepts.Migrate().ok());
  ScenarioLogic scenarios(**db, outbox, clock, ids, tokens);
  PlanLogic plans(**db, outbox, clock, ids, tokens);
  const std::map<std::string, auth::Role> roles = {{"finance_officer", auth::Role::kFinanceOfficer},
                                                   {"pcc_office", auth::Role::kPccOffice},
                                                   {"officer", auth::Role::kOfficer},
                                                   {"member", auth::Role::kMember}};
  int calls = 0;
  for (const char* file :
       {"deploy/demo/10-west-midlands.json", "deploy/demo/30-west-midlands-budget.json"}) {
    std::ifstream in(moot::testing::SourceDir() + "/" + file);
    ASSERT_TRUE(in) << file;
    std::stringstream text;
    text << in.rdbuf();
    google::protobuf::Struct doc;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), &doc).ok()) << file;
    for (const auto& call : doc.fields().at("calls").list_value().values()) {
      const auto& fields = call.struct_value().fields();
      const std::string method = fields.at("method").string_value();
      if (method.rfind("/moot.budget.v1.", 0) != 0) {
        continue;
      }
      auth::Principal p{.tenant = "west-midlands",
                        .subject = "user:demo",
                        .roles = {roles.at(fields.at("as").string_value())}};
      std::string request;
      ASSERT_TRUE(google::protobuf::util::MessageToJsonString(fields.at("request"), &request).ok());
      const auto parse = [&](google::protobuf::Message* m) {
        auto s = google::protobuf::util::JsonStringToMessage(request, m);
        EXPECT_TRUE(s.ok()) << method << ": " << s.message();
      };
      absl::Status status;
      if (method == "/moot.budget.v1.PreceptService/CreatePrecept") {
        v1::CreatePreceptRequest r;
        parse(&r);
        status = precepts.CreatePrecept(p, r).status();
      } else if (method == "/moot.budget.v1.PreceptService/UpdatePrecept") {
        v1::UpdatePreceptRequest r;
        parse(&r);
        status = precepts.UpdatePrecept(p, r).status();
      } else if (method == "/moot.budget.v1.PreceptService/ProposePrecept") {
        v1::ProposePreceptRequest r;
        parse(&r);
        status = precepts.ProposePrecept(p, r).status();
      } else if (method == "/moot.budget.v1.PreceptService/RecordPanelReport") {
        v1::RecordPanelReportRequest r;
        parse(&r);
        status = precepts.RecordPanelReport(p, r).status();
      } else if (method == "/moot.budget.v1.PreceptService/SetInformationRequest") {
        v1::SetInformationRequestRequest r;
        parse(&r);
        status = precepts.SetInformationRequest(p, r).status();
      } else if (method == "/moot.budget.v1.PreceptService/IssuePrecept") {
        v1::IssuePreceptRequest r;
        parse(&r);
        status = precepts.IssuePrecept(p, r).status();
      } else if (method == "/moot.budget.v1.ScenarioService/CreateScenario") {
        v1::CreateScenarioRequest r;
        parse(&r);
        status = scenarios.CreateScenario(p, r).status();
      } else if (method == "/moot.budget.v1.PlanService/CreatePlan") {
        v1::CreatePlanRequest r;
        parse(&r);
        status = plans.CreatePlan(p, r).status();
      } else {
        ADD_FAILURE() << "no mapping for " << method;
      }
      EXPECT_TRUE(status.ok()) << method << ": " << status;
      ++calls;
    }
  }
  EXPECT_EQ(calls, 11);
  // The public reads the issued 2023/24 precept and the published 2019-20 statement.
  v1::GetPreceptRequest get;
  get.set_name("tenants/west-midlands/precepts/2023-24");
  auto issued = precepts.GetPrecept(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_EQ(issued->state(), v1::PRECEPT_STATE_ISSUED);
  EXPECT_EQ(issued->issued_band_d_pence(), 20255);
  EXPECT_EQ(issued->statement().band_d_change().percent(), "7.998");
  get.set_name("tenants/west-midlands/precepts/2019-20");
  auto statement = precepts.GetPrecept(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_EQ(statement->statement().council_tax_requirement_pence(), 10879000000);
  // R-KD-08: the 2019-20 statement is PCC Decision 004-2019.
  EXPECT_EQ(statement->pcc_decision_reference(), "004-2019");
  EXPECT_EQ(statement->pcc_decision(), "tenants/west-midlands/decisions/004-2019");
  // The 2023/24 report records the equality duty (R-PR-10), shows the information requests
  // (R-PR-11) and warns of what it did not consider (R-PR-03, R-PR-12) and the open request.
  EXPECT_TRUE(issued->report().equality_duty().due_regard());
  ASSERT_EQ(issued->report().information_requests_size(), 2);
  std::vector<std::string> warnings;
  for (const auto& w : issued->report().warnings()) {
    warnings.push_back(w.code());
  }
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "BUDGET_NOT_CONSIDERED", "CAPITAL_PROGRAMME_NOT_CONSIDERED",
                          "RESERVES_STRATEGY_NOT_CONSIDERED", "INFORMATION_REQUEST_OPEN"}));
  EXPECT_TRUE(statement->statement().reconciliation().empty());
  v1::GetPlanRequest plan;
  plan.set_name("tenants/west-midlands/plans/mtfp-2024-25");
  auto mtfp = plans.GetPlan(As(auth::Role::kMember, "west-midlands"), plan);
  ASSERT_TRUE(mtfp.ok());
  ASSERT_EQ(mtfp->plan_years_size(), 4);
  EXPECT_EQ(mtfp->plan_years(3).year(), "2027-28");
  EXPECT_EQ(mtfp->plan_years(3).warnings(0).code(), "RESERVES_BELOW_MINIMUM");
}

}  // namespace
}  // namespace moot::budget
