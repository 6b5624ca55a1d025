#include "services/decisions/hearing_service.h"

#include "libs/rpc/unary.h"
#include "services/decisions/grpc_scheduling_directory.h"

namespace moot::decisions {

grpc::Status HearingService::CreateHearing(grpc::ServerContext* context,
                                           const v1::CreateHearingRequest* request,
                                           v1::ConfirmationHearing* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreateHearing(p, *request); });
}

grpc::Status HearingService::GetHearing(grpc::ServerContext* context,
                                        const v1::GetHearingRequest* request,
                                        v1::ConfirmationHearing* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetHearing(p, *request); });
}

grpc::Status HearingService::ListHearings(grpc::ServerContext* context,
                                          const v1::ListHearingsRequest* request,
                                          v1::ListHearingsResponse* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListHearings(p, *request); });
}

grpc::Status HearingService::RecordRecommendation(grpc::ServerContext* context,
                                                  const v1::RecordRecommendationRequest* request,
                                                  v1::ConfirmationHearing* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.RecordRecommendation(p, *request);
  });
}

grpc::Status HearingService::PublishRecommendation(grpc::ServerContext* context,
                                                   const v1::PublishRecommendationRequest* request,
                                                   v1::ConfirmationHearing* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.PublishRecommendation(p, *request);
  });
}

grpc::Status HearingService::RecordPccResponse(grpc::ServerContext* context,
                                               const v1::RecordPccResponseRequest* request,
                                               v1::ConfirmationHearing* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.RecordPccResponse(p, *request);
  });
}

}  // namespace moot::decisions
