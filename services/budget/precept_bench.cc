// Google Benchmark of the budget model (issue 5 point 12): a precept year with 10 billing
// authorities and 20 funding lines, the comparison of two such scenarios with sensitivity, and a
// 10-year medium-term plan. They should take microseconds. scripts/bench_budget.sh runs it.
#include <benchmark/benchmark.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "services/budget/plan_model.h"
#include "services/budget/precept_model.h"
#include "services/budget/scenario_compare.h"

namespace moot::budget {
namespace {

v1::PreceptInputs Year(int authorities, int lines) {
  v1::PreceptInputs in;
  in.set_net_budget_requirement_pence(71840000000);
  const int64_t grants = 71840000000 - 16993945000;
  for (int i = 0; i < lines; ++i) {
    auto* line = in.add_funding_lines();
    line->set_id(absl::StrCat("line-", i));
    line->set_title(absl::StrCat("Funding line ", i));
    line->set_amount_pence(grants / lines + (i == 0 ? grants % lines : 0));
  }
  for (int i = 0; i < authorities; ++i) {
    auto* ba = in.add_billing_authorities();
    ba->set_id(absl::StrCat("authority-", i));
    ba->set_title(absl::StrCat("Billing authority ", i));
    ba->set_tax_base_hundredths(8390000 + i * 1234);
    ba->set_collection_fund_pence(i % 2 == 0 ? 1000000 : -500000);
  }
  in.set_population(2864925);
  in.set_prior_band_d_pence(18755);
  in.set_referendum_limit_pence(1500);
  in.mutable_stated()->set_council_tax_requirement_pence(16993945000);
  return in;
}

void BM_PreceptYear10Authorities20Lines(benchmark::State& state) {
  const v1::PreceptInputs in = Year(10, 20);
  for (auto _ : state) {
    auto statement = ComputeStatement(in);
    benchmark::DoNotOptimize(statement);
  }
}
BENCHMARK(BM_PreceptYear10Authorities20Lines);

void BM_CompareTwoScenariosWithSensitivity(benchmark::State& state) {
  std::vector<v1::Scenario> scenarios(2);
  for (int i = 0; i < 2; ++i) {
    scenarios[i].set_name(absl::StrCat("tenants/wm/precepts/2024-25/scenarios/s", i));
    *scenarios[i].mutable_inputs() = Year(10, 20);
    scenarios[i].mutable_inputs()->set_net_budget_requirement_pence(71840000000 - i * 100000000);
    *scenarios[i].mutable_statement() = *ComputeStatement(scenarios[i].inputs());
  }
  for (auto _ : state) {
    auto r = CompareScenarios(scenarios, {-200, -100, 100, 200}, {-100, 100});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_CompareTwoScenariosWithSensitivity);

void BM_TenYearPlan(benchmark::State& state) {
  v1::Plan plan;
  plan.set_first_year("2024-25");
  plan.set_years(10);
  v1::PlanAssumptions* a = plan.mutable_assumptions();
  a->set_base_budget_requirement_pence(71840000000);
  a->set_pay_share_bp(8000);
  a->set_pay_inflation_bp(300);
  a->set_non_pay_inflation_bp(200);
  a->set_base_grant_pence(54846055000);
  a->set_grant_change_bp(100);
  a->set_base_tax_base_hundredths(83900000);
  a->set_tax_base_growth_bp(100);
  a->set_base_band_d_pence(20255);
  for (int i = 0; i < 10; ++i) {
    a->add_band_d_increase_pence(1000);
    a->add_planned_savings_pence(1000000000);
    a->add_planned_reserves_use_pence(200000000);
  }
  a->set_reserves_opening_pence(8000000000);
  a->set_minimum_reserves_pence(6500000000);
  a->set_referendum_limit_pence(1500);
  for (auto _ : state) {
    v1::Plan copy = plan;
    auto status = ComputePlan(copy);
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_TenYearPlan);

}  // namespace
}  // namespace moot::budget

BENCHMARK_MAIN();
