#include "services/scheduling/attendance_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/scheduling/agenda_logic.h"
#include "services/scheduling/people_logic.h"
#include "services/scheduling/scheduling_logic.h"
#include "services/scheduling/voter_eligibility.h"

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
auth::Principal Partner(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "apikey:partner", .roles = {auth::Role::kPartner}};
}
auth::Principal DecisionsService(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "service:decisions", .roles = {auth::Role::kPartner}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}
std::string Subject(const absl::Status& status) {
  auto d = status::Details(status);
  return d.precondition_violations.empty() ? "" : d.precondition_violations[0].subject;
}

// 11 September 2023, 14:00 BST; the clock stands in November 2023, so it has been held.
constexpr char kMeeting[] = "tenants/wm/bodies/pcp/meetings/2023-09-11";
constexpr int64_t kMeetingStart = 1694437200;  // 2023-09-11T13:00:00Z
// 15 January 2024, 14:00 GMT: not yet held.
constexpr char kFuture[] = "tenants/wm/bodies/pcp/meetings/2024-01-15";
constexpr int kQuorum = 5;

std::string P(int i) { return absl::StrFormat("tenants/wm/people/m%02d", i); }
std::string Item(int n) { return absl::StrCat(kMeeting, "/agendaItems/", n); }

class AttendanceLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    scheduling_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    people_ = std::make_unique<PeopleLogic>(*db_, outbox_, clock_, ids_, tokens_);
    agenda_ = std::make_unique<AgendaLogic>(*db_, outbox_, clock_, ids_, tokens_);
    logic_ = std::make_unique<AttendanceLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(scheduling_->Migrate().ok());
    ASSERT_TRUE(people_->Migrate().ok());
    ASSERT_TRUE(agenda_->Migrate().ok());
    ASSERT_TRUE(logic_->Migrate().ok());
    v1::CreateBodyRequest body;
    body.set_parent("tenants/wm");
    body.set_body_id("pcp");
    body.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
    body.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
    body.mutable_body()->mutable_rules()->set_quorum(kQuorum);
    ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
    CreateMeeting("2023-09-11", kMeetingStart);
    CreateMeeting("2024-01-15", 1705327200);
    for (int n = 1; n <= 3; ++n) {
      v1::CreateAgendaItemRequest item;
      item.set_parent(kMeeting);
      item.mutable_agenda_item()->set_number(n);
      item.mutable_agenda_item()->set_title(absl::StrCat("ITEM ", n));
      ASSERT_TRUE(agenda_->CreateAgendaItem(Officer(), item).ok());
    }
    // 16 voting members m01..m16 from 22 May 2023; m17 left the day before the meeting;
    // sub-a holds a substitute membership; simon-foster is no member at all.
    for (int i = 1; i <= 17; ++i) {
      AddPerson(absl::StrFormat("m%02d", i));
      AddMembership(absl::StrFormat("m%02d", i), "2023-05-22", i == 17 ? "2023-09-10" : "",
                    v1::MEMBERSHIP_ROLE_MEMBER);
    }
    AddPerson("sub-a");
    AddMembership("sub-a", "2023-05-22", "", v1::MEMBERSHIP_ROLE_SUBSTITUTE);
    AddPerson("sub-b");
    AddMembership("sub-b", "2023-05-22", "", v1::MEMBERSHIP_ROLE_SUBSTITUTE);
    AddPerson("simon-foster");
    ClearOutbox();
  }

  void CreateMeeting(const std::string& id, int64_t start) {
    v1::CreateMeetingRequest meeting;
    meeting.set_parent("tenants/wm/bodies/pcp");
    meeting.set_meeting_id(id);
    meeting.mutable_meeting()->set_title("Police and Crime Panel");
    *meeting.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(start);
    ASSERT_TRUE(scheduling_->CreateMeeting(Officer(), meeting).ok());
  }

  void AddPerson(const std::string& id) {
    v1::CreatePersonRequest request;
    request.set_parent("tenants/wm");
    request.set_person_id(id);
    request.mutable_person()->set_display_name(id);
    request.mutable_person()->set_member_type(v1::MEMBER_TYPE_COUNCILLOR);
    // Only the body's own members see its drafts, attendance before the meeting and apologies
    // reasons (body_access.h): the Member() caller signs in as m01, a member of the panel.
    if (id == "m01") {
      request.mutable_person()->set_user_subject("user:member");
    }
    ASSERT_TRUE(people_->CreatePerson(Officer(), request).ok());
  }

  void AddMembership(const std::string& person, const std::string& start, const std::string& end,
                     v1::MembershipRole role) {
    v1::CreateMembershipRequest request;
    request.set_parent("tenants/wm/bodies/pcp");
    request.set_membership_id(absl::StrCat(person, "-", start));
    request.mutable_membership()->set_person(absl::StrCat("tenants/wm/people/", person));
    request.mutable_membership()->set_role(role);
    request.mutable_membership()->set_voting(true);
    request.mutable_membership()->set_start_date(start);
    request.mutable_membership()->set_end_date(end);
    auto created = people_->CreateMembership(Officer(), request);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  static v1::RecordAttendanceRequest Record(const std::string& person, v1::AttendanceKind kind,
                                            const std::string& meeting = kMeeting) {
    v1::RecordAttendanceRequest request;
    request.set_parent(meeting);
    request.mutable_attendance()->set_person(person);
    request.mutable_attendance()->set_kind(kind);
    return request;
  }

  absl::StatusOr<v1::Attendance> Put(const v1::RecordAttendanceRequest& request) {
    return logic_->RecordAttendance(Officer(), request);
  }

  // The roll call of 11 September 2023 (domain.md §2.2): 12 present, 4 apologies.
  void RollCall() {
    for (int i = 1; i <= 16; ++i) {
      auto request =
          Record(P(i), i <= 12 ? v1::ATTENDANCE_KIND_PRESENT : v1::ATTENDANCE_KIND_APOLOGIES);
      if (i == 13) {
        request.mutable_attendance()->set_reason("Unwell");
      }
      auto row = Put(request);
      ASSERT_TRUE(row.ok()) << row.status();
    }
  }

  static v1::CreateDeclarationRequest Declare(const std::string& person, int item,
                                              v1::InterestKind kind, const std::string& nature) {
    v1::CreateDeclarationRequest request;
    request.set_parent(kMeeting);
    request.mutable_declaration()->set_person(person);
    request.mutable_declaration()->set_agenda_item(Item(item));
    request.mutable_declaration()->set_kind(kind);
    request.mutable_declaration()->set_nature(nature);
    return request;
  }

  struct OutboxRow {
    std::string type;
    bool is_public;
    events::v1::Event event;
  };
  std::vector<OutboxRow> Outbox() {
    std::vector<OutboxRow> out;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT type, payload FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       events::v1::Event event;
                       auto bytes = row.GetBytes(1);
                       EXPECT_TRUE(bytes.ok() && event.ParseFromString(*bytes));
                       out.push_back({row.String(0), event.public_(), event});
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  }
  void ClearOutbox() {
    ASSERT_TRUE(db_->WithConnection(
                       [](sql::Connection& c) { return c.Execute("DELETE FROM outbox").status(); })
                    .ok());
  }

  v1::ListAttendanceResponse ListAll(const auth::Principal& p, const std::string& meeting) {
    v1::ListAttendanceRequest request;
    request.set_parent(meeting);
    auto response = logic_->ListAttendance(p, request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::ListAttendanceResponse();
  }

  absl::StatusOr<v1::ListEligibleVotersResponse> Voters(const auth::Principal& p, int item,
                                                        int64_t vote_seconds = 0) {
    v1::ListEligibleVotersRequest request;
    request.set_agenda_item(Item(item));
    if (vote_seconds != 0) {
      *request.mutable_vote_time() = TimeUtil::SecondsToTimestamp(vote_seconds);
    }
    return logic_->ListEligibleVoters(p, request);
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};
  ids::SequentialIdGenerator ids_{"id"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> scheduling_;
  std::unique_ptr<PeopleLogic> people_;
  std::unique_ptr<AgendaLogic> agenda_;
  std::unique_ptr<AttendanceLogic> logic_;
};

TEST_F(AttendanceLogicTest, RollCallIsListedByKindWithTheQuorumCheck) {
  RollCall();
  auto also = Record("tenants/wm/people/simon-foster", v1::ATTENDANCE_KIND_ALSO_PRESENT);
  also.mutable_attendance()->set_capacity("West Midlands Police and Crime Commissioner");
  ASSERT_TRUE(Put(also).ok());

  // Pages of 5 in kind order (PRESENT, APOLOGIES, ALSO_PRESENT), then person.
  std::vector<std::string> order;
  v1::ListAttendanceRequest list;
  list.set_parent(kMeeting);
  list.set_page_size(5);
  int pages = 0;
  do {
    auto page = logic_->ListAttendance(Officer(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->present_count(), 12);
    EXPECT_EQ(page->quorum(), kQuorum);
    EXPECT_TRUE(page->quorate());
    for (const auto& row : page->attendance()) {
      order.push_back(row.person().substr(row.person().rfind('/') + 1));
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 4);
  ASSERT_EQ(order.size(), 17u);
  EXPECT_EQ(order[0], "m01");
  EXPECT_EQ(order[11], "m12");
  EXPECT_EQ(order[12], "m13");
  EXPECT_EQ(order[16], "simon-foster");

  // The token is bound to the meeting.
  v1::ListAttendanceRequest other;
  other.set_parent(kFuture);
  v1::ListAttendanceRequest first;
  first.set_parent(kMeeting);
  first.set_page_size(5);
  other.set_page_token(logic_->ListAttendance(Officer(), first)->next_page_token());
  EXPECT_EQ(Field(logic_->ListAttendance(Officer(), other).status()), "page_token");

  // One attendance.recorded event per row, public because the meeting has been held.
  auto events = Outbox();
  ASSERT_EQ(events.size(), 17u);
  for (const auto& e : events) {
    EXPECT_EQ(e.type, "attendance.recorded");
    EXPECT_TRUE(e.is_public);
  }
  // The apologies reason is not in the event.
  v1::AttendanceRecorded payload;
  ASSERT_TRUE(events[12].event.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.attendance().person(), P(13));
  EXPECT_EQ(payload.attendance().kind(), v1::ATTENDANCE_KIND_APOLOGIES);
  EXPECT_TRUE(payload.attendance().reason().empty());
  EXPECT_EQ(payload.meeting(), kMeeting);
}

TEST_F(AttendanceLogicTest, QuorumTable) {
  // §9 item 4 / R-MTG-10: present voting members (substitutes included) against the quorum.
  struct Case {
    int present;
    bool quorate;
  };
  for (const Case& c : std::vector<Case>{{0, false}, {4, false}, {5, true}, {6, true}}) {
    ASSERT_TRUE(db_->WithConnection([](sql::Connection& conn) {
                     return conn.Execute("DELETE FROM attendance").status();
                   })
                    .ok());
    for (int i = 1; i <= c.present; ++i) {
      ASSERT_TRUE(Put(Record(P(i), v1::ATTENDANCE_KIND_PRESENT)).ok());
    }
    ASSERT_TRUE(Put(Record(P(16), v1::ATTENDANCE_KIND_APOLOGIES)).ok());
    auto list = ListAll(Officer(), kMeeting);
    EXPECT_EQ(list.present_count(), c.present);
    EXPECT_EQ(list.quorate(), c.quorate) << c.present;
  }
}

TEST_F(AttendanceLogicTest, PublicSeesHeldMeetingsWithoutReasons) {
  RollCall();
  ASSERT_TRUE(Put(Record(P(1), v1::ATTENDANCE_KIND_APOLOGIES, kFuture)).ok());
  auto as_member = ListAll(Member(), kMeeting);
  auto as_public = ListAll(auth::Principal::Anonymous(), kMeeting);
  ASSERT_EQ(as_member.attendance_size(), 16);
  ASSERT_EQ(as_public.attendance_size(), 16);
  EXPECT_EQ(as_member.attendance(12).reason(), "Unwell");
  EXPECT_TRUE(as_public.attendance(12).reason().empty());
  EXPECT_EQ(as_public.present_count(), 12);

  // A member of the tenant who sits on no body of it (no linked person) gets the public view.
  const auth::Principal outsider{
      .tenant = "wm", .subject = "user:elsewhere", .roles = {auth::Role::kMember}};
  auto as_outsider = ListAll(outsider, kMeeting);
  ASSERT_EQ(as_outsider.attendance_size(), 16);
  EXPECT_TRUE(as_outsider.attendance(12).reason().empty());

  // Not yet held: members read it, the public does not.
  EXPECT_EQ(ListAll(Member(), kFuture).attendance_size(), 1);
  {
    v1::ListAttendanceRequest early;
    early.set_parent(kFuture);
    EXPECT_EQ(Reason(logic_->ListAttendance(outsider, early).status()), "MEETING_NOT_HELD");
  }
  v1::ListAttendanceRequest future;
  future.set_parent(kFuture);
  auto denied = logic_->ListAttendance(auth::Principal::Anonymous(), future);
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(denied.status()), "MEETING_NOT_HELD");
  EXPECT_EQ(Reason(logic_->ListAttendance(Partner(), future).status()), "MEETING_NOT_HELD");
  // Its event is not public either.
  EXPECT_FALSE(Outbox().back().is_public);
  // Once the meeting has started, it is.
  clock_.Advance(absl::Hours(24 * 80));
  EXPECT_EQ(ListAll(auth::Principal::Anonymous(), kFuture).attendance_size(), 1);
}

TEST_F(AttendanceLogicTest, AttendanceValidationNamesTheField) {
  struct Case {
    std::function<void(v1::RecordAttendanceRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.set_parent("tenants/wm/bodies/pcp"); }, "parent"},
      {[](auto& r) { r.mutable_attendance()->clear_person(); }, "attendance.person"},
      {[](auto& r) { r.mutable_attendance()->set_person("tenants/other/people/m01"); },
       "attendance.person"},
      {[](auto& r) { r.mutable_attendance()->clear_kind(); }, "attendance.kind"},
      {[](auto& r) { r.mutable_attendance()->set_kind(static_cast<v1::AttendanceKind>(42)); },
       "attendance.kind"},
      {[](auto& r) { r.mutable_attendance()->set_reason("Unwell"); }, "attendance.reason"},
      {[](auto& r) { r.mutable_attendance()->set_on_behalf_of(P(2)); }, "attendance.on_behalf_of"},
      {[](auto& r) { r.mutable_attendance()->set_capacity("Chair"); }, "attendance.capacity"},
      {[](auto& r) { r.mutable_attendance()->set_arrived_at("2.30pm"); }, "attendance.arrived_at"},
      {[](auto& r) { r.mutable_attendance()->set_left_at("24:00"); }, "attendance.left_at"},
      {[](auto& r) {
         r.mutable_attendance()->set_arrived_at("15:00");
         r.mutable_attendance()->set_left_at("15:00");
       },
       "attendance.left_at"},
      // Late arrival and early departure are after the meeting's local start (14:00 BST).
      {[](auto& r) { r.mutable_attendance()->set_arrived_at("14:00"); }, "attendance.arrived_at"},
      {[](auto& r) { r.mutable_attendance()->set_left_at("13:30"); }, "attendance.left_at"},
      {[](auto& r) {
         r.mutable_attendance()->set_kind(v1::ATTENDANCE_KIND_APOLOGIES);
         r.mutable_attendance()->set_reason(std::string(501, 'x'));
       },
       "attendance.reason"},
      {[](auto& r) {
         r.mutable_attendance()->set_kind(v1::ATTENDANCE_KIND_APOLOGIES);
         r.mutable_attendance()->set_arrived_at("14:30");
       },
       "attendance.arrived_at"},
      {[](auto& r) { r.mutable_attendance()->set_kind(v1::ATTENDANCE_KIND_SUBSTITUTE); },
       "attendance.on_behalf_of"},
      {[](auto& r) {
         r.mutable_attendance()->set_kind(v1::ATTENDANCE_KIND_SUBSTITUTE);
         r.mutable_attendance()->set_on_behalf_of(r.attendance().person());
       },
       "attendance.on_behalf_of"},
      {[](auto& r) { r.mutable_attendance()->set_kind(v1::ATTENDANCE_KIND_ALSO_PRESENT); },
       "attendance.capacity"},
  };
  for (const auto& c : cases) {
    auto request = Record(P(1), v1::ATTENDANCE_KIND_PRESENT);
    c.mutate(request);
    auto result = Put(request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
  // A late arrival after the start is fine.
  auto late = Record(P(1), v1::ATTENDANCE_KIND_PRESENT);
  late.mutable_attendance()->set_arrived_at("14:20");
  late.mutable_attendance()->set_left_at("16:00");
  EXPECT_TRUE(Put(late).ok());
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(AttendanceLogicTest, MembershipAndSubstituteRules) {
  struct Case {
    std::string name;
    v1::RecordAttendanceRequest request;
    absl::StatusCode code;
    std::string reason;
    std::string subject;
  };
  auto sub = [](const std::string& person, const std::string& member) {
    auto r = Record(person, v1::ATTENDANCE_KIND_SUBSTITUTE);
    r.mutable_attendance()->set_on_behalf_of(member);
    return r;
  };
  ASSERT_TRUE(Put(Record(P(1), v1::ATTENDANCE_KIND_PRESENT)).ok());
  ASSERT_TRUE(Put(Record(P(2), v1::ATTENDANCE_KIND_APOLOGIES)).ok());
  ASSERT_TRUE(Put(sub("tenants/wm/people/sub-a", P(2))).ok());
  const std::vector<Case> cases = {
      {"no such person", Record("tenants/wm/people/nobody", v1::ATTENDANCE_KIND_PRESENT),
       absl::StatusCode::kNotFound, "NOT_FOUND", ""},
      {"not a member", Record("tenants/wm/people/simon-foster", v1::ATTENDANCE_KIND_PRESENT),
       absl::StatusCode::kFailedPrecondition, "NOT_A_MEMBER", "tenants/wm/people/simon-foster"},
      {"membership ended the day before", Record(P(17), v1::ATTENDANCE_KIND_APOLOGIES),
       absl::StatusCode::kFailedPrecondition, "NOT_A_MEMBER", P(17)},
      {"a substitute is not a member",
       Record("tenants/wm/people/sub-b", v1::ATTENDANCE_KIND_ABSENT),
       absl::StatusCode::kFailedPrecondition, "NOT_A_MEMBER", "tenants/wm/people/sub-b"},
      {"substitute without a substitute membership", sub(P(3), P(4)),
       absl::StatusCode::kFailedPrecondition, "NOT_A_SUBSTITUTE", P(3)},
      {"on behalf of a non-member",
       sub("tenants/wm/people/sub-b", "tenants/wm/people/simon-foster"),
       absl::StatusCode::kFailedPrecondition, "NOT_A_MEMBER", "tenants/wm/people/simon-foster"},
      {"on behalf of a member who is present", sub("tenants/wm/people/sub-b", P(1)),
       absl::StatusCode::kFailedPrecondition, "MEMBER_PRESENT", P(1)},
      {"a second substitute for the same member", sub("tenants/wm/people/sub-b", P(2)),
       absl::StatusCode::kFailedPrecondition, "ALREADY_SUBSTITUTED", P(2)},
      {"a substituted member cannot be present", Record(P(2), v1::ATTENDANCE_KIND_PRESENT),
       absl::StatusCode::kFailedPrecondition, "MEMBER_SUBSTITUTED", P(2)},
      {"no such meeting",
       Record(P(1), v1::ATTENDANCE_KIND_PRESENT, "tenants/wm/bodies/pcp/meetings/nope"),
       absl::StatusCode::kNotFound, "NOT_FOUND", ""},
  };
  for (const auto& c : cases) {
    auto result = Put(c.request);
    EXPECT_EQ(result.status().code(), c.code) << c.name << ": " << result.status();
    EXPECT_EQ(Reason(result.status()), c.reason) << c.name;
    EXPECT_EQ(Subject(result.status()), c.subject) << c.name;
  }
  // The substitute may be re-recorded (e.g. a late arrival) and ALSO_PRESENT needs no membership.
  auto again = sub("tenants/wm/people/sub-a", P(2));
  again.mutable_attendance()->set_arrived_at("14:45");
  EXPECT_TRUE(Put(again).ok());
  auto pcc = Record("tenants/wm/people/simon-foster", v1::ATTENDANCE_KIND_ALSO_PRESENT);
  pcc.mutable_attendance()->set_capacity("Police and Crime Commissioner");
  EXPECT_TRUE(Put(pcc).ok());
  // The substitute counts for the quorum in the member's place.
  EXPECT_EQ(ListAll(Officer(), kMeeting).present_count(), 2);
}

TEST_F(AttendanceLogicTest, ReplacingARowChecksTheEtagAndRetriesAreIdempotent) {
  auto request = Record(P(5), v1::ATTENDANCE_KIND_APOLOGIES);
  request.set_request_id("att-1");
  auto first = Put(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->name(), absl::StrCat(kMeeting, "/attendance/m05"));
  EXPECT_EQ(first->etag(), "1");
  auto retry = Put(request);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(Outbox().size(), 1u);

  // They came after all: replaced with the etag read.
  auto present = Record(P(5), v1::ATTENDANCE_KIND_PRESENT);
  present.mutable_attendance()->set_arrived_at("14:10");
  present.mutable_attendance()->set_etag("1");
  auto second = Put(present);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->etag(), "2");
  v1::AttendanceRecorded payload;
  ASSERT_TRUE(Outbox().back().event.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.previous_kind(), v1::ATTENDANCE_KIND_APOLOGIES);
  EXPECT_EQ(payload.attendance().kind(), v1::ATTENDANCE_KIND_PRESENT);

  // A stale etag is refused; so is an etag for a row that does not exist.
  auto stale = Put(present);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(stale.status()), "ETAG_MISMATCH");
  auto none = Record(P(6), v1::ATTENDANCE_KIND_PRESENT);
  none.mutable_attendance()->set_etag("1");
  EXPECT_EQ(Reason(Put(none).status()), "ETAG_MISMATCH");
  EXPECT_EQ(ListAll(Officer(), kMeeting).attendance_size(), 1);
}

TEST_F(AttendanceLogicTest, DeclarationsNeedAnItemOfTheMeetingAndAMember) {
  auto dpi = logic_->CreateDeclaration(
      Officer(), Declare(P(3), 2, v1::INTEREST_KIND_DISCLOSABLE_PECUNIARY, "Owns a speed camera"));
  ASSERT_TRUE(dpi.ok()) << dpi.status();
  EXPECT_TRUE(absl::StartsWith(dpi->name(), absl::StrCat(kMeeting, "/declarations/")));
  EXPECT_EQ(TimeUtil::TimestampToSeconds(dpi->create_time()), 1699000000);

  struct Case {
    std::function<void(v1::CreateDeclarationRequest&)> mutate;
    absl::StatusCode code;
    std::string field_or_reason;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.mutable_declaration()->set_agenda_item(Item(9)); },
       absl::StatusCode::kNotFound, "NOT_FOUND"},
      {[](auto& r) {
         r.mutable_declaration()->set_agenda_item(
             "tenants/wm/bodies/pcp/meetings/2024-01-15/agendaItems/1");
       },
       absl::StatusCode::kInvalidArgument, "declaration.agenda_item"},
      {[](auto& r) { r.mutable_declaration()->set_agenda_item(Item(0)); },
       absl::StatusCode::kInvalidArgument, "declaration.agenda_item"},
      {[](auto& r) { r.mutable_declaration()->set_person("tenants/wm/people/simon-foster"); },
       absl::StatusCode::kFailedPrecondition, "NOT_A_MEMBER"},
      {[](auto& r) { r.mutable_declaration()->set_person(P(17)); },
       absl::StatusCode::kFailedPrecondition, "NOT_A_MEMBER"},
      {[](auto& r) { r.mutable_declaration()->set_person("tenants/wm/people/nobody"); },
       absl::StatusCode::kNotFound, "NOT_FOUND"},
      {[](auto& r) { r.mutable_declaration()->set_person("tenants/x/people/m01"); },
       absl::StatusCode::kInvalidArgument, "declaration.person"},
      {[](auto& r) { r.mutable_declaration()->clear_kind(); }, absl::StatusCode::kInvalidArgument,
       "declaration.kind"},
      {[](auto& r) { r.mutable_declaration()->clear_nature(); }, absl::StatusCode::kInvalidArgument,
       "declaration.nature"},
      {[](auto& r) { r.mutable_declaration()->set_dispensation(true); },
       absl::StatusCode::kInvalidArgument, "declaration.dispensation_detail"},
      {[](auto& r) {
         r.mutable_declaration()->set_dispensation_detail("by the Monitoring Officer");
       },
       absl::StatusCode::kInvalidArgument, "declaration.dispensation_detail"},
      {[](auto& r) { r.set_parent("tenants/wm/bodies/pcp/meetings/nope"); },
       absl::StatusCode::kInvalidArgument, "declaration.agenda_item"},
  };
  for (const auto& c : cases) {
    auto request = Declare(P(4), 1, v1::INTEREST_KIND_OTHER_REGISTERABLE, "Governor of a school");
    c.mutate(request);
    auto result = logic_->CreateDeclaration(Officer(), request);
    EXPECT_EQ(result.status().code(), c.code) << c.field_or_reason << ": " << result.status();
    const std::string got = c.code == absl::StatusCode::kInvalidArgument ? Field(result.status())
                                                                         : Reason(result.status());
    EXPECT_EQ(got, c.field_or_reason);
  }
  // A sensitive interest needs no nature; a dispensation carries its detail.
  auto sensitive = Declare(P(5), 1, v1::INTEREST_KIND_SENSITIVE, "");
  EXPECT_TRUE(logic_->CreateDeclaration(Officer(), sensitive).ok());
  auto dispensed = Declare(P(6), 1, v1::INTEREST_KIND_DISCLOSABLE_PECUNIARY, "Landlord");
  dispensed.mutable_declaration()->set_dispensation(true);
  dispensed.mutable_declaration()->set_dispensation_detail(
      "Granted by the Monitoring Officer, 1 September 2023");
  EXPECT_TRUE(logic_->CreateDeclaration(Officer(), dispensed).ok());
  // A substitute may declare too.
  EXPECT_TRUE(logic_
                  ->CreateDeclaration(Officer(), Declare("tenants/wm/people/sub-a", 3,
                                                         v1::INTEREST_KIND_NON_REGISTERABLE,
                                                         "Friend of the presenter"))
                  .ok());
  EXPECT_EQ(Outbox().size(), 4u);
}

TEST_F(AttendanceLogicTest, SensitiveNatureOnlyForOfficersInListsAndEvents) {
  auto request = Declare(P(7), 2, v1::INTEREST_KIND_SENSITIVE, "Relative is a victim in a case");
  request.set_request_id("decl-1");
  auto created = logic_->CreateDeclaration(Officer(), request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->nature(), "Relative is a victim in a case");
  auto retry = logic_->CreateDeclaration(Officer(), request);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->name(), created->name());
  ASSERT_TRUE(
      logic_
          ->CreateDeclaration(Officer(), Declare(P(8), 2, v1::INTEREST_KIND_OTHER_REGISTERABLE,
                                                 "Trustee of a road safety charity"))
          .ok());

  v1::ListDeclarationsRequest list;
  list.set_parent(kMeeting);
  auto as_officer = logic_->ListDeclarations(Officer(), list);
  ASSERT_TRUE(as_officer.ok()) << as_officer.status();
  ASSERT_EQ(as_officer->declarations_size(), 2);
  EXPECT_EQ(as_officer->declarations(0).nature(), "Relative is a victim in a case");
  EXPECT_FALSE(as_officer->declarations(0).nature_withheld());
  for (const auth::Principal& p : {Member(), auth::Principal::Anonymous(), Partner()}) {
    auto seen = logic_->ListDeclarations(p, list);
    ASSERT_TRUE(seen.ok()) << seen.status();
    ASSERT_EQ(seen->declarations_size(), 2);
    EXPECT_TRUE(seen->declarations(0).nature().empty()) << p.DebugString();
    EXPECT_TRUE(seen->declarations(0).nature_withheld());
    EXPECT_EQ(seen->declarations(0).kind(), v1::INTEREST_KIND_SENSITIVE);
    EXPECT_EQ(seen->declarations(1).nature(), "Trustee of a road safety charity");
  }

  // Events: the sensitive one is not public and carries no nature.
  auto events = Outbox();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "declaration.recorded");
  EXPECT_FALSE(events[0].is_public);
  v1::DeclarationRecorded payload;
  ASSERT_TRUE(events[0].event.payload().UnpackTo(&payload));
  EXPECT_TRUE(payload.declaration().nature().empty());
  EXPECT_TRUE(payload.declaration().nature_withheld());
  EXPECT_EQ(events[0].event.payload().value().find("victim"), std::string::npos);
  EXPECT_TRUE(events[1].is_public);
  ASSERT_TRUE(events[1].event.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.declaration().nature(), "Trustee of a road safety charity");
}

TEST_F(AttendanceLogicTest, ListDeclarationsFiltersByItemAndPages) {
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(
        logic_
            ->CreateDeclaration(Officer(), Declare(P(i), i % 2 == 0 ? 1 : 3,
                                                   v1::INTEREST_KIND_NON_REGISTERABLE, "Interest"))
            .ok());
  }
  v1::ListDeclarationsRequest list;
  list.set_parent(kMeeting);
  list.set_page_size(2);
  std::vector<std::string> order;
  int pages = 0;
  do {
    auto page = logic_->ListDeclarations(Member(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& d : page->declarations()) {
      order.push_back(absl::StrCat(d.agenda_item().substr(d.agenda_item().rfind('/') + 1), " ",
                                   d.person().substr(d.person().rfind('/') + 1)));
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(order, ElementsAre("1 m02", "1 m04", "3 m01", "3 m03", "3 m05"));

  v1::ListDeclarationsRequest one;
  one.set_parent(kMeeting);
  one.set_agenda_item(Item(1));
  auto item1 = logic_->ListDeclarations(auth::Principal::Anonymous(), one);
  ASSERT_TRUE(item1.ok());
  EXPECT_EQ(item1->declarations_size(), 2);
  one.set_agenda_item("tenants/wm/bodies/pcp/meetings/2024-01-15/agendaItems/1");
  EXPECT_EQ(Field(logic_->ListDeclarations(Officer(), one).status()), "agenda_item");
  // The public reads declarations of held meetings only; members read them before.
  v1::ListDeclarationsRequest future;
  future.set_parent(kFuture);
  EXPECT_EQ(Reason(logic_->ListDeclarations(auth::Principal::Anonymous(), future).status()),
            "MEETING_NOT_HELD");
  EXPECT_TRUE(logic_->ListDeclarations(Member(), future).ok());
  one.set_agenda_item("");
  one.set_page_size(5000);
  EXPECT_EQ(Field(logic_->ListDeclarations(Officer(), one).status()), "page_size");
}

TEST_F(AttendanceLogicTest, EligibleVotersFromMembershipsAttendanceAndInterests) {
  RollCall();
  // m03 declares a DPI on item 2 without dispensation, m04 with one; m13 (apologies) is
  // substituted by sub-a, who arrives at 15:00.
  ASSERT_TRUE(
      logic_
          ->CreateDeclaration(Officer(), Declare(P(3), 2, v1::INTEREST_KIND_DISCLOSABLE_PECUNIARY,
                                                 "Employed by a camera supplier"))
          .ok());
  auto dispensed = Declare(P(4), 2, v1::INTEREST_KIND_DISCLOSABLE_PECUNIARY, "Shareholder");
  dispensed.mutable_declaration()->set_dispensation(true);
  dispensed.mutable_declaration()->set_dispensation_detail("Monitoring Officer, 4 Sep 2023");
  ASSERT_TRUE(logic_->CreateDeclaration(Officer(), dispensed).ok());
  auto sub = Record("tenants/wm/people/sub-a", v1::ATTENDANCE_KIND_SUBSTITUTE);
  sub.mutable_attendance()->set_on_behalf_of(P(13));
  sub.mutable_attendance()->set_arrived_at("15:00");
  ASSERT_TRUE(Put(sub).ok());

  struct Case {
    std::string name;
    int item;
    int64_t vote;  // 0 = the meeting's start
    int eligible;
    int present;
  };
  const std::vector<Case> cases = {
      {"item 1 at the start", 1, 0, 12, 12},
      {"item 2 at the start: m03 excluded", 2, 0, 11, 12},
      {"item 2 at 15:00: the substitute has arrived", 2, kMeetingStart + 3600, 12, 13},
      {"item 1 at 16:00", 1, kMeetingStart + 7200, 13, 13},
  };
  for (const auto& c : cases) {
    auto voters = Voters(Officer(), c.item, c.vote);
    ASSERT_TRUE(voters.ok()) << voters.status();
    EXPECT_EQ(voters->member_count(), 16) << c.name;  // m17 left the day before: a vacancy.
    EXPECT_EQ(voters->eligible_count(), c.eligible) << c.name;
    EXPECT_EQ(voters->present_count(), c.present) << c.name;
    EXPECT_EQ(voters->members_size(), 17) << c.name;  // 16 members and the substitute.
    EXPECT_EQ(voters->quorum(), kQuorum);
    EXPECT_TRUE(voters->quorate());
  }
  auto at_start = Voters(Member(), 2);
  ASSERT_TRUE(at_start.ok()) << at_start.status();
  for (const auto& e : at_start->members()) {
    if (e.person() == P(3)) {
      EXPECT_EQ(e.reason(), kInterestWithoutDispensation);
      EXPECT_EQ(e.membership(), "tenants/wm/bodies/pcp/memberships/m03-2023-05-22");
    } else if (e.person() == P(4) || e.person() == P(1)) {
      EXPECT_TRUE(e.eligible());
    } else if (e.person() == P(13) || e.person() == P(14)) {
      EXPECT_EQ(e.reason(), kNotPresent);
    } else if (e.person() == "tenants/wm/people/sub-a") {
      EXPECT_EQ(e.on_behalf_of(), P(13));
      EXPECT_EQ(e.reason(), kArrivedAfterVote);
    }
  }

  // The vote must fall on the meeting's day; the item must exist.
  EXPECT_EQ(Field(Voters(Officer(), 1, kMeetingStart + 86400).status()), "vote_time");
  EXPECT_EQ(Voters(Officer(), 9).status().code(), absl::StatusCode::kNotFound);
  v1::ListEligibleVotersRequest bad;
  bad.set_agenda_item(absl::StrCat(kMeeting, "/agendaItems/two"));
  EXPECT_EQ(Field(logic_->ListEligibleVoters(Officer(), bad).status()), "agenda_item");
}

TEST_F(AttendanceLogicTest, EndedMembershipIsAVacancyForVotes) {
  // m16 leaves on the meeting day (inclusive: still a member), m15 the day before (vacancy).
  v1::EndMembershipRequest end;
  end.set_name("tenants/wm/bodies/pcp/memberships/m16-2023-05-22");
  end.set_end_date("2023-09-11");
  ASSERT_TRUE(people_->EndMembership(Officer(), end).ok());
  end.set_name("tenants/wm/bodies/pcp/memberships/m15-2023-05-22");
  end.set_end_date("2023-09-10");
  ASSERT_TRUE(people_->EndMembership(Officer(), end).ok());
  auto voters = Voters(DecisionsService(), 1);
  ASSERT_TRUE(voters.ok()) << voters.status();
  EXPECT_EQ(voters->member_count(), 15);
  EXPECT_EQ(voters->eligible_count(), 15);
  EXPECT_FALSE(voters->attendance_recorded());
  EXPECT_EQ(voters->present_count(), 0);
  EXPECT_FALSE(voters->quorate());  // A quorum is set and nobody is recorded present yet.
}

// Every RPC: a caller of another tenant and a caller without the role are refused before any
// lookup.
TEST_F(AttendanceLogicTest, WrongTenantAndWrongRoleAreRefused) {
  const auto record = Record(P(1), v1::ATTENDANCE_KIND_PRESENT);
  const auto declare = Declare(P(1), 1, v1::INTEREST_KIND_DISCLOSABLE_PECUNIARY, "x");
  v1::ListAttendanceRequest list_attendance;
  list_attendance.set_parent(kMeeting);
  v1::ListDeclarationsRequest list_declarations;
  list_declarations.set_parent(kMeeting);
  v1::ListEligibleVotersRequest voters;
  voters.set_agenda_item(Item(1));

  struct Call {
    std::string name;
    std::function<absl::Status(const auth::Principal&)> run;
    std::vector<auth::Principal> wrong_role;
  };
  const std::vector<Call> calls = {
      {"RecordAttendance",
       [&](const auth::Principal& p) { return logic_->RecordAttendance(p, record).status(); },
       {Member(), Partner(), DecisionsService()}},
      {"CreateDeclaration",
       [&](const auth::Principal& p) { return logic_->CreateDeclaration(p, declare).status(); },
       {Member(), Partner(), DecisionsService()}},
      {"ListAttendance",
       [&](const auth::Principal& p) {
         return logic_->ListAttendance(p, list_attendance).status();
       },
       {}},
      {"ListDeclarations",
       [&](const auth::Principal& p) {
         return logic_->ListDeclarations(p, list_declarations).status();
       },
       {}},
      {"ListEligibleVoters",
       [&](const auth::Principal& p) { return logic_->ListEligibleVoters(p, voters).status(); },
       {Partner()}},
  };
  for (const auto& call : calls) {
    for (const auth::Principal& p :
         {Officer("other"), Member("other"), DecisionsService("other")}) {
      auto status = call.run(p);
      EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << call.name;
      EXPECT_EQ(Reason(status), "TENANT_MISMATCH") << call.name;
    }
    for (const auth::Principal& p : call.wrong_role) {
      EXPECT_EQ(Reason(call.run(p)), "ROLE_NOT_ALLOWED") << call.name << " " << p.DebugString();
    }
  }
  EXPECT_EQ(logic_->RecordAttendance(auth::Principal::Anonymous(), record).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(logic_->CreateDeclaration(auth::Principal::Anonymous(), declare).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(logic_->ListEligibleVoters(auth::Principal::Anonymous(), voters).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Outbox().empty());
  // The allowed readers.
  EXPECT_TRUE(logic_->ListEligibleVoters(Officer(), voters).ok());
  EXPECT_TRUE(logic_->ListEligibleVoters(Member(), voters).ok());
  EXPECT_TRUE(logic_->ListEligibleVoters(DecisionsService(), voters).ok());
}

}  // namespace
}  // namespace moot::scheduling
