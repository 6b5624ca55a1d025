// The medium-term financial plan (issue 5 point 5; domain.md §2.14 MTFP, §4.2-4.3): from
// assumptions (pay and non-pay inflation, grant change, tax-base growth, the Band D path,
// planned savings, reserves) to each year's budget requirement, funding, gap, savings still to
// find and reserves balance, with warnings when reserves fall below the minimum or the Band D
// path breaks the referendum limit. Pure and exact.
#pragma once

#include "absl/status/statusor.h"
#include "moot/budget/v1/budget.pb.h"

namespace moot::budget {

inline constexpr char kReservesBelowMinimum[] = "RESERVES_BELOW_MINIMUM";

// Fills plan.plan_years. INVALID_ARGUMENT naming "plan.<field>" for bad assumptions (negative
// amounts, a pay share outside 0-100%, more path entries than years, a bad first year, years
// outside 1..20).
absl::Status ComputePlan(v1::Plan& plan);

}  // namespace moot::budget
