#include "services/decisions/minutes_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "libs/testing/test_util.h"
#include "services/decisions/audit_logic.h"
#include "services/decisions/fake_scheduling_directory.h"
#include "services/decisions/minutes_text.h"

namespace moot::decisions {
namespace {

using ::testing::ElementsAre;

constexpr char kSep[] = "tenants/wm/bodies/pcp/meetings/2023-09-11";
constexpr char kNov[] = "tenants/wm/bodies/pcp/meetings/2023-11-13";
constexpr char kAgm[] = "tenants/wm/bodies/pcp/meetings/2023-07-17-agm";
constexpr char kCfo[] = "tenants/wm/bodies/pcp/meetings/2023-07-17-cfo-hearing";

auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}
auth::Principal Pcc(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:pcc", .roles = {auth::Role::kPccOffice}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

class MinutesLogicTest : public ::testing::Test {
 protected:
  void SetUp() override { Use(moot::testing::OpenTestDatabase()); }

  void Open(const std::string& url, int pool) { Use(sql::Open(url, pool)); }

  void Use(absl::StatusOr<std::unique_ptr<sql::Database>> db) {
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    for (const char* m : {kSep, kNov}) {
      directory_.AddMeeting(m, std::string(m).substr(std::string(m).rfind('/') + 1));
    }
    directory_.AddMeeting(kAgm, "2023-07-17");
    directory_.AddMeeting(kCfo, "2023-07-17");
    directory_.AddMeeting("tenants/wm/bodies/spcb/meetings/2022-12-20", "2022-12-20",
                          v1::NUMBERING_SCHEME_SEQ_PER_YEAR);
    directory_.AddMeeting("tenants/wm/bodies/spcb/meetings/2023-01-24", "2023-01-24",
                          v1::NUMBERING_SCHEME_SEQ_PER_YEAR);
    directory_.AddMeeting("tenants/wm/bodies/spcb/meetings/2023-02-28", "2023-02-28",
                          v1::NUMBERING_SCHEME_SEQ_PER_YEAR);
    logic_ = std::make_unique<MinutesLogic>(*db_, outbox_, clock_, ids_, tokens_, directory_);
    audit_ = std::make_unique<AuditLogic>(*db_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
  }

  v1::Minutes Create(const std::string& meeting,
                     v1::ClauseStyle style = v1::CLAUSE_STYLE_LOWER_ROMAN) {
    v1::CreateMinutesRequest request;
    request.set_parent(meeting);
    request.set_clause_style(style);
    auto minutes = logic_->CreateMinutes(Officer(), request);
    EXPECT_TRUE(minutes.ok()) << minutes.status();
    return minutes.value_or(v1::Minutes());
  }

  static v1::AddMinuteEntryRequest Entry(const std::string& meeting, const std::string& title,
                                         int64_t override_number = 0) {
    v1::AddMinuteEntryRequest request;
    request.set_parent(absl::StrCat(meeting, "/minutes"));
    request.mutable_entry()->set_title(title);
    if (override_number > 0) {
      request.set_override_number(override_number);
      request.set_override_reason("continuing the paper register");
    }
    return request;
  }

  v1::MinuteEntry Add(const std::string& meeting, const std::string& title,
                      int64_t override_number = 0) {
    auto entry = logic_->AddMinuteEntry(Officer(), Entry(meeting, title, override_number));
    EXPECT_TRUE(entry.ok()) << entry.status();
    return entry.value_or(v1::MinuteEntry());
  }

  absl::StatusOr<v1::Minutes> Publish(const std::string& meeting) {
    v1::MinutesTransitionRequest request;
    request.set_name(absl::StrCat(meeting, "/minutes"));
    return logic_->PublishMinutes(Officer(), request);
  }

  absl::StatusOr<v1::Minutes> Sign(const std::string& meeting) {
    v1::MinutesTransitionRequest request;
    request.set_name(absl::StrCat(meeting, "/minutes"));
    return logic_->SignMinutes(Officer(), request);
  }

  absl::StatusOr<v1::Minutes> Get(const std::string& meeting,
                                  const auth::Principal& p = Officer()) {
    v1::GetMinutesRequest request;
    request.set_name(absl::StrCat(meeting, "/minutes"));
    return logic_->GetMinutes(p, request);
  }

  static v1::ResolutionClause Clause(const std::string& numeral, v1::ResolutionKind kind,
                                     const std::string& text,
                                     std::vector<std::string> confirms = {}) {
    v1::ResolutionClause c;
    c.set_clause(numeral);
    c.set_kind(kind);
    c.set_text(text);
    for (auto& m : confirms) {
      c.add_confirms_meetings(m);
    }
    return c;
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

  v1::AuditVerification VerifyChain() {
    v1::VerifyAuditChainRequest request;
    request.set_parent("tenants/wm");
    auto v = audit_->VerifyAuditChain(Officer(), request);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.value_or(v1::AuditVerification());
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  FakeSchedulingDirectory directory_;
  std::unique_ptr<MinutesLogic> logic_;
  std::unique_ptr<AuditLogic> audit_;
};

// R-MIN-03: 11 Sep 2023 holds 746-755 (the first chosen by an officer, audited), so the next
// meeting starts at 756; special meetings share the sequence.
TEST_F(MinutesLogicTest, RunningNumbersContinueAcrossMeetings) {
  Create(kSep);
  auto first = Add(kSep, "NOTICE OF RECORDING", 746);
  EXPECT_EQ(first.number(), 746);
  EXPECT_TRUE(first.number_overridden());
  EXPECT_EQ(first.override_reason(), "continuing the paper register");
  EXPECT_EQ(first.name(), absl::StrCat(kSep, "/minutes/entries/746"));
  std::vector<int64_t> numbers;
  for (const char* title : {"APOLOGIES", "DECLARATIONS OF INTEREST", "MINUTES",
                            "POLICE AND CRIME PANEL ACTION TRACKER", "PUBLIC QUESTION TIME",
                            "UPDATE TO PANEL ARRANGEMENTS", "DELIVERY OF THE POLICE AND CRIME PLAN",
                            "KEY DECISIONS", "PANEL WORK PROGRAMME 2023/2024"}) {
    auto e = Add(kSep, title);
    EXPECT_FALSE(e.number_overridden());
    numbers.push_back(e.number());
  }
  EXPECT_THAT(numbers, ElementsAre(747, 748, 749, 750, 751, 752, 753, 754, 755));
  auto minutes = Get(kSep);
  ASSERT_TRUE(minutes.ok());
  EXPECT_EQ(minutes->first_number(), "746");
  EXPECT_EQ(minutes->last_number(), "755");
  EXPECT_EQ(minutes->entry_count(), 10);

  Create(kNov);
  EXPECT_EQ(Add(kNov, "NOTICE OF RECORDING").display_number(), "756");
  // A special meeting minuted later shares the running sequence (§9 item 6).
  Create(kAgm);
  EXPECT_EQ(Add(kAgm, "ELECTION OF CHAIR").number(), 757);
  EXPECT_EQ(Add(kNov, "APOLOGIES").number(), 758);
}

// R-MIN-05: the Board's numbers restart each calendar year, shown "001/23".
TEST_F(MinutesLogicTest, PerYearNumbersRestartEachYear) {
  const std::string dec = "tenants/wm/bodies/spcb/meetings/2022-12-20";
  const std::string jan = "tenants/wm/bodies/spcb/meetings/2023-01-24";
  const std::string feb = "tenants/wm/bodies/spcb/meetings/2023-02-28";
  Create(dec);
  for (int i = 0; i < 11; ++i) {
    Add(dec, "Item");
  }
  EXPECT_EQ(Add(dec, "Workplan").display_number(), "012/22");
  Create(jan);
  auto first = Add(jan, "Apologies and PCC Update");
  EXPECT_EQ(first.display_number(), "001/23");
  EXPECT_EQ(first.name(), absl::StrCat(jan, "/minutes/entries/001-23"));
  for (int i = 0; i < 8; ++i) {
    Add(jan, "Item");
  }
  Create(feb);
  EXPECT_EQ(Add(feb, "Apologies").display_number(), "010/23");
  EXPECT_EQ(Get(jan)->last_number(), "009/23");
}

TEST_F(MinutesLogicTest, OverrideIsAuditedAndCannotReuseANumber) {
  Create(kSep);
  Add(kSep, "NOTICE OF RECORDING", 746);
  Add(kSep, "APOLOGIES");
  auto taken = logic_->AddMinuteEntry(Officer(), Entry(kSep, "Again", 747));
  EXPECT_EQ(Reason(taken.status()), "MINUTE_NUMBER_TAKEN");
  auto no_reason = Entry(kSep, "x", 900);
  no_reason.clear_override_reason();
  EXPECT_EQ(Field(logic_->AddMinuteEntry(Officer(), no_reason).status()), "override_reason");
  auto negative = Entry(kSep, "x");
  negative.set_override_number(-1);
  EXPECT_EQ(Field(logic_->AddMinuteEntry(Officer(), negative).status()), "override_number");
  // An override behind the counter fills a hole and does not move the counter back.
  EXPECT_EQ(Add(kSep, "Late entry", 700).number(), 700);
  EXPECT_EQ(Add(kSep, "Next").number(), 748);

  v1::ListAuditRecordsRequest list;
  list.set_parent("tenants/wm");
  auto records = audit_->ListAuditRecords(Officer(), list);
  ASSERT_TRUE(records.ok()) << records.status();
  std::vector<std::string> methods;
  for (const auto& r : records->records()) {
    methods.push_back(r.method());
    EXPECT_EQ(r.actor(), "user:officer");
  }
  EXPECT_THAT(methods, ElementsAre("CreateMinutes", "AddMinuteEntry/override", "AddMinuteEntry",
                                   "AddMinuteEntry/override", "AddMinuteEntry"));
  EXPECT_TRUE(VerifyChain().ok());
}

TEST_F(MinutesLogicTest, RetryWithSameRequestIdTakesNoSecondNumber) {
  Create(kSep);
  auto request = Entry(kSep, "APOLOGIES");
  request.set_request_id("r1");
  auto first = logic_->AddMinuteEntry(Officer(), request);
  ASSERT_TRUE(first.ok());
  auto again = logic_->AddMinuteEntry(Officer(), request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->number(), first->number());
  EXPECT_EQ(Add(kSep, "Next").number(), first->number() + 1);
}

// R-MIN-03: many concurrent writers get distinct, consecutive numbers (SQLite file, 4 pooled
// connections; minute_numbering_pgtest does the same against PostgreSQL).
TEST_F(MinutesLogicTest, ConcurrentWritersGetDistinctConsecutiveNumbers) {
  testing::TempDir dir;
  Open(absl::StrCat("sqlite://", dir.path(), "/d.db"), 4);
  Create(kSep);
  Create(kNov);
  constexpr int kThreads = 8;
  constexpr int kEach = 15;
  std::vector<std::vector<int64_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto e = logic_->AddMinuteEntry(Officer(), Entry(t % 2 ? kSep : kNov, "Item"));
        ASSERT_TRUE(e.ok()) << e.status();
        got[t].push_back(e->number());
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  std::set<int64_t> all;
  for (const auto& g : got) {
    all.insert(g.begin(), g.end());
  }
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kEach);
  EXPECT_EQ(Get(kSep)->entry_count() + Get(kNov)->entry_count(), kThreads * kEach);
  EXPECT_TRUE(VerifyChain().ok());
}

// R-MIN-01, R-MIN-02, R-MIN-04: minute 749 "I."/"II." confirms two meetings of 17 July 2023.
TEST_F(MinutesLogicTest, ConfirmMinutesResolutionConfirmsEarlierMeetings) {
  for (const char* m : {kAgm, kCfo}) {
    Create(m);
    Add(m, "BUSINESS", std::string(m) == kAgm ? 740 : 0);
    ASSERT_TRUE(Publish(m).ok());
  }
  Create(kSep, v1::CLAUSE_STYLE_UPPER_ROMAN);
  auto minute = Add(kSep, "MINUTES", 749);
  v1::RecordResolutionRequest request;
  request.set_entry(minute.name());
  *request.add_clauses() = Clause(
      "i", v1::RESOLUTION_KIND_CONFIRM_MINUTES,
      "That the Minutes of the AGM meeting held on 17 July 2023 be confirmed as a correct record "
      "and signed by the Chair; and",
      {kAgm});
  *request.add_clauses() =
      Clause("II", v1::RESOLUTION_KIND_CONFIRM_MINUTES,
             "The Minutes of the Confirmation Hearing for the Chief Finance Officer held on 17 "
             "July 2023 be confirmed as a correct record and signed by the Chair.",
             {kCfo});
  auto recorded = logic_->RecordResolution(Officer(), request);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  ASSERT_EQ(recorded->resolutions_size(), 2);
  EXPECT_EQ(recorded->resolutions(0).clause(), "I");
  EXPECT_EQ(recorded->resolutions(0).clause_no(), 1);
  EXPECT_EQ(recorded->resolutions(1).display_ref(), "749 II");
  for (const char* m : {kAgm, kCfo}) {
    auto confirmed = Get(m);
    EXPECT_EQ(confirmed->state(), v1::MINUTES_STATE_CONFIRMED);
    EXPECT_EQ(confirmed->confirmed_by(), minute.name());
  }
  EXPECT_EQ(Get(kAgm)->confirmed_by_ref(), "749 I");

  // Confirming again is refused, as is confirming minutes that were never published.
  Create(kNov);
  auto again = Add(kNov, "MINUTES");
  v1::RecordResolutionRequest twice;
  twice.set_entry(again.name());
  *twice.add_clauses() =
      Clause("", v1::RESOLUTION_KIND_CONFIRM_MINUTES, "Confirmed as a correct record.", {kAgm});
  EXPECT_EQ(Reason(logic_->RecordResolution(Officer(), twice).status()),
            "MINUTES_ALREADY_CONFIRMED");
  twice.mutable_clauses(0)->set_confirms_meetings(0, kSep);
  EXPECT_EQ(Reason(logic_->RecordResolution(Officer(), twice).status()), "MINUTES_NOT_PUBLISHED");
  twice.mutable_clauses(0)->set_confirms_meetings(0, "tenants/wm/bodies/pcp/meetings/2023-06-01");
  EXPECT_EQ(Reason(logic_->RecordResolution(Officer(), twice).status()), "MINUTES_NOT_RECORDED");
  // A resolution that confirmed minutes is not replaced.
  request.clear_clauses();
  *request.add_clauses() = Clause("", v1::RESOLUTION_KIND_NOTE, "Noted.");
  EXPECT_EQ(Reason(logic_->RecordResolution(Officer(), request).status()),
            "RESOLUTION_CONFIRMED_MINUTES");

  // Signing: CONFIRMED -> SIGNED only.
  EXPECT_EQ(Reason(Sign(kSep).status()), "MINUTES_NOT_CONFIRMED");
  auto signed_minutes = Sign(kAgm);
  ASSERT_TRUE(signed_minutes.ok());
  EXPECT_EQ(signed_minutes->state(), v1::MINUTES_STATE_SIGNED);
  EXPECT_EQ(Reason(Sign(kAgm).status()), "MINUTES_ALREADY_SIGNED");

  const auto types = OutboxTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "minutes.confirmed"), 2);
  EXPECT_EQ(std::count(types.begin(), types.end(), "resolution.recorded"), 1);
  EXPECT_EQ(std::count(types.begin(), types.end(), "minutes.signed"), 1);
  EXPECT_EQ(std::count(types.begin(), types.end(), "minutes.published"), 2);
  EXPECT_TRUE(VerifyChain().ok());
}

// R-MIN-06: the three wordings of the source, in any case; anything else is not a confirmation.
TEST(MinutesTextTest, ConfirmationWordingIsParsedInAllThreeForms) {
  const std::vector<std::pair<std::string, v1::ConfirmationWording>> cases = {
      {"The Minutes of the Confirmation Hearing for the Chief Finance Officer held on 17 July 2023 "
       "be confirmed as a correct record and signed by the Chair.",
       v1::CONFIRMATION_WORDING_CONFIRMED_AND_SIGNED},
      {"THAT THE MINUTES BE CONFIRMED AS A CORRECT RECORD AND SIGNED",
       v1::CONFIRMATION_WORDING_CONFIRMED_AND_SIGNED},
      {"The notes of the Board meeting held on 20th December 2022 were accepted as a correct "
       "record of the meeting.",
       v1::CONFIRMATION_WORDING_ACCEPTED},
      {"The notes of the last meeting were approved.", v1::CONFIRMATION_WORDING_APPROVED},
      {"Approved.", v1::CONFIRMATION_WORDING_APPROVED},
      {"The notes of the last meeting were not approved.", v1::CONFIRMATION_WORDING_UNSPECIFIED},
      {"The notes were not accepted as a correct record.", v1::CONFIRMATION_WORDING_UNSPECIFIED},
      {"The notes were disapproved.", v1::CONFIRMATION_WORDING_UNSPECIFIED},
      {"Confirmed.", v1::CONFIRMATION_WORDING_UNSPECIFIED},
      {"", v1::CONFIRMATION_WORDING_UNSPECIFIED},
  };
  for (const auto& [text, wording] : cases) {
    EXPECT_EQ(ParseConfirmationWording(text), wording) << text;
  }
  // What is written is parsed back.
  for (auto w : {v1::CONFIRMATION_WORDING_CONFIRMED_AND_SIGNED, v1::CONFIRMATION_WORDING_ACCEPTED,
                 v1::CONFIRMATION_WORDING_APPROVED}) {
    EXPECT_EQ(ParseConfirmationWording(ConfirmationText(w, {"2022-12-20"})), w);
  }
  EXPECT_EQ(ConfirmationText(v1::CONFIRMATION_WORDING_ACCEPTED, {"2022-12-20"}),
            "The notes of the meeting held on 20 December 2022 were accepted as a correct record.");
  EXPECT_EQ(ConfirmationText(v1::CONFIRMATION_WORDING_UNSPECIFIED, {"2023-07-17", "2023-07-18"}),
            "That the Minutes of the meetings held on 17 July 2023 and 18 July 2023 be confirmed "
            "as a correct record and signed by the Chair.");
}

// R-MIN-06/07/08: a Board's notes: "accepted as a correct record", a summary, with the webcast
// link, returned by GetMinutes and in the public rendering.
TEST_F(MinutesLogicTest, BodyWordingStyleAndWebcast) {
  const std::string dec = "tenants/wm/bodies/spcb/meetings/2022-12-20";
  const std::string jan = "tenants/wm/bodies/spcb/meetings/2023-01-24";
  const std::string webcast = "https://www.westmidlands-pcc.gov.uk/archive/webcast-24-jan-2023";
  for (const auto& meeting : {dec, jan}) {
    v1::CreateMinutesRequest create;
    create.set_parent(meeting);
    create.set_minutes_style(v1::MINUTES_STYLE_SUMMARY);
    create.set_confirmation_wording(v1::CONFIRMATION_WORDING_ACCEPTED);
    auto created = logic_->CreateMinutes(Officer(), create);
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(created->minutes_style(), v1::MINUTES_STYLE_SUMMARY);
    EXPECT_EQ(created->confirmation_wording(), v1::CONFIRMATION_WORDING_ACCEPTED);
  }
  Add(dec, "PCC UPDATE");
  ASSERT_TRUE(Publish(dec).ok());
  // Bad presentation input names the field.
  struct Case {
    std::function<void(v1::UpdateMinutesRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.set_webcast_url("www.example.org/webcast"); }, "webcast_url"},
      {[](auto& r) { r.set_webcast_url("https://example.org/a b"); }, "webcast_url"},
      {[](auto& r) { r.set_webcast_url("https://"); }, "webcast_url"},
      {[](auto& r) { r.set_minutes_style(static_cast<v1::MinutesStyle>(7)); }, "minutes_style"},
      {[](auto& r) { r.set_confirmation_wording(static_cast<v1::ConfirmationWording>(7)); },
       "confirmation_wording"},
      {[](auto&) {}, "webcast_url"},  // Nothing to change.
  };
  for (const auto& c : cases) {
    v1::UpdateMinutesRequest request;
    request.set_name(absl::StrCat(jan, "/minutes"));
    c.mutate(request);
    EXPECT_EQ(Field(logic_->UpdateMinutes(Officer(), request).status()), c.field) << c.field;
  }
  v1::UpdateMinutesRequest update;
  update.set_name(absl::StrCat(jan, "/minutes"));
  update.set_webcast_url(webcast);
  EXPECT_EQ(Reason(logic_->UpdateMinutes(Officer("ny"), update).status()), "TENANT_MISMATCH");
  EXPECT_EQ(Reason(logic_->UpdateMinutes(Member(), update).status()), "ROLE_NOT_ALLOWED");
  update.set_etag("9");
  EXPECT_EQ(Reason(logic_->UpdateMinutes(Officer(), update).status()), "ETAG_MISMATCH");
  update.clear_etag();
  auto updated = logic_->UpdateMinutes(Officer(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->webcast_url(), webcast);
  EXPECT_EQ(Get(jan)->webcast_url(), webcast);

  // A confirmation must use one of the wordings; an empty text is written in the body's.
  auto minute = Add(jan, "NOTES OF THE LAST MEETING");
  v1::RecordResolutionRequest resolve;
  resolve.set_entry(minute.name());
  *resolve.add_clauses() =
      Clause("", v1::RESOLUTION_KIND_CONFIRM_MINUTES, "The notes were looked at.", {dec});
  EXPECT_EQ(Field(logic_->RecordResolution(Officer(), resolve).status()), "clauses[0].text");
  resolve.mutable_clauses(0)->clear_text();
  auto recorded = logic_->RecordResolution(Officer(), resolve);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->resolutions(0).text(),
            "The notes of the meeting held on 20 December 2022 were accepted as a correct record.");
  EXPECT_EQ(recorded->resolutions(0).confirmation_wording(), v1::CONFIRMATION_WORDING_ACCEPTED);
  auto confirmed = Get(dec);
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->state(), v1::MINUTES_STATE_CONFIRMED);
  EXPECT_EQ(confirmed->confirmed_wording(), v1::CONFIRMATION_WORDING_ACCEPTED);

  // The public rendering: invisible while DRAFT, then with the summary statement and webcast.
  v1::RenderMinutesRequest render;
  render.set_name(absl::StrCat(jan, "/minutes"));
  EXPECT_EQ(logic_->RenderMinutes(auth::Principal::Anonymous(), render).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Reason(logic_->RenderMinutes(Officer("ny"), render).status()), "TENANT_MISMATCH");
  ASSERT_TRUE(Publish(jan).ok());
  auto rendered = logic_->RenderMinutes(auth::Principal::Anonymous(), render);
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  EXPECT_EQ(rendered->minutes().webcast_url(), webcast);
  const std::string& html = rendered->html();
  EXPECT_THAT(html, ::testing::HasSubstr("Notes of the meeting held on 24 January 2023"));
  EXPECT_THAT(html,
              ::testing::HasSubstr(
                  "These minutes provide a summary of key points raised during the meeting."));
  EXPECT_THAT(html, ::testing::HasSubstr(absl::StrCat("<a href=\"", webcast, "\">")));
  EXPECT_THAT(html, ::testing::HasSubstr("NOTES OF THE LAST MEETING"));
  EXPECT_THAT(html, ::testing::HasSubstr("were accepted as a correct record."));
  // Formal minutes by default, no webcast link without one.
  v1::RenderMinutesRequest formal;
  formal.set_name(absl::StrCat(kSep, "/minutes"));
  Create(kSep);
  // The meeting's webcast in scheduling is the default link.
  directory_.SetWebcast(kNov, "https://westmidspcc.public-i.tv/core/portal/webcast_interactive/1");
  EXPECT_EQ(Create(kNov).webcast_url(),
            "https://westmidspcc.public-i.tv/core/portal/webcast_interactive/1");
  Add(kSep, "APOLOGIES", 746);
  auto sep = logic_->RenderMinutes(Officer(), formal);
  ASSERT_TRUE(sep.ok()) << sep.status();
  EXPECT_EQ(sep->minutes().minutes_style(), v1::MINUTES_STYLE_FORMAL);
  EXPECT_EQ(sep->minutes().confirmation_wording(), v1::CONFIRMATION_WORDING_CONFIRMED_AND_SIGNED);
  EXPECT_THAT(sep->html(),
              ::testing::HasSubstr("Minutes of the meeting held on 11 September 2023"));
  EXPECT_EQ(sep->html().find("webcast"), std::string::npos);
  EXPECT_EQ(sep->html().find("summary"), std::string::npos);
}

// R-CH-02: a confirmation hearing is its own meeting; its minutes are confirmed at the next
// ordinary meeting, not at another hearing or special meeting.
TEST_F(MinutesLogicTest, HearingMinutesAreConfirmedAtAnOrdinaryMeeting) {
  const std::string hearing = "tenants/wm/bodies/pcp/meetings/2023-07-17-hearing";
  const std::string special = "tenants/wm/bodies/pcp/meetings/2023-08-01-special";
  directory_.AddMeeting(hearing, "2023-07-17", v1::NUMBERING_SCHEME_RUNNING_INT,
                        /*ordinary=*/false);
  directory_.AddMeeting(special, "2023-08-01", v1::NUMBERING_SCHEME_RUNNING_INT,
                        /*ordinary=*/false);
  Create(hearing);
  Add(hearing, "CONFIRMATION HEARING: CHIEF FINANCE OFFICER", 745);
  ASSERT_TRUE(Publish(hearing).ok());
  Create(special);
  Create(kSep);
  struct Case {
    std::string at;  // The meeting whose resolution confirms the hearing's minutes.
    std::string reason;
  };
  const std::vector<Case> cases = {
      {special, "CONFIRMATION_NEEDS_ORDINARY_MEETING"},
      {kSep, ""},
  };
  for (const auto& c : cases) {
    auto minute = Add(c.at, "MINUTES");
    v1::RecordResolutionRequest request;
    request.set_entry(minute.name());
    *request.add_clauses() =
        Clause("", v1::RESOLUTION_KIND_CONFIRM_MINUTES,
               "The Minutes of the Confirmation Hearing for the Chief Finance Officer held on 17 "
               "July 2023 be confirmed as a correct record and signed by the Chair.",
               {hearing});
    auto result = logic_->RecordResolution(Officer(), request);
    if (c.reason.empty()) {
      ASSERT_TRUE(result.ok()) << result.status();
      auto confirmed = Get(hearing);
      ASSERT_TRUE(confirmed.ok());
      EXPECT_EQ(confirmed->state(), v1::MINUTES_STATE_CONFIRMED);
      EXPECT_EQ(confirmed->confirmed_by(), minute.name());
    } else {
      EXPECT_EQ(Reason(result.status()), c.reason) << c.at;
    }
  }
}

TEST_F(MinutesLogicTest, ResolutionClausesAreValidated) {
  Create(kSep);
  auto minute = Add(kSep, "PUBLIC QUESTION TIME", 751);
  struct Case {
    std::function<void(v1::RecordResolutionRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.clear_clauses(); }, "clauses"},
      {[](auto& r) { r.mutable_clauses(0)->set_kind(v1::RESOLUTION_KIND_UNSPECIFIED); },
       "clauses[0].kind"},
      {[](auto& r) { r.mutable_clauses(1)->clear_text(); }, "clauses[1].text"},
      {[](auto& r) { r.mutable_clauses(1)->set_clause("2"); }, "clauses[1].clause"},
      {[](auto& r) { r.mutable_clauses(1)->set_clause("iii"); }, "clauses[1].clause"},
      {[](auto& r) { r.mutable_clauses(1)->clear_clause(); }, "clauses[1].clause"},
      {[](auto& r) { r.mutable_clauses(0)->add_confirms_meetings(kAgm); },
       "clauses[0].confirms_meetings"},
      {[](auto& r) { r.mutable_clauses(0)->set_kind(v1::RESOLUTION_KIND_CONFIRM_MINUTES); },
       "clauses[0].confirms_meetings"},
      {[](auto& r) {
         r.mutable_clauses(0)->set_kind(v1::RESOLUTION_KIND_CONFIRM_MINUTES);
         r.mutable_clauses(0)->add_confirms_meetings("tenants/ny/bodies/p/meetings/m");
       },
       "clauses[0].confirms_meetings"},
      {[](auto& r) { r.set_entry("tenants/wm/bodies/pcp/minutes"); }, "entry"},
  };
  for (const auto& c : cases) {
    v1::RecordResolutionRequest request;
    request.set_entry(minute.name());
    *request.add_clauses() = Clause("i", v1::RESOLUTION_KIND_NOTE, "Received and noted.");
    *request.add_clauses() = Clause("ii", v1::RESOLUTION_KIND_REQUEST, "Requested to include.");
    c.mutate(request);
    auto result = logic_->RecordResolution(Officer(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
  // Upper case is parsed and shown in the minutes' style (lower by default).
  v1::RecordResolutionRequest request;
  request.set_entry(minute.name());
  *request.add_clauses() = Clause("I", v1::RESOLUTION_KIND_NOTE, "Received and noted.");
  *request.add_clauses() = Clause("Ii", v1::RESOLUTION_KIND_REQUEST, "Requested to include.");
  *request.add_clauses() = Clause("III", v1::RESOLUTION_KIND_REQUEST, "Requested to expand.");
  auto recorded = logic_->RecordResolution(Officer(), request);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->resolutions(2).display_ref(), "751 iii");
  // Etag: a stale one is refused.
  request.set_etag("1");
  EXPECT_EQ(logic_->RecordResolution(Officer(), request).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(MinutesLogicTest, PublishedMinutesChangeOnlyByCorrection) {
  Create(kSep);
  EXPECT_EQ(Reason(Publish(kSep).status()), "MINUTES_EMPTY");
  auto entry = Add(kSep, "DECLARATIONS OF INTEREST", 748);
  v1::CorrectMinuteEntryRequest correct;
  correct.set_name(entry.name());
  correct.set_text("Cllr Aziz declared an interest.");
  correct.set_reason("Declaration omitted");
  correct.set_etag(entry.etag());
  EXPECT_EQ(Reason(logic_->CorrectMinuteEntry(Officer(), correct).status()),
            "MINUTES_NOT_PUBLISHED");

  auto published = Publish(kSep);
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(published->state(), v1::MINUTES_STATE_PUBLISHED);
  EXPECT_EQ(Reason(Publish(kSep).status()), "MINUTES_NOT_DRAFT");
  EXPECT_EQ(Reason(logic_->AddMinuteEntry(Officer(), Entry(kSep, "Late")).status()),
            "MINUTES_NOT_DRAFT");
  v1::RecordResolutionRequest resolve;
  resolve.set_entry(entry.name());
  *resolve.add_clauses() = Clause("", v1::RESOLUTION_KIND_NOTE, "Noted.");
  EXPECT_EQ(Reason(logic_->RecordResolution(Officer(), resolve).status()), "MINUTES_NOT_DRAFT");

  auto corrected = logic_->CorrectMinuteEntry(Officer(), correct);
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  EXPECT_EQ(corrected->text(), "Cllr Aziz declared an interest.");
  EXPECT_EQ(corrected->revision(), 2);
  ASSERT_EQ(corrected->corrections_size(), 1);
  EXPECT_EQ(corrected->corrections(0).reason(), "Declaration omitted");
  EXPECT_EQ(corrected->corrections(0).previous().text(), "");
  EXPECT_EQ(corrected->corrections(0).revision(), 1);
  // The same (now stale) etag again is refused.
  EXPECT_EQ(logic_->CorrectMinuteEntry(Officer(), correct).status().code(),
            absl::StatusCode::kAborted);
  for (auto mutate : std::vector<std::function<void(v1::CorrectMinuteEntryRequest&)>>{
           [](auto& r) { r.clear_reason(); }, [](auto& r) { r.clear_etag(); },
           [](auto& r) {
             r.clear_text();
             r.clear_title();
           }}) {
    auto bad = correct;
    mutate(bad);
    EXPECT_EQ(logic_->CorrectMinuteEntry(Officer(), bad).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  const auto types = OutboxTypes();
  EXPECT_EQ(types.back(), "minutes.corrected");
}

TEST_F(MinutesLogicTest, ThePublicSeesOnlyPublishedMinutes) {
  Create(kSep);
  for (int i = 0; i < 5; ++i) {
    Add(kSep, absl::StrCat("Item ", i), i == 0 ? 746 : 0);
  }
  const auto anonymous = auth::Principal::Anonymous();
  EXPECT_EQ(Get(kSep, anonymous).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(Get(kSep, Member()).ok());
  v1::ListMinuteEntriesRequest list;
  list.set_parent(absl::StrCat(kSep, "/minutes"));
  EXPECT_EQ(logic_->ListMinuteEntries(anonymous, list).status().code(),
            absl::StatusCode::kNotFound);
  v1::GetMinuteEntryRequest get;
  get.set_name(absl::StrCat(kSep, "/minutes/entries/746"));
  EXPECT_EQ(logic_->GetMinuteEntry(anonymous, get).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(Publish(kSep).ok());
  EXPECT_EQ(logic_->GetMinuteEntry(anonymous, get)->title(), "Item 0");

  list.set_page_size(2);
  std::vector<int64_t> numbers;
  int pages = 0;
  do {
    auto page = logic_->ListMinuteEntries(anonymous, list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : page->entries()) {
      numbers.push_back(e.number());
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(numbers, ElementsAre(746, 747, 748, 749, 750));
  list.set_page_token("forged");
  EXPECT_EQ(Field(logic_->ListMinuteEntries(anonymous, list).status()), "page_token");
}

TEST_F(MinutesLogicTest, EntryInputIsValidated) {
  Create(kSep);
  struct Case {
    std::function<void(v1::AddMinuteEntryRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.mutable_entry()->clear_title(); }, "entry.title"},
      {[](auto& r) { r.mutable_entry()->set_title(std::string(501, 'x')); }, "entry.title"},
      {[](auto& r) { r.mutable_entry()->set_agenda_item("nonsense"); }, "entry.agenda_item"},
      {[](auto& r) {
         r.mutable_entry()->set_agenda_item(
             "tenants/wm/bodies/pcp/meetings/2023-11-13/agendaItems/1");
       },
       "entry.agenda_item"},
      {[](auto& r) { r.mutable_entry()->add_resolutions()->set_text("x"); }, "entry.resolutions"},
      {[](auto& r) { r.set_override_reason("why"); }, "override_reason"},
      {[](auto& r) { r.set_parent("tenants/wm/bodies/pcp"); }, "parent"},
  };
  for (const auto& c : cases) {
    auto request = Entry(kSep, "APOLOGIES");
    c.mutate(request);
    auto result = logic_->AddMinuteEntry(Officer(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
  auto linked = Entry(kSep, "APOLOGIES");
  linked.mutable_entry()->set_agenda_item(absl::StrCat(kSep, "/agendaItems/2"));
  EXPECT_EQ(logic_->AddMinuteEntry(Officer(), linked)->agenda_item(),
            absl::StrCat(kSep, "/agendaItems/2"));
  // Creating minutes twice, or for a meeting scheduling does not know, fails.
  v1::CreateMinutesRequest create;
  create.set_parent(kSep);
  EXPECT_EQ(logic_->CreateMinutes(Officer(), create).status().code(),
            absl::StatusCode::kAlreadyExists);
  create.set_parent("tenants/wm/bodies/pcp/meetings/1999-01-01");
  EXPECT_EQ(logic_->CreateMinutes(Officer(), create).status().code(), absl::StatusCode::kNotFound);
}

// Issue 4 point 8: every RPC refuses another tenant's caller and a caller without the role,
// before any lookup.
TEST_F(MinutesLogicTest, EveryMethodChecksTenantAndRole) {
  Create(kSep);
  auto entry = Add(kSep, "APOLOGIES", 747);
  const std::string minutes = absl::StrCat(kSep, "/minutes");
  using Call = std::function<absl::Status(const auth::Principal&)>;
  const std::vector<std::pair<std::string, Call>> writes = {
      {"CreateMinutes",
       [&](const auto& p) {
         v1::CreateMinutesRequest r;
         r.set_parent(kNov);
         return logic_->CreateMinutes(p, r).status();
       }},
      {"AddMinuteEntry",
       [&](const auto& p) { return logic_->AddMinuteEntry(p, Entry(kSep, "x")).status(); }},
      {"RecordResolution",
       [&](const auto& p) {
         v1::RecordResolutionRequest r;
         r.set_entry(entry.name());
         *r.add_clauses() = Clause("", v1::RESOLUTION_KIND_NOTE, "Noted.");
         return logic_->RecordResolution(p, r).status();
       }},
      {"PublishMinutes",
       [&](const auto& p) {
         v1::MinutesTransitionRequest r;
         r.set_name(minutes);
         return logic_->PublishMinutes(p, r).status();
       }},
      {"SignMinutes",
       [&](const auto& p) {
         v1::MinutesTransitionRequest r;
         r.set_name(minutes);
         return logic_->SignMinutes(p, r).status();
       }},
      {"CorrectMinuteEntry",
       [&](const auto& p) {
         v1::CorrectMinuteEntryRequest r;
         r.set_name(entry.name());
         r.set_text("t");
         r.set_reason("r");
         r.set_etag(entry.etag());
         return logic_->CorrectMinuteEntry(p, r).status();
       }},
      {"VerifyAuditChain",
       [&](const auto& p) {
         v1::VerifyAuditChainRequest r;
         r.set_parent("tenants/wm");
         return audit_->VerifyAuditChain(p, r).status();
       }},
      {"ListAuditRecords",
       [&](const auto& p) {
         v1::ListAuditRecordsRequest r;
         r.set_parent("tenants/wm");
         return audit_->ListAuditRecords(p, r).status();
       }},
  };
  for (const auto& [method, call] : writes) {
    EXPECT_EQ(Reason(call(Officer("ny"))), "TENANT_MISMATCH") << method;
    EXPECT_EQ(Reason(call(Member())), "ROLE_NOT_ALLOWED") << method;
    EXPECT_EQ(Reason(call(Pcc())), "ROLE_NOT_ALLOWED") << method;
    EXPECT_EQ(call(auth::Principal::Anonymous()).code(), absl::StatusCode::kUnauthenticated)
        << method;
  }
  const std::vector<std::pair<std::string, Call>> reads = {
      {"GetMinutes", [&](const auto& p) { return Get(kSep, p).status(); }},
      {"GetMinuteEntry",
       [&](const auto& p) {
         v1::GetMinuteEntryRequest r;
         r.set_name(entry.name());
         return logic_->GetMinuteEntry(p, r).status();
       }},
      {"ListMinuteEntries",
       [&](const auto& p) {
         v1::ListMinuteEntriesRequest r;
         r.set_parent(minutes);
         return logic_->ListMinuteEntries(p, r).status();
       }},
  };
  for (const auto& [method, call] : reads) {
    EXPECT_EQ(Reason(call(Officer("ny"))), "TENANT_MISMATCH") << method;
    EXPECT_TRUE(call(Member()).ok()) << method;
    // The PCC's office is neither officer nor member: drafts are invisible to it.
    EXPECT_EQ(call(Pcc()).code(), absl::StatusCode::kNotFound) << method;
  }
  // Nothing above changed anything: the draft still has one entry and the chain verifies.
  EXPECT_EQ(Get(kSep)->entry_count(), 1);
  EXPECT_TRUE(VerifyChain().ok());
}

}  // namespace
}  // namespace moot::decisions
