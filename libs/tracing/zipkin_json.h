// Spans in the Zipkin v2 JSON shape (https://zipkin.io/zipkin-api/#/default/post_spans), which
// standard trace viewers read.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/tracing/span.h"

namespace moot::tracing {

// One span as a Zipkin v2 JSON object: id, traceId, parentId (omitted for a root), name, kind
// (omitted for INTERNAL), timestamp and duration in microseconds, localEndpoint.serviceName and
// tags (the attributes, plus "otel.status_code" and, for errors, "error" = the message). Invalid
// UTF-8 in any string is replaced, never thrown on.
std::string ToZipkinJson(const Span& span);

// A JSON array of spans, e.g. one trace for the gateway's trace API.
std::string ToZipkinJsonArray(const std::vector<Span>& spans);

// Parses a span back from ToZipkinJson's output (or any Zipkin v2 span object). INVALID_ARGUMENT
// for malformed JSON or a missing/invalid traceId or id; never throws.
absl::StatusOr<Span> FromZipkinJson(absl::string_view json);

}  // namespace moot::tracing
