#include "services/notifications/event_service.h"

#include <exception>

#include "absl/container/flat_hash_set.h"
#include "libs/log/logger.h"
#include "libs/status/errors.h"
#include "libs/status/grpc_status.h"

namespace moot::notifications {

grpc::Status EventService::WatchEvents(grpc::ServerContext* context,
                                       const v1::WatchEventsRequest* request,
                                       grpc::ServerWriter<events::v1::Event>* writer) {
  try {
    return Watch(context, *request, writer);
  } catch (const std::exception& e) {
    log::Error("exception in handler", {{"what", e.what()}});
    return status::ToGrpcStatus(absl::InternalError("internal error"));
  }
}

grpc::Status EventService::Watch(grpc::ServerContext* context,
                                 const v1::WatchEventsRequest& request,
                                 grpc::ServerWriter<events::v1::Event>* writer) {
  absl::StatusOr<auth::Principal> principal = auth_.PrincipalFromContext(context);
  if (!principal.ok()) {
    return status::ToGrpcStatus(principal.status());
  }
  absl::StatusOr<EventFilter> filter = logic_.PrepareWatch(*principal, request);
  if (!filter.ok()) {
    return status::ToGrpcStatus(filter.status());
  }
  // Subscribe before replaying, so nothing committed meanwhile falls between the two.
  absl::StatusOr<std::unique_ptr<EventSubscription>> subscription =
      broadcaster_.Subscribe(filter->tenant);
  if (!subscription.ok()) {
    return status::ToGrpcStatus(subscription.status());
  }
  writer->SendInitialMetadata();

  absl::flat_hash_set<std::string> replayed;
  if (!request.after_event_id().empty()) {
    bool gone = false;
    absl::Status replay =
        logic_.ReplayEvents(*filter, request.after_event_id(), [&](const events::v1::Event& e) {
          if (context->IsCancelled() || !writer->Write(e)) {
            gone = true;
            return false;
          }
          replayed.insert(e.id());
          return true;
        });
    if (gone) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "the caller went away");
    }
    if (!replay.ok()) {
      log::Error("replay failed", {{"status", replay.ToString()}});
      return status::ToGrpcStatus(replay);
    }
  }

  events::v1::Event event;
  while (true) {
    switch ((*subscription)->Next(poll_interval_, &event)) {
      case EventSubscription::Outcome::kEvent:
        if (!filter->Matches(event) || replayed.contains(event.id())) {
          break;
        }
        if (!writer->Write(event)) {
          return grpc::Status(grpc::StatusCode::CANCELLED, "the caller went away");
        }
        break;
      case EventSubscription::Outcome::kTimeout:
        break;
      case EventSubscription::Outcome::kClosed:
        return status::ToGrpcStatus(absl::UnavailableError(
            "the server is shutting down; reconnect with after_event_id to resume"));
      case EventSubscription::Outcome::kOverflow:
        return status::ToGrpcStatus(status::ResourceExhausted(
            "STREAM_TOO_SLOW",
            "the stream fell too far behind; reconnect with after_event_id to resume",
            absl::Seconds(1)));
    }
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "the caller went away");
    }
  }
}

}  // namespace moot::notifications
