// The trace API's reads: spans from the stream the tracing library writes ("moot:spans", one
// entry per span with fields "trace_id" and "span" = Zipkin v2 JSON), grouped into traces.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace moot::redis {
class RedisClient;
}

namespace moot::gateway {

// One stored span.
struct SpanRecord {
  std::string trace_id;
  std::string span_json;  // Zipkin v2 JSON of one span.
};

// Where spans are read from. Thread-safe.
class SpanSource {
 public:
  virtual ~SpanSource() = default;
  // Up to `max_entries` of the newest spans, newest first.
  virtual absl::StatusOr<std::vector<SpanRecord>> Newest(int64_t max_entries) const = 0;
};

// Spans in memory, for tests.
class InMemorySpanSource : public SpanSource {
 public:
  void Add(SpanRecord record);
  absl::StatusOr<std::vector<SpanRecord>> Newest(int64_t max_entries) const override;

 private:
  mutable absl::Mutex mu_;
  std::vector<SpanRecord> records_ ABSL_GUARDED_BY(mu_);  // Oldest first.
};

// The Redis stream written by libs/tracing's RedisStreamSink (XREVRANGE).
class RedisSpanSource : public SpanSource {
 public:
  // `client` must outlive this object.
  RedisSpanSource(moot::redis::RedisClient& client, std::string stream = "moot:spans")
      : client_(client), stream_(std::move(stream)) {}
  absl::StatusOr<std::vector<SpanRecord>> Newest(int64_t max_entries) const override;

 private:
  moot::redis::RedisClient& client_;
  const std::string stream_;
};

// Answers the Zipkin v2 trace queries over the newest `scan_limit` spans.
class TraceQuery {
 public:
  explicit TraceQuery(const SpanSource& source, int64_t scan_limit = 20000)
      : source_(source), scan_limit_(scan_limit) {}

  // GET /api/v2/trace/{id}: a JSON array of the trace's spans (oldest first). INVALID_ARGUMENT
  // for an id that is not 16 or 32 hex digits; NOT_FOUND when no span of it is stored.
  absl::StatusOr<std::string> Trace(absl::string_view trace_id) const;

  // GET /api/v2/traces?limit=N: a JSON array of the newest `limit` traces (1..1000), each an
  // array of its spans.
  absl::StatusOr<std::string> RecentTraces(int limit) const;

 private:
  const SpanSource& source_;
  const int64_t scan_limit_;
};

}  // namespace moot::gateway
