#include "services/budget/grpc_vote_lookup.h"

#include <vector>

#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "libs/status/grpc_status.h"
#include "libs/tracing/grpc_interceptors.h"

namespace moot::budget {

GrpcVoteLookup::GrpcVoteLookup(const std::string& address, tracing::Tracer* tracer) {
  grpc::ChannelArguments args;
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> factories;
  if (tracer != nullptr) {
    factories.push_back(std::make_unique<tracing::TracingClientInterceptorFactory>(*tracer));
  }
  channel_ = grpc::experimental::CreateCustomChannelWithInterceptors(
      address, grpc::InsecureChannelCredentials(), args, std::move(factories));
  stub_ = decisions::v1::VoteService::NewStub(channel_);
}

VoteRecord GrpcVoteLookup::FromVote(const decisions::v1::Vote& vote) {
  VoteRecord record;
  record.name = vote.name();
  switch (vote.rule()) {
    case decisions::v1::MAJORITY_RULE_TWO_THIRDS_OF_MEMBERS:
      record.rule = VoteRule::kTwoThirdsOfMembers;
      break;
    case decisions::v1::MAJORITY_RULE_SIMPLE:
      record.rule = VoteRule::kSimpleMajority;
      break;
    default:
      record.rule = VoteRule::kUnspecified;
  }
  record.carried = vote.outcome() == decisions::v1::VOTE_OUTCOME_CARRIED;
  record.votes_for = vote.votes_for();
  record.votes_against = vote.votes_against();
  record.member_count = vote.member_count();
  record.decided_at = absl::FromUnixMicros(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(vote.vote_time()));
  return record;
}

absl::StatusOr<VoteRecord> GrpcVoteLookup::GetVote(const auth::Principal& /*caller*/,
                                                   const std::string& name) const {
  decisions::v1::GetVoteRequest request;
  request.set_name(name);
  decisions::v1::Vote vote;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  grpc::Status status = stub_->GetVote(&context, request, &vote);
  if (!status.ok()) {
    return status::FromGrpcStatus(status);
  }
  return FromVote(vote);
}

}  // namespace moot::budget
