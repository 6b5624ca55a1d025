// budget: precept years, scenarios and medium-term plans (moot.budget.v1).
#include <iostream>
#include <memory>

#include "libs/config/config.h"
#include "libs/config/config_schema.h"
#include "libs/rpc/server_runner.h"
#include "libs/service/service_host.h"
#include "services/budget/grpc_meeting_directory.h"
#include "services/budget/grpc_vote_lookup.h"
#include "services/budget/plan_logic.h"
#include "services/budget/plan_service.h"
#include "services/budget/precept_logic.h"
#include "services/budget/precept_service.h"
#include "services/budget/scenario_logic.h"
#include "services/budget/scenario_service.h"

extern char** environ;

namespace {

constexpr char kDecisionsAddressKey[] = "MOOT_DECISIONS_ADDRESS";
constexpr char kSchedulingAddressKey[] = "MOOT_SCHEDULING_ADDRESS";

}  // namespace

int main(int argc, char** argv) {
  auto wait_for_signal = moot::rpc::InstallShutdownSignals();
  moot::rpc::ConfigureProcess();
  auto host = moot::service::ServiceHost::Create(
      {.name = "budget",
       .default_grpc_port = 50064,
       .default_admin_port = 9064,
       .extra_keys =
           [](moot::config::ConfigSchema& schema) {
             schema.Add(moot::config::Key::String(kDecisionsAddressKey, "127.0.0.1:50063")
                            .Help("The decisions register, which holds the votes a veto cites."));
             schema.Add(moot::config::Key::String(kSchedulingAddressKey, "")
                            .Help("The scheduling service, whose meetings of the panel the "
                                  "precept timetable is checked against; empty: the "
                                  "precepts' stored planned meetings."));
           }},
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
  // A veto's vote is read from the decisions register, never taken from the request.
  moot::budget::GrpcVoteLookup votes(h.config().GetString(kDecisionsAddressKey), &h.tracer());
  // The panel's meetings for the timetable come from scheduling when it is configured.
  std::unique_ptr<moot::budget::GrpcMeetingDirectory> meetings;
  if (const std::string address = h.config().GetString(kSchedulingAddressKey); !address.empty()) {
    meetings = std::make_unique<moot::budget::GrpcMeetingDirectory>(address, &h.tracer());
  }
  moot::budget::PreceptLogic logic(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens(), votes,
                                   meetings.get());
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
