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

// Publishes a batch of events in order, in one round trip. KEYS: per event its stream and its
// dedupe key; ARGV: max_len, ttl seconds, then per event id, event, type, tenant. Returns the
// stream entry ids in order (an event published before keeps its earlier entry). A script stops
// at its first error with the earlier events applied, so order is kept: the relay starts again
// from the first unmarked row and the dedupe keys turn the repeats into no-ops.
constexpr char kPublishScript[] = R"lua(
local max_len = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS / 2 do
  local stream, dedupe = KEYS[2 * i - 1], KEYS[2 * i]
  local a = 2 + 4 * (i - 1)
  local entry = redis.call('GET', dedupe)
  if not entry then
    if max_len > 0 then
      entry = redis.call('XADD', stream, 'MAXLEN', '~', ARGV[1], '*', 'id', ARGV[a + 1],
                         'event', ARGV[a + 2], 'type', ARGV[a + 3], 'tenant', ARGV[a + 4])
    else
      entry = redis.call('XADD', stream, '*', 'id', ARGV[a + 1], 'event', ARGV[a + 2],
                         'type', ARGV[a + 3], 'tenant', ARGV[a + 4])
    end
    redis.call('SET', dedupe, entry, 'EX', ARGV[2])
  end
  out[i] = entry
end
return out
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

absl::StatusOr<std::vector<std::string>> OutboxRelay::Publish(const std::vector<Row>& rows) {
  const int64_t ttl = std::max<int64_t>(1, absl::ToInt64Seconds(options_.dedupe_ttl));
  std::vector<std::string> argv = {"EVAL", kPublishScript, std::to_string(2 * rows.size())};
  argv.reserve(3 + 6 * rows.size() + 2);
  for (const Row& row : rows) {
    argv.push_back(row.stream);
    argv.push_back(absl::StrCat(row.stream, ":sent:", row.id));
  }
  argv.push_back(std::to_string(options_.stream_max_len));
  argv.push_back(std::to_string(ttl));
  for (const Row& row : rows) {
    argv.push_back(row.id);
    argv.push_back(row.payload);
    argv.push_back(row.type);
    argv.push_back(row.tenant);
  }
  MOOT_ASSIGN_OR_RETURN(redis::Reply r, redis_.Command(argv));
  std::vector<std::string> entries;
  if (r.type == redis::Reply::Type::kArray) {
    for (const redis::Reply& e : r.elements) {
      if (!e.is_string()) {
        break;
      }
      entries.push_back(e.str);
    }
  }
  if (entries.size() != rows.size()) {
    return absl::InternalError("redis: unexpected reply to the publish script");
  }
  return entries;
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
  if (rows.empty()) {
    depth_.store(0);
    return 0;
  }
  // The whole batch in one script call and one round trip, then marked sent in one transaction.
  absl::StatusOr<std::vector<std::string>> entries = Publish(rows);
  if (!entries.ok()) {
    failures_total_.fetch_add(1);
    // Best effort: the count is informational; the rows stay unsent either way.
    (void)db_.Transact([&](sql::Connection& conn) {
      return conn
          .Execute("UPDATE outbox SET attempts = attempts + 1 WHERE seq = $1", {rows.front().seq})
          .status();
    });
    return entries.status();
  }
  std::string in;
  sql::Params params = {absl::ToUnixMicros(clock_.Now())};
  for (const Row& row : rows) {
    absl::StrAppend(&in, in.empty() ? "" : ", ", "$", params.size() + 1);
    params.push_back(row.seq);
  }
  absl::Status marked = db_.Transact([&](sql::Connection& conn) {
    return conn
        .Execute(absl::StrCat("UPDATE outbox SET sent_at = $1, attempts = attempts + 1 "
                              "WHERE seq IN (",
                              in, ")"),
                 params)
        .status();
  });
  if (!marked.ok()) {
    // Published but not marked: the next round publishes them again and the dedupe keys make
    // that a no-op in Redis.
    failures_total_.fetch_add(1);
    return marked;
  }
  const int relayed = static_cast<int>(rows.size());
  relayed_total_.fetch_add(relayed);
  if (hook_) {
    for (size_t i = 0; i < rows.size(); ++i) {
      events::v1::Event event;
      if (event.ParseFromString(rows[i].payload)) {
        hook_(event, (*entries)[i]);
      }
    }
  }
  if (relayed < options_.batch_size) {
    depth_.store(0);  // The round drained everything committed before it began.
  } else {
    (void)db_.WithConnection([&](sql::Connection& conn) -> absl::Status {
      MOOT_ASSIGN_OR_RETURN(int64_t depth, Outbox::Depth(conn));
      depth_.store(depth);
      return absl::OkStatus();
    });
  }
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
