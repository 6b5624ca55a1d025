// The pieces every `moot` command shares: the gRPC session, output helpers, and the command
// registry. Each area of the product keeps its commands in its own file
// (`<area>_commands.cc`) and lists them from a `<Area>Commands()` function declared here, so
// adding a command never touches another area's code.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/grpcpp.h"
#include "tools/moot/cli.h"

namespace moot::cli {

// A channel to the gateway plus the caller's token and deadline.
class Session {
 public:
  explicit Session(const Options& options);

  // A context with the bearer token and, unless streaming, the --timeout deadline.
  std::unique_ptr<grpc::ClientContext> Context(bool streaming = false) const;

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  const Options& options() const { return options_; }

 private:
  const Options& options_;
  std::shared_ptr<grpc::Channel> channel_;
};

// One command: `words` ("meetings list") followed by positional arguments.
struct Command {
  std::string words;               // E.g. "meetings list".
  std::string args;                // Usage of the positional arguments, e.g. "BODY".
  std::string help;                // One line for the usage text.
  int min_args = 0;                // Positional arguments after the words.
  std::vector<std::string> flags;  // Flags it reads besides the common ones.
  // Runs with `args` = the positional arguments after the words.
  int (*run)(const Session& session, const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) = nullptr;
};

// Flags every command accepts: --page-size, --page-token, --request-id.
const std::vector<std::string>& CommonFlags();

// The registry, in usage order. Each area file defines its list.
std::vector<Command> CoreCommands();        // health, trace, events, inbox (cli.cc)
std::vector<Command> SchedulingCommands();  // bodies, meetings (scheduling_commands.cc)
// people, members, attendance, declarations, voters (attendance_commands.cc)
std::vector<Command> AttendanceCommands();
std::vector<Command> AgendaCommands();         // agenda (agenda_commands.cc)
std::vector<Command> QuestionsCommands();      // questions (questions_commands.cc)
std::vector<Command> WorkProgrammeCommands();  // workprogramme (work_programme_commands.cc)
std::vector<Command> MeetingsCommands();       // bodies get/create/update, meetings lifecycle
std::vector<Command> CalendarCommands();       // calendar (calendar_commands.cc)
std::vector<Command> DecisionsCommands();      // minutes, actions, votes, audit, decisions
std::vector<Command> BudgetCommands();         // precept, plan (budget_commands.cc)
const std::vector<Command>& AllCommands();     // commands.cc

// Output helpers.
std::string ToJson(const google::protobuf::Message& message);
// "YYYY-MM-DD HH:MM TZ" in Europe/London; "-" for an unset timestamp.
std::string Time(const google::protobuf::Timestamp& ts);
// Rows as aligned columns under a header.
void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);
// Prints a failed call as "error: <message> (reason REASON, field f)"; returns its exit code.
int Fail(const grpc::Status& grpc_status, std::ostream& err);
// The value of --name, or `fallback`.
std::string Flag(const Options& options, const std::string& name, const std::string& fallback);
// --page-size as a number; -1 when it is not one.
int PageSize(const Options& options);
// Copies --page-size and --page-token into a List request.
template <typename ListRequest>
void SetPage(const Options& options, ListRequest& request) {
  request.set_page_size(PageSize(options));
  request.set_page_token(Flag(options, "page-token", ""));
}
// Prints the response as JSON (--json) or calls `table`; then the next-page hint when the
// token is not empty.
void PrintPage(const Session& s, const google::protobuf::Message& response,
               const std::string& next_page_token, std::ostream& out,
               const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows);

// Runs one unary call, `call(context, &response)` with the session's context, and prints the
// response as JSON (--json) or with `print(out, response)`; on failure prints the error (Fail).
template <typename Response, typename Call, typename Print>
int CallAndPrint(const Session& s, Call call, Print print, std::ostream& out, std::ostream& err) {
  Response response;
  auto context = s.Context();
  grpc::Status status = call(context.get(), &response);
  if (!status.ok()) {
    return Fail(status, err);
  }
  if (s.options().json) {
    out << ToJson(response) << "\n";
  } else {
    print(out, response);
  }
  return kOk;
}

}  // namespace moot::cli
