#include "services/decisions/minutes_service.h"

#include "libs/rpc/unary.h"
#include "services/decisions/grpc_scheduling_directory.h"

namespace moot::decisions {

grpc::Status MinutesService::CreateMinutes(grpc::ServerContext* context,
                                           const v1::CreateMinutesRequest* request,
                                           v1::Minutes* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.CreateMinutes(p, *request); });
}

grpc::Status MinutesService::GetMinutes(grpc::ServerContext* context,
                                        const v1::GetMinutesRequest* request,
                                        v1::Minutes* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetMinutes(p, *request); });
}

grpc::Status MinutesService::AddMinuteEntry(grpc::ServerContext* context,
                                            const v1::AddMinuteEntryRequest* request,
                                            v1::MinuteEntry* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.AddMinuteEntry(p, *request); });
}

grpc::Status MinutesService::GetMinuteEntry(grpc::ServerContext* context,
                                            const v1::GetMinuteEntryRequest* request,
                                            v1::MinuteEntry* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetMinuteEntry(p, *request); });
}

grpc::Status MinutesService::ListMinuteEntries(grpc::ServerContext* context,
                                               const v1::ListMinuteEntriesRequest* request,
                                               v1::ListMinuteEntriesResponse* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.ListMinuteEntries(p, *request);
  });
}

grpc::Status MinutesService::RecordResolution(grpc::ServerContext* context,
                                              const v1::RecordResolutionRequest* request,
                                              v1::MinuteEntry* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.RecordResolution(p, *request); });
}

grpc::Status MinutesService::PublishMinutes(grpc::ServerContext* context,
                                            const v1::MinutesTransitionRequest* request,
                                            v1::Minutes* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.PublishMinutes(p, *request); });
}

grpc::Status MinutesService::SignMinutes(grpc::ServerContext* context,
                                         const v1::MinutesTransitionRequest* request,
                                         v1::Minutes* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.SignMinutes(p, *request); });
}

grpc::Status MinutesService::CorrectMinuteEntry(grpc::ServerContext* context,
                                                const v1::CorrectMinuteEntryRequest* request,
                                                v1::MinuteEntry* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.CorrectMinuteEntry(p, *request);
  });
}

grpc::Status MinutesService::UpdateMinutes(grpc::ServerContext* context,
                                           const v1::UpdateMinutesRequest* request,
                                           v1::Minutes* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.UpdateMinutes(p, *request); });
}

grpc::Status MinutesService::RenderMinutes(grpc::ServerContext* context,
                                           const v1::RenderMinutesRequest* request,
                                           v1::RenderedMinutes* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.RenderMinutes(p, *request); });
}

grpc::Status AuditService::VerifyAuditChain(grpc::ServerContext* context,
                                            const v1::VerifyAuditChainRequest* request,
                                            v1::AuditVerification* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.VerifyAuditChain(p, *request); });
}

grpc::Status AuditService::ListAuditRecords(grpc::ServerContext* context,
                                            const v1::ListAuditRecordsRequest* request,
                                            v1::ListAuditRecordsResponse* response) {
  ForwardCredentials forward(context);
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListAuditRecords(p, *request); });
}

}  // namespace moot::decisions
