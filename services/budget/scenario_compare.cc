#include "services/budget/scenario_compare.h"

#include <functional>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/money/money.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "services/budget/precept_model.h"

namespace moot::budget {
namespace {

absl::Status CheckChanges(const std::vector<int64_t>& changes, absl::string_view field) {
  for (size_t i = 0; i < changes.size(); ++i) {
    if (changes[i] < -10000 || changes[i] > 10000) {
      return status::InvalidArgument(absl::StrCat(field, "[", i, "]"),
                                     "must be between -10000 and 10000 basis points");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::CompareScenariosResponse> CompareScenarios(
    const std::vector<v1::Scenario>& scenarios, const std::vector<int64_t>& tax_base_changes_bp,
    const std::vector<int64_t>& grant_changes_bp) {
  MOOT_RETURN_IF_ERROR(CheckChanges(tax_base_changes_bp, "tax_base_changes_bp"));
  MOOT_RETURN_IF_ERROR(CheckChanges(grant_changes_bp, "grant_changes_bp"));
  v1::CompareScenariosResponse response;
  for (const auto& s : scenarios) {
    response.add_names(s.name());
  }
  using Getter = std::function<int64_t(const v1::PreceptStatement&)>;
  const std::vector<std::pair<std::string, Getter>> figures = {
      {"net_budget_requirement", [](const auto& s) { return s.net_budget_requirement_pence(); }},
      {"total_funding", [](const auto& s) { return s.total_funding_pence(); }},
      {"gross_precept", [](const auto& s) { return s.gross_precept_pence(); }},
      {"collection_fund", [](const auto& s) { return s.collection_fund_pence(); }},
      {"council_tax_requirement", [](const auto& s) { return s.council_tax_requirement_pence(); }},
      {"band_d", [](const auto& s) { return s.band_d_pence(); }},
      {"band_d_change", [](const auto& s) { return s.band_d_change_pence(); }},
      {"average_cost_per_person", [](const auto& s) { return s.average_cost_per_person_pence(); }},
  };
  const auto add_row = [&](const std::string& figure, const Getter& get) -> absl::Status {
    v1::ComparisonRow* row = response.add_rows();
    row->set_figure(figure);
    const int64_t base = scenarios.empty() ? 0 : get(scenarios[0].statement());
    for (const auto& s : scenarios) {
      const int64_t value = get(s.statement());
      row->add_values_pence(value);
      MOOT_ASSIGN_OR_RETURN(int64_t diff, money::Sub(value, base, figure));
      row->add_differences_pence(diff);
    }
    return absl::OkStatus();
  };
  for (const auto& [figure, get] : figures) {
    MOOT_RETURN_IF_ERROR(add_row(figure, get));
  }
  // One row per funding line, in first-seen order (0 where a scenario lacks it).
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& s : scenarios) {
    for (const auto& l : s.statement().funding_lines()) {
      if (seen.insert(l.id()).second) ids.push_back(l.id());
    }
  }
  for (const std::string& id : ids) {
    MOOT_RETURN_IF_ERROR(add_row(absl::StrCat("funding:", id), [&](const auto& st) {
      for (const auto& l : st.funding_lines()) {
        if (l.id() == id) return l.amount_pence();
      }
      return int64_t{0};
    }));
  }

  for (const auto& scenario : scenarios) {
    const v1::PreceptStatement& st = scenario.statement();
    if (!st.has_band_d()) {
      continue;  // Band D and income need a tax base.
    }
    MOOT_ASSIGN_OR_RETURN(int64_t income,
                          money::MulDiv(st.band_d_pence(), st.tax_base_hundredths(), 100));
    // Tax base: the same requirement over a changed base; income at the scenario's Band D.
    for (int64_t bp : tax_base_changes_bp) {
      MOOT_ASSIGN_OR_RETURN(int64_t base, money::ApplyBasisPoints(st.tax_base_hundredths(), bp));
      v1::Sensitivity* s = response.add_sensitivities();
      s->set_scenario(scenario.name());
      s->set_variable("tax_base");
      s->set_change_bp(bp);
      if (base <= 0) {
        continue;
      }
      MOOT_ASSIGN_OR_RETURN(int64_t band_d,
                            money::MulDiv(st.council_tax_requirement_pence(), 100, base));
      MOOT_ASSIGN_OR_RETURN(int64_t changed_income, money::MulDiv(st.band_d_pence(), base, 100));
      s->set_band_d_pence(band_d);
      s->set_band_d_difference_pence(band_d - st.band_d_pence());
      s->set_income_pence(changed_income);
      s->set_income_difference_pence(changed_income - income);
    }
    // Grants: every funding line changed; the council tax requirement takes up the difference.
    for (int64_t bp : grant_changes_bp) {
      v1::PreceptInputs inputs = scenario.inputs();
      for (auto& line : *inputs.mutable_funding_lines()) {
        MOOT_ASSIGN_OR_RETURN(int64_t amount, money::ApplyBasisPoints(line.amount_pence(), bp));
        line.set_amount_pence(amount);
      }
      inputs.clear_stated();
      v1::Sensitivity* s = response.add_sensitivities();
      s->set_scenario(scenario.name());
      s->set_variable("grants");
      s->set_change_bp(bp);
      auto changed = ComputeStatement(inputs);
      if (!changed.ok()) {
        if (changed.status().code() == absl::StatusCode::kFailedPrecondition) {
          continue;  // Grants above the budget: no council tax needed; left blank.
        }
        return changed.status();
      }
      s->set_band_d_pence(changed->band_d_pence());
      s->set_band_d_difference_pence(changed->band_d_pence() - st.band_d_pence());
      s->set_income_pence(changed->council_tax_requirement_pence());
      s->set_income_difference_pence(changed->council_tax_requirement_pence() -
                                     st.council_tax_requirement_pence());
    }
  }
  return response;
}

}  // namespace moot::budget
