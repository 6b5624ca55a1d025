#include "services/scheduling/people_service.h"

#include "libs/rpc/unary.h"

namespace moot::scheduling {

grpc::Status PersonService::CreatePerson(grpc::ServerContext* context,
                                         const v1::CreatePersonRequest* request,
                                         v1::Person* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreatePerson(p, *request); });
}

grpc::Status PersonService::GetPerson(grpc::ServerContext* context,
                                      const v1::GetPersonRequest* request, v1::Person* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetPerson(p, *request); });
}

grpc::Status PersonService::ListPeople(grpc::ServerContext* context,
                                       const v1::ListPeopleRequest* request,
                                       v1::ListPeopleResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListPeople(p, *request); });
}

grpc::Status PersonService::SetPersonUserSubject(grpc::ServerContext* context,
                                                 const v1::SetPersonUserSubjectRequest* request,
                                                 v1::Person* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.SetPersonUserSubject(p, *request);
  });
}

grpc::Status MembershipService::CreateMembership(grpc::ServerContext* context,
                                                 const v1::CreateMembershipRequest* request,
                                                 v1::Membership* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreateMembership(p, *request); });
}

grpc::Status MembershipService::ListMemberships(grpc::ServerContext* context,
                                                const v1::ListMembershipsRequest* request,
                                                v1::ListMembershipsResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListMemberships(p, *request); });
}

grpc::Status MembershipService::ListMembersAt(grpc::ServerContext* context,
                                              const v1::ListMembersAtRequest* request,
                                              v1::ListMembersAtResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListMembersAt(p, *request); });
}

grpc::Status MembershipService::EndMembership(grpc::ServerContext* context,
                                              const v1::EndMembershipRequest* request,
                                              v1::Membership* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.EndMembership(p, *request); });
}

}  // namespace moot::scheduling
