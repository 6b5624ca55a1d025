// gRPC adapter of moot.budget.v1.PreceptService over PreceptLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/budget/v1/budget.grpc.pb.h"
#include "services/budget/precept_logic.h"

namespace moot::budget {

class PreceptService final : public v1::PreceptService::Service {
 public:
  PreceptService(PreceptLogic& logic, const auth::ServerAuth& auth) : logic_(logic), auth_(auth) {}

  grpc::Status CreatePrecept(grpc::ServerContext* context, const v1::CreatePreceptRequest* request,
                             v1::Precept* response) override;
  grpc::Status GetPrecept(grpc::ServerContext* context, const v1::GetPreceptRequest* request,
                          v1::Precept* response) override;
  grpc::Status ListPrecepts(grpc::ServerContext* context, const v1::ListPreceptsRequest* request,
                            v1::ListPreceptsResponse* response) override;

 private:
  PreceptLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::budget
