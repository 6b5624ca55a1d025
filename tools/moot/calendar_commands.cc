// `moot calendar` commands: the statutory deadline engine (CalendarService.ComputeDeadline) and
// a tenant's local closure days.
//
// `moot calendar deadline --meeting=YYYY-MM-DD --days=N --unit=calendar|working|clear` prints the
// deadline day as YYYY-MM-DD on its first line, then its weekday and cut-off, then the bank
// holidays and closure days it skipped. Without --tenant only the England and Wales bank
// holidays count (anyone may ask); with --tenant=tenants/<t> (or <t>) that tenant's closure
// days count too.
#include <ostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "moot/scheduling/v1/calendar.grpc.pb.h"
#include "tools/moot/command.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

absl::TimeZone London() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Europe/London", &tz)) {
    tz = absl::UTCTimeZone();
  }
  return tz;
}

// "west-midlands" or "tenants/west-midlands" -> "tenants/west-midlands"; "" stays "".
std::string TenantName(const std::string& flag) {
  if (flag.empty() || absl::StartsWith(flag, "tenants/")) {
    return flag;
  }
  return absl::StrCat("tenants/", flag);
}

int CalendarDeadline(const Session& s, std::ostream& out, std::ostream& err) {
  sched::ComputeDeadlineRequest request;
  request.set_parent(TenantName(Flag(s.options(), "tenant", "")));
  request.set_date(Flag(s.options(), "meeting", ""));
  if (request.date().empty()) {
    err << "error: --meeting=YYYY-MM-DD is required\n";
    return kUsage;
  }
  int days = 0;
  if (!absl::SimpleAtoi(Flag(s.options(), "days", ""), &days)) {
    err << "error: --days=N is required (a whole number)\n";
    return kUsage;
  }
  request.set_days(days);
  const std::string unit = absl::AsciiStrToLower(Flag(s.options(), "unit", "working"));
  if (unit == "calendar") {
    request.set_unit(sched::DAY_UNIT_CALENDAR);
  } else if (unit == "working") {
    request.set_unit(sched::DAY_UNIT_WORKING);
  } else if (unit == "clear") {
    request.set_unit(sched::DAY_UNIT_CLEAR);
  } else {
    err << "error: --unit must be calendar, working or clear\n";
    return kUsage;
  }
  request.set_cutoff_time(Flag(s.options(), "cutoff", ""));
  const std::string forward = Flag(s.options(), "forward", "false");
  request.set_forward(forward == "true" || forward == "1" || forward == "yes");
  auto stub = sched::CalendarService::NewStub(s.channel());
  sched::ComputeDeadlineResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ComputeDeadline(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  out << response.deadline_date() << "\n";
  const absl::Time at = absl::FromUnixSeconds(response.deadline_time().seconds());
  out << absl::FormatTime("%A %d %B %Y, by %H:%M %Z", at, London()) << "\n";
  if (response.skipped_holidays().empty()) {
    out << "skipped: none\n";
  } else {
    for (const std::string& h : response.skipped_holidays()) {
      out << "skipped: " << h << "\n";
    }
  }
  return kOk;
}

int ClosuresList(const Session& s, const std::string& parent, std::ostream& out,
                 std::ostream& err) {
  auto stub = sched::CalendarService::NewStub(s.channel());
  sched::ListClosuresRequest request;
  request.set_parent(TenantName(parent));
  SetPage(s.options(), request);
  sched::ListClosuresResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListClosures(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : response.closures()) {
    rows.push_back({c.date(), c.description(), c.name()});
  }
  PrintPage(s, response, response.next_page_token(), out, {"DATE", "DESCRIPTION", "NAME"}, rows);
  return kOk;
}

int PrintClosure(const Session& s, const sched::Closure& c, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(c) << "\n";
  } else {
    out << c.name() << "\t" << c.date() << "\t" << c.description() << "\n";
  }
  return kOk;
}

int ClosuresAdd(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  auto stub = sched::CalendarService::NewStub(s.channel());
  sched::CreateClosureRequest request;
  request.set_parent(TenantName(parent));
  request.mutable_closure()->set_date(Flag(s.options(), "date", ""));
  request.mutable_closure()->set_description(Flag(s.options(), "description", ""));
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::Closure closure;
  auto context = s.Context();
  grpc::Status status = stub->CreateClosure(context.get(), request, &closure);
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintClosure(s, closure, out);
}

int ClosuresDelete(const Session& s, const std::string& name, std::ostream& out,
                   std::ostream& err) {
  auto stub = sched::CalendarService::NewStub(s.channel());
  sched::DeleteClosureRequest request;
  request.set_name(name);
  sched::Closure closure;
  auto context = s.Context();
  grpc::Status status = stub->DeleteClosure(context.get(), request, &closure);
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintClosure(s, closure, out);
}

}  // namespace

std::vector<Command> CalendarCommands() {
  using Args = const std::vector<std::string>&;
  return {
      {"calendar deadline",
       "",
       "--meeting=YYYY-MM-DD --days=N --unit=calendar|working|clear [--tenant=T] [--cutoff=HH:MM] "
       "[--forward=true]: the deadline day (first line), its weekday, the holidays skipped",
       0,
       {"meeting", "days", "unit", "tenant", "cutoff", "forward"},
       [](const Session& s, Args, std::ostream& o, std::ostream& e) {
         return CalendarDeadline(s, o, e);
       }},
      {"calendar closures",
       "TENANT",
       "a tenant's local closure days (not working days for its deadlines)",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return ClosuresList(s, a[0], o, e);
       }},
      {"calendar closures add",
       "TENANT",
       "--date=YYYY-MM-DD --description=TEXT: add a closure day",
       1,
       {"date", "description"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return ClosuresAdd(s, a[0], o, e);
       }},
      {"calendar closures delete",
       "CLOSURE",
       "remove a closure day, e.g. tenants/west-midlands/closures/2024-12-24",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return ClosuresDelete(s, a[0], o, e);
       }},
  };
}

}  // namespace moot::cli
