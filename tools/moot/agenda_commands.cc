// `moot agenda ...`: a meeting's agenda items, the standing template, publication and the
// published versions with their differences (moot.scheduling.v1.AgendaService and
// MeetingService.PublishAgenda).
#include <ostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "moot/scheduling/v1/agenda.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "tools/moot/command.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;
using Args = const std::vector<std::string>&;

std::string KindText(sched::AgendaItemKind kind) {
  absl::string_view text = sched::AgendaItemKind_Name(kind);
  absl::ConsumePrefix(&text, "AGENDA_ITEM_KIND_");
  return std::string(text);
}

std::vector<std::string> ItemRow(const sched::AgendaItem& item) {
  std::string notes = item.attached() ? "attached" : "";
  if (item.exempt()) {
    absl::StrAppend(&notes, notes.empty() ? "" : ", ", "exempt (para ", item.exempt_paragraph(),
                    ")");
  }
  if (!item.chair_approved_by().empty()) {
    absl::StrAppend(&notes, notes.empty() ? "" : ", ", "urgent");
  }
  return {absl::StrCat(item.number()),
          item.approximate_time().empty() ? "-" : item.approximate_time(), KindText(item.kind()),
          item.title(), notes};
}

void PrintWarnings(const google::protobuf::RepeatedPtrField<std::string>& warnings,
                   std::ostream& out) {
  for (const std::string& w : warnings) {
    out << "warning: " << w << "\n";
  }
}

// "added 4; removed 2; changed 3 (title, approximate_time)".
std::string DiffText(const sched::AgendaDiff& diff) {
  std::vector<std::string> parts;
  if (!diff.added().empty()) {
    parts.push_back(absl::StrCat("added ", absl::StrJoin(diff.added(), ", ")));
  }
  if (!diff.removed().empty()) {
    parts.push_back(absl::StrCat("removed ", absl::StrJoin(diff.removed(), ", ")));
  }
  for (const auto& change : diff.changed()) {
    parts.push_back(
        absl::StrCat("changed ", change.number(), " (", absl::StrJoin(change.fields(), ", "), ")"));
  }
  return parts.empty() ? "no changes" : absl::StrJoin(parts, "; ");
}

int AgendaList(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = sched::AgendaService::NewStub(s.channel());
  sched::ListAgendaItemsRequest request;
  request.set_parent(a[0]);
  SetPage(s.options(), request);
  sched::ListAgendaItemsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListAgendaItems(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : response.agenda_items()) {
    rows.push_back(ItemRow(item));
  }
  PrintPage(s, response, response.next_page_token(), out, {"NO", "TIME", "KIND", "TITLE", "NOTES"},
            rows);
  if (!s.options().json) {
    PrintWarnings(response.warnings(), out);
  }
  return kOk;
}

int AgendaPublish(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto meetings = sched::MeetingService::NewStub(s.channel());
  sched::PublishAgendaRequest request;
  request.set_name(a[0]);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::Meeting meeting;
  auto context = s.Context();
  grpc::Status status = meetings->PublishAgenda(context.get(), request, &meeting);
  if (!status.ok()) {
    return Fail(status, err);
  }
  // The version just published, for its differences and warnings.
  auto agenda = sched::AgendaService::NewStub(s.channel());
  sched::GetAgendaVersionRequest get;
  get.set_name(absl::StrCat(meeting.name(), "/agendaVersions/", meeting.agenda_version()));
  sched::AgendaVersion version;
  auto get_context = s.Context();
  status = agenda->GetAgendaVersion(get_context.get(), get, &version);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(version) << "\n";
    return kOk;
  }
  out << "published " << (version.supplement() ? "supplement, version " : "agenda, version ")
      << version.version() << " of " << meeting.name()
      << (version.historical() ? " (historical record)" : "")
      << (version.late() ? " (late: urgent business)" : "") << "\n";
  out << DiffText(version.diff()) << "\n";
  PrintWarnings(version.warnings(), out);
  return kOk;
}

int AgendaVersions(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = sched::AgendaService::NewStub(s.channel());
  sched::ListAgendaVersionsRequest request;
  request.set_parent(a[0]);
  SetPage(s.options(), request);
  sched::ListAgendaVersionsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListAgendaVersions(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : response.agenda_versions()) {
    std::vector<std::string> flags;
    if (v.late()) {
      flags.push_back("late");
    }
    if (v.historical()) {
      flags.push_back("historical");
    }
    rows.push_back({absl::StrCat(v.version()), v.supplement() ? "supplement" : "agenda",
                    Time(v.publish_time()), v.published_by(),
                    flags.empty() ? "-" : absl::StrJoin(flags, ","), DiffText(v.diff())});
  }
  PrintPage(s, response, response.next_page_token(), out,
            {"VERSION", "KIND", "PUBLISHED", "BY", "FLAGS", "CHANGES"}, rows);
  return kOk;
}

int AgendaDiff(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  int version_number = 0;
  if (!absl::SimpleAtoi(a[1], &version_number) || version_number < 1) {
    err << "error: VERSION must be a version number (1, 2, ...)\n";
    return kUsage;
  }
  auto stub = sched::AgendaService::NewStub(s.channel());
  sched::GetAgendaVersionRequest request;
  request.set_name(absl::StrCat(a[0], "/agendaVersions/", version_number));
  sched::AgendaVersion version;
  auto context = s.Context();
  grpc::Status status = stub->GetAgendaVersion(context.get(), request, &version);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(version.diff()) << "\n";
    return kOk;
  }
  out << "version " << version.version() << " against version " << version.diff().from_version()
      << "\n";
  std::vector<std::vector<std::string>> rows;
  auto title = [&](int32_t number) {
    for (const auto& item : version.agenda_items()) {
      if (item.number() == number) {
        return item.title();
      }
    }
    return std::string();
  };
  for (int32_t n : version.diff().added()) {
    rows.push_back({"added", absl::StrCat(n), title(n), "-"});
  }
  for (int32_t n : version.diff().removed()) {
    rows.push_back({"removed", absl::StrCat(n), "-", "-"});
  }
  for (const auto& change : version.diff().changed()) {
    rows.push_back({"changed", absl::StrCat(change.number()), title(change.number()),
                    absl::StrJoin(change.fields(), ", ")});
  }
  PrintTable(out, {"CHANGE", "NO", "TITLE", "FIELDS"}, rows);
  return kOk;
}

// Builds an item from the flags of `agenda add-item`; false (with a message) on a bad value.
bool ItemFromFlags(const Options& o, sched::AgendaItem* item, std::ostream& err) {
  int number = 0;
  if (!absl::SimpleAtoi(Flag(o, "number", ""), &number)) {
    err << "error: --number is required (a whole number)\n";
    return false;
  }
  item->set_number(number);
  item->set_title(Flag(o, "title", ""));
  item->set_description(Flag(o, "description", ""));
  item->set_approximate_time(Flag(o, "time", ""));
  item->set_report_of(Flag(o, "report-of", ""));
  const std::string kind = Flag(o, "kind", "");
  if (!kind.empty()) {
    sched::AgendaItemKind value;
    if (!sched::AgendaItemKind_Parse(absl::StrCat("AGENDA_ITEM_KIND_", kind), &value)) {
      err << "error: unknown --kind=" << kind << " (e.g. REPORT, MINUTES, URGENT_BUSINESS)\n";
      return false;
    }
    item->set_kind(value);
  }
  const std::string format = Flag(o, "format", "");
  if (!format.empty()) {
    sched::AgendaItemFormat value;
    if (!sched::AgendaItemFormat_Parse(absl::StrCat("AGENDA_ITEM_FORMAT_", format), &value)) {
      err << "error: unknown --format=" << format
          << " (WRITTEN_REPORT, VERBAL_UPDATE, FOR_NOTING)\n";
      return false;
    }
    item->set_format(value);
  }
  // Presenters' names may hold commas ("Tash Cullen – 2nd Chances Charter"): ';' separates.
  for (absl::string_view p : absl::StrSplit(Flag(o, "presenters", ""), ';', absl::SkipEmpty())) {
    item->add_presenters(std::string(absl::StripAsciiWhitespace(p)));
  }
  for (absl::string_view d : absl::StrSplit(Flag(o, "documents", ""), ',', absl::SkipEmpty())) {
    item->add_documents(std::string(absl::StripAsciiWhitespace(d)));
  }
  const std::string paragraph = Flag(o, "exempt-paragraph", "");
  if (!paragraph.empty()) {
    int value = 0;
    if (!absl::SimpleAtoi(paragraph, &value)) {
      err << "error: --exempt-paragraph must be a number 1..7\n";
      return false;
    }
    item->set_exempt(true);
    item->set_exempt_paragraph(value);
    item->set_public_interest_reason(Flag(o, "public-interest-reason", ""));
  }
  item->set_urgent_reason(Flag(o, "urgent-reason", ""));
  item->set_chair_approved_by(Flag(o, "chair-approved-by", ""));
  item->set_attached(Flag(o, "attached", "") == "true");
  return true;
}

int AgendaAddItem(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  sched::CreateAgendaItemRequest request;
  request.set_parent(a[0]);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  if (!ItemFromFlags(s.options(), request.mutable_agenda_item(), err)) {
    return kUsage;
  }
  auto stub = sched::AgendaService::NewStub(s.channel());
  sched::AgendaItem item;
  auto context = s.Context();
  grpc::Status status = stub->CreateAgendaItem(context.get(), request, &item);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(item) << "\n";
    return kOk;
  }
  PrintTable(out, {"NO", "TIME", "KIND", "TITLE", "NOTES"}, {ItemRow(item)});
  out << "created " << item.name() << "\n";
  return kOk;
}

int AgendaFromTemplate(const Session& s, Args a, std::ostream& out, std::ostream& err) {
  auto stub = sched::AgendaService::NewStub(s.channel());
  sched::CreateAgendaFromTemplateRequest request;
  request.set_parent(a[0]);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::CreateAgendaFromTemplateResponse response;
  auto context = s.Context();
  grpc::Status status = stub->CreateAgendaFromTemplate(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : response.agenda_items()) {
    rows.push_back(ItemRow(item));
  }
  PrintTable(out, {"NO", "TIME", "KIND", "TITLE", "NOTES"}, rows);
  out << (response.created() ? "created " : "already in place: ") << response.agenda_items_size()
      << " standing items\n";
  return kOk;
}

}  // namespace

std::vector<Command> AgendaCommands() {
  return {
      {"agenda list",
       "MEETING",
       "the meeting's agenda items in number order, with warnings",
       1,
       {},
       AgendaList},
      {"agenda publish",
       "MEETING",
       "publish the agenda (version 1, then supplements) and print the changes",
       1,
       {},
       AgendaPublish},
      {"agenda versions",
       "MEETING",
       "the published versions of a meeting's agenda",
       1,
       {},
       AgendaVersions},
      {"agenda diff",
       "MEETING VERSION",
       "what a published version changed from the one before",
       2,
       {},
       AgendaDiff},
      {"agenda add-item",
       "MEETING",
       "add an item: --number --title [--description --kind=REPORT --time=HH:MM --report-of "
       "--presenters='A;B' --format=WRITTEN_REPORT --documents=tenants/t/documents/d,... "
       "--exempt-paragraph=N --public-interest-reason --urgent-reason --chair-approved-by "
       "--attached=true]",
       1,
       {"number", "title", "description", "kind", "time", "report-of", "presenters", "format",
        "documents", "exempt-paragraph", "public-interest-reason", "urgent-reason",
        "chair-approved-by", "attached"},
       AgendaAddItem},
      {"agenda from-template",
       "MEETING",
       "create the body's standing items numbered from 1",
       1,
       {},
       AgendaFromTemplate},
  };
}

}  // namespace moot::cli
