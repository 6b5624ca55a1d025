#include "services/budget/precept_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "libs/time/clock.h"
#include "moot/events/v1/event.pb.h"
#include "moot/scheduling/v1/scheduling.pb.h"
#include "services/budget/panel_review.h"
#include "services/budget/precept_cycle.h"
#include "services/budget/scenario_logic.h"

namespace moot::budget {
namespace {

// R-PR-10: every report records the panel's due regard to the equality duty.
void AttestEquality(v1::PanelReport& report) {
  report.mutable_equality_duty()->set_due_regard(true);
  report.mutable_equality_duty()->set_notes("The PCC's equality impact assessment was considered.");
}

using ::testing::ElementsAre;

auth::Principal Finance(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:finance", .roles = {auth::Role::kFinanceOfficer}};
}
auth::Principal Pcc(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:pcc", .roles = {auth::Role::kPccOffice}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}
auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}

auth::Principal Admin(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:admin", .roles = {auth::Role::kTenantAdmin}};
}
auth::Principal Partner(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "apikey:p", .roles = {auth::Role::kPartner}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }

// Votes as the decisions register would hold them.
class FakeVoteLookup : public VoteLookup {
 public:
  absl::StatusOr<VoteRecord> GetVote(const auth::Principal& /*caller*/,
                                     const std::string& name) const override {
    auto it = votes.find(name);
    if (it == votes.end()) {
      return status::NotFound(name);
    }
    return it->second;
  }
  std::map<std::string, VoteRecord> votes;
};
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

class PreceptLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<PreceptLogic>(*db_, outbox_, clock_, ids_, tokens_, votes_);
    ASSERT_TRUE(logic_->Migrate().ok());
  }

  static v1::CreatePreceptRequest Request(const std::string& year) {
    v1::CreatePreceptRequest request;
    request.set_parent("tenants/wm");
    request.set_precept_id(year);
    request.mutable_precept()->set_council_tax_requirement_pence(19946300000);
    request.mutable_precept()->set_tax_base_hundredths(85723341);
    return request;
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

  std::vector<events::v1::Event> Events() {
    std::vector<events::v1::Event> events;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT payload FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       events::v1::Event e;
                       EXPECT_TRUE(e.ParseFromString(row.String(0)));
                       events.push_back(e);
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return events;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1707000000)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  FakeVoteLookup votes_;
  std::unique_ptr<PreceptLogic> logic_;
};

TEST_F(PreceptLogicTest, FinanceOfficerCreatesPreceptWithBandDAndEvent) {
  auto precept = logic_->CreatePrecept(Finance(), Request("2024-25"));
  ASSERT_TRUE(precept.ok()) << precept.status();
  EXPECT_EQ(precept->name(), "tenants/wm/precepts/2024-25");
  EXPECT_EQ(precept->year(), "2024-25");
  EXPECT_EQ(precept->band_d_pence(), 23268);
  EXPECT_EQ(precept->create_time().seconds(), 1707000000);
  EXPECT_THAT(OutboxTypes(), ElementsAre("precept.created"));
  EXPECT_TRUE(logic_->CreatePrecept(Pcc(), Request("2025-26")).ok());

  // Members read the draft; the public does not see it until it is published.
  v1::GetPreceptRequest get;
  get.set_name("tenants/wm/precepts/2024-25");
  EXPECT_EQ(logic_->GetPrecept(auth::Principal::Anonymous(), get).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(logic_->GetPrecept(Partner(), get).status().code(), absl::StatusCode::kNotFound);
  auto member = logic_->GetPrecept(Member(), get);
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_EQ(member->band_d_pence(), 23268);
  EXPECT_EQ(member->state(), v1::PRECEPT_STATE_DRAFT);
  EXPECT_EQ(member->etag(), "1");
  get.set_name("tenants/wm/precepts/2019-20");
  EXPECT_EQ(logic_->GetPrecept(Member(), get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(PreceptLogicTest, AccessIsCheckedBeforeAnyLookup) {
  ASSERT_TRUE(logic_->CreatePrecept(Finance(), Request("2024-25")).ok());
  v1::GetPreceptRequest get;
  get.set_name("tenants/wm/precepts/2024-25");
  auto other = logic_->GetPrecept(Finance("ny"), get);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(other.status()), "TENANT_MISMATCH");
  get.set_name("tenants/wm/precepts/2030-31");
  EXPECT_EQ(logic_->GetPrecept(Finance("ny"), get).status().code(),
            absl::StatusCode::kPermissionDenied);

  v1::ListPreceptsRequest list;
  list.set_parent("tenants/wm");
  EXPECT_EQ(logic_->ListPrecepts(Member("ny"), list).status().code(),
            absl::StatusCode::kPermissionDenied);

  auto cross = logic_->CreatePrecept(Finance("ny"), Request("2026-27"));
  EXPECT_EQ(cross.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(cross.status()), "TENANT_MISMATCH");
  for (const auto& p : {Member(), Officer()}) {
    auto denied = logic_->CreatePrecept(p, Request("2026-27"));
    EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(Reason(denied.status()), "ROLE_NOT_ALLOWED");
  }
  EXPECT_EQ(logic_->CreatePrecept(auth::Principal::Anonymous(), Request("2026-27")).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(OutboxTypes(), ElementsAre("precept.created"));
}

TEST_F(PreceptLogicTest, BadInputNamesTheField) {
  struct Case {
    std::function<void(v1::CreatePreceptRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.set_precept_id("2024-26"); }, "precept_id"},
      {[](auto& r) { r.set_precept_id("2024-2025"); }, "precept_id"},
      {[](auto& r) { r.set_precept_id("2024/25"); }, "precept_id"},
      {[](auto& r) { r.set_precept_id("20a4-25"); }, "precept_id"},
      {[](auto& r) { r.set_precept_id(""); }, "precept_id"},
      {[](auto& r) { r.mutable_precept()->set_council_tax_requirement_pence(-1); },
       "precept.council_tax_requirement_pence"},
      {[](auto& r) { r.mutable_precept()->set_tax_base_hundredths(0); },
       "precept.tax_base_hundredths"},
      {[](auto& r) { r.mutable_precept()->set_tax_base_hundredths(-100); },
       "precept.tax_base_hundredths"},
      {[](auto& r) { r.set_parent("tenants/wm/x"); }, "parent"},
  };
  for (const auto& c : cases) {
    auto request = Request("2024-25");
    c.mutate(request);
    auto result = logic_->CreatePrecept(Finance(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
  // The century wraps: 1999-00 is a valid year.
  EXPECT_TRUE(ValidatePreceptYear("1999-00").ok());
  EXPECT_TRUE(OutboxTypes().empty());
}

TEST_F(PreceptLogicTest, DuplicateIsAlreadyExistsAndRetryIsIdempotent) {
  auto request = Request("2024-25");
  request.set_request_id("req-1");
  auto first = logic_->CreatePrecept(Finance(), request);
  ASSERT_TRUE(first.ok());
  clock_.Advance(absl::Minutes(5));
  auto retry = logic_->CreatePrecept(Finance(), request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  EXPECT_THAT(OutboxTypes(), ElementsAre("precept.created"));

  request.mutable_precept()->set_tax_base_hundredths(1);
  EXPECT_EQ(Reason(logic_->CreatePrecept(Finance(), request).status()), "REQUEST_ID_REUSED");
  auto duplicate = logic_->CreatePrecept(Finance(), Request("2024-25"));
  EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(status::Details(duplicate.status()).metadata["resource"],
            "tenants/wm/precepts/2024-25");
}

TEST_F(PreceptLogicTest, ListIsNewestFirstAndPaged) {
  for (int year : {2021, 2024, 2022, 2025, 2023}) {
    ASSERT_TRUE(
        logic_->CreatePrecept(Finance(), Request(absl::StrCat(year, "-", (year + 1) % 100))).ok());
  }
  std::vector<std::string> years;
  v1::ListPreceptsRequest list;
  list.set_parent("tenants/wm");
  list.set_page_size(2);
  int pages = 0;
  do {
    auto page = logic_->ListPrecepts(Member(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& p : page->precepts()) {
      years.push_back(p.year());
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(years, ElementsAre("2025-26", "2024-25", "2023-24", "2022-23", "2021-22"));
  // The public lists published years only.
  list.set_page_token("");
  auto public_page = logic_->ListPrecepts(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(public_page.ok()) << public_page.status();
  EXPECT_EQ(public_page->precepts_size(), 0);

  list.set_page_size(-1);
  EXPECT_EQ(Field(logic_->ListPrecepts(Member(), list).status()), "page_size");
  list.set_page_size(2);
  list.set_page_token("forged");
  EXPECT_EQ(Field(logic_->ListPrecepts(Member(), list).status()), "page_token");
}

constexpr int64_t kMillion = 100000000;  // £1m in pence

v1::PreceptInputs Wmp2019Inputs() {
  v1::PreceptInputs in;
  in.set_net_budget_requirement_pence(56985000000);
  const struct {
    const char* id;
    const char* title;
    int64_t pence;
  } lines[] = {{"police-grant", "Police grant", 25270000000},
               {"rsg-ndr", "Revenue support grant & non domestic rates", 18130000000},
               {"council-tax-support-grant", "Council tax support grant", 1903000000},
               {"additional-pension-grant", "Additional Pension Grant", 696000000}};
  for (const auto& l : lines) {
    auto* line = in.add_funding_lines();
    line->set_id(l.id);
    line->set_title(l.title);
    line->set_amount_pence(l.pence);
  }
  in.set_collection_fund_pence(107000000);
  in.set_population(2864925);
  return in;
}

// A 2024-25 year with a tax base: Band D £217.55, last year £202.55, limit £15.
v1::CreatePreceptRequest CycleRequest() {
  v1::CreatePreceptRequest request;
  request.set_parent("tenants/wm");
  request.set_precept_id("2024-25");
  v1::Precept* p = request.mutable_precept();
  p->set_body("tenants/wm/bodies/pcp");
  v1::PreceptInputs* in = p->mutable_inputs();
  in->set_net_budget_requirement_pence(700 * kMillion);
  auto* grant = in->add_funding_lines();
  grant->set_id("grants");
  grant->set_amount_pence(700 * kMillion - 18252445000);  // requirement 182,524,450.00
  in->set_tax_base_hundredths(83900000);
  in->set_population(2864925);
  in->set_prior_band_d_pence(20255);
  in->set_referendum_limit_pence(1500);
  auto* meeting = p->add_planned_meetings();
  meeting->set_step(v1::TIMETABLE_STEP_PANEL_REPORT);
  meeting->set_date("2024-02-05");
  meeting->set_meeting("tenants/wm/bodies/pcp/meetings/2024-02-05");
  return request;
}

absl::Time London(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 14, 0, 0), time::London());
}

TEST_F(PreceptLogicTest, Reproduces2019To20StatementAndPublishesIt) {
  v1::CreatePreceptRequest request;
  request.set_parent("tenants/wm");
  request.set_precept_id("2019-20");
  *request.mutable_precept()->mutable_inputs() = Wmp2019Inputs();
  request.mutable_precept()->set_published(true);
  auto created = logic_->CreatePrecept(Finance(), request);
  ASSERT_TRUE(created.ok()) << created.status();
  const auto& s = created->statement();
  EXPECT_EQ(s.gross_precept_pence(), 10986000000);
  EXPECT_EQ(s.council_tax_requirement_pence(), 10879000000);
  EXPECT_EQ(s.average_cost_per_person_pence(), 19853);
  EXPECT_EQ(created->council_tax_requirement_pence(), 10879000000);
  // Published: the public reads it, and its event is public.
  v1::GetPreceptRequest get;
  get.set_name("tenants/wm/precepts/2019-20");
  auto anonymous = logic_->GetPrecept(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(anonymous.ok()) << anonymous.status();
  EXPECT_EQ(anonymous->statement().gross_precept_pence(), 10986000000);
  auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), "precept.created");
  EXPECT_TRUE(events[0].public_());

  // Export as CSV and JSON, and the chart series.
  v1::ExportPreceptRequest exp;
  exp.set_name(get.name());
  exp.set_format("csv");
  auto csv = logic_->ExportPrecept(auth::Principal::Anonymous(), exp);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_THAT(csv->content(), ::testing::HasSubstr("Gross precept,109860000.00\n"));
  EXPECT_THAT(csv->content(), ::testing::HasSubstr("Council tax requirement,108790000.00\n"));
  EXPECT_THAT(csv->content(), ::testing::HasSubstr("Average cost per person,198.53\n"));
  exp.set_format("json");
  auto json = logic_->ExportPrecept(Member(), exp);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(json->content(), ::testing::HasSubstr("\"gross_precept_pence\": \"10986000000\""));
  exp.set_format("pdf");
  EXPECT_EQ(Field(logic_->ExportPrecept(Member(), exp).status()), "format");
  v1::GetPreceptChartsRequest charts_request;
  charts_request.set_name(get.name());
  auto charts = logic_->GetPreceptCharts(auth::Principal::Anonymous(), charts_request);
  ASSERT_TRUE(charts.ok());
  ASSERT_GE(charts->series_size(), 1);
  EXPECT_EQ(charts->series(0).id(), "where_the_money_comes_from");
  EXPECT_EQ(charts->series(0).points_size(), 6);  // four grants, council tax, the surplus
}

TEST_F(PreceptLogicTest, VetoCycleEmitsEventsWithTheOutcome) {
  votes_.votes["tenants/wm/bodies/pcp/meetings/2024-02-05/votes/1"] = {
      .name = "tenants/wm/bodies/pcp/meetings/2024-02-05/votes/1",
      .rule = VoteRule::kTwoThirdsOfMembers,
      .carried = true,
      .votes_for = 11,
      .votes_against = 5,
      .member_count = 16,
      .decided_at = London(2024, 2, 5)};
  clock_.Set(London(2024, 1, 20));
  auto created = logic_->CreatePrecept(Finance(), CycleRequest());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->band_d_pence(), 21755);
  const std::string name = created->name();

  clock_.Set(London(2024, 1, 31));
  v1::ProposePreceptRequest propose;
  propose.set_name(name);
  propose.set_etag(created->etag());
  auto proposed = logic_->ProposePrecept(Pcc(), propose);
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  EXPECT_EQ(proposed->state(), v1::PRECEPT_STATE_PROPOSED);
  EXPECT_EQ(proposed->etag(), "2");

  // A stale etag is refused.
  v1::RecordPanelReportRequest report;
  report.set_name(name);
  report.set_etag("1");
  report.mutable_report()->set_outcome(v1::PANEL_OUTCOME_VETOED_TOO_HIGH);
  AttestEquality(*report.mutable_report());
  report.mutable_report()->set_vote("tenants/wm/bodies/pcp/meetings/2024-02-05/votes/1");
  clock_.Set(London(2024, 2, 5));
  auto stale = logic_->RecordPanelReport(Officer(), report);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(stale.status()), "ETAG_MISMATCH");
  report.set_etag("2");
  auto vetoed = logic_->RecordPanelReport(Officer(), report);
  ASSERT_TRUE(vetoed.ok()) << vetoed.status();
  EXPECT_EQ(vetoed->state(), v1::PRECEPT_STATE_PANEL_REVIEWED);

  auto events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].type(), "precept.vetoed");
  EXPECT_TRUE(events[2].public_());
  v1::PreceptOutcome outcome;
  ASSERT_TRUE(events[2].payload().UnpackTo(&outcome));
  EXPECT_EQ(outcome.tenant(), "wm");
  EXPECT_EQ(outcome.body(), "tenants/wm/bodies/pcp");
  EXPECT_EQ(outcome.precept_year(), "2024-25");
  EXPECT_EQ(outcome.outcome(), v1::PreceptOutcome::OUTCOME_VETOED);
  EXPECT_EQ(outcome.decided_at().seconds(), absl::ToUnixSeconds(London(2024, 2, 5)));
  // Wire compatibility with moot.scheduling.v1.PreceptOutcome: the field numbers and types.
  const auto* d = v1::PreceptOutcome::descriptor();
  EXPECT_EQ(d->FindFieldByName("tenant")->number(), 1);
  EXPECT_EQ(d->FindFieldByName("body")->number(), 2);
  EXPECT_EQ(d->FindFieldByName("precept_year")->number(), 3);
  EXPECT_EQ(d->FindFieldByName("outcome")->number(), 4);
  EXPECT_EQ(d->FindFieldByName("outcome")->enum_type()->FindValueByName("OUTCOME_VETOED")->number(),
            1);
  EXPECT_EQ(d->FindFieldByName("decided_at")->number(), 5);
  // ...and scheduling's own message reads the same bytes (its listener parses them so).
  scheduling::v1::PreceptOutcome theirs;
  ASSERT_TRUE(theirs.ParseFromString(events[2].payload().value()));
  EXPECT_EQ(theirs.tenant(), "wm");
  EXPECT_EQ(theirs.body(), "tenants/wm/bodies/pcp");
  EXPECT_EQ(theirs.precept_year(), "2024-25");
  EXPECT_EQ(theirs.outcome(), scheduling::v1::PRECEPT_OUTCOME_KIND_VETOED);
  EXPECT_EQ(theirs.decided_at().seconds(), absl::ToUnixSeconds(London(2024, 2, 5)));

  // A second veto is refused (R-PR-06).
  report.set_etag("");
  EXPECT_EQ(Reason(logic_->RecordPanelReport(Officer(), report).status()), kSecondVetoNotAllowed);

  clock_.Set(London(2024, 2, 14));
  v1::RevisePreceptRequest revise;
  revise.set_name(name);
  revise.set_band_d_pence(21755);
  EXPECT_EQ(Reason(logic_->RevisePrecept(Pcc(), revise).status()), kRevisedWrongDirection);
  revise.set_band_d_pence(21255);
  ASSERT_TRUE(logic_->RevisePrecept(Pcc(), revise).ok());

  clock_.Set(London(2024, 2, 19));
  v1::RecordSecondReportRequest second;
  second.set_name(name);
  second.mutable_report()->set_outcome(v1::PANEL_OUTCOME_SUPPORTED);
  AttestEquality(*second.mutable_report());
  {
    // The second report records the equality duty too (R-PR-10).
    v1::RecordSecondReportRequest bare = second;
    bare.mutable_report()->clear_equality_duty();
    EXPECT_EQ(Reason(logic_->RecordSecondReport(Officer(), bare).status()),
              kEqualityDutyNotRecorded);
  }
  ASSERT_TRUE(logic_->RecordSecondReport(Officer(), second).ok());

  // Not yet issued: the public cannot see it.
  v1::GetPreceptRequest get;
  get.set_name(name);
  EXPECT_EQ(logic_->GetPrecept(auth::Principal::Anonymous(), get).status().code(),
            absl::StatusCode::kNotFound);
  clock_.Set(London(2024, 2, 26));
  v1::IssuePreceptRequest issue;
  issue.set_name(name);
  issue.set_band_d_pence(21255);
  auto issued = logic_->IssuePrecept(Pcc(), issue);
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_EQ(issued->state(), v1::PRECEPT_STATE_ISSUED);
  EXPECT_TRUE(logic_->GetPrecept(auth::Principal::Anonymous(), get).ok());
  EXPECT_THAT(OutboxTypes(),
              ElementsAre("precept.created", "precept.proposed", "precept.vetoed",
                          "precept.revised", "precept.second_reported", "precept.issued"));
  EXPECT_FALSE(Events()[0].public_());  // the draft's events are not public
  EXPECT_TRUE(Events()[5].public_());

  // The timetable shows the steps done and the planned meeting in time.
  v1::GetPreceptTimetableRequest timetable;
  timetable.set_name(name);
  auto t = logic_->GetPreceptTimetable(auth::Principal::Anonymous(), timetable);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->entries(1).deadline_date(), "2024-02-08");
  EXPECT_EQ(t->entries(1).check(), v1::MEETING_CHECK_IN_TIME);
  EXPECT_EQ(t->entries(1).done_time().seconds(), absl::ToUnixSeconds(London(2024, 2, 5)));
  EXPECT_EQ(t->entries(4).done_time().seconds(), absl::ToUnixSeconds(London(2024, 2, 26)));
}

TEST_F(PreceptLogicTest, SupportedReportEmitsNotVetoed) {
  clock_.Set(London(2024, 1, 20));
  ASSERT_TRUE(logic_->CreatePrecept(Finance(), CycleRequest()).ok());
  v1::ProposePreceptRequest propose;
  propose.set_name("tenants/wm/precepts/2024-25");
  ASSERT_TRUE(logic_->ProposePrecept(Finance(), propose).ok());
  clock_.Set(London(2024, 2, 5));
  v1::RecordPanelReportRequest report;
  report.set_name("tenants/wm/precepts/2024-25");
  report.mutable_report()->set_outcome(v1::PANEL_OUTCOME_SUPPORTED);
  AttestEquality(*report.mutable_report());
  ASSERT_TRUE(logic_->RecordPanelReport(Officer(), report).ok());
  auto events = Events();
  ASSERT_EQ(events.back().type(), "precept.not_vetoed");
  v1::PreceptOutcome outcome;
  ASSERT_TRUE(events.back().payload().UnpackTo(&outcome));
  EXPECT_EQ(outcome.outcome(), v1::PreceptOutcome::OUTCOME_NOT_VETOED);
  // Issuing above the referendum limit is an error at issue (a warning on scenarios).
  v1::IssuePreceptRequest issue;
  issue.set_name("tenants/wm/precepts/2024-25");
  issue.set_band_d_pence(21755);
  ASSERT_TRUE(logic_->IssuePrecept(Finance(), issue).ok());
}

TEST_F(PreceptLogicTest, VetoNeedsAVerifiableVoteOfTheTenant) {
  UnverifiableVoteLookup production;
  PreceptLogic logic(*db_, outbox_, clock_, ids_, tokens_, production);
  clock_.Set(London(2024, 1, 20));
  ASSERT_TRUE(logic.CreatePrecept(Finance(), CycleRequest()).ok());
  v1::ProposePreceptRequest propose;
  propose.set_name("tenants/wm/precepts/2024-25");
  ASSERT_TRUE(logic.ProposePrecept(Finance(), propose).ok());
  clock_.Set(London(2024, 2, 5));
  v1::RecordPanelReportRequest report;
  report.set_name("tenants/wm/precepts/2024-25");
  report.mutable_report()->set_outcome(v1::PANEL_OUTCOME_VETOED_TOO_HIGH);
  AttestEquality(*report.mutable_report());
  report.mutable_report()->set_vote("tenants/wm/bodies/pcp/meetings/2024-02-05/votes/1");
  auto refused = logic.RecordPanelReport(Officer(), report);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(refused.status()), "VETO_VOTE_UNVERIFIABLE");
  // A vote of another tenant is never looked up.
  report.mutable_report()->set_vote("tenants/ny/bodies/pcp/meetings/2024-02-05/votes/1");
  auto other = logic.RecordPanelReport(Officer(), report);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  // An unknown vote (fake register) is NOT_FOUND; a vote short of two-thirds is not carried.
  report.mutable_report()->set_vote("tenants/wm/bodies/pcp/meetings/2024-02-05/votes/9");
  EXPECT_EQ(logic_->RecordPanelReport(Officer(), report).status().code(),
            absl::StatusCode::kNotFound);
  votes_.votes["tenants/wm/bodies/pcp/meetings/2024-02-05/votes/9"] = {
      .rule = VoteRule::kTwoThirdsOfMembers, .carried = true, .votes_for = 10, .member_count = 16};
  EXPECT_EQ(Reason(logic_->RecordPanelReport(Officer(), report).status()), kVetoVoteNotCarried);
  v1::GetPreceptRequest get;
  get.set_name("tenants/wm/precepts/2024-25");
  EXPECT_EQ(logic_->GetPrecept(Officer(), get)->state(), v1::PRECEPT_STATE_PROPOSED);
  EXPECT_THAT(OutboxTypes(), ElementsAre("precept.created", "precept.proposed"));
}

// Every RPC: another tenant's caller is denied before any lookup, and a caller without the
// method's role is denied (reads of a draft: not found for those who may not read drafts).
TEST_F(PreceptLogicTest, EveryRpcChecksTenantAndRole) {
  ASSERT_TRUE(logic_->CreatePrecept(Finance(), CycleRequest()).ok());
  const std::string name = "tenants/wm/precepts/2024-25";
  using Call = std::function<absl::Status(const auth::Principal&)>;
  struct Case {
    std::string rpc;
    Call call;
    auth::Principal wrong_role;
    absl::StatusCode wrong_role_code;
  };
  const std::vector<Case> cases = {
      {"CreatePrecept",
       [&](const auto& p) {
         auto r = CycleRequest();
         r.set_precept_id("2025-26");
         return logic_->CreatePrecept(p, r).status();
       },
       Officer(), absl::StatusCode::kPermissionDenied},
      {"GetPrecept",
       [&](const auto& p) {
         v1::GetPreceptRequest r;
         r.set_name(name);
         return logic_->GetPrecept(p, r).status();
       },
       Partner(), absl::StatusCode::kNotFound},
      {"ListPrecepts",
       [&](const auto& p) {
         v1::ListPreceptsRequest r;
         r.set_parent("tenants/wm");
         auto page = logic_->ListPrecepts(p, r);
         if (page.ok() && page->precepts_size() == 0) return status::NotFound("none");
         return page.status();
       },
       Partner(), absl::StatusCode::kNotFound},
      {"UpdatePrecept",
       [&](const auto& p) {
         v1::UpdatePreceptRequest r;
         *r.mutable_precept() = CycleRequest().precept();
         r.mutable_precept()->set_name(name);
         return logic_->UpdatePrecept(p, r).status();
       },
       Member(), absl::StatusCode::kPermissionDenied},
      {"ProposePrecept",
       [&](const auto& p) {
         v1::ProposePreceptRequest r;
         r.set_name(name);
         return logic_->ProposePrecept(p, r).status();
       },
       Officer(), absl::StatusCode::kPermissionDenied},
      {"RecordPanelReport",
       [&](const auto& p) {
         v1::RecordPanelReportRequest r;
         r.set_name(name);
         r.mutable_report()->set_outcome(v1::PANEL_OUTCOME_SUPPORTED);
         AttestEquality(*r.mutable_report());
         return logic_->RecordPanelReport(p, r).status();
       },
       Finance(), absl::StatusCode::kPermissionDenied},
      {"RevisePrecept",
       [&](const auto& p) {
         v1::RevisePreceptRequest r;
         r.set_name(name);
         r.set_band_d_pence(100);
         return logic_->RevisePrecept(p, r).status();
       },
       Member(), absl::StatusCode::kPermissionDenied},
      {"RecordSecondReport",
       [&](const auto& p) {
         v1::RecordSecondReportRequest r;
         r.set_name(name);
         r.mutable_report()->set_outcome(v1::PANEL_OUTCOME_SUPPORTED);
         AttestEquality(*r.mutable_report());
         return logic_->RecordSecondReport(p, r).status();
       },
       Pcc(), absl::StatusCode::kPermissionDenied},
      {"IssuePrecept",
       [&](const auto& p) {
         v1::IssuePreceptRequest r;
         r.set_name(name);
         r.set_band_d_pence(100);
         return logic_->IssuePrecept(p, r).status();
       },
       Admin(), absl::StatusCode::kPermissionDenied},
      {"GetPreceptTimetable",
       [&](const auto& p) {
         v1::GetPreceptTimetableRequest r;
         r.set_name(name);
         return logic_->GetPreceptTimetable(p, r).status();
       },
       Partner(), absl::StatusCode::kNotFound},
      {"ImportPreceptCsv",
       [&](const auto& p) {
         v1::ImportPreceptCsvRequest r;
         r.set_name(name);
         r.set_kind("funding_lines");
         r.set_csv("id,title,amount\ngrants,Grants,1.00\n");
         return logic_->ImportPreceptCsv(p, r).status();
       },
       Member(), absl::StatusCode::kPermissionDenied},
      {"ExportPrecept",
       [&](const auto& p) {
         v1::ExportPreceptRequest r;
         r.set_name(name);
         r.set_format("csv");
         return logic_->ExportPrecept(p, r).status();
       },
       Partner(), absl::StatusCode::kNotFound},
      {"GetPreceptCharts",
       [&](const auto& p) {
         v1::GetPreceptChartsRequest r;
         r.set_name(name);
         return logic_->GetPreceptCharts(p, r).status();
       },
       Partner(), absl::StatusCode::kNotFound},
      {"SetInformationRequest",
       [&](const auto& p) {
         v1::SetInformationRequestRequest r;
         r.set_name(name);
         r.mutable_information_request()->set_id("comparators");
         r.mutable_information_request()->set_topic(v1::INFORMATION_TOPIC_COMPARATORS);
         r.mutable_information_request()->set_question("Most similar forces?");
         r.mutable_information_request()->set_status(v1::INFORMATION_REQUEST_STATUS_OPEN);
         return logic_->SetInformationRequest(p, r).status();
       },
       Member(), absl::StatusCode::kPermissionDenied},
  };
  for (const auto& c : cases) {
    for (const auto& other : {Finance("ny"), Officer("ny"), Member("ny")}) {
      absl::Status s = c.call(other);
      EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << c.rpc << ": " << s;
      EXPECT_EQ(Reason(s), "TENANT_MISMATCH") << c.rpc;
    }
    absl::Status s = c.call(c.wrong_role);
    EXPECT_EQ(s.code(), c.wrong_role_code) << c.rpc << ": " << s;
    if (c.wrong_role_code == absl::StatusCode::kPermissionDenied) {
      EXPECT_EQ(Reason(s), "ROLE_NOT_ALLOWED") << c.rpc;
    }
  }
  EXPECT_THAT(OutboxTypes(), ElementsAre("precept.created"));
}

TEST_F(PreceptLogicTest, CsvImportIsAllOrNothingWithLineNumbers) {
  ASSERT_TRUE(logic_->CreatePrecept(Finance(), CycleRequest()).ok());
  v1::ImportPreceptCsvRequest import;
  import.set_name("tenants/wm/precepts/2024-25");
  import.set_kind("tax_bases");
  import.set_csv(
      "id,title,tax_base,collection_fund\n"
      "birmingham,Birmingham,250000.50,100000\n"
      "coventry,Coventry,-5,0\n");
  auto bad = logic_->ImportPreceptCsv(Finance(), import);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Field(bad.status()), "csv");
  EXPECT_THAT(std::string(bad.status().message()), ::testing::HasSubstr("line 3"));
  v1::GetPreceptRequest get;
  get.set_name(import.name());
  EXPECT_EQ(logic_->GetPrecept(Finance(), get)->etag(), "1");  // nothing changed

  import.set_csv(
      "id,title,tax_base,collection_fund\n"
      "birmingham,Birmingham,250000.50,100000\n"
      "coventry,\"Coventry, City of\",100000,-2500.25\n");
  auto good = logic_->ImportPreceptCsv(Finance(), import);
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->inputs().billing_authorities_size(), 2);
  EXPECT_EQ(good->inputs().billing_authorities(1).title(), "Coventry, City of");
  EXPECT_EQ(good->statement().tax_base_hundredths(), 35000050);
  EXPECT_EQ(good->statement().collection_fund_pence(), 10000000 - 250025);
  EXPECT_EQ(good->statement().authority_precepts_size(), 2);
  EXPECT_EQ(good->etag(), "2");

  // Dwellings per band give the tax base; the collection funds stay.
  import.set_kind("band_dwellings");
  import.set_csv(
      "id,title,band,dwellings\n"
      "birmingham,Birmingham,A,300000\n"
      "coventry,Coventry,D,100000\n");
  auto dwellings = logic_->ImportPreceptCsv(Finance(), import);
  ASSERT_TRUE(dwellings.ok()) << dwellings.status();
  EXPECT_EQ(dwellings->statement().tax_base_hundredths(), 30000000);  // 200,000 + 100,000
  EXPECT_EQ(dwellings->statement().collection_fund_pence(), 10000000 - 250025);
  import.set_csv("id,title,band,dwellings\nbirmingham,Birmingham,Z,1\n");
  auto unknown = logic_->ImportPreceptCsv(Finance(), import);
  EXPECT_EQ(Field(unknown.status()), "csv");
  EXPECT_THAT(std::string(unknown.status().message()), ::testing::HasSubstr("unknown band"));

  import.set_kind("budget");
  EXPECT_EQ(Field(logic_->ImportPreceptCsv(Finance(), import).status()), "kind");
}

TEST_F(PreceptLogicTest, UpdateRecomputesADraftOnly) {
  auto created = logic_->CreatePrecept(Finance(), CycleRequest());
  ASSERT_TRUE(created.ok());
  v1::UpdatePreceptRequest update;
  *update.mutable_precept() = *created;
  update.mutable_precept()->mutable_inputs()->set_tax_base_hundredths(84000000);
  update.set_etag("1");
  auto updated = logic_->UpdatePrecept(Finance(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->band_d_pence(), 21729);  // 182,524,450 / 840,000 = 217.291...
  update.mutable_precept()->mutable_inputs()->set_population(0);
  update.set_etag("");
  EXPECT_EQ(Field(logic_->UpdatePrecept(Finance(), update).status()), "precept.inputs.population");
  update.mutable_precept()->set_body("tenants/ny/bodies/pcp");
  update.mutable_precept()->mutable_inputs()->set_population(10);
  EXPECT_EQ(Field(logic_->UpdatePrecept(Finance(), update).status()), "precept.body");

  v1::ProposePreceptRequest propose;
  propose.set_name(created->name());
  ASSERT_TRUE(logic_->ProposePrecept(Finance(), propose).ok());
  update.mutable_precept()->set_body("tenants/wm/bodies/pcp");
  update.mutable_precept()->mutable_inputs()->set_tax_base_hundredths(1);
  EXPECT_EQ(Reason(logic_->UpdatePrecept(Finance(), update).status()), kPreceptState);
  // The meeting plan still moves after the proposal; the inputs stay as proposed.
  v1::GetPreceptRequest get;
  get.set_name(created->name());
  v1::Precept current = *logic_->GetPrecept(Finance(), get);
  *update.mutable_precept() = current;
  update.mutable_precept()->mutable_planned_meetings(0)->set_date("2024-02-07");
  auto moved = logic_->UpdatePrecept(Finance(), update);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->planned_meetings(0).date(), "2024-02-07");
  EXPECT_EQ(moved->band_d_pence(), current.band_d_pence());
  update.mutable_precept()->mutable_planned_meetings(0)->set_date("7 Feb");
  EXPECT_EQ(Field(logic_->UpdatePrecept(Finance(), update).status()),
            "precept.planned_meetings[0].date");
  EXPECT_THAT(OutboxTypes(), ElementsAre("precept.created", "precept.updated", "precept.proposed",
                                         "precept.updated"));
}

}  // namespace
}  // namespace moot::budget

namespace moot::budget {
namespace {

// Scheduling's meetings of each body, as the budget service would read them.
class FakeMeetingDirectory final : public MeetingDirectory {
 public:
  absl::StatusOr<std::vector<BodyMeeting>> ListMeetings(const auth::Principal& caller,
                                                        const std::string& body,
                                                        absl::CivilDay from,
                                                        absl::CivilDay to) const override {
    ++calls;
    last_caller = caller.subject;
    if (!status.ok()) {
      return status;
    }
    std::vector<BodyMeeting> out;
    for (const BodyMeeting& m : meetings) {
      if (m.name.rfind(body + "/meetings/", 0) == 0 && m.date >= from && m.date <= to) {
        out.push_back(m);
      }
    }
    return out;
  }
  std::vector<BodyMeeting> meetings;
  absl::Status status;
  mutable int calls = 0;
  mutable std::string last_caller;
};

class PreceptTimetableSourceTest : public PreceptLogicTest {
 protected:
  void UseScheduling() {
    logic_ =
        std::make_unique<PreceptLogic>(*db_, outbox_, clock_, ids_, tokens_, votes_, &directory_);
  }
  FakeMeetingDirectory directory_;
};

// Issue 5 point 6: the body's meetings come from scheduling when it is configured; the stored
// planned meetings are the fallback or an explicit override, and the response says which.
TEST_F(PreceptTimetableSourceTest, ChoosesTheSourceAndSaysWhich) {
  struct Case {
    std::string label;
    bool configured;
    bool body;
    v1::MeetingSource asked;
    v1::MeetingSource used;  // UNSPECIFIED: an error
    std::string reason;
    std::string report_date;  // the PANEL_REPORT meeting's date
  };
  const Case cases[] = {
      {"configured, default", true, true, v1::MEETING_SOURCE_UNSPECIFIED,
       v1::MEETING_SOURCE_SCHEDULING, "", "2024-02-06"},
      {"configured, asked for scheduling", true, true, v1::MEETING_SOURCE_SCHEDULING,
       v1::MEETING_SOURCE_SCHEDULING, "", "2024-02-06"},
      {"configured, stored as override", true, true, v1::MEETING_SOURCE_STORED,
       v1::MEETING_SOURCE_STORED, "", "2024-02-05"},
      {"not configured, default", false, true, v1::MEETING_SOURCE_UNSPECIFIED,
       v1::MEETING_SOURCE_STORED, "", "2024-02-05"},
      {"not configured, asked for scheduling", false, true, v1::MEETING_SOURCE_SCHEDULING,
       v1::MEETING_SOURCE_UNSPECIFIED, "SCHEDULING_NOT_CONFIGURED", ""},
      {"no body, default", true, false, v1::MEETING_SOURCE_UNSPECIFIED, v1::MEETING_SOURCE_STORED,
       "", "2024-02-05"},
      {"no body, asked for scheduling", true, false, v1::MEETING_SOURCE_SCHEDULING,
       v1::MEETING_SOURCE_UNSPECIFIED, "PRECEPT_BODY_NOT_SET", ""},
  };
  directory_.meetings = {
      {"tenants/wm/bodies/pcp/meetings/jan", absl::CivilDay(2024, 1, 15), false},
      {"tenants/wm/bodies/pcp/meetings/feb", absl::CivilDay(2024, 2, 6), false},
      {"tenants/wm/bodies/pcp/meetings/prov", absl::CivilDay(2024, 2, 19), true},
      {"tenants/wm/bodies/other/meetings/x", absl::CivilDay(2024, 2, 2), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    SetUp();
    if (c.configured) {
      UseScheduling();
    }
    auto request = CycleRequest();
    if (!c.body) {
      request.mutable_precept()->clear_body();
    }
    ASSERT_TRUE(logic_->CreatePrecept(Finance(), request).ok());
    v1::GetPreceptTimetableRequest get;
    get.set_name("tenants/wm/precepts/2024-25");
    get.set_meeting_source(c.asked);
    auto t = logic_->GetPreceptTimetable(Member(), get);
    if (c.used == v1::MEETING_SOURCE_UNSPECIFIED) {
      EXPECT_EQ(t.status().code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_EQ(Reason(t.status()), c.reason);
      continue;
    }
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(t->meeting_source(), c.used);
    EXPECT_FALSE(t->meeting_source_note().empty());
    EXPECT_EQ(t->entries(1).planned_meeting().date(), c.report_date);
    EXPECT_EQ(t->entries(1).check(), v1::MEETING_CHECK_IN_TIME);
    if (c.used == v1::MEETING_SOURCE_SCHEDULING) {
      EXPECT_EQ(t->entries(1).planned_meeting().meeting(), "tenants/wm/bodies/pcp/meetings/feb");
      EXPECT_EQ(t->entries(1).slack_days(), 2);
      // The provisional meeting is the second report's (R-PR-06).
      EXPECT_EQ(t->entries(3).planned_meeting().meeting(), "tenants/wm/bodies/pcp/meetings/prov");
      EXPECT_TRUE(t->entries(3).planned_meeting().provisional());
      EXPECT_EQ(t->entries(3).check(), v1::MEETING_CHECK_IN_TIME);
      EXPECT_EQ(directory_.last_caller, "user:member");  // asked as the caller
    } else {
      EXPECT_EQ(t->entries(3).check(), v1::MEETING_CHECK_NO_MEETING);
    }
  }
}

TEST_F(PreceptTimetableSourceTest, LateMeetingInSchedulingIsTooLateAndErrorsPropagate) {
  UseScheduling();
  ASSERT_TRUE(logic_->CreatePrecept(Finance(), CycleRequest()).ok());
  directory_.meetings = {
      {"tenants/wm/bodies/pcp/meetings/late", absl::CivilDay(2024, 2, 12), false},
      {"tenants/wm/bodies/pcp/meetings/april", absl::CivilDay(2024, 4, 2), false},
  };
  v1::GetPreceptTimetableRequest get;
  get.set_name("tenants/wm/precepts/2024-25");
  auto t = logic_->GetPreceptTimetable(Officer(), get);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->meeting_source(), v1::MEETING_SOURCE_SCHEDULING);
  EXPECT_EQ(t->entries(1).check(), v1::MEETING_CHECK_TOO_LATE);
  EXPECT_EQ(t->entries(1).slack_days(), -4);
  // April is outside the window (1 January to 31 March): no second-report meeting.
  EXPECT_EQ(t->entries(3).check(), v1::MEETING_CHECK_NO_MEETING);
  // An unreachable scheduling service is reported, not silently replaced by stored meetings.
  directory_.status = absl::UnavailableError("scheduling down");
  EXPECT_EQ(logic_->GetPreceptTimetable(Officer(), get).status().code(),
            absl::StatusCode::kUnavailable);
  // Access is checked before scheduling is asked.
  const int calls = directory_.calls;
  EXPECT_EQ(logic_->GetPreceptTimetable(Member("other"), get).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(directory_.calls, calls);
}

TEST(PlanFromMeetingsTest, PicksTheReportAndSecondReportMeetings) {
  struct Case {
    std::string label;
    std::vector<BodyMeeting> meetings;
    std::string proposed;  // the notification's London day, "" = not proposed
    std::string report;    // expected meeting names, "" = none
    std::string second;
  };
  const auto m = [](const std::string& n, int month, int day, bool provisional = false) {
    return BodyMeeting{"tenants/wm/bodies/pcp/meetings/" + n, absl::CivilDay(2024, month, day),
                       provisional};
  };
  const Case cases[] = {
      {"January draft meeting is not the report (R-PR-04)",
       {m("jan", 1, 15), m("feb", 2, 5), m("prov", 2, 19, true)},
       "",
       "feb",
       "prov"},
      {"early notification moves the report earlier",
       {m("jan", 1, 29), m("feb", 2, 12)},
       "2024-01-25",
       "jan",
       "feb"},
      {"provisional meeting preferred over a later ordinary one",
       {m("feb", 2, 5), m("mar", 2, 28), m("prov", 2, 20, true)},
       "",
       "feb",
       "prov"},
      {"a provisional meeting is never the first report",
       {m("prov", 2, 2, true), m("feb", 2, 6)},
       "",
       "feb",
       ""},
      {"nothing after notification", {m("jan", 1, 15)}, "", "", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    v1::Precept p;
    p.set_year("2024-25");
    if (!c.proposed.empty()) {
      absl::CivilDay day;
      ASSERT_TRUE(absl::ParseCivilTime(c.proposed, &day));
      p.mutable_proposed_time()->set_seconds(absl::ToUnixSeconds(absl::FromCivil(
          absl::CivilSecond(day.year(), day.month(), day.day(), 10, 0, 0), time::London())));
    }
    std::vector<BodyMeeting> sorted = c.meetings;
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.date < b.date; });
    const auto planned = PlanFromMeetings(p, sorted);
    std::string report, second;
    for (const auto& pm : planned) {
      const std::string id = pm.meeting().substr(pm.meeting().rfind('/') + 1);
      (pm.step() == v1::TIMETABLE_STEP_PANEL_REPORT ? report : second) = id;
    }
    EXPECT_EQ(report, c.report);
    EXPECT_EQ(second, c.second);
  }
}

}  // namespace
}  // namespace moot::budget

namespace moot::budget {
namespace {

class PanelReviewLogicTest : public PreceptLogicTest {
 protected:
  // A proposed 2024-25 year of the panel "pcp".
  std::string Proposed() {
    clock_.Set(London(2024, 1, 20));
    auto created = logic_->CreatePrecept(Finance(), CycleRequest());
    EXPECT_TRUE(created.ok()) << created.status();
    clock_.Set(London(2024, 1, 31));
    v1::ProposePreceptRequest propose;
    propose.set_name(created->name());
    EXPECT_TRUE(logic_->ProposePrecept(Pcc(), propose).ok());
    clock_.Set(London(2024, 2, 5));
    return created->name();
  }
  v1::RecordPanelReportRequest Supported(const std::string& name) {
    v1::RecordPanelReportRequest r;
    r.set_name(name);
    r.mutable_report()->set_outcome(v1::PANEL_OUTCOME_SUPPORTED);
    AttestEquality(*r.mutable_report());
    return r;
  }
};

// R-PR-10: a report without the equality duty attestation is refused and changes nothing.
TEST_F(PanelReviewLogicTest, ReportWithoutEqualityDutyIsRefused) {
  const std::string name = Proposed();
  struct Case {
    std::string label;
    bool due_regard;
    std::string notes;
    std::string reason;  // "" = recorded
  };
  const Case cases[] = {
      {"nothing recorded", false, "", kEqualityDutyNotRecorded},
      {"notes without the attestation", false, "considered the EIA", kEqualityDutyNotRecorded},
      {"attestation without notes", true, "  ", kEqualityDutyNotRecorded},
      {"attested with notes", true, "The EIA was considered.", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    auto r = Supported(name);
    r.mutable_report()->mutable_equality_duty()->set_due_regard(c.due_regard);
    r.mutable_report()->mutable_equality_duty()->set_notes(c.notes);
    auto result = logic_->RecordPanelReport(Officer(), r);
    if (!c.reason.empty()) {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_EQ(Reason(result.status()), c.reason);
      continue;
    }
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->state(), v1::PRECEPT_STATE_PANEL_REVIEWED);
    EXPECT_EQ(result->report().equality_duty().notes(), c.notes);
  }
  EXPECT_THAT(OutboxTypes(),
              ElementsAre("precept.created", "precept.proposed", "precept.not_vetoed"));
}

// R-PR-11: the panel's information requests live on the year; the report shows them and warns
// of open ones. R-PR-03 / R-PR-12: it records the documents considered and warns of missing ones.
TEST_F(PanelReviewLogicTest, ReportShowsInformationRequestsAndScopeWarnings) {
  const std::string name = Proposed();
  v1::SetInformationRequestRequest ask;
  ask.set_name(name);
  ask.set_request_id("ask-1");
  auto* info = ask.mutable_information_request();
  info->set_id("comparators");
  info->set_topic(v1::INFORMATION_TOPIC_COMPARATORS);
  info->set_question("How does the budget compare with the most similar forces?");
  info->set_status(v1::INFORMATION_REQUEST_STATUS_OPEN);
  // Only the panel's officer opens a request; the PCC's side answers it.
  EXPECT_EQ(Reason(logic_->SetInformationRequest(Pcc(), ask).status()), "ROLE_NOT_ALLOWED");
  auto asked = logic_->SetInformationRequest(Officer(), ask);
  ASSERT_TRUE(asked.ok()) << asked.status();
  ASSERT_EQ(asked->information_requests_size(), 1);
  EXPECT_EQ(asked->information_requests(0).request_time().seconds(),
            absl::ToUnixSeconds(London(2024, 2, 5)));
  EXPECT_FALSE(asked->information_requests(0).has_answer_time());
  // A retry with the same request_id returns the first result.
  auto again = logic_->SetInformationRequest(Officer(), ask);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->etag(), asked->etag());
  // Reserves: asked too.
  ask.set_request_id("ask-2");
  info->set_id("reserves");
  info->set_topic(v1::INFORMATION_TOPIC_RESERVES);
  info->set_question("The implications for reserves of budget decisions.");
  ASSERT_TRUE(logic_->SetInformationRequest(Officer(), ask).ok());
  // The PCC's office answers the comparators request.
  v1::SetInformationRequestRequest answer;
  answer.set_name(name);
  answer.set_etag(std::to_string(std::stoi(asked->etag()) + 1));
  *answer.mutable_information_request() = asked->information_requests(0);
  answer.mutable_information_request()->set_status(v1::INFORMATION_REQUEST_STATUS_ANSWERED);
  answer.mutable_information_request()->set_response("Reported with the budget papers.");
  answer.mutable_information_request()->set_response_document("tenants/wm/documents/msf-2024");
  clock_.Set(London(2024, 2, 6));
  auto answered = logic_->SetInformationRequest(Pcc(), answer);
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->information_requests(0).answer_time().seconds(),
            absl::ToUnixSeconds(London(2024, 2, 6)));
  EXPECT_EQ(answered->information_requests(0).request_time().seconds(),
            absl::ToUnixSeconds(London(2024, 2, 5)));

  struct Case {
    std::string label;
    std::string budget, capital, reserves;
    std::vector<std::string> warnings;
  };
  const std::vector<Case> cases = {
      {"nothing considered",
       "",
       "",
       "",
       {kBudgetNotConsidered, kCapitalProgrammeNotConsidered, kReservesStrategyNotConsidered,
        kInformationRequestOpen}},
      {"budget only",
       "tenants/wm/documents/budget",
       "",
       "",
       {kCapitalProgrammeNotConsidered, kReservesStrategyNotConsidered, kInformationRequestOpen}},
      {"all three",
       "tenants/wm/documents/budget",
       "tenants/wm/documents/capital",
       "tenants/wm/documents/reserves",
       {kInformationRequestOpen}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    v1::PanelReport report;
    report.mutable_scope()->set_budget_document(c.budget);
    report.mutable_scope()->set_capital_programme_document(c.capital);
    report.mutable_scope()->set_reserves_strategy_document(c.reserves);
    std::vector<std::string> codes;
    for (const auto& w : ReviewWarnings(report, {answered->information_requests().begin(),
                                                 answered->information_requests().end()})) {
      codes.push_back(w.code());
    }
    EXPECT_EQ(codes, c.warnings);
  }

  auto r = Supported(name);
  r.mutable_report()->mutable_scope()->set_budget_document("tenants/wm/documents/budget");
  auto reported = logic_->RecordPanelReport(Officer(), r);
  ASSERT_TRUE(reported.ok()) << reported.status();
  ASSERT_EQ(reported->report().information_requests_size(), 2);
  EXPECT_EQ(reported->report().information_requests(0).status(),
            v1::INFORMATION_REQUEST_STATUS_ANSWERED);
  std::vector<std::string> codes;
  for (const auto& w : reported->report().warnings()) {
    codes.push_back(w.code());
  }
  EXPECT_THAT(codes, ElementsAre(kCapitalProgrammeNotConsidered, kReservesStrategyNotConsidered,
                                 kInformationRequestOpen));
  EXPECT_THAT(OutboxTypes(),
              ElementsAre("precept.created", "precept.proposed", "precept.information_request_set",
                          "precept.information_request_set", "precept.information_request_set",
                          "precept.not_vetoed"));
}

// R-PR-07: the budget sub-group may have reviewed the draft and reported back to the panel's
// meeting; the scenarios it cites are its own (panel-recommended or alternative: R-SG-07).
TEST_F(PanelReviewLogicTest, SubCommitteeReviewWithItsOwnScenarios) {
  const std::string name = Proposed();
  ScenarioLogic scenarios(*db_, outbox_, clock_, ids_, tokens_);
  const auto scenario = [&](const std::string& id, v1::ScenarioKind kind,
                            const auth::Principal& who) {
    v1::CreateScenarioRequest r;
    r.set_parent(name);
    r.set_scenario_id(id);
    r.mutable_scenario()->set_display_name(id);
    r.mutable_scenario()->set_kind(kind);
    *r.mutable_scenario()->mutable_inputs() = CycleRequest().precept().inputs();
    auto created = scenarios.CreateScenario(who, r);
    EXPECT_TRUE(created.ok()) << created.status();
  };
  scenario("proposed", v1::SCENARIO_KIND_PROPOSED, Finance());
  scenario("ten-pounds", v1::SCENARIO_KIND_ALTERNATIVE, Member());
  const std::string own = name + "/scenarios/ten-pounds";
  const std::string pccs = name + "/scenarios/proposed";
  struct Case {
    std::string label;
    std::string body;
    std::string meeting;
    std::vector<std::string> scenarios;
    absl::StatusCode code;
    std::string reason_or_field;
  };
  const std::vector<Case> cases = {
      {"the panel itself",
       "tenants/wm/bodies/pcp",
       "tenants/wm/bodies/pcp/meetings/2024-02-05",
       {},
       absl::StatusCode::kInvalidArgument,
       "report.sub_committee.body"},
      {"another tenant's body",
       "tenants/ny/bodies/bsg",
       "tenants/wm/bodies/pcp/meetings/2024-02-05",
       {},
       absl::StatusCode::kInvalidArgument,
       "report.sub_committee.body"},
      {"reports back to its own meeting",
       "tenants/wm/bodies/bsg",
       "tenants/wm/bodies/bsg/meetings/2024-01-10",
       {},
       absl::StatusCode::kInvalidArgument,
       "report.sub_committee.report_back_meeting"},
      {"the PCC's scenario",
       "tenants/wm/bodies/bsg",
       "tenants/wm/bodies/pcp/meetings/2024-02-05",
       {pccs},
       absl::StatusCode::kFailedPrecondition,
       kSubCommitteeScenarioNotItsOwn},
      {"an unknown scenario",
       "tenants/wm/bodies/bsg",
       "tenants/wm/bodies/pcp/meetings/2024-02-05",
       {name + "/scenarios/nope"},
       absl::StatusCode::kInvalidArgument,
       "report.sub_committee.scenarios[0]"},
      {"another year's scenario",
       "tenants/wm/bodies/bsg",
       "tenants/wm/bodies/pcp/meetings/2024-02-05",
       {"tenants/wm/precepts/2023-24/scenarios/ten-pounds"},
       absl::StatusCode::kInvalidArgument,
       "report.sub_committee.scenarios[0]"},
      {"its own scenario",
       "tenants/wm/bodies/bsg",
       "tenants/wm/bodies/pcp/meetings/2024-02-05",
       {own},
       absl::StatusCode::kOk,
       ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    auto r = Supported(name);
    auto* sub = r.mutable_report()->mutable_sub_committee();
    sub->set_body(c.body);
    sub->set_report_back_meeting(c.meeting);
    sub->set_findings("The sub-group found the proposal consistent with the reserves strategy.");
    for (const auto& s : c.scenarios) {
      sub->add_scenarios(s);
    }
    auto result = logic_->RecordPanelReport(Officer(), r);
    EXPECT_EQ(result.status().code(), c.code) << result.status();
    if (c.code == absl::StatusCode::kInvalidArgument) {
      EXPECT_EQ(Field(result.status()), c.reason_or_field);
    } else if (c.code == absl::StatusCode::kFailedPrecondition) {
      EXPECT_EQ(Reason(result.status()), c.reason_or_field);
    } else {
      ASSERT_TRUE(result.ok());
      EXPECT_EQ(result->report().sub_committee().scenarios(0), own);
      EXPECT_EQ(result->report().sub_committee().report_back_meeting(),
                "tenants/wm/bodies/pcp/meetings/2024-02-05");
    }
  }
}

// R-KD-08: the year links to the PCC's budget-and-precept decision, validated like a key
// decision reference, shown in the exported statement.
TEST_F(PanelReviewLogicTest, PccDecisionReferenceIsValidatedAndShown) {
  const std::string name = Proposed();
  struct Case {
    std::string given;
    std::string normalized;  // "" = INVALID_ARGUMENT
  };
  const Case cases[] = {
      {"004-2019", "004-2019"}, {"4/19", "004-2019"}, {" 004a-2018 ", "004A-2018"},
      {"12-23", "012-2023"},    {"2019", ""},         {"004-019", ""},
      {"abc-2019", ""},         {"00004-2019", ""},   {"004_2019", ""},
      {"004-20x9", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.given);
    auto normalized = NormalizeDecisionReference(c.given, "f");
    if (c.normalized.empty()) {
      EXPECT_EQ(normalized.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(Field(normalized.status()), "f");
    } else {
      ASSERT_TRUE(normalized.ok()) << normalized.status();
      EXPECT_EQ(*normalized, c.normalized);
    }
  }
  EXPECT_EQ(DecisionName("wm", "004A-2018"), "tenants/wm/decisions/004a-2018");
  // Through UpdatePrecept (any state) and IssuePrecept.
  v1::GetPreceptRequest get;
  get.set_name(name);
  v1::UpdatePreceptRequest update;
  *update.mutable_precept() = *logic_->GetPrecept(Finance(), get);
  update.mutable_precept()->set_pcc_decision_reference("decision four");
  auto bad = logic_->UpdatePrecept(Finance(), update);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Field(bad.status()), "precept.pcc_decision_reference");
  ASSERT_TRUE(logic_->RecordPanelReport(Officer(), Supported(name)).ok());
  clock_.Set(London(2024, 2, 20));
  v1::IssuePreceptRequest issue;
  issue.set_name(name);
  issue.set_band_d_pence(21755);
  issue.set_pcc_decision_reference("five");
  auto refused = logic_->IssuePrecept(Pcc(), issue);
  EXPECT_EQ(Field(refused.status()), "pcc_decision_reference");
  issue.set_pcc_decision_reference("5/24");
  auto issued = logic_->IssuePrecept(Pcc(), issue);
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_EQ(issued->pcc_decision_reference(), "005-2024");
  EXPECT_EQ(issued->pcc_decision(), "tenants/wm/decisions/005-2024");
  v1::ExportPreceptRequest export_request;
  export_request.set_name(name);
  export_request.set_format("csv");
  auto csv = logic_->ExportPrecept(auth::Principal::Anonymous(), export_request);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_THAT(csv->content(), ::testing::HasSubstr("pcc_decision,005-2024\n"));
}

TEST(PanelReviewTest, InformationRequestFieldsAreChecked) {
  const auto valid = [] {
    v1::InformationRequest r;
    r.set_id("reserves");
    r.set_topic(v1::INFORMATION_TOPIC_RESERVES);
    r.set_question("Reserves?");
    r.set_status(v1::INFORMATION_REQUEST_STATUS_OPEN);
    return r;
  };
  struct Case {
    std::string field;  // "" = valid
    std::function<void(v1::InformationRequest&)> change;
  };
  const std::vector<Case> cases = {
      {"", [](auto&) {}},
      {"ir.id", [](auto& r) { r.set_id("Bad Id"); }},
      {"ir.topic", [](auto& r) { r.set_topic(v1::INFORMATION_TOPIC_UNSPECIFIED); }},
      {"ir.question", [](auto& r) { r.clear_question(); }},
      {"ir.question", [](auto& r) { r.set_question(std::string(2001, 'x')); }},
      {"ir.status", [](auto& r) { r.set_status(v1::INFORMATION_REQUEST_STATUS_UNSPECIFIED); }},
      {"ir.response", [](auto& r) { r.set_status(v1::INFORMATION_REQUEST_STATUS_DECLINED); }},
      {"ir.response_document", [](auto& r) { r.set_response_document("tenants/ny/documents/d"); }},
      {"ir.response_document", [](auto& r) { r.set_response_document("documents/d"); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::InformationRequest r = valid();
    c.change(r);
    absl::Status s = ValidateInformationRequest(r, "wm", "ir");
    if (c.field.empty()) {
      EXPECT_TRUE(s.ok()) << s;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
      EXPECT_EQ(Field(s), c.field);
    }
  }
}

}  // namespace
}  // namespace moot::budget
