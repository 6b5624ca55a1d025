#include "libs/events/stream_consumer.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/status/macros.h"

namespace moot::events {
namespace {

absl::Status CallSafely(const std::function<absl::Status()>& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("event handler threw: ", e.what()));
  } catch (...) {
    return absl::InternalError("event handler threw");
  }
}

}  // namespace

StreamConsumer::StreamConsumer(redis::RedisClient& redis, StreamConsumerOptions options,
                               Handler handler, AppliedEvents* applied)
    : redis_(redis), options_(std::move(options)), handler_(std::move(handler)), applied_(applied) {
  if (options_.dead_letter_stream.empty()) {
    options_.dead_letter_stream = DeadLetterStream(options_.stream);
  }
}

StreamConsumer::StreamConsumer(redis::RedisClient& redis, StreamConsumerOptions options,
                               TxHandler handler, AppliedEvents& applied)
    : redis_(redis),
      options_(std::move(options)),
      tx_handler_(std::move(handler)),
      applied_(&applied) {
  if (options_.dead_letter_stream.empty()) {
    options_.dead_letter_stream = DeadLetterStream(options_.stream);
  }
}

StreamConsumer::~StreamConsumer() { Stop(); }

void StreamConsumer::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable()) {
    return;
  }
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void StreamConsumer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool StreamConsumer::Sleep(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  auto stopped = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; };
  mu_.AwaitWithTimeout(absl::Condition(&stopped), d);
  return !stop_;
}

ConsumerStats StreamConsumer::stats() const {
  ConsumerStats s;
  s.handled = handled_.load();
  s.failed = failed_.load();
  s.duplicates = duplicates_.load();
  s.dead_lettered = dead_lettered_.load();
  s.lag = lag_.load();
  s.pending = pending_.load();
  return s;
}

absl::Status StreamConsumer::EnsureGroup() {
  if (options_.group.empty() || options_.consumer.empty()) {
    return absl::InvalidArgumentError("stream consumer needs a group and a consumer name");
  }
  return redis_.XGroupCreate(options_.stream, options_.group, options_.group_start_id);
}

absl::Status StreamConsumer::Apply(const events::v1::Event& event, bool& duplicate) {
  duplicate = false;
  if (tx_handler_) {
    return applied_->db().Transact([&](sql::Connection& conn) -> absl::Status {
      duplicate = false;
      MOOT_ASSIGN_OR_RETURN(bool seen, applied_->IsApplied(conn, event.id()));
      if (seen) {
        duplicate = true;
        return absl::OkStatus();
      }
      MOOT_RETURN_IF_ERROR(CallSafely([&] { return tx_handler_(conn, event); }));
      MOOT_ASSIGN_OR_RETURN(bool fresh, applied_->MarkApplied(conn, event.id()));
      if (!fresh) {
        // Another delivery applied it concurrently: undo this effect.
        return absl::AbortedError(absl::StrCat("event ", event.id(), " applied concurrently"));
      }
      return absl::OkStatus();
    });
  }
  if (applied_ != nullptr) {
    MOOT_ASSIGN_OR_RETURN(bool seen, applied_->IsApplied(event.id()));
    if (seen) {
      duplicate = true;
      return absl::OkStatus();
    }
  }
  MOOT_RETURN_IF_ERROR(CallSafely([&] { return handler_(event); }));
  if (applied_ != nullptr) {
    MOOT_RETURN_IF_ERROR(applied_->MarkApplied(event.id()).status());
  }
  return absl::OkStatus();
}

absl::Status StreamConsumer::DeadLetter(const redis::StreamEntry& entry, int64_t deliveries,
                                        absl::string_view reason) {
  std::vector<std::pair<std::string, std::string>> fields = entry.fields;
  fields.emplace_back("original_id", entry.id);
  fields.emplace_back("original_stream", options_.stream);
  fields.emplace_back("group", options_.group);
  fields.emplace_back("consumer", options_.consumer);
  fields.emplace_back("deliveries", std::to_string(deliveries));
  fields.emplace_back("reason", std::string(reason));
  MOOT_RETURN_IF_ERROR(
      redis_.XAdd(options_.dead_letter_stream, fields, options_.dead_letter_max_len).status());
  MOOT_RETURN_IF_ERROR(redis_.XAck(options_.stream, options_.group, {entry.id}).status());
  dead_lettered_.fetch_add(1);
  return absl::OkStatus();
}

void StreamConsumer::Process(const redis::StreamEntry& entry, int64_t deliveries) {
  if (entry.fields.empty()) {
    // The entry was trimmed from the stream while pending: nothing left to handle.
    (void)redis_.XAck(options_.stream, options_.group, {entry.id});
    return;
  }
  const std::string* payload = entry.Field(kFieldEvent);
  events::v1::Event event;
  if (payload == nullptr || !event.ParseFromString(*payload) || event.id().empty()) {
    (void)DeadLetter(entry, deliveries, "not a moot.events.v1.Event");
    return;
  }
  if (deliveries > options_.max_deliveries) {
    (void)DeadLetter(entry, deliveries,
                     absl::StrCat("gave up after ", deliveries - 1, " failed deliveries"));
    return;
  }
  bool duplicate = false;
  absl::Status st = Apply(event, duplicate);
  if (!st.ok()) {
    failed_.fetch_add(1);
    return;  // Left pending: retried by ReclaimOnce once idle for claim_min_idle.
  }
  if (duplicate) {
    duplicates_.fetch_add(1);
  } else {
    handled_.fetch_add(1);
  }
  // If the ack fails the entry is redelivered later and recognised as applied (with
  // AppliedEvents) or handled again (without).
  (void)redis_.XAck(options_.stream, options_.group, {entry.id});
}

absl::StatusOr<int> StreamConsumer::PollOnce(absl::Duration block) {
  absl::MutexLock step(&step_mu_);
  MOOT_ASSIGN_OR_RETURN(std::vector<redis::StreamEntry> entries,
                        redis_.XReadGroup(options_.group, options_.consumer, options_.stream,
                                          std::max(1, options_.batch_size), block, ">"));
  for (const redis::StreamEntry& e : entries) {
    Process(e, 1);
  }
  return static_cast<int>(entries.size());
}

absl::StatusOr<int> StreamConsumer::ReclaimOnce() {
  absl::MutexLock step(&step_mu_);
  MOOT_ASSIGN_OR_RETURN(std::vector<redis::PendingEntry> pending,
                        redis_.XPending(options_.stream, options_.group, options_.claim_min_idle,
                                        std::max(1, options_.batch_size)));
  if (pending.empty()) {
    return 0;
  }
  absl::flat_hash_map<std::string, int64_t> deliveries;
  std::vector<std::string> ids;
  for (const redis::PendingEntry& p : pending) {
    deliveries[p.id] = p.delivery_count;
    ids.push_back(p.id);
  }
  // XCLAIM with the same min-idle: when two consumers race, only one gets each entry.
  MOOT_ASSIGN_OR_RETURN(std::vector<redis::StreamEntry> claimed,
                        redis_.XClaim(options_.stream, options_.group, options_.consumer,
                                      options_.claim_min_idle, ids));
  for (const redis::StreamEntry& e : claimed) {
    Process(e, deliveries[e.id] + 1);  // The claim itself counted one more delivery.
  }
  return static_cast<int>(claimed.size());
}

absl::Status StreamConsumer::RefreshLag() {
  MOOT_ASSIGN_OR_RETURN(std::vector<redis::GroupInfo> groups, redis_.XInfoGroups(options_.stream));
  for (const redis::GroupInfo& g : groups) {
    if (g.name == options_.group) {
      lag_.store(g.lag);
      pending_.store(g.pending);
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError(absl::StrCat("consumer group ", options_.group, " not found"));
}

void StreamConsumer::Run() {
  absl::BitGen gen;
  int failures = 0;
  bool group_ready = false;
  absl::Time next_reclaim = absl::InfinitePast();
  auto backoff = [&] {
    ++failures;
    const double base =
        absl::ToDoubleSeconds(options_.initial_backoff) * std::pow(2.0, std::min(failures - 1, 30));
    const double capped = std::min(base, absl::ToDoubleSeconds(options_.max_backoff));
    return Sleep(absl::Seconds(capped * absl::Uniform(gen, 0.75, 1.25)));
  };
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) {
        return;
      }
    }
    if (!group_ready) {
      if (!EnsureGroup().ok()) {
        if (!backoff()) {
          return;
        }
        continue;
      }
      group_ready = true;
    }
    if (absl::Now() >= next_reclaim) {
      next_reclaim = absl::Now() + options_.claim_interval;
      (void)ReclaimOnce();
      (void)RefreshLag();
    }
    // Never block past the next reclaim, so stale entries are retried on time.
    const absl::Duration block =
        std::clamp(next_reclaim - absl::Now(), absl::Milliseconds(1), options_.block);
    absl::StatusOr<int> read = PollOnce(block);
    if (!read.ok()) {
      if (absl::IsNotFound(read.status())) {
        group_ready = false;  // NOGROUP: the stream or group was deleted.
      }
      if (!backoff()) {
        return;
      }
      continue;
    }
    failures = 0;
  }
}

}  // namespace moot::events
