// `moot` commands for scheduling: bodies and meetings (people, members and attendance are in
// attendance_commands.cc, agendas in agenda_commands.cc).
#include <ostream>

#include "absl/strings/str_cat.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "tools/moot/command.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;

int BodiesList(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  auto stub = sched::BodyService::NewStub(s.channel());
  sched::ListBodiesRequest request;
  request.set_parent(parent);
  SetPage(s.options(), request);
  sched::ListBodiesResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListBodies(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& body : response.bodies()) {
    rows.push_back({body.name(), sched::BodyKind_Name(body.kind()), body.display_name()});
  }
  PrintTable(out, {"NAME", "KIND", "DISPLAY NAME"}, rows);
  if (!response.next_page_token().empty()) {
    out << "more: --page-token=" << response.next_page_token() << "\n";
  }
  return kOk;
}

std::vector<std::string> MeetingRow(const sched::Meeting& m) {
  return {m.name(), Time(m.start_time()), sched::MeetingStatus_Name(m.status()),
          absl::StrCat(m.agenda_version()), m.title()};
}

int MeetingsList(const Session& s, const std::string& parent, std::ostream& out,
                 std::ostream& err) {
  auto stub = sched::MeetingService::NewStub(s.channel());
  sched::ListMeetingsRequest request;
  request.set_parent(parent);
  SetPage(s.options(), request);
  sched::ListMeetingsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListMeetings(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : response.meetings()) {
    rows.push_back(MeetingRow(m));
  }
  PrintTable(out, {"NAME", "STARTS", "STATUS", "AGENDA", "TITLE"}, rows);
  if (!response.next_page_token().empty()) {
    out << "more: --page-token=" << response.next_page_token() << "\n";
  }
  return kOk;
}

int PrintMeeting(const Session& s, const sched::Meeting& m, std::ostream& out) {
  if (s.options().json) {
    out << ToJson(m) << "\n";
    return kOk;
  }
  PrintTable(out, {"FIELD", "VALUE"},
             {{"name", m.name()},
              {"title", m.title()},
              {"kind", sched::MeetingKind_Name(m.kind())},
              {"status", sched::MeetingStatus_Name(m.status())},
              {"starts", Time(m.start_time())},
              {"ends", Time(m.end_time())},
              {"venue", m.venue()},
              {"webcast", m.webcast_url()},
              {"webcast provider", m.webcast_provider()},
              {"question deadline", Time(m.question_deadline())},
              {"publication deadline", Time(m.publication_deadline())},
              {"agenda version", absl::StrCat(m.agenda_version())},
              {"agenda published", Time(m.agenda_publish_time())}});
  return kOk;
}

int MeetingsGet(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  auto stub = sched::MeetingService::NewStub(s.channel());
  sched::GetMeetingRequest request;
  request.set_name(name);
  sched::Meeting meeting;
  auto context = s.Context();
  grpc::Status status = stub->GetMeeting(context.get(), request, &meeting);
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintMeeting(s, meeting, out);
}

}  // namespace

std::vector<Command> SchedulingCommands() {
  using Args = const std::vector<std::string>&;
  return {
      {"bodies list",
       "TENANT",
       "e.g. moot bodies list tenants/west-midlands",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return BodiesList(s, a[0], o, e);
       }},
      {"meetings list",
       "BODY",
       "e.g. moot meetings list tenants/west-midlands/bodies/pcp",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MeetingsList(s, a[0], o, e);
       }},
      {"meetings get",
       "MEETING",
       "one meeting by resource name",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return MeetingsGet(s, a[0], o, e);
       }},
  };
}

}  // namespace moot::cli
