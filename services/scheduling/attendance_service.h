// gRPC adapter of moot.scheduling.v1.AttendanceService over AttendanceLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/scheduling/v1/attendance.grpc.pb.h"
#include "services/scheduling/attendance_logic.h"

namespace moot::scheduling {

class AttendanceService final : public v1::AttendanceService::Service {
 public:
  AttendanceService(AttendanceLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  grpc::Status RecordAttendance(grpc::ServerContext* context,
                                const v1::RecordAttendanceRequest* request,
                                v1::Attendance* response) override;
  grpc::Status ListAttendance(grpc::ServerContext* context,
                              const v1::ListAttendanceRequest* request,
                              v1::ListAttendanceResponse* response) override;
  grpc::Status CreateDeclaration(grpc::ServerContext* context,
                                 const v1::CreateDeclarationRequest* request,
                                 v1::Declaration* response) override;
  grpc::Status ListDeclarations(grpc::ServerContext* context,
                                const v1::ListDeclarationsRequest* request,
                                v1::ListDeclarationsResponse* response) override;
  grpc::Status ListEligibleVoters(grpc::ServerContext* context,
                                  const v1::ListEligibleVotersRequest* request,
                                  v1::ListEligibleVotersResponse* response) override;

 private:
  AttendanceLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::scheduling
