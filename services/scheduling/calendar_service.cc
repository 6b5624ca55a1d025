#include "services/scheduling/calendar_service.h"

#include "libs/rpc/unary.h"

namespace moot::scheduling {

grpc::Status CalendarService::ComputeDeadline(grpc::ServerContext* context,
                                              const v1::ComputeDeadlineRequest* request,
                                              v1::ComputeDeadlineResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ComputeDeadline(p, *request); });
}

grpc::Status CalendarService::CreateClosure(grpc::ServerContext* context,
                                            const v1::CreateClosureRequest* request,
                                            v1::Closure* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreateClosure(p, *request); });
}

grpc::Status CalendarService::ListClosures(grpc::ServerContext* context,
                                           const v1::ListClosuresRequest* request,
                                           v1::ListClosuresResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListClosures(p, *request); });
}

grpc::Status CalendarService::DeleteClosure(grpc::ServerContext* context,
                                            const v1::DeleteClosureRequest* request,
                                            v1::Closure* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.DeleteClosure(p, *request); });
}

}  // namespace moot::scheduling
