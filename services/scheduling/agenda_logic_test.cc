#include "services/scheduling/agenda_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "services/scheduling/scheduling_logic.h"

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
  return {.tenant = tenant, .subject = "user:partner", .roles = {auth::Role::kPartner}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

constexpr char kMeeting[] = "tenants/wm/bodies/pcp/meetings/2023-11-13";

class AgendaLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = sql::Open("sqlite::memory:", 1);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    scheduling_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    logic_ = std::make_unique<AgendaLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(scheduling_->Migrate().ok());
    ASSERT_TRUE(logic_->Migrate().ok());
    v1::CreateBodyRequest body;
    body.set_parent("tenants/wm");
    body.set_body_id("pcp");
    body.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
    body.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
    ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
    v1::CreateMeetingRequest meeting;
    meeting.set_parent("tenants/wm/bodies/pcp");
    meeting.set_meeting_id("2023-11-13");
    meeting.mutable_meeting()->set_title("Police and Crime Panel");
    *meeting.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(1699884000);
    ASSERT_TRUE(scheduling_->CreateMeeting(Officer(), meeting).ok());
  }

  static v1::CreateAgendaItemRequest ItemRequest(int number, const std::string& title) {
    v1::CreateAgendaItemRequest request;
    request.set_parent(kMeeting);
    request.mutable_agenda_item()->set_number(number);
    request.mutable_agenda_item()->set_title(title);
    return request;
  }

  static v1::CreateAgendaItemRequest ExemptRequest(int number) {
    auto request = ItemRequest(number, "CHIEF CONSTABLE RE-APPOINTMENT: TERMS");
    request.mutable_agenda_item()->set_description("Salary and contract terms of the appointee.");
    request.mutable_agenda_item()->set_exempt(true);
    request.mutable_agenda_item()->set_exempt_paragraph(1);
    request.mutable_agenda_item()->set_public_interest_reason(
        "Information relating to an individual.");
    return request;
  }

  std::vector<std::pair<std::string, bool>> OutboxEvents() {
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
                       events.emplace_back(row.String(0), event.public_());
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return events;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> scheduling_;
  std::unique_ptr<AgendaLogic> logic_;
};

TEST(ClockTimeTest, OnlyHoursAndMinutes) {
  EXPECT_TRUE(IsClockTime("14:00"));
  EXPECT_TRUE(IsClockTime("00:00"));
  EXPECT_TRUE(IsClockTime("23:59"));
  EXPECT_FALSE(IsClockTime("24:00"));
  EXPECT_FALSE(IsClockTime("12:60"));
  EXPECT_FALSE(IsClockTime("10.00"));
  EXPECT_FALSE(IsClockTime("9:00"));
  EXPECT_FALSE(IsClockTime("14:00:00"));
}

TEST_F(AgendaLogicTest, OfficerCreatesItemAndAnyoneReadsIt) {
  auto request = ItemRequest(7, "ESTABLISHMENT OF THE POLICE AND CRIME PANEL BUDGET SUB-GROUP");
  request.mutable_agenda_item()->set_report_of("Panel Lead Officer");
  request.mutable_agenda_item()->set_approximate_time("14:35");
  request.mutable_agenda_item()->set_attached(true);
  auto item = logic_->CreateAgendaItem(Officer(), request);
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->name(), "tenants/wm/bodies/pcp/meetings/2023-11-13/agendaItems/7");
  EXPECT_EQ(item->kind(), v1::AGENDA_ITEM_KIND_REPORT);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(item->create_time()), 1699000000);

  v1::GetAgendaItemRequest get;
  get.set_name(item->name());
  auto read = logic_->GetAgendaItem(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), item->SerializeAsString());

  get.set_name("tenants/wm/bodies/pcp/meetings/2023-11-13/agendaItems/8");
  EXPECT_EQ(logic_->GetAgendaItem(Member(), get).status().code(), absl::StatusCode::kNotFound);
  get.set_name("tenants/wm/bodies/pcp/meetings/2023-11-13/agendaItems/07");
  EXPECT_EQ(Field(logic_->GetAgendaItem(Member(), get).status()), "name");
  get.set_name("tenants/wm/bodies/pcp/meetings/2023-11-13/agendaItems/seven");
  EXPECT_EQ(Field(logic_->GetAgendaItem(Member(), get).status()), "name");
  get.set_name("tenants/wm/bodies/pcp/meetings/nope/agendaItems/7");
  EXPECT_EQ(logic_->GetAgendaItem(Member(), get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(AgendaLogicTest, NumberIsUniqueInTheMeetingAndMeetingMustExist) {
  ASSERT_TRUE(logic_->CreateAgendaItem(Officer(), ItemRequest(1, "NOTICE OF RECORDING")).ok());
  auto again = logic_->CreateAgendaItem(Officer(), ItemRequest(1, "APOLOGIES"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);

  auto no_meeting = ItemRequest(1, "APOLOGIES");
  no_meeting.set_parent("tenants/wm/bodies/pcp/meetings/2099-01-01");
  auto missing = logic_->CreateAgendaItem(Officer(), no_meeting);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status::Details(missing.status()).metadata.at("resource"),
            "tenants/wm/bodies/pcp/meetings/2099-01-01");
  v1::ListAgendaItemsRequest list;
  list.set_parent(no_meeting.parent());
  EXPECT_EQ(logic_->ListAgendaItems(Officer(), list).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(OutboxEvents().size(), 2u);  // meeting.scheduled + one agenda_item.created.
}

TEST_F(AgendaLogicTest, ValidationNamesTheField) {
  struct Case {
    std::function<void(v1::CreateAgendaItemRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.mutable_agenda_item()->set_number(0); }, "agenda_item.number"},
      {[](auto& r) { r.mutable_agenda_item()->set_number(-3); }, "agenda_item.number"},
      {[](auto& r) { r.mutable_agenda_item()->set_number(1000); }, "agenda_item.number"},
      {[](auto& r) { r.mutable_agenda_item()->clear_title(); }, "agenda_item.title"},
      {[](auto& r) { r.mutable_agenda_item()->set_title(std::string(501, 'x')); },
       "agenda_item.title"},
      {[](auto& r) { r.mutable_agenda_item()->set_approximate_time("10.00"); },
       "agenda_item.approximate_time"},
      {[](auto& r) { r.mutable_agenda_item()->set_approximate_time("25:00"); },
       "agenda_item.approximate_time"},
      {[](auto& r) { r.mutable_agenda_item()->set_kind(static_cast<v1::AgendaItemKind>(77)); },
       "agenda_item.kind"},
      {[](auto& r) { r.mutable_agenda_item()->set_format(static_cast<v1::AgendaItemFormat>(9)); },
       "agenda_item.format"},
      {[](auto& r) { r.mutable_agenda_item()->add_presenters(""); }, "agenda_item.presenters"},
      {[](auto& r) { r.mutable_agenda_item()->set_exempt_paragraph(3); },
       "agenda_item.exempt_paragraph"},
      {[](auto& r) { r.mutable_agenda_item()->set_public_interest_reason("why"); },
       "agenda_item.public_interest_reason"},
      {[](auto& r) { r.set_parent("tenants/wm/bodies/pcp"); }, "parent"},
  };
  for (const auto& c : cases) {
    auto request = ItemRequest(4, "MINUTES");
    c.mutate(request);
    auto result = logic_->CreateAgendaItem(Officer(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
}

TEST_F(AgendaLogicTest, ExemptItemNeedsParagraphAndReason) {
  for (int paragraph : {0, 8, -1}) {
    auto request = ExemptRequest(9);
    request.mutable_agenda_item()->set_exempt_paragraph(paragraph);
    auto result = logic_->CreateAgendaItem(Officer(), request);
    EXPECT_EQ(Field(result.status()), "agenda_item.exempt_paragraph") << paragraph;
  }
  auto no_reason = ExemptRequest(9);
  no_reason.mutable_agenda_item()->clear_public_interest_reason();
  EXPECT_EQ(Field(logic_->CreateAgendaItem(Officer(), no_reason).status()),
            "agenda_item.public_interest_reason");
  for (int paragraph : {1, 7}) {
    auto request = ExemptRequest(paragraph + 10);
    request.mutable_agenda_item()->set_exempt_paragraph(paragraph);
    EXPECT_TRUE(logic_->CreateAgendaItem(Officer(), request).ok()) << paragraph;
  }
}

TEST_F(AgendaLogicTest, PublicSeesThatAnExemptItemExistsButNotItsContent) {
  ASSERT_TRUE(logic_->CreateAgendaItem(Officer(), ItemRequest(1, "NOTICE OF RECORDING")).ok());
  auto created = logic_->CreateAgendaItem(Officer(), ExemptRequest(2));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_FALSE(created->description().empty());

  v1::GetAgendaItemRequest get;
  get.set_name(created->name());
  for (const auth::Principal& insider : {Officer(), Member()}) {
    auto read = logic_->GetAgendaItem(insider, get);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->description(), "Salary and contract terms of the appointee.");
    EXPECT_EQ(read->public_interest_reason(), "Information relating to an individual.");
  }
  for (const auth::Principal& outsider : {auth::Principal::Anonymous(), Partner()}) {
    auto read = logic_->GetAgendaItem(outsider, get);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->title(), "CHIEF CONSTABLE RE-APPOINTMENT: TERMS");
    EXPECT_TRUE(read->exempt());
    EXPECT_EQ(read->exempt_paragraph(), 1);
    EXPECT_TRUE(read->description().empty());
    EXPECT_TRUE(read->public_interest_reason().empty());
  }
  v1::ListAgendaItemsRequest list;
  list.set_parent(kMeeting);
  auto public_list = logic_->ListAgendaItems(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(public_list.ok()) << public_list.status();
  ASSERT_EQ(public_list->agenda_items_size(), 2);
  EXPECT_TRUE(public_list->agenda_items(1).description().empty());
  auto officer_list = logic_->ListAgendaItems(Officer(), list);
  ASSERT_TRUE(officer_list.ok());
  EXPECT_FALSE(officer_list->agenda_items(1).description().empty());

  // The exempt item's event is not public, and carries no exempt content.
  auto events = OutboxEvents();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1], std::make_pair(std::string("agenda_item.created"), true));
  EXPECT_EQ(events[2], std::make_pair(std::string("agenda_item.created"), false));
}

TEST_F(AgendaLogicTest, AccessIsCheckedBeforeAnyLookup) {
  auto request = ItemRequest(1, "NOTICE OF RECORDING");
  EXPECT_EQ(Reason(logic_->CreateAgendaItem(Member(), request).status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(logic_->CreateAgendaItem(Officer("other"), request).status()),
            "TENANT_MISMATCH");
  EXPECT_EQ(logic_->CreateAgendaItem(auth::Principal::Anonymous(), request).status().code(),
            absl::StatusCode::kUnauthenticated);
  v1::ListAgendaItemsRequest list;
  list.set_parent(kMeeting);
  EXPECT_EQ(Reason(logic_->ListAgendaItems(Member("other"), list).status()), "TENANT_MISMATCH");
  v1::GetAgendaItemRequest get;
  get.set_name(absl::StrCat(kMeeting, "/agendaItems/1"));
  EXPECT_EQ(Reason(logic_->GetAgendaItem(Officer("other"), get).status()), "TENANT_MISMATCH");
}

TEST_F(AgendaLogicTest, ListIsInNumberOrderAcrossPages) {
  // Created out of order, 10 before 9 and 2: listed numerically, not as text.
  for (int n : {10, 2, 13, 1, 9, 11, 3}) {
    ASSERT_TRUE(logic_->CreateAgendaItem(Officer(), ItemRequest(n, absl::StrCat("ITEM ", n))).ok());
  }
  std::vector<int> numbers;
  v1::ListAgendaItemsRequest list;
  list.set_parent(kMeeting);
  list.set_page_size(3);
  int pages = 0;
  do {
    auto page = logic_->ListAgendaItems(auth::Principal::Anonymous(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& item : page->agenda_items()) {
      numbers.push_back(item.number());
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(numbers, ElementsAre(1, 2, 3, 9, 10, 11, 13));
  list.set_page_size(0);
  list.set_page_token("not-a-token");
  EXPECT_EQ(Field(logic_->ListAgendaItems(Officer(), list).status()), "page_token");
}

TEST_F(AgendaLogicTest, RetryWithRequestIdIsIdempotent) {
  auto request = ItemRequest(4, "MINUTES");
  request.mutable_agenda_item()->set_kind(v1::AGENDA_ITEM_KIND_MINUTES);
  request.set_request_id("seed-agenda-4");
  auto first = logic_->CreateAgendaItem(Officer(), request);
  ASSERT_TRUE(first.ok()) << first.status();
  clock_.Advance(absl::Minutes(5));
  auto retry = logic_->CreateAgendaItem(Officer(), request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  request.mutable_agenda_item()->set_title("CHANGED");
  EXPECT_EQ(Reason(logic_->CreateAgendaItem(Officer(), request).status()), "REQUEST_ID_REUSED");
  EXPECT_EQ(OutboxEvents().size(), 2u);
}

}  // namespace
}  // namespace moot::scheduling
