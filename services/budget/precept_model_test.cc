#include "services/budget/precept_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "libs/status/errors.h"

namespace moot::budget {
namespace {

constexpr int64_t kMillion = 100000000;  // £1m in pence.

void AddLine(v1::PreceptInputs& in, const std::string& id, const std::string& title,
             int64_t pence) {
  auto* line = in.add_funding_lines();
  line->set_id(id);
  line->set_title(title);
  line->set_amount_pence(pence);
}

// domain.md §4.1 / §7.6(a): "FINANCES 2019-2020", West Midlands PCC (S1 L44-63).
v1::PreceptInputs Wmp2019() {
  v1::PreceptInputs in;
  in.set_net_budget_requirement_pence(56985 * kMillion / 100);  // £569.85m
  AddLine(in, "police-grant", "Police grant", 25270 * kMillion / 100);
  AddLine(in, "rsg-ndr", "Revenue support grant & non domestic rates", 18130 * kMillion / 100);
  AddLine(in, "council-tax-support-grant", "Council tax support grant", 1903 * kMillion / 100);
  AddLine(in, "additional-pension-grant", "Additional Pension Grant", 696 * kMillion / 100);
  in.set_collection_fund_pence(107 * kMillion / 100);  // surplus £1.07m
  in.set_population(2864925);
  in.mutable_stated()->set_gross_precept_pence(10986 * kMillion / 100);
  in.mutable_stated()->set_council_tax_requirement_pence(10879 * kMillion / 100);
  return in;
}

std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

TEST(PreceptModelTest, Reproduces2019To20Statement) {
  auto s = ComputeStatement(Wmp2019());
  ASSERT_TRUE(s.ok()) << s.status();
  // "Where the money comes from": every figure of §4.1 to the pound.
  EXPECT_EQ(s->net_budget_requirement_pence(), 56985000000);
  EXPECT_EQ(s->total_funding_pence(), 45999000000);            // 252.70 + 181.30 + 19.03 + 6.96
  EXPECT_EQ(s->gross_precept_pence(), 10986000000);            // Gross Precept 109.86
  EXPECT_EQ(s->collection_fund_pence(), 107000000);            // Collection Fund Surplus 1.07
  EXPECT_EQ(s->council_tax_requirement_pence(), 10879000000);  // Council tax requirement 108.79
  EXPECT_EQ(s->population(), 2864925);
  // The stated totals agree: nothing to report.
  EXPECT_TRUE(s->reconciliation().empty());
  EXPECT_TRUE(s->warnings().empty());
  // Per head, each line / 2,864,925 to the penny.
  struct Row {
    std::string id;
    int64_t per_head_pence;
  };
  const std::vector<Row> rows = {{"police-grant", 8820},
                                 {"rsg-ndr", 6328},
                                 {"council-tax-support-grant", 664},
                                 {"additional-pension-grant", 243},
                                 {"council-tax-requirement", 3797}};
  ASSERT_EQ(s->per_head_size(), static_cast<int>(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(s->per_head(i).id(), rows[i].id);
    EXPECT_EQ(s->per_head(i).per_head_pence(), rows[i].per_head_pence) << rows[i].id;
  }
  // The average is the exact total / population (£198.5322 -> £198.53), not the sum of the
  // rounded lines (£198.52), and it leaves out the collection fund surplus.
  EXPECT_EQ(s->average_cost_per_person_pence(), 19853);
  // No tax base was given: no Band D figures.
  EXPECT_FALSE(s->has_band_d());
  EXPECT_TRUE(s->bands().empty());
}

TEST(PreceptModelTest, StatedTotalsThatDisagreeAreReported) {
  struct Case {
    std::function<void(v1::PreceptInputs&)> mutate;
    std::vector<std::string> figures;
  };
  const std::vector<Case> cases = {
      // A source that says 109.87 for the gross precept.
      {[](auto& in) { in.mutable_stated()->set_gross_precept_pence(10987000000); },
       {"gross_precept"}},
      // Both wrong.
      {[](auto& in) {
         in.mutable_stated()->set_gross_precept_pence(10900000000);
         in.mutable_stated()->set_council_tax_requirement_pence(10800000000);
       },
       {"gross_precept", "council_tax_requirement"}},
      // £1 off, within a £1 tolerance: not reported.
      {[](auto& in) {
         in.mutable_stated()->set_council_tax_requirement_pence(10879000100);
         in.set_reconciliation_tolerance_pence(100);
       },
       {}},
      {[](auto& in) { in.mutable_stated()->set_total_funding_pence(46000000000); },
       {"total_funding"}},
      {[](auto& in) { in.mutable_stated()->set_average_cost_per_person_pence(19852); },
       {"average_cost_per_person"}},
  };
  for (const auto& c : cases) {
    auto in = Wmp2019();
    c.mutate(in);
    auto s = ComputeStatement(in);
    ASSERT_TRUE(s.ok()) << s.status();
    std::vector<std::string> figures;
    for (const auto& r : s->reconciliation()) {
      figures.push_back(r.figure());
      EXPECT_EQ(r.difference_pence(), r.stated_pence() - r.computed_pence());
    }
    EXPECT_EQ(figures, c.figures);
    EXPECT_EQ(s->warnings_size(), static_cast<int>(c.figures.size()));
    // The computed figures are kept, never replaced by the stated ones.
    EXPECT_EQ(s->gross_precept_pence(), 10986000000);
  }
}

// domain.md §4.10 / anomaly A14-A15: real stated totals that do not match their parts.
TEST(PreceptModelTest, ReconciliationQuirksOfSection4_10) {
  struct Case {
    std::string figure;
    std::vector<int64_t> parts;
    int64_t stated;
    int64_t tolerance;
    int64_t difference;  // 0 = agrees
  };
  const std::vector<Case> cases = {
      // IDVA/ISVA: 455,714 + 1,213,612 = 1,669,326; stated 1,669,330 (£4 more).
      {"idva_isva_total", {45571400, 121361200}, 166933000, 0, 400},
      // ...the same within a £5 tolerance (A14: tolerance is configuration).
      {"idva_isva_total", {45571400, 121361200}, 166933000, 500, 0},
      // MoJ victims 2022/23: 3.400m + 1.669m = 5.069m; stated 5.070m.
      {"moj_victims_2022_23", {340000000, 166900000}, 507000000, 0, 100000},
      // Community safety fund 2022-23: 2,368,303 + 1,500,000 = 3,868,303 (agrees).
      {"community_safety_fund", {236830300, 150000000}, 386830300, 0, 0},
      // MoJ victims 2018-19: spend 3,144,811 + remaining 184,996 = budget 3,329,807 (agrees).
      {"moj_victims_2018_19", {314481100, 18499600}, 332980700, 0, 0},
      // The spending bridge 548.1 + 15.1 + 18.6 - 6.6 = 575.2 (agrees with its own end)...
      {"spending_bridge", {54810000000, 1510000000, 1860000000, -660000000}, 57520000000, 0, 0},
      // ...but not with the net budget of 569.85: a separate dataset, reported if compared.
      {"spending_bridge_vs_net_budget",
       {54810000000, 1510000000, 1860000000, -660000000},
       56985000000,
       0,
       -535000000},
  };
  for (const auto& c : cases) {
    auto r = CheckTotal(c.figure, c.parts, c.stated, c.tolerance);
    if (c.difference == 0) {
      EXPECT_FALSE(r.has_value()) << c.figure;
    } else {
      ASSERT_TRUE(r.has_value()) << c.figure;
      EXPECT_EQ(r->figure(), c.figure);
      EXPECT_EQ(r->difference_pence(), c.difference) << c.figure;
      EXPECT_EQ(r->stated_pence(), c.stated);
    }
  }
  // HCF 2022/23: allocations total £475,909 against a pot of "up to £400,000" (A15).
  const std::vector<int64_t> hcf = {8258700, 8656600, 4139500, 3174300, 4859000,
                                    2980600, 3515500, 3748000, 8258700};
  ASSERT_FALSE(CheckTotal("hcf_total", hcf, 47590900).has_value());  // the rows sum exactly
  auto over = CheckAllocation("hcf_vs_pot", hcf, 40000000);
  ASSERT_TRUE(over.has_value());
  EXPECT_EQ(over->computed_pence(), 47590900);
  EXPECT_EQ(over->difference_pence(), -7590900);
  EXPECT_FALSE(CheckAllocation("fits", {100, 200}, 300).has_value());
  // Sums beyond 64 bits are reported saturated, never wrapped.
  const int64_t max = std::numeric_limits<int64_t>::max();
  auto huge = CheckTotal("huge", {max, max}, 0);
  ASSERT_TRUE(huge.has_value());
  EXPECT_EQ(huge->computed_pence(), max);
  EXPECT_EQ(huge->difference_pence(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(CheckAllocation("huge", {max, max}, 0)->computed_pence(), max);
}

// §4.9 scenario fixture "WMP 2023/24": a tax base of 839,000 and Band D £202.55.
v1::PreceptInputs Wmp2023() {
  v1::PreceptInputs in;
  in.set_net_budget_requirement_pence(71840 * kMillion / 100);  // £718.4m
  AddLine(in, "grants", "Grants and NDR", 71840 * kMillion / 100 - 16993945000);
  in.set_tax_base_hundredths(83900000);
  in.set_population(2864925);
  in.set_prior_band_d_pence(18755);
  in.set_referendum_limit_pence(1500);
  return in;
}

TEST(PreceptModelTest, BandDBandsYieldsAndChangeFor2023To24) {
  auto s = ComputeStatement(Wmp2023());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->council_tax_requirement_pence(), 16993945000);  // £169,939,450
  ASSERT_TRUE(s->has_band_d());
  EXPECT_EQ(s->band_d_pence(), 20255);
  EXPECT_EQ(s->band_d_rounding_residual_pence(), 0);
  EXPECT_EQ(s->band_d_change_pence(), 1500);
  EXPECT_EQ(s->band_d_change().numerator(), 1500);
  EXPECT_EQ(s->band_d_change().denominator(), 18755);
  EXPECT_EQ(s->band_d_change().percent(), "7.998");
  // £1 on Band D raises £839,000; the £15 increase £12,585,000 (§4.9 incremental_income).
  EXPECT_EQ(s->yield_of_one_pound_pence(), 83900000);
  EXPECT_EQ(s->yield_of_one_pound_pence() * 15, 1258500000);
  EXPECT_EQ(s->yield_of_one_percent_pence(), 169939450);  // 202.55p x 839,000
  EXPECT_FALSE(s->referendum_limit_exceeded());
  // Bands A-H at 6/9 ... 18/9 of £202.55, half away from zero.
  const std::vector<std::pair<std::string, int64_t>> bands = {
      {"A", 13503}, {"B", 15754}, {"C", 18004}, {"D", 20255},
      {"E", 24756}, {"F", 29257}, {"G", 33758}, {"H", 40510}};
  ASSERT_EQ(s->bands_size(), 8);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(s->bands(i).band(), bands[i].first);
    EXPECT_EQ(s->bands(i).amount_pence(), bands[i].second) << bands[i].first;
  }
}

TEST(PreceptModelTest, ReferendumLimitIsAWarning) {
  struct Case {
    int64_t limit;
    bool exceeded;
  };
  // R-PR-09: £10 (2022/23) and £15 (2023/24) caps against a £15 rise.
  for (const Case& c : std::vector<Case>{{1500, false}, {1499, true}, {1000, true}, {0, false}}) {
    auto in = Wmp2023();
    in.set_referendum_limit_pence(c.limit);
    auto s = ComputeStatement(in);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->referendum_limit_exceeded(), c.exceeded) << c.limit;
    EXPECT_EQ(s->warnings_size() == 1 && s->warnings(0).code() == kReferendumLimitExceeded,
              c.exceeded);
  }
}

TEST(PreceptModelTest, BillingAuthoritiesGetTheirPreceptAndTheResidualIsShown) {
  v1::PreceptInputs in;
  in.set_net_budget_requirement_pence(100000);  // £1,000.00
  in.set_population(10);
  const struct {
    const char* id;
    int64_t base;
    int64_t fund;
  } authorities[] = {{"a", 100, 0}, {"b", 200, 50}};  // 1.00 and 2.00 Band D equivalents
  for (const auto& a : authorities) {
    auto* ba = in.add_billing_authorities();
    ba->set_id(a.id);
    ba->set_tax_base_hundredths(a.base);
    ba->set_collection_fund_pence(a.fund);
  }
  auto s = ComputeStatement(in);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->collection_fund_pence(), 50);
  EXPECT_EQ(s->council_tax_requirement_pence(), 99950);
  EXPECT_EQ(s->tax_base_hundredths(), 300);
  EXPECT_EQ(s->band_d_pence(), 33317);                // 999.50 / 3 = 333.1666 -> 333.17
  EXPECT_EQ(s->band_d_rounding_residual_pence(), 1);  // 3 x 333.17 = 999.51
  ASSERT_EQ(s->authority_precepts_size(), 2);
  EXPECT_EQ(s->authority_precepts(0).precept_due_pence(), 33317);
  EXPECT_EQ(s->authority_precepts(1).precept_due_pence(), 66634);
  EXPECT_EQ(s->total_precept_due_pence(), 99951);
}

TEST(PreceptModelTest, BadInputNamesTheField) {
  struct Case {
    std::function<void(v1::PreceptInputs&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& in) { in.set_net_budget_requirement_pence(-1); },
       "inputs.net_budget_requirement_pence"},
      {[](auto& in) { in.set_population(0); }, "inputs.population"},
      {[](auto& in) { in.set_tax_base_hundredths(-1); }, "inputs.tax_base_hundredths"},
      {[](auto& in) { in.mutable_funding_lines(1)->set_id("police-grant"); },
       "inputs.funding_lines[1].id"},
      {[](auto& in) { in.mutable_funding_lines(0)->set_id("Police Grant"); },
       "inputs.funding_lines[0].id"},
      {[](auto& in) {
         auto* ba = in.add_billing_authorities();
         ba->set_id("x");
         ba->set_tax_base_hundredths(-5);
       },
       "inputs.billing_authorities[0].tax_base_hundredths"},
      {[](auto& in) {
         in.add_billing_authorities()->set_id("x");
         in.set_tax_base_hundredths(5);
       },
       "inputs.tax_base_hundredths"},
      {[](auto& in) { in.set_prior_band_d_pence(-1); }, "inputs.prior_band_d_pence"},
      {[](auto& in) { in.set_referendum_limit_pence(-1); }, "inputs.referendum_limit_pence"},
      {[](auto& in) { in.set_reconciliation_tolerance_pence(-1); },
       "inputs.reconciliation_tolerance_pence"},
  };
  for (const auto& c : cases) {
    auto in = Wmp2019();
    c.mutate(in);
    auto s = ComputeStatement(in);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(s.status()), c.field);
  }
  auto in = Wmp2019();
  in.set_net_budget_requirement_pence(100);
  auto negative = ComputeStatement(in);
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::Details(negative.status()).reason, "NEGATIVE_COUNCIL_TAX_REQUIREMENT");
  // Overflow is an error, not a wrapped number.
  in = Wmp2019();
  AddLine(in, "huge", "Huge", std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ComputeStatement(in).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(PreceptModelTest, BandsAndVetoArithmetic) {
  EXPECT_EQ(*BandNinths("A", "band"), 6);
  EXPECT_EQ(*BandNinths("H", "band"), 18);
  for (const char* bad : {"I", "", "a", "AB"}) {
    auto r = BandNinths(bad, "band");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(Field(r.status()), "band");
  }
  // domain.md §3.7 boundary cases: required = ceil(2N/3).
  const std::vector<std::pair<int, int>> cases = {{16, 11}, {15, 10}, {12, 8}, {14, 10},
                                                  {13, 9},  {3, 2},   {1, 1},  {0, 0}};
  for (const auto& [n, required] : cases) {
    EXPECT_EQ(VetoVotesRequired(n), required) << n;
  }
}

}  // namespace
}  // namespace moot::budget
