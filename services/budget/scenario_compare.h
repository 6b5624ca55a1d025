// Scenarios side by side (issue 5 point 4): every figure of each scenario with its difference
// from the first (the baseline), and the sensitivity of Band D and income to the tax base and to
// grant changes of given percentages. Pure and exact.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "moot/budget/v1/budget.pb.h"

namespace moot::budget {

// `scenarios` carry their computed statements. INVALID_ARGUMENT naming
// "tax_base_changes_bp"/"grant_changes_bp" for a change outside -100%..+100%.
absl::StatusOr<v1::CompareScenariosResponse> CompareScenarios(
    const std::vector<v1::Scenario>& scenarios, const std::vector<int64_t>& tax_base_changes_bp,
    const std::vector<int64_t>& grant_changes_bp);

}  // namespace moot::budget
