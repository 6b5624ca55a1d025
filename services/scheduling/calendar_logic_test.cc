#include "services/scheduling/calendar_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
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

class CalendarLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<CalendarLogic>(*db_, outbox_, clock_, ids_, tokens_);
    scheduling_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
    ASSERT_TRUE(scheduling_->Migrate().ok());
  }

  static v1::ComputeDeadlineRequest Request(const std::string& date, int days, v1::DayUnit unit) {
    v1::ComputeDeadlineRequest request;
    request.set_parent("tenants/wm");
    request.set_date(date);
    request.set_days(days);
    request.set_unit(unit);
    return request;
  }

  absl::Status AddClosure(const std::string& date, const auth::Principal& who = Officer()) {
    v1::CreateClosureRequest request;
    request.set_parent("tenants/wm");
    request.mutable_closure()->set_date(date);
    request.mutable_closure()->set_description("Council closure day");
    return logic_->CreateClosure(who, request).status();
  }

  std::vector<std::string> OutboxTypes() {
    std::vector<std::string> types;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT type FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       types.push_back(row.String(0));
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return types;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<CalendarLogic> logic_;
  std::unique_ptr<SchedulingLogic> scheduling_;
};

// Issue 3 point 1 through the RPC: R-PQ-01 (calendar days), R-PQ-02 (working days), R-MTG-09
// (clear working days), across Christmas, New Year, Easter and bank-holiday Mondays.
TEST_F(CalendarLogicTest, DeadlinesMatchTheWorkedExamples) {
  struct Case {
    std::string name;
    std::string meeting;
    int days;
    v1::DayUnit unit;
    std::string deadline;
    std::vector<std::string> skipped;
  };
  const std::vector<Case> cases = {
      {"R-PQ-01 Panel 4 days", "2023-11-13", 4, v1::DAY_UNIT_CALENDAR, "2023-11-09", {}},
      {"R-PQ-02 Board 7 working days", "2023-02-28", 7, v1::DAY_UNIT_WORKING, "2023-02-17", {}},
      {"R-MTG-09 five clear days", "2023-11-13", 5, v1::DAY_UNIT_CLEAR, "2023-11-03", {}},
      {"clear days across Christmas",
       "2023-12-28",
       5,
       v1::DAY_UNIT_CLEAR,
       "2023-12-18",
       {"2023-12-25 Christmas Day", "2023-12-26 Boxing Day"}},
      {"working days across New Year",
       "2024-01-08",
       7,
       v1::DAY_UNIT_WORKING,
       "2023-12-27",
       {"2024-01-01 New Year's Day"}},
      {"calendar days ignore Christmas", "2023-12-29", 4, v1::DAY_UNIT_CALENDAR, "2023-12-25", {}},
      {"working days across Easter",
       "2024-04-02",
       4,
       v1::DAY_UNIT_WORKING,
       "2024-03-25",
       {"2024-03-29 Good Friday", "2024-04-01 Easter Monday"}},
      {"Monday after a bank holiday",
       "2024-06-03",
       5,
       v1::DAY_UNIT_WORKING,
       "2024-05-24",
       {"2024-05-27 Spring bank holiday"}},
      {"the 2023 coronation holiday",
       "2023-05-09",
       1,
       v1::DAY_UNIT_WORKING,
       "2023-05-05",
       {"2023-05-08 Bank holiday for the coronation of King Charles III"}},
      {"zero working days is the meeting day",
       "2023-11-13",
       0,
       v1::DAY_UNIT_WORKING,
       "2023-11-13",
       {}},
  };
  for (const Case& c : cases) {
    auto response =
        logic_->ComputeDeadline(auth::Principal::Anonymous(), Request(c.meeting, c.days, c.unit));
    ASSERT_TRUE(response.ok()) << c.name << ": " << response.status();
    EXPECT_EQ(response->deadline_date(), c.deadline) << c.name;
    std::vector<std::string> skipped(response->skipped_holidays().begin(),
                                     response->skipped_holidays().end());
    // Names come from the shipped data; compare the dates and that a name follows.
    ASSERT_EQ(skipped.size(), c.skipped.size()) << c.name;
    for (size_t i = 0; i < skipped.size(); ++i) {
      EXPECT_EQ(skipped[i].substr(0, 11), c.skipped[i].substr(0, 11)) << c.name;
      EXPECT_GT(skipped[i].size(), 11u) << c.name;
    }
  }
}

TEST_F(CalendarLogicTest, DeadlineTimeIsTheCutoffInLondon) {
  auto gmt = logic_->ComputeDeadline(Officer(), Request("2023-11-13", 4, v1::DAY_UNIT_CALENDAR));
  ASSERT_TRUE(gmt.ok());
  EXPECT_EQ(TimeUtil::TimestampToSeconds(gmt->deadline_time()), 1699574340);  // 23:59 GMT.
  auto request = Request("2023-07-14", 4, v1::DAY_UNIT_CALENDAR);
  request.set_cutoff_time("12:00");
  auto bst = logic_->ComputeDeadline(Officer(), request);
  ASSERT_TRUE(bst.ok());
  EXPECT_EQ(bst->deadline_date(), "2023-07-10");
  // 12:00 BST is 11:00 UTC.
  EXPECT_EQ(TimeUtil::TimestampToSeconds(bst->deadline_time()), 1688986800);

  auto forward = Request("2023-11-09", 2, v1::DAY_UNIT_WORKING);
  forward.set_forward(true);
  auto after = logic_->ComputeDeadline(Officer(), forward);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->deadline_date(), "2023-11-13");
}

TEST_F(CalendarLogicTest, TenantClosureShiftsAWorkingDayDeadline) {
  ASSERT_TRUE(AddClosure("2023-02-20").ok());
  auto response =
      logic_->ComputeDeadline(Officer(), Request("2023-02-28", 7, v1::DAY_UNIT_WORKING));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->deadline_date(), "2023-02-16");
  EXPECT_THAT(response->skipped_holidays(), ElementsAre("2023-02-20 Council closure day"));
  // Without a tenant only the national calendar counts.
  auto national = Request("2023-02-28", 7, v1::DAY_UNIT_WORKING);
  national.clear_parent();
  auto plain = logic_->ComputeDeadline(auth::Principal::Anonymous(), national);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->deadline_date(), "2023-02-17");
}

TEST_F(CalendarLogicTest, BadInputNamesTheField) {
  struct Case {
    std::function<void(v1::ComputeDeadlineRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.set_date("2023-13-01"); }, "date"},
      {[](auto& r) { r.set_date("13/11/2023"); }, "date"},
      {[](auto& r) { r.set_days(-1); }, "days"},
      {[](auto& r) { r.set_days(367); }, "days"},
      {[](auto& r) { r.set_unit(v1::DAY_UNIT_UNSPECIFIED); }, "unit"},
      {[](auto& r) { r.set_cutoff_time("25:00"); }, "cutoff_time"},
      {[](auto& r) { r.set_parent("tenants/wm/x"); }, "parent"},
  };
  for (const auto& c : cases) {
    auto request = Request("2023-11-13", 4, v1::DAY_UNIT_CALENDAR);
    c.mutate(request);
    auto result = logic_->ComputeDeadline(Officer(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
  auto outside = logic_->ComputeDeadline(Officer(), Request("2035-01-10", 4, v1::DAY_UNIT_WORKING));
  EXPECT_EQ(outside.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(outside.status()), "CALENDAR_DATA_RANGE");
}

TEST_F(CalendarLogicTest, AccessToDeadlinesAndClosures) {
  // ComputeDeadline and ListClosures are public reads: anonymous callers are served, another
  // tenant's principal is not.
  EXPECT_TRUE(logic_
                  ->ComputeDeadline(auth::Principal::Anonymous(),
                                    Request("2023-11-13", 4, v1::DAY_UNIT_CALENDAR))
                  .ok());
  auto other =
      logic_->ComputeDeadline(Officer("other"), Request("2023-11-13", 4, v1::DAY_UNIT_CALENDAR));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(other.status()), "TENANT_MISMATCH");

  v1::ListClosuresRequest list;
  list.set_parent("tenants/wm");
  EXPECT_TRUE(logic_->ListClosures(auth::Principal::Anonymous(), list).ok());
  EXPECT_EQ(logic_->ListClosures(Member("other"), list).status().code(),
            absl::StatusCode::kPermissionDenied);

  // Writes: officers and tenant admins of the tenant only.
  EXPECT_EQ(Reason(AddClosure("2023-02-20", Member())), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(AddClosure("2023-02-20", Officer("other"))), "TENANT_MISMATCH");
  EXPECT_EQ(AddClosure("2023-02-20", auth::Principal::Anonymous()).code(),
            absl::StatusCode::kUnauthenticated);
  auth::Principal admin{.tenant = "wm", .subject = "user:a", .roles = {auth::Role::kTenantAdmin}};
  ASSERT_TRUE(AddClosure("2023-02-20", admin).ok());

  v1::DeleteClosureRequest del;
  del.set_name("tenants/wm/closures/2023-02-20");
  EXPECT_EQ(Reason(logic_->DeleteClosure(Member(), del).status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(logic_->DeleteClosure(Officer("other"), del).status()), "TENANT_MISMATCH");
  EXPECT_TRUE(logic_->DeleteClosure(Officer(), del).ok());
}

TEST_F(CalendarLogicTest, ClosuresAreCreatedListedAndDeleted) {
  EXPECT_EQ(Field(AddClosure("2023-02-30")), "closure.date");
  EXPECT_EQ(Field(AddClosure("2040-01-02")), "closure.date");
  v1::CreateClosureRequest no_text;
  no_text.set_parent("tenants/wm");
  no_text.mutable_closure()->set_date("2023-02-20");
  EXPECT_EQ(Field(logic_->CreateClosure(Officer(), no_text).status()), "closure.description");

  for (const char* date : {"2023-12-27", "2023-02-20", "2023-08-01"}) {
    ASSERT_TRUE(AddClosure(date).ok()) << date;
  }
  EXPECT_EQ(AddClosure("2023-02-20").code(), absl::StatusCode::kAlreadyExists);

  // Idempotent create with a request id.
  v1::CreateClosureRequest retry;
  retry.set_parent("tenants/wm");
  retry.set_request_id("r1");
  retry.mutable_closure()->set_date("2024-12-24");
  retry.mutable_closure()->set_description("Christmas Eve closure");
  auto first = logic_->CreateClosure(Officer(), retry);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->name(), "tenants/wm/closures/2024-12-24");
  auto again = logic_->CreateClosure(Officer(), retry);
  ASSERT_TRUE(again.ok()) << again.status();

  std::vector<std::string> dates;
  v1::ListClosuresRequest list;
  list.set_parent("tenants/wm");
  list.set_page_size(3);
  int pages = 0;
  do {
    auto page = logic_->ListClosures(Officer(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& c : page->closures()) {
      dates.push_back(c.date());
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 5);
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(dates, ElementsAre("2023-02-20", "2023-08-01", "2023-12-27", "2024-12-24"));

  v1::DeleteClosureRequest del;
  del.set_name("tenants/wm/closures/2023-08-01");
  auto removed = logic_->DeleteClosure(Officer(), del);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(removed->date(), "2023-08-01");
  EXPECT_EQ(logic_->DeleteClosure(Officer(), del).status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(OutboxTypes(), ElementsAre("calendar.closure_created", "calendar.closure_created",
                                         "calendar.closure_created", "calendar.closure_created",
                                         "calendar.closure_deleted"));
}

TEST_F(CalendarLogicTest, ClosuresMoveTheDeadlinesOfOpenMeetings) {
  v1::CreateBodyRequest body;
  body.set_parent("tenants/wm");
  body.set_body_id("spcb");
  body.mutable_body()->set_display_name("Strategic Policing and Crime Board");
  body.mutable_body()->set_kind(v1::BODY_KIND_BOARD);
  ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
  v1::CreateMeetingRequest meeting;
  meeting.set_parent("tenants/wm/bodies/spcb");
  meeting.set_meeting_id("2023-02-28");
  meeting.mutable_meeting()->set_title("Strategic Policing and Crime Board");
  *meeting.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(1677578400);
  auto created = scheduling_->CreateMeeting(Officer(), meeting);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->question_deadline_date(), "2023-02-17");  // R-PQ-02.
  EXPECT_EQ(TimeUtil::TimestampToSeconds(created->question_deadline()), 1676678340);

  ASSERT_TRUE(AddClosure("2023-02-20").ok());
  v1::GetMeetingRequest get;
  get.set_name("tenants/wm/bodies/spcb/meetings/2023-02-28");
  auto read = scheduling_->GetMeeting(Officer(), get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->question_deadline_date(), "2023-02-16");

  v1::DeleteClosureRequest del;
  del.set_name("tenants/wm/closures/2023-02-20");
  ASSERT_TRUE(logic_->DeleteClosure(Officer(), del).ok());
  read = scheduling_->GetMeeting(Officer(), get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->question_deadline_date(), "2023-02-17");
  EXPECT_THAT(read->status_reason(), IsEmpty());
}

}  // namespace
}  // namespace moot::scheduling
