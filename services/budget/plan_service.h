// gRPC adapter of moot.budget.v1.PlanService over PlanLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/budget/v1/budget.grpc.pb.h"
#include "services/budget/plan_logic.h"

namespace moot::budget {

class PlanService final : public v1::PlanService::Service {
 public:
  PlanService(PlanLogic& logic, const auth::ServerAuth& auth) : logic_(logic), auth_(auth) {}

  grpc::Status CreatePlan(grpc::ServerContext* context, const v1::CreatePlanRequest* request,
                          v1::Plan* response) override;
  grpc::Status GetPlan(grpc::ServerContext* context, const v1::GetPlanRequest* request,
                       v1::Plan* response) override;
  grpc::Status ListPlans(grpc::ServerContext* context, const v1::ListPlansRequest* request,
                         v1::ListPlansResponse* response) override;
  grpc::Status GetPlanCharts(grpc::ServerContext* context, const v1::GetPlanChartsRequest* request,
                             v1::Charts* response) override;

 private:
  PlanLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::budget
