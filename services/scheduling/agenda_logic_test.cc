#include "services/scheduling/agenda_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/scheduling/people_store.h"
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

constexpr char kMeeting[] = "tenants/wm/bodies/pcp/meetings/2023-11-13";

class AgendaLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    scheduling_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    logic_ = std::make_unique<AgendaLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(scheduling_->Migrate().ok());
    ASSERT_TRUE(logic_->Migrate().ok());
    SeatMemberOnPanel(*db_);
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

  absl::StatusOr<v1::Meeting> Publish(const std::string& meeting = kMeeting) {
    v1::PublishAgendaRequest request;
    request.set_name(meeting);
    return scheduling_->PublishAgenda(Officer(), request);
  }

  v1::ListAgendaItemsResponse List(const auth::Principal& who,
                                   const std::string& meeting = kMeeting) {
    v1::ListAgendaItemsRequest request;
    request.set_parent(meeting);
    auto response = logic_->ListAgendaItems(who, request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::ListAgendaItemsResponse();
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

  EXPECT_TRUE(item->webcast());
  EXPECT_EQ(item->etag(), "1");
  EXPECT_FALSE(item->uid().empty());

  // Members read the working agenda; the public only once it is published.
  v1::GetAgendaItemRequest get;
  get.set_name(item->name());
  auto member_read = logic_->GetAgendaItem(Member(), get);
  ASSERT_TRUE(member_read.ok()) << member_read.status();
  EXPECT_EQ(member_read->SerializeAsString(), item->SerializeAsString());
  EXPECT_EQ(logic_->GetAgendaItem(auth::Principal::Anonymous(), get).status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(Publish().ok());
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
  auto exempt = ExemptRequest(2);
  exempt.mutable_agenda_item()->add_documents("tenants/wm/documents/cc-terms");
  auto created = logic_->CreateAgendaItem(Officer(), exempt);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_FALSE(created->description().empty());
  EXPECT_FALSE(created->webcast());  // R-MTG-01.
  ASSERT_TRUE(Publish().ok());

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
    EXPECT_TRUE(read->documents().empty());
    EXPECT_FALSE(read->webcast());
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

  // Item events describe the working agenda: officers only, never public.
  auto events = OutboxEvents();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1], std::make_pair(std::string("agenda_item.created"), false));
  EXPECT_EQ(events[2], std::make_pair(std::string("agenda_item.created"), false));
  EXPECT_EQ(events[3], std::make_pair(std::string("agenda.published"), true));
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
  ASSERT_TRUE(Publish().ok());
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

// R-MTG-04 (ENFORCE): an annual report review is never exempt; other kinds may be.
TEST_F(AgendaLogicTest, AnnualReportReviewCanNeverBeExempt) {
  struct Case {
    v1::AgendaItemKind kind;
    bool exempt;
    absl::StatusCode code;
  };
  const std::vector<Case> cases = {
      {v1::AGENDA_ITEM_KIND_ANNUAL_REPORT_REVIEW, true, absl::StatusCode::kFailedPrecondition},
      {v1::AGENDA_ITEM_KIND_ANNUAL_REPORT_REVIEW, false, absl::StatusCode::kOk},
      {v1::AGENDA_ITEM_KIND_REPORT, true, absl::StatusCode::kOk},
      {v1::AGENDA_ITEM_KIND_UNSPECIFIED, true, absl::StatusCode::kOk},
  };
  int number = 20;
  for (const Case& c : cases) {
    auto request = c.exempt ? ExemptRequest(++number)
                            : ItemRequest(++number, "POLICE AND CRIME COMMISSIONER ANNUAL REPORT");
    request.mutable_agenda_item()->set_kind(c.kind);
    auto result = logic_->CreateAgendaItem(Officer(), request);
    EXPECT_EQ(result.status().code(), c.code) << number << " " << result.status();
    if (c.code == absl::StatusCode::kFailedPrecondition) {
      EXPECT_EQ(Reason(result.status()), "ANNUAL_REPORT_MUST_BE_PUBLIC");
    }
  }
  // Nor can an update make one exempt.
  v1::UpdateAgendaItemRequest update;
  update.mutable_agenda_item()->set_name(absl::StrCat(kMeeting, "/agendaItems/22"));
  update.mutable_agenda_item()->set_exempt(true);
  update.mutable_agenda_item()->set_exempt_paragraph(3);
  update.mutable_agenda_item()->set_public_interest_reason("Commercial terms.");
  for (const char* path : {"exempt", "exempt_paragraph", "public_interest_reason"}) {
    update.mutable_update_mask()->add_paths(path);
  }
  EXPECT_EQ(Reason(logic_->UpdateAgendaItem(Officer(), update).status()),
            "ANNUAL_REPORT_MUST_BE_PUBLIC");
}

TEST_F(AgendaLogicTest, DocumentsAndUrgencyAreValidated) {
  struct Case {
    std::function<void(v1::AgendaItem&)> mutate;
    std::string field;  // Empty: accepted.
  };
  const std::vector<Case> cases = {
      {[](auto& i) { i.add_documents("tenants/wm/documents/annual-report-2022-23"); }, ""},
      {[](auto& i) { i.add_documents("tenants/wm/reports/x"); }, "agenda_item.documents"},
      {[](auto& i) { i.add_documents("tenants/other/documents/x"); }, "agenda_item.documents"},
      {[](auto& i) {
         i.add_documents("tenants/wm/documents/a");
         i.add_documents("tenants/wm/documents/a");
       },
       "agenda_item.documents"},
      {[](auto& i) { i.set_chair_approved_by("Cllr Jasbir Jaspal"); }, "agenda_item.urgent_reason"},
      {[](auto& i) {
         i.set_urgent_reason("Special circumstances: the report arrived after dispatch.");
         i.set_chair_approved_by("Cllr Jasbir Jaspal");
       },
       ""},
      {[](auto& i) { i.set_urgent_reason(std::string(2001, 'x')); }, "agenda_item.urgent_reason"},
  };
  int number = 0;
  for (const Case& c : cases) {
    auto request = ItemRequest(++number, "ITEM");
    c.mutate(*request.mutable_agenda_item());
    auto result = logic_->CreateAgendaItem(Officer(), request);
    if (c.field.empty()) {
      EXPECT_TRUE(result.ok()) << number << " " << result.status();
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << number;
      EXPECT_EQ(Field(result.status()), c.field) << number;
    }
  }
}

// R-MTG-12: a time before the meeting opens is an error; a time out of order or after the end
// is only a warning.
TEST_F(AgendaLogicTest, TimesBeforeTheStartAreRefusedOthersWarned) {
  struct Case {
    std::string time;
    bool accepted;
  };
  for (const Case& c : std::vector<Case>{{"13:59", false}, {"00:00", false}, {"14:00", true}}) {
    auto request = ItemRequest(50, "TIMED");
    request.mutable_agenda_item()->set_approximate_time(c.time);
    auto result = logic_->CreateAgendaItem(Officer(), request);
    EXPECT_EQ(result.ok(), c.accepted) << c.time;
    if (!c.accepted) {
      EXPECT_EQ(Field(result.status()), "agenda_item.approximate_time") << c.time;
    }
  }

  // The Board's timed agenda (domain.md §7.5) in a 10:00-13:00 window.
  v1::CreateMeetingRequest board_meeting;
  board_meeting.set_parent("tenants/wm/bodies/pcp");
  board_meeting.set_meeting_id("2023-02-28");
  board_meeting.mutable_meeting()->set_title("Strategic Policing and Crime Board");
  *board_meeting.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(1677578400);
  *board_meeting.mutable_meeting()->mutable_end_time() = TimeUtil::SecondsToTimestamp(1677589200);
  ASSERT_TRUE(scheduling_->CreateMeeting(Officer(), board_meeting).ok());
  const std::string board = "tenants/wm/bodies/pcp/meetings/2023-02-28";
  struct Timed {
    int number;
    std::string time;
  };
  for (const Timed& t : std::vector<Timed>{{1, "10:00"},
                                           {2, "10:10"},
                                           {3, "10:05"},
                                           {4, ""},
                                           {5, "12:59"},
                                           {6, "13:05"},
                                           {7, "13:05"}}) {
    auto request = ItemRequest(t.number, absl::StrCat("SLOT ", t.number));
    request.set_parent(board);
    request.mutable_agenda_item()->set_approximate_time(t.time);
    ASSERT_TRUE(logic_->CreateAgendaItem(Officer(), request).ok()) << t.number;
  }
  auto listed = List(Member(), board);
  EXPECT_EQ(listed.agenda_items_size(), 7);
  EXPECT_THAT(
      listed.warnings(),
      ElementsAre(
          "AGENDA_TIME_NOT_INCREASING: item 3 (10:05) is not after item 2 (10:10) (R-MTG-12)",
          "AGENDA_TIME_AFTER_END: item 6 (13:05) is after the meeting's end (13:00) (R-MTG-12)",
          "AGENDA_TIME_NOT_INCREASING: item 7 (13:05) is not after item 6 (13:05) (R-MTG-12)",
          "AGENDA_TIME_AFTER_END: item 7 (13:05) is after the meeting's end (13:00) (R-MTG-12)"));
  // Warnings cover the whole agenda on every page.
  v1::ListAgendaItemsRequest page;
  page.set_parent(board);
  page.set_page_size(2);
  auto first = logic_->ListAgendaItems(Officer(), page);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->agenda_items_size(), 2);
  EXPECT_EQ(first->warnings_size(), 4);
}

TEST_F(AgendaLogicTest, UpdateChangesMaskedFieldsWithEtagAndPrivateEvent) {
  auto created = logic_->CreateAgendaItem(Officer(), ItemRequest(7, "BUDGET SUB-GROUP"));
  ASSERT_TRUE(created.ok());
  v1::UpdateAgendaItemRequest update;
  *update.mutable_agenda_item() = *created;
  update.mutable_agenda_item()->set_title("ESTABLISHMENT OF THE POLICE AND CRIME PANEL BUDGET");
  update.mutable_agenda_item()->set_description("Not in the mask: unchanged.");
  update.mutable_agenda_item()->set_format(v1::AGENDA_ITEM_FORMAT_WRITTEN_REPORT);
  update.mutable_update_mask()->add_paths("title");
  update.mutable_update_mask()->add_paths("format");
  clock_.Advance(absl::Minutes(3));
  auto updated = logic_->UpdateAgendaItem(Officer(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->title(), "ESTABLISHMENT OF THE POLICE AND CRIME PANEL BUDGET");
  EXPECT_TRUE(updated->description().empty());
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_EQ(updated->uid(), created->uid());
  EXPECT_EQ(TimeUtil::TimestampToSeconds(updated->update_time()), 1699000180);

  // A stale etag is refused; so are unknown and number paths and a missing mask.
  EXPECT_EQ(logic_->UpdateAgendaItem(Officer(), update).status().code(),
            absl::StatusCode::kAborted);
  update.mutable_agenda_item()->clear_etag();
  update.mutable_update_mask()->add_paths("number");
  EXPECT_EQ(Field(logic_->UpdateAgendaItem(Officer(), update).status()), "update_mask");
  update.mutable_update_mask()->clear_paths();
  EXPECT_EQ(Field(logic_->UpdateAgendaItem(Officer(), update).status()), "update_mask");
  update.mutable_update_mask()->add_paths("approximate_time");
  update.mutable_agenda_item()->set_approximate_time("09:00");
  EXPECT_EQ(Field(logic_->UpdateAgendaItem(Officer(), update).status()),
            "agenda_item.approximate_time");
  update.mutable_agenda_item()->set_name(absl::StrCat(kMeeting, "/agendaItems/8"));
  update.mutable_agenda_item()->set_approximate_time("14:35");
  EXPECT_EQ(logic_->UpdateAgendaItem(Officer(), update).status().code(),
            absl::StatusCode::kNotFound);

  // Access before lookup.
  EXPECT_EQ(Reason(logic_->UpdateAgendaItem(Member(), update).status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(logic_->UpdateAgendaItem(Officer("other"), update).status()), "TENANT_MISMATCH");

  auto events = OutboxEvents();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2], std::make_pair(std::string("agenda_item.updated"), false));
}

TEST_F(AgendaLogicTest, DeleteRenumbersOnlyBeforePublication) {
  for (int n : {1, 2, 3, 4}) {
    ASSERT_TRUE(logic_->CreateAgendaItem(Officer(), ItemRequest(n, absl::StrCat("ITEM ", n))).ok());
  }
  v1::DeleteAgendaItemRequest del;
  del.set_name(absl::StrCat(kMeeting, "/agendaItems/2"));
  del.set_renumber(true);
  EXPECT_EQ(Reason(logic_->DeleteAgendaItem(Member(), del).status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(logic_->DeleteAgendaItem(Officer("other"), del).status()), "TENANT_MISMATCH");
  del.set_etag("9");
  EXPECT_EQ(logic_->DeleteAgendaItem(Officer(), del).status().code(), absl::StatusCode::kAborted);
  del.clear_etag();
  auto deleted = logic_->DeleteAgendaItem(Officer(), del);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  ASSERT_EQ(deleted->agenda_items_size(), 3);
  EXPECT_EQ(deleted->agenda_items(1).title(), "ITEM 3");
  EXPECT_EQ(deleted->agenda_items(1).number(), 2);
  EXPECT_EQ(deleted->agenda_items(1).name(), absl::StrCat(kMeeting, "/agendaItems/2"));

  ASSERT_TRUE(Publish().ok());
  // Published numbers are fixed: no renumbering, but an item can be withdrawn.
  del.set_name(absl::StrCat(kMeeting, "/agendaItems/1"));
  EXPECT_EQ(Reason(logic_->DeleteAgendaItem(Officer(), del).status()), "AGENDA_ALREADY_PUBLISHED");
  del.set_renumber(false);
  auto withdrawn = logic_->DeleteAgendaItem(Officer(), del);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->agenda_items(0).number(), 2);
  EXPECT_EQ(logic_->DeleteAgendaItem(Officer(), del).status().code(), absl::StatusCode::kNotFound);
  auto events = OutboxEvents();
  EXPECT_EQ(events.back(), std::make_pair(std::string("agenda_item.deleted"), false));
}

TEST_F(AgendaLogicTest, ReorderRenumbersInTheGivenOrder) {
  for (int n : {1, 2, 5}) {
    ASSERT_TRUE(logic_->CreateAgendaItem(Officer(), ItemRequest(n, absl::StrCat("ITEM ", n))).ok());
  }
  v1::ReorderAgendaItemsRequest reorder;
  reorder.set_parent(kMeeting);
  for (int n : {5, 1, 2}) {
    reorder.add_numbers(n);
  }
  EXPECT_EQ(Reason(logic_->ReorderAgendaItems(Member(), reorder).status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(logic_->ReorderAgendaItems(Officer("other"), reorder).status()),
            "TENANT_MISMATCH");
  auto reordered = logic_->ReorderAgendaItems(Officer(), reorder);
  ASSERT_TRUE(reordered.ok()) << reordered.status();
  std::vector<std::string> titles;
  const auto listed = List(Officer());
  for (const auto& item : listed.agenda_items()) {
    titles.push_back(absl::StrCat(item.number(), " ", item.title()));
  }
  EXPECT_THAT(titles, ElementsAre("1 ITEM 5", "2 ITEM 1", "3 ITEM 2"));

  for (const std::vector<int>& bad : std::vector<std::vector<int>>{{1, 2}, {1, 2, 2}, {1, 2, 4}}) {
    reorder.clear_numbers();
    for (int n : bad) {
      reorder.add_numbers(n);
    }
    EXPECT_EQ(Field(logic_->ReorderAgendaItems(Officer(), reorder).status()), "numbers");
  }
  ASSERT_TRUE(Publish().ok());
  reorder.clear_numbers();
  for (int n : {3, 2, 1}) {
    reorder.add_numbers(n);
  }
  EXPECT_EQ(Reason(logic_->ReorderAgendaItems(Officer(), reorder).status()),
            "AGENDA_ALREADY_PUBLISHED");
  EXPECT_EQ(OutboxEvents()[4], std::make_pair(std::string("agenda_item.reordered"), false));
}

// R-MTG-03: the standing template opens the agenda, numbered from 1; idempotent.
TEST_F(AgendaLogicTest, StandingTemplateCreatesTheBodysItemsOnce) {
  v1::CreateAgendaFromTemplateRequest request;
  request.set_parent(kMeeting);
  EXPECT_EQ(Reason(logic_->CreateAgendaFromTemplate(Member(), request).status()),
            "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(logic_->CreateAgendaFromTemplate(Officer("other"), request).status()),
            "TENANT_MISMATCH");
  auto created = logic_->CreateAgendaFromTemplate(Officer(), request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->created());
  std::vector<std::string> rows;
  for (const auto& item : created->agenda_items()) {
    absl::string_view kind = v1::AgendaItemKind_Name(item.kind());
    rows.push_back(absl::StrCat(item.number(), " ", kind.substr(17), " ", item.title()));
  }
  EXPECT_THAT(
      rows,
      ElementsAre("1 NOTICE_OF_RECORDING NOTICE OF RECORDING", "2 APOLOGIES APOLOGIES",
                  "3 DECLARATIONS DECLARATIONS OF INTEREST (IF ANY)", "4 MINUTES MINUTES",
                  "5 ACTION_TRACKER ACTION TRACKER", "6 PUBLIC_QUESTIONS PUBLIC QUESTION TIME",
                  "7 KEY_DECISIONS POLICE AND CRIME COMMISSIONER KEY DECISIONS",
                  "8 WORK_PROGRAMME WORK PROGRAMME", "9 URGENT_BUSINESS URGENT BUSINESS"));
  const size_t events = OutboxEvents().size();
  EXPECT_EQ(events, 10u);  // meeting.scheduled + nine agenda_item.created.

  // Again: nothing new; also after a report is added after the standing items.
  ASSERT_TRUE(logic_->CreateAgendaItem(Officer(), ItemRequest(10, "FAIRNESS AND BELONGING")).ok());
  auto again = logic_->CreateAgendaFromTemplate(Officer(), request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->created());
  EXPECT_EQ(again->agenda_items_size(), 9);
  EXPECT_EQ(OutboxEvents().size(), events + 1);

  // Another meeting whose item 1 is something else is not overwritten.
  v1::CreateMeetingRequest meeting;
  meeting.set_parent("tenants/wm/bodies/pcp");
  meeting.set_meeting_id("2024-01-15");
  meeting.mutable_meeting()->set_title("Police and Crime Panel");
  *meeting.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(1705327200);
  ASSERT_TRUE(scheduling_->CreateMeeting(Officer(), meeting).ok());
  auto item = ItemRequest(1, "PRECEPT");
  item.set_parent("tenants/wm/bodies/pcp/meetings/2024-01-15");
  ASSERT_TRUE(logic_->CreateAgendaItem(Officer(), item).ok());
  request.set_parent(item.parent());
  EXPECT_EQ(Reason(logic_->CreateAgendaFromTemplate(Officer(), request).status()),
            "AGENDA_NOT_EMPTY");

  // A committee has no standing agenda by default.
  v1::CreateBodyRequest body;
  body.set_parent("tenants/wm");
  body.set_body_id("audit");
  body.mutable_body()->set_display_name("Audit Committee");
  body.mutable_body()->set_kind(v1::BODY_KIND_COMMITTEE);
  ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
  meeting.set_parent("tenants/wm/bodies/audit");
  ASSERT_TRUE(scheduling_->CreateMeeting(Officer(), meeting).ok());
  request.set_parent("tenants/wm/bodies/audit/meetings/2024-01-15");
  EXPECT_EQ(Reason(logic_->CreateAgendaFromTemplate(Officer(), request).status()),
            "NO_STANDING_AGENDA");
}

// The public reads only what was published; members and officers read the working agenda.
TEST_F(AgendaLogicTest, PublicReadsOnlyThePublishedVersion) {
  ASSERT_TRUE(logic_->CreateAgendaItem(Officer(), ItemRequest(1, "NOTICE OF RECORDING")).ok());
  EXPECT_EQ(List(auth::Principal::Anonymous()).agenda_items_size(), 0);
  EXPECT_EQ(List(Partner()).agenda_items_size(), 0);
  EXPECT_EQ(List(Member()).agenda_items_size(), 1);
  ASSERT_TRUE(Publish().ok());
  ASSERT_TRUE(logic_->CreateAgendaItem(Officer(), ItemRequest(2, "APOLOGIES")).ok());
  auto outside = List(auth::Principal::Anonymous());
  EXPECT_EQ(outside.agenda_items_size(), 1);
  EXPECT_EQ(outside.agenda_version(), 1);
  auto inside = List(Member());
  EXPECT_EQ(inside.agenda_items_size(), 2);
  EXPECT_EQ(inside.agenda_version(), 0);
  v1::GetAgendaItemRequest get;
  get.set_name(absl::StrCat(kMeeting, "/agendaItems/2"));
  EXPECT_EQ(logic_->GetAgendaItem(Partner(), get).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(logic_->GetAgendaItem(Member(), get).ok());
}

}  // namespace
}  // namespace moot::scheduling
