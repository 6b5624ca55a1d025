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

grpc::Status AgendaService::UpdateAgendaItem(grpc::ServerContext* context,
                                             const v1::UpdateAgendaItemRequest* request,
                                             v1::AgendaItem* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.UpdateAgendaItem(p, *request); });
}

grpc::Status AgendaService::DeleteAgendaItem(grpc::ServerContext* context,
                                             const v1::DeleteAgendaItemRequest* request,
                                             v1::DeleteAgendaItemResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.DeleteAgendaItem(p, *request); });
}

grpc::Status AgendaService::ReorderAgendaItems(grpc::ServerContext* context,
                                               const v1::ReorderAgendaItemsRequest* request,
                                               v1::ReorderAgendaItemsResponse* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.ReorderAgendaItems(p, *request);
  });
}

grpc::Status AgendaService::CreateAgendaFromTemplate(
    grpc::ServerContext* context, const v1::CreateAgendaFromTemplateRequest* request,
    v1::CreateAgendaFromTemplateResponse* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.CreateAgendaFromTemplate(p, *request);
  });
}

grpc::Status AgendaService::ListAgendaVersions(grpc::ServerContext* context,
                                               const v1::ListAgendaVersionsRequest* request,
                                               v1::ListAgendaVersionsResponse* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.ListAgendaVersions(p, *request);
  });
}

grpc::Status AgendaService::GetAgendaVersion(grpc::ServerContext* context,
                                             const v1::GetAgendaVersionRequest* request,
                                             v1::AgendaVersion* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetAgendaVersion(p, *request); });
}

}  // namespace moot::scheduling
