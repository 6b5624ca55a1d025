#include "services/budget/precept_cycle.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"
#include "libs/money/money.h"
#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "libs/time/clock.h"
#include "services/budget/precept_model.h"

namespace moot::budget {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(ts));
}

absl::CivilDay LondonDay(absl::Time t) { return absl::ToCivilDay(t, time::London()); }

absl::Status WrongState(const v1::Precept& p, absl::string_view action) {
  return status::FailedPrecondition(
      kPreceptState, p.name(),
      absl::StrCat("cannot ", action, " a precept in state ", v1::PreceptState_Name(p.state())));
}

// The time a step happened: given, not in the future, else now.
absl::StatusOr<absl::Time> StepTime(absl::Time given, absl::Time now, absl::string_view field) {
  if (given == absl::InfinitePast()) {
    return now;
  }
  if (given > now) {
    return status::InvalidArgument(field, "must not be in the future");
  }
  return given;
}

absl::Status CheckBandD(int64_t band_d, absl::string_view field) {
  if (band_d <= 0) {
    return status::InvalidArgument(field, "must be greater than zero");
  }
  return absl::OkStatus();
}

}  // namespace

int FirstYearOf(const std::string& year) {
  int value = 0;
  for (size_t i = 0; i < 4 && i < year.size(); ++i) {
    value = value * 10 + (year[i] - '0');
  }
  return value;
}

absl::CivilDay StepDeadline(int first_year, v1::TimetableStep step) {
  // SI 2012/2271 reg 3 (1 Feb), reg 4(1) (8 Feb), reg 5 (15 Feb); the second report by 22 Feb
  // and the final precept by 1 March (domain.md §3.7).
  switch (step) {
    case v1::TIMETABLE_STEP_PCC_NOTIFY:
      return absl::CivilDay(first_year, 2, 1);
    case v1::TIMETABLE_STEP_PANEL_REPORT:
      return absl::CivilDay(first_year, 2, 8);
    case v1::TIMETABLE_STEP_REVISED_PRECEPT:
      return absl::CivilDay(first_year, 2, 15);
    case v1::TIMETABLE_STEP_SECOND_REPORT:
      return absl::CivilDay(first_year, 2, 22);
    default:
      return absl::CivilDay(first_year, 3, 1);
  }
}

bool IsVeto(v1::PanelOutcome outcome) {
  return outcome == v1::PANEL_OUTCOME_VETOED_TOO_HIGH ||
         outcome == v1::PANEL_OUTCOME_VETOED_TOO_LOW;
}

v1::PreceptTimetable ComputeTimetable(const v1::Precept& precept,
                                      const calendar::HolidayCalendar& calendar) {
  static const char* const kWeekdays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                          "Friday", "Saturday", "Sunday"};
  const int first = FirstYearOf(precept.year());
  v1::PreceptTimetable t;
  t.set_precept(precept.name());
  t.set_relevant_financial_year(absl::StrFormat("%04d-%02d", first - 1, first % 100));
  t.set_state(precept.state());
  for (auto step : {v1::TIMETABLE_STEP_PCC_NOTIFY, v1::TIMETABLE_STEP_PANEL_REPORT,
                    v1::TIMETABLE_STEP_REVISED_PRECEPT, v1::TIMETABLE_STEP_SECOND_REPORT,
                    v1::TIMETABLE_STEP_ISSUE}) {
    const absl::CivilDay day = StepDeadline(first, step);
    v1::TimetableEntry* e = t.add_entries();
    e->set_step(step);
    e->set_deadline_date(absl::FormatCivilTime(day));
    // The end of the deadline day in Europe/London (23:59:59.999999, DST-correct).
    *e->mutable_deadline() =
        ToProto(absl::FromCivil(day + 1, time::London()) - absl::Microseconds(1));
    e->set_weekday(kWeekdays[static_cast<int>(absl::GetWeekday(day))]);
    e->set_working_day(calendar.Covers(day) ? calendar.IsWorkingDay(day)
                                            : !calendar.IsWeekend(day));
    e->set_only_if_vetoed(step == v1::TIMETABLE_STEP_REVISED_PRECEPT ||
                          step == v1::TIMETABLE_STEP_SECOND_REPORT);
    const bool panel_step =
        step == v1::TIMETABLE_STEP_PANEL_REPORT || step == v1::TIMETABLE_STEP_SECOND_REPORT;
    const v1::PlannedMeeting* planned = nullptr;
    for (const auto& m : precept.planned_meetings()) {
      if (m.step() == step) {
        planned = &m;
      }
    }
    if (planned != nullptr) {
      *e->mutable_planned_meeting() = *planned;
      absl::CivilDay meeting_day;
      if (absl::ParseCivilTime(planned->date(), &meeting_day)) {
        const int slack = static_cast<int>(day - meeting_day);
        e->set_slack_days(slack);
        e->set_check(slack >= 0 ? v1::MEETING_CHECK_IN_TIME : v1::MEETING_CHECK_TOO_LATE);
      }
    } else {
      e->set_check(panel_step ? v1::MEETING_CHECK_NO_MEETING : v1::MEETING_CHECK_NOT_NEEDED);
    }
    switch (step) {
      case v1::TIMETABLE_STEP_PCC_NOTIFY:
        if (precept.has_proposed_time()) *e->mutable_done_time() = precept.proposed_time();
        break;
      case v1::TIMETABLE_STEP_PANEL_REPORT:
        if (precept.report().has_report_time()) {
          *e->mutable_done_time() = precept.report().report_time();
        }
        break;
      case v1::TIMETABLE_STEP_REVISED_PRECEPT:
        if (precept.has_revised_time()) *e->mutable_done_time() = precept.revised_time();
        break;
      case v1::TIMETABLE_STEP_SECOND_REPORT:
        if (precept.second_report().has_report_time()) {
          *e->mutable_done_time() = precept.second_report().report_time();
        }
        break;
      default:
        if (precept.has_issued_time()) *e->mutable_done_time() = precept.issued_time();
        break;
    }
    e->set_done_late(e->has_done_time() && TimeUtil::TimestampToMicroseconds(e->done_time()) >
                                               TimeUtil::TimestampToMicroseconds(e->deadline()));
  }
  return t;
}

// R-PR-01 / R-PR-04: the PCC notifies the panel of the proposed precept (reg 3: by 1 February).
absl::Status Propose(v1::Precept& p, int64_t band_d_pence, absl::Time notify_time, absl::Time now) {
  if (p.state() != v1::PRECEPT_STATE_DRAFT) {
    return WrongState(p, "propose");
  }
  if (band_d_pence == 0) {
    band_d_pence = p.band_d_pence();
  }
  MOOT_RETURN_IF_ERROR(CheckBandD(band_d_pence, "band_d_pence"));
  MOOT_ASSIGN_OR_RETURN(absl::Time at, StepTime(notify_time, now, "notify_time"));
  p.set_proposed_band_d_pence(band_d_pence);
  *p.mutable_proposed_time() = ToProto(at);
  p.set_state(v1::PRECEPT_STATE_PROPOSED);
  return absl::OkStatus();
}

// R-PR-02 / R-PR-05: the panel reviews and reports, and may veto (Sch.5 paras 3-4; reg 4).
absl::StatusOr<bool> RecordReport(v1::Precept& p, v1::PanelReport report,
                                  const absl::StatusOr<VoteRecord>& vote, absl::Time now) {
  const bool veto = IsVeto(report.outcome());
  if (p.state() != v1::PRECEPT_STATE_PROPOSED) {
    // R-PR-06: "The Panel does not have a second veto."
    if (veto && p.state() != v1::PRECEPT_STATE_DRAFT) {
      return status::FailedPrecondition(kSecondVetoNotAllowed, p.name(),
                                        "the panel has already reported on this precept; there "
                                        "is only one veto per cycle (R-PR-06)");
    }
    return WrongState(p, "record the panel's report on");
  }
  if (report.outcome() == v1::PANEL_OUTCOME_UNSPECIFIED) {
    return status::InvalidArgument("report.outcome", "is required");
  }
  if (report.recommended_band_d_pence() < 0) {
    return status::InvalidArgument("report.recommended_band_d_pence", "must not be negative");
  }
  if (report.outcome() == v1::PANEL_OUTCOME_SUPPORTED && report.recommended_band_d_pence() != 0) {
    return status::InvalidArgument("report.recommended_band_d_pence",
                                   "a report that supports the proposal recommends no other "
                                   "precept; use SUPPORTED_WITH_RECOMMENDATIONS");
  }
  const absl::Time given =
      report.has_report_time() ? FromProto(report.report_time()) : absl::InfinitePast();
  MOOT_ASSIGN_OR_RETURN(absl::Time at, StepTime(given, now, "report.report_time"));
  *report.mutable_report_time() = ToProto(at);
  report.set_veto_lapsed(false);
  bool vetoed = false;
  if (veto) {
    if (report.vote().empty()) {
      return status::InvalidArgument("report.vote",
                                     "a veto must name its vote in the decisions register");
    }
    if (!vote.ok()) {
      return vote.status();
    }
    // Sch.5 para 4(4): two-thirds of the persons who are members at the time (§9 item 5).
    if (vote->rule != VoteRule::kTwoThirdsOfMembers) {
      return status::FailedPrecondition(
          kVetoVoteWrongRule, report.vote(),
          "a veto needs a vote taken under the two-thirds-of-members rule");
    }
    const int required = VetoVotesRequired(vote->member_count);
    if (!vote->carried || vote->member_count <= 0 || vote->votes_for < required) {
      return status::FailedPrecondition(
          kVetoVoteNotCarried, report.vote(),
          absl::StrCat("a veto needs ", required, " of the ", vote->member_count,
                       " members at the time to vote for it; the vote had ", vote->votes_for,
                       vote->carried ? "" : " and was not carried"));
    }
    // reg 4(2): a report after 8 February ends scrutiny; the veto lapses. The later of the
    // report's time and the register's time of the vote counts, so a veto cannot be backdated.
    const absl::Time decided = std::max(at, vote->decided_at);
    if (LondonDay(decided) > StepDeadline(FirstYearOf(p.year()), v1::TIMETABLE_STEP_PANEL_REPORT)) {
      report.set_veto_lapsed(true);
    } else {
      vetoed = true;
    }
  } else if (!report.vote().empty()) {
    return status::InvalidArgument("report.vote", "only a veto references a vote");
  }
  *p.mutable_report() = std::move(report);
  p.set_state(v1::PRECEPT_STATE_PANEL_REVIEWED);
  return vetoed;
}

// R-PR-05: after a veto the PCC responds with a revised precept (reg 5: by 15 February).
absl::Status Revise(v1::Precept& p, int64_t band_d_pence, absl::Time revise_time, absl::Time now) {
  if (p.state() != v1::PRECEPT_STATE_PANEL_REVIEWED) {
    return WrongState(p, "revise");
  }
  if (!IsVeto(p.report().outcome()) || p.report().veto_lapsed()) {
    return status::FailedPrecondition(kNoVeto, p.name(),
                                      "a revised precept follows only a veto (reg 5)");
  }
  MOOT_RETURN_IF_ERROR(CheckBandD(band_d_pence, "band_d_pence"));
  // reg 5(3): too high -> lower; too low -> higher.
  const bool too_high = p.report().outcome() == v1::PANEL_OUTCOME_VETOED_TOO_HIGH;
  if (too_high ? band_d_pence >= p.proposed_band_d_pence()
               : band_d_pence <= p.proposed_band_d_pence()) {
    return status::FailedPrecondition(
        kRevisedWrongDirection, p.name(),
        absl::StrCat("the panel vetoed the proposed Band D of ",
                     money::FormatPounds(p.proposed_band_d_pence()), " as too ",
                     too_high ? "high; the revised precept must be lower"
                              : "low; the revised precept must be higher",
                     " (reg 5(3)), not ", money::FormatPounds(band_d_pence)));
  }
  MOOT_ASSIGN_OR_RETURN(absl::Time at, StepTime(revise_time, now, "revise_time"));
  p.set_revised_band_d_pence(band_d_pence);
  *p.mutable_revised_time() = ToProto(at);
  p.set_state(v1::PRECEPT_STATE_REVISED_PROPOSED);
  return absl::OkStatus();
}

// R-PR-06: the panel reviews the revised precept and makes a second report, without a veto.
absl::Status RecordSecondReport(v1::Precept& p, v1::PanelReport report, absl::Time now) {
  if (IsVeto(report.outcome()) && p.state() != v1::PRECEPT_STATE_DRAFT &&
      p.state() != v1::PRECEPT_STATE_PROPOSED) {
    return status::FailedPrecondition(kSecondVetoNotAllowed, p.name(),
                                      "the panel has no second veto (R-PR-06)");
  }
  if (p.state() != v1::PRECEPT_STATE_REVISED_PROPOSED) {
    return WrongState(p, "record a second report on");
  }
  if (report.outcome() == v1::PANEL_OUTCOME_UNSPECIFIED) {
    return status::InvalidArgument("report.outcome", "is required");
  }
  if (!report.vote().empty()) {
    return status::InvalidArgument("report.vote", "only a veto references a vote");
  }
  if (report.recommended_band_d_pence() < 0 ||
      (report.outcome() == v1::PANEL_OUTCOME_SUPPORTED && report.recommended_band_d_pence() != 0)) {
    return status::InvalidArgument("report.recommended_band_d_pence",
                                   "only SUPPORTED_WITH_RECOMMENDATIONS recommends a precept");
  }
  const absl::Time given =
      report.has_report_time() ? FromProto(report.report_time()) : absl::InfinitePast();
  MOOT_ASSIGN_OR_RETURN(absl::Time at, StepTime(given, now, "report.report_time"));
  *report.mutable_report_time() = ToProto(at);
  *p.mutable_second_report() = std::move(report);
  p.set_state(v1::PRECEPT_STATE_SECOND_REPORT);
  return absl::OkStatus();
}

// R-PR-08 / R-PR-09: the PCC issues the precept (by 1 March), within the government's cap.
absl::Status Issue(v1::Precept& p, int64_t band_d_pence, absl::Time issue_time, absl::Time now) {
  MOOT_RETURN_IF_ERROR(CheckBandD(band_d_pence, "band_d_pence"));
  MOOT_ASSIGN_OR_RETURN(absl::Time at, StepTime(issue_time, now, "issue_time"));
  const auto different = [&](int64_t allowed, int64_t recommended, absl::string_view which) {
    return status::FailedPrecondition(
        kDifferentPreceptNotRecommended, p.name(),
        absl::StrCat("the PCC may issue the ", which, " Band D of ", money::FormatPounds(allowed),
                     recommended > 0
                         ? absl::StrCat(" or the recommended ", money::FormatPounds(recommended))
                         : std::string(" (the report recommended no other precept)"),
                     ", not ", money::FormatPounds(band_d_pence), " (Sch.5 para 5(3))"));
  };
  switch (p.state()) {
    case v1::PRECEPT_STATE_PANEL_REVIEWED: {
      const v1::PanelReport& r = p.report();
      if (IsVeto(r.outcome()) && !r.veto_lapsed()) {
        return status::FailedPrecondition(
            kRevisionRequired, p.name(),
            "the panel vetoed the proposed precept; the PCC must first revise it (reg 5)");
      }
      const int64_t recommended = r.outcome() == v1::PANEL_OUTCOME_SUPPORTED_WITH_RECOMMENDATIONS
                                      ? r.recommended_band_d_pence()
                                      : 0;
      if (band_d_pence != p.proposed_band_d_pence() &&
          (recommended == 0 || band_d_pence != recommended)) {
        return different(p.proposed_band_d_pence(), recommended, "proposed");
      }
      break;
    }
    case v1::PRECEPT_STATE_SECOND_REPORT: {
      const v1::PanelReport& r = p.second_report();
      const int64_t recommended = r.outcome() == v1::PANEL_OUTCOME_SUPPORTED_WITH_RECOMMENDATIONS
                                      ? r.recommended_band_d_pence()
                                      : 0;
      if (band_d_pence != p.revised_band_d_pence() &&
          (recommended == 0 || band_d_pence != recommended)) {
        return different(p.revised_band_d_pence(), recommended, "revised");
      }
      break;
    }
    case v1::PRECEPT_STATE_REVISED_PROPOSED: {
      // The panel did not make its second report by 22 February: the revised precept stands.
      if (LondonDay(at) <= StepDeadline(FirstYearOf(p.year()), v1::TIMETABLE_STEP_SECOND_REPORT)) {
        return WrongState(p, "issue (the panel's second report is due by 22 February)");
      }
      if (band_d_pence != p.revised_band_d_pence()) {
        return different(p.revised_band_d_pence(), 0, "revised");
      }
      break;
    }
    default:
      return WrongState(p, "issue");
  }
  // R-PR-09: the government caps the Band D increase; above it needs a referendum.
  const auto& in = p.inputs();
  if (in.prior_band_d_pence() > 0 && in.referendum_limit_pence() > 0 &&
      band_d_pence - in.prior_band_d_pence() > in.referendum_limit_pence()) {
    return status::FailedPrecondition(
        kReferendumLimit, p.name(),
        absl::StrCat("Band D ", money::FormatPounds(band_d_pence), " rises by ",
                     money::FormatPounds(band_d_pence - in.prior_band_d_pence()), " on ",
                     money::FormatPounds(in.prior_band_d_pence()),
                     ", above the year's referendum limit of ",
                     money::FormatPounds(in.referendum_limit_pence())));
  }
  p.set_issued_band_d_pence(band_d_pence);
  *p.mutable_issued_time() = ToProto(at);
  p.set_state(v1::PRECEPT_STATE_ISSUED);
  p.set_published(true);
  return absl::OkStatus();
}

}  // namespace moot::budget
