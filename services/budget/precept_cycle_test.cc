#include "services/budget/precept_cycle.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "libs/status/errors.h"
#include "libs/status/macros.h"
#include "libs/time/clock.h"

namespace moot::budget {
namespace {

absl::Time London(int y, int m, int d, int hh = 12, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), time::London());
}

std::string Reason(const absl::Status& s) { return status::Details(s).reason; }

v1::Precept Draft() {
  v1::Precept p;
  p.set_name("tenants/wm/precepts/2024-25");
  p.set_year("2024-25");
  p.set_state(v1::PRECEPT_STATE_DRAFT);
  p.set_band_d_pence(21755);
  p.mutable_inputs()->set_prior_band_d_pence(20255);
  p.mutable_inputs()->set_referendum_limit_pence(1500);
  return p;
}

VoteRecord Vote(int for_votes, int members, bool carried = true,
                VoteRule rule = VoteRule::kTwoThirdsOfMembers) {
  return {.name = "tenants/wm/bodies/pcp/meetings/2024-02-05/votes/1",
          .rule = rule,
          .carried = carried,
          .votes_for = for_votes,
          .votes_against = members - for_votes,
          .member_count = members,
          .decided_at = London(2024, 2, 5)};
}

v1::PanelReport Report(v1::PanelOutcome outcome, int64_t recommended = 0,
                       absl::Time at = London(2024, 2, 5)) {
  v1::PanelReport r;
  r.set_outcome(outcome);
  r.set_recommended_band_d_pence(recommended);
  if (IsVeto(outcome)) {
    r.set_vote("tenants/wm/bodies/pcp/meetings/2024-02-05/votes/1");
  }
  r.mutable_report_time()->set_seconds(absl::ToUnixSeconds(at));
  return r;
}

const absl::Time kNow = London(2024, 3, 10);
const absl::StatusOr<VoteRecord> kNoVote = absl::NotFoundError("no vote");

// domain.md §3.7 worked calendar for the 2024/25 precept.
TEST(PreceptCycleTest, TimetableOf2024To25) {
  v1::Precept p = Draft();
  v1::PlannedMeeting* report = p.add_planned_meetings();
  report->set_step(v1::TIMETABLE_STEP_PANEL_REPORT);
  report->set_date("2024-02-05");
  v1::PlannedMeeting* second = p.add_planned_meetings();
  second->set_step(v1::TIMETABLE_STEP_SECOND_REPORT);
  second->set_date("2024-02-19");
  second->set_provisional(true);
  const auto t = ComputeTimetable(p, calendar::HolidayCalendar());
  EXPECT_EQ(t.relevant_financial_year(), "2023-24");
  struct Row {
    v1::TimetableStep step;
    std::string date;
    std::string weekday;
    v1::MeetingCheck check;
    int slack;
  };
  const std::vector<Row> rows = {
      {v1::TIMETABLE_STEP_PCC_NOTIFY, "2024-02-01", "Thursday", v1::MEETING_CHECK_NOT_NEEDED, 0},
      {v1::TIMETABLE_STEP_PANEL_REPORT, "2024-02-08", "Thursday", v1::MEETING_CHECK_IN_TIME, 3},
      {v1::TIMETABLE_STEP_REVISED_PRECEPT, "2024-02-15", "Thursday", v1::MEETING_CHECK_NOT_NEEDED,
       0},
      {v1::TIMETABLE_STEP_SECOND_REPORT, "2024-02-22", "Thursday", v1::MEETING_CHECK_IN_TIME, 3},
      {v1::TIMETABLE_STEP_ISSUE, "2024-03-01", "Friday", v1::MEETING_CHECK_NOT_NEEDED, 0},
  };
  ASSERT_EQ(t.entries_size(), 5);
  for (int i = 0; i < 5; ++i) {
    const auto& e = t.entries(i);
    EXPECT_EQ(e.step(), rows[i].step);
    EXPECT_EQ(e.deadline_date(), rows[i].date);
    EXPECT_EQ(e.weekday(), rows[i].weekday);
    EXPECT_EQ(e.check(), rows[i].check) << rows[i].date;
    EXPECT_EQ(e.slack_days(), rows[i].slack) << rows[i].date;
    EXPECT_TRUE(e.working_day());
  }
  // The deadline is the end of the day in London (GMT in February).
  EXPECT_EQ(t.entries(1).deadline().seconds(),
            absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2024, 2, 9), time::London())) - 1);
  EXPECT_TRUE(t.entries(2).only_if_vetoed());

  // 2023/24: the Panel met Mon 6 Feb 2023 (in time); the final decision was due Wed 1 Mar 2023.
  // A meeting after 8 February is too late; no meeting at all is flagged.
  p.set_year("2023-24");
  p.mutable_planned_meetings(0)->set_date("2023-02-09");
  p.mutable_planned_meetings()->RemoveLast();
  const auto late = ComputeTimetable(p, calendar::HolidayCalendar());
  EXPECT_EQ(late.entries(1).check(), v1::MEETING_CHECK_TOO_LATE);
  EXPECT_EQ(late.entries(1).slack_days(), -1);
  EXPECT_EQ(late.entries(3).check(), v1::MEETING_CHECK_NO_MEETING);
  EXPECT_EQ(late.entries(4).deadline_date(), "2023-03-01");
  EXPECT_EQ(late.entries(4).weekday(), "Wednesday");
  // 1 February 2025 is a Saturday: shown as not a working day (the law does not move it).
  p.set_year("2025-26");
  EXPECT_FALSE(ComputeTimetable(p, calendar::HolidayCalendar()).entries(0).working_day());
}

TEST(PreceptCycleTest, SupportedPathIssuesTheProposedPrecept) {
  v1::Precept p = Draft();
  ASSERT_TRUE(Propose(p, 0, London(2024, 1, 31), kNow).ok());
  EXPECT_EQ(p.state(), v1::PRECEPT_STATE_PROPOSED);
  EXPECT_EQ(p.proposed_band_d_pence(), 21755);  // from the model's Band D
  auto vetoed = RecordReport(p, Report(v1::PANEL_OUTCOME_SUPPORTED), kNoVote, kNow);
  ASSERT_TRUE(vetoed.ok()) << vetoed.status();
  EXPECT_FALSE(*vetoed);
  EXPECT_EQ(p.state(), v1::PRECEPT_STATE_PANEL_REVIEWED);
  // Without a recommendation, only the proposed precept may be issued (Sch.5 para 5(3)).
  auto different = Issue(p, 21700, absl::InfinitePast(), kNow);
  EXPECT_EQ(Reason(different), kDifferentPreceptNotRecommended);
  ASSERT_TRUE(Issue(p, 21755, absl::InfinitePast(), kNow).ok());
  EXPECT_EQ(p.state(), v1::PRECEPT_STATE_ISSUED);
  EXPECT_TRUE(p.published());
  EXPECT_EQ(Reason(Issue(p, 21755, absl::InfinitePast(), kNow)), kPreceptState);
}

TEST(PreceptCycleTest, ARecommendedDifferentPreceptMayBeIssued) {
  v1::Precept p = Draft();
  ASSERT_TRUE(Propose(p, 21755, absl::InfinitePast(), kNow).ok());
  ASSERT_TRUE(RecordReport(p, Report(v1::PANEL_OUTCOME_SUPPORTED_WITH_RECOMMENDATIONS, 21500),
                           kNoVote, kNow)
                  .ok());
  EXPECT_EQ(Reason(Issue(p, 21600, absl::InfinitePast(), kNow)), kDifferentPreceptNotRecommended);
  ASSERT_TRUE(Issue(p, 21500, absl::InfinitePast(), kNow).ok());
  EXPECT_EQ(p.issued_band_d_pence(), 21500);
}

TEST(PreceptCycleTest, VetoRevisionSecondReportAndIssue) {
  v1::Precept p = Draft();
  ASSERT_TRUE(Propose(p, 21755, absl::InfinitePast(), kNow).ok());
  auto vetoed = RecordReport(p, Report(v1::PANEL_OUTCOME_VETOED_TOO_HIGH), Vote(11, 16), kNow);
  ASSERT_TRUE(vetoed.ok()) << vetoed.status();
  EXPECT_TRUE(*vetoed);
  // After a veto the proposed precept cannot be issued as it stands.
  EXPECT_EQ(Reason(Issue(p, 21755, absl::InfinitePast(), kNow)), kRevisionRequired);
  ASSERT_TRUE(Revise(p, 21255, London(2024, 2, 14), kNow).ok());
  EXPECT_EQ(p.state(), v1::PRECEPT_STATE_REVISED_PROPOSED);
  // R-PR-06: no second veto.
  EXPECT_EQ(Reason(RecordSecondReport(p, Report(v1::PANEL_OUTCOME_VETOED_TOO_HIGH), kNow)),
            kSecondVetoNotAllowed);
  ASSERT_TRUE(
      RecordSecondReport(p, Report(v1::PANEL_OUTCOME_SUPPORTED, 0, London(2024, 2, 19)), kNow)
          .ok());
  EXPECT_EQ(p.state(), v1::PRECEPT_STATE_SECOND_REPORT);
  EXPECT_EQ(Reason(Issue(p, 21755, absl::InfinitePast(), kNow)), kDifferentPreceptNotRecommended);
  ASSERT_TRUE(Issue(p, 21255, London(2024, 2, 29), kNow).ok());
  EXPECT_EQ(p.issued_band_d_pence(), 21255);
}

TEST(PreceptCycleTest, Guards) {
  struct Case {
    std::string name;
    std::function<absl::Status(v1::Precept&)> steps;
    std::string reason;  // "" = OK
  };
  const auto proposed = [](v1::Precept& p) {
    return Propose(p, 21755, absl::InfinitePast(), kNow);
  };
  const auto veto = [&](v1::PanelOutcome o, VoteRecord v, absl::Time at = London(2024, 2, 5)) {
    return [=](v1::Precept& p) -> absl::Status {
      MOOT_RETURN_IF_ERROR(proposed(p));
      return RecordReport(p, Report(o, 0, at), v, kNow).status();
    };
  };
  const std::vector<Case> cases = {
      // Sch.5 para 4(4) / §9 item 5: ceil(2N/3) of the members at the time.
      {"11 of 16 carries", veto(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, Vote(11, 16)), ""},
      {"10 of 16 is short", veto(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, Vote(10, 16)),
       kVetoVoteNotCarried},
      {"10 of 15 carries", veto(v1::PANEL_OUTCOME_VETOED_TOO_LOW, Vote(10, 15)), ""},
      {"9 of 14 is short", veto(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, Vote(9, 14)),
       kVetoVoteNotCarried},
      {"8 of 12 carries", veto(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, Vote(8, 12)), ""},
      {"not carried", veto(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, Vote(12, 16, false)),
       kVetoVoteNotCarried},
      {"simple majority rule",
       veto(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, Vote(16, 16, true, VoteRule::kSimpleMajority)),
       kVetoVoteWrongRule},
      {"second veto",
       [&](v1::Precept& p) -> absl::Status {
         MOOT_RETURN_IF_ERROR(veto(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, Vote(11, 16))(p));
         return RecordReport(p, Report(v1::PANEL_OUTCOME_VETOED_TOO_HIGH), Vote(11, 16), kNow)
             .status();
       },
       kSecondVetoNotAllowed},
      {"revised too high after too high",
       [&](v1::Precept& p) -> absl::Status {
         MOOT_RETURN_IF_ERROR(veto(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, Vote(11, 16))(p));
         return Revise(p, 21755, absl::InfinitePast(), kNow);
       },
       kRevisedWrongDirection},
      {"revised lower after too low",
       [&](v1::Precept& p) -> absl::Status {
         MOOT_RETURN_IF_ERROR(veto(v1::PANEL_OUTCOME_VETOED_TOO_LOW, Vote(11, 16))(p));
         return Revise(p, 21000, absl::InfinitePast(), kNow);
       },
       kRevisedWrongDirection},
      {"revised higher after too low",
       [&](v1::Precept& p) -> absl::Status {
         MOOT_RETURN_IF_ERROR(veto(v1::PANEL_OUTCOME_VETOED_TOO_LOW, Vote(11, 16))(p));
         return Revise(p, 21900, absl::InfinitePast(), kNow);
       },
       ""},
      {"revision without a veto",
       [&](v1::Precept& p) -> absl::Status {
         MOOT_RETURN_IF_ERROR(proposed(p));
         MOOT_RETURN_IF_ERROR(
             RecordReport(p, Report(v1::PANEL_OUTCOME_SUPPORTED), kNoVote, kNow).status());
         return Revise(p, 21000, absl::InfinitePast(), kNow);
       },
       kNoVeto},
      {"report before proposal",
       [&](v1::Precept& p) {
         return RecordReport(p, Report(v1::PANEL_OUTCOME_SUPPORTED), kNoVote, kNow).status();
       },
       kPreceptState},
      {"propose twice",
       [&](v1::Precept& p) -> absl::Status {
         MOOT_RETURN_IF_ERROR(proposed(p));
         return proposed(p);
       },
       kPreceptState},
      {"issue a draft", [&](v1::Precept& p) { return Issue(p, 21755, absl::InfinitePast(), kNow); },
       kPreceptState},
      {"issue above the referendum limit",
       [&](v1::Precept& p) -> absl::Status {
         p.mutable_inputs()->set_referendum_limit_pence(1000);
         MOOT_RETURN_IF_ERROR(proposed(p));
         MOOT_RETURN_IF_ERROR(
             RecordReport(p, Report(v1::PANEL_OUTCOME_SUPPORTED), kNoVote, kNow).status());
         return Issue(p, 21755, absl::InfinitePast(), kNow);
       },
       kReferendumLimit},
      {"revised precept issued when the second report is overdue",
       [&](v1::Precept& p) -> absl::Status {
         MOOT_RETURN_IF_ERROR(veto(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, Vote(11, 16))(p));
         MOOT_RETURN_IF_ERROR(Revise(p, 21255, absl::InfinitePast(), kNow));
         return Issue(p, 21255, London(2024, 2, 23), kNow);
       },
       ""},
      {"revised precept before the second report is due",
       [&](v1::Precept& p) -> absl::Status {
         MOOT_RETURN_IF_ERROR(veto(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, Vote(11, 16))(p));
         MOOT_RETURN_IF_ERROR(Revise(p, 21255, absl::InfinitePast(), kNow));
         return Issue(p, 21255, London(2024, 2, 22, 23, 0), kNow);
       },
       kPreceptState},
  };
  for (const auto& c : cases) {
    v1::Precept p = Draft();
    absl::Status s = c.steps(p);
    if (c.reason.empty()) {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << c.name << ": " << s;
      EXPECT_EQ(Reason(s), c.reason) << c.name;
    }
  }
}

// reg 4(2): a veto reported after 8 February lapses; the PCC may issue the proposed precept.
TEST(PreceptCycleTest, VetoAfter8FebruaryLapses) {
  struct Case {
    absl::Time at;
    bool lapsed;
  };
  const std::vector<Case> cases = {{London(2024, 2, 8, 23, 59), false},
                                   {London(2024, 2, 9, 0, 0), true},
                                   {London(2024, 2, 5), false},
                                   {London(2024, 2, 20), true}};
  for (const auto& c : cases) {
    v1::Precept p = Draft();
    ASSERT_TRUE(Propose(p, 21755, absl::InfinitePast(), kNow).ok());
    VoteRecord vote = Vote(11, 16);
    vote.decided_at = c.at - absl::Hours(1);
    auto vetoed = RecordReport(p, Report(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, 0, c.at), vote, kNow);
    ASSERT_TRUE(vetoed.ok()) << vetoed.status();
    EXPECT_EQ(*vetoed, !c.lapsed) << absl::FormatTime(c.at);
    EXPECT_EQ(p.report().veto_lapsed(), c.lapsed);
    if (c.lapsed) {
      EXPECT_EQ(Reason(Revise(p, 21000, absl::InfinitePast(), kNow)), kNoVeto);
      EXPECT_TRUE(Issue(p, 21755, absl::InfinitePast(), kNow).ok());
    }
  }
  // A report dated 5 February for a vote the register dates 9 February cannot save the veto.
  v1::Precept p = Draft();
  ASSERT_TRUE(Propose(p, 21755, London(2024, 1, 31), kNow).ok());
  VoteRecord late_vote = Vote(11, 16);
  late_vote.decided_at = London(2024, 2, 9);
  auto backdated = RecordReport(p, Report(v1::PANEL_OUTCOME_VETOED_TOO_HIGH, 0, London(2024, 2, 5)),
                                late_vote, kNow);
  ASSERT_TRUE(backdated.ok());
  EXPECT_FALSE(*backdated);
  EXPECT_TRUE(p.report().veto_lapsed());
  // The timetable marks a step done after its deadline.
  const auto t = ComputeTimetable(p, calendar::HolidayCalendar());
  EXPECT_FALSE(t.entries(0).done_late());
  EXPECT_FALSE(t.entries(1).done_late());  // the report itself is dated 5 February
  p.mutable_proposed_time()->set_seconds(absl::ToUnixSeconds(London(2024, 2, 2)));
  EXPECT_TRUE(ComputeTimetable(p, calendar::HolidayCalendar()).entries(0).done_late());
}

TEST(PreceptCycleTest, BadInputNamesTheField) {
  v1::Precept p = Draft();
  p.set_band_d_pence(0);
  EXPECT_EQ(status::Details(Propose(p, 0, absl::InfinitePast(), kNow)).field_violations[0].field,
            "band_d_pence");
  EXPECT_EQ(status::Details(Propose(p, 100, kNow + absl::Hours(1), kNow)).field_violations[0].field,
            "notify_time");
  ASSERT_TRUE(Propose(p, 21755, absl::InfinitePast(), kNow).ok());
  v1::PanelReport no_vote = Report(v1::PANEL_OUTCOME_VETOED_TOO_HIGH);
  no_vote.clear_vote();
  EXPECT_EQ(status::Details(RecordReport(p, no_vote, Vote(11, 16), kNow).status())
                .field_violations[0]
                .field,
            "report.vote");
  EXPECT_EQ(status::Details(RecordReport(p, v1::PanelReport(), kNoVote, kNow).status())
                .field_violations[0]
                .field,
            "report.outcome");
  EXPECT_EQ(status::Details(
                RecordReport(p, Report(v1::PANEL_OUTCOME_SUPPORTED, 100), kNoVote, kNow).status())
                .field_violations[0]
                .field,
            "report.recommended_band_d_pence");
  EXPECT_EQ(p.state(), v1::PRECEPT_STATE_PROPOSED);  // nothing changed
}

}  // namespace
}  // namespace moot::budget
