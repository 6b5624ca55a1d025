#include "services/budget/scenario_service.h"

#include "libs/rpc/unary.h"

namespace moot::budget {

grpc::Status ScenarioService::CreateScenario(grpc::ServerContext* context,
                                             const v1::CreateScenarioRequest* request,
                                             v1::Scenario* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreateScenario(p, *request); });
}

grpc::Status ScenarioService::GetScenario(grpc::ServerContext* context,
                                          const v1::GetScenarioRequest* request,
                                          v1::Scenario* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetScenario(p, *request); });
}

grpc::Status ScenarioService::ListScenarios(grpc::ServerContext* context,
                                            const v1::ListScenariosRequest* request,
                                            v1::ListScenariosResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListScenarios(p, *request); });
}

grpc::Status ScenarioService::CompareScenarios(grpc::ServerContext* context,
                                               const v1::CompareScenariosRequest* request,
                                               v1::CompareScenariosResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CompareScenarios(p, *request); });
}

}  // namespace moot::budget
