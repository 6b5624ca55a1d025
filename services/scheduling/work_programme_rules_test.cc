// The work programme rules R-WP-02 (Chair and Deputy Chair input before a quarter is agreed),
// R-WP-03 (statutory / exploratory items and priorities), R-WP-04 (OPCC liaison) and R-WP-06
// (strategic focus).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "moot/events/v1/event.pb.h"
#include "services/scheduling/scheduling_logic.h"
#include "services/scheduling/work_programme_logic.h"

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

constexpr char kPanel[] = "tenants/wm/bodies/pcp";

class WorkProgrammeRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    scheduling_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    logic_ = std::make_unique<WorkProgrammeLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(scheduling_->Migrate().ok());
    ASSERT_TRUE(logic_->Migrate().ok());
    v1::CreateBodyRequest body;
    body.set_parent("tenants/wm");
    body.set_body_id("pcp");
    body.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
    body.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
    ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
    v1::CreateMeetingRequest meeting;
    meeting.set_parent(kPanel);
    meeting.set_meeting_id("2024-01-15");
    meeting.mutable_meeting()->set_title("Police and Crime Panel");
    *meeting.mutable_meeting()->mutable_start_time() =
        TimeUtil::SecondsToTimestamp(1705327200);  // 2024-01-15 14:00 GMT.
    ASSERT_TRUE(scheduling_->CreateMeeting(Officer(), meeting).ok());
  }

  absl::StatusOr<v1::WorkProgrammeItem> CreateItem(
      const std::string& id, const std::function<void(v1::WorkProgrammeItem&)>& mutate) {
    v1::CreateWorkProgrammeItemRequest request;
    request.set_parent(kPanel);
    request.set_item_id(id);
    request.mutable_item()->set_topic(absl::StrCat("Topic ", id));
    request.mutable_item()->set_municipal_year("2023/24");
    if (mutate) {
      mutate(*request.mutable_item());
    }
    return logic_->CreateWorkProgrammeItem(Officer(), request);
  }

  absl::StatusOr<v1::WorkProgrammeQuarter> Input(v1::ChairRole role, const std::string& text,
                                                 const auth::Principal& who = Officer()) {
    v1::RecordChairInputRequest request;
    request.set_parent(kPanel);
    request.set_quarter("2024-Q1");
    request.mutable_input()->set_role(role);
    request.mutable_input()->set_input(text);
    return logic_->RecordChairInput(who, request);
  }

  absl::StatusOr<v1::WorkProgrammeQuarter> Agree(const auth::Principal& who = Officer(),
                                                 const std::string& request_id = "") {
    v1::AgreeQuarterRequest request;
    request.set_parent(kPanel);
    request.set_quarter("2024-Q1");
    request.set_request_id(request_id);
    return logic_->AgreeQuarter(who, request);
  }

  std::vector<events::v1::Event> Events(const std::string& type) {
    std::vector<events::v1::Event> events;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT payload FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       events::v1::Event e;
                       e.ParseFromString(row.String(0));
                       if (e.type() == type) {
                         events.push_back(e);
                       }
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return events;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1700000000)};  // 14 Nov 2023.
  ids::SequentialIdGenerator ids_{"wp"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> scheduling_;
  std::unique_ptr<WorkProgrammeLogic> logic_;
};

// R-WP-03, R-WP-04, R-WP-06: the new fields, their validation and defaults.
TEST_F(WorkProgrammeRulesTest, ItemTypePriorityLiaisonAndFocus) {
  struct Case {
    std::string label;
    std::function<void(v1::WorkProgrammeItem&)> mutate;
    std::string field;  // Empty: accepted.
  };
  using I = v1::WorkProgrammeItem&;
  const std::vector<Case> cases = {
      {"defaults", [](I) {}, ""},
      {"exploratory, high, public interest",
       [](I i) {
         i.set_item_type(v1::WORK_PROGRAMME_ITEM_TYPE_EXPLORATORY);
         i.set_priority(v1::WORK_PROGRAMME_PRIORITY_HIGH);
         i.set_priority_reason("public interest; performance");
       },
       ""},
      {"unknown type", [](I i) { i.set_item_type(static_cast<v1::WorkProgrammeItemType>(9)); },
       "item.item_type"},
      {"unknown priority", [](I i) { i.set_priority(static_cast<v1::WorkProgrammePriority>(9)); },
       "item.priority"},
      {"reason without priority", [](I i) { i.set_priority_reason("public interest"); },
       "item.priority_reason"},
      {"reason too long",
       [](I i) {
         i.set_priority(v1::WORK_PROGRAMME_PRIORITY_LOW);
         i.set_priority_reason(std::string(1001, 'r'));
       },
       "item.priority_reason"},
      {"requested of the OPCC", [](I i) { i.set_opcc_liaison(v1::OPCC_LIAISON_REQUESTED); }, ""},
      {"agreed without focus", [](I i) { i.set_opcc_liaison(v1::OPCC_LIAISON_AGREED); },
       "item.opcc_focus"},
      {"agreed with focus",
       [](I i) {
         i.set_opcc_liaison(v1::OPCC_LIAISON_AGREED);
         i.set_opcc_focus("Knife crime in the night-time economy");
       },
       ""},
      {"unknown liaison", [](I i) { i.set_opcc_liaison(static_cast<v1::OpccLiaison>(7)); },
       "item.opcc_liaison"},
      {"focus too long", [](I i) { i.set_opcc_focus(std::string(2001, 'f')); }, "item.opcc_focus"},
      {"unknown focus", [](I i) { i.set_focus(static_cast<v1::WorkProgrammeFocus>(5)); },
       "item.focus"},
      {"operational", [](I i) { i.set_focus(v1::WORK_PROGRAMME_FOCUS_OPERATIONAL); }, ""},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    auto item = CreateItem(absl::StrCat("i", n++), c.mutate);
    if (!c.field.empty()) {
      EXPECT_EQ(item.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(Field(item.status()), c.field);
      continue;
    }
    ASSERT_TRUE(item.ok()) << item.status();
    EXPECT_NE(item->item_type(), v1::WORK_PROGRAMME_ITEM_TYPE_UNSPECIFIED);
    EXPECT_NE(item->opcc_liaison(), v1::OPCC_LIAISON_UNSPECIFIED);
    EXPECT_NE(item->focus(), v1::WORK_PROGRAMME_FOCUS_UNSPECIFIED);
    // R-WP-06: a warning, not an error, for operational detail.
    if (item->focus() == v1::WORK_PROGRAMME_FOCUS_OPERATIONAL) {
      ASSERT_EQ(item->warnings_size(), 1);
      EXPECT_THAT(item->warnings(0), HasSubstr("OPERATIONAL_FOCUS"));
    } else {
      EXPECT_THAT(item->warnings(), IsEmpty());
    }
  }
  auto plain = CreateItem("plain", nullptr);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->item_type(), v1::WORK_PROGRAMME_ITEM_TYPE_EXPLORATORY);
  EXPECT_EQ(plain->opcc_liaison(), v1::OPCC_LIAISON_NOT_STARTED);
  EXPECT_EQ(plain->focus(), v1::WORK_PROGRAMME_FOCUS_STRATEGIC);

  // The warning goes with the focus on update too.
  v1::UpdateWorkProgrammeItemRequest update;
  update.mutable_item()->set_name(plain->name());
  update.mutable_item()->set_focus(v1::WORK_PROGRAMME_FOCUS_OPERATIONAL);
  update.mutable_update_mask()->add_paths("focus");
  auto operational = logic_->UpdateWorkProgrammeItem(Officer(), update);
  ASSERT_TRUE(operational.ok()) << operational.status();
  EXPECT_EQ(operational->warnings_size(), 1);
  update.mutable_item()->set_focus(v1::WORK_PROGRAMME_FOCUS_STRATEGIC);
  auto strategic = logic_->UpdateWorkProgrammeItem(Officer(), update);
  ASSERT_TRUE(strategic.ok());
  EXPECT_THAT(strategic->warnings(), IsEmpty());
}

// R-WP-03: `statutory` and item_type stay in step; seeded statutory items are STATUTORY, HIGH.
TEST_F(WorkProgrammeRulesTest, StatutoryFlagAndTypeAgree) {
  struct Case {
    std::vector<std::string> paths;
    bool statutory;
    v1::WorkProgrammeItemType type;
    bool want_statutory;
    v1::WorkProgrammeItemType want_type;
  };
  const auto S = v1::WORK_PROGRAMME_ITEM_TYPE_STATUTORY;
  const auto E = v1::WORK_PROGRAMME_ITEM_TYPE_EXPLORATORY;
  const auto U = v1::WORK_PROGRAMME_ITEM_TYPE_UNSPECIFIED;
  const std::vector<Case> cases = {
      {{"statutory"}, true, U, true, S},
      {{"item_type"}, false, E, false, E},
      {{"item_type"}, false, S, true, S},
      {{"statutory"}, false, U, false, E},
      {{"statutory", "item_type"}, false, S, true, S},
  };
  auto item = CreateItem("s", [](v1::WorkProgrammeItem& i) { i.set_statutory(true); });
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->item_type(), S);
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(n++);
    v1::UpdateWorkProgrammeItemRequest update;
    update.mutable_item()->set_name(item->name());
    update.mutable_item()->set_statutory(c.statutory);
    update.mutable_item()->set_item_type(c.type);
    for (const auto& p : c.paths) {
      update.mutable_update_mask()->add_paths(p);
    }
    auto updated = logic_->UpdateWorkProgrammeItem(Officer(), update);
    ASSERT_TRUE(updated.ok()) << updated.status();
    EXPECT_EQ(updated->statutory(), c.want_statutory);
    EXPECT_EQ(updated->item_type(), c.want_type);
  }

  v1::SeedStatutoryItemsRequest seed;
  seed.set_parent(kPanel);
  seed.set_municipal_year("2023/24");
  auto seeded = logic_->SeedStatutoryItems(Officer(), seed);
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  ASSERT_FALSE(seeded->created().empty());
  for (const auto& s : seeded->created()) {
    EXPECT_EQ(s.item_type(), S);
    EXPECT_EQ(s.priority(), v1::WORK_PROGRAMME_PRIORITY_HIGH);
  }
}

// R-WP-02: no agreement of a quarter without the Chair's and the Deputy Chair's input.
TEST_F(WorkProgrammeRulesTest, AgreeQuarterNeedsChairAndDeputyInput) {
  struct Case {
    std::vector<v1::ChairRole> inputs;
    bool agreed;
  };
  const std::vector<Case> cases = {
      {{}, false},
      {{v1::CHAIR_ROLE_CHAIR}, false},
      {{v1::CHAIR_ROLE_DEPUTY_CHAIR}, false},
      {{v1::CHAIR_ROLE_CHAIR, v1::CHAIR_ROLE_CHAIR}, false},
      {{v1::CHAIR_ROLE_CHAIR, v1::CHAIR_ROLE_DEPUTY_CHAIR}, true},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(n);
    // Each case on its own body.
    v1::CreateBodyRequest body;
    body.set_parent("tenants/wm");
    body.set_body_id(absl::StrCat("b", n));
    body.mutable_body()->set_display_name("Panel");
    body.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
    ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
    const std::string parent = absl::StrCat("tenants/wm/bodies/b", n++);
    for (v1::ChairRole role : c.inputs) {
      v1::RecordChairInputRequest input;
      input.set_parent(parent);
      input.set_quarter("2024-Q1");
      input.mutable_input()->set_role(role);
      input.mutable_input()->set_input("Add knife crime");
      ASSERT_TRUE(logic_->RecordChairInput(Officer(), input).ok());
    }
    v1::AgreeQuarterRequest agree;
    agree.set_parent(parent);
    agree.set_quarter("2024-Q1");
    auto result = logic_->AgreeQuarter(Officer(), agree);
    if (c.agreed) {
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_TRUE(result->agreed());
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_EQ(Reason(result.status()), "WP_CHAIR_INPUT_MISSING");
    }
  }
}

TEST_F(WorkProgrammeRulesTest, AgreeQuarterRecordsTheQuartersItems) {
  using I = v1::WorkProgrammeItem&;
  ASSERT_TRUE(CreateItem("precept", [](I i) {
                i.set_target_meeting("tenants/wm/bodies/pcp/meetings/2024-01-15");
              }).ok());
  ASSERT_TRUE(CreateItem("visit", [](I i) { i.set_planned_date("2024-02-10"); }).ok());
  ASSERT_TRUE(CreateItem("complaints", [](I i) { i.set_planned_month("2024-03"); }).ok());
  ASSERT_TRUE(CreateItem("dropped", [](I i) {
                i.set_planned_month("2024-02");
                i.set_status(v1::WORK_PROGRAMME_ITEM_STATUS_DROPPED);
              }).ok());
  ASSERT_TRUE(CreateItem("november", [](I i) { i.set_planned_month("2023-11"); }).ok());
  ASSERT_TRUE(CreateItem("april", [](I i) { i.set_planned_date("2024-04-01"); }).ok());
  ASSERT_TRUE(CreateItem("menu", nullptr).ok());

  auto chair = Input(v1::CHAIR_ROLE_CHAIR, "Bring the knife crime session forward");
  ASSERT_TRUE(chair.ok()) << chair.status();
  EXPECT_EQ(chair->name(), "tenants/wm/bodies/pcp/workProgrammeQuarters/2024-q1");
  EXPECT_EQ(chair->quarter(), "2024-Q1");
  EXPECT_EQ(chair->chair_inputs(0).recorded_by(), "user:officer");
  EXPECT_EQ(Reason(Agree().status()), "WP_CHAIR_INPUT_MISSING");
  ASSERT_TRUE(Input(v1::CHAIR_ROLE_DEPUTY_CHAIR, "Agreed").ok());

  auto agreed = Agree(Officer(), "agree-q1");
  ASSERT_TRUE(agreed.ok()) << agreed.status();
  EXPECT_TRUE(agreed->agreed());
  EXPECT_THAT(agreed->agreed_items(),
              ElementsAre("tenants/wm/bodies/pcp/workProgrammeItems/precept",
                          "tenants/wm/bodies/pcp/workProgrammeItems/visit",
                          "tenants/wm/bodies/pcp/workProgrammeItems/complaints"));
  // A retry replays; a second agreement and later input are refused.
  auto replay = Agree(Officer(), "agree-q1");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->etag(), agreed->etag());
  EXPECT_EQ(Reason(Agree().status()), "WP_QUARTER_ALREADY_AGREED");
  EXPECT_EQ(Reason(Input(v1::CHAIR_ROLE_CHAIR, "Late").status()), "WP_QUARTER_ALREADY_AGREED");

  // Events: input private; the agreement public, without what the Chairs said.
  auto inputs = Events("work_programme.chair_input_recorded");
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_FALSE(inputs[0].public_());
  auto agreements = Events("work_programme.quarter_agreed");
  ASSERT_EQ(agreements.size(), 1u);
  EXPECT_TRUE(agreements[0].public_());
  v1::WorkProgrammeQuarter payload;
  ASSERT_TRUE(agreements[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.agreed_items_size(), 3);
  ASSERT_EQ(payload.chair_inputs_size(), 2);
  EXPECT_EQ(payload.chair_inputs(0).input(), "");
  EXPECT_EQ(payload.chair_inputs(0).role(), v1::CHAIR_ROLE_CHAIR);

  v1::GetWorkProgrammeQuarterRequest get;
  get.set_name("tenants/wm/bodies/pcp/workProgrammeQuarters/2024-q1");
  auto read = logic_->GetWorkProgrammeQuarter(Member(), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->agreed());
  EXPECT_EQ(read->chair_inputs_size(), 2);
  // A quarter with nothing recorded reads as empty.
  get.set_name("tenants/wm/bodies/pcp/workProgrammeQuarters/2024-q2");
  auto empty = logic_->GetWorkProgrammeQuarter(Officer(), get);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_FALSE(empty->agreed());
  EXPECT_EQ(empty->quarter(), "2024-Q2");
}

TEST_F(WorkProgrammeRulesTest, QuarterAccessAndValidation) {
  // Wrong tenant and wrong role for each RPC.
  EXPECT_EQ(Reason(Input(v1::CHAIR_ROLE_CHAIR, "x", Officer("other")).status()), "TENANT_MISMATCH");
  EXPECT_EQ(Input(v1::CHAIR_ROLE_CHAIR, "x", Member()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(Agree(Officer("other")).status()), "TENANT_MISMATCH");
  EXPECT_EQ(Agree(Member()).status().code(), absl::StatusCode::kPermissionDenied);
  v1::GetWorkProgrammeQuarterRequest get;
  get.set_name("tenants/wm/bodies/pcp/workProgrammeQuarters/2024-q1");
  EXPECT_EQ(Reason(logic_->GetWorkProgrammeQuarter(Officer("other"), get).status()),
            "TENANT_MISMATCH");
  auth::Principal pcc{.tenant = "wm", .subject = "user:p", .roles = {auth::Role::kPccOffice}};
  EXPECT_EQ(logic_->GetWorkProgrammeQuarter(pcc, get).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(logic_->GetWorkProgrammeQuarter(auth::Principal::Anonymous(), get).status().code(),
            absl::StatusCode::kUnauthenticated);

  struct Case {
    std::string quarter;
    v1::ChairRole role;
    std::string input;
    std::string person;
    std::string field;  // Empty: accepted.
  };
  const std::vector<Case> cases = {
      {"2024-Q1", v1::CHAIR_ROLE_CHAIR, "Fine", "tenants/wm/people/alan-feeney", ""},
      {"2024-q2", v1::CHAIR_ROLE_DEPUTY_CHAIR, "Fine", "", ""},
      {"2024-Q5", v1::CHAIR_ROLE_CHAIR, "x", "", "quarter"},
      {"2024Q1", v1::CHAIR_ROLE_CHAIR, "x", "", "quarter"},
      {"", v1::CHAIR_ROLE_CHAIR, "x", "", "quarter"},
      {"2024-Q1", v1::CHAIR_ROLE_UNSPECIFIED, "x", "", "input.role"},
      {"2024-Q1", v1::CHAIR_ROLE_CHAIR, "  ", "", "input.input"},
      {"2024-Q1", v1::CHAIR_ROLE_CHAIR, std::string(4001, 'x'), "", "input.input"},
      {"2024-Q1", v1::CHAIR_ROLE_CHAIR, "x", "tenants/other/people/p", "input.person"},
      {"2024-Q1", v1::CHAIR_ROLE_CHAIR, "x", "people/p", "input.person"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.quarter + " " + c.person);
    v1::RecordChairInputRequest request;
    request.set_parent(kPanel);
    request.set_quarter(c.quarter);
    request.mutable_input()->set_role(c.role);
    request.mutable_input()->set_input(c.input);
    request.mutable_input()->set_person(c.person);
    auto result = logic_->RecordChairInput(Officer(), request);
    if (c.field.empty()) {
      EXPECT_TRUE(result.ok()) << result.status();
    } else {
      EXPECT_EQ(Field(result.status()), c.field);
    }
  }
  v1::AgreeQuarterRequest missing_body;
  missing_body.set_parent("tenants/wm/bodies/none");
  missing_body.set_quarter("2024-Q1");
  EXPECT_EQ(logic_->AgreeQuarter(Officer(), missing_body).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace moot::scheduling
