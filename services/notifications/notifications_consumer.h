// Applies the events of the "moot:events" stream to the notifications service: each event, in one
// transaction with its applied-event mark (a redelivered event has no second effect), is logged
// for WatchEvents resume and delivered into the matching inboxes; after the commit it is offered
// to the open WatchEvents streams. Each event is handled in a CONSUMER span that continues the
// event's trace.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "libs/events/applied_events.h"
#include "libs/events/outbox.h"
#include "libs/events/stream_consumer.h"
#include "libs/redis/redis_client.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "libs/tracing/tracer.h"
#include "services/notifications/event_broadcaster.h"
#include "services/notifications/notifications_logic.h"

namespace moot::notifications {

// The consumer group (and applied-events consumer) of this service.
inline constexpr char kConsumerGroup[] = "notifications";

class NotificationsConsumer {
 public:
  // None are owned; all must outlive this object. `tracer` may be null (no spans).
  NotificationsConsumer(NotificationsLogic& logic, sql::Database& db, EventBroadcaster& broadcaster,
                        tracing::Tracer* tracer,
                        std::string stream = std::string(events::kDefaultStream),
                        const time::Clock& clock = time::Clock::Real());

  // Handles one event (what the stream consumer calls). Errors leave the entry pending so the
  // stream consumer retries it; a repeated event id is OK and has no effect.
  absl::Status Handle(const events::v1::Event& event);

  // A stream consumer of group kConsumerGroup on this object's stream calling Handle().
  // `consumer_name` must be unique per process.
  std::unique_ptr<events::StreamConsumer> MakeStreamConsumer(
      redis::RedisClient& redis, const std::string& consumer_name,
      events::StreamConsumerOptions options = {});

 private:
  NotificationsLogic& logic_;
  sql::Database& db_;
  EventBroadcaster& broadcaster_;
  tracing::Tracer* tracer_;
  const std::string stream_;
  events::AppliedEvents applied_;
};

}  // namespace moot::notifications
