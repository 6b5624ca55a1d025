// gRPC adapter of moot.budget.v1.PreceptService over PreceptLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/budget/v1/budget.grpc.pb.h"
#include "services/budget/precept_logic.h"

namespace moot::budget {

class PreceptService final : public v1::PreceptService::Service {
 public:
  PreceptService(PreceptLogic& logic, const auth::ServerAuth& auth) : logic_(logic), auth_(auth) {}

  grpc::Status CreatePrecept(grpc::ServerContext* context, const v1::CreatePreceptRequest* request,
                             v1::Precept* response) override;
  grpc::Status GetPrecept(grpc::ServerContext* context, const v1::GetPreceptRequest* request,
                          v1::Precept* response) override;
  grpc::Status ListPrecepts(grpc::ServerContext* context, const v1::ListPreceptsRequest* request,
                            v1::ListPreceptsResponse* response) override;
  grpc::Status UpdatePrecept(grpc::ServerContext* context, const v1::UpdatePreceptRequest* request,
                             v1::Precept* response) override;
  grpc::Status ProposePrecept(grpc::ServerContext* context,
                              const v1::ProposePreceptRequest* request,
                              v1::Precept* response) override;
  grpc::Status RecordPanelReport(grpc::ServerContext* context,
                                 const v1::RecordPanelReportRequest* request,
                                 v1::Precept* response) override;
  grpc::Status RevisePrecept(grpc::ServerContext* context, const v1::RevisePreceptRequest* request,
                             v1::Precept* response) override;
  grpc::Status RecordSecondReport(grpc::ServerContext* context,
                                  const v1::RecordSecondReportRequest* request,
                                  v1::Precept* response) override;
  grpc::Status IssuePrecept(grpc::ServerContext* context, const v1::IssuePreceptRequest* request,
                            v1::Precept* response) override;
  grpc::Status GetPreceptTimetable(grpc::ServerContext* context,
                                   const v1::GetPreceptTimetableRequest* request,
                                   v1::PreceptTimetable* response) override;
  grpc::Status ImportPreceptCsv(grpc::ServerContext* context,
                                const v1::ImportPreceptCsvRequest* request,
                                v1::Precept* response) override;
  grpc::Status ExportPrecept(grpc::ServerContext* context, const v1::ExportPreceptRequest* request,
                             v1::ExportPreceptResponse* response) override;
  grpc::Status GetPreceptCharts(grpc::ServerContext* context,
                                const v1::GetPreceptChartsRequest* request,
                                v1::Charts* response) override;
  grpc::Status SetInformationRequest(grpc::ServerContext* context,
                                     const v1::SetInformationRequestRequest* request,
                                     v1::Precept* response) override;

 private:
  PreceptLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::budget
