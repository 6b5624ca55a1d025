// A consumer-group consumer of a Redis Stream of Moot events: at-least-once delivery, ack after
// handling, reclaim of stale pending entries, dead letters, and dedupe by event id.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/events/applied_events.h"
#include "libs/events/outbox.h"
#include "libs/redis/redis_client.h"
#include "libs/sql/database.h"
#include "moot/events/v1/event.pb.h"

namespace moot::events {

struct StreamConsumerOptions {
  std::string stream = std::string(kDefaultStream);
  std::string group;     // Required: the consuming service, e.g. "notifications".
  std::string consumer;  // Required: unique per process, e.g. "<host>-<pid>".
  // Where a new group starts: "0" delivers everything still in the stream, "$" only new entries.
  std::string group_start_id = "0";
  int batch_size = 32;                                // COUNT per read.
  absl::Duration block = absl::Milliseconds(500);     // XREADGROUP BLOCK; bounds Stop() latency.
  absl::Duration claim_min_idle = absl::Seconds(30);  // Pending this long = stale; retried.
  absl::Duration claim_interval = absl::Seconds(5);   // How often stale entries are looked for.
  // Handler attempts per entry; the entry is then moved to the dead-letter stream and acked.
  int max_deliveries = 5;
  std::string dead_letter_stream;  // Default: DeadLetterStream(stream).
  int64_t dead_letter_max_len = 100'000;
  absl::Duration initial_backoff = absl::Milliseconds(100);  // After Redis errors.
  absl::Duration max_backoff = absl::Seconds(5);
};

// Counters and gauges for metrics.
struct ConsumerStats {
  int64_t handled = 0;        // Handler succeeded and the entry was acked.
  int64_t failed = 0;         // Handler attempts that failed (entry left pending for retry).
  int64_t duplicates = 0;     // Entries skipped because their event id was already applied.
  int64_t dead_lettered = 0;  // Entries moved to the dead-letter stream.
  int64_t lag = -1;           // Stream entries not yet delivered to the group (-1: unknown).
  int64_t pending = 0;        // Delivered to the group but not acked.
};

// Reads `stream` as `consumer` in `group` and calls the handler for each event:
//  - the entry is acked only after the handler returns OK (or the event is a known duplicate);
//  - a failed entry stays pending and is retried once idle for claim_min_idle (by this or any
//    consumer of the group; a dead consumer's entries are reclaimed the same way);
//  - after max_deliveries attempts the entry is copied to the dead-letter stream (with fields
//    original_id, group, consumer, deliveries, reason) and acked; entries that are not a
//    parseable event are dead-lettered at once;
//  - with AppliedEvents, an event id already applied is acked without calling the handler. The
//    transactional handler runs inside db.Transact together with the applied mark, so an effect
//    and its mark commit together (the body may be run again on a retried transaction).
// Handlers run on the consumer thread, one at a time. Exceptions from a handler count as a
// failure. Thread-safe.
class StreamConsumer {
 public:
  using Handler = std::function<absl::Status(const events::v1::Event&)>;
  using TxHandler = std::function<absl::Status(sql::Connection&, const events::v1::Event&)>;

  // Plain handler; with `applied`, ids are checked before and marked after the handler (a crash
  // between the two can repeat the effect: prefer the transactional form).
  StreamConsumer(redis::RedisClient& redis, StreamConsumerOptions options, Handler handler,
                 AppliedEvents* applied = nullptr);
  // Transactional handler: effect and applied mark share one transaction of applied.db().
  StreamConsumer(redis::RedisClient& redis, StreamConsumerOptions options, TxHandler handler,
                 AppliedEvents& applied);
  ~StreamConsumer();  // Stops.
  StreamConsumer(const StreamConsumer&) = delete;
  StreamConsumer& operator=(const StreamConsumer&) = delete;

  // Starts the background loop (no-op when running). Stop() returns within about
  // options.block + the Redis command timeout.
  void Start();
  void Stop();

  // One step each, on the caller's thread (what the loop runs):
  // Creates the group (MKSTREAM) if needed.
  absl::Status EnsureGroup();
  // Reads new entries (blocking up to `block`) and processes them; returns how many were read.
  absl::StatusOr<int> PollOnce(absl::Duration block);
  // Claims entries idle for claim_min_idle, dead-letters the exhausted ones and processes the
  // rest; returns how many were claimed.
  absl::StatusOr<int> ReclaimOnce();
  // Refreshes lag and pending from XINFO GROUPS.
  absl::Status RefreshLag();

  ConsumerStats stats() const;
  const StreamConsumerOptions& options() const { return options_; }

 private:
  void Run();
  // Handles one delivered entry; `deliveries` is its delivery count.
  void Process(const redis::StreamEntry& entry, int64_t deliveries);
  absl::Status Apply(const events::v1::Event& event, bool& duplicate);
  absl::Status DeadLetter(const redis::StreamEntry& entry, int64_t deliveries,
                          absl::string_view reason);
  bool Sleep(absl::Duration d);  // false when stopping.

  redis::RedisClient& redis_;
  StreamConsumerOptions options_;
  Handler handler_;
  TxHandler tx_handler_;
  AppliedEvents* applied_;

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
  absl::Mutex step_mu_;  // Serializes processing steps.

  std::atomic<int64_t> handled_{0};
  std::atomic<int64_t> failed_{0};
  std::atomic<int64_t> duplicates_{0};
  std::atomic<int64_t> dead_lettered_{0};
  std::atomic<int64_t> lag_{-1};
  std::atomic<int64_t> pending_{0};
};

}  // namespace moot::events
