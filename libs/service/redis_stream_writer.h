// libs/tracing's StreamWriter over libs/redis: spans go to a capped Redis Stream, a batch in one
// pipelined round trip.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "libs/redis/redis_client.h"
#include "libs/tracing/redis_stream_sink.h"

namespace moot::service {

class RedisStreamWriter : public tracing::StreamWriter {
 public:
  // `redis` is not owned and must outlive the writer.
  explicit RedisStreamWriter(redis::RedisClient& redis) : redis_(redis) {}

  absl::Status XAdd(absl::string_view stream, int64_t maxlen,
                    const std::vector<std::pair<std::string, std::string>>& fields) override;

  absl::Status XAddBatch(
      absl::string_view stream, int64_t maxlen,
      const std::vector<std::vector<std::pair<std::string, std::string>>>& entries) override;

 private:
  redis::RedisClient& redis_;
};

}  // namespace moot::service
