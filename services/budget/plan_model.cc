#include "services/budget/plan_model.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/money/money.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/budget/precept_cycle.h"

namespace moot::budget {
namespace {

int64_t At(const google::protobuf::RepeatedField<int64_t>& values, int i) {
  return i < values.size() ? values.Get(i) : 0;
}

void Warn(v1::PlanYear& year, absl::string_view code, std::string text) {
  v1::Warning* w = year.add_warnings();
  w->set_code(std::string(code));
  w->set_message(std::move(text));
}

}  // namespace

absl::Status ComputePlan(v1::Plan& plan) {
  const v1::PlanAssumptions& a = plan.assumptions();
  const std::string& y = plan.first_year();
  bool year_ok = y.size() == 7 && y[4] == '-';
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    year_ok = year_ok && i < y.size() && y[i] >= '0' && y[i] <= '9';
  }
  if (!year_ok || (FirstYearOf(y) + 1) % 100 != (y[5] - '0') * 10 + (y[6] - '0')) {
    return status::InvalidArgument("plan.first_year", "must be a financial year \"YYYY-YY\"");
  }
  if (plan.years() < 1 || plan.years() > 20) {
    return status::InvalidArgument("plan.years", "must be between 1 and 20");
  }
  struct NonNegative {
    const char* field;
    int64_t value;
  };
  for (const NonNegative& n :
       {NonNegative{"base_budget_requirement_pence", a.base_budget_requirement_pence()},
        {"base_grant_pence", a.base_grant_pence()},
        {"base_tax_base_hundredths", a.base_tax_base_hundredths()},
        {"base_band_d_pence", a.base_band_d_pence()},
        {"minimum_reserves_pence", a.minimum_reserves_pence()},
        {"referendum_limit_pence", a.referendum_limit_pence()}}) {
    if (n.value < 0) {
      return status::InvalidArgument(absl::StrCat("plan.assumptions.", n.field),
                                     "must not be negative");
    }
  }
  if (a.pay_share_bp() < 0 || a.pay_share_bp() > 10000) {
    return status::InvalidArgument("plan.assumptions.pay_share_bp",
                                   "must be between 0 and 10000 basis points");
  }
  struct Path {
    const char* field;
    int size;
  };
  for (const Path& p : {Path{"band_d_increase_pence", a.band_d_increase_pence_size()},
                        {"planned_savings_pence", a.planned_savings_pence_size()},
                        {"planned_reserves_use_pence", a.planned_reserves_use_pence_size()}}) {
    if (p.size > plan.years()) {
      return status::InvalidArgument(absl::StrCat("plan.assumptions.", p.field),
                                     "has more entries than the plan has years");
    }
  }
  for (int i = 0; i < a.planned_savings_pence_size(); ++i) {
    if (a.planned_savings_pence(i) < 0) {
      return status::InvalidArgument(
          absl::StrCat("plan.assumptions.planned_savings_pence[", i, "]"), "must not be negative");
    }
  }

  plan.clear_plan_years();
  // The base year split into pay and non-pay, each inflated at its own rate.
  MOOT_ASSIGN_OR_RETURN(int64_t pay, money::PortionBasisPoints(a.base_budget_requirement_pence(),
                                                               a.pay_share_bp(), "pay"));
  MOOT_ASSIGN_OR_RETURN(int64_t non_pay,
                        money::Sub(a.base_budget_requirement_pence(), pay, "non_pay"));
  int64_t grant = a.base_grant_pence();
  int64_t tax_base = a.base_tax_base_hundredths();
  int64_t band_d = a.base_band_d_pence();
  int64_t reserves = a.reserves_opening_pence();
  int64_t savings_to_date = 0;  // Recurring savings reduce every later year's requirement.
  const int first = FirstYearOf(y);
  for (int i = 0; i < plan.years(); ++i) {
    v1::PlanYear* year = plan.add_plan_years();
    year->set_year(absl::StrFormat("%04d-%02d", first + i, (first + i + 1) % 100));
    MOOT_ASSIGN_OR_RETURN(pay, money::ApplyBasisPoints(pay, a.pay_inflation_bp(), "pay"));
    MOOT_ASSIGN_OR_RETURN(non_pay,
                          money::ApplyBasisPoints(non_pay, a.non_pay_inflation_bp(), "non_pay"));
    MOOT_ASSIGN_OR_RETURN(int64_t gross, money::Add(pay, non_pay, "budget_requirement"));
    MOOT_ASSIGN_OR_RETURN(int64_t requirement,
                          money::Sub(gross, savings_to_date, "budget_requirement"));
    MOOT_ASSIGN_OR_RETURN(grant, money::ApplyBasisPoints(grant, a.grant_change_bp(), "grant"));
    MOOT_ASSIGN_OR_RETURN(tax_base,
                          money::ApplyBasisPoints(tax_base, a.tax_base_growth_bp(), "tax_base"));
    const int64_t increase = At(a.band_d_increase_pence(), i);
    MOOT_ASSIGN_OR_RETURN(band_d, money::Add(band_d, increase, "band_d"));
    MOOT_ASSIGN_OR_RETURN(
        int64_t council_tax,
        money::MulDiv(band_d, tax_base, 100, money::Rounding::kHalfAwayFromZero, "council_tax"));
    MOOT_ASSIGN_OR_RETURN(int64_t funding, money::Add(grant, council_tax, "funding"));
    MOOT_ASSIGN_OR_RETURN(int64_t gap, money::Sub(requirement, funding, "gap"));
    const int64_t savings = At(a.planned_savings_pence(), i);
    const int64_t use = At(a.planned_reserves_use_pence(), i);
    MOOT_ASSIGN_OR_RETURN(int64_t unfunded, money::Sub(gap, savings, "gap"));
    MOOT_ASSIGN_OR_RETURN(unfunded, money::Sub(unfunded, use, "gap"));
    MOOT_ASSIGN_OR_RETURN(reserves, money::Sub(reserves, use, "reserves"));
    MOOT_ASSIGN_OR_RETURN(savings_to_date, money::Add(savings_to_date, savings, "savings"));

    year->set_budget_requirement_pence(requirement);
    year->set_grant_pence(grant);
    year->set_tax_base_hundredths(tax_base);
    year->set_band_d_pence(band_d);
    year->set_council_tax_pence(council_tax);
    year->set_funding_pence(funding);
    year->set_gap_pence(gap);
    year->set_planned_savings_pence(savings);
    year->set_reserves_use_pence(use);
    year->set_savings_still_to_find_pence(unfunded > 0 ? unfunded : 0);
    year->set_reserves_closing_pence(reserves);
    if (reserves < a.minimum_reserves_pence()) {
      Warn(
          *year, kReservesBelowMinimum,
          absl::StrCat("reserves of ", money::FormatPounds(reserves), " fall below the minimum of ",
                       money::FormatPounds(a.minimum_reserves_pence())));
    }
    if (a.referendum_limit_pence() > 0 && increase > a.referendum_limit_pence()) {
      Warn(*year, "REFERENDUM_LIMIT_EXCEEDED",
           absl::StrCat("a Band D increase of ", money::FormatPounds(increase),
                        " is above the referendum limit of ",
                        money::FormatPounds(a.referendum_limit_pence())));
    }
  }
  return absl::OkStatus();
}

}  // namespace moot::budget
