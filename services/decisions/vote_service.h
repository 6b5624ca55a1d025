// gRPC adapter of moot.decisions.v1.VoteService over VoteLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/decisions/v1/votes.grpc.pb.h"
#include "services/decisions/vote_logic.h"

namespace moot::decisions {

class VoteService final : public v1::VoteService::Service {
 public:
  VoteService(VoteLogic& logic, const auth::ServerAuth& auth) : logic_(logic), auth_(auth) {}

  grpc::Status RecordVote(grpc::ServerContext* context, const v1::RecordVoteRequest* request,
                          v1::Vote* response) override;
  grpc::Status GetVote(grpc::ServerContext* context, const v1::GetVoteRequest* request,
                       v1::Vote* response) override;
  grpc::Status ListVotes(grpc::ServerContext* context, const v1::ListVotesRequest* request,
                         v1::ListVotesResponse* response) override;

 private:
  VoteLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::decisions
