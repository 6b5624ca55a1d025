// The registry of `moot` commands: every area's list, in usage order. To add an area, declare
// its `<Area>Commands()` in command.h and append it here.
#include "tools/moot/command.h"

namespace moot::cli {

const std::vector<Command>& AllCommands() {
  static const std::vector<Command>* const commands = [] {
    auto* all = new std::vector<Command>();
    for (auto list : {
             CoreCommands,
             SchedulingCommands,
             AttendanceCommands,
             QuestionsCommands,
             WorkProgrammeCommands,
             AgendaCommands,
             MeetingsCommands,
             CalendarCommands,
             DecisionsCommands,
             BudgetCommands,
         }) {
      for (Command& c : list()) {
        all->push_back(std::move(c));
      }
    }
    return all;
  }();
  return *commands;
}

}  // namespace moot::cli
