#include "services/scheduling/body_service.h"

#include "libs/rpc/unary.h"

namespace moot::scheduling {

grpc::Status BodyService::CreateBody(grpc::ServerContext* context,
                                     const v1::CreateBodyRequest* request, v1::Body* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreateBody(p, *request); });
}

grpc::Status BodyService::GetBody(grpc::ServerContext* context, const v1::GetBodyRequest* request,
                                  v1::Body* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetBody(p, *request); });
}

grpc::Status BodyService::ListBodies(grpc::ServerContext* context,
                                     const v1::ListBodiesRequest* request,
                                     v1::ListBodiesResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListBodies(p, *request); });
}

grpc::Status BodyService::UpdateBody(grpc::ServerContext* context,
                                     const v1::UpdateBodyRequest* request, v1::Body* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.UpdateBody(p, *request); });
}

grpc::Status BodyService::CheckSubGroup(grpc::ServerContext* context,
                                        const v1::CheckSubGroupRequest* request,
                                        v1::SubGroupCheck* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CheckSubGroup(p, *request); });
}

}  // namespace moot::scheduling
