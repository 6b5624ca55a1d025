#include "services/scheduling/attendance_service.h"

#include "libs/rpc/unary.h"

namespace moot::scheduling {

grpc::Status AttendanceService::RecordAttendance(grpc::ServerContext* context,
                                                 const v1::RecordAttendanceRequest* request,
                                                 v1::Attendance* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.RecordAttendance(p, *request); });
}

grpc::Status AttendanceService::ListAttendance(grpc::ServerContext* context,
                                               const v1::ListAttendanceRequest* request,
                                               v1::ListAttendanceResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListAttendance(p, *request); });
}

grpc::Status AttendanceService::CreateDeclaration(grpc::ServerContext* context,
                                                  const v1::CreateDeclarationRequest* request,
                                                  v1::Declaration* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.CreateDeclaration(p, *request);
  });
}

grpc::Status AttendanceService::ListDeclarations(grpc::ServerContext* context,
                                                 const v1::ListDeclarationsRequest* request,
                                                 v1::ListDeclarationsResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListDeclarations(p, *request); });
}

grpc::Status AttendanceService::ListEligibleVoters(grpc::ServerContext* context,
                                                   const v1::ListEligibleVotersRequest* request,
                                                   v1::ListEligibleVotersResponse* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.ListEligibleVoters(p, *request);
  });
}

}  // namespace moot::scheduling
