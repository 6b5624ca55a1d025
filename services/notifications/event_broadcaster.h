// In-process fan-out of applied events to the open WatchEvents streams. Each stream has its own
// bounded queue: a stream that falls behind is marked overflowed (its queue dropped) instead of
// growing memory, and Close() ends every stream at shutdown.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "moot/events/v1/event.pb.h"

namespace moot::notifications {

class EventBroadcaster;

// One stream's queue. Thread-safe; unsubscribes at destruction.
class EventSubscription {
 public:
  enum class Outcome { kEvent, kTimeout, kClosed, kOverflow };

  ~EventSubscription();
  EventSubscription(const EventSubscription&) = delete;
  EventSubscription& operator=(const EventSubscription&) = delete;

  // Waits up to `timeout` for the next event. kClosed once the broadcaster closed, kOverflow
  // once the queue overflowed (both final); kEvent fills `event`.
  Outcome Next(absl::Duration timeout, events::v1::Event* event);

 private:
  friend class EventBroadcaster;
  EventSubscription(EventBroadcaster* broadcaster, std::string tenant, size_t capacity)
      : broadcaster_(broadcaster), tenant_(std::move(tenant)), capacity_(capacity) {}
  void Push(const events::v1::Event& event);
  void Close();

  EventBroadcaster* broadcaster_;
  const std::string tenant_;
  const size_t capacity_;
  absl::Mutex mu_;
  std::deque<events::v1::Event> queue_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool overflowed_ ABSL_GUARDED_BY(mu_) = false;
};

struct EventBroadcasterOptions {
  size_t queue_capacity = 1000;  // Events buffered per stream before it is overflowed.
  size_t max_subscribers = 10'000;
};

// Thread-safe. Must outlive its subscriptions.
class EventBroadcaster {
 public:
  explicit EventBroadcaster(EventBroadcasterOptions options = {}) : options_(options) {}

  // A queue of the tenant's events from now on. UNAVAILABLE after Close(); RESOURCE_EXHAUSTED
  // when max_subscribers streams are open.
  absl::StatusOr<std::unique_ptr<EventSubscription>> Subscribe(const std::string& tenant);
  // Offers `event` to every subscription of its tenant.
  void Publish(const events::v1::Event& event);
  // Ends every subscription (Next returns kClosed) and refuses new ones. Idempotent.
  void Close();

  size_t subscribers() const;

 private:
  friend class EventSubscription;
  void Unsubscribe(EventSubscription* subscription);

  const EventBroadcasterOptions options_;
  mutable absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_set<EventSubscription*> subscriptions_ ABSL_GUARDED_BY(mu_);
};

}  // namespace moot::notifications
