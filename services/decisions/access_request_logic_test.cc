#include "services/decisions/access_request_logic.h"

#include <gtest/gtest.h>

#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/decisions/key_decision_logic.h"

namespace moot::decisions {
namespace {

auth::Principal P(auth::Role role, const std::string& tenant = "wm") {
  return {.tenant = tenant, .subject = "user:x", .roles = {role}};
}
std::string Reason(const absl::Status& status) { return status::Details(status).reason; }
std::string Field(const absl::Status& status) {
  auto d = status::Details(status);
  return d.field_violations.empty() ? "" : d.field_violations[0].field;
}

class AccessRequestLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    decisions_ = std::make_unique<KeyDecisionLogic>(*db_, outbox_, clock_, ids_, tokens_);
    access_ = std::make_unique<AccessRequestLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(decisions_->Migrate().ok());
    ASSERT_TRUE(access_->Migrate().ok());
    for (auto [ref, confidentiality] : {std::pair{"024-2023", v1::CONFIDENTIALITY_CONFIDENTIAL},
                                        std::pair{"026-2023", v1::CONFIDENTIALITY_PUBLIC}}) {
      v1::CreateKeyDecisionRequest create;
      create.set_parent("tenants/wm");
      create.mutable_key_decision()->set_reference(ref);
      create.mutable_key_decision()->set_title("Castlegate");
      create.mutable_key_decision()->set_decision_date("2023-09-15");
      create.mutable_key_decision()->set_confidentiality(confidentiality);
      ASSERT_TRUE(decisions_->CreateKeyDecision(P(auth::Role::kPccOffice), create).ok());
    }
  }

  static v1::CreateAccessRequestRequest Ask(const std::string& decision = "024-2023") {
    v1::CreateAccessRequestRequest r;
    r.set_parent("tenants/wm/decisions/" + decision);
    r.mutable_access_request()->set_requester("Panel Members");
    r.mutable_access_request()->set_reason("To scrutinise the purchase of Castlegate.");
    return r;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1699000000)};
  ids::SequentialIdGenerator ids_{"id"};
  api::PageTokens tokens_{"secret"};
  events::Outbox outbox_;
  std::unique_ptr<KeyDecisionLogic> decisions_;
  std::unique_ptr<AccessRequestLogic> access_;
};

// R-KD-04: members cannot compel release; requests are logged with the outcome.
TEST_F(AccessRequestLogicTest, RequestsAreRecordedWithTheirOutcome) {
  auto asked = access_->CreateAccessRequest(P(auth::Role::kMember), Ask());
  ASSERT_TRUE(asked.ok()) << asked.status();
  EXPECT_EQ(asked->outcome(), v1::ACCESS_OUTCOME_PENDING);
  EXPECT_EQ(Reason(access_->CreateAccessRequest(P(auth::Role::kMember), Ask("026-2023")).status()),
            "DECISION_NOT_CONFIDENTIAL");
  EXPECT_EQ(access_->CreateAccessRequest(P(auth::Role::kMember), Ask("999-2023")).status().code(),
            absl::StatusCode::kNotFound);
  auto blank = Ask();
  blank.mutable_access_request()->clear_reason();
  EXPECT_EQ(Field(access_->CreateAccessRequest(P(auth::Role::kMember), blank).status()),
            "access_request.reason");

  v1::DecideAccessRequestRequest decide;
  decide.set_name(asked->name());
  decide.set_outcome(v1::ACCESS_OUTCOME_REFUSED);
  decide.set_outcome_reason("Confidential decisions on the Estates Strategy are not shared.");
  EXPECT_EQ(Reason(access_->DecideAccessRequest(P(auth::Role::kOfficer), decide).status()),
            "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(access_->DecideAccessRequest(P(auth::Role::kPccOffice, "ny"), decide).status()),
            "TENANT_MISMATCH");
  auto refused = access_->DecideAccessRequest(P(auth::Role::kPccOffice), decide);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->outcome(), v1::ACCESS_OUTCOME_REFUSED);
  EXPECT_EQ(Reason(access_->DecideAccessRequest(P(auth::Role::kPccOffice), decide).status()),
            "ACCESS_ALREADY_DECIDED");
  decide.set_outcome(v1::ACCESS_OUTCOME_PENDING);
  EXPECT_EQ(Field(access_->DecideAccessRequest(P(auth::Role::kPccOffice), decide).status()),
            "outcome");

  v1::ListAccessRequestsRequest list;
  list.set_parent("tenants/wm/decisions/024-2023");
  auto listed = access_->ListAccessRequests(P(auth::Role::kMember), list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->access_requests_size(), 1);
  EXPECT_EQ(listed->access_requests(0).outcome_reason(),
            "Confidential decisions on the Estates Strategy are not shared.");
  // A refusal (or a grant) changes nothing the member reads.
  v1::GetKeyDecisionRequest get;
  get.set_name("tenants/wm/decisions/024-2023");
  EXPECT_EQ(decisions_->GetKeyDecision(P(auth::Role::kMember), get)->summary(), "");

  EXPECT_EQ(Reason(access_->ListAccessRequests(P(auth::Role::kMember, "ny"), list).status()),
            "TENANT_MISMATCH");
  EXPECT_EQ(Reason(access_->ListAccessRequests(P(auth::Role::kFinanceOfficer), list).status()),
            "ROLE_NOT_ALLOWED");
  EXPECT_EQ(access_->ListAccessRequests(auth::Principal::Anonymous(), list).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Reason(access_->CreateAccessRequest(P(auth::Role::kMember, "ny"), Ask()).status()),
            "TENANT_MISMATCH");
  EXPECT_EQ(Reason(access_->CreateAccessRequest(P(auth::Role::kFinanceOfficer), Ask()).status()),
            "ROLE_NOT_ALLOWED");
}

}  // namespace
}  // namespace moot::decisions
