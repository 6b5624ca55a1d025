// A SpanSink that appends each span to a capped Redis Stream, written against the small
// StreamWriter interface so that tracing does not depend on libs/redis (services adapt their
// Redis client to StreamWriter).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "libs/tracing/span_exporter.h"

namespace moot::tracing {

// Appends entries to a Redis Stream.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  // XADD <stream> MAXLEN ~ <maxlen> * <field> <value> ... (approximate trimming keeps it cheap).
  // `maxlen` <= 0 means no cap.
  virtual absl::Status XAdd(absl::string_view stream, int64_t maxlen,
                            const std::vector<std::pair<std::string, std::string>>& fields) = 0;
  // Appends several entries; writers that can pipeline do it in one round trip. The default
  // calls XAdd for each and stops at the first error.
  virtual absl::Status XAddBatch(
      absl::string_view stream, int64_t maxlen,
      const std::vector<std::vector<std::pair<std::string, std::string>>>& entries) {
    for (const auto& fields : entries) {
      absl::Status status = XAdd(stream, maxlen, fields);
      if (!status.ok()) {
        return status;
      }
    }
    return absl::OkStatus();
  }
};

struct RedisStreamSinkOptions {
  std::string stream = "moot:spans";
  int64_t maxlen = 100000;
};

// Each span becomes one stream entry: "trace_id" = the trace id, "span" = its Zipkin v2 JSON.
// A batch is written with one XAddBatch (one round trip where the writer pipelines); on error
// the batch is reported failed (and counted by the exporter).
class RedisStreamSink : public SpanSink {
 public:
  // `writer` must outlive the sink.
  explicit RedisStreamSink(StreamWriter& writer, RedisStreamSinkOptions options = {})
      : writer_(writer), options_(std::move(options)) {}

  absl::Status Write(const std::vector<Span>& spans) override;

 private:
  StreamWriter& writer_;
  const RedisStreamSinkOptions options_;
};

}  // namespace moot::tracing
