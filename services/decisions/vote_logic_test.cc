#include "services/decisions/vote_logic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "libs/api/request_log.h"
#include "libs/status/errors.h"
#include "libs/testing/test_database.h"
#include "services/decisions/audit_log.h"
#include "services/decisions/fake_scheduling_directory.h"
#include "services/decisions/vote_rules.h"

namespace moot::decisions {
namespace {

constexpr char kFeb[] = "tenants/wm/bodies/pcp/meetings/2024-02-05";
constexpr char kItem[] = "tenants/wm/bodies/pcp/meetings/2024-02-05/agendaItems/6";

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
std::string Person(int i) { return absl::StrCat("tenants/wm/people/m", i); }

// §9 item 5: required = ceil(2N/3), N = every member at the time.
TEST(VoteRulesTest, TwoThirdsOfMembers) {
  const std::vector<std::pair<int, int>> cases = {{16, 11}, {15, 10}, {14, 10}, {13, 9},
                                                  {12, 8},  {10, 7},  {9, 6},   {3, 2},
                                                  {2, 2},   {1, 1},   {0, 0}};
  for (const auto& [n, required] : cases) {
    EXPECT_EQ(TwoThirdsRequired(n), required) << "N=" << n;
  }
}

TEST(VoteRulesTest, OutcomesAreComputed) {
  struct Case {
    v1::MajorityRule rule;
    int members, votes_for, against, abstain, absent;
    bool casting;
    v1::BallotChoice casting_vote;
    v1::VoteOutcome outcome;
    int required;
  };
  using R = v1::MajorityRule;
  const auto C = v1::VOTE_OUTCOME_CARRIED;
  const auto L = v1::VOTE_OUTCOME_LOST;
  const auto none = v1::BALLOT_CHOICE_UNSPECIFIED;
  const std::vector<Case> cases = {
      {R::MAJORITY_RULE_SIMPLE, 16, 8, 7, 1, 0, false, none, C, 8},
      {R::MAJORITY_RULE_SIMPLE, 16, 7, 8, 0, 1, false, none, L, 9},
      {R::MAJORITY_RULE_SIMPLE, 16, 6, 6, 4, 0, false, none, L, 7},
      {R::MAJORITY_RULE_SIMPLE, 16, 6, 6, 4, 0, true, v1::BALLOT_CHOICE_FOR, C, 7},
      {R::MAJORITY_RULE_SIMPLE, 16, 6, 6, 4, 0, true, v1::BALLOT_CHOICE_AGAINST, L, 7},
      // Abstentions are not votes cast.
      {R::MAJORITY_RULE_SIMPLE, 16, 2, 1, 13, 0, false, none, C, 2},
      // The veto: 11 of 16 members, whoever is present.
      {R::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS, 16, 11, 0, 0, 5, false, none, C, 11},
      {R::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS, 16, 10, 0, 0, 6, false, none, L, 11},
      {R::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS, 15, 10, 5, 0, 0, false, none, C, 10},
      {R::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS, 14, 9, 1, 0, 4, false, none, L, 10},
      {R::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS, 12, 8, 4, 0, 0, false, none, C, 8},
      {R::MAJORITY_RULE_UNANIMOUS, 12, 10, 0, 0, 2, false, none, C, 10},
      {R::MAJORITY_RULE_UNANIMOUS, 12, 10, 0, 1, 1, false, none, L, 11},
      {R::MAJORITY_RULE_UNANIMOUS, 12, 10, 1, 0, 1, false, none, L, 11},
  };
  for (const auto& c : cases) {
    v1::Vote vote;
    vote.set_rule(c.rule);
    vote.set_member_count(c.members);
    vote.set_chair_casting_vote(c.casting);
    vote.set_casting_vote(c.casting_vote);
    int p = 0;
    for (auto [n, choice] : {std::pair{c.votes_for, v1::BALLOT_CHOICE_FOR},
                             std::pair{c.against, v1::BALLOT_CHOICE_AGAINST},
                             std::pair{c.abstain, v1::BALLOT_CHOICE_ABSTAIN},
                             std::pair{c.absent, v1::BALLOT_CHOICE_ABSENT}}) {
      for (int i = 0; i < n; ++i) {
        auto* b = vote.add_ballots();
        b->set_person(Person(p++));
        b->set_choice(choice);
      }
    }
    ASSERT_TRUE(ComputeOutcome(vote).ok());
    EXPECT_EQ(vote.outcome(), c.outcome) << vote.outcome_reason();
    EXPECT_EQ(vote.required(), c.required) << vote.outcome_reason();
    EXPECT_EQ(vote.votes_for(), c.votes_for);
    EXPECT_EQ(vote.absent(), c.absent);
    EXPECT_EQ(vote.decided_by_casting_vote(), c.casting && c.votes_for == c.against);
  }
  // A tie with a casting vote option but no casting vote given.
  v1::Vote tie;
  tie.set_rule(v1::MAJORITY_RULE_SIMPLE);
  tie.set_chair_casting_vote(true);
  tie.add_ballots()->set_choice(v1::BALLOT_CHOICE_FOR);
  tie.add_ballots()->set_choice(v1::BALLOT_CHOICE_AGAINST);
  EXPECT_EQ(Field(ComputeOutcome(tie)), "vote.casting_vote");
}

class VoteLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = moot::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    logic_ = std::make_unique<VoteLogic>(*db_, outbox_, clock_, ids_, tokens_, directory_);
    ASSERT_TRUE(logic_->Migrate().ok());
    ASSERT_TRUE(db_->Migrate("audit", AuditLog::Migrations()).ok());
    ASSERT_TRUE(db_->Migrate("request_log", api::RequestLog::Migrations()).ok());
    ASSERT_TRUE(events::Outbox::Migrate(*db_).ok());
    // 16 members; m13 has an interest without dispensation, m14 and m15 are not present.
    scheduling::v1::ListEligibleVotersResponse voters;
    for (int i = 0; i < 16; ++i) {
      auto* m = voters.add_members();
      m->set_person(Person(i));
      m->set_eligible(i < 13);
      m->set_reason(i == 13 ? "INTEREST_WITHOUT_DISPENSATION" : i > 13 ? "NOT_PRESENT" : "");
    }
    voters.set_member_count(16);
    voters.set_eligible_count(13);
    voters.set_quorum(6);
    voters.set_quorate(true);
    directory_.SetVoters(voters);
  }

  // A veto vote: `votes_for` of the eligible members for, the rest of them against, the three
  // who may not vote recorded ABSENT.
  static v1::RecordVoteRequest Veto(int votes_for, const std::string& id = "precept-veto") {
    v1::RecordVoteRequest request;
    request.set_parent(kFeb);
    request.set_vote_id(id);
    auto* vote = request.mutable_vote();
    vote->set_agenda_item(kItem);
    vote->set_motion("That the Panel vetoes the proposed precept.");
    vote->set_rule(v1::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS);
    for (int i = 0; i < 16; ++i) {
      auto* b = vote->add_ballots();
      b->set_person(Person(i));
      b->set_choice(i >= 13         ? v1::BALLOT_CHOICE_ABSENT
                    : i < votes_for ? v1::BALLOT_CHOICE_FOR
                                    : v1::BALLOT_CHOICE_AGAINST);
    }
    return request;
  }

  std::unique_ptr<sql::Database> db_;
  time::FakeClock clock_{absl::FromUnixSeconds(1707148800)};
  ids::SequentialIdGenerator ids_{"ev"};
  api::PageTokens tokens_{"test-secret"};
  events::Outbox outbox_;
  FakeSchedulingDirectory directory_;
  std::unique_ptr<VoteLogic> logic_;
};

TEST_F(VoteLogicTest, TheVetoNeedsTwoThirdsOfAllMembers) {
  // 11 of 16: carried even though only 13 could vote.
  auto carried = logic_->RecordVote(Officer(), Veto(11));
  ASSERT_TRUE(carried.ok()) << carried.status();
  EXPECT_EQ(carried->outcome(), v1::VOTE_OUTCOME_CARRIED);
  EXPECT_EQ(carried->member_count(), 16);
  EXPECT_EQ(carried->required(), 11);
  EXPECT_EQ(carried->votes_for(), 11);
  EXPECT_EQ(carried->absent(), 3);
  EXPECT_EQ(carried->name(), absl::StrCat(kFeb, "/votes/precept-veto"));
  auto lost = logic_->RecordVote(Officer(), Veto(10, "second-veto"));
  ASSERT_TRUE(lost.ok());
  EXPECT_EQ(lost->outcome(), v1::VOTE_OUTCOME_LOST);
  EXPECT_EQ(lost->outcome_reason(), "10 for of 16 members; 11 required");

  // The budget service reads it back by name, anonymously too.
  v1::GetVoteRequest get;
  get.set_name(carried->name());
  auto read = logic_->GetVote(auth::Principal::Anonymous(), get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->rule(), v1::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS);
  EXPECT_EQ(read->outcome(), v1::VOTE_OUTCOME_CARRIED);

  // Every member needs a ballot for a veto.
  auto partial = Veto(11, "partial");
  partial.mutable_vote()->mutable_ballots()->RemoveLast();
  EXPECT_EQ(Field(logic_->RecordVote(Officer(), partial).status()), "vote.ballots");
}

TEST_F(VoteLogicTest, IneligibleBallotsAreRefusedWithTheReason) {
  auto interested = Veto(11);
  interested.mutable_vote()->mutable_ballots(13)->set_choice(v1::BALLOT_CHOICE_FOR);
  auto refused = logic_->RecordVote(Officer(), interested);
  EXPECT_EQ(Reason(refused.status()), "VOTER_NOT_ELIGIBLE");
  EXPECT_THAT(std::string(refused.status().message()),
              ::testing::HasSubstr("INTEREST_WITHOUT_DISPENSATION"));
  EXPECT_EQ(status::Details(refused.status()).metadata.at("eligibility_reason"),
            "INTEREST_WITHOUT_DISPENSATION");
  auto stranger = Veto(11);
  stranger.mutable_vote()->mutable_ballots(0)->set_person("tenants/wm/people/visitor");
  EXPECT_EQ(status::Details(logic_->RecordVote(Officer(), stranger).status())
                .metadata.at("eligibility_reason"),
            "NOT_A_MEMBER");
}

TEST_F(VoteLogicTest, QuorumIsChecked) {
  scheduling::v1::ListEligibleVotersResponse voters;
  auto* m = voters.add_members();
  m->set_person(Person(0));
  m->set_eligible(true);
  voters.set_member_count(16);
  voters.set_quorum(6);
  voters.set_quorate(false);
  directory_.SetVoters(voters);
  v1::RecordVoteRequest request;
  request.set_parent(kFeb);
  request.set_vote_id("simple");
  request.mutable_vote()->set_agenda_item(kItem);
  request.mutable_vote()->set_motion("That the report be noted.");
  request.mutable_vote()->set_rule(v1::MAJORITY_RULE_SIMPLE);
  auto* b = request.mutable_vote()->add_ballots();
  b->set_person(Person(0));
  b->set_choice(v1::BALLOT_CHOICE_FOR);
  EXPECT_EQ(Reason(logic_->RecordVote(Officer(), request).status()), "QUORUM_NOT_MET");
  voters.set_quorum(0);  // No quorum set: nothing to check.
  directory_.SetVoters(voters);
  auto ok = logic_->RecordVote(Officer(), request);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->outcome(), v1::VOTE_OUTCOME_CARRIED);
}

TEST_F(VoteLogicTest, BadInputNamesTheField) {
  struct Case {
    std::function<void(v1::RecordVoteRequest&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](auto& r) { r.set_vote_id("Bad Id"); }, "vote_id"},
      {[](auto& r) { r.mutable_vote()->set_agenda_item("x"); }, "vote.agenda_item"},
      {[](auto& r) {
         r.mutable_vote()->set_agenda_item(
             "tenants/wm/bodies/pcp/meetings/2023-11-13/agendaItems/6");
       },
       "vote.agenda_item"},
      {[](auto& r) { r.mutable_vote()->clear_motion(); }, "vote.motion"},
      {[](auto& r) { r.mutable_vote()->set_rule(v1::MAJORITY_RULE_UNSPECIFIED); }, "vote.rule"},
      {[](auto& r) { r.mutable_vote()->set_chair_casting_vote(true); }, "vote.chair_casting_vote"},
      {[](auto& r) { r.mutable_vote()->clear_ballots(); }, "vote.ballots"},
      {[](auto& r) { r.mutable_vote()->mutable_ballots(1)->set_person(Person(0)); },
       "vote.ballots[1].person"},
      {[](auto& r) {
         r.mutable_vote()->mutable_ballots(2)->set_choice(v1::BALLOT_CHOICE_UNSPECIFIED);
       },
       "vote.ballots[2].choice"},
      {[](auto& r) { r.mutable_vote()->mutable_ballots(0)->set_person("tenants/ny/people/x"); },
       "vote.ballots[0].person"},
  };
  for (const auto& c : cases) {
    auto request = Veto(11);
    c.mutate(request);
    auto result = logic_->RecordVote(Officer(), request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(Field(result.status()), c.field);
  }
}

TEST_F(VoteLogicTest, AccessEventsAndIdempotency) {
  auto request = Veto(11);
  EXPECT_EQ(Reason(logic_->RecordVote(Officer("ny"), request).status()), "TENANT_MISMATCH");
  EXPECT_EQ(Reason(logic_->RecordVote(Member(), request).status()), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(logic_->RecordVote(auth::Principal::Anonymous(), request).status().code(),
            absl::StatusCode::kUnauthenticated);
  request.set_request_id("r1");
  auto first = logic_->RecordVote(Officer(), request);
  ASSERT_TRUE(first.ok());
  auto again = logic_->RecordVote(Officer(), request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  request.clear_request_id();
  EXPECT_EQ(logic_->RecordVote(Officer(), request).status().code(),
            absl::StatusCode::kAlreadyExists);

  v1::GetVoteRequest get;
  get.set_name(first->name());
  EXPECT_EQ(Reason(logic_->GetVote(Officer("ny"), get).status()), "TENANT_MISMATCH");
  EXPECT_TRUE(logic_->GetVote(Member(), get).ok());
  v1::ListVotesRequest list;
  list.set_parent(kFeb);
  EXPECT_EQ(Reason(logic_->ListVotes(Officer("ny"), list).status()), "TENANT_MISMATCH");
  auto listed = logic_->ListVotes(auth::Principal::Anonymous(), list);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->votes_size(), 1);

  int events = 0;
  ASSERT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                   auto r = c.Execute("SELECT type FROM outbox");
                   for (const auto& row : r->rows) {
                     EXPECT_EQ(row.String(0), "vote.recorded");
                     ++events;
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(events, 1);
}

}  // namespace
}  // namespace moot::decisions
