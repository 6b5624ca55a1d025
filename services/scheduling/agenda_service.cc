#include "services/scheduling/agenda_service.h"

#include "libs/rpc/unary.h"

namespace moot::scheduling {

grpc::Status AgendaService::CreateAgendaItem(grpc::ServerContext* context,
                                             const v1::CreateAgendaItemRequest* request,
                                             v1::AgendaItem* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreateAgendaItem(p, *request); });
}

grpc::Status AgendaService::GetAgendaItem(grpc::ServerContext* context,
                                          const v1::GetAgendaItemRequest* request,
                                          v1::AgendaItem* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetAgendaItem(p, *request); });
}

grpc::Status AgendaService::ListAgendaItems(grpc::ServerContext* context,
                                            const v1::ListAgendaItemsRequest* request,
                                            v1::ListAgendaItemsResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListAgendaItems(p, *request); });
}

}  // namespace moot::scheduling
