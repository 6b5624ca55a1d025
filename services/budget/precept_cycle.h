// The statutory precept cycle (PRSRA 2011 Sch.5; SI 2012/2271 Part 2; domain.md §3.7): the
// timetable of a precept year and the state machine DRAFT -> PROPOSED -> PANEL_REVIEWED ->
// (after a veto) REVISED_PROPOSED -> SECOND_REPORT -> ISSUED, with every guard. Pure: the caller
// loads the precept, supplies the time and the checked vote, and stores the result.
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/calendar/calendar.h"
#include "moot/budget/v1/budget.pb.h"
#include "services/budget/vote_lookup.h"

namespace moot::budget {

// Rule names (FAILED_PRECONDITION reasons).
inline constexpr char kPreceptState[] = "PRECEPT_STATE";
inline constexpr char kSecondVetoNotAllowed[] = "SECOND_VETO_NOT_ALLOWED";
inline constexpr char kRevisedWrongDirection[] = "REVISED_PRECEPT_WRONG_DIRECTION";
inline constexpr char kVetoVoteNotCarried[] = "VETO_VOTE_NOT_CARRIED";
inline constexpr char kVetoVoteWrongRule[] = "VETO_VOTE_WRONG_RULE";
inline constexpr char kDifferentPreceptNotRecommended[] = "DIFFERENT_PRECEPT_NOT_RECOMMENDED";
inline constexpr char kRevisionRequired[] = "REVISION_REQUIRED";
inline constexpr char kNoVeto[] = "NO_VETO";
inline constexpr char kReferendumLimit[] = "REFERENDUM_LIMIT_EXCEEDED";

// The statutory deadline day of a step for a precept year "YYYY-YY": 1, 8, 15, 22 February and
// 1 March of the calendar year YYYY (the end of the relevant financial year).
absl::CivilDay StepDeadline(int first_year, v1::TimetableStep step);

// The timetable with each deadline (end of day, Europe/London), whether it is a working day,
// and the planned meetings checked against it.
v1::PreceptTimetable ComputeTimetable(const v1::Precept& precept,
                                      const calendar::HolidayCalendar& calendar);

// Whether an outcome is a veto.
bool IsVeto(v1::PanelOutcome outcome);

// The first part of a validated year id ("2024-25" -> 2024).
int FirstYearOf(const std::string& year);

// DRAFT -> PROPOSED. band_d_pence 0 takes the Band D the precept computes.
absl::Status Propose(v1::Precept& precept, int64_t band_d_pence, absl::Time notify_time,
                     absl::Time now);

// PROPOSED -> PANEL_REVIEWED. For a veto, `vote` is the register's record of report.vote:
// two-thirds of members at the time (VETO_VOTE_WRONG_RULE), carried with at least ceil(2N/3)
// votes for (VETO_VOTE_NOT_CARRIED). Only one veto per cycle (SECOND_VETO_NOT_ALLOWED). A veto
// reported after 8 February lapses (reg 4(2)): recorded with veto_lapsed, not as a veto.
// Returns whether the precept stands vetoed.
absl::StatusOr<bool> RecordReport(v1::Precept& precept, v1::PanelReport report,
                                  const absl::StatusOr<VoteRecord>& vote, absl::Time now);

// Vetoed PANEL_REVIEWED -> REVISED_PROPOSED: lower after "too high", higher after "too low"
// (reg 5(3), REVISED_PRECEPT_WRONG_DIRECTION).
absl::Status Revise(v1::Precept& precept, int64_t band_d_pence, absl::Time revise_time,
                    absl::Time now);

// REVISED_PROPOSED -> SECOND_REPORT; the panel has no second veto (R-PR-06).
absl::Status RecordSecondReport(v1::Precept& precept, v1::PanelReport report, absl::Time now);

// -> ISSUED. Without a veto: the proposed precept, or a different one only if the report
// recommended it (Sch.5 para 5(3)); after a lapsed veto: the proposed one (reg 4(2)); after a
// veto: the revised precept, or the second report's recommendation; the revised one also when
// the second report is overdue. REFERENDUM_LIMIT_EXCEEDED when the rise on last year's Band D is
// above the year's limit.
absl::Status Issue(v1::Precept& precept, int64_t band_d_pence, absl::Time issue_time,
                   absl::Time now);

}  // namespace moot::budget
