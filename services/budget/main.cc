// budget: precept years, scenarios and medium-term plans (moot.budget.v1).
#include <iostream>

#include "libs/config/config.h"
#include "libs/rpc/server_runner.h"
#include "libs/service/service_host.h"
#include "services/budget/plan_logic.h"
#include "services/budget/plan_service.h"
#include "services/budget/precept_logic.h"
#include "services/budget/precept_service.h"
#include "services/budget/scenario_logic.h"
#include "services/budget/scenario_service.h"
#include "services/budget/vote_lookup.h"

extern char** environ;

int main(int argc, char** argv) {
  auto wait_for_signal = moot::rpc::InstallShutdownSignals();
  moot::rpc::ConfigureProcess();
  auto host = moot::service::ServiceHost::Create(
      {.name = "budget", .default_grpc_port = 50064, .default_admin_port = 9064},
      moot::config::EnvironmentFrom(environ), std::vector<std::string>(argv + 1, argv + argc));
  if (!host.ok()) {
    std::cerr << "budget: " << host.status().message() << "\n";
    return 2;
  }
  if ((*host)->help_requested()) {
    std::cout << (*host)->help_text();
    return 0;
  }
  moot::service::ServiceHost& h = **host;
  // The decisions register does not serve votes yet: vetoes are refused, never trusted.
  moot::budget::UnverifiableVoteLookup votes;
  moot::budget::PreceptLogic logic(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens(), votes);
  if (absl::Status status = logic.Migrate(); !status.ok()) {
    std::cerr << "budget: migrations failed: " << status.message() << "\n";
    return 1;
  }
  moot::budget::PreceptService precepts(logic, h.server_auth());
  h.AddService(&precepts);
  moot::budget::ScenarioLogic scenario_logic(h.db(), h.outbox(), h.clock(), h.ids(),
                                             h.page_tokens());
  moot::budget::ScenarioService scenarios(scenario_logic, h.server_auth());
  h.AddService(&scenarios);
  moot::budget::PlanLogic plan_logic(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens());
  moot::budget::PlanService plans(plan_logic, h.server_auth());
  h.AddService(&plans);
  return h.Run(wait_for_signal);
}
