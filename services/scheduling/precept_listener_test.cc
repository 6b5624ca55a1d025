// R-MTG-07: provisional meetings follow the precept outcome (PreceptListener, called directly).
#include "services/scheduling/precept_listener.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}

// 2024-02-05 14:00 (the precept meeting) and 2024-02-19 14:00 (the provisional meeting).
constexpr int64_t kFeb5 = 1707141600;
constexpr int64_t kFeb19 = 1708351200;
// 2025-02-17 14:00: next cycle's provisional meeting.
constexpr int64_t kFeb17Next = 1739800800;

class PreceptListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
    ASSERT_TRUE(PreceptListener::Migrate(*db_).ok());
    listener_ = std::make_unique<PreceptListener>(*logic_, *db_, clock_);
    for (const char* tenant : {"wm", "ns"}) {
      v1::CreateBodyRequest body;
      body.set_parent(absl::StrCat("tenants/", tenant));
      body.set_body_id("pcp");
      body.mutable_body()->set_display_name("Police and Crime Panel");
      body.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
      ASSERT_TRUE(logic_->CreateBody(Officer(tenant), body).ok());
      Meeting(tenant, "2024-02-19", kFeb19, v1::MEETING_KIND_PROVISIONAL);
    }
    Meeting("wm", "2024-02-05", kFeb5, v1::MEETING_KIND_ORDINARY);
    Meeting("wm", "2025-02-17", kFeb17Next, v1::MEETING_KIND_PROVISIONAL);
  }

  void Meeting(const std::string& tenant, const std::string& id, int64_t start,
               v1::MeetingKind kind) {
    v1::CreateMeetingRequest request;
    request.set_parent(absl::StrCat("tenants/", tenant, "/bodies/pcp"));
    request.set_meeting_id(id);
    request.mutable_meeting()->set_title("Police and Crime Panel");
    request.mutable_meeting()->set_kind(kind);
    *request.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(start);
    ASSERT_TRUE(logic_->CreateMeeting(Officer(tenant), request).ok());
  }

  events::v1::Event Event(const std::string& id, const std::string& type,
                          v1::PreceptOutcomeKind kind, const std::string& tenant = "wm",
                          const std::string& body = "tenants/wm/bodies/pcp") {
    v1::PreceptOutcome outcome;
    outcome.set_tenant(tenant);
    outcome.set_body(body);
    outcome.set_precept_year("2024-25");
    outcome.set_outcome(kind);
    *outcome.mutable_decided_at() = TimeUtil::SecondsToTimestamp(kFeb5 + 3600);
    events::v1::Event event;
    event.set_id(id);
    event.set_type(type);
    event.set_tenant(tenant);
    event.set_source("budget");
    *event.mutable_time() = TimeUtil::SecondsToTimestamp(kFeb5 + 3600);
    event.mutable_payload()->PackFrom(outcome);
    return event;
  }

  v1::Meeting Get(const std::string& tenant, const std::string& id) {
    v1::GetMeetingRequest get;
    get.set_name(absl::StrCat("tenants/", tenant, "/bodies/pcp/meetings/", id));
    auto meeting = logic_->GetMeeting(Officer(tenant), get);
    EXPECT_TRUE(meeting.ok()) << meeting.status();
    return meeting.ok() ? *meeting : v1::Meeting();
  }

  absl::StatusOr<int> Handle(const events::v1::Event& event) {
    absl::StatusOr<int> changed = 0;
    absl::Status status = db_->Transact([&](sql::Connection& tx) -> absl::Status {
      changed = listener_->Handle(tx, event);
      return changed.status();
    });
    if (!status.ok()) {
      return status;
    }
    return changed;
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
  time::FakeClock clock_{absl::FromUnixSeconds(kFeb5 + 7200)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> logic_;
  std::unique_ptr<PreceptListener> listener_;
};

TEST_F(PreceptListenerTest, AVetoConfirmsTheProvisionalMeetingOfThatCycle) {
  const size_t before = OutboxTypes().size();
  auto changed = Handle(Event("ev-veto", "precept.vetoed", v1::PRECEPT_OUTCOME_KIND_VETOED));
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 1);
  const v1::Meeting confirmed = Get("wm", "2024-02-19");
  EXPECT_EQ(confirmed.status(), v1::MEETING_STATUS_SCHEDULED);
  EXPECT_THAT(confirmed.status_reason(), HasSubstr("precept.vetoed"));
  EXPECT_THAT(confirmed.status_reason(), HasSubstr("2024-25"));
  EXPECT_EQ(confirmed.sequence(), 1);
  // The next cycle's provisional meeting, the ordinary meeting and the other tenant's: untouched.
  EXPECT_EQ(Get("wm", "2025-02-17").status(), v1::MEETING_STATUS_PROVISIONAL);
  EXPECT_EQ(Get("wm", "2024-02-05").status(), v1::MEETING_STATUS_SCHEDULED);
  EXPECT_EQ(Get("ns", "2024-02-19").status(), v1::MEETING_STATUS_PROVISIONAL);
  std::vector<std::string> types = OutboxTypes();
  ASSERT_EQ(types.size(), before + 1);
  EXPECT_EQ(types.back(), "meeting.confirmed");
}

// The budget service packs its own wire-compatible moot.budget.v1.PreceptOutcome (same field
// numbers); the listener reads it by message name.
TEST_F(PreceptListenerTest, TheBudgetServicesOwnOutcomeMessageIsRead) {
  events::v1::Event event = Event("ev-budget", "precept.vetoed", v1::PRECEPT_OUTCOME_KIND_VETOED);
  event.mutable_payload()->set_type_url("type.googleapis.com/moot.budget.v1.PreceptOutcome");
  auto changed = Handle(event);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 1);
  EXPECT_EQ(Get("wm", "2024-02-19").status(), v1::MEETING_STATUS_SCHEDULED);
}

TEST_F(PreceptListenerTest, NoVetoCancelsIt) {
  struct Case {
    std::string type;
    v1::PreceptOutcomeKind outcome;
    v1::MeetingStatus expected;
  };
  const std::vector<Case> cases = {
      {"precept.not_vetoed", v1::PRECEPT_OUTCOME_KIND_NOT_VETOED, v1::MEETING_STATUS_CANCELLED},
      {"precept.supported", v1::PRECEPT_OUTCOME_KIND_NOT_VETOED, v1::MEETING_STATUS_CANCELLED},
      {"precept.issued", v1::PRECEPT_OUTCOME_KIND_NOT_VETOED, v1::MEETING_STATUS_CANCELLED},
      // Issued after a veto: nothing to cancel.
      {"precept.issued", v1::PRECEPT_OUTCOME_KIND_VETOED, v1::MEETING_STATUS_PROVISIONAL},
      // Not an outcome.
      {"precept.proposed", v1::PRECEPT_OUTCOME_KIND_UNSPECIFIED, v1::MEETING_STATUS_PROVISIONAL},
  };
  int n = 0;
  for (const Case& c : cases) {
    SetUp();  // A fresh database per case.
    auto changed = Handle(Event(absl::StrCat("ev-", n++), c.type, c.outcome));
    ASSERT_TRUE(changed.ok()) << c.type << " " << changed.status();
    const v1::Meeting meeting = Get("wm", "2024-02-19");
    EXPECT_EQ(meeting.status(), c.expected) << c.type;
    if (c.expected == v1::MEETING_STATUS_CANCELLED) {
      EXPECT_THAT(meeting.status_reason(), HasSubstr(c.type));
      EXPECT_EQ(OutboxTypes().back(), "meeting.cancelled");
    }
  }
}

TEST_F(PreceptListenerTest, RedeliveryHasNoSecondEffect) {
  const events::v1::Event veto =
      Event("ev-veto", "precept.vetoed", v1::PRECEPT_OUTCOME_KIND_VETOED);
  ASSERT_TRUE(listener_->HandleOnce(veto).ok());
  const size_t after_first = OutboxTypes().size();
  ASSERT_TRUE(listener_->HandleOnce(veto).ok());
  EXPECT_EQ(OutboxTypes().size(), after_first);
  EXPECT_EQ(Get("wm", "2024-02-19").sequence(), 1);
  // A later contradictory event finds nothing provisional in the window.
  auto changed =
      Handle(Event("ev-late", "precept.not_vetoed", v1::PRECEPT_OUTCOME_KIND_NOT_VETOED));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 0);
  EXPECT_EQ(Get("wm", "2024-02-19").status(), v1::MEETING_STATUS_SCHEDULED);
}

TEST_F(PreceptListenerTest, EventsThatDoNotFitChangeNothing) {
  // Payload naming another tenant than the event's.
  auto cross = Event("ev-x", "precept.vetoed", v1::PRECEPT_OUTCOME_KIND_VETOED, "ns");
  cross.set_tenant("wm");
  EXPECT_EQ(*Handle(cross), 0);
  // A body of another tenant.
  auto other_body = Event("ev-y", "precept.vetoed", v1::PRECEPT_OUTCOME_KIND_VETOED, "wm",
                          "tenants/ns/bodies/pcp");
  EXPECT_EQ(*Handle(other_body), 0);
  // A payload that is not a PreceptOutcome.
  events::v1::Event wrong = Event("ev-z", "precept.vetoed", v1::PRECEPT_OUTCOME_KIND_VETOED);
  v1::BodyUpdated not_outcome;
  wrong.mutable_payload()->PackFrom(not_outcome);
  EXPECT_EQ(*Handle(wrong), 0);
  // Not a precept event at all.
  EXPECT_EQ(*Handle(Event("ev-w", "meeting.scheduled", v1::PRECEPT_OUTCOME_KIND_VETOED)), 0);
  EXPECT_EQ(Get("wm", "2024-02-19").status(), v1::MEETING_STATUS_PROVISIONAL);
  EXPECT_EQ(Get("ns", "2024-02-19").status(), v1::MEETING_STATUS_PROVISIONAL);

  // Without a body, every panel of the tenant is concerned.
  auto all = Event("ev-all", "precept.vetoed", v1::PRECEPT_OUTCOME_KIND_VETOED, "ns", "");
  EXPECT_EQ(*Handle(all), 1);
  EXPECT_EQ(Get("ns", "2024-02-19").status(), v1::MEETING_STATUS_SCHEDULED);
}

// R-MTG-07: only the provisional meetings of the cycle's window are concerned: after the
// decision and no later than the end of February of the precept year.
TEST_F(PreceptListenerTest, OnlyTheCyclesWindowIsConcerned) {
  struct Case {
    std::string id;
    int64_t start;
    v1::MeetingStatus expected;
  };
  const std::vector<Case> cases = {
      {"before-decision", kFeb5 - 86400 * 4, v1::MEETING_STATUS_PROVISIONAL},  // 1 Feb.
      {"2024-02-19", kFeb19, v1::MEETING_STATUS_SCHEDULED},
      {"last-day", 1709215200, v1::MEETING_STATUS_SCHEDULED},      // 29 Feb 2024 14:00.
      {"march", 1709301600, v1::MEETING_STATUS_PROVISIONAL},       // 1 Mar 2024 14:00.
      {"2025-02-17", kFeb17Next, v1::MEETING_STATUS_PROVISIONAL},  // Next cycle.
  };
  for (const Case& c : cases) {
    if (c.id != "2024-02-19" && c.id != "2025-02-17") {
      Meeting("wm", c.id, c.start, v1::MEETING_KIND_PROVISIONAL);
    }
  }
  auto changed = Handle(Event("ev-veto", "precept.vetoed", v1::PRECEPT_OUTCOME_KIND_VETOED));
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 2);
  for (const Case& c : cases) {
    EXPECT_EQ(Get("wm", c.id).status(), c.expected) << c.id;
  }
}

}  // namespace
}  // namespace moot::scheduling
