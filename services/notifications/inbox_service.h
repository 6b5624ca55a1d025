// gRPC adapter of moot.notifications.v1.InboxService over NotificationsLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/notifications/v1/notifications.grpc.pb.h"
#include "services/notifications/notifications_logic.h"

namespace moot::notifications {

class InboxService final : public v1::InboxService::Service {
 public:
  InboxService(NotificationsLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  grpc::Status ListInboxEntries(grpc::ServerContext* context,
                                const v1::ListInboxEntriesRequest* request,
                                v1::ListInboxEntriesResponse* response) override;

 private:
  NotificationsLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::notifications
