#include "libs/events/outbox_relay.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "libs/events/outbox.h"
#include "libs/status/macros.h"

namespace moot::events {
namespace {

// KEYS[1] stream, KEYS[2] dedupe key; ARGV: max_len, id, event, type, tenant, ttl seconds.
// Returns the stream entry id (the earlier one when this event was already published).
constexpr char kPublishScript[] = R"lua(
local prev = redis.call('GET', KEYS[2])
if prev then return prev end
local entry
if tonumber(ARGV[1]) > 0 then
  entry = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
                     'id', ARGV[2], 'event', ARGV[3], 'type', ARGV[4], 'tenant', ARGV[5])
else
  entry = redis.call('XADD', KEYS[1], '*',
                     'id', ARGV[2], 'event', ARGV[3], 'type', ARGV[4], 'tenant', ARGV[5])
end
redis.call('SET', KEYS[2], entry, 'EX', ARGV[6])
return entry
)lua";

absl::Duration Backoff(const OutboxRelayOptions& o, int failures, absl::BitGen& gen) {
  const double base = absl::ToDoubleSeconds(o.initial_backoff) *
                      std::pow(2.0, std::min(std::max(failures - 1, 0), 30));
  const double capped = std::min(base, absl::ToDoubleSeconds(o.max_backoff));
  return absl::Seconds(capped * absl::Uniform(gen, 0.75, 1.25));
}

}  // namespace

OutboxRelay::OutboxRelay(sql::Database& db, redis::RedisClient& redis, OutboxRelayOptions options,
                         const time::Clock& clock)
    : db_(db), redis_(redis), options_(std::move(options)), clock_(clock) {}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::SetHook(Hook hook) { hook_ = std::move(hook); }

void OutboxRelay::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable()) {
    return;
  }
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void OutboxRelay::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void OutboxRelay::Notify() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

absl::StatusOr<std::string> OutboxRelay::Publish(const Row& row) {
  const int64_t ttl = std::max<int64_t>(1, absl::ToInt64Seconds(options_.dedupe_ttl));
  MOOT_ASSIGN_OR_RETURN(
      redis::Reply r, redis_.Command({"EVAL", kPublishScript, "2", row.stream,
                                      absl::StrCat(row.stream, ":sent:", row.id),
                                      std::to_string(options_.stream_max_len), row.id, row.payload,
                                      row.type, row.tenant, std::to_string(ttl)}));
  if (!r.is_string()) {
    return absl::InternalError("redis: unexpected reply to the publish script");
  }
  return r.str;
}

absl::StatusOr<int> OutboxRelay::RelayOnce() {
  absl::MutexLock round(&round_mu_);
  std::vector<Row> rows;
  absl::Status st = db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(
        sql::Result r, conn.Execute("SELECT seq, id, stream, payload, type, tenant_id FROM outbox "
                                    "WHERE sent_at IS NULL ORDER BY seq LIMIT $1",
                                    {static_cast<int64_t>(std::max(1, options_.batch_size))}));
    for (const sql::Row& row : r.rows) {
      Row out;
      MOOT_ASSIGN_OR_RETURN(out.seq, row.GetInt(0));
      MOOT_ASSIGN_OR_RETURN(out.id, row.GetString(1));
      MOOT_ASSIGN_OR_RETURN(out.stream, row.GetString(2));
      MOOT_ASSIGN_OR_RETURN(out.payload, row.GetBytes(3));
      MOOT_ASSIGN_OR_RETURN(out.type, row.GetString(4));
      MOOT_ASSIGN_OR_RETURN(out.tenant, row.GetString(5));
      rows.push_back(std::move(out));
    }
    return absl::OkStatus();
  });
  if (!st.ok()) {
    failures_total_.fetch_add(1);
    return st;
  }
  int relayed = 0;
  for (const Row& row : rows) {
    absl::StatusOr<std::string> entry = Publish(row);
    if (!entry.ok()) {
      failures_total_.fetch_add(1);
      // Best effort: the count is informational; the row stays unsent either way.
      (void)db_.WithConnection([&](sql::Connection& conn) {
        return conn.Execute("UPDATE outbox SET attempts = attempts + 1 WHERE seq = $1", {row.seq})
            .status();
      });
      return entry.status();
    }
    absl::Status marked = db_.WithConnection([&](sql::Connection& conn) {
      return conn
          .Execute("UPDATE outbox SET sent_at = $1, attempts = attempts + 1 WHERE seq = $2",
                   {absl::ToUnixMicros(clock_.Now()), row.seq})
          .status();
    });
    if (!marked.ok()) {
      // Published but not marked: the next round publishes it again and the dedupe key makes
      // that a no-op in Redis.
      failures_total_.fetch_add(1);
      return marked;
    }
    ++relayed;
    relayed_total_.fetch_add(1);
    depth_.store(std::max<int64_t>(0, depth_.load() - 1));
    if (hook_) {
      events::v1::Event event;
      if (event.ParseFromString(row.payload)) {
        hook_(event, *entry);
      }
    }
  }
  (void)db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
    MOOT_ASSIGN_OR_RETURN(int64_t depth, Outbox::Depth(conn));
    depth_.store(depth);
    return absl::OkStatus();
  });
  return relayed;
}

void OutboxRelay::PurgeSent() {
  if (options_.sent_retention <= absl::ZeroDuration()) {
    return;
  }
  const absl::Time now = clock_.Now();
  if (now - last_purge_ < absl::Minutes(1)) {
    return;
  }
  last_purge_ = now;
  (void)db_.WithConnection([&](sql::Connection& conn) {
    return conn
        .Execute("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1",
                 {absl::ToUnixMicros(now - options_.sent_retention)})
        .status();
  });
}

void OutboxRelay::Run() {
  absl::BitGen gen;
  int failures = 0;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) {
        return;
      }
      wake_ = false;
    }
    absl::StatusOr<int> relayed = RelayOnce();
    absl::Duration wait;
    if (!relayed.ok()) {
      ++failures;
      wait = Backoff(options_, failures, gen);
    } else {
      failures = 0;
      PurgeSent();
      // A full batch means there may be more: go again at once.
      wait = *relayed >= options_.batch_size ? absl::ZeroDuration() : options_.poll_interval;
    }
    absl::MutexLock lock(&mu_);
    auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || wake_; };
    if (relayed.ok()) {
      mu_.AwaitWithTimeout(absl::Condition(&woken), wait);
    } else {
      // While backing off, only Stop() cuts the wait short.
      auto stopped = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; };
      mu_.AwaitWithTimeout(absl::Condition(&stopped), wait);
    }
  }
}

}  // namespace moot::events
