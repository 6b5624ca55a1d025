#include "libs/tracing/redis_stream_sink.h"

#include "libs/tracing/zipkin_json.h"

namespace moot::tracing {

absl::Status RedisStreamSink::Write(const std::vector<Span>& spans) {
  std::vector<std::vector<std::pair<std::string, std::string>>> entries;
  entries.reserve(spans.size());
  for (const Span& span : spans) {
    entries.push_back({{"trace_id", span.trace_id}, {"span", ToZipkinJson(span)}});
  }
  return writer_.XAddBatch(options_.stream, options_.maxlen, entries);
}

}  // namespace moot::tracing
