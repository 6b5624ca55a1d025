#include "services/budget/grpc_vote_lookup.h"

#include <gtest/gtest.h>

#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "libs/status/errors.h"
#include "services/budget/precept_cycle.h"

namespace moot::budget {
namespace {

namespace dec = moot::decisions::v1;

constexpr char kVote[] = "tenants/wm/bodies/pcp/meetings/2024-02-05/votes/precept-veto";

dec::Vote Veto(int votes_for, dec::VoteOutcome outcome) {
  dec::Vote v;
  v.set_name(kVote);
  v.set_rule(dec::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS);
  v.set_votes_for(votes_for);
  v.set_votes_against(16 - votes_for);
  v.set_member_count(16);
  v.set_outcome(outcome);
  *v.mutable_vote_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1707141600);
  return v;
}

// The decisions register, in process.
class FakeVotes final : public dec::VoteService::Service {
 public:
  grpc::Status GetVote(grpc::ServerContext*, const dec::GetVoteRequest* request,
                       dec::Vote* response) override {
    if (request->name() != kVote) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, request->name() + " not found");
    }
    *response = Veto(11, dec::VOTE_OUTCOME_CARRIED);
    return grpc::Status::OK;
  }
};

TEST(GrpcVoteLookupTest, MapsTheRegistersVote) {
  struct Case {
    dec::MajorityRule rule;
    dec::VoteOutcome outcome;
    VoteRule expected_rule;
    bool carried;
  };
  const Case cases[] = {
      {dec::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS, dec::VOTE_OUTCOME_CARRIED,
       VoteRule::kTwoThirdsOfMembers, true},
      {dec::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS, dec::VOTE_OUTCOME_LOST,
       VoteRule::kTwoThirdsOfMembers, false},
      {dec::MAJORITY_RULE_SIMPLE, dec::VOTE_OUTCOME_CARRIED, VoteRule::kSimpleMajority, true},
      {dec::MAJORITY_RULE_UNANIMOUS, dec::VOTE_OUTCOME_CARRIED, VoteRule::kUnspecified, true},
  };
  for (const Case& c : cases) {
    dec::Vote v = Veto(11, c.outcome);
    v.set_rule(c.rule);
    const VoteRecord r = GrpcVoteLookup::FromVote(v);
    EXPECT_EQ(r.rule, c.expected_rule);
    EXPECT_EQ(r.carried, c.carried);
    EXPECT_EQ(r.votes_for, 11);
    EXPECT_EQ(r.votes_against, 5);
    EXPECT_EQ(r.member_count, 16);
    EXPECT_EQ(absl::ToUnixSeconds(r.decided_at), 1707141600);
  }
}

TEST(GrpcVoteLookupTest, AsksTheRegisterOverGrpc) {
  FakeVotes fake;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&fake);
  auto server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  GrpcVoteLookup lookup("127.0.0.1:" + std::to_string(port), nullptr);
  const auth::Principal officer{.tenant = "wm", .subject = "u", .roles = {auth::Role::kOfficer}};
  auto vote = lookup.GetVote(officer, kVote);
  ASSERT_TRUE(vote.ok()) << vote.status();
  EXPECT_EQ(vote->rule, VoteRule::kTwoThirdsOfMembers);
  EXPECT_TRUE(vote->carried);
  EXPECT_EQ(vote->member_count, 16);
  // The register's vote satisfies the veto guard.
  v1::Precept p;
  p.set_name("tenants/wm/precepts/2024-25");
  p.set_year("2024-25");
  p.set_state(v1::PRECEPT_STATE_PROPOSED);
  p.set_proposed_band_d_pence(21755);
  v1::PanelReport report;
  report.set_outcome(v1::PANEL_OUTCOME_VETOED_TOO_HIGH);
  report.set_vote(kVote);
  report.mutable_report_time()->set_seconds(1707141600);
  auto vetoed = RecordReport(p, report, vote, absl::FromUnixSeconds(1708000000));
  ASSERT_TRUE(vetoed.ok()) << vetoed.status();
  EXPECT_TRUE(*vetoed);
  // Unknown votes are NOT_FOUND; an unreachable register is UNAVAILABLE (never trusted).
  EXPECT_EQ(lookup.GetVote(officer, "tenants/wm/bodies/pcp/meetings/x/votes/y").status().code(),
            absl::StatusCode::kNotFound);
  server->Shutdown();
  GrpcVoteLookup nowhere("127.0.0.1:1", nullptr);
  EXPECT_EQ(nowhere.GetVote(officer, kVote).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace moot::budget
