// Publication of agendas through SchedulingLogic::PublishAgenda: the deadline (R-MTG-09), late
// urgent business (R-MTG-08), historical records, versions and supplements with their diffs,
// events, and who reads which version.
#include "services/scheduling/agenda_publication.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/scheduling/agenda_logic.h"
#include "services/scheduling/agenda_rules.h"
#include "services/scheduling/calendar_logic.h"
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

constexpr char kMeeting[] = "tenants/wm/bodies/pcp/meetings/2023-11-13";
// Monday 13 November 2023 14:00 GMT; five clear working days before it (R-MTG-09, §9 item 2)
// end on Friday 3 November 2023 at 23:59.
constexpr int64_t kStart = 1699884000;
const absl::Time kDeadline =
    absl::FromCivil(absl::CivilMinute(2023, 11, 3, 23, 59), absl::UTCTimeZone());

class AgendaPublicationTest : public ::testing::Test {
 public:  // The table-driven cases call the helpers through the fixture.
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    scheduling_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    agenda_ = std::make_unique<AgendaLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(scheduling_->Migrate().ok());
    ASSERT_TRUE(agenda_->Migrate().ok());
    SeatMemberOnPanel(*db_);
    v1::CreateBodyRequest body;
    body.set_parent("tenants/wm");
    body.set_body_id("pcp");
    body.mutable_body()->set_display_name("West Midlands Police and Crime Panel");
    body.mutable_body()->set_kind(v1::BODY_KIND_PANEL);
    ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
    ASSERT_TRUE(CreateMeeting("2023-11-13").ok());
  }

  absl::Status CreateMeeting(const std::string& id, const std::string& body = "pcp") {
    v1::CreateMeetingRequest meeting;
    meeting.set_parent(absl::StrCat("tenants/wm/bodies/", body));
    meeting.set_meeting_id(id);
    meeting.mutable_meeting()->set_title("Police and Crime Panel");
    *meeting.mutable_meeting()->mutable_start_time() = TimeUtil::SecondsToTimestamp(kStart);
    *meeting.mutable_meeting()->mutable_end_time() = TimeUtil::SecondsToTimestamp(kStart + 9000);
    return scheduling_->CreateMeeting(Officer(), meeting).status();
  }

  absl::StatusOr<v1::AgendaItem> AddItem(int number, const std::string& title,
                                         const std::string& time = "",
                                         const std::string& meeting = kMeeting) {
    v1::CreateAgendaItemRequest request;
    request.set_parent(meeting);
    request.mutable_agenda_item()->set_number(number);
    request.mutable_agenda_item()->set_title(title);
    request.mutable_agenda_item()->set_approximate_time(time);
    return agenda_->CreateAgendaItem(Officer(), request);
  }

  absl::StatusOr<v1::AgendaItem> AddUrgentItem(int number, bool chair_approved,
                                               const std::string& meeting = kMeeting) {
    v1::CreateAgendaItemRequest request;
    request.set_parent(meeting);
    request.mutable_agenda_item()->set_number(number);
    request.mutable_agenda_item()->set_title("CHIEF CONSTABLE VACANCY");
    request.mutable_agenda_item()->set_kind(v1::AGENDA_ITEM_KIND_URGENT_BUSINESS);
    request.mutable_agenda_item()->set_urgent_reason(
        "The Chief Constable announced his retirement after the agenda was dispatched.");
    if (chair_approved) {
      request.mutable_agenda_item()->set_chair_approved_by("Cllr Jasbir Jaspal (Chair)");
    }
    return agenda_->CreateAgendaItem(Officer(), request);
  }

  absl::StatusOr<v1::Meeting> Publish(const std::string& meeting = kMeeting,
                                      const auth::Principal& who = Officer()) {
    v1::PublishAgendaRequest request;
    request.set_name(meeting);
    return scheduling_->PublishAgenda(who, request);
  }

  absl::StatusOr<v1::AgendaVersion> Version(int n, const auth::Principal& who = Officer()) {
    v1::GetAgendaVersionRequest request;
    request.set_name(absl::StrCat(kMeeting, "/agendaVersions/", n));
    return agenda_->GetAgendaVersion(who, request);
  }

  // (type, public, payload) of every outbox event.
  struct Stored {
    std::string type;
    bool is_public;
    events::v1::Event event;
  };
  std::vector<Stored> Events() {
    std::vector<Stored> out;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT type, payload FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       Stored s;
                       s.type = row.String(0);
                       auto bytes = row.GetBytes(1);
                       EXPECT_TRUE(bytes.ok() && s.event.ParseFromString(*bytes));
                       s.is_public = s.event.public_();
                       out.push_back(std::move(s));
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  }

  void SetNow(absl::Time t) { clock_.Set(t); }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};  // Fri 3 Nov 2023 08:26 GMT.
  ids::SequentialIdGenerator ids_{"id"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> scheduling_;
  std::unique_ptr<AgendaLogic> agenda_;
};

TEST_F(AgendaPublicationTest, VersionsAndSupplementsListTheirDifferences) {
  ASSERT_TRUE(AddItem(1, "NOTICE OF RECORDING", "14:00").ok());
  ASSERT_TRUE(AddItem(2, "APOLOGIES").ok());
  ASSERT_TRUE(AddItem(3, "MINUTES", "14:02").ok());
  auto first = Publish();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->agenda_version(), 1);
  EXPECT_EQ(first->status(), v1::MEETING_STATUS_AGENDA_PUBLISHED);

  auto v1 = Version(1);
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_EQ(v1->name(), absl::StrCat(kMeeting, "/agendaVersions/1"));
  EXPECT_FALSE(v1->supplement());
  EXPECT_FALSE(v1->late());
  EXPECT_FALSE(v1->historical());
  EXPECT_EQ(v1->published_by(), "user:officer");
  EXPECT_EQ(TimeUtil::TimestampToSeconds(v1->publication_deadline()),
            absl::ToUnixSeconds(kDeadline));
  EXPECT_THAT(v1->diff().added(), ElementsAre(1, 2, 3));
  EXPECT_EQ(v1->agenda_items_size(), 3);

  // Changes after publication: a changed title and time, a withdrawn item, a new item.
  clock_.Advance(absl::Hours(2));
  v1::UpdateAgendaItemRequest update;
  update.mutable_agenda_item()->set_name(absl::StrCat(kMeeting, "/agendaItems/3"));
  update.mutable_agenda_item()->set_title("MINUTES OF 11 SEPTEMBER 2023");
  update.mutable_agenda_item()->set_approximate_time("14:03");
  update.mutable_update_mask()->add_paths("title");
  update.mutable_update_mask()->add_paths("approximate_time");
  ASSERT_TRUE(agenda_->UpdateAgendaItem(Officer(), update).ok());
  v1::DeleteAgendaItemRequest del;
  del.set_name(absl::StrCat(kMeeting, "/agendaItems/2"));
  ASSERT_TRUE(agenda_->DeleteAgendaItem(Officer(), del).ok());
  ASSERT_TRUE(AddItem(4, "PUBLIC QUESTION TIME", "14:05").ok());

  // Not yet public: the public still reads version 1.
  v1::ListAgendaItemsRequest list;
  list.set_parent(kMeeting);
  auto outside = agenda_->ListAgendaItems(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(outside.ok());
  EXPECT_EQ(outside->agenda_items_size(), 3);
  EXPECT_EQ(outside->agenda_items(2).title(), "MINUTES");

  auto second = Publish();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->agenda_version(), 2);
  auto v2 = Version(2, auth::Principal::Anonymous());
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_TRUE(v2->supplement());
  EXPECT_EQ(v2->diff().from_version(), 1);
  EXPECT_THAT(v2->diff().added(), ElementsAre(4));
  EXPECT_THAT(v2->diff().removed(), ElementsAre(2));
  ASSERT_EQ(v2->diff().changed_size(), 1);
  EXPECT_EQ(v2->diff().changed(0).number(), 3);
  EXPECT_THAT(v2->diff().changed(0).fields(), ElementsAre("title", "approximate_time"));
  outside = agenda_->ListAgendaItems(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(outside.ok());
  EXPECT_EQ(outside->agenda_version(), 2);
  EXPECT_EQ(outside->agenda_items_size(), 3);

  // Version 1 is kept unchanged.
  v1 = Version(1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->agenda_items(2).title(), "MINUTES");

  // Nothing changed: no empty supplement.
  EXPECT_EQ(Reason(Publish().status()), "AGENDA_UNCHANGED");

  v1::ListAgendaVersionsRequest versions;
  versions.set_parent(kMeeting);
  versions.set_page_size(1);
  auto page = agenda_->ListAgendaVersions(auth::Principal::Anonymous(), versions);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->agenda_versions_size(), 1);
  EXPECT_EQ(page->agenda_versions(0).version(), 1);
  EXPECT_EQ(page->agenda_versions(0).agenda_items_size(), 0);  // Summaries only.
  versions.set_page_token(page->next_page_token());
  page = agenda_->ListAgendaVersions(auth::Principal::Anonymous(), versions);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->agenda_versions_size(), 1);
  EXPECT_EQ(page->agenda_versions(0).version(), 2);
  EXPECT_TRUE(page->next_page_token().empty());
  EXPECT_EQ(Version(3).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(AgendaPublicationTest, EventsAnnounceVersionsAndSupplements) {
  ASSERT_TRUE(AddItem(1, "NOTICE OF RECORDING", "14:00").ok());
  ASSERT_TRUE(Publish().ok());
  ASSERT_TRUE(AddItem(2, "LATE SLOT", "17:00").ok());  // After the 16:30 end: a warning.
  ASSERT_TRUE(Publish().ok());
  std::vector<std::string> types;
  for (const auto& e : Events()) {
    types.push_back(absl::StrCat(e.type, e.is_public ? " public" : " officers"));
  }
  EXPECT_THAT(types, ElementsAre("meeting.scheduled public", "agenda_item.created officers",
                                 "agenda.published public", "agenda_item.created officers",
                                 "agenda.published public", "agenda.supplement_published public"));
  auto events = Events();
  v1::AgendaPublished first;
  ASSERT_TRUE(events[2].event.payload().UnpackTo(&first));
  EXPECT_EQ(first.agenda_version(), 1);
  EXPECT_FALSE(first.supplement());
  EXPECT_THAT(first.added_items(), ElementsAre(1));
  EXPECT_EQ(first.body(), "tenants/wm/bodies/pcp");
  v1::AgendaPublished supplement;
  ASSERT_TRUE(events[5].event.payload().UnpackTo(&supplement));
  EXPECT_EQ(supplement.agenda_version(), 2);
  EXPECT_TRUE(supplement.supplement());
  EXPECT_EQ(supplement.version_name(), absl::StrCat(kMeeting, "/agendaVersions/2"));
  EXPECT_THAT(supplement.added_items(), ElementsAre(2));
  EXPECT_THAT(supplement.warnings(),
              ElementsAre("AGENDA_TIME_AFTER_END: item 2 (17:00) is after the meeting's end "
                          "(16:30) (R-MTG-12)"));
  auto v2 = Version(2);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->warnings_size(), 1);
}

// R-MTG-09 (deadline) and R-MTG-08 (late items only as urgent business with the Chair's
// approval), and the historical record of a meeting already started.
TEST_F(AgendaPublicationTest, DeadlineAdmitsOnlyApprovedUrgentBusiness) {
  struct Case {
    std::string name;
    absl::Time first_publish;  // InfinitePast: no publication before `now`.
    // Changes made to the case's meeting a second before `now`.
    std::function<absl::Status(AgendaPublicationTest&, const std::string&)> late_changes;
    absl::Time now;
    std::string reason;  // Empty: published.
    bool late;
    bool historical;
    std::vector<int> urgent;
  };
  const absl::Time none = absl::InfinitePast();
  const absl::Time in_time = kDeadline - absl::Minutes(1);
  const absl::Time after = kDeadline + absl::Minutes(1);
  const absl::Time started = absl::FromUnixSeconds(kStart + 60);
  auto nothing = [](AgendaPublicationTest&, const std::string&) { return absl::OkStatus(); };
  const std::vector<Case> cases = {
      {"first publication at the last minute", none, nothing, in_time, "", false, false, {}},
      {"first publication a minute late",
       none,
       nothing,
       after,
       "AGENDA_PUBLICATION_DEADLINE_PASSED",
       false,
       false,
       {}},
      {"in time, then a plain item added late",
       in_time,
       [](AgendaPublicationTest& t, const std::string& m) {
         return t.AddItem(3, "LATE REPORT", "", m).status();
       },
       after,
       "AGENDA_PUBLICATION_DEADLINE_PASSED",
       false,
       false,
       {}},
      {"in time, then urgent business without the Chair",
       in_time,
       [](AgendaPublicationTest& t, const std::string& m) {
         return t.AddUrgentItem(3, false, m).status();
       },
       after,
       "AGENDA_PUBLICATION_DEADLINE_PASSED",
       false,
       false,
       {}},
      {"in time, then urgent business approved by the Chair",
       in_time,
       [](AgendaPublicationTest& t, const std::string& m) {
         return t.AddUrgentItem(3, true, m).status();
       },
       after,
       "",
       true,
       false,
       {3}},
      {"in time, then a change to a published item",
       in_time,
       [](AgendaPublicationTest& t, const std::string& m) {
         v1::UpdateAgendaItemRequest update;
         update.mutable_agenda_item()->set_name(absl::StrCat(m, "/agendaItems/2"));
         update.mutable_agenda_item()->set_approximate_time("14:05");
         update.mutable_update_mask()->add_paths("approximate_time");
         return t.agenda_->UpdateAgendaItem(Officer(), update).status();
       },
       after,
       "",
       true,
       false,
       {}},
      {"never published, the meeting has started: a historical record",
       none,
       nothing,
       started,
       "",
       false,
       true,
       {}},
      {"in time, then a plain item after the meeting started",
       in_time,
       [](AgendaPublicationTest& t, const std::string& m) {
         return t.AddItem(3, "NOTE", "", m).status();
       },
       started,
       "",
       false,
       true,
       {}},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string id = absl::StrCat("case-", ++n);
    const std::string meeting = absl::StrCat("tenants/wm/bodies/pcp/meetings/", id);
    SetNow(absl::FromUnixSeconds(1698800000));  // 1 November 2023.
    ASSERT_TRUE(CreateMeeting(id).ok());
    ASSERT_TRUE(AddItem(1, "NOTICE OF RECORDING", "", meeting).ok());
    ASSERT_TRUE(AddItem(2, "APOLOGIES", "", meeting).ok());
    if (c.first_publish != none) {
      SetNow(c.first_publish);
      ASSERT_TRUE(Publish(meeting).ok());
    }
    SetNow(c.now - absl::Seconds(1));
    ASSERT_TRUE(c.late_changes(*this, meeting).ok());
    SetNow(c.now);
    auto published = Publish(meeting);
    if (!c.reason.empty()) {
      ASSERT_FALSE(published.ok());
      EXPECT_EQ(Reason(published.status()), c.reason);
      auto details = status::Details(published.status());
      EXPECT_EQ(details.metadata["deadline"], "2023-11-03T23:59:00Z");
      EXPECT_EQ(details.metadata["deadline_date"], "2023-11-03");
      continue;
    }
    ASSERT_TRUE(published.ok()) << published.status();
    v1::GetAgendaVersionRequest get;
    get.set_name(absl::StrCat(meeting, "/agendaVersions/", published->agenda_version()));
    auto version = agenda_->GetAgendaVersion(Officer(), get);
    ASSERT_TRUE(version.ok()) << version.status();
    EXPECT_EQ(version->late(), c.late);
    EXPECT_EQ(version->historical(), c.historical);
    EXPECT_THAT(std::vector<int>(version->urgent_items().begin(), version->urgent_items().end()),
                ::testing::ElementsAreArray(c.urgent));
  }
}

// The deadline comes from the body's own rule (BodyRules.agenda_publication, §9 item 2).
TEST_F(AgendaPublicationTest, DeadlineFollowsTheBodysRule) {
  v1::CreateBodyRequest body;
  body.set_parent("tenants/wm");
  body.set_body_id("spcb");
  body.mutable_body()->set_display_name("Strategic Policing and Crime Board");
  body.mutable_body()->set_kind(v1::BODY_KIND_BOARD);
  auto* rule = body.mutable_body()->mutable_rules()->mutable_agenda_publication();
  rule->set_days(2);
  rule->set_unit(v1::DAY_UNIT_WORKING);
  rule->set_cutoff_time("12:00");
  ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
  // Monday 13 November: the second working day before is Thursday 9 November, 12:00 GMT.
  const absl::Time deadline =
      absl::FromCivil(absl::CivilMinute(2023, 11, 9, 12, 0), absl::UTCTimeZone());
  for (const auto& [id, now, ok] : std::vector<std::tuple<std::string, absl::Time, bool>>{
           {"in-time", deadline - absl::Minutes(1), true},
           {"late", deadline + absl::Minutes(1), false}}) {
    ASSERT_TRUE(CreateMeeting(id, "spcb").ok());
    const std::string meeting = absl::StrCat("tenants/wm/bodies/spcb/meetings/", id);
    ASSERT_TRUE(AddItem(1, "Apologies and PCC Update", "", meeting).ok());
    clock_.Set(now);
    auto published = Publish(meeting);
    EXPECT_EQ(published.ok(), ok) << id << " " << published.status();
    if (!ok) {
      EXPECT_EQ(Reason(published.status()), "AGENDA_PUBLICATION_DEADLINE_PASSED");
      EXPECT_EQ(status::Details(published.status()).metadata["deadline_date"], "2023-11-09");
      EXPECT_EQ(status::Details(published.status()).metadata["late_items"], "1");
    }
  }
}

// §9 item 3: a tenant's closure day is not a working day, so it moves the publication deadline
// (CalendarService closures feed PublishAgenda).
TEST_F(AgendaPublicationTest, TenantClosureDayMovesTheDeadline) {
  v1::CreateBodyRequest body;
  body.set_parent("tenants/wm");
  body.set_body_id("spcb");
  body.mutable_body()->set_display_name("Strategic Policing and Crime Board");
  body.mutable_body()->set_kind(v1::BODY_KIND_BOARD);
  auto* rule = body.mutable_body()->mutable_rules()->mutable_agenda_publication();
  rule->set_days(2);
  rule->set_unit(v1::DAY_UNIT_WORKING);
  rule->set_cutoff_time("12:00");
  ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
  CalendarLogic calendar(*db_, outbox_, clock_, ids_, tokens_);
  v1::CreateClosureRequest closure;
  closure.set_parent("tenants/wm");
  closure.mutable_closure()->set_date("2023-11-10");
  closure.mutable_closure()->set_description("Council closure day");
  ASSERT_TRUE(calendar.CreateClosure(Officer(), closure).ok());
  // Monday 13 November with Friday 10 closed: the second working day before is Wednesday 8
  // November (not Thursday 9), 12:00 GMT.
  const absl::Time deadline =
      absl::FromCivil(absl::CivilMinute(2023, 11, 8, 12, 0), absl::UTCTimeZone());
  for (const auto& [id, now, ok] : std::vector<std::tuple<std::string, absl::Time, bool>>{
           {"in-time", deadline - absl::Minutes(1), true},
           {"late", deadline + absl::Minutes(1), false}}) {
    ASSERT_TRUE(CreateMeeting(id, "spcb").ok());
    const std::string meeting = absl::StrCat("tenants/wm/bodies/spcb/meetings/", id);
    ASSERT_TRUE(AddItem(1, "Apologies and PCC Update", "", meeting).ok());
    clock_.Set(now);
    auto published = Publish(meeting);
    EXPECT_EQ(published.ok(), ok) << id << " " << published.status();
    if (!ok) {
      EXPECT_EQ(status::Details(published.status()).metadata["deadline_date"], "2023-11-08");
    }
  }
}

TEST_F(AgendaPublicationTest, AccessToPublicationAndVersions) {
  v1::CreateAgendaItemRequest exempt;
  exempt.set_parent(kMeeting);
  exempt.mutable_agenda_item()->set_number(1);
  exempt.mutable_agenda_item()->set_title("CHIEF CONSTABLE RE-APPOINTMENT: TERMS");
  exempt.mutable_agenda_item()->set_description("Salary and contract terms.");
  exempt.mutable_agenda_item()->set_exempt(true);
  exempt.mutable_agenda_item()->set_exempt_paragraph(1);
  exempt.mutable_agenda_item()->set_public_interest_reason("Information about an individual.");
  exempt.mutable_agenda_item()->add_documents("tenants/wm/documents/terms");
  ASSERT_TRUE(agenda_->CreateAgendaItem(Officer(), exempt).ok());

  // Publishing: officers of the tenant only, checked before any lookup.
  EXPECT_EQ(Reason(Publish(kMeeting, Member()).status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(Publish(kMeeting, Officer("other")).status()), "TENANT_MISMATCH");
  EXPECT_EQ(Publish(kMeeting, auth::Principal::Anonymous()).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Publish("tenants/wm/bodies/pcp/meetings/none").status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(Publish().ok());

  // Versions: readable by the public of any caller of the tenant, never across tenants; exempt
  // content only for officers and members.
  for (const auth::Principal& insider : {Officer(), Member()}) {
    auto version = Version(1, insider);
    ASSERT_TRUE(version.ok()) << version.status();
    EXPECT_EQ(version->agenda_items(0).description(), "Salary and contract terms.");
    EXPECT_EQ(version->agenda_items(0).documents_size(), 1);
  }
  for (const auth::Principal& outsider : {auth::Principal::Anonymous(), Partner()}) {
    auto version = Version(1, outsider);
    ASSERT_TRUE(version.ok()) << version.status();
    const v1::AgendaItem& item = version->agenda_items(0);
    EXPECT_EQ(item.title(), "CHIEF CONSTABLE RE-APPOINTMENT: TERMS");
    EXPECT_TRUE(item.description().empty());
    EXPECT_TRUE(item.public_interest_reason().empty());
    EXPECT_TRUE(item.documents().empty());
    EXPECT_FALSE(item.webcast());  // R-MTG-01.
  }
  EXPECT_EQ(Reason(Version(1, Member("other")).status()), "TENANT_MISMATCH");
  v1::ListAgendaVersionsRequest list;
  list.set_parent(kMeeting);
  EXPECT_EQ(Reason(agenda_->ListAgendaVersions(Officer("other"), list).status()),
            "TENANT_MISMATCH");
  auto listed = agenda_->ListAgendaVersions(Partner(), list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->agenda_versions_size(), 1);
  v1::GetAgendaVersionRequest bad;
  bad.set_name(absl::StrCat(kMeeting, "/agendaVersions/01"));
  EXPECT_EQ(agenda_->GetAgendaVersion(Officer(), bad).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(AgendaRulesTest, ChangedFieldsIgnoreBookkeeping) {
  v1::AgendaItem a;
  a.set_number(3);
  a.set_title("MINUTES");
  a.set_etag("1");
  a.add_presenters("Sarah Fradgley");
  v1::AgendaItem b = a;
  b.set_etag("4");
  b.set_uid("other");
  b.set_webcast(true);
  EXPECT_TRUE(ChangedItemFields(a, b).empty());
  b.add_presenters("Amelia Wiltshire");
  b.set_exempt(true);
  EXPECT_THAT(ChangedItemFields(a, b), ElementsAre("presenters", "exempt"));
}

TEST(AgendaRulesTest, TimingWarningsAcrossDaylightSaving) {
  // 11 September 2023 (BST): 13:00 UTC is 14:00 in London; the meeting ended at 16:21.
  v1::Meeting meeting;
  *meeting.mutable_start_time() = TimeUtil::SecondsToTimestamp(1694437200);
  *meeting.mutable_end_time() = TimeUtil::SecondsToTimestamp(1694437200 + 8460);
  struct Case {
    std::vector<std::string> times;
    std::vector<std::string> codes;
  };
  const std::vector<Case> cases = {
      {{"14:00", "14:05", "16:21"}, {}},
      {{"14:00", "", "14:05"}, {}},
      {{"14:00", "14:00"}, {"AGENDA_TIME_NOT_INCREASING"}},
      {{"14:10", "14:05"}, {"AGENDA_TIME_NOT_INCREASING"}},
      {{"16:22"}, {"AGENDA_TIME_AFTER_END"}},
      {{"13:30"}, {"AGENDA_TIME_BEFORE_START"}},
  };
  for (const Case& c : cases) {
    std::vector<v1::AgendaItem> items;
    for (const std::string& t : c.times) {
      items.emplace_back();
      items.back().set_number(static_cast<int>(items.size()));
      items.back().set_approximate_time(t);
    }
    std::vector<std::string> codes;
    for (const std::string& w : AgendaTimingWarnings(items, meeting)) {
      codes.push_back(w.substr(0, w.find(':')));
    }
    EXPECT_EQ(codes, c.codes) << absl::StrJoin(c.times, ",");
  }
}

}  // namespace
}  // namespace moot::scheduling
