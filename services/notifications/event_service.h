// gRPC adapter of moot.notifications.v1.EventService: the WatchEvents server stream. Sync API:
// each open stream waits on its own bounded queue of the EventBroadcaster, with a timeout so it
// notices a cancelled call; Close() on the broadcaster ends every stream (UNAVAILABLE) at once.
#pragma once

#include "absl/time/time.h"
#include "libs/auth/server_auth.h"
#include "moot/notifications/v1/notifications.grpc.pb.h"
#include "services/notifications/event_broadcaster.h"
#include "services/notifications/notifications_logic.h"

namespace moot::notifications {

class EventService final : public v1::EventService::Service {
 public:
  // `poll_interval` bounds how long a stream takes to notice that its caller went away.
  EventService(NotificationsLogic& logic, EventBroadcaster& broadcaster,
               const auth::ServerAuth& auth, absl::Duration poll_interval = absl::Milliseconds(200))
      : logic_(logic), broadcaster_(broadcaster), auth_(auth), poll_interval_(poll_interval) {}

  // Checks access and the request, subscribes to live events, sends the initial metadata (a
  // client may wait for it to know the stream is live), replays the logged events after
  // after_event_id, then streams live events until the caller cancels, the stream falls too far
  // behind (RESOURCE_EXHAUSTED, reason STREAM_TOO_SLOW) or the server shuts down (UNAVAILABLE).
  grpc::Status WatchEvents(grpc::ServerContext* context, const v1::WatchEventsRequest* request,
                           grpc::ServerWriter<events::v1::Event>* writer) override;

 private:
  grpc::Status Watch(grpc::ServerContext* context, const v1::WatchEventsRequest& request,
                     grpc::ServerWriter<events::v1::Event>* writer);

  NotificationsLogic& logic_;
  EventBroadcaster& broadcaster_;
  const auth::ServerAuth& auth_;
  const absl::Duration poll_interval_;
};

}  // namespace moot::notifications
