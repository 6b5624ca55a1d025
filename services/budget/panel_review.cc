#include "services/budget/panel_review.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/api/resource_name.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"

namespace moot::budget {
namespace {

constexpr char kDocumentPattern[] = "tenants/{tenant}/documents/{document}";
constexpr char kBodyPattern[] = "tenants/{tenant}/bodies/{body}";
constexpr char kMeetingPattern[] = "tenants/{tenant}/bodies/{body}/meetings/{meeting}";
constexpr char kScenarioPattern[] = "tenants/{tenant}/precepts/{precept}/scenarios/{scenario}";

// A resource name of `pattern` in `tenant` (empty allowed when `optional`).
absl::StatusOr<api::ResourceName> OwnName(absl::string_view pattern, const std::string& name,
                                          const std::string& tenant, const std::string& field) {
  MOOT_ASSIGN_OR_RETURN(auto parsed, api::ResourceName::Parse(pattern, name, field));
  if (parsed.tenant() != tenant) {
    return status::InvalidArgument(field, "must be a resource of the precept's tenant");
  }
  return parsed;
}

absl::Status CheckDocument(const std::string& name, const std::string& tenant,
                           const std::string& field) {
  if (name.empty()) {
    return absl::OkStatus();
  }
  return OwnName(kDocumentPattern, name, tenant, field).status();
}

absl::Status CheckText(const std::string& text, const std::string& field, bool required) {
  if (required && absl::StripAsciiWhitespace(text).empty()) {
    return status::InvalidArgument(field, "is required");
  }
  if (text.size() > kMaxReviewText) {
    return status::InvalidArgument(field,
                                   absl::StrCat("must be at most ", kMaxReviewText, " characters"));
  }
  return absl::OkStatus();
}

v1::Warning MakeWarning(const char* code, std::string message) {
  v1::Warning w;
  w.set_code(code);
  w.set_message(std::move(message));
  return w;
}

}  // namespace

absl::Status CheckPanelReview(const v1::PanelReport& report, const std::string& tenant,
                              const std::string& panel_body, const std::string& precept_name,
                              absl::string_view field_view) {
  const std::string field(field_view);
  // R-PR-10: "The Police and Crime Panel and its Budget Sub-Group should ensure that it has due
  // regard to duties under the Equality Act while reviewing the precept proposal and making its
  // recommendation": a report without the attestation is refused.
  const v1::EqualityDutyRecord& duty = report.equality_duty();
  if (!duty.due_regard() || absl::StripAsciiWhitespace(duty.notes()).empty()) {
    return status::FailedPrecondition(
        kEqualityDutyNotRecorded, precept_name,
        absl::StrCat("record that the panel had due regard to the equality duty (", field,
                     ".equality_duty.due_regard and .notes) before its report (R-PR-10)"));
  }
  MOOT_RETURN_IF_ERROR(CheckText(duty.notes(), field + ".equality_duty.notes", true));
  // R-PR-03 / R-PR-12: the documents considered are the tenant's documents.
  const v1::ReviewScope& scope = report.scope();
  MOOT_RETURN_IF_ERROR(
      CheckDocument(scope.budget_document(), tenant, field + ".scope.budget_document"));
  MOOT_RETURN_IF_ERROR(CheckDocument(scope.capital_programme_document(), tenant,
                                     field + ".scope.capital_programme_document"));
  MOOT_RETURN_IF_ERROR(CheckDocument(scope.reserves_strategy_document(), tenant,
                                     field + ".scope.reserves_strategy_document"));
  // R-PR-07: a sub-committee reviews the draft and reports back to the panel's meeting; its
  // findings are the panel's to adopt (R-SG-01: it cannot own the precept decision).
  if (report.has_sub_committee()) {
    const v1::SubCommitteeReview& sub = report.sub_committee();
    const std::string prefix = field + ".sub_committee";
    MOOT_RETURN_IF_ERROR(OwnName(kBodyPattern, sub.body(), tenant, prefix + ".body").status());
    if (sub.body() == panel_body) {
      return status::InvalidArgument(prefix + ".body",
                                     "must be a sub-committee, not the panel itself");
    }
    MOOT_ASSIGN_OR_RETURN(auto meeting, OwnName(kMeetingPattern, sub.report_back_meeting(), tenant,
                                                prefix + ".report_back_meeting"));
    if (absl::StrCat("tenants/", tenant, "/bodies/", meeting.Get("body")) != panel_body) {
      return status::InvalidArgument(prefix + ".report_back_meeting",
                                     "must be a meeting of the panel the sub-committee reports to");
    }
    MOOT_RETURN_IF_ERROR(CheckText(sub.findings(), prefix + ".findings", false));
    for (int i = 0; i < sub.scenarios_size(); ++i) {
      const std::string f = absl::StrCat(prefix, ".scenarios[", i, "]");
      MOOT_ASSIGN_OR_RETURN(auto scenario, OwnName(kScenarioPattern, sub.scenarios(i), tenant, f));
      if (absl::StrCat("tenants/", tenant, "/precepts/", scenario.Get("precept")) != precept_name) {
        return status::InvalidArgument(f, "must be a scenario of this precept year");
      }
    }
  }
  return absl::OkStatus();
}

bool IsPanelScenario(v1::ScenarioKind kind) {
  return kind == v1::SCENARIO_KIND_PANEL_RECOMMENDED || kind == v1::SCENARIO_KIND_ALTERNATIVE;
}

std::vector<v1::Warning> ReviewWarnings(const v1::PanelReport& report,
                                        const std::vector<v1::InformationRequest>& requests) {
  std::vector<v1::Warning> out;
  // R-PR-03: "the Panel must scrutinise the Commissioners budget"; R-PR-12: "review the capital
  // and reserves strategies to ensure that they are consistent with the precept proposals".
  if (report.scope().budget_document().empty()) {
    out.push_back(
        MakeWarning(kBudgetNotConsidered, "the review records no budget document (R-PR-03)"));
  }
  if (report.scope().capital_programme_document().empty()) {
    out.push_back(MakeWarning(kCapitalProgrammeNotConsidered,
                              "the review records no capital programme (R-PR-12)"));
  }
  if (report.scope().reserves_strategy_document().empty()) {
    out.push_back(MakeWarning(kReservesStrategyNotConsidered,
                              "the review records no reserves strategy (R-PR-12)"));
  }
  // R-PR-11: the information the panel asked for feeds the report.
  for (const auto& r : requests) {
    if (r.status() == v1::INFORMATION_REQUEST_STATUS_OPEN) {
      out.push_back(
          MakeWarning(kInformationRequestOpen,
                      absl::StrCat("information request ", r.id(), " is still open (R-PR-11)")));
    }
  }
  return out;
}

absl::Status ValidateInformationRequest(const v1::InformationRequest& request,
                                        const std::string& tenant, absl::string_view field_view) {
  const std::string field(field_view);
  MOOT_RETURN_IF_ERROR(api::ValidateId(field + ".id", request.id()));
  if (request.topic() == v1::INFORMATION_TOPIC_UNSPECIFIED) {
    return status::InvalidArgument(field + ".topic", "is required");
  }
  MOOT_RETURN_IF_ERROR(CheckText(request.question(), field + ".question", true));
  if (request.status() == v1::INFORMATION_REQUEST_STATUS_UNSPECIFIED) {
    return status::InvalidArgument(field + ".status", "is required");
  }
  MOOT_RETURN_IF_ERROR(CheckText(request.response(), field + ".response",
                                 request.status() != v1::INFORMATION_REQUEST_STATUS_OPEN));
  return CheckDocument(request.response_document(), tenant, field + ".response_document");
}

absl::StatusOr<std::string> NormalizeDecisionReference(absl::string_view reference,
                                                       absl::string_view field) {
  const auto bad = [&] {
    return status::InvalidArgument(
        field, "must be a PCC decision reference such as \"004-2019\" or \"004A/2018\"");
  };
  reference = absl::StripAsciiWhitespace(reference);
  size_t i = 0;
  while (i < reference.size() && absl::ascii_isdigit(static_cast<unsigned char>(reference[i]))) {
    ++i;
  }
  int seq = 0;
  if (i == 0 || i > 4 || !absl::SimpleAtoi(reference.substr(0, i), &seq)) {
    return bad();
  }
  std::string suffix;
  if (i < reference.size() && absl::ascii_isalpha(static_cast<unsigned char>(reference[i]))) {
    suffix = std::string(1, absl::ascii_toupper(static_cast<unsigned char>(reference[i])));
    ++i;
  }
  if (i >= reference.size() || (reference[i] != '-' && reference[i] != '/')) {
    return bad();
  }
  absl::string_view year_text = reference.substr(i + 1);
  int year = 0;
  if ((year_text.size() != 2 && year_text.size() != 4) ||
      year_text.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(year_text, &year)) {
    return bad();
  }
  if (year_text.size() == 2) {
    year += 2000;
  }
  return absl::StrFormat("%03d%s-%04d", seq, suffix, year);
}

std::string DecisionName(const std::string& tenant, const std::string& normalized_reference) {
  return absl::StrCat("tenants/", tenant, "/decisions/",
                      absl::AsciiStrToLower(normalized_reference));
}

}  // namespace moot::budget
