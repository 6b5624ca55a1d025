#include "libs/service/new_event.h"

#include "google/protobuf/util/time_util.h"
#include "libs/tracing/event_context.h"

namespace moot::service {

events::v1::Event NewEvent(ids::IdGenerator& ids, const time::Clock& clock,
                           absl::string_view source, absl::string_view type,
                           absl::string_view tenant, absl::string_view subject,
                           const google::protobuf::Message& payload, bool is_public) {
  events::v1::Event event;
  event.set_id(ids.NewId());
  event.set_type(std::string(type));
  event.set_tenant(std::string(tenant));
  event.set_subject(std::string(subject));
  *event.mutable_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock.Now()));
  event.mutable_payload()->PackFrom(payload);
  event.set_source(std::string(source));
  event.set_public_(is_public);
  tracing::InjectCurrentIntoEvent(&event);
  return event;
}

}  // namespace moot::service
