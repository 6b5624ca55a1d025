// decisions: the PCC key decisions register (moot.decisions.v1).
#include <iostream>

#include "libs/config/config.h"
#include "libs/rpc/server_runner.h"
#include "libs/service/service_host.h"
#include "services/decisions/decision_service.h"
#include "services/decisions/key_decision_logic.h"

extern char** environ;

int main(int argc, char** argv) {
  auto wait_for_signal = moot::rpc::InstallShutdownSignals();
  moot::rpc::ConfigureProcess();
  auto host = moot::service::ServiceHost::Create(
      {.name = "decisions", .default_grpc_port = 50063, .default_admin_port = 9063},
      moot::config::EnvironmentFrom(environ), std::vector<std::string>(argv + 1, argv + argc));
  if (!host.ok()) {
    std::cerr << "decisions: " << host.status().message() << "\n";
    return 2;
  }
  if ((*host)->help_requested()) {
    std::cout << (*host)->help_text();
    return 0;
  }
  moot::service::ServiceHost& h = **host;
  moot::decisions::KeyDecisionLogic logic(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens());
  if (absl::Status status = logic.Migrate(); !status.ok()) {
    std::cerr << "decisions: migrations failed: " << status.message() << "\n";
    return 1;
  }
  moot::decisions::DecisionService decisions(logic, h.server_auth());
  h.AddService(&decisions);
  return h.Run(wait_for_signal);
}
