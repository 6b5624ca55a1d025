#include "services/notifications/notifications_consumer.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "libs/log/logger.h"
#include "libs/status/macros.h"
#include "libs/tracing/event_context.h"

namespace moot::notifications {

NotificationsConsumer::NotificationsConsumer(NotificationsLogic& logic, sql::Database& db,
                                             EventBroadcaster& broadcaster, tracing::Tracer* tracer,
                                             std::string stream, const time::Clock& clock)
    : logic_(logic),
      db_(db),
      broadcaster_(broadcaster),
      tracer_(tracer),
      stream_(std::move(stream)),
      applied_(db, kConsumerGroup, clock) {}

absl::Status NotificationsConsumer::Handle(const events::v1::Event& event) {
  tracing::ScopedSpan span;
  std::optional<tracing::SpanContext> context;
  if (tracer_ != nullptr) {
    span = tracing::StartConsumerSpan(*tracer_, event, stream_);
    context = span.context();
  }
  tracing::ScopedCurrentSpan current(context);
  if (event.id().empty()) {
    span.End();
    return absl::OkStatus();  // Nothing to dedupe on; the relay never writes such an entry.
  }
  bool fresh = false;
  int written = 0;
  absl::Status status = db_.Transact([&](sql::Connection& tx) -> absl::Status {
    fresh = false;
    MOOT_ASSIGN_OR_RETURN(bool marked, applied_.MarkApplied(tx, event.id()));
    if (!marked) {
      return absl::OkStatus();  // Applied before: no second effect.
    }
    MOOT_ASSIGN_OR_RETURN(written, logic_.DeliverEvent(tx, event));
    fresh = true;
    return absl::OkStatus();
  });
  span.SetAttribute("moot.tenant", event.tenant());
  span.SetAttribute("moot.duplicate", fresh || !status.ok() ? "false" : "true");
  span.SetAttribute("moot.inbox_entries", absl::StrCat(written));
  span.End(status);
  if (!status.ok()) {
    log::Warning("event not applied",
                 {{"event_id", event.id()}, {"type", event.type()}, {"status", status.ToString()}});
    return status;
  }
  if (fresh) {
    broadcaster_.Publish(event);
  }
  return absl::OkStatus();
}

std::unique_ptr<events::StreamConsumer> NotificationsConsumer::MakeStreamConsumer(
    redis::RedisClient& redis, const std::string& consumer_name,
    events::StreamConsumerOptions options) {
  options.stream = stream_;
  options.group = kConsumerGroup;
  options.consumer = consumer_name;
  // Dedupe happens inside Handle's transaction, so the stream consumer needs no AppliedEvents.
  return std::make_unique<events::StreamConsumer>(
      redis, std::move(options),
      events::StreamConsumer::Handler(
          [this](const events::v1::Event& event) { return Handle(event); }));
}

}  // namespace moot::notifications
