#include "services/budget/scenario_compare.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "libs/status/errors.h"
#include "services/budget/precept_model.h"

namespace moot::budget {
namespace {

// §4.9 "WMP 2023/24": requirement £169,939,450 over 839,000 Band D equivalents = £202.55.
v1::Scenario Make(const std::string& id, int64_t grants_pence) {
  v1::Scenario s;
  s.set_name("tenants/wm/precepts/2023-24/scenarios/" + id);
  v1::PreceptInputs* in = s.mutable_inputs();
  in->set_net_budget_requirement_pence(71840000000);
  auto* line = in->add_funding_lines();
  line->set_id("grants");
  line->set_amount_pence(grants_pence);
  in->set_tax_base_hundredths(83900000);
  in->set_population(2864925);
  in->set_prior_band_d_pence(18755);
  *s.mutable_statement() = *ComputeStatement(*in);
  return s;
}

TEST(ScenarioCompareTest, SideBySideWithDifferences) {
  const int64_t grants = 71840000000 - 16993945000;
  auto r =
      CompareScenarios({Make("proposed", grants), Make("more-grant", grants + 100000000)}, {}, {});
  ASSERT_TRUE(r.ok()) << r.status();
  std::map<std::string, std::pair<std::vector<int64_t>, std::vector<int64_t>>> rows;
  for (const auto& row : r->rows()) {
    rows[row.figure()] = {{row.values_pence().begin(), row.values_pence().end()},
                          {row.differences_pence().begin(), row.differences_pence().end()}};
  }
  EXPECT_EQ(rows["band_d"].first, (std::vector<int64_t>{20255, 20136}));
  EXPECT_EQ(rows["band_d"].second, (std::vector<int64_t>{0, -119}));
  EXPECT_EQ(rows["council_tax_requirement"].second, (std::vector<int64_t>{0, -100000000}));
  EXPECT_EQ(rows["funding:grants"].second, (std::vector<int64_t>{0, 100000000}));
  EXPECT_EQ(rows["band_d_change"].first, (std::vector<int64_t>{1500, 1381}));
}

TEST(ScenarioCompareTest, SensitivityToTaxBaseAndGrants) {
  const int64_t grants = 71840000000 - 16993945000;
  auto r = CompareScenarios({Make("proposed", grants)}, {-100, 100}, {200});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->sensitivities_size(), 3);
  struct Row {
    std::string variable;
    int64_t bp, band_d, band_d_diff, income, income_diff;
  };
  const std::vector<Row> rows = {
      // 1% less tax base: the same requirement needs £204.60; £202.55 raises £1,699,394.50 less.
      {"tax_base", -100, 20460, 205, 16824005550, -169939450},
      {"tax_base", 100, 20054, -201, 17163884450, 169939450},
      // 2% more grant: £10,969,211 less council tax, Band D £189.48.
      {"grants", 200, 18948, -1307, 15897023900, -1096921100},
  };
  for (int i = 0; i < 3; ++i) {
    const auto& s = r->sensitivities(i);
    EXPECT_EQ(s.variable(), rows[i].variable);
    EXPECT_EQ(s.change_bp(), rows[i].bp);
    EXPECT_EQ(s.band_d_pence(), rows[i].band_d) << i;
    EXPECT_EQ(s.band_d_difference_pence(), rows[i].band_d_diff) << i;
    EXPECT_EQ(s.income_pence(), rows[i].income) << i;
    EXPECT_EQ(s.income_difference_pence(), rows[i].income_diff) << i;
  }
  auto bad = CompareScenarios({Make("p", grants)}, {20000}, {});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status::Details(bad.status()).field_violations[0].field, "tax_base_changes_bp[0]");
}

}  // namespace
}  // namespace moot::budget
