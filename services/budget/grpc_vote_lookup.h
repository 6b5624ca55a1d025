// The production VoteLookup: reads a vote from the decisions register (moot.decisions.v1.
// VoteService.GetVote) over gRPC. Votes are public records, so no credentials are forwarded.
#pragma once

#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "libs/tracing/tracer.h"
#include "moot/decisions/v1/votes.grpc.pb.h"
#include "services/budget/vote_lookup.h"

namespace moot::budget {

class GrpcVoteLookup final : public VoteLookup {
 public:
  // `address` of the decisions service, e.g. "127.0.0.1:50063"; `tracer` may be null.
  GrpcVoteLookup(const std::string& address, tracing::Tracer* tracer);

  // NOT_FOUND when the register has no such vote; UNAVAILABLE (retryable) when it cannot be
  // reached; the register's rule, outcome, counts, membership and time otherwise.
  absl::StatusOr<VoteRecord> GetVote(const auth::Principal& caller,
                                     const std::string& name) const override;

  // The register's vote as a VoteRecord (pure; tested without a server).
  static VoteRecord FromVote(const decisions::v1::Vote& vote);

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<decisions::v1::VoteService::Stub> stub_;
};

}  // namespace moot::budget
