// The precept model (domain.md §4, §7.6, §9 item 11): from a year's inputs (net budget
// requirement, funding lines, collection fund and tax base per billing authority, population,
// last year's Band D, the referendum limit) to its statement (gross precept, council tax
// requirement, Band D with its rounding residual, bands A-H, precepts due per billing authority,
// per-head figures, change on last year, yields, referendum check, reconciliation). Pure and
// exact: int64 pence with checked arithmetic (libs/money).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "moot/budget/v1/budget.pb.h"

namespace moot::budget {

// Warning codes.
inline constexpr char kReferendumLimitExceeded[] = "REFERENDUM_LIMIT_EXCEEDED";
inline constexpr char kReconciliationMismatch[] = "RECONCILIATION_MISMATCH";
inline constexpr char kOverAllocated[] = "OVER_ALLOCATED";

// The statutory band ratios to Band D in ninths, A..H (Local Government Finance Act 1992 s.5;
// domain.md §9 item 11): 6, 7, 8, 9, 11, 13, 15, 18.
struct BandRatio {
  char band;
  int ninths;
};
const std::vector<BandRatio>& BandRatios();

// The ninths of a band letter "A".."H"; INVALID_ARGUMENT naming `field` for any other.
absl::StatusOr<int> BandNinths(absl::string_view band, absl::string_view field);

// INVALID_ARGUMENT naming `field` unless `id` is 1-63 lower-case letters, digits and hyphens.
absl::Status ValidateId(absl::string_view id, absl::string_view field);

// INVALID_ARGUMENT naming "<prefix>.<field>" for bad inputs: a negative net budget, tax base or
// tolerance, an empty or duplicate id, a population that is not positive, a negative prior
// Band D or limit, an authority list together with the totals it replaces.
absl::Status ValidateInputs(const v1::PreceptInputs& inputs, absl::string_view prefix);

// Validates and computes. FAILED_PRECONDITION NEGATIVE_COUNCIL_TAX_REQUIREMENT when funding and
// the collection fund exceed the budget; OUT_OF_RANGE on overflow.
absl::StatusOr<v1::PreceptStatement> ComputeStatement(const v1::PreceptInputs& inputs,
                                                      absl::string_view prefix = "inputs");

// A stated total checked against the sum of its parts (domain.md §4.10, anomaly A14): a
// Reconciliation when |stated - sum| > tolerance, nullopt when they agree.
std::optional<v1::Reconciliation> CheckTotal(absl::string_view figure,
                                             const std::vector<int64_t>& parts,
                                             int64_t stated_pence, int64_t tolerance_pence = 0);

// Allocations checked against the pot they come from (anomaly A15): a Reconciliation with
// figure "<figure>" when the sum of the allocations exceeds the pot.
std::optional<v1::Reconciliation> CheckAllocation(absl::string_view figure,
                                                  const std::vector<int64_t>& allocations,
                                                  int64_t pot_pence);

// ceil(2N/3): members needed for a veto when the panel has N members at the time of the
// decision (PRSRA 2011 Sch.5 para 4(4); domain.md §3.7, §9 item 5). 0 for N <= 0.
int VetoVotesRequired(int members_at_time);

}  // namespace moot::budget
