// `moot` commands for the budget and precept: precept compute|show|compare|timetable|import|
// export|charts, and plan create|show|list. Money prints as pounds and pence.
#include <fstream>
#include <ostream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "libs/money/money.h"
#include "moot/budget/v1/budget.grpc.pb.h"
#include "tools/moot/command.h"

namespace moot::cli {
namespace {

namespace budget = moot::budget::v1;
// Amounts in tables are pounds without the currency sign (a multi-byte character would upset
// the column alignment); every table says so in its header or title.
std::string FormatPounds(int64_t pence) { return money::FormatGrouped(pence); }

// Reads a JSON file into `message`; false (and a message on `err`) on failure.
bool ReadJsonFile(const std::string& path, google::protobuf::Message* message, std::ostream& err) {
  std::ifstream in(path);
  if (!in) {
    err << "error: cannot read " << path << "\n";
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto status = google::protobuf::util::JsonStringToMessage(buffer.str(), message);
  if (!status.ok()) {
    err << "error: " << path << ": " << status.message() << "\n";
    return false;
  }
  return true;
}

bool ReadFile(const std::string& path, std::string* content, std::ostream& err) {
  std::ifstream in(path);
  if (!in) {
    err << "error: cannot read " << path << "\n";
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  *content = buffer.str();
  return true;
}

// "-100,100" -> {-100, 100}; false on anything that is not a list of integers.
bool ParseList(const std::string& text, google::protobuf::RepeatedField<int64_t>* out) {
  if (text.empty()) {
    return true;
  }
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    int64_t value = 0;
    if (!absl::SimpleAtoi(part, &value)) {
      return false;
    }
    out->Add(value);
  }
  return true;
}

// The statement as aligned tables: where the money comes from, bands, per head, warnings.
void PrintStatement(std::ostream& out, const std::string& title,
                    const budget::PreceptStatement& s) {
  out << title << "\n";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"Net budget requirement", FormatPounds(s.net_budget_requirement_pence())});
  for (const auto& l : s.funding_lines()) {
    rows.push_back({l.title().empty() ? l.id() : l.title(), FormatPounds(-l.amount_pence())});
  }
  rows.push_back({"Gross precept", FormatPounds(s.gross_precept_pence())});
  rows.push_back({"Collection fund surplus", FormatPounds(-s.collection_fund_pence())});
  rows.push_back({"Council tax requirement", FormatPounds(s.council_tax_requirement_pence())});
  rows.push_back({"Resident population", absl::StrCat(s.population())});
  if (s.has_band_d()) {
    rows.push_back(
        {"Tax base (Band D equivalents)", money::FormatHundredths(s.tax_base_hundredths())});
    rows.push_back({"Band D", FormatPounds(s.band_d_pence())});
    rows.push_back({"Band D rounding residual", FormatPounds(s.band_d_rounding_residual_pence())});
    if (s.prior_band_d_pence() > 0) {
      rows.push_back(
          {"Change on last year", absl::StrCat(FormatPounds(s.band_d_change_pence()), " (",
                                               s.band_d_change().percent(), "%)")});
    }
    rows.push_back({"Yield of 1 pound on Band D", FormatPounds(s.yield_of_one_pound_pence())});
    rows.push_back({"Yield of 1% on Band D", FormatPounds(s.yield_of_one_percent_pence())});
  }
  PrintTable(out, {"WHERE THE MONEY COMES FROM", "POUNDS"}, rows);
  if (s.bands_size() > 0) {
    out << "\n";
    rows.clear();
    for (const auto& b : s.bands()) {
      rows.push_back({b.band(), absl::StrCat(b.ninths(), "/9"), FormatPounds(b.amount_pence())});
    }
    PrintTable(out, {"BAND", "RATIO", "POUNDS"}, rows);
  }
  if (s.authority_precepts_size() > 0) {
    out << "\n";
    rows.clear();
    for (const auto& a : s.authority_precepts()) {
      rows.push_back({a.title().empty() ? a.id() : a.title(),
                      money::FormatHundredths(a.tax_base_hundredths()),
                      FormatPounds(a.precept_due_pence())});
    }
    PrintTable(out, {"BILLING AUTHORITY", "TAX BASE", "PRECEPT DUE"}, rows);
  }
  out << "\n";
  rows.clear();
  for (const auto& h : s.per_head()) {
    rows.push_back({h.title().empty() ? h.id() : h.title(), FormatPounds(h.per_head_pence())});
  }
  rows.push_back({"Average cost per person", FormatPounds(s.average_cost_per_person_pence())});
  PrintTable(out, {"PER HEAD", "POUNDS"}, rows);
  for (const auto& w : s.warnings()) {
    out << "warning: " << w.code() << ": " << w.message() << "\n";
  }
}

void PrintPrecept(std::ostream& out, const budget::Precept& p) {
  PrintTable(
      out, {"FIELD", "VALUE"},
      {{"name", p.name()},
       {"state", budget::PreceptState_Name(p.state())},
       {"band D", p.band_d_pence() ? FormatPounds(p.band_d_pence()) : "- (no tax base given)"},
       {"proposed band D",
        p.proposed_band_d_pence() ? FormatPounds(p.proposed_band_d_pence()) : "-"},
       {"panel report", p.has_report()
                            ? absl::StrCat(budget::PanelOutcome_Name(p.report().outcome()),
                                           p.report().veto_lapsed() ? " (lapsed)" : "")
                            : "-"},
       {"revised band D", p.revised_band_d_pence() ? FormatPounds(p.revised_band_d_pence()) : "-"},
       {"issued band D", p.issued_band_d_pence() ? FormatPounds(p.issued_band_d_pence()) : "-"},
       {"PCC decision",  // R-KD-08
        p.pcc_decision_reference().empty()
            ? "-"
            : absl::StrCat(p.pcc_decision_reference(), " (", p.pcc_decision(), ")")},
       {"published", p.published() ? "yes" : "no"},
       {"etag", p.etag()}});
  // The panel's review: equality duty (R-PR-10), sub-committee (R-PR-07) and warnings.
  for (const budget::PanelReport* r : {&p.report(), &p.second_report()}) {
    if (r->has_equality_duty()) {
      out << "equality duty: " << (r->equality_duty().due_regard() ? "due regard had" : "-") << ": "
          << r->equality_duty().notes() << "\n";
    }
    if (r->has_sub_committee()) {
      out << "sub-committee: " << r->sub_committee().body() << ", reported back to "
          << r->sub_committee().report_back_meeting() << "\n";
    }
    for (const auto& w : r->warnings()) {
      out << "warning: " << w.code() << ": " << w.message() << "\n";
    }
  }
  if (p.information_requests_size() > 0) {  // R-PR-11
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : p.information_requests()) {
      rows.push_back(
          {r.id(),
           budget::InformationTopic_Name(r.topic()).substr(sizeof("INFORMATION_TOPIC_") - 1),
           budget::InformationRequestStatus_Name(r.status())
               .substr(sizeof("INFORMATION_REQUEST_STATUS_") - 1),
           r.question()});
    }
    out << "\n";
    PrintTable(out, {"REQUEST", "TOPIC", "STATUS", "QUESTION"}, rows);
  }
  if (p.has_statement()) {
    out << "\n";
    PrintStatement(out, absl::StrCat("Precept ", p.year()), p.statement());
  }
}

int PreceptShow(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  auto stub = budget::PreceptService::NewStub(s.channel());
  budget::GetPreceptRequest request;
  request.set_name(name);
  return CallAndPrint<budget::Precept>(
      s,
      [&](grpc::ClientContext* c, budget::Precept* r) { return stub->GetPrecept(c, request, r); },
      PrintPrecept, out, err);
}

// Creates the year (or, with --scenario, a scenario of it) from --inputs=FILE.json and prints
// what the model computes.
int PreceptCompute(const Session& s, const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err) {
  const std::string path = Flag(s.options(), "inputs", "");
  if (path.empty()) {
    err << "error: --inputs=FILE.json (a moot.budget.v1.PreceptInputs) is required\n";
    return kUsage;
  }
  budget::PreceptInputs inputs;
  if (!ReadJsonFile(path, &inputs, err)) {
    return kUsage;
  }
  const std::string scenario_id = Flag(s.options(), "scenario", "");
  auto context = s.Context();
  if (scenario_id.empty()) {
    auto stub = budget::PreceptService::NewStub(s.channel());
    budget::CreatePreceptRequest request;
    request.set_parent(args[0]);
    request.set_precept_id(args[1]);
    *request.mutable_precept()->mutable_inputs() = inputs;
    request.mutable_precept()->set_body(Flag(s.options(), "body", ""));
    request.set_request_id(Flag(s.options(), "request-id", ""));
    budget::Precept response;
    grpc::Status status = stub->CreatePrecept(context.get(), request, &response);
    if (!status.ok()) {
      return Fail(status, err);
    }
    if (s.options().json) {
      out << ToJson(response) << "\n";
    } else {
      PrintPrecept(out, response);
    }
    return kOk;
  }
  auto stub = budget::ScenarioService::NewStub(s.channel());
  budget::CreateScenarioRequest request;
  request.set_parent(absl::StrCat(args[0], "/precepts/", args[1]));
  request.set_scenario_id(scenario_id);
  budget::Scenario* scenario = request.mutable_scenario();
  scenario->set_display_name(Flag(s.options(), "title", scenario_id));
  budget::ScenarioKind kind = budget::SCENARIO_KIND_ALTERNATIVE;
  if (!budget::ScenarioKind_Parse(
          absl::StrCat("SCENARIO_KIND_", Flag(s.options(), "kind", "ALTERNATIVE")), &kind)) {
    err << "error: --kind must be PROPOSED, REVISED, PANEL_RECOMMENDED or ALTERNATIVE\n";
    return kUsage;
  }
  scenario->set_kind(kind);
  *scenario->mutable_inputs() = inputs;
  request.set_request_id(Flag(s.options(), "request-id", ""));
  budget::Scenario response;
  grpc::Status status = stub->CreateScenario(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  PrintStatement(out, absl::StrCat("Scenario ", response.name()), response.statement());
  return kOk;
}

int PreceptCompare(const Session& s, const std::vector<std::string>& names, std::ostream& out,
                   std::ostream& err) {
  auto stub = budget::ScenarioService::NewStub(s.channel());
  budget::CompareScenariosRequest request;
  for (const auto& n : names) {
    request.add_names(n);
  }
  if (!ParseList(Flag(s.options(), "tax-base", ""), request.mutable_tax_base_changes_bp()) ||
      !ParseList(Flag(s.options(), "grants", ""), request.mutable_grant_changes_bp())) {
    err << "error: --tax-base and --grants are comma-separated basis points, e.g. -100,100\n";
    return kUsage;
  }
  budget::CompareScenariosResponse response;
  auto context = s.Context();
  grpc::Status status = stub->CompareScenarios(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::string> header = {"FIGURE"};
  for (const auto& n : response.names()) {
    header.push_back(n.substr(n.rfind('/') + 1));
  }
  for (int i = 1; i < response.names_size(); ++i) {
    header.push_back(absl::StrCat("DIFF ", header[i + 1]));
  }
  out << "amounts in pounds; differences against " << header[1] << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : response.rows()) {
    std::vector<std::string> cells = {row.figure()};
    for (int64_t v : row.values_pence()) cells.push_back(FormatPounds(v));
    for (int i = 1; i < row.differences_pence_size(); ++i) {
      cells.push_back(FormatPounds(row.differences_pence(i)));
    }
    rows.push_back(std::move(cells));
  }
  PrintTable(out, header, rows);
  if (response.sensitivities_size() > 0) {
    out << "\n";
    rows.clear();
    for (const auto& x : response.sensitivities()) {
      rows.push_back({x.scenario().substr(x.scenario().rfind('/') + 1), x.variable(),
                      money::PercentString(x.change_bp(), 10000, 2) + "%",
                      FormatPounds(x.band_d_pence()), FormatPounds(x.band_d_difference_pence()),
                      FormatPounds(x.income_pence()), FormatPounds(x.income_difference_pence())});
    }
    PrintTable(out, {"SCENARIO", "VARIABLE", "CHANGE", "BAND D", "DIFF", "INCOME", "DIFF"}, rows);
  }
  return kOk;
}

int PreceptTimetable(const Session& s, const std::string& name, std::ostream& out,
                     std::ostream& err) {
  auto stub = budget::PreceptService::NewStub(s.channel());
  budget::GetPreceptTimetableRequest request;
  request.set_name(name);
  // --source=scheduling|stored; default: scheduling when the service has it (issue 5 point 6).
  const std::string source = Flag(s.options(), "source", "");
  if (source == "scheduling") {
    request.set_meeting_source(budget::MEETING_SOURCE_SCHEDULING);
  } else if (source == "stored") {
    request.set_meeting_source(budget::MEETING_SOURCE_STORED);
  } else if (!source.empty()) {
    err << "moot: --source must be \"scheduling\" or \"stored\"\n";
    return kUsage;
  }
  budget::PreceptTimetable response;
  auto context = s.Context();
  grpc::Status status = stub->GetPreceptTimetable(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : response.entries()) {
    std::string step = budget::TimetableStep_Name(e.step()).substr(sizeof("TIMETABLE_STEP_") - 1);
    std::string check = budget::MeetingCheck_Name(e.check()).substr(sizeof("MEETING_CHECK_") - 1);
    rows.push_back({step, absl::StrCat(e.deadline_date(), " ", e.weekday().substr(0, 3)),
                    e.only_if_vetoed() ? "after a veto" : "",
                    e.has_planned_meeting() ? e.planned_meeting().date() : "-", check,
                    e.has_planned_meeting() ? absl::StrCat(e.slack_days()) : "",
                    e.has_done_time() ? Time(e.done_time()) : "-"});
  }
  out << response.precept() << " (relevant financial year " << response.relevant_financial_year()
      << ", " << budget::PreceptState_Name(response.state()) << ")\n";
  out << "meetings from "
      << absl::AsciiStrToLower(budget::MeetingSource_Name(response.meeting_source())
                                   .substr(sizeof("MEETING_SOURCE_") - 1))
      << (response.meeting_source_note().empty() ? "" : ": ") << response.meeting_source_note()
      << "\n";
  PrintTable(out, {"STEP", "DEADLINE", "WHEN", "MEETING", "CHECK", "SLACK", "DONE"}, rows);
  return kOk;
}

int PreceptImport(const Session& s, const std::vector<std::string>& args, std::ostream& out,
                  std::ostream& err) {
  budget::ImportPreceptCsvRequest request;
  request.set_name(args[0]);
  request.set_kind(args[1]);
  if (!ReadFile(args[2], request.mutable_csv(), err)) {
    return kUsage;
  }
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  auto stub = budget::PreceptService::NewStub(s.channel());
  return CallAndPrint<budget::Precept>(
      s,
      [&](grpc::ClientContext* c, budget::Precept* r) {
        return stub->ImportPreceptCsv(c, request, r);
      },
      PrintPrecept, out, err);
}

int PreceptExport(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  budget::ExportPreceptRequest request;
  request.set_name(name);
  request.set_format(Flag(s.options(), "format", s.options().json ? "json" : "csv"));
  auto stub = budget::PreceptService::NewStub(s.channel());
  budget::ExportPreceptResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ExportPrecept(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  out << response.content();
  return kOk;
}

void PrintCharts(std::ostream& out, const budget::Charts& charts) {
  bool first = true;
  for (const auto& series : charts.series()) {
    if (!first) out << "\n";
    first = false;
    out << series.title() << " (pounds)\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : series.points()) {
      rows.push_back({p.label(), FormatPounds(p.value_pence())});
    }
    PrintTable(out, {"LABEL", "POUNDS"}, rows);
  }
}

// The statutory cycle: propose, report (and veto), revise, second-report, issue. Band D in
// pounds (--band-d=202.55); prints the precept after the step.
int PreceptStep(const Session& s, const std::string& step, const std::vector<std::string>& args,
                std::ostream& out, std::ostream& err) {
  auto stub = budget::PreceptService::NewStub(s.channel());
  int64_t band_d = 0;
  const std::string band_d_text = Flag(s.options(), "band-d", "");
  if (!band_d_text.empty()) {
    auto parsed = money::ParseHundredths(band_d_text, "band-d");
    if (!parsed.ok()) {
      err << "error: --band-d must be pounds with up to two decimals, e.g. 202.55\n";
      return kUsage;
    }
    band_d = *parsed;
  }
  const std::string etag = Flag(s.options(), "etag", "");
  const std::string request_id = Flag(s.options(), "request-id", "");
  budget::PanelReport report;
  if (step == "report" || step == "second-report") {
    if (args.size() < 2) {
      err << "error: give the outcome: SUPPORTED, SUPPORTED_WITH_RECOMMENDATIONS, VETOED_TOO_HIGH "
             "or VETOED_TOO_LOW\n";
      return kUsage;
    }
    budget::PanelOutcome outcome;
    if (!budget::PanelOutcome_Parse(absl::StrCat("PANEL_OUTCOME_", args[1]), &outcome) ||
        outcome == budget::PANEL_OUTCOME_UNSPECIFIED) {
      err << "error: unknown outcome " << args[1] << "\n";
      return kUsage;
    }
    report.set_outcome(outcome);
    report.set_vote(Flag(s.options(), "vote", ""));
    report.set_recommended_band_d_pence(band_d);
    report.set_summary(Flag(s.options(), "summary", ""));
    // R-PR-10: the equality duty attestation.
    const std::string equality = Flag(s.options(), "equality-notes", "");
    if (!equality.empty()) {
      report.mutable_equality_duty()->set_due_regard(true);
      report.mutable_equality_duty()->set_notes(equality);
    }
    // R-PR-03 / R-PR-12: what the review considered.
    report.mutable_scope()->set_budget_document(Flag(s.options(), "budget-doc", ""));
    report.mutable_scope()->set_capital_programme_document(Flag(s.options(), "capital-doc", ""));
    report.mutable_scope()->set_reserves_strategy_document(Flag(s.options(), "reserves-doc", ""));
    // R-PR-07: the sub-committee's review.
    const std::string sub = Flag(s.options(), "sub-committee", "");
    if (!sub.empty()) {
      auto* review = report.mutable_sub_committee();
      review->set_body(sub);
      review->set_report_back_meeting(Flag(s.options(), "report-back", ""));
      review->set_findings(Flag(s.options(), "findings", ""));
      for (absl::string_view sc :
           absl::StrSplit(Flag(s.options(), "sub-scenarios", ""), ',', absl::SkipEmpty())) {
        review->add_scenarios(std::string(sc));
      }
    }
  }
  budget::Precept response;
  auto context = s.Context();
  grpc::Status status;
  if (step == "propose") {
    budget::ProposePreceptRequest r;
    r.set_name(args[0]);
    r.set_band_d_pence(band_d);
    r.set_etag(etag);
    r.set_request_id(request_id);
    status = stub->ProposePrecept(context.get(), r, &response);
  } else if (step == "report") {
    budget::RecordPanelReportRequest r;
    r.set_name(args[0]);
    *r.mutable_report() = report;
    r.set_etag(etag);
    r.set_request_id(request_id);
    status = stub->RecordPanelReport(context.get(), r, &response);
  } else if (step == "second-report") {
    budget::RecordSecondReportRequest r;
    r.set_name(args[0]);
    *r.mutable_report() = report;
    r.set_etag(etag);
    r.set_request_id(request_id);
    status = stub->RecordSecondReport(context.get(), r, &response);
  } else if (step == "revise") {
    budget::RevisePreceptRequest r;
    r.set_name(args[0]);
    r.set_band_d_pence(band_d);
    r.set_etag(etag);
    r.set_request_id(request_id);
    status = stub->RevisePrecept(context.get(), r, &response);
  } else {
    budget::IssuePreceptRequest r;
    r.set_name(args[0]);
    r.set_band_d_pence(band_d);
    r.set_pcc_decision_reference(Flag(s.options(), "decision", ""));  // R-KD-08
    r.set_etag(etag);
    r.set_request_id(request_id);
    status = stub->IssuePrecept(context.get(), r, &response);
  }
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
  } else {
    PrintPrecept(out, response);
  }
  return kOk;
}

// R-PR-11: records or updates a panel information request of the year.
int PreceptInfoRequest(const Session& s, const std::vector<std::string>& args, std::ostream& out,
                       std::ostream& err) {
  budget::SetInformationRequestRequest request;
  request.set_name(args[0]);
  auto* info = request.mutable_information_request();
  info->set_id(args[1]);
  budget::InformationTopic topic;
  if (!budget::InformationTopic_Parse(absl::StrCat("INFORMATION_TOPIC_", args[2]), &topic) ||
      topic == budget::INFORMATION_TOPIC_UNSPECIFIED) {
    err << "error: topic must be COMPARATORS, RESERVES or OTHER\n";
    return kUsage;
  }
  info->set_topic(topic);
  budget::InformationRequestStatus status_value;
  if (!budget::InformationRequestStatus_Parse(absl::StrCat("INFORMATION_REQUEST_STATUS_", args[3]),
                                              &status_value) ||
      status_value == budget::INFORMATION_REQUEST_STATUS_UNSPECIFIED) {
    err << "error: status must be OPEN, ANSWERED or DECLINED\n";
    return kUsage;
  }
  info->set_status(status_value);
  info->set_question(Flag(s.options(), "question", ""));
  info->set_response(Flag(s.options(), "response", ""));
  info->set_response_document(Flag(s.options(), "doc", ""));
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  auto stub = budget::PreceptService::NewStub(s.channel());
  return CallAndPrint<budget::Precept>(
      s,
      [&](grpc::ClientContext* c, budget::Precept* r) {
        return stub->SetInformationRequest(c, request, r);
      },
      PrintPrecept, out, err);
}

int PreceptCharts(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  budget::GetPreceptChartsRequest request;
  request.set_name(name);
  auto stub = budget::PreceptService::NewStub(s.channel());
  return CallAndPrint<budget::Charts>(
      s,
      [&](grpc::ClientContext* c, budget::Charts* r) {
        return stub->GetPreceptCharts(c, request, r);
      },
      PrintCharts, out, err);
}

void PrintPlan(std::ostream& out, const budget::Plan& plan) {
  out << plan.name() << ": " << plan.display_name() << " (amounts in pounds)\n";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> warnings;
  for (const auto& y : plan.plan_years()) {
    rows.push_back({y.year(), FormatPounds(y.budget_requirement_pence()),
                    FormatPounds(y.funding_pence()), FormatPounds(y.band_d_pence()),
                    FormatPounds(y.gap_pence()), FormatPounds(y.planned_savings_pence()),
                    FormatPounds(y.savings_still_to_find_pence()),
                    FormatPounds(y.reserves_closing_pence())});
    for (const auto& w : y.warnings()) {
      warnings.push_back(absl::StrCat("warning: ", y.year(), ": ", w.code(), ": ", w.message()));
    }
  }
  PrintTable(out,
             {"YEAR", "REQUIREMENT", "FUNDING", "BAND D", "GAP", "SAVINGS", "TO FIND", "RESERVES"},
             rows);
  for (const auto& w : warnings) out << w << "\n";
}

int PlanCreate(const Session& s, const std::vector<std::string>& args, std::ostream& out,
               std::ostream& err) {
  const std::string path = Flag(s.options(), "plan", "");
  if (path.empty()) {
    err << "error: --plan=FILE.json (a moot.budget.v1.Plan) is required\n";
    return kUsage;
  }
  budget::CreatePlanRequest request;
  if (!ReadJsonFile(path, request.mutable_plan(), err)) {
    return kUsage;
  }
  request.set_parent(args[0]);
  request.set_plan_id(args[1]);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  auto stub = budget::PlanService::NewStub(s.channel());
  return CallAndPrint<budget::Plan>(
      s, [&](grpc::ClientContext* c, budget::Plan* r) { return stub->CreatePlan(c, request, r); },
      PrintPlan, out, err);
}

int PlanShow(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  budget::GetPlanRequest request;
  request.set_name(name);
  auto stub = budget::PlanService::NewStub(s.channel());
  return CallAndPrint<budget::Plan>(
      s, [&](grpc::ClientContext* c, budget::Plan* r) { return stub->GetPlan(c, request, r); },
      PrintPlan, out, err);
}

int PlanList(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  budget::ListPlansRequest request;
  request.set_parent(parent);
  SetPage(s.options(), request);
  auto stub = budget::PlanService::NewStub(s.channel());
  budget::ListPlansResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListPlans(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : response.plans()) {
    rows.push_back({p.name(), p.first_year(), absl::StrCat(p.years()), p.display_name()});
  }
  PrintPage(s, response, response.next_page_token(), out, {"NAME", "FROM", "YEARS", "TITLE"}, rows);
  return kOk;
}

}  // namespace

std::vector<Command> BudgetCommands() {
  using Args = const std::vector<std::string>&;
  return {
      {"precept compute",
       "TENANT YEAR",
       "create a year (or --scenario=ID) from --inputs=FILE.json and print the statement",
       2,
       {"inputs", "scenario", "kind", "title", "body"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptCompute(s, a, o, e);
       }},
      {"precept show",
       "PRECEPT",
       "a precept year: state, statement, bands and per-head table",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptShow(s, a[0], o, e);
       }},
      {"precept compare",
       "SCENARIO SCENARIO...",
       "scenarios side by side; --tax-base=-100,100 --grants=200 (basis points) for sensitivity",
       2,
       {"tax-base", "grants"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptCompare(s, a, o, e);
       }},
      {"precept timetable",
       "PRECEPT",
       "the statutory deadlines (1, 8, 15, 22 Feb, 1 Mar) and the panel's meetings against them "
       "(--source=scheduling|stored)",
       1,
       {"source"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptTimetable(s, a[0], o, e);
       }},
      {"precept import",
       "PRECEPT KIND FILE.csv",
       "import tax_bases, band_dwellings or funding_lines from CSV into a draft year",
       3,
       {"etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptImport(s, a, o, e);
       }},
      {"precept export",
       "PRECEPT",
       "the statement, bands and per-head table as CSV (or --format=json)",
       1,
       {"format"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptExport(s, a[0], o, e);
       }},
      {"precept charts",
       "PRECEPT",
       "the chart series (where the money comes from, bands) as tables",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptCharts(s, a[0], o, e);
       }},
      {"precept propose",
       "PRECEPT",
       "the PCC notifies the panel (by 1 February); --band-d=POUNDS or the computed Band D",
       1,
       {"band-d", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptStep(s, "propose", a, o, e);
       }},
      {"precept report",
       "PRECEPT OUTCOME",
       "the panel's report (by 8 February): SUPPORTED, SUPPORTED_WITH_RECOMMENDATIONS "
       "(--band-d), VETOED_TOO_HIGH or VETOED_TOO_LOW (--vote=VOTE); --equality-notes (required, "
       "R-PR-10), --budget-doc, --capital-doc, --reserves-doc, --sub-committee=BODY "
       "--report-back=MEETING --sub-scenarios=S1,S2 --findings",
       2,
       {"band-d", "vote", "summary", "etag", "equality-notes", "budget-doc", "capital-doc",
        "reserves-doc", "sub-committee", "report-back", "sub-scenarios", "findings"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptStep(s, "report", a, o, e);
       }},
      {"precept revise",
       "PRECEPT",
       "after a veto, the revised precept --band-d=POUNDS (by 15 February)",
       1,
       {"band-d", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptStep(s, "revise", a, o, e);
       }},
      {"precept second-report",
       "PRECEPT OUTCOME",
       "the panel's second report on the revised precept (by 22 February; no veto); the review "
       "flags of `precept report`",
       2,
       {"band-d", "summary", "etag", "equality-notes", "budget-doc", "capital-doc", "reserves-doc",
        "sub-committee", "report-back", "sub-scenarios", "findings"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptStep(s, "second-report", a, o, e);
       }},
      {"precept issue",
       "PRECEPT",
       "issue the precept --band-d=POUNDS (by 1 March); --decision=004-2019 links the PCC's "
       "decision (R-KD-08)",
       1,
       {"band-d", "etag", "decision"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptStep(s, "issue", a, o, e);
       }},
      {"precept info-request",
       "PRECEPT ID TOPIC STATUS",
       "record a panel information request (R-PR-11): TOPIC COMPARATORS, RESERVES or OTHER; "
       "STATUS OPEN, ANSWERED or DECLINED; --question, --response, --doc=DOCUMENT",
       4,
       {"question", "response", "doc", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PreceptInfoRequest(s, a, o, e);
       }},
      {"plan create",
       "TENANT PLAN_ID",
       "a medium-term financial plan from --plan=FILE.json",
       2,
       {"plan"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PlanCreate(s, a, o, e);
       }},
      {"plan show",
       "PLAN",
       "the plan's years: requirement, funding, gap, savings, reserves",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PlanShow(s, a[0], o, e);
       }},
      {"plan list",
       "TENANT",
       "the tenant's medium-term plans",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return PlanList(s, a[0], o, e);
       }},
  };
}

}  // namespace moot::cli
