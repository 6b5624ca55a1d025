#include "services/scheduling/work_programme_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {
namespace {

using google::protobuf::util::TimeUtil;

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

absl::Time London(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), time::London());
}

constexpr char kPanel[] = "tenants/wm/bodies/pcp";

class WorkProgrammeLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    scheduling_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    logic_ = std::make_unique<WorkProgrammeLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(scheduling_->Migrate().ok());
    ASSERT_TRUE(logic_->Migrate().ok());
    AddBody("pcp", v1::BODY_KIND_PANEL);
    AddBody("spcb", v1::BODY_KIND_BOARD);
  }

  void AddBody(const std::string& id, v1::BodyKind kind) {
    v1::CreateBodyRequest body;
    body.set_parent("tenants/wm");
    body.set_body_id(id);
    body.mutable_body()->set_display_name(id);
    body.mutable_body()->set_kind(kind);
    ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
  }

  void AddMeeting(const std::string& id, absl::Time start,
                  v1::MeetingKind kind = v1::MEETING_KIND_ORDINARY) {
    v1::CreateMeetingRequest meeting;
    meeting.set_parent(kPanel);
    meeting.set_meeting_id(id);
    meeting.mutable_meeting()->set_title("Police and Crime Panel");
    meeting.mutable_meeting()->set_kind(kind);
    *meeting.mutable_meeting()->mutable_start_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(start));
    ASSERT_TRUE(scheduling_->CreateMeeting(Officer(), meeting).ok());
  }

  static v1::CreateWorkProgrammeItemRequest Create(const std::string& id,
                                                   const std::string& topic) {
    v1::CreateWorkProgrammeItemRequest request;
    request.set_parent(kPanel);
    request.set_item_id(id);
    request.mutable_item()->set_topic(topic);
    request.mutable_item()->set_municipal_year("2023/24");
    return request;
  }

  std::vector<std::pair<std::string, bool>> Events() {
    std::vector<std::pair<std::string, bool>> events;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT type, payload FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       events::v1::Event event;
                       auto bytes = row.GetBytes(1);
                       EXPECT_TRUE(bytes.ok() && event.ParseFromString(*bytes));
                       if (absl::StartsWith(event.type(), "work_programme_item.")) {
                         events.emplace_back(row.String(0), event.public_());
                       }
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return events;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{London(2023, 7, 20, 9, 0)};
  ids::SequentialIdGenerator ids_{"wp"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> scheduling_;
  std::unique_ptr<WorkProgrammeLogic> logic_;
};

TEST(MunicipalYearTest, Table) {
  struct Case {
    const char* year;
    int first;  // -1: invalid.
  };
  const Case cases[] = {{"2023/24", 2023}, {"1999/00", 1999}, {"2099/00", 2099},
                        {"2023/25", -1},   {"2023-24", -1},   {"2023/2024", -1},
                        {"23/24", -1},     {"", -1},          {"2023/+4", -1}};
  for (const Case& c : cases) {
    auto first = ParseMunicipalYear(c.year, "municipal_year");
    if (c.first < 0) {
      EXPECT_EQ(Field(first.status()), "municipal_year") << c.year;
    } else {
      ASSERT_TRUE(first.ok()) << c.year;
      EXPECT_EQ(*first, c.first) << c.year;
    }
  }
}

// §3.11, §2.12, R-PR-04..06, R-AR-01, R-WP-05: the statutory items of 2023/24 and their windows.
TEST(StatutoryItemsTest, TheYearsItemsAndWindows) {
  struct Case {
    v1::StatutoryItemType type;
    const char* id;
    const char* topic;
    absl::CivilDay from, to;
  };
  const Case cases[] = {
      {v1::STATUTORY_ITEM_TYPE_ANNUAL_REPORT, "statutory-2023-24-annual-report",
       "Annual Report of the Police and Crime Commissioner 2022-23", absl::CivilDay(2023, 10, 1),
       absl::CivilDay(2023, 11, 30)},
      {v1::STATUTORY_ITEM_TYPE_DRAFT_PRECEPT, "statutory-2023-24-draft-precept",
       "Draft proposed Precept and PCC Budget", absl::CivilDay(2024, 1, 1),
       absl::CivilDay(2024, 1, 31)},
      {v1::STATUTORY_ITEM_TYPE_PRECEPT, "statutory-2023-24-precept",
       "PCC Proposed Policing Precept for 2024/25 and PCC budget", absl::CivilDay(2024, 2, 1),
       absl::CivilDay(2024, 2, 8)},
      {v1::STATUTORY_ITEM_TYPE_PROVISIONAL_PRECEPT, "statutory-2023-24-provisional-precept",
       "PCC Proposed Policing Precept for 2024/25", absl::CivilDay(2024, 2, 9),
       absl::CivilDay(2024, 2, 22)},
      {v1::STATUTORY_ITEM_TYPE_COMPLAINTS, "statutory-2023-24-complaints",
       "Complaints received by the Panel", absl::CivilDay(2024, 3, 1), absl::CivilDay(2024, 3, 31)},
      {v1::STATUTORY_ITEM_TYPE_PANEL_BUDGET, "statutory-2023-24-panel-budget",
       "Panel Budget and Expenditure", absl::CivilDay(2024, 3, 1), absl::CivilDay(2024, 3, 31)},
  };
  const auto defs = StatutoryItems(2023);
  ASSERT_EQ(defs.size(), std::size(cases));
  for (size_t i = 0; i < defs.size(); ++i) {
    EXPECT_EQ(defs[i].type, cases[i].type) << i;
    EXPECT_EQ(defs[i].id, cases[i].id) << i;
    EXPECT_EQ(defs[i].topic, cases[i].topic) << i;
    EXPECT_EQ(defs[i].from, cases[i].from) << i;
    EXPECT_EQ(defs[i].to, cases[i].to) << i;
    EXPECT_FALSE(defs[i].aims.empty()) << i;
  }
  EXPECT_TRUE(defs[3].provisional);
  // The turn of the century formats with two digits.
  EXPECT_EQ(StatutoryItems(2099)[2].topic,
            "PCC Proposed Policing Precept for 2100/01 and PCC budget");
}

// The 2023/24 Panel meetings of domain.md §2.3: items land on the meetings in their windows; the
// provisional precept item on the provisional meeting; idempotent.
TEST_F(WorkProgrammeLogicTest, SeedStatutoryItemsMatchesMeetingsAndIsIdempotent) {
  AddMeeting("2023-09-11", London(2023, 9, 11, 14, 0));
  AddMeeting("2023-11-13", London(2023, 11, 13, 14, 0));
  AddMeeting("2024-01-15", London(2024, 1, 15, 14, 0));
  AddMeeting("2024-02-05", London(2024, 2, 5, 14, 0));
  AddMeeting("2024-02-19", London(2024, 2, 19, 14, 0), v1::MEETING_KIND_PROVISIONAL);
  v1::SeedStatutoryItemsRequest seed;
  seed.set_parent(kPanel);
  seed.set_municipal_year("2023/24");
  auto first = logic_->SeedStatutoryItems(Officer(), seed);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->created_size(), 6);
  EXPECT_EQ(first->existing_size(), 0);
  struct Want {
    const char* target;  // "" = none: planned for the month.
    v1::WorkProgrammeItemStatus status;
    const char* month;
  };
  const Want want[] = {
      {"tenants/wm/bodies/pcp/meetings/2023-11-13", v1::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED, ""},
      {"tenants/wm/bodies/pcp/meetings/2024-01-15", v1::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED, ""},
      {"tenants/wm/bodies/pcp/meetings/2024-02-05", v1::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED, ""},
      {"tenants/wm/bodies/pcp/meetings/2024-02-19", v1::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED, ""},
      {"", v1::WORK_PROGRAMME_ITEM_STATUS_PLANNED, "2024-03"},
      {"", v1::WORK_PROGRAMME_ITEM_STATUS_PLANNED, "2024-03"},
  };
  for (int i = 0; i < 6; ++i) {
    const v1::WorkProgrammeItem& item = first->created(i);
    EXPECT_EQ(item.target_meeting(), want[i].target) << item.name();
    EXPECT_EQ(item.status(), want[i].status) << item.name();
    EXPECT_EQ(item.planned_month(), want[i].month) << item.name();
    EXPECT_TRUE(item.statutory());
    EXPECT_EQ(item.municipal_year(), "2023/24");
  }
  EXPECT_EQ(Events().size(), 6u);

  // A second call creates nothing new, even after the March meeting is added.
  AddMeeting("2024-03-18", London(2024, 3, 18, 14, 0));
  auto second = logic_->SeedStatutoryItems(Officer(), seed);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->created_size(), 0);
  EXPECT_EQ(second->existing_size(), 6);
  EXPECT_EQ(Events().size(), 6u);

  // Listed in date order: the dated items, then the items planned for March.
  v1::ListWorkProgrammeItemsRequest list;
  list.set_parent(kPanel);
  auto all = logic_->ListWorkProgrammeItems(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->items_size(), 6);
  EXPECT_EQ(all->items(0).statutory_type(), v1::STATUTORY_ITEM_TYPE_ANNUAL_REPORT);
  EXPECT_EQ(all->items(5).planned_month(), "2024-03");
}

TEST_F(WorkProgrammeLogicTest, SeedIsForPanelsAndChecksTheYear) {
  v1::SeedStatutoryItemsRequest seed;
  seed.set_parent("tenants/wm/bodies/spcb");
  seed.set_municipal_year("2023/24");
  EXPECT_EQ(Reason(logic_->SeedStatutoryItems(Officer(), seed).status()),
            "STATUTORY_ITEMS_PANEL_ONLY");
  seed.set_parent(kPanel);
  seed.set_municipal_year("2023/25");
  EXPECT_EQ(Field(logic_->SeedStatutoryItems(Officer(), seed).status()), "municipal_year");
  seed.set_parent("tenants/wm/bodies/nope");
  seed.set_municipal_year("2023/24");
  EXPECT_EQ(logic_->SeedStatutoryItems(Officer(), seed).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(WorkProgrammeLogicTest, CreateValidatesAndDefaults) {
  AddMeeting("2023-09-11", London(2023, 9, 11, 14, 0));
  auto request = Create("road-safety", "Road Safety");
  request.mutable_item()->set_target_meeting("tenants/wm/bodies/pcp/meetings/2023-09-11");
  request.mutable_item()->set_requested_at_meeting("tenants/wm/bodies/pcp/meetings/2023-07-17");
  request.mutable_item()->set_notes("Item requested at the July 2023 meeting");
  request.mutable_item()->add_aims("To understand the Commissioner's road safety strategy");
  request.set_request_id("wp-1");
  auto item = logic_->CreateWorkProgrammeItem(Officer(), request);
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->name(), "tenants/wm/bodies/pcp/workProgrammeItems/road-safety");
  EXPECT_EQ(item->status(), v1::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED);
  EXPECT_EQ(item->kind(), v1::WORK_PROGRAMME_ITEM_KIND_MEETING_ITEM);
  EXPECT_EQ(item->etag(), "1");
  auto replay = logic_->CreateWorkProgrammeItem(Officer(), request);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->SerializeAsString(), item->SerializeAsString());
  request.clear_request_id();
  EXPECT_EQ(logic_->CreateWorkProgrammeItem(Officer(), request).status().code(),
            absl::StatusCode::kAlreadyExists);

  // The menu of options: no target, PLANNED.
  auto menu = logic_->CreateWorkProgrammeItem(Officer(), Create("", "Youth violence"));
  ASSERT_TRUE(menu.ok()) << menu.status();
  EXPECT_EQ(menu->status(), v1::WORK_PROGRAMME_ITEM_STATUS_PLANNED);

  struct Case {
    const char* what;
    std::function<void(v1::CreateWorkProgrammeItemRequest&)> edit;
    const char* field;
  };
  const Case cases[] = {
      {"no topic", [](auto& r) { r.mutable_item()->clear_topic(); }, "item.topic"},
      {"bad year", [](auto& r) { r.mutable_item()->set_municipal_year("2023"); },
       "item.municipal_year"},
      {"other body's meeting",
       [](auto& r) {
         r.mutable_item()->set_target_meeting("tenants/wm/bodies/spcb/meetings/2023-02-28");
       },
       "item.target_meeting"},
      {"bad date", [](auto& r) { r.mutable_item()->set_planned_date("2023-02-30"); },
       "item.planned_date"},
      {"bad month", [](auto& r) { r.mutable_item()->set_planned_month("2024-13"); },
       "item.planned_month"},
      {"empty aim", [](auto& r) { r.mutable_item()->add_aims(""); }, "item.aims"},
      {"bad id", [](auto& r) { r.set_item_id("Road Safety"); }, "item_id"},
      {"bad parent", [](auto& r) { r.set_parent("tenants/wm"); }, "parent"},
  };
  for (const Case& c : cases) {
    auto bad = Create("x", "Topic");
    c.edit(bad);
    EXPECT_EQ(Field(logic_->CreateWorkProgrammeItem(Officer(), bad).status()), c.field) << c.what;
  }
  auto missing = Create("later", "Later");
  missing.mutable_item()->set_target_meeting("tenants/wm/bodies/pcp/meetings/2030-01-01");
  EXPECT_EQ(logic_->CreateWorkProgrammeItem(Officer(), missing).status().code(),
            absl::StatusCode::kNotFound);
}

// R-WP-01: a living document; every change moves update_time and the etag.
TEST_F(WorkProgrammeLogicTest, UpdateKeepsUpdateTimeAndEtag) {
  AddMeeting("2023-09-11", London(2023, 9, 11, 14, 0));
  auto item = logic_->CreateWorkProgrammeItem(Officer(), Create("road-safety", "Road Safety"));
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->status(), v1::WORK_PROGRAMME_ITEM_STATUS_PLANNED);
  clock_.Advance(absl::Hours(24));

  v1::UpdateWorkProgrammeItemRequest update;
  update.mutable_item()->set_name(item->name());
  update.mutable_item()->set_target_meeting("tenants/wm/bodies/pcp/meetings/2023-09-11");
  update.mutable_update_mask()->add_paths("target_meeting");
  update.set_etag("1");
  auto scheduled = logic_->UpdateWorkProgrammeItem(Officer(), update);
  ASSERT_TRUE(scheduled.ok()) << scheduled.status();
  EXPECT_EQ(scheduled->status(), v1::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED);
  EXPECT_EQ(scheduled->etag(), "2");
  EXPECT_EQ(scheduled->topic(), "Road Safety");
  EXPECT_GT(scheduled->update_time().seconds(), item->update_time().seconds());
  EXPECT_EQ(scheduled->create_time().seconds(), item->create_time().seconds());

  // A stale etag is refused.
  EXPECT_EQ(Reason(logic_->UpdateWorkProgrammeItem(Officer(), update).status()), "ETAG_MISMATCH");

  v1::UpdateWorkProgrammeItemRequest held;
  held.mutable_item()->set_name(item->name());
  held.mutable_item()->set_status(v1::WORK_PROGRAMME_ITEM_STATUS_HELD);
  held.mutable_item()->set_outcome("Considered; the Panel asked for a further report.");
  held.mutable_update_mask()->add_paths("status");
  held.mutable_update_mask()->add_paths("outcome");
  auto done = logic_->UpdateWorkProgrammeItem(Officer(), held);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->status(), v1::WORK_PROGRAMME_ITEM_STATUS_HELD);
  EXPECT_EQ(done->etag(), "3");

  held.mutable_update_mask()->add_paths("statutory_type");
  EXPECT_EQ(Field(logic_->UpdateWorkProgrammeItem(Officer(), held).status()), "update_mask");
  held.clear_update_mask();
  EXPECT_EQ(Field(logic_->UpdateWorkProgrammeItem(Officer(), held).status()), "update_mask");

  const auto events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].first, "work_programme_item.updated");
  EXPECT_TRUE(events[1].second);
}

TEST_F(WorkProgrammeLogicTest, DeleteWithEtag) {
  auto item = logic_->CreateWorkProgrammeItem(Officer(), Create("visit", "Member visit"));
  ASSERT_TRUE(item.ok());
  v1::DeleteWorkProgrammeItemRequest del;
  del.set_name(item->name());
  del.set_etag("7");
  EXPECT_EQ(Reason(logic_->DeleteWorkProgrammeItem(Officer(), del).status()), "ETAG_MISMATCH");
  del.set_etag("1");
  ASSERT_TRUE(logic_->DeleteWorkProgrammeItem(Officer(), del).ok());
  v1::GetWorkProgrammeItemRequest get;
  get.set_name(item->name());
  EXPECT_EQ(logic_->GetWorkProgrammeItem(Officer(), get).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(logic_->DeleteWorkProgrammeItem(Officer(), del).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Events().back().first, "work_programme_item.deleted");
}

TEST_F(WorkProgrammeLogicTest, ListFiltersAndPages) {
  AddMeeting("2023-11-13", London(2023, 11, 13, 14, 0));
  const std::string nov = "tenants/wm/bodies/pcp/meetings/2023-11-13";
  for (const char* id : {"annual-report", "fairness", "serious-violence", "budget-subgroup"}) {
    auto r = Create(id, id);
    r.mutable_item()->set_target_meeting(nov);
    ASSERT_TRUE(logic_->CreateWorkProgrammeItem(Officer(), r).ok());
  }
  auto older = Create("old", "Old item");
  older.mutable_item()->set_municipal_year("2022/23");
  ASSERT_TRUE(logic_->CreateWorkProgrammeItem(Officer(), older).ok());
  auto dropped = Create("dropped", "Dropped item");
  dropped.mutable_item()->set_status(v1::WORK_PROGRAMME_ITEM_STATUS_DROPPED);
  ASSERT_TRUE(logic_->CreateWorkProgrammeItem(Officer(), dropped).ok());

  struct Case {
    const char* what;
    std::function<void(v1::ListWorkProgrammeItemsRequest&)> edit;
    int count;
  };
  const Case cases[] = {
      {"all", [](auto&) {}, 6},
      {"year", [](auto& r) { r.set_municipal_year("2022/23"); }, 1},
      {"status", [](auto& r) { r.set_status(v1::WORK_PROGRAMME_ITEM_STATUS_DROPPED); }, 1},
      {"target", [&](auto& r) { r.set_target_meeting(nov); }, 4},
      {"menu", [](auto& r) { r.set_menu_of_options(true); }, 2},
      {"year and status",
       [](auto& r) {
         r.set_municipal_year("2023/24");
         r.set_status(v1::WORK_PROGRAMME_ITEM_STATUS_SCHEDULED);
       },
       4},
  };
  for (const Case& c : cases) {
    v1::ListWorkProgrammeItemsRequest list;
    list.set_parent(kPanel);
    c.edit(list);
    auto page = logic_->ListWorkProgrammeItems(Member(), list);
    ASSERT_TRUE(page.ok()) << c.what << ": " << page.status();
    EXPECT_EQ(page->items_size(), c.count) << c.what;
  }

  v1::ListWorkProgrammeItemsRequest list;
  list.set_parent(kPanel);
  list.set_page_size(4);
  auto first = logic_->ListWorkProgrammeItems(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->items_size(), 4);
  ASSERT_FALSE(first->next_page_token().empty());
  list.set_page_token(first->next_page_token());
  auto second = logic_->ListWorkProgrammeItems(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->items_size(), 2);
  // The token is bound to the filters.
  list.set_municipal_year("2023/24");
  EXPECT_EQ(Field(logic_->ListWorkProgrammeItems(Officer(), list).status()), "page_token");

  v1::ListWorkProgrammeItemsRequest unknown;
  unknown.set_parent("tenants/wm/bodies/nope");
  EXPECT_EQ(logic_->ListWorkProgrammeItems(Officer(), unknown).status().code(),
            absl::StatusCode::kNotFound);

  v1::ListWorkProgrammeItemsRequest both;
  both.set_parent(kPanel);
  both.set_menu_of_options(true);
  both.set_target_meeting(nov);
  EXPECT_EQ(Field(logic_->ListWorkProgrammeItems(Officer(), both).status()), "menu_of_options");
}

TEST_F(WorkProgrammeLogicTest, EveryRpcChecksTenantAndRole) {
  auto item = logic_->CreateWorkProgrammeItem(Officer(), Create("road-safety", "Road Safety"));
  ASSERT_TRUE(item.ok());
  const std::string name = item->name();
  using Call = std::function<absl::Status(const auth::Principal&)>;
  struct Rpc {
    const char* what;
    Call call;
    bool officer_only;
  };
  const std::vector<Rpc> rpcs = {
      {"Create",
       [&](const auth::Principal& p) {
         return logic_->CreateWorkProgrammeItem(p, Create("x", "X")).status();
       },
       true},
      {"Get",
       [&](const auth::Principal& p) {
         v1::GetWorkProgrammeItemRequest r;
         r.set_name(name);
         return logic_->GetWorkProgrammeItem(p, r).status();
       },
       false},
      {"List",
       [&](const auth::Principal& p) {
         v1::ListWorkProgrammeItemsRequest r;
         r.set_parent(kPanel);
         return logic_->ListWorkProgrammeItems(p, r).status();
       },
       false},
      {"Update",
       [&](const auth::Principal& p) {
         v1::UpdateWorkProgrammeItemRequest r;
         r.mutable_item()->set_name(name);
         r.mutable_item()->set_notes("x");
         r.mutable_update_mask()->add_paths("notes");
         return logic_->UpdateWorkProgrammeItem(p, r).status();
       },
       true},
      {"Delete",
       [&](const auth::Principal& p) {
         v1::DeleteWorkProgrammeItemRequest r;
         r.set_name(name);
         return logic_->DeleteWorkProgrammeItem(p, r).status();
       },
       true},
      {"Seed",
       [&](const auth::Principal& p) {
         v1::SeedStatutoryItemsRequest r;
         r.set_parent(kPanel);
         r.set_municipal_year("2023/24");
         return logic_->SeedStatutoryItems(p, r).status();
       },
       true},
  };
  for (const Rpc& rpc : rpcs) {
    absl::Status other = rpc.call(Officer("north-shire"));
    EXPECT_EQ(Reason(other), "TENANT_MISMATCH") << rpc.what;
    if (rpc.officer_only) {
      EXPECT_EQ(Reason(rpc.call(Member())), "ROLE_NOT_ALLOWED") << rpc.what;
      EXPECT_EQ(rpc.call(auth::Principal::Anonymous()).code(), absl::StatusCode::kUnauthenticated)
          << rpc.what;
    } else {
      EXPECT_TRUE(rpc.call(auth::Principal::Anonymous()).ok()) << rpc.what;
      EXPECT_TRUE(rpc.call(Member()).ok()) << rpc.what;
    }
  }
  // Only the officer's own call created anything.
  EXPECT_EQ(Events().size(), 1u);
}

}  // namespace
}  // namespace moot::scheduling
