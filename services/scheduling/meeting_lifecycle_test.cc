// Meetings: statuses and the transition table (scheduling.proto MeetingStatus), DRAFT on create,
// UpdateMeeting, RescheduleMeeting, defaults from the body's rules, deadlines, events.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "moot/events/v1/event.pb.h"
#include "services/scheduling/people_store.h"
#include "services/scheduling/scheduling_logic.h"
#include "services/scheduling/scheduling_store.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}

// Members see the drafts and the working agenda of their own bodies only (body_access.h): the
// tests here that read as Member() expect a member of the panel, so "user:member" is linked to a
// person sitting on it since 2020 (stored directly: no events to disturb the outbox checks).
void SeatMemberOnPanel(sql::Database& db) {
  ASSERT_TRUE(db.Transact([](sql::Connection& tx) -> absl::Status {
                  v1::Person person;
                  person.set_name("tenants/wm/people/member");
                  person.set_display_name("Cllr Member");
                  person.set_member_type(v1::MEMBER_TYPE_COUNCILLOR);
                  person.set_user_subject("user:member");
                  absl::Status inserted = PeopleStore::InsertPerson(tx, "wm", "member", person);
                  if (!inserted.ok()) {
                    return inserted;
                  }
                  v1::Membership membership;
                  membership.set_name("tenants/wm/bodies/pcp/memberships/member");
                  membership.set_person("tenants/wm/people/member");
                  membership.set_role(v1::MEMBERSHIP_ROLE_MEMBER);
                  membership.set_start_date("2020-01-01");
                  return PeopleStore::InsertMembership(tx, "wm", "pcp", "member", "member",
                                                       membership);
                }).ok());
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

// 2023-11-13 14:00 Europe/London (GMT).
constexpr int64_t kNov13 = 1699884000;
// 2024-01-15 14:00.
constexpr int64_t kJan15 = 1705327200;

class MeetingLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
    SeatMemberOnPanel(*db_);
    v1::CreateBodyRequest request;
    request.set_parent("tenants/wm");
    request.set_body_id("pcp");
    request.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
    request.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
    request.mutable_body()->mutable_rules()->set_default_venue("Walsall Council Chamber");
    request.mutable_body()->mutable_rules()->set_default_webcast_provider(
        "Walsall MBC webcasting portal");
    request.mutable_body()->mutable_rules()->set_default_webcast_url(
        "https://walsall.public-i.tv/core/portal/home");
    ASSERT_TRUE(logic_->CreateBody(Officer(), request).ok());
  }

  absl::StatusOr<v1::Meeting> Create(const std::string& id,
                                     v1::MeetingKind kind = v1::MEETING_KIND_ORDINARY,
                                     v1::MeetingStatus status = v1::MEETING_STATUS_UNSPECIFIED,
                                     int64_t start = kNov13) {
    v1::CreateMeetingRequest request;
    request.set_parent("tenants/wm/bodies/pcp");
    request.set_meeting_id(id);
    request.mutable_meeting()->set_title("Police and Crime Panel");
    request.mutable_meeting()->set_kind(kind);
    request.mutable_meeting()->set_status(status);
    *request.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(start);
    *request.mutable_meeting()->mutable_end_time() = TimeUtil::SecondsToTimestamp(start + 7200);
    return logic_->CreateMeeting(Officer(), request);
  }

  absl::StatusOr<v1::Meeting> Transition(const std::string& id, v1::MeetingStatus to,
                                         const std::string& reason = "a reason") {
    v1::TransitionMeetingRequest request;
    request.set_name(absl::StrCat("tenants/wm/bodies/pcp/meetings/", id));
    request.set_status(to);
    request.set_reason(reason);
    return logic_->TransitionMeeting(Officer(), request);
  }

  // A meeting brought into `status` through the API.
  void MakeMeetingIn(const std::string& id, v1::MeetingStatus status) {
    switch (status) {
      case v1::MEETING_STATUS_DRAFT:
        ASSERT_TRUE(Create(id, v1::MEETING_KIND_ORDINARY, v1::MEETING_STATUS_DRAFT).ok());
        return;
      case v1::MEETING_STATUS_PROVISIONAL:
        ASSERT_TRUE(Create(id, v1::MEETING_KIND_PROVISIONAL).ok());
        return;
      case v1::MEETING_STATUS_AGENDA_PUBLISHED: {
        ASSERT_TRUE(Create(id).ok());
        v1::PublishAgendaRequest publish;
        publish.set_name(absl::StrCat("tenants/wm/bodies/pcp/meetings/", id));
        ASSERT_TRUE(logic_->PublishAgenda(Officer(), publish).ok());
        return;
      }
      case v1::MEETING_STATUS_POSTPONED:
      case v1::MEETING_STATUS_HELD:
      case v1::MEETING_STATUS_CANCELLED: {
        ASSERT_TRUE(Create(id).ok());
        auto moved = Transition(id, status);
        ASSERT_TRUE(moved.ok()) << moved.status();
        return;
      }
      default:
        ASSERT_TRUE(Create(id).ok());
    }
  }

  std::vector<events::v1::Event> Outbox() {
    std::vector<events::v1::Event> events;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT payload FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       events::v1::Event e;
                       e.ParseFromString(row.String(0));
                       events.push_back(e);
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return events;
  }

  std::unique_ptr<sql::Database> db_;
  // After every meeting of these tests has started, so HELD is accepted.
  time::FakeClock clock_{absl::FromUnixSeconds(kJan15 + 86400 * 60)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> logic_;
};

TEST_F(MeetingLifecycleTest, CreateFillsDefaultsAndDeadlines) {
  auto meeting = Create("2023-11-13");
  ASSERT_TRUE(meeting.ok()) << meeting.status();
  // R-MTG-02: venue and webcast from the body's rules.
  EXPECT_EQ(meeting->venue(), "Walsall Council Chamber");
  EXPECT_EQ(meeting->webcast_provider(), "Walsall MBC webcasting portal");
  EXPECT_EQ(meeting->webcast_url(), "https://walsall.public-i.tv/core/portal/home");
  EXPECT_EQ(meeting->question_deadline_date(), "2023-11-09");     // R-PQ-01.
  EXPECT_EQ(meeting->publication_deadline_date(), "2023-11-03");  // R-MTG-09.
  EXPECT_EQ(TimeUtil::TimestampToSeconds(meeting->question_deadline()), 1699574340);
  EXPECT_EQ(meeting->sequence(), 0);

  // A meeting's own venue wins.
  v1::CreateMeetingRequest own;
  own.set_parent("tenants/wm/bodies/pcp");
  own.set_meeting_id("sandwell");
  own.mutable_meeting()->set_title("Police and Crime Panel");
  own.mutable_meeting()->set_venue("Sandwell Council Chamber");
  own.mutable_meeting()->set_webcast_provider("Sandwell MBC meeting portal");
  *own.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(kJan15);
  auto sandwell = logic_->CreateMeeting(Officer(), own);
  ASSERT_TRUE(sandwell.ok());
  EXPECT_EQ(sandwell->venue(), "Sandwell Council Chamber");
  EXPECT_EQ(sandwell->webcast_provider(), "Sandwell MBC meeting portal");

  // Only DRAFT (or the kind's own first status) may be asked for.
  EXPECT_EQ(Field(Create("x", v1::MEETING_KIND_ORDINARY, v1::MEETING_STATUS_HELD).status()),
            "meeting.status");
  EXPECT_EQ(Field(Create("x", v1::MEETING_KIND_ORDINARY, v1::MEETING_STATUS_PROVISIONAL).status()),
            "meeting.status");
  EXPECT_TRUE(Create("p", v1::MEETING_KIND_PROVISIONAL, v1::MEETING_STATUS_PROVISIONAL).ok());
}

TEST_F(MeetingLifecycleTest, DraftsAreHiddenFromThePublicAndTheirEventsArePrivate) {
  auto draft = Create("draft", v1::MEETING_KIND_ORDINARY, v1::MEETING_STATUS_DRAFT);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->status(), v1::MEETING_STATUS_DRAFT);
  v1::GetMeetingRequest get;
  get.set_name(draft->name());
  EXPECT_EQ(logic_->GetMeeting(auth::Principal::Anonymous(), get).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(logic_->GetMeeting(Member(), get).ok());
  v1::ListMeetingsRequest list;
  list.set_parent("tenants/wm/bodies/pcp");
  auto public_list = logic_->ListMeetings(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(public_list.ok());
  EXPECT_EQ(public_list->meetings_size(), 0);

  v1::UpdateMeetingRequest update;
  update.mutable_meeting()->set_name(draft->name());
  update.mutable_meeting()->set_title("Police and Crime Panel (draft)");
  update.mutable_update_mask()->add_paths("title");
  ASSERT_TRUE(logic_->UpdateMeeting(Officer(), update).ok());
  ASSERT_TRUE(Transition("draft", v1::MEETING_STATUS_SCHEDULED, "").ok());

  std::vector<std::pair<std::string, bool>> seen;
  for (const auto& e : Outbox()) {
    seen.emplace_back(e.type(), e.public_());
  }
  EXPECT_THAT(seen, ElementsAre(std::pair<std::string, bool>{"meeting.drafted", false},
                                std::pair<std::string, bool>{"meeting.updated", false},
                                std::pair<std::string, bool>{"meeting.scheduled", true}));
  EXPECT_TRUE(logic_->GetMeeting(auth::Principal::Anonymous(), get).ok());
  // From now on its changes are public.
  ASSERT_TRUE(Transition("draft", v1::MEETING_STATUS_POSTPONED, "Chair unavailable").ok());
  EXPECT_TRUE(Outbox().back().public_());
}

// Every allowed transition of the table in scheduling.proto, with its event.
TEST_F(MeetingLifecycleTest, AllowedTransitions) {
  struct Case {
    v1::MeetingStatus from;
    v1::MeetingKind kind;
    v1::MeetingStatus to;
    std::string event;
  };
  const auto O = v1::MEETING_KIND_ORDINARY;
  const auto P = v1::MEETING_KIND_PROVISIONAL;
  const std::vector<Case> cases = {
      {v1::MEETING_STATUS_DRAFT, O, v1::MEETING_STATUS_SCHEDULED, "meeting.scheduled"},
      {v1::MEETING_STATUS_DRAFT, P, v1::MEETING_STATUS_PROVISIONAL, "meeting.scheduled"},
      {v1::MEETING_STATUS_DRAFT, O, v1::MEETING_STATUS_CANCELLED, "meeting.cancelled"},
      {v1::MEETING_STATUS_SCHEDULED, O, v1::MEETING_STATUS_HELD, "meeting.held"},
      {v1::MEETING_STATUS_SCHEDULED, O, v1::MEETING_STATUS_CANCELLED, "meeting.cancelled"},
      {v1::MEETING_STATUS_SCHEDULED, O, v1::MEETING_STATUS_POSTPONED, "meeting.postponed"},
      {v1::MEETING_STATUS_PROVISIONAL, P, v1::MEETING_STATUS_SCHEDULED, "meeting.confirmed"},
      {v1::MEETING_STATUS_PROVISIONAL, P, v1::MEETING_STATUS_CANCELLED, "meeting.cancelled"},
      {v1::MEETING_STATUS_AGENDA_PUBLISHED, O, v1::MEETING_STATUS_HELD, "meeting.held"},
      {v1::MEETING_STATUS_AGENDA_PUBLISHED, O, v1::MEETING_STATUS_CANCELLED, "meeting.cancelled"},
      {v1::MEETING_STATUS_AGENDA_PUBLISHED, O, v1::MEETING_STATUS_POSTPONED, "meeting.postponed"},
      {v1::MEETING_STATUS_POSTPONED, O, v1::MEETING_STATUS_CANCELLED, "meeting.cancelled"},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string id = absl::StrCat("m", n++);
    if (c.from == v1::MEETING_STATUS_DRAFT) {
      ASSERT_TRUE(Create(id, c.kind, v1::MEETING_STATUS_DRAFT).ok());
    } else {
      MakeMeetingIn(id, c.from);
    }
    v1::GetMeetingRequest get;
    get.set_name(absl::StrCat("tenants/wm/bodies/pcp/meetings/", id));
    auto before = logic_->GetMeeting(Officer(), get);
    ASSERT_TRUE(before.ok());
    ASSERT_EQ(before->status(), c.from) << id;
    auto after = Transition(id, c.to, "the reason given");
    ASSERT_TRUE(after.ok()) << id << " " << after.status();
    EXPECT_EQ(after->status(), c.to) << id;
    EXPECT_EQ(after->status_reason(), "the reason given");
    EXPECT_EQ(after->sequence(), before->sequence() + 1) << id;
    const events::v1::Event last = Outbox().back();
    EXPECT_EQ(last.type(), c.event) << id;
    v1::MeetingChanged payload;
    ASSERT_TRUE(last.payload().UnpackTo(&payload));
    EXPECT_EQ(payload.previous_status(), c.from);
    EXPECT_EQ(payload.meeting().status(), c.to);
    EXPECT_EQ(payload.reason(), "the reason given");
  }
}

TEST_F(MeetingLifecycleTest, RefusedTransitions) {
  struct Case {
    v1::MeetingStatus from;
    v1::MeetingStatus to;
  };
  const std::vector<Case> cases = {
      {v1::MEETING_STATUS_HELD, v1::MEETING_STATUS_CANCELLED},
      {v1::MEETING_STATUS_HELD, v1::MEETING_STATUS_SCHEDULED},
      {v1::MEETING_STATUS_CANCELLED, v1::MEETING_STATUS_SCHEDULED},
      {v1::MEETING_STATUS_CANCELLED, v1::MEETING_STATUS_HELD},
      {v1::MEETING_STATUS_SCHEDULED, v1::MEETING_STATUS_PROVISIONAL},
      {v1::MEETING_STATUS_SCHEDULED, v1::MEETING_STATUS_SCHEDULED},
      {v1::MEETING_STATUS_DRAFT, v1::MEETING_STATUS_PROVISIONAL},  // Not a provisional meeting.
      {v1::MEETING_STATUS_DRAFT, v1::MEETING_STATUS_HELD},
      {v1::MEETING_STATUS_PROVISIONAL, v1::MEETING_STATUS_HELD},
      {v1::MEETING_STATUS_PROVISIONAL, v1::MEETING_STATUS_POSTPONED},
      {v1::MEETING_STATUS_POSTPONED, v1::MEETING_STATUS_SCHEDULED},  // Needs a new date.
      {v1::MEETING_STATUS_POSTPONED, v1::MEETING_STATUS_HELD},
      {v1::MEETING_STATUS_AGENDA_PUBLISHED, v1::MEETING_STATUS_SCHEDULED},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string id = absl::StrCat("r", n++);
    MakeMeetingIn(id, c.from);
    const size_t events = Outbox().size();
    auto refused = Transition(id, c.to);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << id;
    EXPECT_EQ(Reason(refused.status()), "MEETING_TRANSITION_NOT_ALLOWED") << id;
    EXPECT_EQ(Outbox().size(), events) << id;
  }
  // AGENDA_PUBLISHED and DRAFT are not targets of TransitionMeeting.
  MakeMeetingIn("t", v1::MEETING_STATUS_SCHEDULED);
  EXPECT_EQ(Field(Transition("t", v1::MEETING_STATUS_AGENDA_PUBLISHED).status()), "status");
  EXPECT_EQ(Field(Transition("t", v1::MEETING_STATUS_DRAFT).status()), "status");
}

TEST_F(MeetingLifecycleTest, ReasonsAndStartAreRequiredWhereTheRulesSaySo) {
  MakeMeetingIn("s", v1::MEETING_STATUS_SCHEDULED);
  MakeMeetingIn("p", v1::MEETING_STATUS_PROVISIONAL);
  EXPECT_EQ(Field(Transition("s", v1::MEETING_STATUS_CANCELLED, "").status()), "reason");
  EXPECT_EQ(Field(Transition("s", v1::MEETING_STATUS_POSTPONED, "").status()), "reason");
  EXPECT_EQ(Field(Transition("p", v1::MEETING_STATUS_SCHEDULED, "").status()), "reason");
  EXPECT_EQ(Field(Transition("s", v1::MEETING_STATUS_CANCELLED, std::string(1001, 'x')).status()),
            "reason");
  // HELD only once the meeting has started.
  ASSERT_TRUE(Create("future", v1::MEETING_KIND_ORDINARY, v1::MEETING_STATUS_UNSPECIFIED,
                     kJan15 + 86400 * 365)
                  .ok());
  EXPECT_EQ(Reason(Transition("future", v1::MEETING_STATUS_HELD).status()), "MEETING_NOT_STARTED");
}

TEST_F(MeetingLifecycleTest, RescheduleMovesTheDateAndTheDeadlines) {
  auto created = Create("2023-11-13");
  ASSERT_TRUE(created.ok());
  v1::RescheduleMeetingRequest request;
  request.set_name(created->name());
  *request.mutable_start_time() = TimeUtil::SecondsToTimestamp(kJan15);
  request.set_reason("Moved to January at the Chair's request");
  auto moved = logic_->RescheduleMeeting(Officer(), request);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->local_date(), "2024-01-15");
  // The two-hour length is kept.
  EXPECT_EQ(TimeUtil::TimestampToSeconds(moved->end_time()), kJan15 + 7200);
  EXPECT_EQ(moved->question_deadline_date(), "2024-01-11");
  // Five clear working days before Mon 15 Jan 2024: Mon 8 .. Fri 12 -> Fri 5 Jan.
  EXPECT_EQ(moved->publication_deadline_date(), "2024-01-05");
  EXPECT_EQ(moved->sequence(), 1);
  EXPECT_EQ(moved->status_reason(), "Moved to January at the Chair's request");
  EXPECT_NE(moved->etag(), created->etag());
  const events::v1::Event last = Outbox().back();
  EXPECT_EQ(last.type(), "meeting.rescheduled");
  EXPECT_TRUE(last.public_());
  v1::MeetingChanged payload;
  ASSERT_TRUE(last.payload().UnpackTo(&payload));
  EXPECT_EQ(TimeUtil::TimestampToSeconds(payload.previous_start_time()), kNov13);

  // Listed in the new order.
  ASSERT_TRUE(
      Create("dec", v1::MEETING_KIND_ORDINARY, v1::MEETING_STATUS_UNSPECIFIED, kNov13 + 86400 * 21)
          .ok());
  v1::ListMeetingsRequest list;
  list.set_parent("tenants/wm/bodies/pcp");
  auto listed = logic_->ListMeetings(Officer(), list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->meetings_size(), 2);
  EXPECT_EQ(listed->meetings(0).name(), "tenants/wm/bodies/pcp/meetings/dec");

  // Bad input.
  struct Case {
    std::function<void(v1::RescheduleMeetingRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.clear_reason(); }, "reason"},
      {[](auto& r) { r.clear_start_time(); }, "start_time"},
      {[](auto& r) { *r.mutable_end_time() = TimeUtil::SecondsToTimestamp(kJan15 - 60); },
       "end_time"},
      {[](auto& r) { r.set_name("tenants/wm/bodies/pcp"); }, "name"},
  };
  for (const auto& c : cases) {
    v1::RescheduleMeetingRequest bad = request;
    c.mutate(bad);
    EXPECT_EQ(Field(logic_->RescheduleMeeting(Officer(), bad).status()), c.field) << c.field;
  }
  // A postponed meeting gets its new date and is scheduled again; a held one cannot move.
  MakeMeetingIn("postponed", v1::MEETING_STATUS_POSTPONED);
  request.set_name("tenants/wm/bodies/pcp/meetings/postponed");
  auto again = logic_->RescheduleMeeting(Officer(), request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->status(), v1::MEETING_STATUS_SCHEDULED);
  MakeMeetingIn("held", v1::MEETING_STATUS_HELD);
  request.set_name("tenants/wm/bodies/pcp/meetings/held");
  EXPECT_EQ(Reason(logic_->RescheduleMeeting(Officer(), request).status()),
            "MEETING_TRANSITION_NOT_ALLOWED");

  // Idempotent with a request id.
  request.set_name(created->name());
  request.set_request_id("resched-1");
  auto first = logic_->RescheduleMeeting(Officer(), request);
  ASSERT_TRUE(first.ok());
  auto retry = logic_->RescheduleMeeting(Officer(), request);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->sequence(), first->sequence());
}

TEST_F(MeetingLifecycleTest, UpdateMeetingChangesDetailsWithMaskAndEtag) {
  auto created = Create("2023-11-13");
  ASSERT_TRUE(created.ok());
  v1::UpdateMeetingRequest update;
  update.mutable_meeting()->set_name(created->name());
  update.mutable_meeting()->set_etag(created->etag());
  update.mutable_meeting()->set_venue("Sandwell Council Chamber");
  update.mutable_meeting()->set_webcast_provider("Sandwell MBC meeting portal");
  update.mutable_meeting()->set_title("not in the mask");
  update.mutable_update_mask()->add_paths("venue");
  update.mutable_update_mask()->add_paths("webcast_provider");
  auto updated = logic_->UpdateMeeting(Officer(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->venue(), "Sandwell Council Chamber");
  EXPECT_EQ(updated->webcast_provider(), "Sandwell MBC meeting portal");
  EXPECT_EQ(updated->title(), "Police and Crime Panel");
  EXPECT_EQ(updated->sequence(), 1);
  EXPECT_EQ(Outbox().back().type(), "meeting.updated");
  // Stale etag.
  auto stale = logic_->UpdateMeeting(Officer(), update);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(stale.status()), "ETAG_MISMATCH");

  struct Case {
    std::string path;
    std::function<void(v1::Meeting&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"start_time", [](auto&) {}, "update_mask"},
      {"status", [](auto&) {}, "update_mask"},
      {"sequence", [](auto&) {}, "update_mask"},
      {"title", [](auto& m) { m.clear_title(); }, "meeting.title"},
      {"end_time", [](auto& m) { *m.mutable_end_time() = TimeUtil::SecondsToTimestamp(kNov13); },
       "meeting.end_time"},
      {"kind", [](auto& m) { m.set_kind(v1::MEETING_KIND_PROVISIONAL); }, "meeting.kind"},
      {"venue", [](auto& m) { m.set_venue(std::string(501, 'v')); }, "meeting.venue"},
  };
  for (const auto& c : cases) {
    v1::UpdateMeetingRequest bad;
    bad.mutable_meeting()->set_name(created->name());
    c.mutate(*bad.mutable_meeting());
    bad.mutable_update_mask()->add_paths(c.path);
    EXPECT_EQ(Field(logic_->UpdateMeeting(Officer(), bad).status()), c.field) << c.path;
  }
  v1::UpdateMeetingRequest agm;
  agm.mutable_meeting()->set_name(created->name());
  agm.mutable_meeting()->set_kind(v1::MEETING_KIND_AGM);
  agm.mutable_update_mask()->add_paths("kind");
  auto as_agm = logic_->UpdateMeeting(Officer(), agm);
  ASSERT_TRUE(as_agm.ok()) << as_agm.status();
  EXPECT_EQ(as_agm->kind(), v1::MEETING_KIND_AGM);
  // A cancelled meeting does not change.
  ASSERT_TRUE(Transition("2023-11-13", v1::MEETING_STATUS_CANCELLED, "No business").ok());
  EXPECT_EQ(Reason(logic_->UpdateMeeting(Officer(), agm).status()), "MEETING_CANCELLED");
}

// Each new RPC refuses a caller of another tenant and a caller without the officer role.
TEST_F(MeetingLifecycleTest, AccessForTheNewMeetingMethods) {
  auto created = Create("2023-11-13");
  ASSERT_TRUE(created.ok());
  v1::UpdateMeetingRequest update;
  update.mutable_meeting()->set_name(created->name());
  update.mutable_meeting()->set_venue("x");
  update.mutable_update_mask()->add_paths("venue");
  v1::RescheduleMeetingRequest reschedule;
  reschedule.set_name(created->name());
  *reschedule.mutable_start_time() = TimeUtil::SecondsToTimestamp(kJan15);
  reschedule.set_reason("r");
  v1::TransitionMeetingRequest transition;
  transition.set_name(created->name());
  transition.set_status(v1::MEETING_STATUS_CANCELLED);
  transition.set_reason("r");
  auth::Principal admin{.tenant = "wm", .subject = "user:a", .roles = {auth::Role::kTenantAdmin}};
  for (const auth::Principal& who : {Member(), admin}) {
    EXPECT_EQ(Reason(logic_->UpdateMeeting(who, update).status()), "ROLE_NOT_ALLOWED");
    EXPECT_EQ(Reason(logic_->RescheduleMeeting(who, reschedule).status()), "ROLE_NOT_ALLOWED");
    EXPECT_EQ(Reason(logic_->TransitionMeeting(who, transition).status()), "ROLE_NOT_ALLOWED");
  }
  EXPECT_EQ(Reason(logic_->UpdateMeeting(Officer("other"), update).status()), "TENANT_MISMATCH");
  EXPECT_EQ(Reason(logic_->RescheduleMeeting(Officer("other"), reschedule).status()),
            "TENANT_MISMATCH");
  EXPECT_EQ(Reason(logic_->TransitionMeeting(Officer("other"), transition).status()),
            "TENANT_MISMATCH");
  EXPECT_EQ(logic_->TransitionMeeting(auth::Principal::Anonymous(), transition).status().code(),
            absl::StatusCode::kUnauthenticated);
  // Unknown meetings are NOT_FOUND for the right caller.
  transition.set_name("tenants/wm/bodies/pcp/meetings/nope");
  EXPECT_EQ(logic_->TransitionMeeting(Officer(), transition).status().code(),
            absl::StatusCode::kNotFound);
  // Nothing changed.
  EXPECT_THAT(Outbox().size(), 1u);
}

// Meetings stored without deadlines (before they were kept) get them on every read path.
TEST_F(MeetingLifecycleTest, ReadsFillDeadlinesMissingFromOlderRows) {
  v1::Meeting old;
  old.set_name("tenants/wm/bodies/pcp/meetings/2023-11-13");
  old.set_title("Police and Crime Panel");
  old.set_status(v1::MEETING_STATUS_SCHEDULED);
  *old.mutable_start_time() = TimeUtil::SecondsToTimestamp(kNov13);
  ASSERT_TRUE(db_->Transact([&](sql::Connection& tx) {
                   return SchedulingStore::InsertMeeting(tx, "wm", "pcp", "2023-11-13", old);
                 })
                  .ok());
  v1::GetMeetingRequest get;
  get.set_name(old.name());
  auto read = logic_->GetMeeting(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->question_deadline_date(), "2023-11-09");
  EXPECT_EQ(read->publication_deadline_date(), "2023-11-03");
  v1::ListMeetingsRequest list;
  list.set_parent("tenants/wm/bodies/pcp");
  auto listed = logic_->ListMeetings(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->meetings_size(), 1);
  EXPECT_EQ(listed->meetings(0).question_deadline_date(), "2023-11-09");
}

// R-MTG-11: the minutes record when the meeting ended; recorded with HELD (or on a HELD meeting
// later), after the start, on the same day in Europe/London, not in the future.
TEST_F(MeetingLifecycleTest, ActualEndTimeIsRecordedWhenHeld) {
  struct Case {
    std::string label;
    int64_t end;        // Seconds since the epoch.
    std::string local;  // The printed "HH:MM", or empty when refused.
  };
  // The meeting of 13 Nov 2023 starts at 14:00 GMT (kNov13).
  const std::vector<Case> cases = {
      {"ended at 16:21", kNov13 + 2 * 3600 + 21 * 60, "16:21"},
      {"ended a minute before midnight", kNov13 + 9 * 3600 + 59 * 60, "23:59"},
      {"ends as it starts", kNov13, ""},
      {"ends before it starts", kNov13 - 60, ""},
      {"ends the next day", kNov13 + 10 * 3600 + 60, ""},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    const std::string id = absl::StrCat("h", n++);
    ASSERT_TRUE(Create(id).ok());
    v1::TransitionMeetingRequest held;
    held.set_name(absl::StrCat("tenants/wm/bodies/pcp/meetings/", id));
    held.set_status(v1::MEETING_STATUS_HELD);
    *held.mutable_actual_end_time() = TimeUtil::SecondsToTimestamp(c.end);
    auto result = logic_->TransitionMeeting(Officer(), held);
    if (c.local.empty()) {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(Field(result.status()), "actual_end_time");
      continue;
    }
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(TimeUtil::TimestampToSeconds(result->actual_end_time()), c.end);
    EXPECT_EQ(result->actual_end_local_time(), c.local);
    // The `meeting.held` event carries it.
    const auto last = Outbox().back();
    EXPECT_EQ(last.type(), "meeting.held");
    v1::MeetingChanged payload;
    ASSERT_TRUE(last.payload().UnpackTo(&payload));
    EXPECT_EQ(payload.meeting().actual_end_local_time(), c.local);
    v1::GetMeetingRequest get;
    get.set_name(held.name());
    auto read = logic_->GetMeeting(auth::Principal::Anonymous(), get);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->actual_end_local_time(), c.local);
  }

  // Only with HELD.
  ASSERT_TRUE(Create("c").ok());
  v1::TransitionMeetingRequest cancel;
  cancel.set_name("tenants/wm/bodies/pcp/meetings/c");
  cancel.set_status(v1::MEETING_STATUS_CANCELLED);
  cancel.set_reason("Not quorate");
  *cancel.mutable_actual_end_time() = TimeUtil::SecondsToTimestamp(kNov13 + 3600);
  EXPECT_EQ(Field(logic_->TransitionMeeting(Officer(), cancel).status()), "actual_end_time");

  // Later, with UpdateMeeting, on a HELD meeting only (British Summer Time: 13:00 UTC is 14:00).
  constexpr int64_t kSep11 = 1694437200;  // 2023-09-11 14:00 BST.
  ASSERT_TRUE(
      Create("later", v1::MEETING_KIND_ORDINARY, v1::MEETING_STATUS_UNSPECIFIED, kSep11).ok());
  v1::UpdateMeetingRequest update;
  update.mutable_meeting()->set_name("tenants/wm/bodies/pcp/meetings/later");
  *update.mutable_meeting()->mutable_actual_end_time() =
      TimeUtil::SecondsToTimestamp(kSep11 + 2 * 3600 + 21 * 60);
  update.mutable_update_mask()->add_paths("actual_end_time");
  EXPECT_EQ(Reason(logic_->UpdateMeeting(Officer(), update).status()), "MEETING_NOT_HELD");
  ASSERT_TRUE(Transition("later", v1::MEETING_STATUS_HELD).ok());
  auto updated = logic_->UpdateMeeting(Officer(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->actual_end_local_time(), "16:21");
  // Another field's update keeps it.
  v1::UpdateMeetingRequest title;
  title.mutable_meeting()->set_name("tenants/wm/bodies/pcp/meetings/later");
  title.mutable_meeting()->set_title("Police and Crime Panel (held)");
  title.mutable_update_mask()->add_paths("title");
  auto retitled = logic_->UpdateMeeting(Officer(), title);
  ASSERT_TRUE(retitled.ok());
  EXPECT_EQ(retitled->actual_end_local_time(), "16:21");

  // Not in the future: a meeting under way now cannot have ended an hour from now.
  const int64_t now = absl::ToUnixSeconds(clock_.Now());
  ASSERT_TRUE(
      Create("now", v1::MEETING_KIND_ORDINARY, v1::MEETING_STATUS_UNSPECIFIED, now - 3600).ok());
  v1::TransitionMeetingRequest early;
  early.set_name("tenants/wm/bodies/pcp/meetings/now");
  early.set_status(v1::MEETING_STATUS_HELD);
  *early.mutable_actual_end_time() = TimeUtil::SecondsToTimestamp(now + 3600);
  EXPECT_EQ(Field(logic_->TransitionMeeting(Officer(), early).status()), "actual_end_time");
}

}  // namespace
}  // namespace moot::scheduling
