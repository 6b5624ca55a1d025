// gRPC adapter of moot.decisions.v1.DecisionService over KeyDecisionLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/decisions/v1/decisions.grpc.pb.h"
#include "services/decisions/access_request_logic.h"
#include "services/decisions/key_decision_logic.h"

namespace moot::decisions {

class DecisionService final : public v1::DecisionService::Service {
 public:
  DecisionService(KeyDecisionLogic& logic, AccessRequestLogic& access, const auth::ServerAuth& auth)
      : logic_(logic), access_(access), auth_(auth) {}

  grpc::Status CreateKeyDecision(grpc::ServerContext* context,
                                 const v1::CreateKeyDecisionRequest* request,
                                 v1::KeyDecision* response) override;
  grpc::Status GetKeyDecision(grpc::ServerContext* context,
                              const v1::GetKeyDecisionRequest* request,
                              v1::KeyDecision* response) override;
  grpc::Status ListKeyDecisions(grpc::ServerContext* context,
                                const v1::ListKeyDecisionsRequest* request,
                                v1::ListKeyDecisionsResponse* response) override;
  grpc::Status MarkPreceptDecision(grpc::ServerContext* context,
                                   const v1::MarkPreceptDecisionRequest* request,
                                   v1::KeyDecision* response) override;
  grpc::Status ListMeetingKeyDecisions(grpc::ServerContext* context,
                                       const v1::ListMeetingKeyDecisionsRequest* request,
                                       v1::MeetingKeyDecisions* response) override;
  grpc::Status SetMeetingKeyDecisionSelection(
      grpc::ServerContext* context, const v1::SetMeetingKeyDecisionSelectionRequest* request,
      v1::MeetingKeyDecisions* response) override;
  grpc::Status CreateAccessRequest(grpc::ServerContext* context,
                                   const v1::CreateAccessRequestRequest* request,
                                   v1::AccessRequest* response) override;
  grpc::Status DecideAccessRequest(grpc::ServerContext* context,
                                   const v1::DecideAccessRequestRequest* request,
                                   v1::AccessRequest* response) override;
  grpc::Status ListAccessRequests(grpc::ServerContext* context,
                                  const v1::ListAccessRequestsRequest* request,
                                  v1::ListAccessRequestsResponse* response) override;

 private:
  KeyDecisionLogic& logic_;
  AccessRequestLogic& access_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::decisions
