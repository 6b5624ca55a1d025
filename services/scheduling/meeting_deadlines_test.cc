#include "services/scheduling/meeting_deadlines.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "libs/time/clock.h"

namespace moot::scheduling {
namespace {

google::protobuf::Timestamp At(int y, int m, int d, int hh, int mm) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), time::London())));
  return ts;
}

struct Case {
  const char* what;
  v1::BodyKind kind;
  int y, m, d;
  const char* publication;
  const char* question;
};

// R-PQ-01 (Panel, 4 calendar days), R-PQ-02 (Board, 7 working days), R-MTG-09 (5 clear working
// days) with the defaults of domain.md §9.
TEST(MeetingDeadlinesTest, DefaultsByKind) {
  const Case cases[] = {
      // Panel, Mon 13 Nov 2023: questions by Thu 9 Nov; papers out by Fri 3 Nov (5 clear working
      // days: 6, 7, 8, 9, 10 Nov lie between).
      {"panel 13 Nov 2023", v1::BODY_KIND_PANEL, 2023, 11, 13, "2023-11-03", "2023-11-09"},
      // Board, Tue 28 Feb 2023: questions by Fri 17 Feb (seven working days).
      {"board 28 Feb 2023", v1::BODY_KIND_BOARD, 2023, 2, 28, "2023-02-20", "2023-02-17"},
      // Panel, Mon 8 Jan 2024 across Christmas and New Year: clear working days 2, 3, 4, 5 Jan
      // and 29 Dec; the deadline is Thu 28 Dec.
      {"panel across Christmas", v1::BODY_KIND_PANEL, 2024, 1, 8, "2023-12-28", "2024-01-04"},
  };
  calendar::HolidayCalendar cal;
  for (const Case& c : cases) {
    v1::Body body;
    body.set_kind(c.kind);
    v1::Meeting meeting;
    *meeting.mutable_start_time() = At(c.y, c.m, c.d, 14, 0);
    ASSERT_TRUE(FillMeetingDeadlines(cal, body, meeting).ok()) << c.what;
    EXPECT_EQ(meeting.publication_deadline_date(), c.publication) << c.what;
    EXPECT_EQ(meeting.question_deadline_date(), c.question) << c.what;
  }
}

TEST(MeetingDeadlinesTest, CutoffIsLondonTimeAcrossDst) {
  calendar::HolidayCalendar cal;
  v1::Body body;
  body.set_kind(v1::BODY_KIND_PANEL);
  body.mutable_rules()->mutable_public_question_deadline()->set_days(4);
  body.mutable_rules()->mutable_public_question_deadline()->set_unit(v1::DAY_UNIT_CALENDAR);
  body.mutable_rules()->mutable_public_question_deadline()->set_cutoff_time("12:00");
  v1::Meeting meeting;
  // Meeting Mon 1 Apr 2024 (BST); deadline Thu 28 Mar 2024 12:00 GMT = 12:00 UTC.
  *meeting.mutable_start_time() = At(2024, 4, 1, 14, 0);
  ASSERT_TRUE(FillMeetingDeadlines(cal, body, meeting).ok());
  EXPECT_EQ(meeting.question_deadline_date(), "2024-03-28");
  EXPECT_EQ(meeting.question_deadline().seconds(),
            absl::ToUnixSeconds(
                absl::FromCivil(absl::CivilSecond(2024, 3, 28, 12, 0, 0), absl::UTCTimeZone())));
}

TEST(MeetingDeadlinesTest, ValidatesRules) {
  v1::DeadlineRule rule;
  rule.set_days(-1);
  rule.set_unit(v1::DAY_UNIT_WORKING);
  EXPECT_NE(ValidateDeadlineRule(rule, "rules.agenda_publication").message().find("days"),
            std::string::npos);
  rule.set_days(3);
  rule.set_unit(v1::DAY_UNIT_UNSPECIFIED);
  EXPECT_EQ(ValidateDeadlineRule(rule, "r").code(), absl::StatusCode::kInvalidArgument);
  rule.set_unit(v1::DAY_UNIT_CLEAR);
  for (const char* bad : {"24:00", "9:00", "ab:cd", "12:60"}) {
    rule.set_cutoff_time(bad);
    EXPECT_EQ(ValidateDeadlineRule(rule, "r").code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  rule.set_cutoff_time("09:30");
  EXPECT_TRUE(ValidateDeadlineRule(rule, "r").ok());
}

TEST(MeetingDeadlinesTest, DefaultsKeepWhatIsSet) {
  v1::BodyRules rules;
  rules.mutable_agenda_publication()->set_days(3);
  rules.mutable_agenda_publication()->set_unit(v1::DAY_UNIT_WORKING);
  v1::BodyRules filled = WithDefaults(v1::BODY_KIND_PANEL, rules);
  EXPECT_EQ(filled.agenda_publication().days(), 3);
  EXPECT_EQ(filled.agenda_publication().cutoff_time(), "23:59");
  EXPECT_EQ(filled.public_question_deadline().days(), 4);
  EXPECT_EQ(filled.minute_numbering(), v1::MINUTE_NUMBERING_RUNNING_INT);
  EXPECT_EQ(DefaultRules(v1::BODY_KIND_PANEL).standing_agenda_size(), 9);
  EXPECT_EQ(DefaultRules(v1::BODY_KIND_BOARD).minute_numbering(),
            v1::MINUTE_NUMBERING_SEQ_PER_YEAR);
  EXPECT_TRUE(DefaultRules(v1::BODY_KIND_BOARD).one_question_per_person());
}

}  // namespace
}  // namespace moot::scheduling
