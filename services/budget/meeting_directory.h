// Where the budget service reads the panel's meetings for the precept timetable (issue 5 point 6:
// "check the body's planned meetings against them"): scheduling owns meetings; the budget
// service asks it (GrpcMeetingDirectory) and falls back to the precept's stored planned meetings
// only when scheduling is not configured or the caller asks for them explicitly.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/auth/principal.h"
#include "moot/budget/v1/budget.pb.h"

namespace moot::budget {

// A meeting of the body as scheduling holds it.
struct BodyMeeting {
  std::string name;          // tenants/{t}/bodies/{b}/meetings/{m}
  absl::CivilDay date;       // Its civil date in Europe/London.
  bool provisional = false;  // Held only if the precept is vetoed (kind or status PROVISIONAL).
};

// Reads a body's meetings as `caller` (scheduling applies its own access rules).
class MeetingDirectory {
 public:
  virtual ~MeetingDirectory() = default;
  // The body's meetings dated from `from` to `to` inclusive, not cancelled or postponed, in date
  // order. `body` is `tenants/{t}/bodies/{b}`. UNAVAILABLE when scheduling cannot be reached.
  virtual absl::StatusOr<std::vector<BodyMeeting>> ListMeetings(const auth::Principal& caller,
                                                                const std::string& body,
                                                                absl::CivilDay from,
                                                                absl::CivilDay to) const = 0;
};

// The window of a precept year's meetings: 1 January to 31 March of its first calendar year
// (the statutory steps run 1 February to 1 March; a meeting after a deadline shows as late).
absl::CivilDay MeetingWindowStart(int first_year);
absl::CivilDay MeetingWindowEnd(int first_year);

// The panel steps' meetings among the body's `meetings` (date order): the panel report
// (reg 4(1)) is the first meeting that is not provisional on or after the PCC's notification
// (its day when proposed, else 1 February), since the January meeting only considers the draft
// (R-PR-04); the second report is the first provisional meeting after it (R-PR-06), else the next
// meeting after it.
std::vector<v1::PlannedMeeting> PlanFromMeetings(const v1::Precept& precept,
                                                 const std::vector<BodyMeeting>& meetings);

}  // namespace moot::budget
