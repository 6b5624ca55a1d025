#include "services/budget/precept_service.h"

#include "libs/rpc/unary.h"

namespace moot::budget {

grpc::Status PreceptService::CreatePrecept(grpc::ServerContext* context,
                                           const v1::CreatePreceptRequest* request,
                                           v1::Precept* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreatePrecept(p, *request); });
}

grpc::Status PreceptService::GetPrecept(grpc::ServerContext* context,
                                        const v1::GetPreceptRequest* request,
                                        v1::Precept* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetPrecept(p, *request); });
}

grpc::Status PreceptService::ListPrecepts(grpc::ServerContext* context,
                                          const v1::ListPreceptsRequest* request,
                                          v1::ListPreceptsResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListPrecepts(p, *request); });
}

}  // namespace moot::budget
