// Carrying a trace through an event envelope: the producer stamps its span context on the event,
// the consumer continues the trace from it.
#pragma once

#include <optional>

#include "absl/strings/string_view.h"
#include "libs/tracing/tracer.h"
#include "moot/events/v1/event.pb.h"

namespace moot::tracing {

// Writes `context`'s traceparent and tracestate into the event (clears them for nullopt).
void InjectIntoEvent(const std::optional<SpanContext>& context, events::v1::Event* event);

// Stamps the thread's CurrentSpanContext() (e.g. the handler's SERVER span) on the event.
void InjectCurrentIntoEvent(events::v1::Event* event);

// The event's span context, or nullopt when it has none or it is malformed.
std::optional<SpanContext> ExtractFromEvent(const events::v1::Event& event);

// Starts a span for handling (CONSUMER, "<type> process") or relaying (PRODUCER,
// "<type> publish") the event from/to Redis stream `stream`, as a child of the event's
// traceparent (a new trace if it has none), with the messaging.* attributes
// (messaging.system=redis, messaging.destination.name=stream, messaging.message.id=event id).
ScopedSpan StartConsumerSpan(Tracer& tracer, const events::v1::Event& event,
                             absl::string_view stream);
ScopedSpan StartProducerSpan(Tracer& tracer, const events::v1::Event& event,
                             absl::string_view stream);

}  // namespace moot::tracing
