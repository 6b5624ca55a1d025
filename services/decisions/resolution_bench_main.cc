// decisions_bench: quality.md P4 for the decisions register — recording a resolution (a write
// with its outbox event) at a fixed open-loop rate, reporting the write latency and the
// commit-to-consumer latency of its `resolution.recorded` event (outbox relay -> Redis Stream
// -> consumer group), as one JSON object on stdout.
//
//   decisions_bench --redis=redis://:pw@127.0.0.1:6390 [--database=sqlite:///tmp/b.db]
//                   [--rate=500] [--duration=10s] [--threads=16]
//
// Without --redis only the write latency is measured. The database defaults to a fresh SQLite
// file in /tmp; any MOOT_DATABASE_URL form works (PostgreSQL included).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <map>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "libs/events/outbox.h"
#include "libs/events/outbox_relay.h"
#include "libs/events/stream_consumer.h"
#include "libs/ids/id_generator.h"
#include "libs/redis/redis_client.h"
#include "services/decisions/minutes_logic.h"

namespace moot::decisions {
namespace {

constexpr char kMeeting[] = "tenants/bench/bodies/pcp/meetings/2023-09-11";
constexpr int kEntries = 200;

// The bench's only meeting, without a scheduling process.
class BenchDirectory final : public SchedulingDirectory {
 public:
  absl::StatusOr<MeetingFacts> GetMeeting(const std::string& name) override {
    return MeetingFacts{name, "2023-09-11", v1::NUMBERING_SCHEME_RUNNING_INT};
  }
  absl::StatusOr<std::vector<MeetingFacts>> ListBodyMeetings(const std::string&) override {
    return std::vector<MeetingFacts>();
  }
  absl::StatusOr<scheduling::v1::ListEligibleVotersResponse> ListEligibleVoters(
      const std::string&, const google::protobuf::Timestamp&) override {
    return scheduling::v1::ListEligibleVotersResponse();
  }
};

// Latencies in microseconds; percentiles by sorting (the bench records at most a few 100k).
struct Samples {
  absl::Mutex mu;
  std::vector<int64_t> us ABSL_GUARDED_BY(mu);
  void Add(int64_t v) {
    absl::MutexLock lock(&mu);
    us.push_back(v);
  }
  std::string Json() {
    absl::MutexLock lock(&mu);
    std::sort(us.begin(), us.end());
    auto pct = [&](double p) -> int64_t {
      return us.empty() ? 0 : us[std::min(us.size() - 1, static_cast<size_t>(p * us.size()))];
    };
    return absl::StrCat("{\"count\": ", us.size(), ", \"p50\": ", pct(0.5), ", \"p90\": ", pct(0.9),
                        ", \"p99\": ", pct(0.99), ", \"max\": ", us.empty() ? 0 : us.back(), "}");
  }
};

std::string Flag(int argc, char** argv, const std::string& name, const std::string& fallback) {
  const std::string prefix = absl::StrCat("--", name, "=");
  for (int i = 1; i < argc; ++i) {
    if (absl::StartsWith(argv[i], prefix)) {
      return std::string(argv[i] + prefix.size());
    }
  }
  return fallback;
}

int Main(int argc, char** argv) {
  const std::string database =
      Flag(argc, argv, "database", absl::StrCat("sqlite:///tmp/decisions-bench-", getpid(), ".db"));
  const std::string redis_url = Flag(argc, argv, "redis", "");
  int rate = 500, threads = 16;
  absl::Duration duration;
  if (!absl::SimpleAtoi(Flag(argc, argv, "rate", "500"), &rate) || rate <= 0 ||
      !absl::SimpleAtoi(Flag(argc, argv, "threads", "16"), &threads) || threads <= 0 ||
      !absl::ParseDuration(Flag(argc, argv, "duration", "10s"), &duration)) {
    std::cerr << "usage: decisions_bench [--redis=URL] [--database=URL] [--rate=N] "
                 "[--duration=10s] [--threads=N]\n";
    return 2;
  }
  auto db = sql::Open(database, threads);
  if (!db.ok()) {
    std::cerr << "decisions_bench: " << db.status() << "\n";
    return 1;
  }
  const std::string stream = absl::StrCat("moot:bench:decisions:", getpid());
  events::Outbox outbox(stream);
  ids::UlidGenerator ids;
  api::PageTokens tokens("bench");
  BenchDirectory directory;
  MinutesLogic logic(**db, outbox, time::Clock::Real(), ids, tokens, directory);
  if (absl::Status s = logic.Migrate(); !s.ok()) {
    std::cerr << "decisions_bench: " << s << "\n";
    return 1;
  }
  const auth::Principal officer{
      .tenant = "bench", .subject = "user:bench", .roles = {auth::Role::kOfficer}};
  v1::CreateMinutesRequest create;
  create.set_parent(kMeeting);
  (void)logic.CreateMinutes(officer, create);  // ALREADY_EXISTS on a reused database is fine.
  std::vector<std::string> entries;
  for (int i = 0; i < kEntries; ++i) {
    v1::AddMinuteEntryRequest add;
    add.set_parent(absl::StrCat(kMeeting, "/minutes"));
    add.mutable_entry()->set_title(absl::StrCat("Item ", i));
    auto e = logic.AddMinuteEntry(officer, add);
    if (!e.ok()) {
      std::cerr << "decisions_bench: " << e.status() << "\n";
      return 1;
    }
    entries.push_back(e->name());
  }

  // The event path: relay woken after each commit, one consumer group reading the stream.
  Samples write_us, event_us;
  std::unique_ptr<redis::RedisClient> redis;
  std::unique_ptr<events::OutboxRelay> relay;
  std::unique_ptr<events::StreamConsumer> consumer;
  std::atomic<bool> measuring{false};
  if (!redis_url.empty()) {
    auto options = redis::ParseRedisUrl(redis_url);
    if (!options.ok()) {
      std::cerr << "decisions_bench: --redis: " << options.status() << "\n";
      return 2;
    }
    options->max_connections = 8;
    redis = std::make_unique<redis::RedisClient>(*options);
    relay = std::make_unique<events::OutboxRelay>(**db, *redis);
    // As ServiceHost does: every commit wakes the relay.
    (*db)->SetAfterCommit([&relay] { relay->Notify(); });
    events::StreamConsumerOptions consumer_options;
    consumer_options.stream = stream;
    consumer_options.group = "bench";
    consumer_options.consumer = "bench-1";
    consumer_options.group_start_id = "$";
    consumer_options.block = absl::Milliseconds(100);
    consumer = std::make_unique<events::StreamConsumer>(
        *redis, consumer_options, [&](const events::v1::Event& event) -> absl::Status {
          // The event's time is taken inside the writing transaction, just before its commit.
          if (measuring.load() && event.type() == "resolution.recorded") {
            const int64_t sent =
                google::protobuf::util::TimeUtil::TimestampToMicroseconds(event.time());
            event_us.Add(absl::ToUnixMicros(absl::Now()) - sent);
          }
          return absl::OkStatus();
        });
    if (absl::Status s = consumer->EnsureGroup(); !s.ok()) {
      std::cerr << "decisions_bench: redis: " << s << "\n";
      return 1;
    }
    relay->Start();
    consumer->Start();
  }

  // Open loop: call i is due at start + i/rate; latency counts from when it was due, so a slow
  // server cannot hide queueing (no coordinated omission).
  const int64_t total = static_cast<int64_t>(absl::ToDoubleSeconds(duration) * rate);
  std::atomic<int64_t> next{0}, errors{0};
  measuring = true;
  const absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int64_t i = next++; i < total; i = next++) {
        const absl::Time due = start + absl::Seconds(static_cast<double>(i) / rate);
        absl::SleepFor(due - absl::Now());
        v1::RecordResolutionRequest request;
        request.set_entry(entries[i % kEntries]);
        auto* c = request.add_clauses();
        c->set_clause("i");
        c->set_kind(v1::RESOLUTION_KIND_NOTE);
        c->set_text(absl::StrCat("That the report be noted (", i, ")."));
        c = request.add_clauses();
        c->set_clause("ii");
        c->set_kind(v1::RESOLUTION_KIND_REQUEST);
        c->set_text("That the Police and Crime Commissioner be requested to report back.");
        if (!logic.RecordResolution(officer, request).ok()) {
          ++errors;
        }
        write_us.Add(absl::ToInt64Microseconds(absl::Now() - due));
      }
    });
  }
  for (auto& w : workers) {
    w.join();
  }
  const absl::Duration elapsed = absl::Now() - start;
  if (consumer) {
    // Let the last events arrive.
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (absl::Now() < deadline) {
      {
        absl::MutexLock lock(&event_us.mu);
        if (static_cast<int64_t>(event_us.us.size()) >= total - errors.load()) {
          break;
        }
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    consumer->Stop();
    relay->Stop();
    (void)redis->Command({"DEL", stream});
  }
  std::cout << "{\"target_id\": \"P4\", \"name\": \"decisions-record-resolution\", "
            << "\"database\": \"" << (absl::StartsWith(database, "sqlite") ? "sqlite" : "postgres")
            << "\", \"offered_rate\": " << rate << ", \"ok_rate\": "
            << static_cast<int64_t>((total - errors.load()) / absl::ToDoubleSeconds(elapsed))
            << ", \"errors\": " << errors.load() << ", \"write_latency_us\": " << write_us.Json()
            << ", \"commit_to_consumer_us\": " << (consumer ? event_us.Json() : std::string("null"))
            << "}\n";
  if (absl::StartsWith(database, "sqlite:///tmp/decisions-bench-")) {
    std::remove(database.substr(9).c_str());
  }
  return errors.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace moot::decisions

int main(int argc, char** argv) { return moot::decisions::Main(argc, argv); }
