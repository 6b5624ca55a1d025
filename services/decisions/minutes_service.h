// gRPC adapters of moot.decisions.v1.MinutesService and AuditService over MinutesLogic and
// AuditLogic: they only convert, and forward the caller's credentials to scheduling.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/decisions/v1/minutes.grpc.pb.h"
#include "services/decisions/audit_logic.h"
#include "services/decisions/minutes_logic.h"

namespace moot::decisions {

class MinutesService final : public v1::MinutesService::Service {
 public:
  MinutesService(MinutesLogic& logic, const auth::ServerAuth& auth) : logic_(logic), auth_(auth) {}

  grpc::Status CreateMinutes(grpc::ServerContext* context, const v1::CreateMinutesRequest* request,
                             v1::Minutes* response) override;
  grpc::Status GetMinutes(grpc::ServerContext* context, const v1::GetMinutesRequest* request,
                          v1::Minutes* response) override;
  grpc::Status AddMinuteEntry(grpc::ServerContext* context,
                              const v1::AddMinuteEntryRequest* request,
                              v1::MinuteEntry* response) override;
  grpc::Status GetMinuteEntry(grpc::ServerContext* context,
                              const v1::GetMinuteEntryRequest* request,
                              v1::MinuteEntry* response) override;
  grpc::Status ListMinuteEntries(grpc::ServerContext* context,
                                 const v1::ListMinuteEntriesRequest* request,
                                 v1::ListMinuteEntriesResponse* response) override;
  grpc::Status RecordResolution(grpc::ServerContext* context,
                                const v1::RecordResolutionRequest* request,
                                v1::MinuteEntry* response) override;
  grpc::Status PublishMinutes(grpc::ServerContext* context,
                              const v1::MinutesTransitionRequest* request,
                              v1::Minutes* response) override;
  grpc::Status SignMinutes(grpc::ServerContext* context,
                           const v1::MinutesTransitionRequest* request,
                           v1::Minutes* response) override;
  grpc::Status CorrectMinuteEntry(grpc::ServerContext* context,
                                  const v1::CorrectMinuteEntryRequest* request,
                                  v1::MinuteEntry* response) override;
  grpc::Status UpdateMinutes(grpc::ServerContext* context, const v1::UpdateMinutesRequest* request,
                             v1::Minutes* response) override;
  grpc::Status RenderMinutes(grpc::ServerContext* context, const v1::RenderMinutesRequest* request,
                             v1::RenderedMinutes* response) override;

 private:
  MinutesLogic& logic_;
  const auth::ServerAuth& auth_;
};

class AuditService final : public v1::AuditService::Service {
 public:
  AuditService(AuditLogic& logic, const auth::ServerAuth& auth) : logic_(logic), auth_(auth) {}

  grpc::Status VerifyAuditChain(grpc::ServerContext* context,
                                const v1::VerifyAuditChainRequest* request,
                                v1::AuditVerification* response) override;
  grpc::Status ListAuditRecords(grpc::ServerContext* context,
                                const v1::ListAuditRecordsRequest* request,
                                v1::ListAuditRecordsResponse* response) override;

 private:
  AuditLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::decisions
