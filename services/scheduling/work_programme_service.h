// gRPC adapter of moot.scheduling.v1.WorkProgrammeService over WorkProgrammeLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/scheduling/v1/work_programme.grpc.pb.h"
#include "services/scheduling/work_programme_logic.h"

namespace moot::scheduling {

class WorkProgrammeService final : public v1::WorkProgrammeService::Service {
 public:
  WorkProgrammeService(WorkProgrammeLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  grpc::Status CreateWorkProgrammeItem(grpc::ServerContext* context,
                                       const v1::CreateWorkProgrammeItemRequest* request,
                                       v1::WorkProgrammeItem* response) override;
  grpc::Status GetWorkProgrammeItem(grpc::ServerContext* context,
                                    const v1::GetWorkProgrammeItemRequest* request,
                                    v1::WorkProgrammeItem* response) override;
  grpc::Status ListWorkProgrammeItems(grpc::ServerContext* context,
                                      const v1::ListWorkProgrammeItemsRequest* request,
                                      v1::ListWorkProgrammeItemsResponse* response) override;
  grpc::Status UpdateWorkProgrammeItem(grpc::ServerContext* context,
                                       const v1::UpdateWorkProgrammeItemRequest* request,
                                       v1::WorkProgrammeItem* response) override;
  grpc::Status DeleteWorkProgrammeItem(grpc::ServerContext* context,
                                       const v1::DeleteWorkProgrammeItemRequest* request,
                                       v1::DeleteWorkProgrammeItemResponse* response) override;
  grpc::Status SeedStatutoryItems(grpc::ServerContext* context,
                                  const v1::SeedStatutoryItemsRequest* request,
                                  v1::SeedStatutoryItemsResponse* response) override;
  grpc::Status RecordChairInput(grpc::ServerContext* context,
                                const v1::RecordChairInputRequest* request,
                                v1::WorkProgrammeQuarter* response) override;
  grpc::Status AgreeQuarter(grpc::ServerContext* context, const v1::AgreeQuarterRequest* request,
                            v1::WorkProgrammeQuarter* response) override;
  grpc::Status GetWorkProgrammeQuarter(grpc::ServerContext* context,
                                       const v1::GetWorkProgrammeQuarterRequest* request,
                                       v1::WorkProgrammeQuarter* response) override;

 private:
  WorkProgrammeLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::scheduling
