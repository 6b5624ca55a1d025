#include "services/scheduling/scheduling_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;

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

class SchedulingLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
  }

  v1::Body CreatePanel(const std::string& id = "pcp") {
    v1::CreateBodyRequest request;
    request.set_parent("tenants/wm");
    request.set_body_id(id);
    request.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
    request.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
    auto body = logic_->CreateBody(Officer(), request);
    EXPECT_TRUE(body.ok()) << body.status();
    return body.ok() ? *body : v1::Body();
  }

  v1::CreateMeetingRequest MeetingRequest(const std::string& id, int64_t start_unix) {
    v1::CreateMeetingRequest request;
    request.set_parent("tenants/wm/bodies/pcp");
    request.set_meeting_id(id);
    request.mutable_meeting()->set_title("Police and Crime Panel");
    *request.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(start_unix);
    return request;
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

  // 2023-11-13 14:00 Europe/London (GMT) = 14:00 UTC.
  static constexpr int64_t kNov13 = 1699884000;

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> logic_;
};

TEST_F(SchedulingLogicTest, OfficerCreatesBodyAndAnyoneReadsIt) {
  v1::Body body = CreatePanel();
  EXPECT_EQ(body.name(), "tenants/wm/bodies/pcp");
  EXPECT_EQ(body.etag(), "1");
  EXPECT_EQ(TimeUtil::TimestampToSeconds(body.create_time()), 1699000000);

  v1::GetBodyRequest get;
  get.set_name("tenants/wm/bodies/pcp");
  auto anonymous = logic_->GetBody(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(anonymous.ok()) << anonymous.status();
  EXPECT_EQ(anonymous->display_name(), "West Midlands Police and Crime Panel");

  v1::ListBodiesRequest list;
  list.set_parent("tenants/wm");
  auto listed = logic_->ListBodies(Member(), list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->bodies_size(), 1);
}

TEST_F(SchedulingLogicTest, AccessIsCheckedBeforeAnyLookup) {
  CreatePanel();
  v1::GetBodyRequest get;
  get.set_name("tenants/wm/bodies/pcp");
  auto other = logic_->GetBody(Officer("other"), get);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(other.status()), "TENANT_MISMATCH");
  // Another tenant gets the same answer for a body that does not exist: nothing leaks.
  get.set_name("tenants/wm/bodies/nope");
  EXPECT_EQ(logic_->GetBody(Officer("other"), get).status().code(),
            absl::StatusCode::kPermissionDenied);

  v1::CreateBodyRequest create;
  create.set_parent("tenants/wm");
  create.set_body_id("board");
  create.mutable_body()->set_display_name("Board");
  create.mutable_body()->set_kind(v1::BODY_KIND_BOARD);
  auto by_member = logic_->CreateBody(Member(), create);
  EXPECT_EQ(by_member.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(by_member.status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(logic_->CreateBody(auth::Principal::Anonymous(), create).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(SchedulingLogicTest, BadInputNamesTheField) {
  struct Case {
    std::function<void(v1::CreateBodyRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.set_body_id("Bad_Id"); }, "body_id"},
      {[](auto& r) { r.mutable_body()->clear_display_name(); }, "body.display_name"},
      {[](auto& r) { r.mutable_body()->set_display_name(std::string(201, 'x')); },
       "body.display_name"},
      {[](auto& r) { r.mutable_body()->set_kind(v1::BODY_KIND_UNSPECIFIED); }, "body.kind"},
      {[](auto& r) { r.mutable_body()->set_parent_body("tenants/wm/bodies/pcp"); },
       "body.parent_body"},
      {[](auto& r) { r.set_parent("tenants/wm/extra"); }, "parent"},
  };
  for (const auto& c : cases) {
    v1::CreateBodyRequest request;
    request.set_parent("tenants/wm");
    request.set_body_id("board");
    request.mutable_body()->set_display_name("Board");
    request.mutable_body()->set_kind(v1::BODY_KIND_BOARD);
    c.mutate(request);
    auto result = logic_->CreateBody(Officer(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
}

TEST_F(SchedulingLogicTest, DuplicateBodyIsAlreadyExistsAndRetryIsIdempotent) {
  CreatePanel();
  v1::CreateBodyRequest again;
  again.set_parent("tenants/wm");
  again.set_body_id("pcp");
  again.mutable_body()->set_display_name("Again");
  again.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
  EXPECT_EQ(logic_->CreateBody(Officer(), again).status().code(), absl::StatusCode::kAlreadyExists);

  again.set_body_id("board");
  again.set_request_id("req-1");
  auto first = logic_->CreateBody(Officer(), again);
  ASSERT_TRUE(first.ok());
  clock_.Advance(absl::Minutes(1));
  auto retry = logic_->CreateBody(Officer(), again);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  again.mutable_body()->set_display_name("Changed");
  EXPECT_EQ(Reason(logic_->CreateBody(Officer(), again).status()), "REQUEST_ID_REUSED");
}

TEST_F(SchedulingLogicTest, SubGroupNeedsAnExistingParentBody) {
  CreatePanel();
  v1::CreateBodyRequest request;
  request.set_parent("tenants/wm");
  request.set_body_id("budget-sub-group");
  request.mutable_body()->set_display_name("Budget Sub-Group");
  request.mutable_body()->set_kind(v1::BODY_KIND_SUB_GROUP);
  request.mutable_body()->set_parent_body("tenants/wm/bodies/nope");
  // R-SG-02: the remit is defined up front.
  request.mutable_body()->set_terms_of_reference("tenants/wm/documents/budget-sub-group-tor");
  request.mutable_body()->set_end_date("2024-03-31");
  request.mutable_body()->set_reports_to("tenants/wm/bodies/pcp");
  EXPECT_EQ(logic_->CreateBody(Officer(), request).status().code(), absl::StatusCode::kNotFound);
  request.mutable_body()->set_parent_body("tenants/wm/bodies/pcp");
  EXPECT_TRUE(logic_->CreateBody(Officer(), request).ok());
}

TEST_F(SchedulingLogicTest, MeetingIsScheduledWithLocalDateAndEvent) {
  CreatePanel();
  auto meeting = logic_->CreateMeeting(Officer(), MeetingRequest("2023-11-13", kNov13));
  ASSERT_TRUE(meeting.ok()) << meeting.status();
  EXPECT_EQ(meeting->name(), "tenants/wm/bodies/pcp/meetings/2023-11-13");
  EXPECT_EQ(meeting->status(), v1::MEETING_STATUS_SCHEDULED);
  EXPECT_EQ(meeting->kind(), v1::MEETING_KIND_ORDINARY);
  EXPECT_EQ(meeting->local_date(), "2023-11-13");
  EXPECT_THAT(OutboxTypes(), ElementsAre("meeting.scheduled"));

  // 23:30 UTC on 30 June is already 1 July in London (BST).
  auto late = logic_->CreateMeeting(Officer(), MeetingRequest("late", 1688167800));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->local_date(), "2023-07-01");
}

TEST_F(SchedulingLogicTest, MeetingValidation) {
  CreatePanel();
  auto request = MeetingRequest("m1", kNov13);
  *request.mutable_meeting()->mutable_end_time() = TimeUtil::SecondsToTimestamp(kNov13 - 60);
  auto ends_early = logic_->CreateMeeting(Officer(), request);
  EXPECT_EQ(ends_early.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Field(ends_early.status()), "meeting.end_time");

  auto no_start = MeetingRequest("m1", kNov13);
  no_start.mutable_meeting()->clear_start_time();
  EXPECT_EQ(Field(logic_->CreateMeeting(Officer(), no_start).status()), "meeting.start_time");

  auto no_body = MeetingRequest("m1", kNov13);
  no_body.set_parent("tenants/wm/bodies/unknown");
  EXPECT_EQ(logic_->CreateMeeting(Officer(), no_body).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(logic_->CreateMeeting(Member(), MeetingRequest("m1", kNov13)).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(OutboxTypes().empty());
}

TEST_F(SchedulingLogicTest, ListMeetingsPagesInStartOrder) {
  CreatePanel();
  // Created out of order; listed by start time.
  for (int i : {3, 1, 4, 0, 2}) {
    auto request = MeetingRequest(absl::StrCat("m", i), kNov13 + i * 86400);
    ASSERT_TRUE(logic_->CreateMeeting(Officer(), request).ok());
  }
  std::vector<std::string> names;
  v1::ListMeetingsRequest list;
  list.set_parent("tenants/wm/bodies/pcp");
  list.set_page_size(2);
  int pages = 0;
  do {
    auto page = logic_->ListMeetings(auth::Principal::Anonymous(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& m : page->meetings()) {
      names.push_back(m.name().substr(m.name().rfind('/') + 1));
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(names, ElementsAre("m0", "m1", "m2", "m3", "m4"));

  list.set_page_size(5000);
  EXPECT_EQ(Field(logic_->ListMeetings(Officer(), list).status()), "page_size");

  // A token from one body is refused for another.
  v1::ListMeetingsRequest first;
  first.set_parent("tenants/wm/bodies/pcp");
  first.set_page_size(1);
  auto page = logic_->ListMeetings(Officer(), first);
  ASSERT_TRUE(page.ok());
  CreatePanel("board");
  v1::ListMeetingsRequest other;
  other.set_parent("tenants/wm/bodies/board");
  other.set_page_token(page->next_page_token());
  EXPECT_EQ(Field(logic_->ListMeetings(Officer(), other).status()), "page_token");
}

TEST_F(SchedulingLogicTest, PublishAgendaVersionsAndEmitsEvents) {
  CreatePanel();
  ASSERT_TRUE(logic_->CreateMeeting(Officer(), MeetingRequest("2023-11-13", kNov13)).ok());
  v1::PublishAgendaRequest publish;
  publish.set_name("tenants/wm/bodies/pcp/meetings/2023-11-13");
  clock_.Advance(absl::Hours(1));
  auto first = logic_->PublishAgenda(Officer(), publish);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->status(), v1::MEETING_STATUS_AGENDA_PUBLISHED);
  EXPECT_EQ(first->agenda_version(), 1);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(first->agenda_publish_time()), 1699003600);
  // Nothing changed since version 1: no empty supplement (agenda_publication_test covers
  // supplements).
  auto second = logic_->PublishAgenda(Officer(), publish);
  EXPECT_EQ(Reason(second.status()), "AGENDA_UNCHANGED");
  EXPECT_THAT(OutboxTypes(), ElementsAre("meeting.scheduled", "agenda.published"));

  v1::GetMeetingRequest get;
  get.set_name(publish.name());
  auto read = logic_->GetMeeting(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->agenda_version(), 1);

  publish.set_name("tenants/wm/bodies/pcp/meetings/nope");
  EXPECT_EQ(logic_->PublishAgenda(Officer(), publish).status().code(), absl::StatusCode::kNotFound);
  publish.set_name("tenants/wm/bodies/pcp/meetings/2023-11-13");
  EXPECT_EQ(logic_->PublishAgenda(Member(), publish).status().code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace moot::scheduling
