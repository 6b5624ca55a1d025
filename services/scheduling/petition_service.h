// gRPC adapter of PetitionLogic (petitions.proto): converts only.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/scheduling/v1/petitions.grpc.pb.h"
#include "services/scheduling/petition_logic.h"

namespace moot::scheduling {

class PetitionService final : public v1::PetitionService::Service {
 public:
  PetitionService(PetitionLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  grpc::Status SubmitPetition(grpc::ServerContext* context,
                              const v1::SubmitPetitionRequest* request,
                              v1::Petition* response) override;
  grpc::Status GetPetition(grpc::ServerContext* context, const v1::GetPetitionRequest* request,
                           v1::Petition* response) override;
  grpc::Status ListPetitions(grpc::ServerContext* context, const v1::ListPetitionsRequest* request,
                             v1::ListPetitionsResponse* response) override;
  grpc::Status AcceptPetition(grpc::ServerContext* context,
                              const v1::AcceptPetitionRequest* request,
                              v1::Petition* response) override;
  grpc::Status RejectPetition(grpc::ServerContext* context,
                              const v1::RejectPetitionRequest* request,
                              v1::Petition* response) override;
  grpc::Status RespondToPetition(grpc::ServerContext* context,
                                 const v1::RespondToPetitionRequest* request,
                                 v1::Petition* response) override;

 private:
  PetitionLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::scheduling
