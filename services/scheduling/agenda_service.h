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

 private:
  AgendaLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::scheduling
