#include "services/scheduling/meeting_service.h"

#include "libs/rpc/unary.h"

namespace moot::scheduling {

grpc::Status MeetingService::CreateMeeting(grpc::ServerContext* context,
                                           const v1::CreateMeetingRequest* request,
                                           v1::Meeting* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreateMeeting(p, *request); });
}

grpc::Status MeetingService::GetMeeting(grpc::ServerContext* context,
                                        const v1::GetMeetingRequest* request,
                                        v1::Meeting* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetMeeting(p, *request); });
}

grpc::Status MeetingService::ListMeetings(grpc::ServerContext* context,
                                          const v1::ListMeetingsRequest* request,
                                          v1::ListMeetingsResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListMeetings(p, *request); });
}

grpc::Status MeetingService::PublishAgenda(grpc::ServerContext* context,
                                           const v1::PublishAgendaRequest* request,
                                           v1::Meeting* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.PublishAgenda(p, *request); });
}

grpc::Status MeetingService::UpdateMeeting(grpc::ServerContext* context,
                                           const v1::UpdateMeetingRequest* request,
                                           v1::Meeting* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.UpdateMeeting(p, *request); });
}

grpc::Status MeetingService::RescheduleMeeting(grpc::ServerContext* context,
                                               const v1::RescheduleMeetingRequest* request,
                                               v1::Meeting* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.RescheduleMeeting(p, *request);
  });
}

grpc::Status MeetingService::TransitionMeeting(grpc::ServerContext* context,
                                               const v1::TransitionMeetingRequest* request,
                                               v1::Meeting* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.TransitionMeeting(p, *request);
  });
}

grpc::Status MeetingService::ProposeMeetings(grpc::ServerContext* context,
                                             const v1::ProposeMeetingsRequest* request,
                                             v1::ProposeMeetingsResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ProposeMeetings(p, *request); });
}

}  // namespace moot::scheduling
