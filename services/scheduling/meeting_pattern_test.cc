// R-MTG-05 (a body's regular meeting pattern, ProposeMeetings, the off-pattern warning) and
// R-MTG-06 (the webcast warning).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "moot/events/v1/event.pb.h"
#include "services/scheduling/calendar_store.h"
#include "services/scheduling/meeting_pattern.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}
std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}
std::vector<std::string> Codes(const google::protobuf::RepeatedPtrField<std::string>& warnings) {
  std::vector<std::string> codes;
  for (const std::string& w : warnings) {
    codes.push_back(w.substr(0, w.find(':')));
  }
  return codes;
}

// The Board's 2019 rule: "10am on the third Tuesday of each month at Lloyd House".
v1::MeetingPattern BoardPattern() {
  v1::MeetingPattern p;
  p.set_weekday(v1::WEEKDAY_TUESDAY);
  p.set_ordinal(3);
  p.set_start_time("10:00");
  p.set_duration_minutes(180);
  p.set_venue("Lloyd House, Birmingham");
  p.set_title("Strategic Policing and Crime Board");
  return p;
}

TEST(MeetingPatternTest, DayInMonth) {
  struct Case {
    v1::Weekday weekday;
    int ordinal;
    std::vector<int> months;
    absl::CivilMonth month;
    std::string expected;  // Empty: the pattern skips the month.
  };
  const std::vector<Case> cases = {
      // §2.3: 20 Dec 2022 is the third Tuesday; 24 Jan and 28 Feb 2023 are fourth Tuesdays.
      {v1::WEEKDAY_TUESDAY, 3, {}, absl::CivilMonth(2022, 12), "2022-12-20"},
      {v1::WEEKDAY_TUESDAY, 3, {}, absl::CivilMonth(2023, 1), "2023-01-17"},
      {v1::WEEKDAY_TUESDAY, 4, {}, absl::CivilMonth(2023, 1), "2023-01-24"},
      {v1::WEEKDAY_TUESDAY, 4, {}, absl::CivilMonth(2023, 2), "2023-02-28"},
      // "Last": 31 Jan 2023 is a fifth Tuesday; in February the last is the fourth.
      {v1::WEEKDAY_TUESDAY, -1, {}, absl::CivilMonth(2023, 1), "2023-01-31"},
      {v1::WEEKDAY_TUESDAY, -1, {}, absl::CivilMonth(2023, 2), "2023-02-28"},
      // A month starting on the weekday itself: 1 May 2023 is a Monday.
      {v1::WEEKDAY_MONDAY, 1, {}, absl::CivilMonth(2023, 5), "2023-05-01"},
      {v1::WEEKDAY_SUNDAY, -1, {}, absl::CivilMonth(2024, 3), "2024-03-31"},
      // Only the months listed.
      {v1::WEEKDAY_MONDAY, 2, {1, 3}, absl::CivilMonth(2024, 3), "2024-03-11"},
      {v1::WEEKDAY_MONDAY, 2, {1, 3}, absl::CivilMonth(2024, 2), ""},
  };
  for (const Case& c : cases) {
    v1::MeetingPattern p;
    p.set_weekday(c.weekday);
    p.set_ordinal(c.ordinal);
    p.set_start_time("14:00");
    for (int m : c.months) {
      p.add_months(m);
    }
    SCOPED_TRACE(absl::StrCat(DescribePattern(p), " in ", absl::FormatCivilTime(c.month)));
    auto day = PatternDayInMonth(p, c.month);
    EXPECT_EQ(day.has_value() ? absl::FormatCivilTime(*day) : "", c.expected);
  }
  EXPECT_EQ(DescribePattern(BoardPattern()), "the third Tuesday of each month at 10:00");
}

TEST(MeetingPatternTest, Validation) {
  struct Case {
    std::function<void(v1::MeetingPattern&)> mutate;
    std::string field;  // Empty: valid.
  };
  const std::vector<Case> cases = {
      {[](v1::MeetingPattern&) {}, ""},
      {[](v1::MeetingPattern& p) { p.set_ordinal(-1); }, ""},
      {[](v1::MeetingPattern& p) { p.add_months(12); }, ""},
      {[](v1::MeetingPattern& p) { p.set_weekday(v1::WEEKDAY_UNSPECIFIED); }, "p.weekday"},
      {[](v1::MeetingPattern& p) { p.set_weekday(static_cast<v1::Weekday>(8)); }, "p.weekday"},
      {[](v1::MeetingPattern& p) { p.set_ordinal(0); }, "p.ordinal"},
      {[](v1::MeetingPattern& p) { p.set_ordinal(5); }, "p.ordinal"},
      {[](v1::MeetingPattern& p) { p.set_ordinal(-2); }, "p.ordinal"},
      {[](v1::MeetingPattern& p) { p.set_start_time(""); }, "p.start_time"},
      {[](v1::MeetingPattern& p) { p.set_start_time("10am"); }, "p.start_time"},
      {[](v1::MeetingPattern& p) { p.set_start_time("24:00"); }, "p.start_time"},
      {[](v1::MeetingPattern& p) { p.set_start_time("9:30"); }, "p.start_time"},
      {[](v1::MeetingPattern& p) { p.set_duration_minutes(-1); }, "p.duration_minutes"},
      {[](v1::MeetingPattern& p) { p.set_duration_minutes(721); }, "p.duration_minutes"},
      {[](v1::MeetingPattern& p) { p.add_months(13); }, "p.months"},
      {[](v1::MeetingPattern& p) { p.add_months(0); }, "p.months"},
      {[](v1::MeetingPattern& p) {
         p.add_months(3);
         p.add_months(3);
       },
       "p.months"},
      {[](v1::MeetingPattern& p) { p.set_venue(std::string(501, 'v')); }, "p.venue"},
      {[](v1::MeetingPattern& p) { p.set_title(std::string(201, 't')); }, "p.title"},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(n++);
    v1::MeetingPattern p = BoardPattern();
    c.mutate(p);
    absl::Status status = ValidateMeetingPattern(p, "p");
    if (c.field.empty()) {
      EXPECT_TRUE(status.ok()) << status;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(Field(status), c.field);
    }
  }
}

class ProposeMeetingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
    v1::CreateBodyRequest request;
    request.set_parent("tenants/wm");
    request.set_body_id("spcb");
    request.mutable_body()->set_display_name("Strategic Policing and Crime Board");
    request.mutable_body()->set_kind(v1::BODY_KIND_BOARD);
    *request.mutable_body()->mutable_rules()->mutable_meeting_pattern() = BoardPattern();
    request.mutable_body()->mutable_rules()->set_public_meetings_webcast(true);
    auto body = logic_->CreateBody(Officer(), request);
    ASSERT_TRUE(body.ok()) << body.status();
  }

  absl::StatusOr<v1::ProposeMeetingsResponse> Propose(const auth::Principal& who, bool create,
                                                      const std::string& request_id = "") {
    v1::ProposeMeetingsRequest request;
    request.set_parent("tenants/wm/bodies/spcb");
    request.set_municipal_year("2024/25");
    request.set_create(create);
    request.set_request_id(request_id);
    return logic_->ProposeMeetings(who, request);
  }

  absl::Status SetPattern(const v1::MeetingPattern& pattern) {
    v1::UpdateBodyRequest update;
    update.mutable_body()->set_name("tenants/wm/bodies/spcb");
    *update.mutable_body()->mutable_rules()->mutable_meeting_pattern() = pattern;
    update.mutable_update_mask()->add_paths("rules.meeting_pattern");
    return logic_->UpdateBody(Officer(), update).status();
  }

  int OutboxSize() {
    int n = 0;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT COUNT(*) FROM outbox");
                     if (!r.ok()) {
                       return r.status();
                     }
                     n = static_cast<int>(r->rows[0].Int(0));
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1704067200)};  // 1 Jan 2024.
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> logic_;
};

TEST_F(ProposeMeetingsTest, ProposesTheYearFromThePattern) {
  const int before = OutboxSize();
  auto proposed = Propose(Officer(), /*create=*/false);
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  std::vector<std::string> dates;
  for (const auto& m : proposed->meetings()) {
    dates.push_back(m.local_date());
  }
  // The third Tuesdays of May 2024 .. April 2025 (AGB: 17 Dec 2024 is one).
  EXPECT_THAT(dates, ElementsAre("2024-05-21", "2024-06-18", "2024-07-16", "2024-08-20",
                                 "2024-09-17", "2024-10-15", "2024-11-19", "2024-12-17",
                                 "2025-01-21", "2025-02-18", "2025-03-18", "2025-04-15"));
  const v1::Meeting& dec = proposed->meetings(7);
  EXPECT_EQ(dec.name(), "tenants/wm/bodies/spcb/meetings/2024-12-17");
  EXPECT_EQ(dec.title(), "Strategic Policing and Crime Board");
  EXPECT_EQ(dec.venue(), "Lloyd House, Birmingham");
  EXPECT_EQ(dec.status(), v1::MEETING_STATUS_DRAFT);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(dec.start_time()), 1734429600);  // 10:00 GMT.
  EXPECT_EQ(TimeUtil::TimestampToSeconds(dec.end_time()), 1734429600 + 3 * 3600);
  // BST in summer: 10:00 in London is 09:00 UTC.
  EXPECT_EQ(TimeUtil::TimestampToSeconds(proposed->meetings(0).start_time()), 1716282000);
  EXPECT_FALSE(dec.question_deadline_date().empty());
  EXPECT_FALSE(proposed->created());
  EXPECT_THAT(proposed->skipped(), IsEmpty());
  EXPECT_EQ(OutboxSize(), before);  // Nothing stored, no events.
}

TEST_F(ProposeMeetingsTest, SkipsBankHolidaysClosuresAndExistingMeetings) {
  // The last Monday: 27 May 2024 (Spring bank holiday), 26 Aug 2024 (Summer bank holiday).
  v1::MeetingPattern last_monday = BoardPattern();
  last_monday.set_weekday(v1::WEEKDAY_MONDAY);
  last_monday.set_ordinal(-1);
  last_monday.set_start_time("14:00");
  ASSERT_TRUE(SetPattern(last_monday).ok());
  ASSERT_TRUE(db_->Transact([](sql::Connection& tx) {
                   v1::Closure closure;
                   closure.set_name("tenants/wm/closures/2024-12-30");
                   closure.set_date("2024-12-30");
                   closure.set_description("Council closure day");
                   return CalendarStore::InsertClosure(tx, "wm", closure);
                 })
                  .ok());
  v1::CreateMeetingRequest existing;
  existing.set_parent("tenants/wm/bodies/spcb");
  existing.set_meeting_id("january");
  existing.mutable_meeting()->set_title("Strategic Policing and Crime Board");
  *existing.mutable_meeting()->mutable_start_time() =
      TimeUtil::SecondsToTimestamp(1738000800);  // 2025-01-27 18:00 GMT.
  ASSERT_TRUE(logic_->CreateMeeting(Officer(), existing).ok());

  auto proposed = Propose(Officer(), /*create=*/false);
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  std::vector<std::pair<std::string, std::string>> skipped;
  for (const auto& s : proposed->skipped()) {
    skipped.emplace_back(s.date(), s.reason());
  }
  using P = std::pair<std::string, std::string>;
  EXPECT_THAT(skipped,
              ElementsAre(P{"2024-05-27", "BANK_HOLIDAY"}, P{"2024-08-26", "BANK_HOLIDAY"},
                          P{"2024-12-30", "CLOSURE_DAY"}, P{"2025-01-27", "MEETING_EXISTS"}));
  EXPECT_EQ(proposed->meetings_size(), 8);
  for (const auto& m : proposed->meetings()) {
    EXPECT_NE(m.local_date(), "2024-05-27");
  }
}

TEST_F(ProposeMeetingsTest, CreatesDraftsIdempotently) {
  const int before = OutboxSize();
  auto created = Propose(Officer(), /*create=*/true, "year-2024");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->created());
  ASSERT_EQ(created->meetings_size(), 12);
  EXPECT_EQ(created->meetings(0).etag(), "1");
  EXPECT_EQ(OutboxSize(), before + 12);  // A private meeting.drafted each.
  v1::GetMeetingRequest get;
  get.set_name("tenants/wm/bodies/spcb/meetings/2024-05-21");
  auto draft = logic_->GetMeeting(Officer(), get);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->status(), v1::MEETING_STATUS_DRAFT);
  // The public does not see drafts.
  EXPECT_EQ(logic_->GetMeeting(auth::Principal::Anonymous(), get).status().code(),
            absl::StatusCode::kNotFound);

  // A retry returns the same result and stores nothing more.
  auto retry = Propose(Officer(), /*create=*/true, "year-2024");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->meetings_size(), 12);
  EXPECT_EQ(OutboxSize(), before + 12);
  // A new request finds every day taken.
  auto again = Propose(Officer(), /*create=*/true);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->meetings_size(), 0);
  EXPECT_EQ(again->skipped_size(), 12);
}

TEST_F(ProposeMeetingsTest, AccessAndErrors) {
  // Wrong tenant, wrong role (officers plan the year), anonymous.
  EXPECT_EQ(Reason(Propose(Officer("other"), false).status()), "TENANT_MISMATCH");
  EXPECT_EQ(Propose(Member(), /*create=*/true).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Propose(Member(), /*create=*/false).status().code(),
            absl::StatusCode::kPermissionDenied);
  auth::Principal finance{.tenant = "wm", .subject = "user:f", .roles = {auth::Role::kPccOffice}};
  EXPECT_EQ(Propose(finance, false).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Propose(auth::Principal::Anonymous(), false).status().code(),
            absl::StatusCode::kUnauthenticated);

  v1::ProposeMeetingsRequest bad;
  bad.set_parent("tenants/wm/bodies/spcb");
  bad.set_municipal_year("2024");
  EXPECT_EQ(Field(logic_->ProposeMeetings(Officer(), bad).status()), "municipal_year");
  bad.set_municipal_year("2024/25");
  bad.set_parent("tenants/wm/bodies/none");
  EXPECT_EQ(logic_->ProposeMeetings(Officer(), bad).status().code(), absl::StatusCode::kNotFound);

  // A body without a pattern.
  v1::CreateBodyRequest panel;
  panel.set_parent("tenants/wm");
  panel.set_body_id("pcp");
  panel.mutable_body()->set_display_name("Police and Crime Panel");
  panel.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
  ASSERT_TRUE(logic_->CreateBody(Officer(), panel).ok());
  bad.set_parent("tenants/wm/bodies/pcp");
  EXPECT_EQ(Reason(logic_->ProposeMeetings(Officer(), bad).status()), "NO_MEETING_PATTERN");

  // The pattern is validated on the body's rules.
  v1::MeetingPattern wrong = BoardPattern();
  wrong.set_ordinal(5);
  EXPECT_EQ(Field(SetPattern(wrong)), "body.rules.meeting_pattern.ordinal");
}

// R-MTG-05 WARN and R-MTG-06: an ordinary meeting off the pattern, a public meeting without a
// webcast URL.
TEST_F(ProposeMeetingsTest, MeetingWarnings) {
  struct Case {
    std::string id;
    int64_t start;
    v1::MeetingKind kind;
    std::string webcast_url;
    bool draft;
    std::vector<std::string> warnings;
  };
  const std::vector<Case> cases = {
      // 17 Dec 2024 10:00 GMT: the third Tuesday at 10:00, webcast.
      {"on", 1734429600, v1::MEETING_KIND_ORDINARY, "https://westmidspcc.public-i.tv/x", false, {}},
      // 28 Jan 2025: a fourth Tuesday, as the 2023 dates were (§2.3).
      {"fourth",
       1738058400,
       v1::MEETING_KIND_ORDINARY,
       "https://westmidspcc.public-i.tv/x",
       false,
       {"MEETING_OFF_PATTERN"}},
      // The right day at 14:00.
      {"afternoon",
       1734444000,
       v1::MEETING_KIND_ORDINARY,
       "https://westmidspcc.public-i.tv/x",
       false,
       {"MEETING_OFF_PATTERN"}},
      // An extraordinary meeting is off the cycle by nature; no webcast URL.
      {"extra", 1738058400, v1::MEETING_KIND_EXTRAORDINARY, "", false, {"WEBCAST_URL_MISSING"}},
      {"both",
       1738058400,
       v1::MEETING_KIND_ORDINARY,
       "",
       false,
       {"MEETING_OFF_PATTERN", "WEBCAST_URL_MISSING"}},
      // A draft is not a public meeting yet.
      {"draft", 1734429600, v1::MEETING_KIND_ORDINARY, "", true, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    v1::CreateMeetingRequest request;
    request.set_parent("tenants/wm/bodies/spcb");
    request.set_meeting_id(c.id);
    request.mutable_meeting()->set_title("Strategic Policing and Crime Board");
    request.mutable_meeting()->set_kind(c.kind);
    request.mutable_meeting()->set_webcast_url(c.webcast_url);
    if (c.draft) {
      request.mutable_meeting()->set_status(v1::MEETING_STATUS_DRAFT);
    }
    *request.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(c.start);
    auto meeting = logic_->CreateMeeting(Officer(), request);
    ASSERT_TRUE(meeting.ok()) << meeting.status();
    EXPECT_EQ(Codes(meeting->warnings()), c.warnings);
  }
  // A warning is only a warning; adding the URL clears it, and the draft gets it when it is
  // scheduled.
  v1::UpdateMeetingRequest update;
  update.mutable_meeting()->set_name("tenants/wm/bodies/spcb/meetings/extra");
  update.mutable_meeting()->set_webcast_url("https://westmidspcc.public-i.tv/y");
  update.mutable_update_mask()->add_paths("webcast_url");
  auto updated = logic_->UpdateMeeting(Officer(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_THAT(updated->warnings(), IsEmpty());
  v1::TransitionMeetingRequest schedule;
  schedule.set_name("tenants/wm/bodies/spcb/meetings/draft");
  schedule.set_status(v1::MEETING_STATUS_SCHEDULED);
  auto scheduled = logic_->TransitionMeeting(Officer(), schedule);
  ASSERT_TRUE(scheduled.ok()) << scheduled.status();
  EXPECT_THAT(Codes(scheduled->warnings()), ElementsAre("WEBCAST_URL_MISSING"));
  EXPECT_THAT(scheduled->warnings(0), HasSubstr("R-MTG-06"));
  // Rescheduling onto the pattern's day clears the off-pattern warning.
  v1::RescheduleMeetingRequest move;
  move.set_name("tenants/wm/bodies/spcb/meetings/fourth");
  *move.mutable_start_time() = TimeUtil::SecondsToTimestamp(1737453600);  // 2025-01-21 10:00.
  move.set_reason("Back to the third Tuesday");
  auto moved = logic_->RescheduleMeeting(Officer(), move);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_THAT(moved->warnings(), IsEmpty());

  // A new pattern (the fourth Tuesday, as in 2023) re-warns the open meetings off it.
  v1::MeetingPattern fourth = BoardPattern();
  fourth.set_ordinal(4);
  ASSERT_TRUE(SetPattern(fourth).ok());
  v1::GetMeetingRequest get;
  get.set_name("tenants/wm/bodies/spcb/meetings/fourth");  // Now on 21 January, a third Tuesday.
  auto reread = logic_->GetMeeting(Officer(), get);
  ASSERT_TRUE(reread.ok());
  EXPECT_THAT(Codes(reread->warnings()), ElementsAre("MEETING_OFF_PATTERN"));
  get.set_name("tenants/wm/bodies/spcb/meetings/on");  // 17 December 2024, a third Tuesday.
  reread = logic_->GetMeeting(Officer(), get);
  ASSERT_TRUE(reread.ok());
  EXPECT_THAT(Codes(reread->warnings()), ElementsAre("MEETING_OFF_PATTERN"));
}

}  // namespace
}  // namespace moot::scheduling
