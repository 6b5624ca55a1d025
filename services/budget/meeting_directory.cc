#include "services/budget/meeting_directory.h"

#include "google/protobuf/util/time_util.h"
#include "libs/time/clock.h"
#include "services/budget/precept_cycle.h"

namespace moot::budget {

absl::CivilDay MeetingWindowStart(int first_year) { return absl::CivilDay(first_year, 1, 1); }

absl::CivilDay MeetingWindowEnd(int first_year) { return absl::CivilDay(first_year, 3, 31); }

std::vector<v1::PlannedMeeting> PlanFromMeetings(const v1::Precept& precept,
                                                 const std::vector<BodyMeeting>& meetings) {
  const int first = FirstYearOf(precept.year());
  absl::CivilDay notified = StepDeadline(first, v1::TIMETABLE_STEP_PCC_NOTIFY);
  if (precept.has_proposed_time()) {
    notified = absl::ToCivilDay(
        absl::FromUnixMicros(
            google::protobuf::util::TimeUtil::TimestampToMicroseconds(precept.proposed_time())),
        time::London());
  }
  std::vector<v1::PlannedMeeting> out;
  const BodyMeeting* report = nullptr;
  for (const BodyMeeting& m : meetings) {
    if (!m.provisional && m.date >= notified) {
      report = &m;
      break;
    }
  }
  const auto add = [&](v1::TimetableStep step, const BodyMeeting& m) {
    v1::PlannedMeeting p;
    p.set_step(step);
    p.set_meeting(m.name);
    p.set_date(absl::FormatCivilTime(m.date));
    p.set_provisional(m.provisional);
    out.push_back(std::move(p));
  };
  if (report == nullptr) {
    return out;
  }
  add(v1::TIMETABLE_STEP_PANEL_REPORT, *report);
  const BodyMeeting* second = nullptr;
  for (const BodyMeeting& m : meetings) {
    if (m.date > report->date && m.provisional) {
      second = &m;
      break;
    }
  }
  if (second == nullptr) {
    for (const BodyMeeting& m : meetings) {
      if (m.date > report->date) {
        second = &m;
        break;
      }
    }
  }
  if (second != nullptr) {
    add(v1::TIMETABLE_STEP_SECOND_REPORT, *second);
  }
  return out;
}

}  // namespace moot::budget
