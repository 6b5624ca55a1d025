// gRPC adapters of moot.scheduling.v1.PersonService and MembershipService over PeopleLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/scheduling/v1/people.grpc.pb.h"
#include "services/scheduling/people_logic.h"

namespace moot::scheduling {

class PersonService final : public v1::PersonService::Service {
 public:
  PersonService(PeopleLogic& logic, const auth::ServerAuth& auth) : logic_(logic), auth_(auth) {}

  grpc::Status CreatePerson(grpc::ServerContext* context, const v1::CreatePersonRequest* request,
                            v1::Person* response) override;
  grpc::Status GetPerson(grpc::ServerContext* context, const v1::GetPersonRequest* request,
                         v1::Person* response) override;
  grpc::Status ListPeople(grpc::ServerContext* context, const v1::ListPeopleRequest* request,
                          v1::ListPeopleResponse* response) override;
  grpc::Status SetPersonUserSubject(grpc::ServerContext* context,
                                    const v1::SetPersonUserSubjectRequest* request,
                                    v1::Person* response) override;

 private:
  PeopleLogic& logic_;
  const auth::ServerAuth& auth_;
};

class MembershipService final : public v1::MembershipService::Service {
 public:
  MembershipService(PeopleLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  grpc::Status CreateMembership(grpc::ServerContext* context,
                                const v1::CreateMembershipRequest* request,
                                v1::Membership* response) override;
  grpc::Status ListMemberships(grpc::ServerContext* context,
                               const v1::ListMembershipsRequest* request,
                               v1::ListMembershipsResponse* response) override;
  grpc::Status ListMembersAt(grpc::ServerContext* context, const v1::ListMembersAtRequest* request,
                             v1::ListMembersAtResponse* response) override;
  grpc::Status EndMembership(grpc::ServerContext* context, const v1::EndMembershipRequest* request,
                             v1::Membership* response) override;

 private:
  PeopleLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::scheduling
