#include "services/scheduling/petition_service.h"

#include "libs/rpc/unary.h"

namespace moot::scheduling {

grpc::Status PetitionService::SubmitPetition(grpc::ServerContext* context,
                                             const v1::SubmitPetitionRequest* request,
                                             v1::Petition* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.SubmitPetition(p, *request); });
}

grpc::Status PetitionService::GetPetition(grpc::ServerContext* context,
                                          const v1::GetPetitionRequest* request,
                                          v1::Petition* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetPetition(p, *request); });
}

grpc::Status PetitionService::ListPetitions(grpc::ServerContext* context,
                                            const v1::ListPetitionsRequest* request,
                                            v1::ListPetitionsResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListPetitions(p, *request); });
}

grpc::Status PetitionService::AcceptPetition(grpc::ServerContext* context,
                                             const v1::AcceptPetitionRequest* request,
                                             v1::Petition* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.AcceptPetition(p, *request); });
}

grpc::Status PetitionService::RejectPetition(grpc::ServerContext* context,
                                             const v1::RejectPetitionRequest* request,
                                             v1::Petition* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.RejectPetition(p, *request); });
}

grpc::Status PetitionService::RespondToPetition(grpc::ServerContext* context,
                                                const v1::RespondToPetitionRequest* request,
                                                v1::Petition* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.RespondToPetition(p, *request);
  });
}

}  // namespace moot::scheduling
