#include "services/budget/precept_service.h"

#include "libs/rpc/unary.h"
#include "services/budget/grpc_meeting_directory.h"

namespace moot::budget {

grpc::Status PreceptService::CreatePrecept(grpc::ServerContext* context,
                                           const v1::CreatePreceptRequest* request,
                                           v1::Precept* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreatePrecept(p, *request); });
}

grpc::Status PreceptService::GetPrecept(grpc::ServerContext* context,
                                        const v1::GetPreceptRequest* request,
                                        v1::Precept* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetPrecept(p, *request); });
}

grpc::Status PreceptService::ListPrecepts(grpc::ServerContext* context,
                                          const v1::ListPreceptsRequest* request,
                                          v1::ListPreceptsResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListPrecepts(p, *request); });
}

grpc::Status PreceptService::UpdatePrecept(grpc::ServerContext* context,
                                           const v1::UpdatePreceptRequest* request,
                                           v1::Precept* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.UpdatePrecept(p, *request); });
}

grpc::Status PreceptService::ProposePrecept(grpc::ServerContext* context,
                                            const v1::ProposePreceptRequest* request,
                                            v1::Precept* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ProposePrecept(p, *request); });
}

grpc::Status PreceptService::RecordPanelReport(grpc::ServerContext* context,
                                               const v1::RecordPanelReportRequest* request,
                                               v1::Precept* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.RecordPanelReport(p, *request);
  });
}

grpc::Status PreceptService::RevisePrecept(grpc::ServerContext* context,
                                           const v1::RevisePreceptRequest* request,
                                           v1::Precept* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.RevisePrecept(p, *request); });
}

grpc::Status PreceptService::RecordSecondReport(grpc::ServerContext* context,
                                                const v1::RecordSecondReportRequest* request,
                                                v1::Precept* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.RecordSecondReport(p, *request);
  });
}

grpc::Status PreceptService::IssuePrecept(grpc::ServerContext* context,
                                          const v1::IssuePreceptRequest* request,
                                          v1::Precept* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.IssuePrecept(p, *request); });
}

grpc::Status PreceptService::GetPreceptTimetable(grpc::ServerContext* context,
                                                 const v1::GetPreceptTimetableRequest* request,
                                                 v1::PreceptTimetable* response) {
  // Scheduling is asked as the caller: it shows them only the meetings they may see.
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.GetPreceptTimetable(p, *request);
  });
}

grpc::Status PreceptService::ImportPreceptCsv(grpc::ServerContext* context,
                                              const v1::ImportPreceptCsvRequest* request,
                                              v1::Precept* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ImportPreceptCsv(p, *request); });
}

grpc::Status PreceptService::ExportPrecept(grpc::ServerContext* context,
                                           const v1::ExportPreceptRequest* request,
                                           v1::ExportPreceptResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ExportPrecept(p, *request); });
}

grpc::Status PreceptService::GetPreceptCharts(grpc::ServerContext* context,
                                              const v1::GetPreceptChartsRequest* request,
                                              v1::Charts* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetPreceptCharts(p, *request); });
}

grpc::Status PreceptService::SetInformationRequest(grpc::ServerContext* context,
                                                   const v1::SetInformationRequestRequest* request,
                                                   v1::Precept* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.SetInformationRequest(p, *request);
  });
}

}  // namespace moot::budget
