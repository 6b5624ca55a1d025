// gRPC adapter of moot.scheduling.v1.AgendaService over AgendaLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/scheduling/v1/agenda.grpc.pb.h"
#include "services/scheduling/agenda_logic.h"

namespace moot::scheduling {

class AgendaService final : public v1::AgendaService::Service {
 public:
  AgendaService(AgendaLogic& logic, const auth::ServerAuth& auth) : logic_(logic), auth_(auth) {}

  grpc::Status CreateAgendaItem(grpc::ServerContext* context,
                                const v1::CreateAgendaItemRequest* request,
                                v1::AgendaItem* response) override;
  grpc::Status GetAgendaItem(grpc::ServerContext* context, const v1::GetAgendaItemRequest* request,
                             v1::AgendaItem* response) override;
  grpc::Status ListAgendaItems(grpc::ServerContext* context,
                               const v1::ListAgendaItemsRequest* request,
                               v1::ListAgendaItemsResponse* response) override;
  grpc::Status UpdateAgendaItem(grpc::ServerContext* context,
                                const v1::UpdateAgendaItemRequest* request,
                                v1::AgendaItem* response) override;
  grpc::Status DeleteAgendaItem(grpc::ServerContext* context,
                                const v1::DeleteAgendaItemRequest* request,
                                v1::DeleteAgendaItemResponse* response) override;
  grpc::Status ReorderAgendaItems(grpc::ServerContext* context,
                                  const v1::ReorderAgendaItemsRequest* request,
                                  v1::ReorderAgendaItemsResponse* response) override;
  grpc::Status CreateAgendaFromTemplate(grpc::ServerContext* context,
                                        const v1::CreateAgendaFromTemplateRequest* request,
                                        v1::CreateAgendaFromTemplateResponse* response) override;
  grpc::Status ListAgendaVersions(grpc::ServerContext* context,
                                  const v1::ListAgendaVersionsRequest* request,
                                  v1::ListAgendaVersionsResponse* response) override;
  grpc::Status GetAgendaVersion(grpc::ServerContext* context,
                                const v1::GetAgendaVersionRequest* request,
                                v1::AgendaVersion* response) override;

 private:
  AgendaLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::scheduling
