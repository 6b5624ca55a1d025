// The panel's review of a precept proposal beyond the veto arithmetic (domain.md §3.7): the
// equality duty (R-PR-10), what it considered (R-PR-03, R-PR-12), the sub-committee's review
// (R-PR-07), the information requests feeding the report (R-PR-11), and the PCC's decision that
// sets the budget and precept (R-KD-08). Pure: no I/O, no clock.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "moot/budget/v1/budget.pb.h"

namespace moot::budget {

// Rule names (FAILED_PRECONDITION reasons) and warning codes.
inline constexpr char kEqualityDutyNotRecorded[] = "EQUALITY_DUTY_NOT_RECORDED";
inline constexpr char kSubCommitteeScenarioNotItsOwn[] = "SUB_COMMITTEE_SCENARIO_NOT_ITS_OWN";
inline constexpr char kBudgetNotConsidered[] = "BUDGET_NOT_CONSIDERED";
inline constexpr char kCapitalProgrammeNotConsidered[] = "CAPITAL_PROGRAMME_NOT_CONSIDERED";
inline constexpr char kReservesStrategyNotConsidered[] = "RESERVES_STRATEGY_NOT_CONSIDERED";
inline constexpr char kInformationRequestOpen[] = "INFORMATION_REQUEST_OPEN";

// The longest equality notes, question or response.
inline constexpr size_t kMaxReviewText = 2000;

// Checks a (first or second) report of the panel whose body is `panel_body` on the precept
// `precept_name` of `tenant`. `field` names the report in errors ("report"). R-PR-10: without
// the equality duty attestation, FAILED_PRECONDITION EQUALITY_DUTY_NOT_RECORDED. INVALID_ARGUMENT
// naming the field for a document, body, meeting or scenario name that is not the tenant's or
// the sub-committee that is the panel itself or reports back to another body's meeting.
absl::Status CheckPanelReview(const v1::PanelReport& report, const std::string& tenant,
                              const std::string& panel_body, const std::string& precept_name,
                              absl::string_view field);

// Whether a scenario kind is a panel or sub-group scenario (the PCC's proposal and revision are
// the PCC's; R-PR-07, R-SG-07).
bool IsPanelScenario(v1::ScenarioKind kind);

// The report's warnings: a budget, capital programme or reserves strategy it did not consider
// (R-PR-03, R-PR-12), and each information request still open (R-PR-11).
std::vector<v1::Warning> ReviewWarnings(const v1::PanelReport& report,
                                        const std::vector<v1::InformationRequest>& requests);

// INVALID_ARGUMENT naming the field (under `field`) unless the request has an id, a topic, a
// question, a status, a response unless OPEN, and a response document of the tenant.
absl::Status ValidateInformationRequest(const v1::InformationRequest& request,
                                        const std::string& tenant, absl::string_view field);

// R-KD-08: a PCC decision reference as the decisions register accepts it ("004-2019",
// "004A/2018", "12-23": 1..4 digits, an optional letter, "-" or "/", a 2- or 4-digit year),
// normalised to "NNN[L]-YYYY" (as moot.decisions normalises key decision references, R-KD-05).
// INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> NormalizeDecisionReference(absl::string_view reference,
                                                       absl::string_view field);

// The register's decision for a normalised reference: `tenants/{t}/decisions/{id}` with the id
// the register derives from it ("004A-2018" -> "004a-2018").
std::string DecisionName(const std::string& tenant, const std::string& normalized_reference);

}  // namespace moot::budget
