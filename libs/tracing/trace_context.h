// W3C Trace Context (https://www.w3.org/TR/trace-context/): the traceparent and tracestate headers.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace moot::tracing {

// Header and metadata key names (gRPC metadata keys are lower case).
inline constexpr char kTraceParentHeader[] = "traceparent";
inline constexpr char kTraceStateHeader[] = "tracestate";

// The sampled bit of trace-flags.
inline constexpr uint8_t kSampledFlag = 0x01;

// A parsed traceparent: version-traceid-parentid-flags.
struct TraceParent {
  uint8_t version = 0;   // 00 is the only version we emit; later ones are parsed leniently.
  std::string trace_id;  // 32 lower-case hex digits, not all zero.
  std::string span_id;   // 16 lower-case hex digits, not all zero (the spec's parent-id).
  uint8_t flags = kSampledFlag;

  bool sampled() const { return (flags & kSampledFlag) != 0; }
  friend bool operator==(const TraceParent&, const TraceParent&) = default;
};

// Parses a traceparent header value. Returns INVALID_ARGUMENT for anything the spec says to
// reject: wrong length or delimiters, upper-case or non-hex digits, version ff, all-zero trace or
// span id, or (version 00) trailing data. A version above 00 is parsed by the 00 layout and may
// carry further data after a '-' at position 55, which is ignored. Never crashes on any input;
// callers start a new trace on error.
absl::StatusOr<TraceParent> ParseTraceParent(absl::string_view header);

// Formats as version 00 ("00-<trace_id>-<span_id>-<flags>"), whatever version was parsed.
std::string FormatTraceParent(const TraceParent& tp);

// True if `hex` is exactly `len` lower-case hex digits and not all zero.
bool IsValidTraceId(absl::string_view hex);
bool IsValidSpanId(absl::string_view hex);

// A tracestate header: an ordered list of vendor key=value members, at most 32.
class TraceState {
 public:
  static constexpr int kMaxMembers = 32;

  TraceState() = default;

  // Parses a tracestate header value (list-members joined by ',' with optional spaces or tabs;
  // empty members are skipped). INVALID_ARGUMENT on a bad key or value, a duplicate key, or more
  // than 32 members; per the spec the caller then drops the whole tracestate.
  static absl::StatusOr<TraceState> Parse(absl::string_view header);

  // "k1=v1,k2=v2" in order; empty when there are no members.
  std::string Format() const;

  // The value for `key`, or empty when absent.
  std::string Get(absl::string_view key) const;

  // Puts key=value first (the spec's rule for a mutated member), replacing an earlier value and
  // dropping the last member if the list would exceed 32. INVALID_ARGUMENT for a bad key/value.
  absl::Status Set(absl::string_view key, absl::string_view value);

  // Removes `key` if present.
  void Erase(absl::string_view key);

  bool empty() const { return members_.empty(); }
  int size() const { return static_cast<int>(members_.size()); }
  const std::vector<std::pair<std::string, std::string>>& members() const { return members_; }

  friend bool operator==(const TraceState&, const TraceState&) = default;

  static bool IsValidKey(absl::string_view key);
  static bool IsValidValue(absl::string_view value);

 private:
  std::vector<std::pair<std::string, std::string>> members_;
};

// What a span hands to its children and to the next process: the ids plus tracestate.
struct SpanContext {
  std::string trace_id;
  std::string span_id;
  uint8_t flags = kSampledFlag;
  TraceState trace_state;

  bool sampled() const { return (flags & kSampledFlag) != 0; }
  TraceParent ToTraceParent() const { return TraceParent{0, trace_id, span_id, flags}; }
  // The traceparent header value for this context.
  std::string TraceParentHeader() const { return FormatTraceParent(ToTraceParent()); }

  // A context from a parsed traceparent and an optional tracestate.
  static SpanContext FromTraceParent(const TraceParent& tp, TraceState state = {}) {
    return SpanContext{tp.trace_id, tp.span_id, tp.flags, std::move(state)};
  }

  // Parses both headers. An invalid traceparent is an error; an invalid tracestate is dropped
  // (empty), as the spec asks.
  static absl::StatusOr<SpanContext> FromHeaders(absl::string_view traceparent,
                                                 absl::string_view tracestate);

  friend bool operator==(const SpanContext&, const SpanContext&) = default;
};

}  // namespace moot::tracing
