// Building a domain event for the outbox: id, type, tenant, subject, time, the caller's trace
// context, the typed payload, the emitting service, and whether the public may see it.
#pragma once

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "libs/ids/id_generator.h"
#include "libs/time/clock.h"
#include "moot/events/v1/event.pb.h"

namespace moot::service {

// A new event whose traceparent is the current thread's span (the handler's SERVER span), so
// consumers continue the caller's trace. `is_public` must be false for anything about exempt or
// confidential content: anonymous feeds and streams only ever carry public events.
events::v1::Event NewEvent(ids::IdGenerator& ids, const time::Clock& clock,
                           absl::string_view source, absl::string_view type,
                           absl::string_view tenant, absl::string_view subject,
                           const google::protobuf::Message& payload, bool is_public);

}  // namespace moot::service
