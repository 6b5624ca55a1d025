#include "libs/tracing/event_context.h"

#include "absl/strings/str_cat.h"

namespace moot::tracing {
namespace {

ScopedSpan StartEventSpan(Tracer& tracer, const events::v1::Event& event, absl::string_view stream,
                          SpanKind kind, absl::string_view operation) {
  ScopedSpan span =
      tracer.StartSpan(absl::StrCat(event.type(), " ", operation), kind, ExtractFromEvent(event));
  span.SetAttribute(attr::kMessagingSystem, kMessagingSystemRedis);
  span.SetAttribute(attr::kMessagingDestinationName, stream);
  span.SetAttribute(attr::kMessagingMessageId, event.id());
  span.SetAttribute(attr::kMessagingOperation, operation);
  span.SetAttribute(attr::kMootEventType, event.type());
  if (!event.tenant().empty()) {
    span.SetAttribute(attr::kMootTenant, event.tenant());
  }
  return span;
}

}  // namespace

void InjectIntoEvent(const std::optional<SpanContext>& context, events::v1::Event* event) {
  if (!context.has_value()) {
    event->clear_traceparent();
    event->clear_tracestate();
    return;
  }
  event->set_traceparent(context->TraceParentHeader());
  event->set_tracestate(context->trace_state.Format());
}

void InjectCurrentIntoEvent(events::v1::Event* event) {
  InjectIntoEvent(CurrentSpanContext(), event);
}

std::optional<SpanContext> ExtractFromEvent(const events::v1::Event& event) {
  absl::StatusOr<SpanContext> ctx =
      SpanContext::FromHeaders(event.traceparent(), event.tracestate());
  if (!ctx.ok()) return std::nullopt;
  return *std::move(ctx);
}

ScopedSpan StartConsumerSpan(Tracer& tracer, const events::v1::Event& event,
                             absl::string_view stream) {
  return StartEventSpan(tracer, event, stream, SpanKind::kConsumer, "process");
}

ScopedSpan StartProducerSpan(Tracer& tracer, const events::v1::Event& event,
                             absl::string_view stream) {
  return StartEventSpan(tracer, event, stream, SpanKind::kProducer, "publish");
}

}  // namespace moot::tracing
