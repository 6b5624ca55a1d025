// decisions: the decisions register (moot.decisions.v1): the PCC's key decisions, minutes with
// numbered entries and resolutions, and the audit chain.
#include <iostream>

#include "libs/config/config.h"
#include "libs/rpc/server_runner.h"
#include "libs/service/service_host.h"
#include "services/decisions/access_request_logic.h"
#include "services/decisions/action_logic.h"
#include "services/decisions/action_service.h"
#include "services/decisions/audit_logic.h"
#include "services/decisions/decision_service.h"
#include "services/decisions/grpc_scheduling_directory.h"
#include "services/decisions/hearing_logic.h"
#include "services/decisions/hearing_service.h"
#include "services/decisions/key_decision_logic.h"
#include "services/decisions/minutes_logic.h"
#include "services/decisions/minutes_service.h"
#include "services/decisions/vote_logic.h"
#include "services/decisions/vote_service.h"

extern char** environ;

namespace {

constexpr char kSchedulingAddressKey[] = "MOOT_SCHEDULING_ADDRESS";

}  // namespace

int main(int argc, char** argv) {
  auto wait_for_signal = moot::rpc::InstallShutdownSignals();
  moot::rpc::ConfigureProcess();
  auto host = moot::service::ServiceHost::Create(
      {.name = "decisions",
       .default_grpc_port = 50063,
       .default_admin_port = 9063,
       .extra_keys =
           [](moot::config::ConfigSchema& schema) {
             schema.Add(moot::config::Key::String(kSchedulingAddressKey, "127.0.0.1:50061")
                            .Help("The scheduling service (meetings, bodies, vote eligibility)."));
           }},
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
  moot::decisions::GrpcSchedulingDirectory scheduling(h.config().GetString(kSchedulingAddressKey),
                                                      &h.tracer());
  moot::decisions::KeyDecisionLogic logic(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens(),
                                          &scheduling);
  moot::decisions::MinutesLogic minutes(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens(),
                                        scheduling);
  moot::decisions::ActionLogic actions(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens(),
                                       scheduling);
  moot::decisions::VoteLogic votes(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens(),
                                   scheduling);
  moot::decisions::HearingLogic hearings(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens(),
                                         scheduling);
  moot::decisions::AccessRequestLogic access(h.db(), h.outbox(), h.clock(), h.ids(),
                                             h.page_tokens());
  moot::decisions::AuditLogic audit(h.db(), h.page_tokens());
  for (absl::Status status : {logic.Migrate(), minutes.Migrate(), actions.Migrate(),
                              votes.Migrate(), access.Migrate(), hearings.Migrate()}) {
    if (!status.ok()) {
      std::cerr << "decisions: migrations failed: " << status.message() << "\n";
      return 1;
    }
  }
  moot::decisions::DecisionService decisions(logic, access, h.server_auth());
  moot::decisions::MinutesService minutes_service(minutes, h.server_auth());
  moot::decisions::ActionService action_service(actions, h.server_auth());
  moot::decisions::VoteService vote_service(votes, h.server_auth());
  moot::decisions::AuditService audit_service(audit, h.server_auth());
  moot::decisions::HearingService hearing_service(hearings, h.server_auth());
  h.AddService(&decisions);
  h.AddService(&minutes_service);
  h.AddService(&action_service);
  h.AddService(&vote_service);
  h.AddService(&audit_service);
  h.AddService(&hearing_service);
  return h.Run(wait_for_signal);
}
