// gRPC adapter of moot.decisions.v1.DecisionService over KeyDecisionLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/decisions/v1/decisions.grpc.pb.h"
#include "services/decisions/key_decision_logic.h"

namespace moot::decisions {

class DecisionService final : public v1::DecisionService::Service {
 public:
  DecisionService(KeyDecisionLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  grpc::Status CreateKeyDecision(grpc::ServerContext* context,
                                 const v1::CreateKeyDecisionRequest* request,
                                 v1::KeyDecision* response) override;
  grpc::Status GetKeyDecision(grpc::ServerContext* context,
                              const v1::GetKeyDecisionRequest* request,
                              v1::KeyDecision* response) override;
  grpc::Status ListKeyDecisions(grpc::ServerContext* context,
                                const v1::ListKeyDecisionsRequest* request,
                                v1::ListKeyDecisionsResponse* response) override;
  grpc::Status ListMeetingKeyDecisions(grpc::ServerContext* context,
                                       const v1::ListMeetingKeyDecisionsRequest* request,
                                       v1::MeetingKeyDecisions* response) override;
  grpc::Status SetMeetingKeyDecisionSelection(
      grpc::ServerContext* context, const v1::SetMeetingKeyDecisionSelectionRequest* request,
      v1::MeetingKeyDecisions* response) override;

 private:
  KeyDecisionLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::decisions
