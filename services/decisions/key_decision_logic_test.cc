#include "services/decisions/key_decision_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <functional>

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/decisions/fake_scheduling_directory.h"

namespace moot::decisions {
namespace {

using ::testing::ElementsAre;

auth::Principal Pcc(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:pcc", .roles = {auth::Role::kPccOffice}};
}
auth::Principal Officer(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:officer", .roles = {auth::Role::kOfficer}};
}
auth::Principal Member(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:member", .roles = {auth::Role::kMember}};
}
auth::Principal Finance(const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:finance", .roles = {auth::Role::kFinanceOfficer}};
}

std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

class KeyDecisionLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<KeyDecisionLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(logic_->Migrate().ok());
  }

  static v1::CreateKeyDecisionRequest Request(const std::string& reference,
                                              const std::string& date = "2023-11-02") {
    v1::CreateKeyDecisionRequest request;
    request.set_parent("tenants/wm");
    auto* d = request.mutable_key_decision();
    d->set_reference(reference);
    d->set_title("Estates strategy: disposal of the former station");
    d->set_decision_date(date);
    d->set_publication_date(date);
    d->set_summary("The PCC approves the sale for £1.2m.");
    d->add_report_documents("tenants/wm/documents/decision-report");
    return request;
  }

  // The outbox rows' types and serialized payloads.
  std::vector<std::pair<std::string, std::string>> Outbox() {
    std::vector<std::pair<std::string, std::string>> rows;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     auto r = c.Execute("SELECT type, payload FROM outbox ORDER BY seq");
                     if (!r.ok()) {
                       return r.status();
                     }
                     for (const auto& row : r->rows) {
                       rows.emplace_back(row.String(0), row.GetBytes(1).value_or(""));
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return rows;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<KeyDecisionLogic> logic_;
};

TEST_F(KeyDecisionLogicTest, PccOfficeRecordsDecisionNamedByItsReference) {
  auto decision = logic_->CreateKeyDecision(Pcc(), Request("004A-2018"));
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(decision->name(), "tenants/wm/decisions/004a-2018");
  EXPECT_EQ(decision->reference(), "004A-2018");
  EXPECT_EQ(decision->confidentiality(), v1::CONFIDENTIALITY_PUBLIC);
  EXPECT_EQ(decision->create_time().seconds(), 1699000000);
  EXPECT_TRUE(logic_->CreateKeyDecision(Officer(), Request("026/2023")).ok());

  v1::GetKeyDecisionRequest get;
  get.set_name("tenants/wm/decisions/026-2023");
  auto anonymous = logic_->GetKeyDecision(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(anonymous.ok()) << anonymous.status();
  EXPECT_EQ(anonymous->reference(), "026/2023");
  EXPECT_EQ(anonymous->summary(), "The PCC approves the sale for £1.2m.");

  // "026-2023" normalises to the same id as "026/2023".
  auto duplicate = logic_->CreateKeyDecision(Pcc(), Request("026-2023"));
  EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(status::Details(duplicate.status()).metadata["resource"],
            "tenants/wm/decisions/026-2023");
  EXPECT_EQ(DecisionIdFromReference("Ref 7 (2024)").value_or(""), "ref-7--2024");
  EXPECT_EQ(DecisionIdFromReference("(004A/2018)").value_or(""), "004a-2018");
}

TEST_F(KeyDecisionLogicTest, ConfidentialSummaryIsWithheldFromPublicAndMembers) {
  for (auto kind :
       {v1::CONFIDENTIALITY_CONFIDENTIAL, v1::CONFIDENTIALITY_COMMERCIALLY_CONFIDENTIAL}) {
    auto request = Request(absl::StrCat("c-", static_cast<int>(kind)));
    request.mutable_key_decision()->set_confidentiality(kind);
    auto created = logic_->CreateKeyDecision(Pcc(), request);
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_FALSE(created->summary().empty());

    v1::GetKeyDecisionRequest get;
    get.set_name(created->name());
    for (const auto& p : {auth::Principal::Anonymous(), Member(), Finance()}) {
      auto seen = logic_->GetKeyDecision(p, get);
      ASSERT_TRUE(seen.ok()) << seen.status();
      EXPECT_EQ(seen->summary(), "") << p.DebugString();
      EXPECT_EQ(seen->title(), "Estates strategy: disposal of the former station");
      EXPECT_EQ(seen->reference(), request.key_decision().reference());
      EXPECT_EQ(seen->decision_date(), "2023-11-02");
      EXPECT_EQ(seen->publication_date(), "2023-11-02");
    }
    for (const auto& p : {Officer(), Pcc()}) {
      EXPECT_EQ(logic_->GetKeyDecision(p, get)->summary(), "The PCC approves the sale for £1.2m.");
    }
  }
  v1::ListKeyDecisionsRequest list;
  list.set_parent("tenants/wm");
  auto listed = logic_->ListKeyDecisions(Member(), list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->key_decisions_size(), 2);
  for (const auto& d : listed->key_decisions()) {
    EXPECT_EQ(d.summary(), "");
  }
  EXPECT_FALSE(logic_->ListKeyDecisions(Officer(), list)->key_decisions(0).summary().empty());

  // The public event never carries a summary.
  const auto outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  for (const auto& [type, envelope] : outbox) {
    EXPECT_EQ(type, "decision.published");
    EXPECT_EQ(envelope.find("approves the sale"), std::string::npos);
    EXPECT_NE(envelope.find("Estates strategy"), std::string::npos);
  }
}

TEST_F(KeyDecisionLogicTest, AccessIsCheckedBeforeAnyLookup) {
  ASSERT_TRUE(logic_->CreateKeyDecision(Pcc(), Request("001-2023")).ok());
  v1::GetKeyDecisionRequest get;
  get.set_name("tenants/wm/decisions/001-2023");
  auto other = logic_->GetKeyDecision(Officer("ny"), get);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(other.status()), "TENANT_MISMATCH");
  get.set_name("tenants/wm/decisions/missing");
  EXPECT_EQ(logic_->GetKeyDecision(Officer("ny"), get).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(logic_->GetKeyDecision(Officer(), get).status().code(), absl::StatusCode::kNotFound);

  EXPECT_EQ(Reason(logic_->CreateKeyDecision(Pcc("ny"), Request("002-2023")).status()),
            "TENANT_MISMATCH");
  for (const auto& p : {Member(), Finance()}) {
    auto denied = logic_->CreateKeyDecision(p, Request("002-2023"));
    EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(Reason(denied.status()), "ROLE_NOT_ALLOWED");
  }
  EXPECT_EQ(
      logic_->CreateKeyDecision(auth::Principal::Anonymous(), Request("002-2023")).status().code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(KeyDecisionLogicTest, BadInputNamesTheField) {
  struct Case {
    std::function<void(v1::KeyDecision&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& d) { d.clear_reference(); }, "key_decision.reference"},
      {[](auto& d) { d.set_reference(std::string(33, '1')); }, "key_decision.reference"},
      {[](auto& d) { d.set_reference("///"); }, "key_decision.reference"},
      {[](auto& d) { d.clear_title(); }, "key_decision.title"},
      {[](auto& d) { d.clear_decision_date(); }, "key_decision.decision_date"},
      {[](auto& d) { d.set_decision_date("2023-02-30"); }, "key_decision.decision_date"},
      {[](auto& d) { d.set_decision_date("2/11/2023"); }, "key_decision.decision_date"},
      {[](auto& d) { d.set_decision_date(" 2023-11-02"); }, "key_decision.decision_date"},
      {[](auto& d) { d.set_publication_date("2023-13-01"); }, "key_decision.publication_date"},
      {[](auto& d) { d.set_publication_date("2023-11-01"); }, "key_decision.publication_date"},
      {[](auto& d) { d.set_confidentiality(static_cast<v1::Confidentiality>(42)); },
       "key_decision.confidentiality"},
  };
  for (const auto& c : cases) {
    auto request = Request("010-2023");
    c.mutate(*request.mutable_key_decision());
    auto result = logic_->CreateKeyDecision(Pcc(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
  // A reference of exactly 32 characters and no publication date are fine.
  auto request = Request(std::string(32, '7'));
  request.mutable_key_decision()->clear_publication_date();
  EXPECT_TRUE(logic_->CreateKeyDecision(Pcc(), request).ok());
}

TEST_F(KeyDecisionLogicTest, RetryWithSameRequestIdIsIdempotent) {
  auto request = Request("011-2023");
  request.set_request_id("req-1");
  auto first = logic_->CreateKeyDecision(Pcc(), request);
  ASSERT_TRUE(first.ok());
  clock_.Advance(absl::Minutes(1));
  auto retry = logic_->CreateKeyDecision(Pcc(), request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(Outbox().size(), 1u);
  request.mutable_key_decision()->set_title("Other");
  EXPECT_EQ(Reason(logic_->CreateKeyDecision(Pcc(), request).status()), "REQUEST_ID_REUSED");
}

TEST_F(KeyDecisionLogicTest, ListIsNewestDecisionFirstAndPaged) {
  const std::vector<std::pair<std::string, std::string>> created = {{"001-2023", "2023-01-10"},
                                                                    {"005-2023", "2023-06-01"},
                                                                    {"003-2023", "2023-03-15"},
                                                                    {"004-2023", "2023-03-15"},
                                                                    {"002-2022", "2022-12-31"}};
  for (const auto& [reference, date] : created) {
    ASSERT_TRUE(logic_->CreateKeyDecision(Pcc(), Request(reference, date)).ok());
  }
  std::vector<std::string> references;
  v1::ListKeyDecisionsRequest list;
  list.set_parent("tenants/wm");
  list.set_page_size(2);
  int pages = 0;
  do {
    auto page = logic_->ListKeyDecisions(auth::Principal::Anonymous(), list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& d : page->key_decisions()) {
      references.push_back(d.reference());
    }
    list.set_page_token(page->next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(references, ElementsAre("005-2023", "004-2023", "003-2023", "001-2023", "002-2022"));

  list.set_page_size(1001);
  EXPECT_EQ(Field(logic_->ListKeyDecisions(Member(), list).status()), "page_size");
  list.set_page_size(2);
  list.set_page_token("nonsense");
  EXPECT_EQ(Field(logic_->ListKeyDecisions(Member(), list).status()), "page_token");
}

// domain.md §2.11 and §8 A5: references stored as given, normalised for sort and search.
TEST(DecisionReferenceTest, ReferencesNormalise) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"026-2023", "026-2023"},   {"022-23", "022-2023"},     {"23-2023", "023-2023"},
      {"004A-2018", "004A-2018"}, {"004a-2018", "004A-2018"}, {"010/2018", "010-2018"},
      {"019-2019", "019-2019"},   {" 8-18 ", "008-2018"},
  };
  for (const auto& [raw, normalized] : cases) {
    auto parsed = ParseDecisionReference(raw);
    ASSERT_TRUE(parsed.has_value()) << raw;
    EXPECT_EQ(parsed->Normalized(), normalized) << raw;
  }
  for (const char* bad : {"", "2023", "A-2023", "026-202", "026-20233", "026 2023", "12345-2023"}) {
    EXPECT_FALSE(ParseDecisionReference(bad).has_value()) << bad;
  }
}

// R-KD-08: "2019-20", the second year the next of the first.
TEST(PreceptYearTest, WrittenYyyyYy) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"2019-20", true},    {"2023-24", true},  {"1999-00", true},  {"2099-00", true},
      {"2019-21", false},   {"2019-19", false}, {"2019/20", false}, {"19-20", false},
      {"2019-2020", false}, {"2019-2", false},  {"abcd-ef", false}, {"", false},
      {"2019-2a", false},   {"+019-20", false},
  };
  for (const auto& [year, valid] : cases) {
    EXPECT_EQ(IsPreceptYear(year), valid) << year;
  }
}

// R-KD-01, R-KD-07, R-KD-08: every decision has its register entry (title and date public even
// when confidential), one without its decision report is flagged, and the budget-and-precept
// decision of a precept year is marked once and found by it.
TEST_F(KeyDecisionLogicTest, RegisterEntriesReportsAndPreceptDecisions) {
  struct Case {
    std::string reference;
    v1::Confidentiality confidentiality;
    bool with_report;
    std::string precept_year;
    std::string error;  // "" = created; a reason or "field:<name>".
  };
  const std::vector<Case> cases = {
      {"004-2019", v1::CONFIDENTIALITY_PUBLIC, true, "2019-20", ""},
      {"001-2019", v1::CONFIDENTIALITY_PUBLIC, false, "", ""},
      {"003-2019", v1::CONFIDENTIALITY_CONFIDENTIAL, true, "", ""},
      {"005-2019", v1::CONFIDENTIALITY_PUBLIC, true, "2019-20", "PRECEPT_DECISION_EXISTS"},
      {"006-2019", v1::CONFIDENTIALITY_PUBLIC, true, "2019-2020",
       "field:key_decision.precept_year"},
      {"007-2019", v1::CONFIDENTIALITY_PUBLIC, true, "2019-21", "field:key_decision.precept_year"},
      {"008-2020", v1::CONFIDENTIALITY_PUBLIC, true, "2020-21", ""},
  };
  for (const auto& c : cases) {
    auto request = Request(c.reference, "2019-02-08");
    auto* d = request.mutable_key_decision();
    d->set_confidentiality(c.confidentiality);
    d->set_precept_year(c.precept_year);
    if (!c.with_report) {
      d->clear_report_documents();
    }
    auto created = logic_->CreateKeyDecision(Pcc(), request);
    if (c.error.empty()) {
      ASSERT_TRUE(created.ok()) << c.reference << ": " << created.status();
      EXPECT_EQ(created->precept_year(), c.precept_year);
      const bool flagged = std::find(created->flags().begin(), created->flags().end(),
                                     "REPORT_DOCUMENT_MISSING") != created->flags().end();
      EXPECT_EQ(flagged, !c.with_report) << c.reference;
    } else if (c.error.rfind("field:", 0) == 0) {
      EXPECT_EQ(Field(created.status()), c.error.substr(6)) << c.reference;
    } else {
      EXPECT_EQ(Reason(created.status()), c.error) << c.reference;
    }
  }
  // R-KD-01: the public register lists every decision, the confidential one by title and date.
  v1::ListKeyDecisionsRequest list;
  list.set_parent("tenants/wm");
  auto all = logic_->ListKeyDecisions(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(all.ok()) << all.status();
  std::set<std::string> listed;
  for (const auto& d : all->key_decisions()) {
    listed.insert(d.reference());
    if (d.reference() == "003-2019") {
      EXPECT_FALSE(d.title().empty());
      EXPECT_EQ(d.decision_date(), "2019-02-08");
      EXPECT_TRUE(d.summary().empty());
    }
  }
  EXPECT_EQ(listed, (std::set<std::string>{"001-2019", "003-2019", "004-2019", "008-2020"}));
  // R-KD-08: found by its precept year.
  struct Filter {
    std::string year;
    std::vector<std::string> references;
  };
  for (const auto& f :
       std::vector<Filter>{{"2019-20", {"004-2019"}}, {"2020-21", {"008-2020"}}, {"2021-22", {}}}) {
    list.set_precept_year(f.year);
    auto found = logic_->ListKeyDecisions(auth::Principal::Anonymous(), list);
    ASSERT_TRUE(found.ok()) << found.status();
    std::vector<std::string> refs;
    for (const auto& d : found->key_decisions()) {
      refs.push_back(d.reference());
    }
    EXPECT_EQ(refs, f.references) << f.year;
  }
  list.set_precept_year("2019/20");
  EXPECT_EQ(Field(logic_->ListKeyDecisions(Officer(), list).status()), "precept_year");

  // A recorded decision is marked afterwards (004-2019 in the register since February 2019).
  struct Mark {
    auth::Principal principal;
    std::string name;
    std::string year;
    std::string error;  // "" = marked; a reason or "field:<name>".
  };
  const std::vector<Mark> marks = {
      {Officer("ny"), "tenants/wm/decisions/001-2019", "2018-19", "TENANT_MISMATCH"},
      {Member(), "tenants/wm/decisions/001-2019", "2018-19", "ROLE_NOT_ALLOWED"},
      {Pcc(), "tenants/wm/decisions/001-2019", "2018", "field:precept_year"},
      {Pcc(), "tenants/wm/decisions/001-2019", "2019-20", "PRECEPT_DECISION_EXISTS"},
      {Pcc(), "tenants/wm/decisions/004-2019", "2018-19", "PRECEPT_YEAR_ALREADY_SET"},
      {Pcc(), "tenants/wm/decisions/004-2019", "2019-20", ""},  // Unchanged.
      {Officer(), "tenants/wm/decisions/001-2019", "2018-19", ""},
  };
  for (const auto& m : marks) {
    v1::MarkPreceptDecisionRequest request;
    request.set_name(m.name);
    request.set_precept_year(m.year);
    auto marked = logic_->MarkPreceptDecision(m.principal, request);
    if (m.error.empty()) {
      ASSERT_TRUE(marked.ok()) << marked.status();
      EXPECT_EQ(marked->precept_year(), m.year);
    } else if (m.error.rfind("field:", 0) == 0) {
      EXPECT_EQ(Field(marked.status()), m.error.substr(6));
    } else {
      EXPECT_EQ(Reason(marked.status()), m.error) << m.name << " " << m.year;
    }
  }
  list.set_precept_year("2018-19");
  auto marked_year = logic_->ListKeyDecisions(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(marked_year.ok());
  ASSERT_EQ(marked_year->key_decisions_size(), 1);
  EXPECT_EQ(marked_year->key_decisions(0).reference(), "001-2019");
  int marked_events = 0;
  for (const auto& [type, payload] : Outbox()) {
    marked_events += type == "decision.precept_marked";
  }
  EXPECT_EQ(marked_events, 1);
}

TEST_F(KeyDecisionLogicTest, ReferencesAreUniqueOnceNormalisedAndSearchable) {
  auto first = logic_->CreateKeyDecision(Pcc(), Request("022-23", "2023-09-07"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->reference(), "022-23");
  EXPECT_EQ(first->normalized_reference(), "022-2023");
  EXPECT_EQ(first->reference_seq(), 22);
  EXPECT_EQ(first->reference_year(), 2023);
  EXPECT_TRUE(first->flags().empty());
  // The same decision under another spelling is refused.
  EXPECT_EQ(logic_->CreateKeyDecision(Pcc(), Request("22-2023", "2023-09-07")).status().code(),
            absl::StatusCode::kAlreadyExists);
  // 019-2019 was dated 27 July 2018: kept, flagged.
  auto odd = logic_->CreateKeyDecision(Pcc(), Request("019-2019", "2018-07-27"));
  ASSERT_TRUE(odd.ok());
  EXPECT_THAT(odd->flags(), ElementsAre("REFERENCE_YEAR_MISMATCH"));
  auto suffixed = Request("004A-2018", "2018-04-03");
  suffixed.mutable_key_decision()->add_amends("004-2018");
  auto revised = logic_->CreateKeyDecision(Pcc(), suffixed);
  ASSERT_TRUE(revised.ok());
  EXPECT_EQ(revised->reference_suffix(), "A");
  EXPECT_THAT(revised->amends(), ElementsAre("004-2018"));
  suffixed.mutable_key_decision()->set_reference("005-2018");
  suffixed.mutable_key_decision()->set_amends(0, "not a reference");
  EXPECT_EQ(Field(logic_->CreateKeyDecision(Pcc(), suffixed).status()), "key_decision.amends");

  v1::ListKeyDecisionsRequest search;
  search.set_parent("tenants/wm");
  search.set_reference("22-2023");
  auto found = logic_->ListKeyDecisions(auth::Principal::Anonymous(), search);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->key_decisions_size(), 1);
  EXPECT_EQ(found->key_decisions(0).reference(), "022-23");
  search.set_reference("nonsense");
  EXPECT_EQ(Field(logic_->ListKeyDecisions(Member(), search).status()), "reference");
}

TEST_F(KeyDecisionLogicTest, ConfidentialDecisionsWithholdReportsAndAreAudited) {
  auto request = Request("025-2023", "2023-09-22");
  request.mutable_key_decision()->set_confidentiality(v1::CONFIDENTIALITY_CONFIDENTIAL);
  request.mutable_key_decision()->set_report_documents(0, "tenants/wm/documents/qlik-report");
  ASSERT_TRUE(logic_->CreateKeyDecision(Pcc(), request).ok());
  v1::GetKeyDecisionRequest get;
  get.set_name("tenants/wm/decisions/025-2023");
  for (const auto& p : {Member(), auth::Principal::Anonymous()}) {
    auto seen = logic_->GetKeyDecision(p, get);
    ASSERT_TRUE(seen.ok());
    EXPECT_TRUE(seen->report_documents().empty());
    EXPECT_EQ(seen->title(), request.key_decision().title());
  }
  EXPECT_EQ(logic_->GetKeyDecision(Officer(), get)->report_documents_size(), 1);
  auto other = Request("026-2023");
  other.mutable_key_decision()->add_report_documents("tenants/ny/documents/x");
  EXPECT_EQ(Field(logic_->CreateKeyDecision(Pcc(), other).status()),
            "key_decision.report_documents");
  // The change is in the audit chain.
  int rows = 0;
  ASSERT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                   auto r = c.Execute("SELECT method FROM audit_log WHERE tenant_id = 'wm'");
                   for (const auto& row : r->rows) {
                     EXPECT_EQ(row.String(0), "CreateKeyDecision");
                     ++rows;
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(rows, 1);
}

// R-KD-02, §9 item 7 and §8 A6: the 13 November 2023 list: decisions published since the
// 11 September meeting's pack date, with the 1 September decision included by hand.
TEST_F(KeyDecisionLogicTest, MeetingWindowWithManualIncludeAndExclude) {
  FakeSchedulingDirectory directory;
  directory.AddMeeting("tenants/wm/bodies/pcp/meetings/2023-07-17-agm", "2023-07-17",
                       v1::NUMBERING_SCHEME_RUNNING_INT, /*ordinary=*/false, "2023-07-07");
  directory.AddMeeting("tenants/wm/bodies/pcp/meetings/2023-09-11", "2023-09-11",
                       v1::NUMBERING_SCHEME_RUNNING_INT, true, "2023-09-01");
  directory.AddMeeting("tenants/wm/bodies/pcp/meetings/2023-11-13", "2023-11-13",
                       v1::NUMBERING_SCHEME_RUNNING_INT, true, "2023-11-03");
  KeyDecisionLogic logic(*db_, outbox_, clock_, ids_, tokens_, &directory);
  for (const auto& [ref, date] :
       std::vector<std::pair<std::string, std::string>>{{"026-2023", "2023-10-06"},
                                                        {"025-2023", "2023-09-22"},
                                                        {"024-2023", "2023-09-15"},
                                                        {"022-23", "2023-09-07"},
                                                        {"23-2023", "2023-09-01"},
                                                        {"020-2023", "2023-08-30"},
                                                        {"027-2023", "2023-11-06"}}) {
    auto request = Request(ref, date);
    if (ref == "025-2023") {
      request.mutable_key_decision()->set_confidentiality(v1::CONFIDENTIALITY_CONFIDENTIAL);
    }
    ASSERT_TRUE(logic.CreateKeyDecision(Pcc(), request).ok()) << ref;
  }
  v1::ListMeetingKeyDecisionsRequest list;
  list.set_meeting("tenants/wm/bodies/pcp/meetings/2023-11-13");
  auto refs = [&](const v1::MeetingKeyDecisions& m) {
    std::vector<std::string> out;
    for (const auto& d : m.key_decisions()) {
      out.push_back(d.reference());
    }
    return out;
  };
  auto window = logic.ListMeetingKeyDecisions(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(window.ok()) << window.status();
  EXPECT_EQ(window->previous_meeting(), "tenants/wm/bodies/pcp/meetings/2023-09-11");
  EXPECT_EQ(window->window_start(), "2023-09-01");
  EXPECT_EQ(window->window_end(), "2023-11-03");
  EXPECT_THAT(refs(*window), ElementsAre("026-2023", "025-2023", "024-2023", "022-23"));
  for (const auto& d : window->key_decisions()) {
    if (d.reference() == "025-2023") {
      EXPECT_EQ(d.summary(), "");  // Title and date only.
    }
  }

  v1::SetMeetingKeyDecisionSelectionRequest select;
  select.set_meeting(list.meeting());
  select.add_include("tenants/wm/decisions/23-2023");
  select.add_exclude("tenants/wm/decisions/024-2023");
  auto selected = logic.SetMeetingKeyDecisionSelection(Officer(), select);
  ASSERT_TRUE(selected.ok()) << selected.status();
  EXPECT_THAT(refs(*selected), ElementsAre("026-2023", "025-2023", "022-23", "23-2023"));
  EXPECT_THAT(selected->included(), ElementsAre("tenants/wm/decisions/23-2023"));

  EXPECT_EQ(Reason(logic.SetMeetingKeyDecisionSelection(Member(), select).status()),
            "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(logic.SetMeetingKeyDecisionSelection(Officer("ny"), select).status()),
            "TENANT_MISMATCH");
  EXPECT_EQ(Reason(logic.ListMeetingKeyDecisions(Officer("ny"), list).status()), "TENANT_MISMATCH");
  select.add_include("tenants/wm/decisions/999-2023");
  EXPECT_EQ(logic.SetMeetingKeyDecisionSelection(Officer(), select).status().code(),
            absl::StatusCode::kNotFound);
  select.set_include(1, "tenants/ny/decisions/1-2023");
  EXPECT_EQ(Field(logic.SetMeetingKeyDecisionSelection(Officer(), select).status()), "include");
  // Without scheduling the window cannot be computed.
  EXPECT_EQ(logic_->ListMeetingKeyDecisions(Officer(), list).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace moot::decisions
