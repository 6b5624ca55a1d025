// `moot workprogramme ...`: a body's work programme (list, add, update, seed) and its quarters
// (chair-input, agree-quarter, quarter: R-WP-02).
#include <algorithm>
#include <ostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "moot/scheduling/v1/work_programme.grpc.pb.h"
#include "tools/moot/command.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

int UsageError(std::ostream& err, absl::string_view message) {
  err << "error: " << message << "\n";
  return kUsage;
}

// "planned", "PLANNED" or "WORK_PROGRAMME_ITEM_STATUS_PLANNED" -> the number; -1 when unknown.
int ParseStatus(const std::string& text) {
  std::string upper = absl::AsciiStrToUpper(text);
  std::replace(upper.begin(), upper.end(), '-', '_');
  const auto* type = sched::WorkProgrammeItemStatus_descriptor();
  const auto* value = type->FindValueByName(upper);
  if (value == nullptr) {
    value = type->FindValueByName(absl::StrCat("WORK_PROGRAMME_ITEM_STATUS_", upper));
  }
  return value == nullptr || value->number() == 0 ? -1 : value->number();
}

int ParseKind(const std::string& text) {
  std::string upper = absl::AsciiStrToUpper(text);
  std::replace(upper.begin(), upper.end(), '-', '_');
  const auto* value = sched::WorkProgrammeItemKind_descriptor()->FindValueByName(
      absl::StrCat("WORK_PROGRAMME_ITEM_KIND_", upper));
  return value == nullptr || value->number() == 0 ? -1 : value->number();
}

// "high" or "PREFIX_HIGH" -> the value of `type`; -1 when unknown or the zero value.
int ParseNamed(const google::protobuf::EnumDescriptor* type, absl::string_view prefix,
               const std::string& text) {
  std::string upper = absl::AsciiStrToUpper(text);
  std::replace(upper.begin(), upper.end(), '-', '_');
  const auto* value = type->FindValueByName(upper);
  if (value == nullptr) {
    value = type->FindValueByName(absl::StrCat(prefix, upper));
  }
  return value == nullptr || value->number() == 0 ? -1 : value->number();
}

// The enum value's name without `prefix`, lower-case: "exploratory".
std::string Short(const google::protobuf::EnumDescriptor* type, absl::string_view prefix,
                  int number) {
  const auto* value = type->FindValueByNumber(number);
  if (value == nullptr || number == 0) {
    return "-";
  }
  absl::string_view name = value->name();
  absl::ConsumePrefix(&name, prefix);
  return absl::AsciiStrToLower(name);
}

std::string ShortStatus(sched::WorkProgrammeItemStatus status) {
  absl::string_view name = sched::WorkProgrammeItemStatus_Name(status);
  absl::ConsumePrefix(&name, "WORK_PROGRAMME_ITEM_STATUS_");
  return std::string(name);
}

std::vector<std::string> ItemRow(const sched::WorkProgrammeItem& item) {
  std::string when = item.target_meeting();
  if (when.empty()) {
    when = !item.planned_date().empty()    ? item.planned_date()
           : !item.planned_month().empty() ? item.planned_month()
                                           : "menu of options";
  } else {
    when = when.substr(when.rfind('/') + 1);  // The meeting id, e.g. "2024-02-05".
  }
  return {item.name().substr(item.name().rfind('/') + 1), when, ShortStatus(item.status()),
          item.statutory() ? "yes" : "", item.topic()};
}

int PrintItem(const Session& s, const sched::WorkProgrammeItem& item, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(item) << "\n";
    return kOk;
  }
  PrintTable(out, {"FIELD", "VALUE"},
             {{"name", item.name()},
              {"topic", item.topic()},
              {"year", item.municipal_year()},
              {"status", ShortStatus(item.status())},
              {"statutory", item.statutory() ? "yes" : "no"},
              {"target meeting", item.target_meeting().empty() ? "-" : item.target_meeting()},
              {"aims", absl::StrJoin(item.aims(), " | ")},
              {"notes", item.notes()},
              {"type", Short(sched::WorkProgrammeItemType_descriptor(), "WORK_PROGRAMME_ITEM_TYPE_",
                             item.item_type())},
              {"priority", Short(sched::WorkProgrammePriority_descriptor(),
                                 "WORK_PROGRAMME_PRIORITY_", item.priority())},
              {"priority reason", item.priority_reason()},
              {"opcc liaison",
               Short(sched::OpccLiaison_descriptor(), "OPCC_LIAISON_", item.opcc_liaison())},
              {"opcc focus", item.opcc_focus()},
              {"focus", Short(sched::WorkProgrammeFocus_descriptor(), "WORK_PROGRAMME_FOCUS_",
                              item.focus())},
              {"warnings", absl::StrJoin(item.warnings(), " | ")},
              {"etag", item.etag()}});
  return kOk;
}

int PrintQuarter(const Session& s, const sched::WorkProgrammeQuarter& q, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(q) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows = {
      {"name", q.name()},
      {"quarter", q.quarter()},
      {"agreed", q.agreed() ? absl::StrCat("yes, ", Time(q.agree_time())) : "no"}};
  for (const auto& input : q.chair_inputs()) {
    rows.push_back(
        {Short(sched::ChairRole_descriptor(), "CHAIR_ROLE_", input.role()), input.input()});
  }
  for (const auto& item : q.agreed_items()) {
    rows.push_back({"agreed item", item});
  }
  rows.push_back({"etag", q.etag()});
  PrintTable(out, {"FIELD", "VALUE"}, rows);
  return kOk;
}

// The item fields given as flags, and their update_mask paths.
int ReadItemFlags(const Options& o, sched::WorkProgrammeItem* item, std::vector<std::string>* paths,
                  std::ostream& err) {
  auto text = [&](const char* flag, const char* path,
                  std::string* (sched::WorkProgrammeItem::*m)()) {
    auto it = o.flags.find(flag);
    if (it != o.flags.end()) {
      *(item->*m)() = it->second;
      paths->push_back(path);
    }
  };
  text("topic", "topic", &sched::WorkProgrammeItem::mutable_topic);
  text("year", "municipal_year", &sched::WorkProgrammeItem::mutable_municipal_year);
  text("target", "target_meeting", &sched::WorkProgrammeItem::mutable_target_meeting);
  text("requested-at", "requested_at_meeting",
       &sched::WorkProgrammeItem::mutable_requested_at_meeting);
  text("date", "planned_date", &sched::WorkProgrammeItem::mutable_planned_date);
  text("month", "planned_month", &sched::WorkProgrammeItem::mutable_planned_month);
  text("notes", "notes", &sched::WorkProgrammeItem::mutable_notes);
  text("outcome", "outcome", &sched::WorkProgrammeItem::mutable_outcome);
  if (auto it = o.flags.find("aims"); it != o.flags.end()) {
    for (absl::string_view aim : absl::StrSplit(it->second, '|', absl::SkipWhitespace())) {
      item->add_aims(std::string(absl::StripAsciiWhitespace(aim)));
    }
    paths->push_back("aims");
  }
  if (auto it = o.flags.find("statutory"); it != o.flags.end()) {
    if (it->second != "yes" && it->second != "no") {
      return UsageError(err, "--statutory must be yes or no");
    }
    item->set_statutory(it->second == "yes");
    paths->push_back("statutory");
  }
  if (auto it = o.flags.find("status"); it != o.flags.end()) {
    const int status = ParseStatus(it->second);
    if (status < 0) {
      return UsageError(err, "--status must be planned, scheduled, held or dropped");
    }
    item->set_status(static_cast<sched::WorkProgrammeItemStatus>(status));
    paths->push_back("status");
  }
  text("priority-reason", "priority_reason", &sched::WorkProgrammeItem::mutable_priority_reason);
  text("opcc-focus", "opcc_focus", &sched::WorkProgrammeItem::mutable_opcc_focus);
  // R-WP-03, R-WP-04, R-WP-06.
  struct EnumFlag {
    const char* flag;
    const char* path;
    const google::protobuf::EnumDescriptor* type;
    const char* prefix;
    const char* help;
  };
  const EnumFlag enums[] = {
      {"type", "item_type", sched::WorkProgrammeItemType_descriptor(), "WORK_PROGRAMME_ITEM_TYPE_",
       "--type must be statutory or exploratory"},
      {"priority", "priority", sched::WorkProgrammePriority_descriptor(),
       "WORK_PROGRAMME_PRIORITY_", "--priority must be high, medium, low or none"},
      {"opcc", "opcc_liaison", sched::OpccLiaison_descriptor(), "OPCC_LIAISON_",
       "--opcc must be not-started, requested or agreed"},
      {"focus", "focus", sched::WorkProgrammeFocus_descriptor(), "WORK_PROGRAMME_FOCUS_",
       "--focus must be strategic or operational"},
  };
  for (const EnumFlag& e : enums) {
    auto it = o.flags.find(e.flag);
    if (it == o.flags.end()) {
      continue;
    }
    int value = 0;
    if (!(std::string(e.flag) == "priority" && it->second == "none")) {
      value = ParseNamed(e.type, e.prefix, it->second);
      if (value < 0) {
        return UsageError(err, e.help);
      }
    }
    const auto* field = item->GetDescriptor()->FindFieldByName(e.path);
    item->GetReflection()->SetEnumValue(item, field, value);
    paths->push_back(e.path);
  }
  if (auto it = o.flags.find("kind"); it != o.flags.end()) {
    const int kind = ParseKind(it->second);
    if (kind < 0) {
      return UsageError(err, "--kind must be meeting-item, member-visit or conference");
    }
    item->set_kind(static_cast<sched::WorkProgrammeItemKind>(kind));
    paths->push_back("kind");
  }
  return kOk;
}

const std::vector<std::string>& ItemFlags() {
  static const std::vector<std::string>* const flags = new std::vector<std::string>{
      "topic",           "year", "target",     "requested-at", "date", "month", "notes",
      "outcome",         "aims", "statutory",  "status",       "kind", "type",  "priority",
      "priority-reason", "opcc", "opcc-focus", "focus"};
  return *flags;
}

int List(const Session& s, const std::string& body, std::ostream& out, std::ostream& err) {
  sched::ListWorkProgrammeItemsRequest request;
  request.set_parent(body);
  SetPage(s.options(), request);
  request.set_municipal_year(Flag(s.options(), "year", ""));
  request.set_target_meeting(Flag(s.options(), "target", ""));
  request.set_menu_of_options(Flag(s.options(), "menu", "no") == "yes");
  if (const std::string status = Flag(s.options(), "status", ""); !status.empty()) {
    const int value = ParseStatus(status);
    if (value < 0) {
      return UsageError(err, "--status must be planned, scheduled, held or dropped");
    }
    request.set_status(static_cast<sched::WorkProgrammeItemStatus>(value));
  }
  sched::ListWorkProgrammeItemsResponse response;
  auto context = s.Context();
  auto status = sched::WorkProgrammeService::NewStub(s.channel())
                    ->ListWorkProgrammeItems(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : response.items()) {
    rows.push_back(ItemRow(item));
  }
  PrintPage(s, response, response.next_page_token(), out,
            {"ID", "WHEN", "STATUS", "STATUTORY", "TOPIC"}, rows);
  return kOk;
}

int Add(const Session& s, const std::string& body, std::ostream& out, std::ostream& err) {
  sched::CreateWorkProgrammeItemRequest request;
  request.set_parent(body);
  request.set_item_id(Flag(s.options(), "id", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  std::vector<std::string> paths;
  if (int code = ReadItemFlags(s.options(), request.mutable_item(), &paths, err); code != kOk) {
    return code;
  }
  sched::WorkProgrammeItem response;
  auto context = s.Context();
  auto status = sched::WorkProgrammeService::NewStub(s.channel())
                    ->CreateWorkProgrammeItem(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintItem(s, response, out);
}

int Update(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  sched::UpdateWorkProgrammeItemRequest request;
  request.mutable_item()->set_name(name);
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  std::vector<std::string> paths;
  if (int code = ReadItemFlags(s.options(), request.mutable_item(), &paths, err); code != kOk) {
    return code;
  }
  if (paths.empty()) {
    return UsageError(err, "say what to change, e.g. --status=held --outcome=...");
  }
  for (const std::string& path : paths) {
    request.mutable_update_mask()->add_paths(path);
  }
  sched::WorkProgrammeItem response;
  auto context = s.Context();
  auto status = sched::WorkProgrammeService::NewStub(s.channel())
                    ->UpdateWorkProgrammeItem(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintItem(s, response, out);
}

int Seed(const Session& s, const std::string& body, std::ostream& out, std::ostream& err) {
  sched::SeedStatutoryItemsRequest request;
  request.set_parent(body);
  request.set_municipal_year(Flag(s.options(), "year", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  if (request.municipal_year().empty()) {
    return UsageError(err, "--year=YYYY/YY is required, e.g. --year=2023/24");
  }
  sched::SeedStatutoryItemsResponse response;
  auto context = s.Context();
  auto status = sched::WorkProgrammeService::NewStub(s.channel())
                    ->SeedStatutoryItems(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : response.created()) {
    rows.push_back(ItemRow(item));
  }
  PrintTable(out, {"ID", "WHEN", "STATUS", "STATUTORY", "TOPIC"}, rows);
  out << response.created_size() << " created, " << response.existing_size() << " already there\n";
  return kOk;
}

// R-WP-02: the Chair's or Deputy Chair's input on a quarter.
int ChairInput(const Session& s, const std::string& body, std::ostream& out, std::ostream& err) {
  const Options& o = s.options();
  sched::RecordChairInputRequest request;
  request.set_parent(body);
  request.set_quarter(Flag(o, "quarter", ""));
  request.set_request_id(Flag(o, "request-id", ""));
  const int role = ParseNamed(sched::ChairRole_descriptor(), "CHAIR_ROLE_", Flag(o, "role", ""));
  if (role < 0) {
    return UsageError(err, "--role must be chair or deputy-chair");
  }
  request.mutable_input()->set_role(static_cast<sched::ChairRole>(role));
  request.mutable_input()->set_input(Flag(o, "input", ""));
  request.mutable_input()->set_person(Flag(o, "person", ""));
  sched::WorkProgrammeQuarter response;
  auto context = s.Context();
  auto status = sched::WorkProgrammeService::NewStub(s.channel())
                    ->RecordChairInput(context.get(), request, &response);
  return status.ok() ? PrintQuarter(s, response, out) : Fail(status, err);
}

int AgreeQuarter(const Session& s, const std::string& body, std::ostream& out, std::ostream& err) {
  sched::AgreeQuarterRequest request;
  request.set_parent(body);
  request.set_quarter(Flag(s.options(), "quarter", ""));
  request.set_etag(Flag(s.options(), "etag", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::WorkProgrammeQuarter response;
  auto context = s.Context();
  auto status = sched::WorkProgrammeService::NewStub(s.channel())
                    ->AgreeQuarter(context.get(), request, &response);
  return status.ok() ? PrintQuarter(s, response, out) : Fail(status, err);
}

int GetQuarter(const Session& s, const std::string& body, std::ostream& out, std::ostream& err) {
  sched::GetWorkProgrammeQuarterRequest request;
  request.set_name(absl::StrCat(body, "/workProgrammeQuarters/",
                                absl::AsciiStrToLower(Flag(s.options(), "quarter", ""))));
  sched::WorkProgrammeQuarter response;
  auto context = s.Context();
  auto status = sched::WorkProgrammeService::NewStub(s.channel())
                    ->GetWorkProgrammeQuarter(context.get(), request, &response);
  return status.ok() ? PrintQuarter(s, response, out) : Fail(status, err);
}

}  // namespace

std::vector<Command> WorkProgrammeCommands() {
  using Args = const std::vector<std::string>&;
  std::vector<std::string> add_flags = ItemFlags();
  add_flags.push_back("id");
  std::vector<std::string> update_flags = ItemFlags();
  update_flags.push_back("etag");
  return {
      {"workprogramme list",
       "BODY",
       "the body's work programme (--year=2023/24 --status=... --target=MEETING --menu=yes)",
       1,
       {"year", "status", "target", "menu"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return List(s, a[0], o, e);
       }},
      {"workprogramme add", "BODY",
       "add an item: --topic --year [--aims='a|b'] [--target=MEETING] [--statutory=yes] ...", 1,
       add_flags,
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return Add(s, a[0], o, e);
       }},
      {"workprogramme update", "ITEM",
       "change an item's fields (only those given), e.g. --status=held --outcome=...", 1,
       update_flags,
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return Update(s, a[0], o, e);
       }},
      {"workprogramme seed",
       "BODY",
       "create the statutory items of --year=YYYY/YY (idempotent)",
       1,
       {"year"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return Seed(s, a[0], o, e);
       }},
      {"workprogramme chair-input",
       "BODY",
       "record the Chair's or Deputy Chair's input on --quarter=YYYY-Qn: --role=chair|deputy-chair "
       "--input=TEXT [--person=PERSON] (R-WP-02)",
       1,
       {"quarter", "role", "input", "person"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return ChairInput(s, a[0], o, e);
       }},
      {"workprogramme agree-quarter",
       "BODY",
       "agree the items of --quarter=YYYY-Qn once the Chair and Deputy Chair gave input (R-WP-02)",
       1,
       {"quarter", "etag"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return AgreeQuarter(s, a[0], o, e);
       }},
      {"workprogramme quarter",
       "BODY",
       "a quarter's Chair input and agreement (--quarter=YYYY-Qn)",
       1,
       {"quarter"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return GetQuarter(s, a[0], o, e);
       }},
  };
}

}  // namespace moot::cli
