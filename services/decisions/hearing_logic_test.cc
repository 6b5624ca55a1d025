#include "services/decisions/hearing_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "libs/api/request_log.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/decisions/audit_log.h"
#include "services/decisions/fake_scheduling_directory.h"
#include "services/decisions/vote_logic.h"

namespace moot::decisions {
namespace {

// The CFO hearing of 17 July 2023 (R-CH-02) and the Chief Constable's re-appointment on
// 9 December 2024 (R-CH-03).
constexpr char kCfoMeeting[] = "tenants/wm/bodies/pcp/meetings/2023-07-17-hearing";
constexpr char kCcMeeting[] = "tenants/wm/bodies/pcp/meetings/2024-12-09-hearing";
constexpr char kOrdinary[] = "tenants/wm/bodies/pcp/meetings/2024-11-25";
constexpr char kSpecial[] = "tenants/wm/bodies/pcp/meetings/2024-12-02-extraordinary";
constexpr char kCcItem[] = "tenants/wm/bodies/pcp/meetings/2024-12-09-hearing/agendaItems/3";

auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}
auth::Principal PccOffice(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:opcc", .roles = {auth::Role::kPccOffice}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}
std::string Person(int i) { return absl::StrCat("tenants/wm/people/m", i); }

absl::Time LondonNoon(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 12, 0, 0), time::London());
}

// R-CH-04: three weeks beginning with the day of receipt, the receipt day counting.
TEST(HearingReportDueTest, ThreeWeeksBeginningWithTheDayOfReceipt) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2024-03-01", "2024-03-21"},  // The statute's own reading: 1 March -> 21 March.
      {"2023-06-26", "2023-07-16"},
      {"2024-02-20", "2024-03-11"},  // Across 29 February in a leap year.
      {"2023-02-20", "2023-03-12"},
      {"2024-12-20", "2025-01-09"},  // Across the year end; bank holidays do not extend it.
      {"2024-11-18", "2024-12-08"},
  };
  for (const auto& [received, due] : cases) {
    absl::CivilDay day;
    ASSERT_TRUE(absl::ParseCivilTime(received, &day));
    EXPECT_EQ(absl::FormatCivilTime(HearingReportDue(day)), due) << received;
  }
}

class HearingLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<HearingLogic>(*db_, outbox_, clock_, ids_, tokens_, directory_);
    votes_ = std::make_unique<VoteLogic>(*db_, outbox_, clock_, ids_, tokens_, directory_);
    ASSERT_TRUE(logic_->Migrate().ok());
    ASSERT_TRUE(votes_->Migrate().ok());
    ASSERT_TRUE(db_->Migrate("audit", AuditLog::Migrations()).ok());
    ASSERT_TRUE(db_->Migrate("request_log", api::RequestLog::Migrations()).ok());
    ASSERT_TRUE(events::Outbox::Migrate(*db_).ok());
    directory_.AddHearingMeeting(kCfoMeeting, "2023-07-17");
    directory_.AddHearingMeeting(kCcMeeting, "2024-12-09");
    directory_.AddMeeting(kOrdinary, "2024-11-25");
    directory_.AddMeeting(kSpecial, "2024-12-02", v1::NUMBERING_SCHEME_RUNNING_INT,
                          /*ordinary=*/false);
    // 15 members, all present and eligible.
    scheduling::v1::ListEligibleVotersResponse voters;
    for (int i = 0; i < 15; ++i) {
      auto* m = voters.add_members();
      m->set_person(Person(i));
      m->set_eligible(true);
    }
    voters.set_member_count(15);
    voters.set_eligible_count(15);
    directory_.SetVoters(voters);
  }

  static v1::CreateHearingRequest Cc(const std::string& id = "cc-2024") {
    v1::CreateHearingRequest request;
    request.set_parent("tenants/wm");
    request.set_hearing_id(id);
    auto* h = request.mutable_hearing();
    h->set_post(v1::HEARING_POST_CHIEF_CONSTABLE);
    h->set_candidate("Craig Guildford");
    h->set_meeting(kCcMeeting);
    h->set_notification_received_date("2024-11-25");
    h->set_reappointment(true);
    h->set_effective_date("2024-12-16");
    return request;
  }

  static v1::CreateHearingRequest Cfo() {
    v1::CreateHearingRequest request;
    request.set_parent("tenants/wm");
    request.set_hearing_id("cfo-2023");
    auto* h = request.mutable_hearing();
    h->set_post(v1::HEARING_POST_CHIEF_FINANCE_OFFICER);
    h->set_candidate("A. Candidate");
    h->set_meeting(kCfoMeeting);
    h->set_notification_received_date("2023-07-03");
    return request;
  }

  // A two-thirds vote at the CC hearing with `votes_for` of 15 for.
  std::string VetoVote(int votes_for, const std::string& id,
                       v1::MajorityRule rule = v1::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS) {
    v1::RecordVoteRequest request;
    request.set_parent(kCcMeeting);
    request.set_vote_id(id);
    auto* vote = request.mutable_vote();
    vote->set_agenda_item(kCcItem);
    vote->set_motion("That the Panel vetoes the proposed appointment.");
    vote->set_rule(rule);
    for (int i = 0; i < 15; ++i) {
      auto* b = vote->add_ballots();
      b->set_person(Person(i));
      b->set_choice(i < votes_for ? v1::BALLOT_CHOICE_FOR : v1::BALLOT_CHOICE_AGAINST);
    }
    auto recorded = votes_->RecordVote(Officer(), request);
    EXPECT_TRUE(recorded.ok()) << recorded.status();
    return recorded.ok() ? recorded->name() : "";
  }

  absl::StatusOr<v1::ConfirmationHearing> Recommend(const std::string& name,
                                                    v1::HearingRecommendation recommendation,
                                                    const std::string& vote = "") {
    v1::RecordRecommendationRequest request;
    request.set_name(name);
    request.set_recommendation(recommendation);
    request.set_text("That the Panel's recommendation be as stated.");
    request.set_veto_vote(vote);
    return logic_->RecordRecommendation(Officer(), request);
  }

  absl::StatusOr<v1::ConfirmationHearing> Publish(const std::string& name,
                                                  const std::string& late_reason = "") {
    v1::PublishRecommendationRequest request;
    request.set_name(name);
    request.set_late_reason(late_reason);
    return logic_->PublishRecommendation(Officer(), request);
  }

  std::vector<std::string> EventTypes() {
    std::vector<std::string> types;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT type FROM outbox ORDER BY type");
                     for (const auto& row : r->rows) {
                       types.push_back(row.String(0));
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return types;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{LondonNoon(2024, 12, 9)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  FakeSchedulingDirectory directory_;
  std::unique_ptr<HearingLogic> logic_;
  std::unique_ptr<VoteLogic> votes_;
};

// R-CH-03, R-CH-04: a re-appointment whose effective date is after the meeting; the deadline
// is computed and returned.
TEST_F(HearingLogicTest, CreatesAHearingWithItsDeadline) {
  auto created = logic_->CreateHearing(Officer(), Cc());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "tenants/wm/hearings/cc-2024");
  EXPECT_EQ(created->meeting_date(), "2024-12-09");
  EXPECT_EQ(created->report_due_date(), "2024-12-15");
  EXPECT_TRUE(created->reappointment());
  EXPECT_EQ(created->effective_date(), "2024-12-16");
  EXPECT_EQ(created->etag(), "1");
  // Hearings are held in public (R-CH-05).
  v1::GetHearingRequest get;
  get.set_name(created->name());
  auto read = logic_->GetHearing(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->candidate(), "Craig Guildford");
  // The meeting must exist in scheduling.
  auto unknown = Cc("other");
  unknown.mutable_hearing()->set_meeting("tenants/wm/bodies/pcp/meetings/none");
  EXPECT_EQ(logic_->CreateHearing(Officer(), unknown).status().code(), absl::StatusCode::kNotFound);
  // R-CH-02: the hearing is its own meeting, not an ordinary or other special one.
  for (const char* meeting : {kOrdinary, kSpecial}) {
    auto elsewhere = Cc("elsewhere");
    elsewhere.mutable_hearing()->set_meeting(meeting);
    elsewhere.mutable_hearing()->set_notification_received_date("2024-11-20");
    EXPECT_EQ(Reason(logic_->CreateHearing(Officer(), elsewhere).status()),
              "HEARING_MEETING_REQUIRED")
        << meeting;
  }
}

TEST_F(HearingLogicTest, BadInputNamesTheField) {
  struct Case {
    std::function<void(v1::CreateHearingRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.set_hearing_id("Bad Id"); }, "hearing_id"},
      // R-CH-01: one of the four posts.
      {[](auto& r) { r.mutable_hearing()->set_post(v1::HEARING_POST_UNSPECIFIED); },
       "hearing.post"},
      {[](auto& r) { r.mutable_hearing()->set_post(static_cast<v1::HearingPost>(9)); },
       "hearing.post"},
      {[](auto& r) { r.mutable_hearing()->clear_candidate(); }, "hearing.candidate"},
      {[](auto& r) { r.mutable_hearing()->set_meeting("x"); }, "hearing.meeting"},
      {[](auto& r) { r.mutable_hearing()->set_meeting("tenants/ny/bodies/p/meetings/m"); },
       "hearing.meeting"},
      {[](auto& r) { r.mutable_hearing()->set_notification_received_date("25/11/2024"); },
       "hearing.notification_received_date"},
      {[](auto& r) { r.mutable_hearing()->set_notification_received_date("2024-12-10"); },
       "hearing.notification_received_date"},
      // R-CH-03: after the meeting is fine, before the notification is not.
      {[](auto& r) { r.mutable_hearing()->set_effective_date("2024-11-24"); },
       "hearing.effective_date"},
      {[](auto& r) { r.mutable_hearing()->set_effective_date("2024-13-01"); },
       "hearing.effective_date"},
      {[](auto& r) { r.mutable_hearing()->set_recommendation(v1::HEARING_RECOMMENDATION_SUPPORT); },
       "hearing.recommendation"},
  };
  for (const auto& c : cases) {
    auto request = Cc();
    c.mutate(request);
    auto result = logic_->CreateHearing(Officer(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
}

// R-CH-01: only the Chief Constable can be vetoed, and only with a carried two-thirds vote of
// the hearing's meeting.
TEST_F(HearingLogicTest, VetoRules) {
  ASSERT_TRUE(logic_->CreateHearing(Officer(), Cc()).ok());
  clock_.Set(LondonNoon(2023, 7, 17));
  ASSERT_TRUE(logic_->CreateHearing(Officer(), Cfo()).ok());
  clock_.Set(LondonNoon(2024, 12, 9));
  const std::string carried = VetoVote(10, "veto");   // 10 of 15: ceil(2*15/3) = 10.
  const std::string lost = VetoVote(9, "veto-lost");  // 9 of 15.
  const std::string simple = VetoVote(12, "simple", v1::MAJORITY_RULE_SIMPLE);
  struct Case {
    std::string hearing;
    v1::HearingRecommendation recommendation;
    std::string vote;
    std::string reason;  // "" = accepted.
  };
  const std::string cc = "tenants/wm/hearings/cc-2024";
  const std::string cfo = "tenants/wm/hearings/cfo-2023";
  const auto veto = v1::HEARING_RECOMMENDATION_VETO;
  const std::vector<Case> cases = {
      {cfo, veto, carried, "VETO_NOT_AVAILABLE_FOR_POST"},
      {cc, veto, lost, "VETO_VOTE_NOT_CARRIED"},
      {cc, veto, simple, "VETO_VOTE_NOT_CARRIED"},
      {cc, veto, "tenants/wm/bodies/pcp/meetings/2024-12-09-hearing/votes/none",
       "VETO_VOTE_NOT_CARRIED"},
      {cfo, v1::HEARING_RECOMMENDATION_DO_NOT_SUPPORT, "", ""},
      {cfo, v1::HEARING_RECOMMENDATION_SUPPORT, "", ""},
      {cc, veto, carried, ""},
  };
  for (const auto& c : cases) {
    auto result = Recommend(c.hearing, c.recommendation, c.vote);
    if (c.reason.empty()) {
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_EQ(result->recommendation(), c.recommendation);
      EXPECT_EQ(result->veto_vote(), c.vote);
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition) << c.vote;
      EXPECT_EQ(Reason(result.status()), c.reason) << c.vote;
    }
  }
  // A veto names its vote; other recommendations do not.
  EXPECT_EQ(Field(Recommend(cc, veto).status()), "veto_vote");
  EXPECT_EQ(Field(Recommend(cc, v1::HEARING_RECOMMENDATION_SUPPORT, carried).status()),
            "veto_vote");
  EXPECT_EQ(Field(Recommend(cc, v1::HEARING_RECOMMENDATION_UNSPECIFIED).status()),
            "recommendation");
}

// R-CH-04, R-CH-05: the recommendation is private until published, published by the deadline
// or late with a reason (flagged); the PCC then accepts or rejects (never a veto).
TEST_F(HearingLogicTest, PublicationDeadlineAndPccResponse) {
  ASSERT_TRUE(logic_->CreateHearing(Officer(), Cc()).ok());
  const std::string cc = "tenants/wm/hearings/cc-2024";
  EXPECT_EQ(Reason(Publish(cc).status()), "RECOMMENDATION_NOT_RECORDED");
  ASSERT_TRUE(Recommend(cc, v1::HEARING_RECOMMENDATION_SUPPORT).ok());

  v1::GetHearingRequest get;
  get.set_name(cc);
  auto hidden = logic_->GetHearing(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(hidden.ok());
  EXPECT_EQ(hidden->recommendation(), v1::HEARING_RECOMMENDATION_UNSPECIFIED);
  EXPECT_TRUE(hidden->recommendation_text().empty());
  auto seen = logic_->GetHearing(Member(), get);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->recommendation(), v1::HEARING_RECOMMENDATION_SUPPORT);
  v1::ListHearingsRequest list;
  list.set_parent("tenants/wm");
  auto listed = logic_->ListHearings(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->hearings_size(), 1);
  EXPECT_TRUE(listed->hearings(0).recommendation_text().empty());

  v1::RecordPccResponseRequest respond;
  respond.set_name(cc);
  respond.set_response(v1::PCC_HEARING_RESPONSE_ACCEPTED);
  EXPECT_EQ(Reason(logic_->RecordPccResponse(PccOffice(), respond).status()),
            "RECOMMENDATION_NOT_PUBLISHED");

  // Due 15 December: on the 15th it is on time, on the 16th refused without a reason.
  struct Case {
    absl::Time now;
    std::string late_reason;
    std::string reason;  // "" = published.
    bool flagged;
  };
  const std::vector<Case> cases = {
      {LondonNoon(2024, 12, 16), "", "REPORT_DEADLINE_PASSED", false},
      {LondonNoon(2024, 12, 15), "", "", false},
  };
  for (const auto& c : cases) {
    clock_.Set(c.now);
    auto result = Publish(cc, c.late_reason);
    if (!c.reason.empty()) {
      EXPECT_EQ(Reason(result.status()), c.reason);
      continue;
    }
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(result->recommendation_published());
    EXPECT_EQ(result->report_date(), "2024-12-15");
    EXPECT_TRUE(result->flags().empty());
  }
  EXPECT_EQ(Reason(Publish(cc).status()), "RECOMMENDATION_ALREADY_PUBLISHED");
  EXPECT_EQ(Reason(Recommend(cc, v1::HEARING_RECOMMENDATION_DO_NOT_SUPPORT).status()),
            "RECOMMENDATION_ALREADY_PUBLISHED");
  auto shown = logic_->GetHearing(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->recommendation(), v1::HEARING_RECOMMENDATION_SUPPORT);

  // A past publication is recorded with its date, checked against the deadline the same way.
  clock_.Set(LondonNoon(2024, 12, 20));
  ASSERT_TRUE(logic_->CreateHearing(Officer(), Cc("cc-past")).ok());
  ASSERT_TRUE(Recommend("tenants/wm/hearings/cc-past", v1::HEARING_RECOMMENDATION_SUPPORT).ok());
  v1::PublishRecommendationRequest past;
  past.set_name("tenants/wm/hearings/cc-past");
  for (const auto& [date, field] :
       std::vector<std::pair<std::string, std::string>>{{"2024-12-21", "report_date"},
                                                        {"2024-11-24", "report_date"},
                                                        {"9 Dec", "report_date"}}) {
    past.set_report_date(date);
    EXPECT_EQ(Field(logic_->PublishRecommendation(Officer(), past).status()), field) << date;
  }
  past.set_report_date("2024-12-16");
  EXPECT_EQ(Reason(logic_->PublishRecommendation(Officer(), past).status()),
            "REPORT_DEADLINE_PASSED");
  past.set_report_date("2024-12-09");
  auto on_time = logic_->PublishRecommendation(Officer(), past);
  ASSERT_TRUE(on_time.ok()) << on_time.status();
  EXPECT_EQ(on_time->report_date(), "2024-12-09");
  EXPECT_TRUE(on_time->flags().empty());

  // A late report with a reason is flagged.
  clock_.Set(LondonNoon(2023, 7, 17));
  ASSERT_TRUE(logic_->CreateHearing(Officer(), Cfo()).ok());
  ASSERT_TRUE(Recommend("tenants/wm/hearings/cfo-2023", v1::HEARING_RECOMMENDATION_SUPPORT).ok());
  clock_.Set(LondonNoon(2023, 7, 24));  // Due 23 July.
  auto late = Publish("tenants/wm/hearings/cfo-2023", "The Panel met on the first available date.");
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_THAT(late->flags(), ::testing::ElementsAre("REPORT_LATE"));

  // R-CH-05: the PCC's response.
  clock_.Set(LondonNoon(2024, 12, 17));
  respond.set_response_date("2024-12-14");
  EXPECT_EQ(Field(logic_->RecordPccResponse(PccOffice(), respond).status()), "response_date");
  respond.set_response_date("2024-12-18");
  EXPECT_EQ(Field(logic_->RecordPccResponse(PccOffice(), respond).status()), "response_date");
  respond.clear_response_date();
  EXPECT_EQ(Reason(logic_->RecordPccResponse(Member(), respond).status()), "ROLE_NOT_ALLOWED");
  auto accepted = logic_->RecordPccResponse(PccOffice(), respond);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->pcc_response(), v1::PCC_HEARING_RESPONSE_ACCEPTED);
  EXPECT_EQ(accepted->pcc_response_date(), "2024-12-17");
  EXPECT_EQ(Reason(logic_->RecordPccResponse(PccOffice(), respond).status()),
            "PCC_RESPONSE_ALREADY_RECORDED");
}

TEST_F(HearingLogicTest, AVetoBindsThePcc) {
  ASSERT_TRUE(logic_->CreateHearing(Officer(), Cc()).ok());
  const std::string cc = "tenants/wm/hearings/cc-2024";
  ASSERT_TRUE(Recommend(cc, v1::HEARING_RECOMMENDATION_VETO, VetoVote(11, "veto")).ok());
  ASSERT_TRUE(Publish(cc).ok());
  v1::RecordPccResponseRequest respond;
  respond.set_name(cc);
  respond.set_response(v1::PCC_HEARING_RESPONSE_REJECTED);
  EXPECT_EQ(Reason(logic_->RecordPccResponse(Officer(), respond).status()), "VETO_IS_BINDING");
  respond.set_response(v1::PCC_HEARING_RESPONSE_ACCEPTED);
  EXPECT_TRUE(logic_->RecordPccResponse(Officer(), respond).ok());
}

TEST_F(HearingLogicTest, AccessEventsAndIdempotency) {
  auto request = Cc();
  EXPECT_EQ(Reason(logic_->CreateHearing(Officer("ny"), request).status()), "TENANT_MISMATCH");
  EXPECT_EQ(Reason(logic_->CreateHearing(Member(), request).status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(logic_->CreateHearing(auth::Principal::Anonymous(), request).status().code(),
            absl::StatusCode::kUnauthenticated);
  request.set_request_id("r1");
  auto first = logic_->CreateHearing(Officer(), request);
  ASSERT_TRUE(first.ok());
  auto again = logic_->CreateHearing(Officer(), request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  request.clear_request_id();
  EXPECT_EQ(logic_->CreateHearing(Officer(), request).status().code(),
            absl::StatusCode::kAlreadyExists);

  const std::string cc = first->name();
  v1::GetHearingRequest get;
  get.set_name(cc);
  EXPECT_EQ(Reason(logic_->GetHearing(Officer("ny"), get).status()), "TENANT_MISMATCH");
  v1::ListHearingsRequest list;
  list.set_parent("tenants/wm");
  EXPECT_EQ(Reason(logic_->ListHearings(Officer("ny"), list).status()), "TENANT_MISMATCH");
  list.set_post(v1::HEARING_POST_DEPUTY_PCC);
  auto none = logic_->ListHearings(Officer(), list);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->hearings_size(), 0);

  v1::RecordRecommendationRequest recommend;
  recommend.set_name(cc);
  recommend.set_recommendation(v1::HEARING_RECOMMENDATION_SUPPORT);
  recommend.set_text("That the Panel supports the re-appointment.");
  EXPECT_EQ(Reason(logic_->RecordRecommendation(Officer("ny"), recommend).status()),
            "TENANT_MISMATCH");
  EXPECT_EQ(Reason(logic_->RecordRecommendation(Member(), recommend).status()), "ROLE_NOT_ALLOWED");
  recommend.set_etag("7");
  EXPECT_EQ(Reason(logic_->RecordRecommendation(Officer(), recommend).status()), "ETAG_MISMATCH");
  recommend.set_etag("1");
  auto recorded = logic_->RecordRecommendation(Officer(), recommend);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->etag(), "2");
  v1::PublishRecommendationRequest publish;
  publish.set_name(cc);
  EXPECT_EQ(Reason(logic_->PublishRecommendation(Officer("ny"), publish).status()),
            "TENANT_MISMATCH");
  EXPECT_EQ(Reason(logic_->PublishRecommendation(PccOffice(), publish).status()),
            "ROLE_NOT_ALLOWED");
  ASSERT_TRUE(logic_->PublishRecommendation(Officer(), publish).ok());
  v1::RecordPccResponseRequest respond;
  respond.set_name(cc);
  respond.set_response(v1::PCC_HEARING_RESPONSE_ACCEPTED);
  EXPECT_EQ(Reason(logic_->RecordPccResponse(PccOffice("ny"), respond).status()),
            "TENANT_MISMATCH");
  ASSERT_TRUE(logic_->RecordPccResponse(PccOffice(), respond).ok());

  EXPECT_THAT(EventTypes(), ::testing::ElementsAre("hearing.created", "hearing.pcc_responded",
                                                   "hearing.recommendation_published",
                                                   "hearing.recommendation_recorded"));
}

}  // namespace
}  // namespace moot::decisions
