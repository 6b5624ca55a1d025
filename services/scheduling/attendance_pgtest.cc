// The attendance, declaration, eligibility and membership-ending paths on PostgreSQL (a server
// started by the test): the same SQL the SQLite logic tests exercise, on the other driver.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"
#include "libs/testing/postgres_server.h"
#include "services/scheduling/agenda_logic.h"
#include "services/scheduling/attendance_logic.h"
#include "services/scheduling/people_logic.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

auth::Principal Officer() {
  return {.tenant = "wm", .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}

constexpr char kMeeting[] = "tenants/wm/bodies/pcp/meetings/2023-09-11";

TEST(AttendancePgTest, RollCallDeclarationsVotersAndEndedMembership) {
  if (std::string why = testing::PostgresServer::UnavailableReason(); !why.empty()) {
    GTEST_SKIP() << why;
  }
  auto server = testing::PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto db = sql::Open((*server)->url(), 2);
  ASSERT_TRUE(db.ok()) << db.status();
  time::FakeClock clock(absl::FromUnixSeconds(1699000000));
  ids::SequentialIdGenerator ids("id");
  api::PageTokens tokens("test-secret");
  events::Outbox outbox;
  SchedulingLogic scheduling(**db, outbox, clock, ids, tokens);
  PeopleLogic people(**db, outbox, clock, ids, tokens);
  AgendaLogic agenda(**db, outbox, clock, ids, tokens);
  AttendanceLogic logic(**db, outbox, clock, ids, tokens);
  for (absl::Status s : {scheduling.Migrate(), people.Migrate(), agenda.Migrate(), logic.Migrate(),
                         logic.Migrate()}) {
    ASSERT_TRUE(s.ok()) << s;
  }

  v1::CreateBodyRequest body;
  body.set_parent("tenants/wm");
  body.set_body_id("pcp");
  body.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
  body.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
  body.mutable_body()->mutable_rules()->set_quorum(5);
  ASSERT_TRUE(scheduling.CreateBody(Officer(), body).ok());
  v1::CreateMeetingRequest meeting;
  meeting.set_parent("tenants/wm/bodies/pcp");
  meeting.set_meeting_id("2023-09-11");
  meeting.mutable_meeting()->set_title("Police and Crime Panel");
  *meeting.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(1694437200);
  ASSERT_TRUE(scheduling.CreateMeeting(Officer(), meeting).ok());
  for (int n = 1; n <= 2; ++n) {
    v1::CreateAgendaItemRequest item;
    item.set_parent(kMeeting);
    item.mutable_agenda_item()->set_number(n);
    item.mutable_agenda_item()->set_title(absl::StrCat("ITEM ", n));
    ASSERT_TRUE(agenda.CreateAgendaItem(Officer(), item).ok());
  }
  for (int i = 1; i <= 16; ++i) {
    const std::string id = absl::StrFormat("m%02d", i);
    v1::CreatePersonRequest person;
    person.set_parent("tenants/wm");
    person.set_person_id(id);
    person.mutable_person()->set_display_name(id);
    person.mutable_person()->set_member_type(v1::MEMBER_TYPE_COUNCILLOR);
    ASSERT_TRUE(people.CreatePerson(Officer(), person).ok());
    v1::CreateMembershipRequest membership;
    membership.set_parent("tenants/wm/bodies/pcp");
    membership.set_membership_id(id);
    membership.mutable_membership()->set_person(absl::StrCat("tenants/wm/people/", id));
    membership.mutable_membership()->set_voting(true);
    membership.mutable_membership()->set_start_date("2023-05-22");
    ASSERT_TRUE(people.CreateMembership(Officer(), membership).ok());
  }
  // m16 left the day before the meeting: a vacancy.
  v1::EndMembershipRequest end;
  end.set_name("tenants/wm/bodies/pcp/memberships/m16");
  end.set_end_date("2023-09-10");
  end.set_etag("1");
  auto ended = people.EndMembership(Officer(), end);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->etag(), "2");

  for (int i = 1; i <= 15; ++i) {
    v1::RecordAttendanceRequest record;
    record.set_parent(kMeeting);
    record.mutable_attendance()->set_person(absl::StrFormat("tenants/wm/people/m%02d", i));
    record.mutable_attendance()->set_kind(i <= 12 ? v1::ATTENDANCE_KIND_PRESENT
                                                  : v1::ATTENDANCE_KIND_APOLOGIES);
    ASSERT_TRUE(logic.RecordAttendance(Officer(), record).ok());
  }
  v1::RecordAttendanceRequest replace;
  replace.set_parent(kMeeting);
  replace.mutable_attendance()->set_person("tenants/wm/people/m12");
  replace.mutable_attendance()->set_kind(v1::ATTENDANCE_KIND_PRESENT);
  replace.mutable_attendance()->set_left_at("15:00");
  replace.mutable_attendance()->set_etag("1");
  auto replaced = logic.RecordAttendance(Officer(), replace);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_EQ(replaced->etag(), "2");

  v1::ListAttendanceRequest list;
  list.set_parent(kMeeting);
  list.set_page_size(10);
  auto page = logic.ListAttendance(Officer(), list);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->attendance_size(), 10);
  EXPECT_EQ(page->present_count(), 12);
  EXPECT_TRUE(page->quorate());
  list.set_page_token(page->next_page_token());
  page = logic.ListAttendance(Officer(), list);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->attendance_size(), 5);

  v1::CreateDeclarationRequest declare;
  declare.set_parent(kMeeting);
  declare.mutable_declaration()->set_person("tenants/wm/people/m01");
  declare.mutable_declaration()->set_agenda_item(absl::StrCat(kMeeting, "/agendaItems/2"));
  declare.mutable_declaration()->set_kind(v1::INTEREST_KIND_SENSITIVE);
  ASSERT_TRUE(logic.CreateDeclaration(Officer(), declare).ok());
  v1::ListDeclarationsRequest declarations;
  declarations.set_parent(kMeeting);
  declarations.set_agenda_item(absl::StrCat(kMeeting, "/agendaItems/2"));
  auto on_item = logic.ListDeclarations(auth::Principal::Anonymous(), declarations);
  ASSERT_TRUE(on_item.ok()) << on_item.status();
  EXPECT_EQ(on_item->declarations_size(), 1);
  declarations.set_agenda_item(absl::StrCat(kMeeting, "/agendaItems/1"));
  EXPECT_EQ(logic.ListDeclarations(Officer(), declarations)->declarations_size(), 0);

  v1::ListEligibleVotersRequest voters;
  voters.set_agenda_item(absl::StrCat(kMeeting, "/agendaItems/2"));
  *voters.mutable_vote_time() = TimeUtil::SecondsToTimestamp(1694437200 + 3600);  // 15:00 BST
  auto eligible = logic.ListEligibleVoters(Officer(), voters);
  ASSERT_TRUE(eligible.ok()) << eligible.status();
  EXPECT_EQ(eligible->member_count(), 15);
  EXPECT_EQ(eligible->eligible_count(), 10);  // 12 present, m01's interest, m12 left at 15:00.
  EXPECT_EQ(eligible->present_count(), 11);
}

}  // namespace
}  // namespace moot::scheduling
