// gRPC adapter of moot.notifications.v1.SubscriptionService over NotificationsLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/notifications/v1/notifications.grpc.pb.h"
#include "services/notifications/notifications_logic.h"

namespace moot::notifications {

class SubscriptionService final : public v1::SubscriptionService::Service {
 public:
  SubscriptionService(NotificationsLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  grpc::Status CreateSubscription(grpc::ServerContext* context,
                                  const v1::CreateSubscriptionRequest* request,
                                  v1::Subscription* response) override;
  grpc::Status GetSubscription(grpc::ServerContext* context,
                               const v1::GetSubscriptionRequest* request,
                               v1::Subscription* response) override;
  grpc::Status ListSubscriptions(grpc::ServerContext* context,
                                 const v1::ListSubscriptionsRequest* request,
                                 v1::ListSubscriptionsResponse* response) override;
  grpc::Status DeleteSubscription(grpc::ServerContext* context,
                                  const v1::DeleteSubscriptionRequest* request,
                                  v1::DeleteSubscriptionResponse* response) override;

 private:
  NotificationsLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::notifications
