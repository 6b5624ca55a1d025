// gRPC adapter of moot.decisions.v1.HearingService over HearingLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/decisions/v1/hearings.grpc.pb.h"
#include "services/decisions/hearing_logic.h"

namespace moot::decisions {

class HearingService final : public v1::HearingService::Service {
 public:
  HearingService(HearingLogic& logic, const auth::ServerAuth& auth) : logic_(logic), auth_(auth) {}

  grpc::Status CreateHearing(grpc::ServerContext* context, const v1::CreateHearingRequest* request,
                             v1::ConfirmationHearing* response) override;
  grpc::Status GetHearing(grpc::ServerContext* context, const v1::GetHearingRequest* request,
                          v1::ConfirmationHearing* response) override;
  grpc::Status ListHearings(grpc::ServerContext* context, const v1::ListHearingsRequest* request,
                            v1::ListHearingsResponse* response) override;
  grpc::Status RecordRecommendation(grpc::ServerContext* context,
                                    const v1::RecordRecommendationRequest* request,
                                    v1::ConfirmationHearing* response) override;
  grpc::Status PublishRecommendation(grpc::ServerContext* context,
                                     const v1::PublishRecommendationRequest* request,
                                     v1::ConfirmationHearing* response) override;
  grpc::Status RecordPccResponse(grpc::ServerContext* context,
                                 const v1::RecordPccResponseRequest* request,
                                 v1::ConfirmationHearing* response) override;

 private:
  HearingLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::decisions
