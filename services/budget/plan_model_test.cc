#include "services/budget/plan_model.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "libs/status/errors.h"

namespace moot::budget {
namespace {

v1::Plan Plan() {
  v1::Plan plan;
  plan.set_first_year("2024-25");
  plan.set_years(2);
  v1::PlanAssumptions* a = plan.mutable_assumptions();
  a->set_base_budget_requirement_pence(10000000);  // £100,000
  a->set_pay_share_bp(8000);                       // 80% pay (S3 L161)
  a->set_pay_inflation_bp(300);                    // 3% (S3 L145)
  a->set_non_pay_inflation_bp(200);
  a->set_base_grant_pence(6000000);
  a->set_grant_change_bp(100);
  a->set_base_tax_base_hundredths(10000);  // 100 Band D equivalents
  a->set_tax_base_growth_bp(100);
  a->set_base_band_d_pence(20000);
  a->add_band_d_increase_pence(1500);
  a->add_planned_savings_pence(1000000);
  a->set_reserves_opening_pence(3000000);
  a->add_planned_reserves_use_pence(500000);
  a->set_minimum_reserves_pence(2600000);
  a->set_referendum_limit_pence(1000);
  return plan;
}

TEST(PlanModelTest, YearsGapSavingsAndReserves) {
  v1::Plan plan = Plan();
  ASSERT_TRUE(ComputePlan(plan).ok());
  ASSERT_EQ(plan.plan_years_size(), 2);
  struct Row {
    std::string year;
    int64_t requirement, grant, tax_base, band_d, council_tax, gap, still_to_find, reserves;
    std::vector<std::string> warnings;
  };
  const std::vector<Row> rows = {
      // pay 8,000,000 x 1.03 + non-pay 2,000,000 x 1.02; 215.00 x 101.00; gap - savings - use.
      {"2024-25",
       10280000,
       6060000,
       10100,
       21500,
       2171500,
       2048500,
       548500,
       2500000,
       {kReservesBelowMinimum, "REFERENDUM_LIMIT_EXCEEDED"}},
      // The year-1 saving recurs: 8,487,200 + 2,080,800 - 1,000,000.
      {"2025-26",
       9568000,
       6120600,
       10201,
       21500,
       2193215,
       1254185,
       1254185,
       2500000,
       {kReservesBelowMinimum}},
  };
  for (int i = 0; i < 2; ++i) {
    const auto& y = plan.plan_years(i);
    const Row& r = rows[i];
    EXPECT_EQ(y.year(), r.year);
    EXPECT_EQ(y.budget_requirement_pence(), r.requirement) << r.year;
    EXPECT_EQ(y.grant_pence(), r.grant) << r.year;
    EXPECT_EQ(y.tax_base_hundredths(), r.tax_base) << r.year;
    EXPECT_EQ(y.band_d_pence(), r.band_d) << r.year;
    EXPECT_EQ(y.council_tax_pence(), r.council_tax) << r.year;
    EXPECT_EQ(y.funding_pence(), r.grant + r.council_tax) << r.year;
    EXPECT_EQ(y.gap_pence(), r.gap) << r.year;
    EXPECT_EQ(y.savings_still_to_find_pence(), r.still_to_find) << r.year;
    EXPECT_EQ(y.reserves_closing_pence(), r.reserves) << r.year;
    std::vector<std::string> codes;
    for (const auto& w : y.warnings()) codes.push_back(w.code());
    EXPECT_EQ(codes, r.warnings) << r.year;
  }
}

TEST(PlanModelTest, TenYearsAndBadAssumptions) {
  v1::Plan plan = Plan();
  plan.set_years(10);
  ASSERT_TRUE(ComputePlan(plan).ok());
  EXPECT_EQ(plan.plan_years(9).year(), "2033-34");
  struct Case {
    std::function<void(v1::Plan&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& p) { p.set_first_year("2024/25"); }, "plan.first_year"},
      {[](auto& p) { p.set_first_year("2024-26"); }, "plan.first_year"},
      {[](auto& p) { p.set_years(0); }, "plan.years"},
      {[](auto& p) { p.set_years(21); }, "plan.years"},
      {[](auto& p) { p.mutable_assumptions()->set_pay_share_bp(10001); },
       "plan.assumptions.pay_share_bp"},
      {[](auto& p) { p.mutable_assumptions()->set_base_grant_pence(-1); },
       "plan.assumptions.base_grant_pence"},
      {[](auto& p) {
         p.set_years(1);
         p.mutable_assumptions()->add_band_d_increase_pence(1);
       },
       "plan.assumptions.band_d_increase_pence"},
      {[](auto& p) { p.mutable_assumptions()->set_planned_savings_pence(0, -5); },
       "plan.assumptions.planned_savings_pence[0]"},
  };
  for (const auto& c : cases) {
    v1::Plan p = Plan();
    c.mutate(p);
    absl::Status s = ComputePlan(p);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    auto d = status::Details(s);
    EXPECT_EQ(d.field_violations.empty() ? "" : d.field_violations[0].field, c.field);
  }
}

}  // namespace
}  // namespace moot::budget
