// Petitions (R-PQ-06; product decision in docs/development.md "Petitions"): submission without an
// account, officer decisions, who sees what, events.
#include "services/scheduling/petition_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "absl/strings/str_cat.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "moot/events/v1/event.pb.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {
namespace {

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

constexpr char kBoard[] = "tenants/wm/bodies/spcb";

class PetitionLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    scheduling_ = std::make_unique<SchedulingLogic>(*db_, outbox_, clock_, ids_, tokens_);
    logic_ = std::make_unique<PetitionLogic>(*db_, outbox_, clock_, ids_, tokens_);
    ASSERT_TRUE(scheduling_->Migrate().ok());
    ASSERT_TRUE(logic_->Migrate().ok());
    v1::CreateBodyRequest body;
    body.set_parent("tenants/wm");
    body.set_body_id("spcb");
    body.mutable_body()->set_display_name("Strategic Policing and Crime Board");
    body.mutable_body()->set_kind(v1::BODY_KIND_BOARD);
    body.mutable_body()->mutable_rules()->set_petition_response_days(28);
    ASSERT_TRUE(scheduling_->CreateBody(Officer(), body).ok());
  }

  static v1::SubmitPetitionRequest Submit(
      const std::function<void(v1::Petition&)>& mutate = nullptr) {
    v1::SubmitPetitionRequest request;
    request.set_parent(kBoard);
    v1::Petition& p = *request.mutable_petition();
    p.set_title("More neighbourhood officers in Lozells");
    p.set_prayer("We ask the Board to review neighbourhood policing in Lozells.");
    p.mutable_lead_petitioner()->set_display_name("Jo Public");
    p.mutable_lead_petitioner()->set_email("jo@example.org");
    p.mutable_lead_petitioner()->set_postal_address("1 High Street, Birmingham");
    p.set_signature_count(1250);
    if (mutate) {
      mutate(p);
    }
    return request;
  }

  v1::Petition Received() {
    auto p = logic_->SubmitPetition(auth::Principal::Anonymous(), Submit());
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *p : v1::Petition();
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
                       e.ParseFromString(row.String(0));
                       if (e.type().rfind("petition.", 0) == 0) {
                         events.push_back(e);
                       }
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return events;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1677582000)};  // 2023-02-28 11:00 GMT.
  ids::SequentialIdGenerator ids_{"pt"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  std::unique_ptr<SchedulingLogic> scheduling_;
  std::unique_ptr<PetitionLogic> logic_;
};

TEST_F(PetitionLogicTest, SubmitValidates) {
  struct Case {
    std::string label;
    std::function<void(v1::Petition&)> mutate;
    std::string field;  // Empty: accepted.
  };
  using P = v1::Petition&;
  const std::vector<Case> cases = {
      {"complete", [](P) {}, ""},
      {"post only", [](P p) { p.mutable_lead_petitioner()->clear_email(); }, ""},
      {"no title", [](P p) { p.set_title(" "); }, "petition.title"},
      {"long title", [](P p) { p.set_title(std::string(201, 't')); }, "petition.title"},
      {"no prayer", [](P p) { p.clear_prayer(); }, "petition.prayer"},
      {"long prayer", [](P p) { p.set_prayer(std::string(4001, 'p')); }, "petition.prayer"},
      {"no name", [](P p) { p.mutable_lead_petitioner()->clear_display_name(); },
       "petition.lead_petitioner.display_name"},
      {"no contact",
       [](P p) {
         p.mutable_lead_petitioner()->clear_email();
         p.mutable_lead_petitioner()->clear_postal_address();
       },
       "petition.lead_petitioner.email"},
      {"bad e-mail", [](P p) { p.mutable_lead_petitioner()->set_email("jo at example"); },
       "petition.lead_petitioner.email"},
      {"no signatures", [](P p) { p.set_signature_count(0); }, "petition.signature_count"},
      {"negative signatures", [](P p) { p.set_signature_count(-5); }, "petition.signature_count"},
      {"too many signatures", [](P p) { p.set_signature_count(10000001); },
       "petition.signature_count"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    auto result = logic_->SubmitPetition(auth::Principal::Anonymous(), Submit(c.mutate));
    if (c.field.empty()) {
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_EQ(result->status(), v1::PETITION_STATUS_RECEIVED);
      // §9 item 13: the body's 28 days from 28 February 2023.
      EXPECT_EQ(result->response_due_date(), "2023-03-28");
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(Field(result.status()), c.field);
    }
  }
  v1::SubmitPetitionRequest missing = Submit();
  missing.set_parent("tenants/wm/bodies/none");
  EXPECT_EQ(logic_->SubmitPetition(auth::Principal::Anonymous(), missing).status().code(),
            absl::StatusCode::kNotFound);
  // Another tenant's principal cannot file into this tenant.
  EXPECT_EQ(Reason(logic_->SubmitPetition(Officer("other"), Submit()).status()), "TENANT_MISMATCH");
  // A retry with the same request_id returns the first petition.
  v1::SubmitPetitionRequest keyed = Submit();
  keyed.set_request_id("petition-1");
  auto first = logic_->SubmitPetition(auth::Principal::Anonymous(), keyed);
  auto again = logic_->SubmitPetition(auth::Principal::Anonymous(), keyed);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->name(), again->name());
}

TEST_F(PetitionLogicTest, Transitions) {
  struct Case {
    std::string label;
    std::vector<std::string> steps;  // accept, reject, respond.
    absl::StatusCode code;           // Of the last step.
    v1::PetitionStatus status;       // After the last successful step.
  };
  const std::vector<Case> cases = {
      {"accept", {"accept"}, absl::StatusCode::kOk, v1::PETITION_STATUS_ACCEPTED},
      {"reject", {"reject"}, absl::StatusCode::kOk, v1::PETITION_STATUS_REJECTED},
      {"respond", {"accept", "respond"}, absl::StatusCode::kOk, v1::PETITION_STATUS_RESPONDED},
      {"respond before accepting",
       {"respond"},
       absl::StatusCode::kFailedPrecondition,
       v1::PETITION_STATUS_RECEIVED},
      {"accept twice",
       {"accept", "accept"},
       absl::StatusCode::kFailedPrecondition,
       v1::PETITION_STATUS_ACCEPTED},
      {"reject after accepting",
       {"accept", "reject"},
       absl::StatusCode::kFailedPrecondition,
       v1::PETITION_STATUS_ACCEPTED},
      {"accept a rejected one",
       {"reject", "accept"},
       absl::StatusCode::kFailedPrecondition,
       v1::PETITION_STATUS_REJECTED},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    const std::string name = Received().name();
    absl::Status last;
    for (const std::string& step : c.steps) {
      if (step == "accept") {
        v1::AcceptPetitionRequest r;
        r.set_name(name);
        last = logic_->AcceptPetition(Officer(), r).status();
      } else if (step == "reject") {
        v1::RejectPetitionRequest r;
        r.set_name(name);
        r.set_reason("Not within the Board's remit");
        last = logic_->RejectPetition(Officer(), r).status();
      } else {
        v1::RespondToPetitionRequest r;
        r.set_name(name);
        r.set_response("The Board will receive a report in April.");
        r.set_responded_by("Strategic Policing and Crime Board");
        last = logic_->RespondToPetition(Officer(), r).status();
      }
    }
    EXPECT_EQ(last.code(), c.code) << last;
    if (!last.ok()) {
      EXPECT_EQ(Reason(last), "PETITION_TRANSITION_NOT_ALLOWED");
    }
    v1::GetPetitionRequest get;
    get.set_name(name);
    auto read = logic_->GetPetition(Officer(), get);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->status(), c.status);
  }
  // Required fields, wrong tenant, wrong role, stale etag.
  const std::string name = Received().name();
  v1::RejectPetitionRequest reject;
  reject.set_name(name);
  EXPECT_EQ(Field(logic_->RejectPetition(Officer(), reject).status()), "reason");
  v1::RespondToPetitionRequest respond;
  respond.set_name(name);
  EXPECT_EQ(Field(logic_->RespondToPetition(Officer(), respond).status()), "response");
  v1::AcceptPetitionRequest accept;
  accept.set_name(name);
  EXPECT_EQ(Reason(logic_->AcceptPetition(Officer("other"), accept).status()), "TENANT_MISMATCH");
  EXPECT_EQ(logic_->AcceptPetition(Member(), accept).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(logic_->AcceptPetition(auth::Principal::Anonymous(), accept).status().code(),
            absl::StatusCode::kUnauthenticated);
  accept.set_etag("7");
  EXPECT_EQ(Reason(logic_->AcceptPetition(Officer(), accept).status()), "ETAG_MISMATCH");
}

TEST_F(PetitionLogicTest, ThePublicSeesAcceptedPetitionsWithoutContactDetails) {
  const v1::Petition received = Received();
  const v1::Petition accepted = Received();
  const v1::Petition responded = Received();
  const v1::Petition rejected = Received();
  for (const auto* p : {&accepted, &responded}) {
    v1::AcceptPetitionRequest r;
    r.set_name(p->name());
    ASSERT_TRUE(logic_->AcceptPetition(Officer(), r).ok());
  }
  v1::RespondToPetitionRequest respond;
  respond.set_name(responded.name());
  respond.set_response("Received and noted.");
  ASSERT_TRUE(logic_->RespondToPetition(Officer(), respond).ok());
  v1::RejectPetitionRequest reject;
  reject.set_name(rejected.name());
  reject.set_reason("Duplicate");
  ASSERT_TRUE(logic_->RejectPetition(Officer(), reject).ok());

  struct Case {
    std::string label;
    auth::Principal who;
    int listed;
    bool contact;
  };
  const std::vector<Case> cases = {
      {"anonymous", auth::Principal::Anonymous(), 2, false},
      {"other tenant's officer reads as the public", Officer("other"), -1, false},
      {"member", Member(), 4, false},
      {"officer", Officer(), 4, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    v1::ListPetitionsRequest list;
    list.set_parent(kBoard);
    auto listed = logic_->ListPetitions(c.who, list);
    if (c.listed < 0) {
      EXPECT_EQ(Reason(listed.status()), "TENANT_MISMATCH");
      continue;
    }
    ASSERT_TRUE(listed.ok()) << listed.status();
    EXPECT_EQ(listed->petitions_size(), c.listed);
    for (const auto& p : listed->petitions()) {
      EXPECT_EQ(!p.lead_petitioner().email().empty(), c.contact);
      EXPECT_EQ(!p.lead_petitioner().postal_address().empty(), c.contact);
      EXPECT_EQ(p.lead_petitioner().display_name(), "Jo Public");
      if (c.listed == 2) {  // The public never sees why one was rejected.
        EXPECT_EQ(p.rejection_reason(), "");
        EXPECT_TRUE(p.status() == v1::PETITION_STATUS_ACCEPTED ||
                    p.status() == v1::PETITION_STATUS_RESPONDED);
      }
    }
    v1::GetPetitionRequest get;
    get.set_name(received.name());
    EXPECT_EQ(logic_->GetPetition(c.who, get).ok(), c.listed == 4);
  }
  // Pagination and the status filter.
  v1::ListPetitionsRequest page;
  page.set_parent(kBoard);
  page.set_page_size(3);
  auto first = logic_->ListPetitions(Officer(), page);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->petitions_size(), 3);
  ASSERT_FALSE(first->next_page_token().empty());
  page.set_page_token(first->next_page_token());
  auto second = logic_->ListPetitions(Officer(), page);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->petitions_size(), 1);
  v1::ListPetitionsRequest only;
  only.set_parent(kBoard);
  only.set_status(v1::PETITION_STATUS_REJECTED);
  auto rejected_public = logic_->ListPetitions(auth::Principal::Anonymous(), only);
  ASSERT_TRUE(rejected_public.ok());
  EXPECT_EQ(rejected_public->petitions_size(), 0);

  // Events: received and rejected private; accepted and responded public without contact.
  std::vector<std::pair<std::string, bool>> seen;
  for (const auto& e : Events()) {
    seen.emplace_back(e.type(), e.public_());
    v1::PetitionChanged payload;
    ASSERT_TRUE(e.payload().UnpackTo(&payload));
    EXPECT_EQ(payload.petition().lead_petitioner().email(), "");
    EXPECT_EQ(payload.body(), kBoard);
  }
  EXPECT_EQ(
      std::count(seen.begin(), seen.end(), std::make_pair(std::string("petition.received"), false)),
      4);
  EXPECT_EQ(
      std::count(seen.begin(), seen.end(), std::make_pair(std::string("petition.accepted"), true)),
      2);
  EXPECT_EQ(
      std::count(seen.begin(), seen.end(), std::make_pair(std::string("petition.responded"), true)),
      1);
  EXPECT_EQ(
      std::count(seen.begin(), seen.end(), std::make_pair(std::string("petition.rejected"), false)),
      1);
}

// Every petition RPC refuses another tenant's caller; the officer RPCs refuse other roles.
TEST_F(PetitionLogicTest, WrongTenantAndWrongRole) {
  const std::string name = Received().name();
  auth::Principal pcc{.tenant = "wm", .subject = "user:p", .roles = {auth::Role::kPccOffice}};
  struct Case {
    std::string rpc;
    std::function<absl::Status(const auth::Principal&)> call;
    bool officer_only;
  };
  const std::vector<Case> cases = {
      {"Submit",
       [&](const auth::Principal& p) { return logic_->SubmitPetition(p, Submit()).status(); },
       false},
      {"Get",
       [&](const auth::Principal& p) {
         v1::GetPetitionRequest r;
         r.set_name(name);
         return logic_->GetPetition(p, r).status();
       },
       false},
      {"List",
       [&](const auth::Principal& p) {
         v1::ListPetitionsRequest r;
         r.set_parent(kBoard);
         return logic_->ListPetitions(p, r).status();
       },
       false},
      {"Accept",
       [&](const auth::Principal& p) {
         v1::AcceptPetitionRequest r;
         r.set_name(name);
         return logic_->AcceptPetition(p, r).status();
       },
       true},
      {"Reject",
       [&](const auth::Principal& p) {
         v1::RejectPetitionRequest r;
         r.set_name(name);
         r.set_reason("Duplicate");
         return logic_->RejectPetition(p, r).status();
       },
       true},
      {"Respond",
       [&](const auth::Principal& p) {
         v1::RespondToPetitionRequest r;
         r.set_name(name);
         r.set_response("Noted");
         return logic_->RespondToPetition(p, r).status();
       },
       true},
  };
  // Refused before the input is looked at: a member's empty rejection is still a refusal.
  v1::RejectPetitionRequest empty;
  empty.set_name(name);
  EXPECT_EQ(logic_->RejectPetition(Member(), empty).status().code(),
            absl::StatusCode::kPermissionDenied);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.rpc);
    EXPECT_EQ(Reason(c.call(Officer("other"))), "TENANT_MISMATCH");
    if (c.officer_only) {
      EXPECT_EQ(c.call(pcc).code(), absl::StatusCode::kPermissionDenied);
      EXPECT_EQ(c.call(Member()).code(), absl::StatusCode::kPermissionDenied);
    }
  }
}

}  // namespace
}  // namespace moot::scheduling
