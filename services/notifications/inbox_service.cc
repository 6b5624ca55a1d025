#include "services/notifications/inbox_service.h"

#include "libs/rpc/unary.h"

namespace moot::notifications {

grpc::Status InboxService::ListInboxEntries(grpc::ServerContext* context,
                                            const v1::ListInboxEntriesRequest* request,
                                            v1::ListInboxEntriesResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListInboxEntries(p, *request); });
}

}  // namespace moot::notifications
