#include "tools/moot/cli.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"
#include "moot/notifications/v1/notifications.grpc.pb.h"
#include "tools/moot/command.h"
#include "tools/moot/http_get.h"

namespace moot::cli {

namespace notif = moot::notifications::v1;

Session::Session(const Options& options)
    : options_(options),
      channel_(grpc::CreateChannel(options.addr, grpc::InsecureChannelCredentials())) {}

std::unique_ptr<grpc::ClientContext> Session::Context(bool streaming) const {
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

const std::vector<std::string>& CommonFlags() {
  static const std::vector<std::string>* const flags =
      new std::vector<std::string>{"page-size", "page-token", "request-id"};
  return *flags;
}

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

void PrintPage(const Session& s, const google::protobuf::Message& response,
               const std::string& next_page_token, std::ostream& out,
               const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows) {
  if (s.options().json) {
    out << ToJson(response) << "\n";
    return;
  }
  PrintTable(out, header, rows);
  if (!next_page_token.empty()) {
    out << "more: --page-token=" << next_page_token << "\n";
  }
}

namespace {

int InboxList(const Session& s, const std::string& parent, std::ostream& out, std::ostream& err) {
  auto stub = notif::InboxService::NewStub(s.channel());
  notif::ListInboxEntriesRequest request;
  request.set_parent(parent);
  SetPage(s.options(), request);
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

std::vector<Command> CoreCommands() {
  using Args = const std::vector<std::string>&;
  return {
      {"health",
       "",
       "every process's health (via the gateway)",
       0,
       {},
       [](const Session& s, Args, std::ostream& o, std::ostream& e) { return Health(s, o, e); }},
      {"inbox list",
       "INBOX",
       "e.g. moot inbox list tenants/west-midlands/inboxes/p1",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return InboxList(s, a[0], o, e);
       }},
      {"events watch",
       "TENANT",
       "[--type=T] [--body=B] [--after=EVENT_ID] [--limit=N]",
       1,
       {"type", "body", "after", "limit"},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return EventsWatch(s, a[0], o, e);
       }},
      {"trace get",
       "TRACE_ID",
       "spans of one trace (Zipkin v2 JSON with --json)",
       1,
       {},
       [](const Session& s, Args a, std::ostream& o, std::ostream& e) {
         return TraceGet(s, a[0], o, e);
       }},
  };
}

std::string Usage() {
  std::string text =
      "moot — command-line client for Moot (talks gRPC to the gateway)\n\n"
      "usage: moot [--addr=HOST:PORT] [--http=URL] [--token=JWT] [--json] COMMAND ...\n\n";
  for (const Command& c : AllCommands()) {
    std::string left = absl::StrCat("  ", c.words, c.args.empty() ? "" : " ", c.args);
    for (const std::string& f : c.flags) {
      if (c.help.find("--" + f) == std::string::npos) {
        absl::StrAppend(&left, " [--", f, "=...]");
      }
    }
    if (left.size() < 42) {
      left.resize(42, ' ');
    } else {
      left += "\n" + std::string(42, ' ');
    }
    absl::StrAppend(&text, left, c.help, "\n");
  }
  absl::StrAppend(&text, R"(
environment: MOOT_ADDR (gRPC, default 127.0.0.1:50051), MOOT_HTTP (default
http://127.0.0.1:8080), MOOT_TOKEN (bearer token; demo tokens: var/demo/credentials.json)
list flags: --page-size=N --page-token=TOKEN
exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 denied, 5 invalid argument,
            6 rule broken (failed precondition/conflict), 7 unavailable (retry)
)");
  return text;
}

namespace {

// Whether any command (or every command) takes --key.
bool KnownFlag(const std::string& key) {
  const auto& common = CommonFlags();
  if (std::find(common.begin(), common.end(), key) != common.end()) {
    return true;
  }
  for (const Command& c : AllCommands()) {
    if (std::find(c.flags.begin(), c.flags.end(), key) != c.flags.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace

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
    } else if (KnownFlag(key)) {
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
  // The longest registered command whose words prefix the arguments.
  const Command* found = nullptr;
  size_t found_words = 0;
  for (const Command& c : AllCommands()) {
    std::vector<std::string> words = absl::StrSplit(c.words, ' ');
    if (words.size() <= a.size() && words.size() > found_words &&
        std::equal(words.begin(), words.end(), a.begin())) {
      found = &c;
      found_words = words.size();
    }
  }
  if (found == nullptr) {
    const std::string command = a.size() >= 2 ? absl::StrCat(a[0], " ", a[1]) : a[0];
    err << "error: unknown command \"" << command << "\"\n\n" << Usage();
    return kUsage;
  }
  std::vector<std::string> rest(a.begin() + found_words, a.end());
  if (rest.size() < static_cast<size_t>(found->min_args)) {
    err << "error: missing " << found->args << "\n\nusage: moot " << found->words << " "
        << found->args << "\n";
    return kUsage;
  }
  for (const auto& [flag, value] : options.flags) {
    const auto& common = CommonFlags();
    if (std::find(common.begin(), common.end(), flag) == common.end() &&
        std::find(found->flags.begin(), found->flags.end(), flag) == found->flags.end()) {
      err << "error: moot " << found->words << " does not take --" << flag << "\n";
      return kUsage;
    }
  }
  if (PageSize(options) < 0) {
    err << "error: --page-size must be a whole number\n";
    return kUsage;
  }
  Session session(options);
  return found->run(session, rest, out, err);
}

}  // namespace moot::cli
