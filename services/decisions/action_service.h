// gRPC adapter of moot.decisions.v1.ActionService over ActionLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/decisions/v1/actions.grpc.pb.h"
#include "services/decisions/action_logic.h"

namespace moot::decisions {

class ActionService final : public v1::ActionService::Service {
 public:
  ActionService(ActionLogic& logic, const auth::ServerAuth& auth) : logic_(logic), auth_(auth) {}

  grpc::Status CreateAction(grpc::ServerContext* context, const v1::CreateActionRequest* request,
                            v1::Action* response) override;
  grpc::Status GetAction(grpc::ServerContext* context, const v1::GetActionRequest* request,
                         v1::Action* response) override;
  grpc::Status ListActions(grpc::ServerContext* context, const v1::ListActionsRequest* request,
                           v1::ListActionsResponse* response) override;
  grpc::Status UpdateAction(grpc::ServerContext* context, const v1::UpdateActionRequest* request,
                            v1::Action* response) override;
  grpc::Status CompleteAction(grpc::ServerContext* context,
                              const v1::CompleteActionRequest* request,
                              v1::Action* response) override;
  grpc::Status TrackerReport(grpc::ServerContext* context, const v1::TrackerReportRequest* request,
                             v1::ActionTrackerReport* response) override;

 private:
  ActionLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::decisions
