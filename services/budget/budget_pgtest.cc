// The budget service's SQL on PostgreSQL (a server started by the test): the migrations that add
// columns, versioned updates with their conflict, the public-only listing, scenarios and plans;
// the same paths the SQLite logic tests exercise, on the other driver.
#include <gtest/gtest.h>

#include "libs/status/errors.h"
#include "libs/testing/postgres_server.h"
#include "services/budget/plan_logic.h"
#include "services/budget/precept_logic.h"
#include "services/budget/precept_store.h"
#include "services/budget/scenario_logic.h"

namespace moot::budget {
namespace {

// R-PR-10: every report records the panel's due regard to the equality duty.
void AttestEquality(v1::PanelReport& report) {
  report.mutable_equality_duty()->set_due_regard(true);
  report.mutable_equality_duty()->set_notes("The PCC's equality impact assessment was considered.");
}

auth::Principal As(auth::Role role) {
  return {.tenant = "wm", .subject = "user:x", .roles = {role}};
}

TEST(BudgetPgTest, PreceptCycleScenariosAndPlans) {
  if (std::string why = testing::PostgresServer::UnavailableReason(); !why.empty()) {
    GTEST_SKIP() << why;
  }
  auto server = testing::PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto db = sql::Open((*server)->url(), 2);
  ASSERT_TRUE(db.ok()) << db.status();
  time::FakeClock clock(absl::FromUnixSeconds(1706000000));  // 23 January 2024
  ids::SequentialIdGenerator ids("id");
  api::PageTokens tokens("test-secret");
  events::Outbox outbox;
  UnverifiableVoteLookup votes;
  PreceptLogic precepts(**db, outbox, clock, ids, tokens, votes);
  ASSERT_TRUE(precepts.Migrate().ok());
  ASSERT_TRUE(precepts.Migrate().ok());  // idempotent
  ScenarioLogic scenarios(**db, outbox, clock, ids, tokens);
  PlanLogic plans(**db, outbox, clock, ids, tokens);

  for (const char* year : {"2023-24", "2024-25"}) {
    v1::CreatePreceptRequest create;
    create.set_parent("tenants/wm");
    create.set_precept_id(year);
    create.mutable_precept()->set_body("tenants/wm/bodies/pcp");
    v1::PreceptInputs* in = create.mutable_precept()->mutable_inputs();
    in->set_net_budget_requirement_pence(71840000000);
    auto* line = in->add_funding_lines();
    line->set_id("grants");
    line->set_amount_pence(71840000000 - 16993945000);
    in->set_tax_base_hundredths(83900000);
    in->set_population(2864925);
    auto created = precepts.CreatePrecept(As(auth::Role::kFinanceOfficer), create);
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(created->band_d_pence(), 20255);
  }
  // Versioned updates: a stale version is a conflict.
  ASSERT_TRUE((*db)
                  ->Transact([&](sql::Connection& tx) -> absl::Status {
                    auto found = PreceptStore::GetVersioned(tx, "wm", "2024-25", "p");
                    if (!found.ok()) return found.status();
                    EXPECT_EQ(found->second, 1);
                    EXPECT_EQ(PreceptStore::Update(tx, "wm", "2024-25", found->first, 7).code(),
                              absl::StatusCode::kAborted);
                    return absl::OkStatus();
                  })
                  .ok());
  v1::ProposePreceptRequest propose;
  propose.set_name("tenants/wm/precepts/2024-25");
  propose.set_etag("1");
  auto proposed = precepts.ProposePrecept(As(auth::Role::kPccOffice), propose);
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  EXPECT_EQ(proposed->etag(), "2");
  EXPECT_EQ(
      status::Details(precepts.ProposePrecept(As(auth::Role::kPccOffice), propose).status()).reason,
      "ETAG_MISMATCH");
  // The production vote lookup refuses a veto rather than trusting it.
  v1::RecordPanelReportRequest veto;
  veto.set_name("tenants/wm/precepts/2024-25");
  veto.mutable_report()->set_outcome(v1::PANEL_OUTCOME_VETOED_TOO_HIGH);
  AttestEquality(*veto.mutable_report());
  veto.mutable_report()->set_vote("tenants/wm/bodies/pcp/meetings/2024-02-05/votes/1");
  EXPECT_EQ(
      status::Details(precepts.RecordPanelReport(As(auth::Role::kOfficer), veto).status()).reason,
      "VETO_VOTE_UNVERIFIABLE");
  v1::RecordPanelReportRequest report;
  report.set_name("tenants/wm/precepts/2024-25");
  report.mutable_report()->set_outcome(v1::PANEL_OUTCOME_SUPPORTED);
  AttestEquality(*report.mutable_report());
  ASSERT_TRUE(precepts.RecordPanelReport(As(auth::Role::kOfficer), report).ok());
  v1::IssuePreceptRequest issue;
  issue.set_name("tenants/wm/precepts/2024-25");
  issue.set_band_d_pence(20255);
  ASSERT_TRUE(precepts.IssuePrecept(As(auth::Role::kPccOffice), issue).ok());

  // The public lists the issued year only; members list both.
  v1::ListPreceptsRequest list;
  list.set_parent("tenants/wm");
  auto public_list = precepts.ListPrecepts(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(public_list.ok()) << public_list.status();
  ASSERT_EQ(public_list->precepts_size(), 1);
  EXPECT_EQ(public_list->precepts(0).year(), "2024-25");
  auto member_list = precepts.ListPrecepts(As(auth::Role::kMember), list);
  ASSERT_TRUE(member_list.ok());
  EXPECT_EQ(member_list->precepts_size(), 2);

  v1::CreateScenarioRequest scenario;
  scenario.set_parent("tenants/wm/precepts/2023-24");
  scenario.set_scenario_id("alt");
  scenario.mutable_scenario()->set_display_name("Alternative");
  scenario.mutable_scenario()->set_kind(v1::SCENARIO_KIND_ALTERNATIVE);
  scenario.mutable_scenario()->mutable_inputs()->set_population(10);
  ASSERT_TRUE(scenarios.CreateScenario(As(auth::Role::kMember), scenario).ok());
  EXPECT_EQ(scenarios.CreateScenario(As(auth::Role::kMember), scenario).status().code(),
            absl::StatusCode::kAlreadyExists);
  v1::ListScenariosRequest scenario_list;
  scenario_list.set_parent("tenants/wm/precepts/2023-24");
  auto listed = scenarios.ListScenarios(As(auth::Role::kMember), scenario_list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->scenarios_size(), 1);

  v1::CreatePlanRequest plan;
  plan.set_parent("tenants/wm");
  plan.set_plan_id("mtfp");
  plan.mutable_plan()->set_display_name("MTFP");
  plan.mutable_plan()->set_first_year("2024-25");
  plan.mutable_plan()->set_years(4);
  ASSERT_TRUE(plans.CreatePlan(As(auth::Role::kFinanceOfficer), plan).ok());
  v1::ListPlansRequest plan_list;
  plan_list.set_parent("tenants/wm");
  auto plan_page = plans.ListPlans(As(auth::Role::kMember), plan_list);
  ASSERT_TRUE(plan_page.ok()) << plan_page.status();
  ASSERT_EQ(plan_page->plans_size(), 1);
  EXPECT_EQ(plan_page->plans(0).plan_years_size(), 4);
}

}  // namespace
}  // namespace moot::budget
