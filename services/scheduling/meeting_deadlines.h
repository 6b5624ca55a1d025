// A body's procedural rules with their defaults (domain.md §9), and the statutory deadlines of a
// meeting computed from them: agenda publication (R-MTG-09, §9 item 2) and public questions
// (R-PQ-01, R-PQ-02, §9 item 1). Pure: the caller supplies the holiday calendar (national bank
// holidays plus the tenant's closure days).
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/calendar/calendar.h"
#include "moot/scheduling/v1/scheduling.pb.h"

namespace moot::scheduling {

// The default rules of a body of `kind` (domain.md §9):
// - public questions: panel/committee/sub-group {4, CALENDAR, 23:59} (R-PQ-01), board
//   {7, WORKING, 23:59} with one question per person (R-PQ-02);
// - agenda publication {5, CLEAR, 23:59} (R-MTG-09, §9 item 2);
// - minute numbering RUNNING_INT, board SEQ_PER_YEAR (§9 item 6);
// - standing agenda: the Panel's nine standing items (domain.md §2.4) for a panel, the Board's
//   apologies, minutes, public questions, work programme for a board, none otherwise.
v1::BodyRules DefaultRules(v1::BodyKind kind);

// `rules` with every unset part filled from DefaultRules(kind). A rule whose unit is set is kept
// whole.
v1::BodyRules WithDefaults(v1::BodyKind kind, const v1::BodyRules& rules);

// Checks a rule: days 0..366, a unit, cutoff "HH:MM" or empty. INVALID_ARGUMENT naming
// `field` + ".days" / ".unit" / ".cutoff_time".
absl::Status ValidateDeadlineRule(const v1::DeadlineRule& rule, absl::string_view field);

// libs/calendar's unit for a proto unit; DAY_UNIT_UNSPECIFIED maps to kCalendar.
calendar::DayUnit ToDayUnit(v1::DayUnit unit);

struct Deadline {
  absl::CivilDay day;
  absl::Time time;  // `day` at the rule's cut-off, Europe/London.
};

// The deadline of `rule` for a meeting on `meeting_day`.
absl::StatusOr<Deadline> ComputeDeadline(const calendar::HolidayCalendar& calendar,
                                         absl::CivilDay meeting_day, const v1::DeadlineRule& rule);

// Sets meeting.publication_deadline(_date) and question_deadline(_date) from the body's rules
// (defaults applied) and the meeting's start_time. FAILED_PRECONDITION when the meeting date lies
// outside the calendar's data years.
absl::Status FillMeetingDeadlines(const calendar::HolidayCalendar& calendar, const v1::Body& body,
                                  v1::Meeting& meeting);

}  // namespace moot::scheduling
