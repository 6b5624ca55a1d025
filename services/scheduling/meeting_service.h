// gRPC adapter of moot.scheduling.v1.MeetingService over SchedulingLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/scheduling/v1/scheduling.grpc.pb.h"
#include "services/scheduling/scheduling_logic.h"

namespace moot::scheduling {

class MeetingService final : public v1::MeetingService::Service {
 public:
  MeetingService(SchedulingLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  grpc::Status CreateMeeting(grpc::ServerContext* context, const v1::CreateMeetingRequest* request,
                             v1::Meeting* response) override;
  grpc::Status GetMeeting(grpc::ServerContext* context, const v1::GetMeetingRequest* request,
                          v1::Meeting* response) override;
  grpc::Status ListMeetings(grpc::ServerContext* context, const v1::ListMeetingsRequest* request,
                            v1::ListMeetingsResponse* response) override;
  grpc::Status PublishAgenda(grpc::ServerContext* context, const v1::PublishAgendaRequest* request,
                             v1::Meeting* response) override;
  grpc::Status UpdateMeeting(grpc::ServerContext* context, const v1::UpdateMeetingRequest* request,
                             v1::Meeting* response) override;
  grpc::Status RescheduleMeeting(grpc::ServerContext* context,
                                 const v1::RescheduleMeetingRequest* request,
                                 v1::Meeting* response) override;
  grpc::Status TransitionMeeting(grpc::ServerContext* context,
                                 const v1::TransitionMeetingRequest* request,
                                 v1::Meeting* response) override;
  grpc::Status ProposeMeetings(grpc::ServerContext* context,
                               const v1::ProposeMeetingsRequest* request,
                               v1::ProposeMeetingsResponse* response) override;

 private:
  SchedulingLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::scheduling
