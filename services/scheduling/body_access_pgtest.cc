// Person.user_subject and MaySeeDrafts on PostgreSQL (a server started by the test): the
// migration's partial unique index, the subject lookup and the membership dates on the other
// driver.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/postgres_server.h"
#include "services/scheduling/body_access.h"
#include "services/scheduling/people_logic.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

auth::Principal Officer() {
  return {.tenant = "wm", .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal MemberAs(const std::string& subject) {
  return {.tenant = "wm", .subject = subject, .roles = {auth::Role::kMember}};
}

TEST(BodyAccessPgTest, SubjectsAreUniqueWhenSetAndMembersSeeTheirOwnBodysDrafts) {
  if (std::string why = testing::PostgresServer::UnavailableReason(); !why.empty()) {
    GTEST_SKIP() << why;
  }
  auto server = testing::PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto db = sql::Open((*server)->url(), 2);
  ASSERT_TRUE(db.ok()) << db.status();
  time::FakeClock clock(absl::FromUnixSeconds(1699000000));  // 2023-11-03.
  ids::SequentialIdGenerator ids("id");
  api::PageTokens tokens("test-secret");
  events::Outbox outbox;
  SchedulingLogic scheduling(**db, outbox, clock, ids, tokens);
  PeopleLogic people(**db, outbox, clock, ids, tokens);
  for (absl::Status s : {scheduling.Migrate(), people.Migrate(), people.Migrate()}) {
    ASSERT_TRUE(s.ok()) << s;
  }
  for (const char* body_id : {"pcp", "spcb"}) {
    v1::CreateBodyRequest body;
    body.set_parent("tenants/wm");
    body.set_body_id(body_id);
    body.mutable_body()->set_display_name(body_id);
    body.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
    ASSERT_TRUE(scheduling.CreateBody(Officer(), body).ok());
  }
  struct Seat {
    std::string person;
    std::string subject;
    std::string body;
    std::string end;
  };
  for (const Seat& s : std::vector<Seat>{{"alice", "user:alice", "pcp", ""},
                                         {"bob", "user:bob", "spcb", ""},
                                         {"carol", "user:carol", "pcp", "2023-10-31"},
                                         {"erin", "", "pcp", ""},
                                         {"frank", "", "pcp", ""}}) {
    v1::CreatePersonRequest person;
    person.set_parent("tenants/wm");
    person.set_person_id(s.person);
    person.mutable_person()->set_display_name(s.person);
    person.mutable_person()->set_member_type(v1::MEMBER_TYPE_COUNCILLOR);
    person.mutable_person()->set_user_subject(s.subject);
    auto created = people.CreatePerson(Officer(), person);  // Two unlinked people: no clash.
    ASSERT_TRUE(created.ok()) << s.person << ": " << created.status();
    v1::CreateMembershipRequest membership;
    membership.set_parent(absl::StrCat("tenants/wm/bodies/", s.body));
    membership.mutable_membership()->set_person(absl::StrCat("tenants/wm/people/", s.person));
    membership.mutable_membership()->set_start_date("2020-01-01");
    membership.mutable_membership()->set_end_date(s.end);
    ASSERT_TRUE(people.CreateMembership(Officer(), membership).ok()) << s.person;
  }
  v1::CreatePersonRequest clash;
  clash.set_parent("tenants/wm");
  clash.set_person_id("dave");
  clash.mutable_person()->set_display_name("dave");
  clash.mutable_person()->set_member_type(v1::MEMBER_TYPE_COUNCILLOR);
  clash.mutable_person()->set_user_subject("user:alice");
  EXPECT_EQ(status::Details(people.CreatePerson(Officer(), clash).status()).reason,
            "USER_SUBJECT_TAKEN");
  v1::SetPersonUserSubjectRequest link;
  link.set_name("tenants/wm/people/erin");
  link.set_user_subject("user:erin");
  auto linked = people.SetPersonUserSubject(Officer(), link);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(linked->etag(), "2");

  struct Case {
    std::string subject;
    bool drafts;
  };
  for (const Case& c : std::vector<Case>{{"user:alice", true},
                                         {"user:erin", true},
                                         {"user:bob", false},
                                         {"user:carol", false},
                                         {"user:nobody", false}}) {
    absl::StatusOr<bool> drafts = false;
    ASSERT_TRUE((*db)
                    ->WithConnection([&](sql::Connection& conn) -> absl::Status {
                      drafts = MaySeeDrafts(conn, MemberAs(c.subject), "wm", "pcp",
                                            absl::CivilDay(2023, 11, 3));
                      return absl::OkStatus();
                    })
                    .ok());
    ASSERT_TRUE(drafts.ok()) << c.subject << ": " << drafts.status();
    EXPECT_EQ(*drafts, c.drafts) << c.subject;
  }

  // GetMeeting over the same store: a draft for alice, NOT_FOUND for bob.
  v1::CreateMeetingRequest meeting;
  meeting.set_parent("tenants/wm/bodies/pcp");
  meeting.set_meeting_id("draft");
  meeting.mutable_meeting()->set_title("Meeting");
  meeting.mutable_meeting()->set_status(v1::MEETING_STATUS_DRAFT);
  *meeting.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(1699884000);
  ASSERT_TRUE(scheduling.CreateMeeting(Officer(), meeting).ok());
  v1::GetMeetingRequest get;
  get.set_name("tenants/wm/bodies/pcp/meetings/draft");
  EXPECT_TRUE(scheduling.GetMeeting(MemberAs("user:alice"), get).ok());
  EXPECT_EQ(scheduling.GetMeeting(MemberAs("user:bob"), get).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace moot::scheduling
