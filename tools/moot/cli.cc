#include "tools/moot/cli.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "moot/notifications/v1/notifications.grpc.pb.h"
#include "moot/scheduling/v1/agenda.grpc.pb.h"
#include "moot/scheduling/v1/people.grpc.pb.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "tools/moot/http_get.h"

namespace moot::cli {
namespace {

namespace sched = moot::scheduling::v1;
namespace notif = moot::notifications::v1;

using google::protobuf::util::TimeUtil;

std::string ToJson(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = false;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string Time(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) {
    return "-";
  }
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", absl::FromUnixSeconds(ts.seconds()), [] {
    absl::TimeZone tz;
    if (!absl::LoadTimeZone("Europe/London", &tz)) {
      tz = absl::UTCTimeZone();
    }
    return tz;
  }());
}

// Prints rows as aligned columns under a header.
void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    widths[i] = header[i].size();
  }
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      text += cells[i];
      if (i + 1 < cells.size()) {
        text += std::string(widths[i] - cells[i].size() + 2, ' ');
      }
    }
    out << text << "\n";
  };
  line(header);
  for (const auto& row : rows) {
    line(row);
  }
}

// Prints a failed call as "error: <message> (reason REASON, field f)" and maps it to an exit code.
int Fail(const grpc::Status& grpc_status, std::ostream& err) {
  absl::Status status = status::FromGrpcStatus(grpc_status);
  status::ErrorDetails details = status::Details(status);
  std::string line = absl::StrCat("error: ", status.message());
  std::vector<std::string> extra;
  if (!details.reason.empty()) {
    extra.push_back(absl::StrCat("reason ", details.reason));
  }
  for (const auto& v : details.field_violations) {
    extra.push_back(absl::StrCat("field ", v.field));
  }
  for (const auto& v : details.precondition_violations) {
    if (!v.subject.empty()) {
      extra.push_back(absl::StrCat("subject ", v.subject));
    }
  }
  if (details.has_retry_info) {
    extra.push_back(absl::StrCat("retry after ", absl::FormatDuration(details.retry_delay)));
  }
  if (!extra.empty()) {
    absl::StrAppend(&line, " (", absl::StrJoin(extra, ", "), ")");
  }
  err << line << "\n";
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return kNotFound;
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return kDenied;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return kInvalid;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists:
      return kRuleBroken;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
      return kUnavailable;
    default:
      return kFailure;
  }
}

class Session {
 public:
  explicit Session(const Options& options)
      : options_(options),
        channel_(grpc::CreateChannel(options.addr, grpc::InsecureChannelCredentials())) {}

  // A context with the bearer token and the deadline.
  std::unique_ptr<grpc::ClientContext> Context(bool streaming = false) const {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!options_.token.empty()) {
      context->AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
    }
    if (!streaming) {
      context->set_deadline(std::chrono::system_clock::now() +
                            std::chrono::seconds(options_.timeout_seconds));
    }
    return context;
  }

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  const Options& options() const { return options_; }

 private:
  const Options& options_;
  std::shared_ptr<grpc::Channel> channel_;
};

std::string Flag(const Options& options, const std::string& name, const std::string& fallback) {
  auto it = options.flags.find(name);
  return it == options.flags.end() ? fallback : it->second;
}

int PageSize(const Options& options) {
  int size = 0;
  if (!absl::SimpleAtoi(Flag(options, "page-size", "0"), &size)) {
    return -1;
  }
  return size;
}

int BodiesList(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  auto stub = sched::BodyService::NewStub(s.channel());
  sched::ListBodiesRequest request;
  request.set_parent(parent);
  request.set_page_size(PageSize(s.options()));
  request.set_page_token(Flag(s.options(), "page-token", ""));
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

int PeopleList(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  auto stub = sched::PersonService::NewStub(s.channel());
  sched::ListPeopleRequest request;
  request.set_parent(parent);
  request.set_page_size(PageSize(s.options()));
  request.set_page_token(Flag(s.options(), "page-token", ""));
  sched::ListPeopleResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListPeople(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : response.people()) {
    rows.push_back({p.name(), sched::MemberType_Name(p.member_type()), p.display_name(),
                    p.appointing_authority()});
  }
  PrintTable(out, {"NAME", "TYPE", "DISPLAY NAME", "APPOINTED BY"}, rows);
  if (!response.next_page_token().empty()) {
    out << "more: --page-token=" << response.next_page_token() << "\n";
  }
  return kOk;
}

// Memberships of a body: every one (ListMemberships), or those in force on --at=YYYY-MM-DD
// (ListMembersAt).
int MembersList(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  auto stub = sched::MembershipService::NewStub(s.channel());
  google::protobuf::RepeatedPtrField<sched::Membership> memberships;
  std::string next_page_token;
  auto context = s.Context();
  const std::string at = Flag(s.options(), "at", "");
  grpc::Status status;
  if (!at.empty()) {
    sched::ListMembersAtRequest request;
    request.set_parent(parent);
    request.set_date(at);
    sched::ListMembersAtResponse response;
    status = stub->ListMembersAt(context.get(), request, &response);
    if (status.ok() && s.options().json) {
      out << ToJson(response) << "\n";
      return kOk;
    }
    memberships = std::move(*response.mutable_memberships());
  } else {
    sched::ListMembershipsRequest request;
    request.set_parent(parent);
    request.set_page_size(PageSize(s.options()));
    request.set_page_token(Flag(s.options(), "page-token", ""));
    sched::ListMembershipsResponse response;
    status = stub->ListMemberships(context.get(), request, &response);
    if (status.ok() && s.options().json) {
      out << ToJson(response) << "\n";
      return kOk;
    }
    memberships = std::move(*response.mutable_memberships());
    next_page_token = response.next_page_token();
  }
  if (!status.ok()) {
    return Fail(status, err);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : memberships) {
    rows.push_back({m.person(), sched::MembershipRole_Name(m.role()), m.voting() ? "yes" : "no",
                    m.start_date(), m.end_date().empty() ? "-" : m.end_date()});
  }
  PrintTable(out, {"PERSON", "ROLE", "VOTING", "FROM", "TO"}, rows);
  if (!next_page_token.empty()) {
    out << "more: --page-token=" << next_page_token << "\n";
  }
  return kOk;
}

int AgendaList(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  auto stub = sched::AgendaService::NewStub(s.channel());
  sched::ListAgendaItemsRequest request;
  request.set_parent(parent);
  request.set_page_size(PageSize(s.options()));
  request.set_page_token(Flag(s.options(), "page-token", ""));
  sched::ListAgendaItemsResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListAgendaItems(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : response.agenda_items()) {
    absl::string_view kind = sched::AgendaItemKind_Name(item.kind());
    absl::ConsumePrefix(&kind, "AGENDA_ITEM_KIND_");
    std::string notes = item.attached() ? "attached" : "";
    if (item.exempt()) {
      absl::StrAppend(&notes, notes.empty() ? "" : ", ", "exempt (para ", item.exempt_paragraph(),
                      ")");
    }
    rows.push_back({absl::StrCat(item.number()),
                    item.approximate_time().empty() ? "-" : item.approximate_time(),
                    std::string(kind), item.title(), notes});
  }
  PrintTable(out, {"NO", "TIME", "KIND", "TITLE", "NOTES"}, rows);
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
  request.set_page_size(PageSize(s.options()));
  request.set_page_token(Flag(s.options(), "page-token", ""));
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

int AgendaPublish(const Session& s, const std::string& name, std::ostream& out, std::ostream& err) {
  auto stub = sched::MeetingService::NewStub(s.channel());
  sched::PublishAgendaRequest request;
  request.set_name(name);
  request.set_request_id(Flag(s.options(), "request-id", ""));
  sched::Meeting meeting;
  auto context = s.Context();
  grpc::Status status = stub->PublishAgenda(context.get(), request, &meeting);
  if (!status.ok()) {
    return Fail(status, err);
  }
  return PrintMeeting(s, meeting, out);
}

int InboxList(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  auto stub = notif::InboxService::NewStub(s.channel());
  notif::ListInboxEntriesRequest request;
  request.set_parent(parent);
  request.set_page_size(PageSize(s.options()));
  request.set_page_token(Flag(s.options(), "page-token", ""));
  notif::ListInboxEntriesResponse response;
  auto context = s.Context();
  grpc::Status status = stub->ListInboxEntries(context.get(), request, &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : response.entries()) {
    rows.push_back({Time(e.event_time()), e.event_type(), e.subject(), e.summary()});
  }
  PrintTable(out, {"WHEN", "EVENT", "SUBJECT", "SUMMARY"}, rows);
  return kOk;
}

int EventsWatch(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  auto stub = notif::EventService::NewStub(s.channel());
  notif::WatchEventsRequest request;
  request.set_parent(parent);
  if (auto it = s.options().flags.find("type"); it != s.options().flags.end()) {
    request.add_event_types(it->second);
  }
  if (auto it = s.options().flags.find("body"); it != s.options().flags.end()) {
    request.add_bodies(it->second);
  }
  request.set_after_event_id(Flag(s.options(), "after", ""));
  int limit = 0;
  if (!absl::SimpleAtoi(Flag(s.options(), "limit", "0"), &limit) || limit < 0) {
    err << "error: --limit must be a whole number\n";
    return kUsage;
  }
  auto context = s.Context(/*streaming=*/true);
  auto reader = stub->WatchEvents(context.get(), request);
  moot::events::v1::Event event;
  int seen = 0;
  while (reader->Read(&event)) {
    if (s.options().json) {
      std::string line;
      (void)google::protobuf::util::MessageToJsonString(event, &line);
      out << line << "\n";
    } else {
      out << absl::StrCat(event.id(), "  ", event.type(), "  ", event.subject()) << "\n";
    }
    out.flush();
    if (limit > 0 && ++seen >= limit) {
      context->TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  if (!status.ok() && !(limit > 0 && seen >= limit)) {
    return Fail(status, err);
  }
  return kOk;
}

int Health(const Session& s, std::ostream& out, std::ostream& err) {
  HttpResult result =
      HttpGet(s.options().http_addr, "/healthz", s.options().token, s.options().timeout_seconds);
  if (!result.error.empty()) {
    err << "error: gateway HTTP unreachable at " << s.options().http_addr << ": " << result.error
        << "\n";
    return kUnavailable;
  }
  if (s.options().json) {
    out << result.body << "\n";
  } else {
    out << PrettyHealth(result.body);
  }
  return result.status == 200 ? kOk : kUnavailable;
}

int TraceGet(const Session& s, const std::string& trace_id, std::ostream& out, std::ostream& err) {
  HttpResult result = HttpGet(s.options().http_addr, "/api/v2/trace/" + trace_id, s.options().token,
                              s.options().timeout_seconds);
  if (!result.error.empty()) {
    err << "error: gateway HTTP unreachable: " << result.error << "\n";
    return kUnavailable;
  }
  if (result.status == 404) {
    err << "error: trace " << trace_id << " not found\n";
    return kNotFound;
  }
  if (result.status != 200) {
    err << "error: HTTP " << result.status << ": " << result.body << "\n";
    return result.status == 400 ? kInvalid : kFailure;
  }
  out << (s.options().json ? result.body : PrettyTrace(result.body)) << "\n";
  return kOk;
}

}  // namespace

std::string Usage() {
  return R"(moot — command-line client for Moot (talks gRPC to the gateway)

usage: moot [--addr=HOST:PORT] [--http=URL] [--token=JWT] [--json] COMMAND ...

  health                                  every process's health (via the gateway)
  bodies list TENANT                      e.g. moot bodies list tenants/west-midlands
  meetings list BODY                      e.g. moot meetings list tenants/west-midlands/bodies/pcp
  meetings get MEETING                    one meeting by resource name
  agenda publish MEETING [--request-id=ID]
  agenda list MEETING                     the meeting's agenda items in number order
  people list TENANT                      e.g. moot people list tenants/west-midlands
  members list BODY [--at=YYYY-MM-DD]     a body's memberships (those in force on a date with --at)
  inbox list INBOX                        e.g. moot inbox list tenants/west-midlands/inboxes/p1
  events watch TENANT [--type=T] [--body=B] [--after=EVENT_ID] [--limit=N]
  trace get TRACE_ID                      spans of one trace (Zipkin v2 JSON with --json)

environment: MOOT_ADDR (gRPC, default 127.0.0.1:50051), MOOT_HTTP (default
http://127.0.0.1:8080), MOOT_TOKEN (bearer token; demo tokens: var/demo/credentials.json)
list flags: --page-size=N --page-token=TOKEN
exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 denied, 5 invalid argument,
            6 rule broken (failed precondition/conflict), 7 unavailable (retry)
)";
}

bool ParseArgs(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
               Options* options, std::ostream& err) {
  if (auto it = env.find("MOOT_ADDR"); it != env.end() && !it->second.empty()) {
    options->addr = it->second;
  }
  if (auto it = env.find("MOOT_HTTP"); it != env.end() && !it->second.empty()) {
    options->http_addr = it->second;
  }
  if (auto it = env.find("MOOT_TOKEN"); it != env.end()) {
    options->token = it->second;
  }
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (!absl::StartsWith(arg, "--")) {
      options->args.push_back(arg);
      continue;
    }
    std::string key = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (size_t eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
      has_value = true;
    }
    if (key == "json" || key == "help") {
      if (key == "json") {
        options->json = true;
      } else {
        options->args.insert(options->args.begin(), "help");
      }
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argv.size()) {
        err << "error: --" << key << " needs a value\n";
        return false;
      }
      value = argv[++i];
    }
    if (key == "addr") {
      options->addr = value;
    } else if (key == "http") {
      options->http_addr = value;
    } else if (key == "token") {
      options->token = value;
    } else if (key == "timeout") {
      if (!absl::SimpleAtoi(value, &options->timeout_seconds) || options->timeout_seconds <= 0) {
        err << "error: --timeout must be a positive number of seconds\n";
        return false;
      }
    } else if (key == "page-size" || key == "page-token" || key == "request-id" || key == "type" ||
               key == "body" || key == "after" || key == "limit" || key == "at") {
      options->flags[key] = value;
    } else {
      err << "error: unknown flag --" << key << "\n";
      return false;
    }
  }
  return true;
}

int Run(const Options& options, std::ostream& out, std::ostream& err) {
  const auto& a = options.args;
  if (a.empty() || a[0] == "help") {
    (a.empty() ? err : out) << Usage();
    return a.empty() ? kUsage : kOk;
  }
  Session session(options);
  auto need = [&](size_t n, const char* what) {
    if (a.size() < n) {
      err << "error: missing " << what << "\n\n" << Usage();
      return false;
    }
    return true;
  };
  const std::string command = a.size() >= 2 ? absl::StrCat(a[0], " ", a[1]) : a[0];
  if (command == "health") {
    return Health(session, out, err);
  }
  if (command == "bodies list") {
    return need(3, "TENANT (tenants/<id>)") ? BodiesList(session, a[2], out, err) : kUsage;
  }
  if (command == "meetings list") {
    return need(3, "BODY (tenants/<t>/bodies/<b>)") ? MeetingsList(session, a[2], out, err)
                                                    : kUsage;
  }
  if (command == "meetings get") {
    return need(3, "MEETING name") ? MeetingsGet(session, a[2], out, err) : kUsage;
  }
  if (command == "agenda publish") {
    return need(3, "MEETING name") ? AgendaPublish(session, a[2], out, err) : kUsage;
  }
  if (command == "agenda list") {
    return need(3, "MEETING name") ? AgendaList(session, a[2], out, err) : kUsage;
  }
  if (command == "people list") {
    return need(3, "TENANT (tenants/<id>)") ? PeopleList(session, a[2], out, err) : kUsage;
  }
  if (command == "members list") {
    return need(3, "BODY (tenants/<t>/bodies/<b>)") ? MembersList(session, a[2], out, err) : kUsage;
  }
  if (command == "inbox list") {
    return need(3, "INBOX (tenants/<t>/inboxes/<person>)") ? InboxList(session, a[2], out, err)
                                                           : kUsage;
  }
  if (command == "events watch") {
    return need(3, "TENANT (tenants/<id>)") ? EventsWatch(session, a[2], out, err) : kUsage;
  }
  if (command == "trace get") {
    return need(3, "TRACE_ID") ? TraceGet(session, a[2], out, err) : kUsage;
  }
  err << "error: unknown command \"" << command << "\"\n\n" << Usage();
  return kUsage;
}

}  // namespace moot::cli
