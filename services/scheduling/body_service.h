// gRPC adapter of moot.scheduling.v1.BodyService over SchedulingLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {

class BodyService final : public v1::BodyService::Service {
 public:
  BodyService(SchedulingLogic& logic, const auth::ServerAuth& auth) : logic_(logic), auth_(auth) {}

  grpc::Status CreateBody(grpc::ServerContext* context, const v1::CreateBodyRequest* request,
                          v1::Body* response) override;
  grpc::Status GetBody(grpc::ServerContext* context, const v1::GetBodyRequest* request,
                       v1::Body* response) override;
  grpc::Status ListBodies(grpc::ServerContext* context, const v1::ListBodiesRequest* request,
                          v1::ListBodiesResponse* response) override;
  grpc::Status UpdateBody(grpc::ServerContext* context, const v1::UpdateBodyRequest* request,
                          v1::Body* response) override;
  grpc::Status CheckSubGroup(grpc::ServerContext* context, const v1::CheckSubGroupRequest* request,
                             v1::SubGroupCheck* response) override;

 private:
  SchedulingLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::scheduling
