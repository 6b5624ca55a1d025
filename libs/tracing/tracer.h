// The per-process Tracer, the scoped span it hands out, and the thread's current span context.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "libs/ids/id_generator.h"
#include "libs/time/clock.h"
#include "libs/tracing/span.h"
#include "libs/tracing/span_exporter.h"
#include "libs/tracing/trace_context.h"

namespace moot::tracing {

class Tracer;

// A span being recorded. Ends (and is exported, if sampled) on End() or at destruction,
// whichever comes first; later End() calls do nothing. Movable, not copyable. Not thread-safe:
// one span belongs to one piece of work.
class ScopedSpan {
 public:
  ScopedSpan() = default;  // An inert span that records nothing.
  ScopedSpan(ScopedSpan&& other) noexcept;
  ScopedSpan& operator=(ScopedSpan&& other) noexcept;
  ScopedSpan(const ScopedSpan&) = delete;
  ScopedSpan& operator=(const ScopedSpan&) = delete;
  ~ScopedSpan();

  // The context children and outgoing calls use (this span's id as their parent).
  const SpanContext& context() const { return context_; }
  const Span& data() const { return span_; }
  bool ended() const { return ended_; }

  void SetAttribute(absl::string_view key, absl::string_view value);
  void SetStatus(SpanStatusCode code, absl::string_view message = "");

  // Ends with OK or ERROR + message from `status`.
  void End(const absl::Status& status);
  // Ends with the status set so far (UNSET unless SetStatus was called).
  void End();

 private:
  friend class Tracer;
  ScopedSpan(Tracer* tracer, Span span, SpanContext context);

  Tracer* tracer_ = nullptr;
  Span span_;
  SpanContext context_;
  bool ended_ = true;
};

// Starts spans for one process. Thread-safe. The clock, id generator and exporter must outlive
// the tracer and every span it started.
class Tracer {
 public:
  Tracer(std::string service_name, const time::Clock& clock, ids::IdGenerator& ids,
         SpanExporter& exporter);

  // Starts a span. With a parent, the span joins the parent's trace (same trace id and flags,
  // parent span id = parent.span_id, tracestate carried on); without one it starts a new,
  // sampled trace.
  ScopedSpan StartSpan(absl::string_view name, SpanKind kind,
                       const std::optional<SpanContext>& parent = std::nullopt);

  const std::string& service_name() const { return service_name_; }
  const time::Clock& clock() const { return clock_; }

 private:
  friend class ScopedSpan;
  void Finish(Span span, bool sampled);

  std::string service_name_;
  const time::Clock& clock_;
  ids::IdGenerator& ids_;
  SpanExporter& exporter_;
};

// The span context of the work running on this thread (set by the server interceptor around a
// handler, or by a ScopedCurrentSpan), or nullopt. The client interceptor uses it as the parent
// of outgoing calls.
std::optional<SpanContext> CurrentSpanContext();

// Makes `context` the thread's current span context until destruction, then restores the
// previous one. Must be destroyed on the thread that made it.
class ScopedCurrentSpan {
 public:
  explicit ScopedCurrentSpan(std::optional<SpanContext> context);
  ~ScopedCurrentSpan();
  ScopedCurrentSpan(const ScopedCurrentSpan&) = delete;
  ScopedCurrentSpan& operator=(const ScopedCurrentSpan&) = delete;

 private:
  std::optional<SpanContext> previous_;
};

}  // namespace moot::tracing
