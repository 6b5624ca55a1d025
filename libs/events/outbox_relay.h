// Moves committed outbox rows to their Redis Streams, in order, at least once.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/redis/redis_client.h"
#include "libs/sql/database.h"
#include "libs/time/clock.h"
#include "moot/events/v1/event.pb.h"

namespace moot::events {

struct OutboxRelayOptions {
  int batch_size = 100;  // Rows read per round.
  // How long an idle relay waits before looking again (Notify() wakes it sooner).
  absl::Duration poll_interval = absl::Milliseconds(500);
  // Backoff after a failure (Redis or database): doubles up to max_backoff, with jitter.
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
  // Approximate cap of each stream (XADD MAXLEN ~); <= 0 leaves streams uncapped.
  int64_t stream_max_len = 1'000'000;
  // How long Redis remembers that an event id was published (the dedupe key
  // "<stream>:sent:<event id>"), so a retried row is not added twice.
  absl::Duration dedupe_ttl = absl::Hours(24);
  // Sent rows older than this are deleted; zero keeps them.
  absl::Duration sent_retention = absl::Hours(24);
};

// Relays outbox rows (see outbox.h) to Redis. Each row is published with one Lua script that
// checks and sets the event's dedupe key and XADDs {id, event, type, tenant} to the row's stream,
// and is marked sent only after that succeeded. On any failure the relay backs off and starts
// again from the oldest unsent row, so rows are never skipped and, with one relay per database,
// leave in outbox order. Several relays on one database (replicas sharing PostgreSQL) stay
// correct (the dedupe key keeps one stream entry per event) but may interleave order.
// Thread-safe.
class OutboxRelay {
 public:
  // Called on the relay thread after each event is published, with the stream entry id.
  using Hook = std::function<void(const events::v1::Event&, absl::string_view entry_id)>;

  OutboxRelay(sql::Database& db, redis::RedisClient& redis, OutboxRelayOptions options = {},
              const time::Clock& clock = time::Clock::Real());
  ~OutboxRelay();  // Stops.
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Sets the hook; call before Start().
  void SetHook(Hook hook);

  // Starts the background thread (no-op when running).
  void Start();
  // Stops promptly (waits at most for one Redis command in flight) and joins the thread.
  void Stop();
  // Wakes the relay now, e.g. right after committing a transaction that appended events.
  void Notify();

  // One round, on the caller's thread: publishes up to batch_size unsent rows in order and
  // returns how many were published; stops at the first failure and returns it. Tests and
  // tools use it; the background thread runs the same.
  absl::StatusOr<int> RelayOnce();

  // Unsent rows as of the last round (for the outbox-depth gauge).
  int64_t depth() const { return depth_.load(); }
  // Events published since construction, and failed publish/mark attempts.
  int64_t relayed_total() const { return relayed_total_.load(); }
  int64_t failures_total() const { return failures_total_.load(); }

 private:
  struct Row {
    int64_t seq = 0;
    std::string id;
    std::string stream;
    std::string payload;
    std::string type;
    std::string tenant;
  };

  void Run();
  // Publishes `rows` in order in one script call; their stream entry ids.
  absl::StatusOr<std::vector<std::string>> Publish(const std::vector<Row>& rows);
  void PurgeSent();

  sql::Database& db_;
  redis::RedisClient& redis_;
  const OutboxRelayOptions options_;
  const time::Clock& clock_;
  Hook hook_;

  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
  absl::Mutex round_mu_;  // Serializes rounds (background thread and RelayOnce callers).

  std::atomic<int64_t> depth_{0};
  std::atomic<int64_t> relayed_total_{0};
  std::atomic<int64_t> failures_total_{0};
  absl::Time last_purge_ = absl::InfinitePast();
};

}  // namespace moot::events
