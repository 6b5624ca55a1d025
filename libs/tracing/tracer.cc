#include "libs/tracing/tracer.h"

#include <utility>

#include "libs/log/logger.h"

namespace moot::tracing {
namespace {

thread_local std::optional<SpanContext> current_span_context;

// A non-zero id of `bytes` random bytes (an all-zero id is invalid in W3C Trace Context).
std::string NewHexId(ids::IdGenerator& ids, int bytes) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::string id = ids.RandomHex(bytes);
    if (bytes == 16 ? IsValidTraceId(id) : IsValidSpanId(id)) {
      return id;
    }
  }
  std::string id(static_cast<size_t>(bytes) * 2, '0');
  id.back() = '1';
  return id;
}

}  // namespace

ScopedSpan::ScopedSpan(Tracer* tracer, Span span, SpanContext context)
    : tracer_(tracer), span_(std::move(span)), context_(std::move(context)), ended_(false) {}

ScopedSpan::ScopedSpan(ScopedSpan&& other) noexcept
    : tracer_(other.tracer_),
      span_(std::move(other.span_)),
      context_(std::move(other.context_)),
      ended_(other.ended_) {
  other.ended_ = true;
  other.tracer_ = nullptr;
}

ScopedSpan& ScopedSpan::operator=(ScopedSpan&& other) noexcept {
  if (this != &other) {
    End();
    tracer_ = other.tracer_;
    span_ = std::move(other.span_);
    context_ = std::move(other.context_);
    ended_ = other.ended_;
    other.ended_ = true;
    other.tracer_ = nullptr;
  }
  return *this;
}

ScopedSpan::~ScopedSpan() { End(); }

void ScopedSpan::SetAttribute(absl::string_view key, absl::string_view value) {
  if (!ended_) {
    span_.attributes[std::string(key)] = std::string(value);
  }
}

void ScopedSpan::SetStatus(SpanStatusCode code, absl::string_view message) {
  if (!ended_) {
    span_.status_code = code;
    span_.status_message = code == SpanStatusCode::kError ? std::string(message) : "";
  }
}

void ScopedSpan::End(const absl::Status& status) {
  if (status.ok()) {
    SetStatus(SpanStatusCode::kOk);
  } else {
    SetStatus(SpanStatusCode::kError, status.message());
  }
  End();
}

void ScopedSpan::End() {
  if (ended_ || tracer_ == nullptr) {
    ended_ = true;
    return;
  }
  ended_ = true;
  span_.duration = tracer_->clock_.Now() - span_.start;
  if (span_.duration < absl::ZeroDuration()) {
    span_.duration = absl::ZeroDuration();
  }
  tracer_->Finish(std::move(span_), context_.sampled());
}

Tracer::Tracer(std::string service_name, const time::Clock& clock, ids::IdGenerator& ids,
               SpanExporter& exporter)
    : service_name_(std::move(service_name)), clock_(clock), ids_(ids), exporter_(exporter) {}

ScopedSpan Tracer::StartSpan(absl::string_view name, SpanKind kind,
                             const std::optional<SpanContext>& parent) {
  Span span;
  SpanContext context;
  if (parent.has_value() && IsValidTraceId(parent->trace_id) && IsValidSpanId(parent->span_id)) {
    span.trace_id = parent->trace_id;
    span.parent_span_id = parent->span_id;
    context.flags = parent->flags;
    context.trace_state = parent->trace_state;
  } else {
    span.trace_id = NewHexId(ids_, 16);
    context.flags = kSampledFlag;
  }
  span.span_id = NewHexId(ids_, 8);
  span.name = std::string(name);
  span.kind = kind;
  span.service_name = service_name_;
  span.start = clock_.Now();
  context.trace_id = span.trace_id;
  context.span_id = span.span_id;
  return ScopedSpan(this, std::move(span), std::move(context));
}

void Tracer::Finish(Span span, bool sampled) {
  if (sampled) {
    exporter_.Export(std::move(span));
  }
}

std::optional<SpanContext> CurrentSpanContext() { return current_span_context; }

// The current span's trace id also goes on every log line the thread writes meanwhile.
ScopedCurrentSpan::ScopedCurrentSpan(std::optional<SpanContext> context)
    : previous_(std::move(current_span_context)) {
  current_span_context = std::move(context);
  log::SetThreadTraceId(current_span_context ? current_span_context->trace_id : "");
}

ScopedCurrentSpan::~ScopedCurrentSpan() {
  current_span_context = std::move(previous_);
  log::SetThreadTraceId(current_span_context ? current_span_context->trace_id : "");
}

}  // namespace moot::tracing
