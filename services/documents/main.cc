// documents: papers and their files, uploaded and downloaded as streams (moot.documents.v1).
#include <iostream>

#include "libs/config/config.h"
#include "libs/config/config_schema.h"
#include "libs/rpc/server_runner.h"
#include "libs/service/service_host.h"
#include "services/documents/document_logic.h"
#include "services/documents/document_service.h"

extern char** environ;

namespace {
constexpr char kMaxUploadKey[] = "MOOT_DOCUMENTS_MAX_UPLOAD_BYTES";
}  // namespace

int main(int argc, char** argv) {
  auto wait_for_signal = moot::rpc::InstallShutdownSignals();
  moot::rpc::ConfigureProcess();
  auto host = moot::service::ServiceHost::Create(
      {.name = "documents",
       .default_grpc_port = 50062,
       .default_admin_port = 9062,
       .extra_keys =
           [](moot::config::ConfigSchema& schema) {
             schema.Add(moot::config::Key::Int(kMaxUploadKey, int64_t{64} << 20)
                            .Range(1, int64_t{1} << 30)
                            .Help("The largest document upload in bytes (default 64 MiB)."));
           }},
      moot::config::EnvironmentFrom(environ), std::vector<std::string>(argv + 1, argv + argc));
  if (!host.ok()) {
    std::cerr << "documents: " << host.status().message() << "\n";
    return 2;
  }
  if ((*host)->help_requested()) {
    std::cout << (*host)->help_text();
    return 0;
  }
  moot::service::ServiceHost& h = **host;
  moot::documents::DocumentLimits limits;
  limits.max_upload_bytes = h.config().GetInt(kMaxUploadKey);
  moot::documents::DocumentLogic logic(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens(),
                                       limits);
  if (absl::Status status = logic.Migrate(); !status.ok()) {
    std::cerr << "documents: migrations failed: " << status.message() << "\n";
    return 1;
  }
  moot::documents::DocumentService documents(logic, h.server_auth());
  h.AddService(&documents);
  return h.Run(wait_for_signal);
}
