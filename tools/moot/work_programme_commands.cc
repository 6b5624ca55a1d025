// `moot workprogramme ...`: a body's work programme (list, add, update, seed).
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
              {"etag", item.etag()}});
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
  static const std::vector<std::string>* const flags =
      new std::vector<std::string>{"topic", "year",    "target", "requested-at", "date",   "month",
                                   "notes", "outcome", "aims",   "statutory",    "status", "kind"};
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
  };
}

}  // namespace moot::cli
