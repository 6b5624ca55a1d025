// gRPC adapter of moot.scheduling.v1.CalendarService over CalendarLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/scheduling/v1/calendar.grpc.pb.h"
#include "services/scheduling/calendar_logic.h"

namespace moot::scheduling {

class CalendarService final : public v1::CalendarService::Service {
 public:
  CalendarService(CalendarLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  grpc::Status ComputeDeadline(grpc::ServerContext* context,
                               const v1::ComputeDeadlineRequest* request,
                               v1::ComputeDeadlineResponse* response) override;
  grpc::Status CreateClosure(grpc::ServerContext* context, const v1::CreateClosureRequest* request,
                             v1::Closure* response) override;
  grpc::Status ListClosures(grpc::ServerContext* context, const v1::ListClosuresRequest* request,
                            v1::ListClosuresResponse* response) override;
  grpc::Status DeleteClosure(grpc::ServerContext* context, const v1::DeleteClosureRequest* request,
                             v1::Closure* response) override;

 private:
  CalendarLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::scheduling
