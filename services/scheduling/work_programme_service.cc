#include "services/scheduling/work_programme_service.h"

#include "libs/rpc/unary.h"

namespace moot::scheduling {

grpc::Status WorkProgrammeService::CreateWorkProgrammeItem(
    grpc::ServerContext* context, const v1::CreateWorkProgrammeItemRequest* request,
    v1::WorkProgrammeItem* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.CreateWorkProgrammeItem(p, *request);
  });
}

grpc::Status WorkProgrammeService::GetWorkProgrammeItem(
    grpc::ServerContext* context, const v1::GetWorkProgrammeItemRequest* request,
    v1::WorkProgrammeItem* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.GetWorkProgrammeItem(p, *request);
  });
}

grpc::Status WorkProgrammeService::ListWorkProgrammeItems(
    grpc::ServerContext* context, const v1::ListWorkProgrammeItemsRequest* request,
    v1::ListWorkProgrammeItemsResponse* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.ListWorkProgrammeItems(p, *request);
  });
}

grpc::Status WorkProgrammeService::UpdateWorkProgrammeItem(
    grpc::ServerContext* context, const v1::UpdateWorkProgrammeItemRequest* request,
    v1::WorkProgrammeItem* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.UpdateWorkProgrammeItem(p, *request);
  });
}

grpc::Status WorkProgrammeService::DeleteWorkProgrammeItem(
    grpc::ServerContext* context, const v1::DeleteWorkProgrammeItemRequest* request,
    v1::DeleteWorkProgrammeItemResponse* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.DeleteWorkProgrammeItem(p, *request);
  });
}

grpc::Status WorkProgrammeService::SeedStatutoryItems(grpc::ServerContext* context,
                                                      const v1::SeedStatutoryItemsRequest* request,
                                                      v1::SeedStatutoryItemsResponse* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.SeedStatutoryItems(p, *request);
  });
}

grpc::Status WorkProgrammeService::RecordChairInput(grpc::ServerContext* context,
                                                    const v1::RecordChairInputRequest* request,
                                                    v1::WorkProgrammeQuarter* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.RecordChairInput(p, *request); });
}

grpc::Status WorkProgrammeService::AgreeQuarter(grpc::ServerContext* context,
                                                const v1::AgreeQuarterRequest* request,
                                                v1::WorkProgrammeQuarter* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.AgreeQuarter(p, *request); });
}

grpc::Status WorkProgrammeService::GetWorkProgrammeQuarter(
    grpc::ServerContext* context, const v1::GetWorkProgrammeQuarterRequest* request,
    v1::WorkProgrammeQuarter* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.GetWorkProgrammeQuarter(p, *request);
  });
}

}  // namespace moot::scheduling
