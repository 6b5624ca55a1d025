#include "libs/tracing/zipkin_json.h"

#include <cstdint>

#include "libs/status/errors.h"
#include "libs/tracing/trace_context.h"
#include "nlohmann/json.hpp"

namespace moot::tracing {
namespace {

using nlohmann::json;

json ToJsonObject(const Span& span) {
  json j = json::object();
  j["traceId"] = span.trace_id;
  j["id"] = span.span_id;
  if (!span.parent_span_id.empty()) {
    j["parentId"] = span.parent_span_id;
  }
  j["name"] = span.name;
  if (span.kind != SpanKind::kInternal) {
    j["kind"] = std::string(SpanKindName(span.kind));
  }
  j["timestamp"] = absl::ToUnixMicros(span.start);
  // Zipkin treats 0 as "unknown"; a finished span lasted at least a microsecond.
  j["duration"] = std::max<int64_t>(1, absl::ToInt64Microseconds(span.duration));
  j["localEndpoint"] = json{{"serviceName", span.service_name}};
  json tags = json::object();
  for (const auto& [k, v] : span.attributes) {
    tags[k] = v;
  }
  if (span.status_code != SpanStatusCode::kUnset) {
    tags["otel.status_code"] = std::string(SpanStatusCodeName(span.status_code));
  }
  if (span.status_code == SpanStatusCode::kError) {
    tags["error"] = span.status_message.empty() ? "true" : span.status_message;
  }
  j["tags"] = std::move(tags);
  return j;
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

SpanKind KindFromName(const std::string& name) {
  if (name == "SERVER") return SpanKind::kServer;
  if (name == "CLIENT") return SpanKind::kClient;
  if (name == "PRODUCER") return SpanKind::kProducer;
  if (name == "CONSUMER") return SpanKind::kConsumer;
  return SpanKind::kInternal;
}

std::string StringOr(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t IntOr(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

}  // namespace

std::string ToZipkinJson(const Span& span) { return Dump(ToJsonObject(span)); }

std::string ToZipkinJsonArray(const std::vector<Span>& spans) {
  json arr = json::array();
  for (const Span& s : spans) {
    arr.push_back(ToJsonObject(s));
  }
  return Dump(arr);
}

absl::StatusOr<Span> FromZipkinJson(absl::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return status::InvalidArgument("span", "not a JSON object");
  }
  Span span;
  span.trace_id = StringOr(j, "traceId");
  span.span_id = StringOr(j, "id");
  if (!IsValidTraceId(span.trace_id) || !IsValidSpanId(span.span_id)) {
    return status::InvalidArgument("span", "missing or invalid traceId/id");
  }
  span.parent_span_id = StringOr(j, "parentId");
  span.name = StringOr(j, "name");
  span.kind = KindFromName(StringOr(j, "kind"));
  span.start = absl::FromUnixMicros(IntOr(j, "timestamp"));
  span.duration = absl::Microseconds(IntOr(j, "duration"));
  if (auto ep = j.find("localEndpoint"); ep != j.end() && ep->is_object()) {
    span.service_name = StringOr(*ep, "serviceName");
  }
  if (auto tags = j.find("tags"); tags != j.end() && tags->is_object()) {
    for (auto it = tags->begin(); it != tags->end(); ++it) {
      if (it.value().is_string()) {
        span.attributes[it.key()] = it.value().get<std::string>();
      }
    }
  }
  std::string status = span.attributes.count("otel.status_code") != 0
                           ? span.attributes["otel.status_code"]
                           : std::string();
  if (status == "OK") {
    span.status_code = SpanStatusCode::kOk;
  } else if (status == "ERROR" || span.attributes.count("error") != 0) {
    span.status_code = SpanStatusCode::kError;
    span.status_message = span.attributes.count("error") != 0 ? span.attributes["error"] : "";
  }
  span.attributes.erase("otel.status_code");
  span.attributes.erase("error");
  return span;
}

}  // namespace moot::tracing
