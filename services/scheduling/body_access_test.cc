// Members read the drafts of their own bodies only (issue 3 point 11): MaySeeDrafts and the read
// paths that use it (GetMeeting, ListMeetings, the working agenda).
#include "services/scheduling/body_access.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/scheduling/agenda_logic.h"
#include "services/scheduling/people_logic.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

auth::Principal Officer() {
  return {.tenant = "wm", .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal Admin() {
  return {.tenant = "wm", .subject = "user:admin", .roles = {auth::Role::kTenantAdmin}};
}
auth::Principal MemberAs(const std::string& subject) {
  return {.tenant = "wm", .subject = subject, .roles = {auth::Role::kMember}};
}

// 2023-11-13 and 2023-12-11, 14:00 GMT.
constexpr int64_t kNov13 = 1699884000;
constexpr int64_t kDec11 = 1702303200;
constexpr char kDraft[] = "tenants/wm/bodies/pcp/meetings/draft";
constexpr char kScheduled[] = "tenants/wm/bodies/pcp/meetings/2023-12-11";
constexpr char kSubGroupDraft[] = "tenants/wm/bodies/budget/meetings/draft";

// Who is asking, and what they should see of the panel (pcp).
struct Caller {
  std::string label;
  auth::Principal principal;
  bool drafts;          // DRAFT meetings of the panel.
  bool working_agenda;  // The unpublished (working) agenda of the panel's meetings.
};

std::vector<Caller> Callers() {
  return {
      {"MemberOfTheBody", MemberAs("user:alice"), true, true},
      {"MemberOfAnotherBody", MemberAs("user:bob"), false, false},
      {"MembershipEnded", MemberAs("user:carol"), false, false},
      {"MemberWithoutLinkedPerson", MemberAs("user:nobody"), false, false},
      {"Officer", Officer(), true, true},
      // Tenant admins see drafts; the working agenda stays with officers and the body's members,
      // as before this change.
      {"TenantAdmin", Admin(), true, false},
      {"Anonymous", auth::Principal::Anonymous(), false, false},
  };
}

class BodyAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    scheduling_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    people_ = std::make_unique<PeopleLogic>(*db_, outbox_, clock_, ids_, tokens_);
    agenda_ = std::make_unique<AgendaLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(scheduling_->Migrate().ok());
    ASSERT_TRUE(people_->Migrate().ok());
    ASSERT_TRUE(agenda_->Migrate().ok());

    CreateBody("pcp", v1::BODY_KIND_PANEL);
    CreateBody("board", v1::BODY_KIND_BOARD);
    CreateBody("budget", v1::BODY_KIND_SUB_GROUP);
    // alice sits on the panel and its budget sub-group; bob on the board only; carol left the
    // panel before today (2023-11-03); dave sits on the panel but not the sub-group; erin and
    // frank (no account) complete the sub-group.
    CreatePerson("alice", "user:alice");
    CreatePerson("bob", "user:bob");
    CreatePerson("carol", "user:carol");
    CreatePerson("dave", "user:dave");
    CreatePerson("erin", "");
    CreatePerson("frank", "");
    Seat("pcp", "alice", "2020-01-01");
    Seat("budget", "alice", "2023-06-01");
    Seat("board", "bob", "2020-01-01");
    Seat("pcp", "carol", "2020-01-01", "2023-10-31");
    Seat("pcp", "dave", "2020-01-01");
    Seat("pcp", "erin", "2020-01-01");
    Seat("budget", "erin", "2023-06-01");
    Seat("pcp", "frank", "2020-01-01");
    Seat("budget", "frank", "2023-06-01");

    CreateMeeting("pcp", "draft", kNov13, v1::MEETING_STATUS_DRAFT);
    CreateMeeting("pcp", "2023-12-11", kDec11, v1::MEETING_STATUS_UNSPECIFIED);
    CreateMeeting("budget", "draft", kNov13, v1::MEETING_STATUS_DRAFT);
  }

  void CreateBody(const std::string& id, v1::BodyKind kind) {
    v1::CreateBodyRequest request;
    request.set_parent("tenants/wm");
    request.set_body_id(id);
    request.mutable_body()->set_display_name(absl::StrCat("Body ", id));
    request.mutable_body()->set_kind(kind);
    if (kind == v1::BODY_KIND_SUB_GROUP) {
      request.mutable_body()->set_parent_body("tenants/wm/bodies/pcp");
      request.mutable_body()->set_terms_of_reference("tenants/wm/documents/budget-tor");
      request.mutable_body()->set_end_date("2024-03-31");
      request.mutable_body()->set_reports_to("tenants/wm/bodies/pcp");
    }
    auto body = scheduling_->CreateBody(Officer(), request);
    ASSERT_TRUE(body.ok()) << body.status();
  }

  void CreatePerson(const std::string& id, const std::string& subject) {
    v1::CreatePersonRequest request;
    request.set_parent("tenants/wm");
    request.set_person_id(id);
    request.mutable_person()->set_display_name(absl::StrCat("Cllr ", id));
    request.mutable_person()->set_member_type(v1::MEMBER_TYPE_COUNCILLOR);
    request.mutable_person()->set_user_subject(subject);
    auto person = people_->CreatePerson(Officer(), request);
    ASSERT_TRUE(person.ok()) << person.status();
  }

  void Seat(const std::string& body, const std::string& person, const std::string& start,
            const std::string& end = "") {
    v1::CreateMembershipRequest request;
    request.set_parent(absl::StrCat("tenants/wm/bodies/", body));
    request.mutable_membership()->set_person(absl::StrCat("tenants/wm/people/", person));
    request.mutable_membership()->set_start_date(start);
    request.mutable_membership()->set_end_date(end);
    auto membership = people_->CreateMembership(Officer(), request);
    ASSERT_TRUE(membership.ok()) << membership.status();
  }

  void CreateMeeting(const std::string& body, const std::string& id, int64_t start,
                     v1::MeetingStatus status) {
    v1::CreateMeetingRequest request;
    request.set_parent(absl::StrCat("tenants/wm/bodies/", body));
    request.set_meeting_id(id);
    request.mutable_meeting()->set_title("Meeting");
    request.mutable_meeting()->set_status(status);
    *request.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(start);
    auto meeting = scheduling_->CreateMeeting(Officer(), request);
    ASSERT_TRUE(meeting.ok()) << meeting.status();
  }

  void AddItem(const std::string& meeting, int number) {
    v1::CreateAgendaItemRequest request;
    request.set_parent(meeting);
    request.mutable_agenda_item()->set_number(number);
    request.mutable_agenda_item()->set_title(absl::StrCat("ITEM ", number));
    auto item = agenda_->CreateAgendaItem(Officer(), request);
    ASSERT_TRUE(item.ok()) << item.status();
  }

  absl::StatusOr<bool> Drafts(const auth::Principal& principal, const std::string& body,
                              absl::CivilDay on) {
    absl::StatusOr<bool> result = false;
    absl::Status status = db_->WithConnection([&](sql::Connection& conn) -> absl::Status {
      result = MaySeeDrafts(conn, principal, "wm", body, on);
      return absl::OkStatus();
    });
    if (!status.ok()) {
      return status;
    }
    return result;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};  // 2023-11-03 08:26 GMT.
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> scheduling_;
  std::unique_ptr<PeopleLogic> people_;
  std::unique_ptr<AgendaLogic> agenda_;
};

TEST_F(BodyAccessTest, GetMeetingShowsADraftOnlyToThoseWhoMaySeeTheBodysDrafts) {
  for (const Caller& c : Callers()) {
    v1::GetMeetingRequest request;
    request.set_name(kDraft);
    auto meeting = scheduling_->GetMeeting(c.principal, request);
    if (c.drafts) {
      ASSERT_TRUE(meeting.ok()) << c.label << ": " << meeting.status();
      EXPECT_EQ(meeting->status(), v1::MEETING_STATUS_DRAFT) << c.label;
    } else {
      // The same answer as for a meeting that does not exist: the draft does not leak.
      EXPECT_EQ(meeting.status().code(), absl::StatusCode::kNotFound) << c.label;
    }
    request.set_name(kScheduled);
    EXPECT_TRUE(scheduling_->GetMeeting(c.principal, request).ok()) << c.label;
  }
}

TEST_F(BodyAccessTest, ListMeetingsListsDraftsOnlyForThoseWhoMaySeeTheBodysDrafts) {
  for (const Caller& c : Callers()) {
    v1::ListMeetingsRequest request;
    request.set_parent("tenants/wm/bodies/pcp");
    auto listed = scheduling_->ListMeetings(c.principal, request);
    ASSERT_TRUE(listed.ok()) << c.label << ": " << listed.status();
    std::vector<std::string> names;
    for (const auto& m : listed->meetings()) {
      names.push_back(m.name());
    }
    if (c.drafts) {
      EXPECT_THAT(names, ::testing::UnorderedElementsAre(kDraft, kScheduled)) << c.label;
    } else {
      EXPECT_THAT(names, ::testing::ElementsAre(kScheduled)) << c.label;
    }
  }
}

TEST_F(BodyAccessTest, PageTokensDoNotCarryDraftAccessToAnotherCaller) {
  v1::ListMeetingsRequest request;
  request.set_parent("tenants/wm/bodies/pcp");
  request.set_page_size(1);
  auto first = scheduling_->ListMeetings(MemberAs("user:alice"), request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  EXPECT_EQ(scheduling_->ListMeetings(MemberAs("user:bob"), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(BodyAccessTest, WorkingAgendaOnlyForOfficersAndTheBodysMembersOthersSeeThePublished) {
  AddItem(kScheduled, 1);
  v1::PublishAgendaRequest publish;
  publish.set_name(kScheduled);
  auto published = scheduling_->PublishAgenda(Officer(), publish);
  ASSERT_TRUE(published.ok()) << published.status();
  AddItem(kScheduled, 2);  // In the working agenda only.
  AddItem(kDraft, 1);

  for (const Caller& c : Callers()) {
    v1::ListAgendaItemsRequest list;
    list.set_parent(kScheduled);
    auto listed = agenda_->ListAgendaItems(c.principal, list);
    ASSERT_TRUE(listed.ok()) << c.label << ": " << listed.status();
    EXPECT_EQ(listed->agenda_items_size(), c.working_agenda ? 2 : 1) << c.label;
    EXPECT_EQ(listed->agenda_version(), c.working_agenda ? 0 : 1) << c.label;

    v1::GetAgendaItemRequest get;
    get.set_name(absl::StrCat(kScheduled, "/agendaItems/2"));
    auto item = agenda_->GetAgendaItem(c.principal, get);
    if (c.working_agenda) {
      EXPECT_TRUE(item.ok()) << c.label << ": " << item.status();
    } else {
      EXPECT_EQ(item.status().code(), absl::StatusCode::kNotFound) << c.label;
    }

    // The agenda of a draft meeting is as invisible as the meeting.
    list.set_parent(kDraft);
    auto draft = agenda_->ListAgendaItems(c.principal, list);
    if (c.drafts) {
      EXPECT_TRUE(draft.ok()) << c.label << ": " << draft.status();
    } else {
      EXPECT_EQ(draft.status().code(), absl::StatusCode::kNotFound) << c.label;
    }
  }
}

TEST_F(BodyAccessTest, SubGroupDraftsNeedMembershipOfTheSubGroupItself) {
  struct Case {
    std::string subject;
    bool visible;
  };
  for (const Case& c : std::vector<Case>{{"user:alice", true},    // Panel and sub-group.
                                         {"user:dave", false},    // Panel only.
                                         {"user:bob", false}}) {  // Another body.
    v1::GetMeetingRequest request;
    request.set_name(kSubGroupDraft);
    auto meeting = scheduling_->GetMeeting(MemberAs(c.subject), request);
    EXPECT_EQ(meeting.ok(), c.visible) << c.subject << ": " << meeting.status();
  }
}

TEST_F(BodyAccessTest, LinkingAndUnlinkingAnAccountGrantsAndRemovesDraftAccess) {
  v1::GetMeetingRequest get;
  get.set_name(kDraft);
  const auth::Principal newcomer = MemberAs("user:erin");
  EXPECT_EQ(scheduling_->GetMeeting(newcomer, get).status().code(), absl::StatusCode::kNotFound);
  v1::SetPersonUserSubjectRequest link;
  link.set_name("tenants/wm/people/erin");
  link.set_user_subject("user:erin");
  ASSERT_TRUE(people_->SetPersonUserSubject(Officer(), link).ok());
  EXPECT_TRUE(scheduling_->GetMeeting(newcomer, get).ok());
  link.clear_user_subject();
  ASSERT_TRUE(people_->SetPersonUserSubject(Officer(), link).ok());
  EXPECT_EQ(scheduling_->GetMeeting(newcomer, get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(BodyAccessTest, MembershipCountsOnItsFirstAndLastDaysInclusive) {
  struct Case {
    std::string subject;
    absl::CivilDay on;
    bool drafts;
  };
  const std::vector<Case> cases = {
      {"user:carol", absl::CivilDay(2019, 12, 31), false},  // Before the start.
      {"user:carol", absl::CivilDay(2020, 1, 1), true},     // First day.
      {"user:carol", absl::CivilDay(2023, 10, 31), true},   // Last day.
      {"user:carol", absl::CivilDay(2023, 11, 1), false},   // The day after it ended.
      {"user:alice", absl::CivilDay(2099, 1, 1), true},     // Open-ended.
  };
  for (const Case& c : cases) {
    auto drafts = Drafts(MemberAs(c.subject), "pcp", c.on);
    ASSERT_TRUE(drafts.ok()) << drafts.status();
    EXPECT_EQ(*drafts, c.drafts) << c.subject << " on " << c.on;
  }
  // Another tenant's member with the same subject is not this tenant's member.
  auth::Principal elsewhere{
      .tenant = "ny", .subject = "user:alice", .roles = {auth::Role::kMember}};
  auto drafts = Drafts(elsewhere, "pcp", absl::CivilDay(2023, 11, 3));
  ASSERT_TRUE(drafts.ok());
  EXPECT_FALSE(*drafts);
  // A partner (no MEMBER role) linked or not sees no drafts.
  auth::Principal partner{.tenant = "wm", .subject = "user:alice", .roles = {auth::Role::kPartner}};
  drafts = Drafts(partner, "pcp", absl::CivilDay(2023, 11, 3));
  ASSERT_TRUE(drafts.ok());
  EXPECT_FALSE(*drafts);
}

}  // namespace
}  // namespace moot::scheduling
