#include "services/notifications/event_broadcaster.h"

#include "libs/status/errors.h"

namespace moot::notifications {

EventSubscription::~EventSubscription() { broadcaster_->Unsubscribe(this); }

EventSubscription::Outcome EventSubscription::Next(absl::Duration timeout,
                                                   events::v1::Event* event) {
  absl::MutexLock lock(&mu_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return closed_ || overflowed_ || !queue_.empty();
  };
  mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  if (overflowed_) {
    return Outcome::kOverflow;
  }
  if (closed_) {
    return Outcome::kClosed;
  }
  if (queue_.empty()) {
    return Outcome::kTimeout;
  }
  *event = std::move(queue_.front());
  queue_.pop_front();
  return Outcome::kEvent;
}

void EventSubscription::Push(const events::v1::Event& event) {
  absl::MutexLock lock(&mu_);
  if (closed_ || overflowed_) {
    return;
  }
  if (queue_.size() >= capacity_) {
    overflowed_ = true;
    queue_.clear();
    return;
  }
  queue_.push_back(event);
}

void EventSubscription::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

absl::StatusOr<std::unique_ptr<EventSubscription>> EventBroadcaster::Subscribe(
    const std::string& tenant) {
  absl::MutexLock lock(&mu_);
  if (closed_) {
    return absl::UnavailableError("the server is shutting down");
  }
  if (subscriptions_.size() >= options_.max_subscribers) {
    return status::ResourceExhausted("TOO_MANY_STREAMS", "too many open event streams",
                                     absl::Seconds(5));
  }
  std::unique_ptr<EventSubscription> subscription(
      new EventSubscription(this, tenant, options_.queue_capacity));
  subscriptions_.insert(subscription.get());
  return subscription;
}

void EventBroadcaster::Publish(const events::v1::Event& event) {
  absl::MutexLock lock(&mu_);
  for (EventSubscription* subscription : subscriptions_) {
    if (subscription->tenant_ == event.tenant()) {
      subscription->Push(event);
    }
  }
}

void EventBroadcaster::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  for (EventSubscription* subscription : subscriptions_) {
    subscription->Close();
  }
}

size_t EventBroadcaster::subscribers() const {
  absl::MutexLock lock(&mu_);
  return subscriptions_.size();
}

void EventBroadcaster::Unsubscribe(EventSubscription* subscription) {
  absl::MutexLock lock(&mu_);
  subscriptions_.erase(subscription);
}

}  // namespace moot::notifications
