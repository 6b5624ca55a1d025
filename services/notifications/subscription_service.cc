#include "services/notifications/subscription_service.h"

#include "libs/rpc/unary.h"

namespace moot::notifications {

grpc::Status SubscriptionService::CreateSubscription(grpc::ServerContext* context,
                                                     const v1::CreateSubscriptionRequest* request,
                                                     v1::Subscription* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.CreateSubscription(p, *request);
  });
}

grpc::Status SubscriptionService::GetSubscription(grpc::ServerContext* context,
                                                  const v1::GetSubscriptionRequest* request,
                                                  v1::Subscription* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetSubscription(p, *request); });
}

grpc::Status SubscriptionService::ListSubscriptions(grpc::ServerContext* context,
                                                    const v1::ListSubscriptionsRequest* request,
                                                    v1::ListSubscriptionsResponse* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.ListSubscriptions(p, *request);
  });
}

grpc::Status SubscriptionService::DeleteSubscription(grpc::ServerContext* context,
                                                     const v1::DeleteSubscriptionRequest* request,
                                                     v1::DeleteSubscriptionResponse* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.DeleteSubscription(p, *request);
  });
}

}  // namespace moot::notifications
