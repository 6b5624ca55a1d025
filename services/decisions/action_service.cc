#include "services/decisions/action_service.h"

#include "libs/rpc/unary.h"
#include "services/decisions/grpc_scheduling_directory.h"

namespace moot::decisions {

grpc::Status ActionService::CreateAction(grpc::ServerContext* context,
                                         const v1::CreateActionRequest* request,
                                         v1::Action* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreateAction(p, *request); });
}

grpc::Status ActionService::GetAction(grpc::ServerContext* context,
                                      const v1::GetActionRequest* request, v1::Action* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetAction(p, *request); });
}

grpc::Status ActionService::ListActions(grpc::ServerContext* context,
                                        const v1::ListActionsRequest* request,
                                        v1::ListActionsResponse* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListActions(p, *request); });
}

grpc::Status ActionService::UpdateAction(grpc::ServerContext* context,
                                         const v1::UpdateActionRequest* request,
                                         v1::Action* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.UpdateAction(p, *request); });
}

grpc::Status ActionService::CompleteAction(grpc::ServerContext* context,
                                           const v1::CompleteActionRequest* request,
                                           v1::Action* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CompleteAction(p, *request); });
}

grpc::Status ActionService::TrackerReport(grpc::ServerContext* context,
                                          const v1::TrackerReportRequest* request,
                                          v1::ActionTrackerReport* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.TrackerReport(p, *request); });
}

}  // namespace moot::decisions
