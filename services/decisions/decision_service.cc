#include "services/decisions/decision_service.h"

#include "libs/rpc/unary.h"
#include "services/decisions/grpc_scheduling_directory.h"

namespace moot::decisions {

grpc::Status DecisionService::CreateKeyDecision(grpc::ServerContext* context,
                                                const v1::CreateKeyDecisionRequest* request,
                                                v1::KeyDecision* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.CreateKeyDecision(p, *request);
  });
}

grpc::Status DecisionService::GetKeyDecision(grpc::ServerContext* context,
                                             const v1::GetKeyDecisionRequest* request,
                                             v1::KeyDecision* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetKeyDecision(p, *request); });
}

grpc::Status DecisionService::ListKeyDecisions(grpc::ServerContext* context,
                                               const v1::ListKeyDecisionsRequest* request,
                                               v1::ListKeyDecisionsResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListKeyDecisions(p, *request); });
}

grpc::Status DecisionService::MarkPreceptDecision(grpc::ServerContext* context,
                                                  const v1::MarkPreceptDecisionRequest* request,
                                                  v1::KeyDecision* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.MarkPreceptDecision(p, *request);
  });
}

grpc::Status DecisionService::ListMeetingKeyDecisions(
    grpc::ServerContext* context, const v1::ListMeetingKeyDecisionsRequest* request,
    v1::MeetingKeyDecisions* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.ListMeetingKeyDecisions(p, *request);
  });
}

grpc::Status DecisionService::SetMeetingKeyDecisionSelection(
    grpc::ServerContext* context, const v1::SetMeetingKeyDecisionSelectionRequest* request,
    v1::MeetingKeyDecisions* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.SetMeetingKeyDecisionSelection(p, *request);
  });
}

grpc::Status DecisionService::CreateAccessRequest(grpc::ServerContext* context,
                                                  const v1::CreateAccessRequestRequest* request,
                                                  v1::AccessRequest* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return access_.CreateAccessRequest(p, *request);
  });
}

grpc::Status DecisionService::DecideAccessRequest(grpc::ServerContext* context,
                                                  const v1::DecideAccessRequestRequest* request,
                                                  v1::AccessRequest* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return access_.DecideAccessRequest(p, *request);
  });
}

grpc::Status DecisionService::ListAccessRequests(grpc::ServerContext* context,
                                                 const v1::ListAccessRequestsRequest* request,
                                                 v1::ListAccessRequestsResponse* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return access_.ListAccessRequests(p, *request);
  });
}

}  // namespace moot::decisions
