// gRPC adapter of moot.budget.v1.ScenarioService over ScenarioLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/budget/v1/budget.grpc.pb.h"
#include "services/budget/scenario_logic.h"

namespace moot::budget {

class ScenarioService final : public v1::ScenarioService::Service {
 public:
  ScenarioService(ScenarioLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  grpc::Status CreateScenario(grpc::ServerContext* context,
                              const v1::CreateScenarioRequest* request,
                              v1::Scenario* response) override;
  grpc::Status GetScenario(grpc::ServerContext* context, const v1::GetScenarioRequest* request,
                           v1::Scenario* response) override;
  grpc::Status ListScenarios(grpc::ServerContext* context, const v1::ListScenariosRequest* request,
                             v1::ListScenariosResponse* response) override;
  grpc::Status CompareScenarios(grpc::ServerContext* context,
                                const v1::CompareScenariosRequest* request,
                                v1::CompareScenariosResponse* response) override;

 private:
  ScenarioLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::budget
