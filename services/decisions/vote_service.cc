#include "services/decisions/vote_service.h"

#include "libs/rpc/unary.h"
#include "services/decisions/grpc_scheduling_directory.h"

namespace moot::decisions {

grpc::Status VoteService::RecordVote(grpc::ServerContext* context,
                                     const v1::RecordVoteRequest* request, v1::Vote* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.RecordVote(p, *request); });
}

grpc::Status VoteService::GetVote(grpc::ServerContext* context, const v1::GetVoteRequest* request,
                                  v1::Vote* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetVote(p, *request); });
}

grpc::Status VoteService::ListVotes(grpc::ServerContext* context,
                                    const v1::ListVotesRequest* request,
                                    v1::ListVotesResponse* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListVotes(p, *request); });
}

}  // namespace moot::decisions
