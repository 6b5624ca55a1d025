// `moot` commands for the decisions register: minutes and resolutions (`moot minutes ...`),
// the audit chain (`moot audit verify|list`), the PCC's key decisions (`moot decisions ...`) and
// confirmation hearings (`moot hearings ...`).
#include <algorithm>
#include <ostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "moot/decisions/v1/actions.grpc.pb.h"
#include "moot/decisions/v1/decisions.grpc.pb.h"
#include "moot/decisions/v1/hearings.grpc.pb.h"
#include "moot/decisions/v1/minutes.grpc.pb.h"
#include "moot/decisions/v1/votes.grpc.pb.h"
#include "tools/moot/command.h"

namespace moot::cli {
namespace {

namespace dec = moot::decisions::v1;
using Args = const std::vector<std::string>&;

// Accepts a meeting or its minutes: "…/meetings/m" and "…/meetings/m/minutes" both name them.
std::string MinutesName(const std::string& name) {
  return absl::EndsWith(name, "/minutes") ? name : absl::StrCat(name, "/minutes");
}

std::string Short(absl::string_view enum_name, absl::string_view prefix) {
  absl::ConsumePrefix(&enum_name, prefix);
  return std::string(enum_name);
}

// "chief-constable" -> HEARING_POST_CHIEF_CONSTABLE style parsing of an enum given in lower case
// with dashes; false when it names no value.
template <typename Enum, typename Parse>
bool ParseEnumArg(const std::string& arg, absl::string_view prefix, Parse parse, Enum* out) {
  std::string upper = absl::AsciiStrToUpper(arg);
  std::replace(upper.begin(), upper.end(), '-', '_');
  return parse(absl::StrCat(prefix, upper), out) && static_cast<int>(*out) != 0;
}

void PrintMinutes(const Session& s, const dec::Minutes& m, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(m) << "\n";
    return;
  }
  PrintTable(
      out, {"FIELD", "VALUE"},
      {{"name", m.name()},
       {"meeting date", m.meeting_date()},
       {"state", Short(dec::MinutesState_Name(m.state()), "MINUTES_STATE_")},
       {"numbering", Short(dec::NumberingScheme_Name(m.numbering()), "NUMBERING_SCHEME_")},
       {"minutes", m.entry_count() == 0 ? "-"
                                        : absl::StrCat(m.first_number(), "-", m.last_number(), " (",
                                                       m.entry_count(), ")")},
       {"confirmed by", m.confirmed_by_ref().empty() ? "-" : m.confirmed_by_ref()},
       {"style", m.minutes_style() == dec::MINUTES_STYLE_UNSPECIFIED
                     ? "FORMAL"
                     : Short(dec::MinutesStyle_Name(m.minutes_style()), "MINUTES_STYLE_")},
       {"confirmation wording", m.confirmation_wording() == dec::CONFIRMATION_WORDING_UNSPECIFIED
                                    ? "CONFIRMED_AND_SIGNED"
                                    : Short(dec::ConfirmationWording_Name(m.confirmation_wording()),
                                            "CONFIRMATION_WORDING_")},
       {"webcast", m.webcast_url().empty() ? "-" : m.webcast_url()},
       {"published", Time(m.publish_time())},
       {"signed", Time(m.sign_time())},
       {"etag", m.etag()}});
}

void PrintEntry(const Session& s, const dec::MinuteEntry& e, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(e) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"name", e.name()},
      {"number", absl::StrCat(e.display_number(), e.number_overridden() ? " (override)" : "")},
      {"title", e.title()},
      {"revision", absl::StrCat(e.revision())},
      {"etag", e.etag()}};
  for (const auto& c : e.resolutions()) {
    rows.push_back({c.display_ref(),
                    absl::StrCat(Short(dec::ResolutionKind_Name(c.kind()), "RESOLUTION_KIND_"),
                                 ": ", c.text())});
  }
  PrintTable(out, {"FIELD", "VALUE"}, rows);
}

// --style=formal|summary, --wording=confirmed-and-signed|accepted|approved and --webcast=URL
// into a CreateMinutes or UpdateMinutes request; false (after a message) on a bad value.
template <typename Request>
bool SetPresentation(const Session& s, Request& request, std::ostream& err) {
  const std::string style = Flag(s.options(), "style", "");
  if (!style.empty()) {
    dec::MinutesStyle value;
    if (!ParseEnumArg(style, "MINUTES_STYLE_", &dec::MinutesStyle_Parse, &value)) {
      err << "error: --style must be formal or summary\n";
      return false;
    }
    request.set_minutes_style(value);
  }
  const std::string wording = Flag(s.options(), "wording", "");
  if (!wording.empty()) {
    dec::ConfirmationWording value;
    if (!ParseEnumArg(wording, "CONFIRMATION_WORDING_", &dec::ConfirmationWording_Parse, &value)) {
      err << "error: --wording must be confirmed-and-signed, accepted or approved\n";
      return false;
    }
    request.set_confirmation_wording(value);
  }
  request.set_webcast_url(Flag(s.options(), "webcast", ""));
  return true;
}

int MinutesUpdate(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::MinutesService::NewStub(s.channel());
  dec::UpdateMinutesRequest request;
  request.set_name(MinutesName(a[0]));
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  if (!SetPresentation(s, request, err)) {
    return kUsage;
  }
  dec::Minutes response;
  auto context = s.Context();
  grpc::Status status = stub->UpdateMinutes(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintMinutes(s, response, out);
  return kOk;
}

// The minutes rendered for publication: the HTML, or JSON with --json.
int MinutesRender(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::MinutesService::NewStub(s.channel());
  dec::RenderMinutesRequest request;
  request.set_name(MinutesName(a[0]));
  dec::RenderedMinutes response;
  auto context = s.Context();
  grpc::Status status = stub->RenderMinutes(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
  } else {
    out << response.html();
  }
  return kOk;
}

int MinutesCreate(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::MinutesService::NewStub(s.channel());
  dec::CreateMinutesRequest request;
  request.set_parent(a[0]);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  const std::string style = absl::AsciiStrToLower(Flag(s.options(), "clause-style", "lower"));
  if (style != "lower" && style != "upper") {
    err << "error: --clause-style must be lower or upper\n";
    return kUsage;
  }
  request.set_clause_style(style == "upper" ? dec::CLAUSE_STYLE_UPPER_ROMAN
                                            : dec::CLAUSE_STYLE_LOWER_ROMAN);
  if (!SetPresentation(s, request, err)) {
    return kUsage;
  }
  dec::Minutes response;
  auto context = s.Context();
  grpc::Status status = stub->CreateMinutes(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintMinutes(s, response, out);
  return kOk;
}

int MinutesGet(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::MinutesService::NewStub(s.channel());
  dec::GetMinutesRequest request;
  request.set_name(MinutesName(a[0]));
  dec::Minutes response;
  auto context = s.Context();
  grpc::Status status = stub->GetMinutes(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintMinutes(s, response, out);
  return kOk;
}

int MinutesTransition(const Session& s, Args a, bool publish, std::ostream& out,
                      std::ostream& err) {
  auto stub = dec::MinutesService::NewStub(s.channel());
  dec::MinutesTransitionRequest request;
  request.set_name(MinutesName(a[0]));
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  dec::Minutes response;
  auto context = s.Context();
  grpc::Status status = publish ? stub->PublishMinutes(context.get(), request, &response)
                                : stub->SignMinutes(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintMinutes(s, response, out);
  return kOk;
}

int MinutesAdd(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::MinutesService::NewStub(s.channel());
  dec::AddMinuteEntryRequest request;
  request.set_parent(MinutesName(a[0]));
  request.mutable_entry()->set_title(a[1]);
  request.mutable_entry()->set_text(Flag(s.options(), "text", ""));
  request.mutable_entry()->set_agenda_item(Flag(s.options(), "agenda-item", ""));
  const std::string number = Flag(s.options(), "number", "");
  if (!number.empty()) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(number, &n) || n <= 0) {
      err << "error: --number must be a positive whole number\n";
      return kUsage;
    }
    request.set_override_number(n);
    request.set_override_reason(Flag(s.options(), "reason", ""));
  }
  request.set_request_id(Flag(s.options(), "request-id", ""));
  dec::MinuteEntry response;
  auto context = s.Context();
  grpc::Status status = stub->AddMinuteEntry(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintEntry(s, response, out);
  return kOk;
}

int MinutesList(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::MinutesService::NewStub(s.channel());
  dec::ListMinuteEntriesRequest request;
  request.set_parent(MinutesName(a[0]));
  SetPage(s.options(), request);
  dec::ListMinuteEntriesResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListMinuteEntries(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : response.entries()) {
    std::string resolutions;
    for (const auto& c : e.resolutions()) {
      absl::StrAppend(&resolutions, resolutions.empty() ? "" : ", ", c.display_ref(), " ",
                      Short(dec::ResolutionKind_Name(c.kind()), "RESOLUTION_KIND_"));
    }
    rows.push_back({e.display_number(), e.title(), resolutions.empty() ? "-" : resolutions});
  }
  PrintPage(s, response, response.next_page_token(), out, {"NO", "TITLE", "RESOLUTIONS"}, rows);
  return kOk;
}

// Each clause argument is "KIND:text" or "CLAUSE:KIND:text", e.g. "ii:REQUEST:That the PCC ...".
// --confirms=MEETING[,MEETING] applies to the CONFIRM_MINUTES clauses.
int MinutesResolve(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::MinutesService::NewStub(s.channel());
  dec::RecordResolutionRequest request;
  request.set_entry(a[0]);
  const std::string confirms = Flag(s.options(), "confirms", "");
  for (size_t i = 1; i < a.size(); ++i) {
    std::vector<std::string> parts = absl::StrSplit(a[i], absl::MaxSplits(':', 2));
    dec::ResolutionClause* c = request.add_clauses();
    dec::ResolutionKind kind;
    auto parse_kind = [&kind](const std::string& text) {
      return dec::ResolutionKind_Parse(
          absl::StrCat("RESOLUTION_KIND_", absl::AsciiStrToUpper(text)), &kind);
    };
    // "ii:REQUEST:text" when the middle part is a kind; otherwise "KIND:text" (text may hold ':').
    const bool numbered = parts.size() == 3 && parse_kind(parts[1]);
    if (parts.size() < 2 || (!numbered && !parse_kind(parts[0]))) {
      err << "error: a clause is KIND:text or CLAUSE:KIND:text with a known KIND (got '" << a[i]
          << "')\n";
      return kUsage;
    }
    const std::string text =
        numbered ? parts[2] : std::string(absl::string_view(a[i]).substr(parts[0].size() + 1));
    if (numbered) {
      c->set_clause(parts[0]);
    }
    c->set_kind(kind);
    c->set_text(text);
    if (kind == dec::RESOLUTION_KIND_CONFIRM_MINUTES && !confirms.empty()) {
      for (absl::string_view m : absl::StrSplit(confirms, ',', absl::SkipEmpty())) {
        c->add_confirms_meetings(std::string(m));
      }
    }
  }
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  dec::MinuteEntry response;
  auto context = s.Context();
  grpc::Status status = stub->RecordResolution(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintEntry(s, response, out);
  return kOk;
}

int MinutesCorrect(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::MinutesService::NewStub(s.channel());
  dec::CorrectMinuteEntryRequest request;
  request.set_name(a[0]);
  request.set_title(Flag(s.options(), "title", ""));
  request.set_text(Flag(s.options(), "text", ""));
  request.set_reason(Flag(s.options(), "reason", ""));
  request.set_etag(Flag(s.options(), "etag", ""));
  dec::MinuteEntry response;
  auto context = s.Context();
  grpc::Status status = stub->CorrectMinuteEntry(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintEntry(s, response, out);
  return kOk;
}

// Exit 0 when the chain verifies, 6 (a broken rule) when it does not.
int AuditVerify(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::AuditService::NewStub(s.channel());
  dec::VerifyAuditChainRequest request;
  request.set_parent(a[0]);
  dec::AuditVerification response;
  auto context = s.Context();
  grpc::Status status = stub->VerifyAuditChain(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
  } else if (response.ok()) {
    out << "audit chain OK: " << response.rows_checked() << " rows, head " << response.head_hash()
        << "\n";
  } else {
    out << "audit chain BROKEN at row " << response.first_bad_seq() << ": " << response.problem()
        << " (" << response.rows_checked() << " rows checked)\n";
  }
  return response.ok() ? kOk : kRuleBroken;
}

int AuditList(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::AuditService::NewStub(s.channel());
  dec::ListAuditRecordsRequest request;
  request.set_parent(a[0]);
  SetPage(s.options(), request);
  dec::ListAuditRecordsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListAuditRecords(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : response.records()) {
    rows.push_back({absl::StrCat(r.seq()), Time(r.time()), r.actor(), r.method(), r.resource(),
                    r.hash().substr(0, 12)});
  }
  PrintPage(s, response, response.next_page_token(), out,
            {"SEQ", "TIME", "ACTOR", "METHOD", "RESOURCE", "HASH"}, rows);
  return kOk;
}

int DecisionsList(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::DecisionService::NewStub(s.channel());
  dec::ListKeyDecisionsRequest request;
  request.set_parent(a[0]);
  request.set_reference(Flag(s.options(), "reference", ""));
  request.set_precept_year(Flag(s.options(), "precept-year", ""));
  SetPage(s.options(), request);
  dec::ListKeyDecisionsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListKeyDecisions(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : response.key_decisions()) {
    rows.push_back({d.reference(), d.decision_date(),
                    Short(dec::Confidentiality_Name(d.confidentiality()), "CONFIDENTIALITY_"),
                    d.title()});
  }
  PrintPage(s, response, response.next_page_token(), out, {"REFERENCE", "DATE", "ACCESS", "TITLE"},
            rows);
  return kOk;
}

int DecisionsGet(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::DecisionService::NewStub(s.channel());
  dec::GetKeyDecisionRequest request;
  request.set_name(a[0]);
  dec::KeyDecision response;
  auto context = s.Context();
  grpc::Status status = stub->GetKeyDecision(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows = {
      {"name", response.name()},
      {"reference", response.reference()},
      {"title", response.title()},
      {"decided", response.decision_date()},
      {"published", response.publication_date()},
      {"access", Short(dec::Confidentiality_Name(response.confidentiality()), "CONFIDENTIALITY_")},
      {"summary", response.summary().empty() ? "-" : response.summary()},
      {"precept year", response.precept_year().empty() ? "-" : response.precept_year()}};
  for (const auto& doc : response.report_documents()) {
    rows.push_back({"report", doc});
  }
  for (const auto& flag : response.flags()) {
    rows.push_back({"flag", flag});
  }
  PrintTable(out, {"FIELD", "VALUE"}, rows);
  return kOk;
}

int DecisionsMarkPrecept(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::DecisionService::NewStub(s.channel());
  dec::MarkPreceptDecisionRequest request;
  request.set_name(a[0]);
  request.set_precept_year(a[1]);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  dec::KeyDecision response;
  auto context = s.Context();
  grpc::Status status = stub->MarkPreceptDecision(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
  } else {
    out << response.name() << " is the " << response.precept_year()
        << " budget-and-precept decision\n";
  }
  return kOk;
}

void PrintAction(const Session& s, const dec::Action& a, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(a) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"name", a.name()},
      {"ref", a.ref().empty() ? "-" : a.ref()},
      {"status", Short(dec::ActionStatus_Name(a.status()), "ACTION_STATUS_")},
      {"action", a.text()},
      {"owner", a.owner().empty() ? "-" : a.owner()},
      {"programmed for", a.target_meeting().empty() ? "-" : a.target_meeting()},
      {"completed", a.completion_date().empty() ? "-" : a.completion_date()},
      {"type", a.type() == dec::ACTION_TYPE_UNSPECIFIED
                   ? "REQUEST"
                   : Short(dec::ActionType_Name(a.type()), "ACTION_TYPE_")},
      {"etag", a.etag()}};
  if (a.type() == dec::ACTION_TYPE_WRITTEN_RESPONSE) {
    rows.push_back({"written response", absl::StrCat(a.respondent(), " to ", a.requested_by())});
  }
  if (a.type() == dec::ACTION_TYPE_UNDERTAKING) {
    rows.push_back({"undertaking", absl::StrCat(a.given_by(), " to ", a.given_to())});
  }
  if (a.type() == dec::ACTION_TYPE_MEMBERSHIP) {
    rows.push_back({"minimum members", absl::StrCat(a.minimum_members())});
    if (!a.members().empty()) {
      rows.push_back({"members", absl::StrJoin(a.members(), ", ")});
    }
  }
  for (const auto& flag : a.flags()) {
    rows.push_back({"flag", flag});
  }
  for (const auto& u : a.updates()) {
    rows.push_back({"update", absl::StrCat(Time(u.time()), " ", u.note())});
  }
  PrintTable(out, {"FIELD", "VALUE"}, rows);
}

int ActionsList(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::ActionService::NewStub(s.channel());
  dec::ListActionsRequest request;
  request.set_parent(a[0]);
  const std::string status_flag = absl::AsciiStrToUpper(Flag(s.options(), "status", ""));
  if (!status_flag.empty()) {
    dec::ActionStatus status;
    if (!dec::ActionStatus_Parse(absl::StrCat("ACTION_STATUS_", status_flag), &status)) {
      err << "error: --status must be outstanding or completed\n";
      return kUsage;
    }
    request.set_status(status);
  }
  SetPage(s.options(), request);
  dec::ListActionsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListActions(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& x : response.actions()) {
    rows.push_back({x.ref().empty() ? "-" : x.ref(), x.meeting_month(),
                    Short(dec::ActionStatus_Name(x.status()), "ACTION_STATUS_"),
                    x.flags().empty() ? "" : absl::StrJoin(x.flags(), ","), x.text()});
  }
  PrintPage(s, response, response.next_page_token(), out,
            {"REF", "MONTH", "STATUS", "FLAGS", "ACTION"}, rows);
  return kOk;
}

int ActionsGet(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::ActionService::NewStub(s.channel());
  dec::GetActionRequest request;
  request.set_name(a[0]);
  dec::Action response;
  auto context = s.Context();
  grpc::Status status = stub->GetAction(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintAction(s, response, out);
  return kOk;
}

int ActionsCreate(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::ActionService::NewStub(s.channel());
  dec::CreateActionRequest request;
  request.set_parent(a[0]);
  request.mutable_action()->set_text(a[1]);
  request.mutable_action()->set_ref(Flag(s.options(), "ref", ""));
  request.mutable_action()->set_meeting_month(Flag(s.options(), "month", ""));
  request.mutable_action()->set_owner(Flag(s.options(), "owner", ""));
  request.mutable_action()->set_target_meeting(Flag(s.options(), "target-meeting", ""));
  const std::string type_flag = Flag(s.options(), "type", "");
  if (!type_flag.empty()) {
    dec::ActionType type;
    if (!ParseEnumArg(type_flag, "ACTION_TYPE_", &dec::ActionType_Parse, &type)) {
      err << "error: --type must be request, written-response, undertaking or membership\n";
      return kUsage;
    }
    request.mutable_action()->set_type(type);
  }
  request.mutable_action()->set_requested_by(Flag(s.options(), "requested-by", ""));
  request.mutable_action()->set_respondent(Flag(s.options(), "respondent", ""));
  request.mutable_action()->set_given_by(Flag(s.options(), "given-by", ""));
  request.mutable_action()->set_given_to(Flag(s.options(), "given-to", ""));
  const std::string minimum = Flag(s.options(), "minimum", "");
  if (!minimum.empty()) {
    int n = 0;
    if (!absl::SimpleAtoi(minimum, &n) || n <= 0) {
      err << "error: --minimum must be a positive whole number\n";
      return kUsage;
    }
    request.mutable_action()->set_minimum_members(n);
  }
  request.set_note(Flag(s.options(), "note", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  dec::Action response;
  auto context = s.Context();
  grpc::Status status = stub->CreateAction(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintAction(s, response, out);
  return kOk;
}

int ActionsUpdate(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::ActionService::NewStub(s.channel());
  dec::UpdateActionRequest request;
  request.set_name(a[0]);
  request.set_note(a[1]);
  request.set_target_meeting(Flag(s.options(), "target-meeting", ""));
  request.set_owner(Flag(s.options(), "owner", ""));
  request.set_etag(Flag(s.options(), "etag", ""));
  dec::Action response;
  auto context = s.Context();
  grpc::Status status = stub->UpdateAction(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintAction(s, response, out);
  return kOk;
}

int ActionsComplete(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::ActionService::NewStub(s.channel());
  dec::CompleteActionRequest request;
  request.set_name(a[0]);
  request.set_note(a[1]);
  request.set_completion_date(Flag(s.options(), "date", ""));
  request.set_etag(Flag(s.options(), "etag", ""));
  const std::string members = Flag(s.options(), "members", "");
  if (!members.empty()) {
    for (absl::string_view m : absl::StrSplit(members, ',')) {
      request.add_members(std::string(absl::StripAsciiWhitespace(m)));
    }
  }
  dec::Action response;
  auto context = s.Context();
  grpc::Status status = stub->CompleteAction(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintAction(s, response, out);
  return kOk;
}

// The tracker for a meeting's agenda: tables, JSON (--json) or the HTML (--format=html).
int ActionsTracker(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::ActionService::NewStub(s.channel());
  dec::TrackerReportRequest request;
  request.set_meeting(a[0]);
  dec::ActionTrackerReport response;
  auto context = s.Context();
  grpc::Status status = stub->TrackerReport(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  if (Flag(s.options(), "format", "") == "html") {
    out << response.html();
    return kOk;
  }
  out << response.outstanding_summary() << "\n";
  for (const auto& [title, list] :
       {std::make_pair("1. Outstanding Actions", &response.outstanding()),
        std::make_pair("2. Completed Actions", &response.completed())}) {
    out << title << "\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& x : *list) {
      rows.push_back({x.ref().empty() ? "-" : x.ref(), x.meeting_month(), x.text(),
                      x.updates().empty() ? "" : x.updates().rbegin()->note()});
    }
    PrintTable(out, {"REF", "MONTH", "ACTION", "UPDATE"}, rows);
  }
  return kOk;
}

void PrintVote(const Session& s, const dec::Vote& v, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(v) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"name", v.name()},
      {"motion", v.motion()},
      {"rule", Short(dec::MajorityRule_Name(v.rule()), "MAJORITY_RULE_")},
      {"outcome", Short(dec::VoteOutcome_Name(v.outcome()), "VOTE_OUTCOME_")},
      {"reason", v.outcome_reason()},
      {"for/against/abstain/absent",
       absl::StrCat(v.votes_for(), "/", v.votes_against(), "/", v.abstentions(), "/", v.absent())},
      {"members (N)", absl::StrCat(v.member_count())},
      {"required", absl::StrCat(v.required())}};
  for (const auto& b : v.ballots()) {
    rows.push_back({b.person(), Short(dec::BallotChoice_Name(b.choice()), "BALLOT_CHOICE_")});
  }
  PrintTable(out, {"FIELD", "VALUE"}, rows);
}

int VotesGet(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::VoteService::NewStub(s.channel());
  dec::GetVoteRequest request;
  request.set_name(a[0]);
  dec::Vote response;
  auto context = s.Context();
  grpc::Status status = stub->GetVote(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintVote(s, response, out);
  return kOk;
}

int VotesList(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::VoteService::NewStub(s.channel());
  dec::ListVotesRequest request;
  request.set_parent(a[0]);
  SetPage(s.options(), request);
  dec::ListVotesResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListVotes(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : response.votes()) {
    rows.push_back({v.name(), Short(dec::MajorityRule_Name(v.rule()), "MAJORITY_RULE_"),
                    Short(dec::VoteOutcome_Name(v.outcome()), "VOTE_OUTCOME_"),
                    v.outcome_reason()});
  }
  PrintPage(s, response, response.next_page_token(), out, {"NAME", "RULE", "OUTCOME", "COUNT"},
            rows);
  return kOk;
}

int DecisionsForMeeting(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::DecisionService::NewStub(s.channel());
  dec::ListMeetingKeyDecisionsRequest request;
  request.set_meeting(a[0]);
  dec::MeetingKeyDecisions response;
  auto context = s.Context();
  grpc::Status status = stub->ListMeetingKeyDecisions(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  out << "published after " << (response.window_start().empty() ? "-" : response.window_start())
      << " up to " << response.window_end() << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : response.key_decisions()) {
    rows.push_back({d.reference(), d.publication_date(),
                    Short(dec::Confidentiality_Name(d.confidentiality()), "CONFIDENTIALITY_"),
                    d.title()});
  }
  PrintTable(out, {"REFERENCE", "PUBLISHED", "ACCESS", "TITLE"}, rows);
  return kOk;
}

// Ballots are PERSON=CHOICE, e.g. tenants/wm/people/jasbir-jaspal=FOR (FOR, AGAINST, ABSTAIN,
// ABSENT); --rule=simple|two-thirds|unanimous, --casting-vote=FOR|AGAINST for the Chair.
int VotesRecord(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::VoteService::NewStub(s.channel());
  dec::RecordVoteRequest request;
  request.set_parent(a[0]);
  request.set_vote_id(a[1]);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  dec::Vote* vote = request.mutable_vote();
  vote->set_agenda_item(Flag(s.options(), "item", ""));
  vote->set_motion(Flag(s.options(), "motion", ""));
  const std::string rule = absl::AsciiStrToLower(Flag(s.options(), "rule", "simple"));
  if (rule == "simple") {
    vote->set_rule(dec::MAJORITY_RULE_SIMPLE);
  } else if (rule == "two-thirds") {
    vote->set_rule(dec::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS);
  } else if (rule == "unanimous") {
    vote->set_rule(dec::MAJORITY_RULE_UNANIMOUS);
  } else {
    err << "error: --rule must be simple, two-thirds or unanimous\n";
    return kUsage;
  }
  const std::string casting = absl::AsciiStrToUpper(Flag(s.options(), "casting-vote", ""));
  if (!casting.empty()) {
    dec::BallotChoice choice;
    if (!dec::BallotChoice_Parse(absl::StrCat("BALLOT_CHOICE_", casting), &choice)) {
      err << "error: --casting-vote must be FOR or AGAINST\n";
      return kUsage;
    }
    vote->set_chair_casting_vote(true);
    vote->set_casting_vote(choice);
  }
  for (size_t i = 2; i < a.size(); ++i) {
    const size_t eq = a[i].rfind('=');
    dec::BallotChoice choice;
    if (eq == std::string::npos ||
        !dec::BallotChoice_Parse(
            absl::StrCat("BALLOT_CHOICE_", absl::AsciiStrToUpper(a[i].substr(eq + 1))), &choice)) {
      err << "error: a ballot is PERSON=FOR|AGAINST|ABSTAIN|ABSENT (got '" << a[i] << "')\n";
      return kUsage;
    }
    dec::Ballot* b = vote->add_ballots();
    b->set_person(a[i].substr(0, eq));
    b->set_choice(choice);
  }
  dec::Vote response;
  auto context = s.Context();
  grpc::Status status = stub->RecordVote(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintVote(s, response, out);
  return kOk;
}

int AccessRequestsList(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::DecisionService::NewStub(s.channel());
  dec::ListAccessRequestsRequest request;
  request.set_parent(a[0]);
  SetPage(s.options(), request);
  dec::ListAccessRequestsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListAccessRequests(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : response.access_requests()) {
    rows.push_back({r.name(), r.requester(),
                    Short(dec::AccessOutcome_Name(r.outcome()), "ACCESS_OUTCOME_"),
                    r.outcome_reason()});
  }
  PrintPage(s, response, response.next_page_token(), out, {"NAME", "REQUESTER", "OUTCOME", "WHY"},
            rows);
  return kOk;
}

int AccessRequestCreate(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::DecisionService::NewStub(s.channel());
  dec::CreateAccessRequestRequest request;
  request.set_parent(a[0]);
  request.mutable_access_request()->set_requester(a[1]);
  request.mutable_access_request()->set_reason(Flag(s.options(), "reason", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  dec::AccessRequest response;
  auto context = s.Context();
  grpc::Status status = stub->CreateAccessRequest(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  out << (s.options().json ? ToJson(response) : response.name()) << "\n";
  return kOk;
}

int AccessRequestDecide(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::DecisionService::NewStub(s.channel());
  dec::DecideAccessRequestRequest request;
  request.set_name(a[0]);
  dec::AccessOutcome outcome;
  if (!dec::AccessOutcome_Parse(absl::StrCat("ACCESS_OUTCOME_", absl::AsciiStrToUpper(a[1])),
                                &outcome)) {
    err << "error: the outcome is GRANTED or REFUSED\n";
    return kUsage;
  }
  request.set_outcome(outcome);
  request.set_outcome_reason(Flag(s.options(), "reason", ""));
  dec::AccessRequest response;
  auto context = s.Context();
  grpc::Status status = stub->DecideAccessRequest(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  out << (s.options().json
              ? ToJson(response)
              : absl::StrCat(response.name(), " ",
                             Short(dec::AccessOutcome_Name(response.outcome()), "ACCESS_OUTCOME_")))
      << "\n";
  return kOk;
}

void PrintHearing(const Session& s, const dec::ConfirmationHearing& h, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(h) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"name", h.name()},
      {"post", Short(dec::HearingPost_Name(h.post()), "HEARING_POST_")},
      {"candidate", absl::StrCat(h.candidate(), h.reappointment() ? " (re-appointment)" : "")},
      {"meeting", absl::StrCat(h.meeting(), " (", h.meeting_date(), ")")},
      {"notified", h.notification_received_date()},
      {"report due", h.report_due_date()},
      {"effective", h.effective_date().empty() ? "-" : h.effective_date()},
      {"recommendation",
       h.recommendation() == dec::HEARING_RECOMMENDATION_UNSPECIFIED
           ? "-"
           : absl::StrCat(Short(dec::HearingRecommendation_Name(h.recommendation()),
                                "HEARING_RECOMMENDATION_"),
                          h.recommendation_published()
                              ? absl::StrCat(" (published ", h.report_date(), ")")
                              : " (not published)")},
      {"pcc response", h.pcc_response() == dec::PCC_HEARING_RESPONSE_UNSPECIFIED
                           ? "-"
                           : absl::StrCat(Short(dec::PccHearingResponse_Name(h.pcc_response()),
                                                "PCC_HEARING_RESPONSE_"),
                                          " ", h.pcc_response_date())},
      {"etag", h.etag()}};
  if (!h.recommendation_text().empty()) {
    rows.push_back({"text", h.recommendation_text()});
  }
  if (!h.veto_vote().empty()) {
    rows.push_back({"veto vote", h.veto_vote()});
  }
  for (const auto& flag : h.flags()) {
    rows.push_back({"flag", flag});
  }
  PrintTable(out, {"FIELD", "VALUE"}, rows);
}

int HearingsCreate(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::HearingService::NewStub(s.channel());
  dec::CreateHearingRequest request;
  request.set_parent(a[0]);
  request.set_hearing_id(a[1]);
  auto* h = request.mutable_hearing();
  dec::HearingPost post;
  if (!ParseEnumArg(a[2], "HEARING_POST_", &dec::HearingPost_Parse, &post)) {
    err << "error: POST must be chief-constable, deputy-pcc, chief-executive or "
           "chief-finance-officer\n";
    return kUsage;
  }
  h->set_post(post);
  h->set_candidate(a[3]);
  h->set_meeting(Flag(s.options(), "meeting", ""));
  h->set_notification_received_date(Flag(s.options(), "received", ""));
  h->set_effective_date(Flag(s.options(), "effective", ""));
  const std::string reappointment = Flag(s.options(), "reappointment", "false");
  if (reappointment != "true" && reappointment != "false") {
    err << "error: --reappointment must be true or false\n";
    return kUsage;
  }
  h->set_reappointment(reappointment == "true");
  request.set_request_id(Flag(s.options(), "request-id", ""));
  dec::ConfirmationHearing response;
  auto context = s.Context();
  grpc::Status status = stub->CreateHearing(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintHearing(s, response, out);
  return kOk;
}

int HearingsGet(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::HearingService::NewStub(s.channel());
  dec::GetHearingRequest request;
  request.set_name(a[0]);
  dec::ConfirmationHearing response;
  auto context = s.Context();
  grpc::Status status = stub->GetHearing(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintHearing(s, response, out);
  return kOk;
}

int HearingsList(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::HearingService::NewStub(s.channel());
  dec::ListHearingsRequest request;
  request.set_parent(a[0]);
  const std::string post_flag = Flag(s.options(), "post", "");
  if (!post_flag.empty()) {
    dec::HearingPost post;
    if (!ParseEnumArg(post_flag, "HEARING_POST_", &dec::HearingPost_Parse, &post)) {
      err << "error: --post must be chief-constable, deputy-pcc, chief-executive or "
             "chief-finance-officer\n";
      return kUsage;
    }
    request.set_post(post);
  }
  SetPage(s.options(), request);
  dec::ListHearingsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListHearings(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& h : response.hearings()) {
    rows.push_back({h.name(), Short(dec::HearingPost_Name(h.post()), "HEARING_POST_"),
                    h.candidate(), h.report_due_date(),
                    h.recommendation() == dec::HEARING_RECOMMENDATION_UNSPECIFIED
                        ? "-"
                        : Short(dec::HearingRecommendation_Name(h.recommendation()),
                                "HEARING_RECOMMENDATION_")});
  }
  PrintPage(s, response, response.next_page_token(), out,
            {"NAME", "POST", "CANDIDATE", "REPORT DUE", "RECOMMENDATION"}, rows);
  return kOk;
}

int HearingsRecommend(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::HearingService::NewStub(s.channel());
  dec::RecordRecommendationRequest request;
  request.set_name(a[0]);
  dec::HearingRecommendation recommendation;
  if (!ParseEnumArg(a[1], "HEARING_RECOMMENDATION_", &dec::HearingRecommendation_Parse,
                    &recommendation)) {
    err << "error: the recommendation must be support, do-not-support or veto\n";
    return kUsage;
  }
  request.set_recommendation(recommendation);
  request.set_text(a[2]);
  request.set_veto_vote(Flag(s.options(), "vote", ""));
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  dec::ConfirmationHearing response;
  auto context = s.Context();
  grpc::Status status = stub->RecordRecommendation(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintHearing(s, response, out);
  return kOk;
}

int HearingsPublish(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::HearingService::NewStub(s.channel());
  dec::PublishRecommendationRequest request;
  request.set_name(a[0]);
  request.set_late_reason(Flag(s.options(), "late-reason", ""));
  request.set_report_date(Flag(s.options(), "date", ""));
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  dec::ConfirmationHearing response;
  auto context = s.Context();
  grpc::Status status = stub->PublishRecommendation(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintHearing(s, response, out);
  return kOk;
}

int HearingsRespond(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = dec::HearingService::NewStub(s.channel());
  dec::RecordPccResponseRequest request;
  request.set_name(a[0]);
  dec::PccHearingResponse response_kind;
  if (!ParseEnumArg(a[1], "PCC_HEARING_RESPONSE_", &dec::PccHearingResponse_Parse,
                    &response_kind)) {
    err << "error: the response must be accepted or rejected\n";
    return kUsage;
  }
  request.set_response(response_kind);
  request.set_response_date(Flag(s.options(), "date", ""));
  request.set_note(Flag(s.options(), "note", ""));
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  dec::ConfirmationHearing response;
  auto context = s.Context();
  grpc::Status status = stub->RecordPccResponse(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  PrintHearing(s, response, out);
  return kOk;
}

}  // namespace

std::vector<Command> DecisionsCommands() {
  return {
      {"minutes create",
       "MEETING",
       "open the DRAFT minutes of a meeting (--clause-style=upper, --style=formal|summary, "
       "--wording=confirmed-and-signed|accepted|approved, --webcast=URL)",
       1,
       {"clause-style", "style", "wording", "webcast"},
       MinutesCreate},
      {"minutes update",
       "MEETING",
       "change the minutes' style, confirmation wording or webcast link (--style, --wording, "
       "--webcast, --etag)",
       1,
       {"style", "wording", "webcast", "etag"},
       MinutesUpdate},
      {"minutes render",
       "MEETING",
       "the minutes as published: HTML with the webcast link (--json for the record too)",
       1,
       {},
       MinutesRender},
      {"minutes get",
       "MEETING",
       "a meeting's minutes: state, numbers, confirmation",
       1,
       {},
       MinutesGet},
      {"minutes add",
       "MEETING TITLE",
       "add the next numbered minute (--text, --agenda-item; --number=N --reason=R overrides)",
       2,
       {"text", "agenda-item", "number", "reason"},
       MinutesAdd},
      {"minutes list",
       "MEETING",
       "the numbered minutes with their resolutions",
       1,
       {},
       MinutesList},
      {"minutes resolve",
       "ENTRY CLAUSE...",
       "record a resolution: clauses KIND:text or ii:KIND:text (--confirms=MEETING,...)",
       2,
       {"confirms", "etag"},
       MinutesResolve},
      {"minutes publish",
       "MEETING",
       "publish DRAFT minutes",
       1,
       {"etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MinutesTransition(s, a, true, o, e);
       }},
      {"minutes sign",
       "MEETING",
       "the Chair signs CONFIRMED minutes",
       1,
       {"etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MinutesTransition(s, a, false, o, e);
       }},
      {"minutes correct",
       "ENTRY",
       "correct a published minute (--text/--title, --reason, --etag); keeps the old revision",
       1,
       {"title", "text", "reason", "etag"},
       MinutesCorrect},
      {"actions list",
       "BODY",
       "a body's action tracker rows (--status=outstanding|completed)",
       1,
       {"status"},
       ActionsList},
      {"actions get", "ACTION", "one action with its update log", 1, {}, ActionsGet},
      {"actions create",
       "BODY TEXT",
       "record an action (--ref=\"751 ii\" --month=YYYY-MM --owner --target-meeting --note; "
       "--type=written-response --requested-by --respondent | --type=undertaking --given-by "
       "--given-to | --type=membership --minimum=N)",
       2,
       {"ref", "month", "owner", "target-meeting", "note", "type", "requested-by", "respondent",
        "given-by", "given-to", "minimum"},
       ActionsCreate},
      {"actions update",
       "ACTION NOTE",
       "add an update note (--target-meeting, --owner, --etag)",
       2,
       {"target-meeting", "owner", "etag"},
       ActionsUpdate},
      {"actions complete",
       "ACTION NOTE",
       "complete an action (--date=YYYY-MM-DD, --etag; a membership action --members=A,B,C)",
       2,
       {"date", "etag", "members"},
       ActionsComplete},
      {"actions tracker",
       "MEETING",
       "the action tracker for a meeting's agenda (--format=html for the accessible HTML)",
       1,
       {"format"},
       ActionsTracker},
      {"votes get", "VOTE", "a vote: rule, ballots, computed outcome", 1, {}, VotesGet},
      {"votes record",
       "MEETING VOTE_ID BALLOT...",
       "record a vote; ballots PERSON=FOR|AGAINST|ABSTAIN|ABSENT (--item, --motion, "
       "--rule=simple|two-thirds|unanimous, --casting-vote); the outcome is computed",
       3,
       {"item", "motion", "rule", "casting-vote"},
       VotesRecord},
      {"votes list", "MEETING", "a meeting's votes and outcomes", 1, {}, VotesList},
      {"audit verify",
       "TENANT",
       "check the register's hash chain (exit 6 when broken)",
       1,
       {},
       AuditVerify},
      {"audit list", "TENANT", "the register's audit chain, oldest first", 1, {}, AuditList},
      {"decisions list",
       "TENANT",
       "the PCC's key decisions, newest first (--reference=022-23, --precept-year=2019-20 for the "
       "budget-and-precept decision)",
       1,
       {"reference", "precept-year"},
       DecisionsList},
      {"decisions meeting",
       "MEETING",
       "the key decisions a meeting's agenda presents (window since the previous meeting)",
       1,
       {},
       DecisionsForMeeting},
      {"decisions access-requests",
       "DECISION",
       "requests to see a confidential decision",
       1,
       {},
       AccessRequestsList},
      {"decisions request-access",
       "DECISION REQUESTER",
       "record a request to see a confidential decision's report (--reason)",
       2,
       {"reason"},
       AccessRequestCreate},
      {"decisions decide-access",
       "ACCESS_REQUEST GRANTED|REFUSED",
       "record the PCC's answer to an access request (--reason)",
       2,
       {"reason"},
       AccessRequestDecide},
      {"decisions get", "DECISION", "one key decision", 1, {}, DecisionsGet},
      {"decisions mark-precept",
       "DECISION YEAR",
       "mark a decision as the budget-and-precept decision of a precept year (YYYY-YY)",
       2,
       {},
       DecisionsMarkPrecept},
      {"hearings create",
       "TENANT ID POST CANDIDATE",
       "record a confirmation hearing; POST chief-constable|deputy-pcc|chief-executive|"
       "chief-finance-officer (--meeting, --received=YYYY-MM-DD, --reappointment=true, "
       "--effective=YYYY-MM-DD); the report deadline is computed",
       4,
       {"meeting", "received", "reappointment", "effective"},
       HearingsCreate},
      {"hearings get",
       "HEARING",
       "a confirmation hearing and its recommendation",
       1,
       {},
       HearingsGet},
      {"hearings list",
       "TENANT",
       "confirmation hearings (--post=chief-constable|...)",
       1,
       {"post"},
       HearingsList},
      {"hearings recommend",
       "HEARING support|do-not-support|veto TEXT",
       "record the Panel's private recommendation (a veto: --vote=carried two-thirds vote)",
       3,
       {"vote", "etag"},
       HearingsRecommend},
      {"hearings publish",
       "HEARING",
       "publish the recommendation as the Panel's report (--date=YYYY-MM-DD for a past one; "
       "--late-reason after the deadline)",
       1,
       {"date", "late-reason", "etag"},
       HearingsPublish},
      {"hearings respond",
       "HEARING accepted|rejected",
       "record the PCC's response to the recommendation (--date, --note)",
       2,
       {"date", "note", "etag"},
       HearingsRespond},
  };
}

}  // namespace moot::cli
