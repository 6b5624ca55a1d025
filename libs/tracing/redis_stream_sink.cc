#include "libs/tracing/redis_stream_sink.h"

#include "libs/tracing/zipkin_json.h"

namespace moot::tracing {

absl::Status RedisStreamSink::Write(const std::vector<Span>& spans) {
  for (const Span& span : spans) {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"trace_id", span.trace_id},
        {"span", ToZipkinJson(span)},
    };
    absl::Status status = writer_.XAdd(options_.stream, options_.maxlen, fields);
    if (!status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace moot::tracing
