#include "services/budget/plan_service.h"

#include "libs/rpc/unary.h"

namespace moot::budget {

grpc::Status PlanService::CreatePlan(grpc::ServerContext* context,
                                     const v1::CreatePlanRequest* request, v1::Plan* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreatePlan(p, *request); });
}

grpc::Status PlanService::GetPlan(grpc::ServerContext* context, const v1::GetPlanRequest* request,
                                  v1::Plan* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetPlan(p, *request); });
}

grpc::Status PlanService::ListPlans(grpc::ServerContext* context,
                                    const v1::ListPlansRequest* request,
                                    v1::ListPlansResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListPlans(p, *request); });
}

grpc::Status PlanService::GetPlanCharts(grpc::ServerContext* context,
                                        const v1::GetPlanChartsRequest* request,
                                        v1::Charts* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetPlanCharts(p, *request); });
}

}  // namespace moot::budget
