#include "libs/events/stream_consumer.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/events/applied_events.h"
#include "libs/events/outbox.h"
#include "libs/redis/redis_client.h"
#include "libs/sql/database.h"
#include "libs/status/macros.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/test_util.h"

namespace moot::events {
namespace {

using ::testing::ElementsAre;

constexpr char kStream[] = "moot:events";

events::v1::Event MakeEvent(absl::string_view id) {
  events::v1::Event e;
  e.set_id(std::string(id));
  e.set_type("agenda.published");
  e.set_tenant("wm");
  return e;
}

// Records handler calls; thread-safe.
class Recorder {
 public:
  void Add(const std::string& id) {
    absl::MutexLock lock(&mu_);
    calls_.push_back(id);
  }
  std::vector<std::string> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  int Count(const std::string& id) {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(std::count(calls_.begin(), calls_.end(), id));
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> calls_;
};

class StreamConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = moot::testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto options = redis::ParseRedisUrl(server_->url());
    ASSERT_TRUE(options.ok());
    options->command_timeout = absl::Milliseconds(500);
    redis_ = std::make_unique<redis::RedisClient>(*options);
    auto db = sql::Open(absl::StrCat("sqlite://", dir_.path(), "/consumer.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(AppliedEvents::Migrate(*db_).ok());
    ASSERT_TRUE(db_->Transact([](sql::Connection& c) {
                     return c.ExecuteScript(
                         "CREATE TABLE effects (event_id TEXT NOT NULL, note TEXT NOT NULL)");
                   })
                    .ok());
  }

  std::string Publish(const events::v1::Event& e) {
    auto id = redis_->XAdd(kStream, {{std::string(kFieldId), e.id()},
                                     {std::string(kFieldEvent), e.SerializeAsString()}});
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : "";
  }

  StreamConsumerOptions Options(const std::string& consumer) {
    StreamConsumerOptions o;
    o.stream = kStream;
    o.group = "notifications";
    o.consumer = consumer;
    o.block = absl::Milliseconds(50);
    o.claim_min_idle = absl::Milliseconds(100);
    o.claim_interval = absl::Milliseconds(20);
    o.max_deliveries = 3;
    o.initial_backoff = absl::Milliseconds(10);
    o.max_backoff = absl::Milliseconds(50);
    return o;
  }

  int64_t PendingCount() {
    auto p = redis_->XPending(kStream, "notifications", absl::ZeroDuration(), 100);
    return p.ok() ? static_cast<int64_t>(p->size()) : -1;
  }

  int64_t EffectCount() {
    int64_t n = -1;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     MOOT_ASSIGN_OR_RETURN(sql::Result r,
                                           c.Execute("SELECT COUNT(*) FROM effects"));
                     n = r.rows.at(0).Int(0);
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  moot::testing::TempDir dir_;
  std::unique_ptr<moot::testing::RedisServer> server_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<sql::Database> db_;
};

TEST_F(StreamConsumerTest, HandlesInOrderAndAcksAfterHandling) {
  Recorder rec;
  StreamConsumer consumer(*redis_, Options("c1"), [&](const events::v1::Event& e) {
    rec.Add(e.id());
    return absl::OkStatus();
  });
  Publish(MakeEvent("a"));
  Publish(MakeEvent("b"));
  consumer.Start();
  Publish(MakeEvent("c"));
  ASSERT_TRUE(moot::testing::WaitFor([&] { return consumer.stats().handled == 3; }));
  EXPECT_TRUE(moot::testing::WaitFor([&] { return PendingCount() == 0; }));
  consumer.Stop();
  EXPECT_THAT(rec.calls(), ElementsAre("a", "b", "c"));
  ASSERT_TRUE(consumer.RefreshLag().ok());
  EXPECT_EQ(consumer.stats().lag, 0);
  EXPECT_EQ(consumer.stats().pending, 0);
}

TEST_F(StreamConsumerTest, UnackedWhileHandlerFailsThenRedelivered) {
  Recorder rec;
  StreamConsumer consumer(*redis_, Options("c1"), [&](const events::v1::Event& e) {
    rec.Add(e.id());
    return rec.Count(e.id()) < 3 ? absl::UnavailableError("downstream down") : absl::OkStatus();
  });
  ASSERT_TRUE(consumer.EnsureGroup().ok());
  Publish(MakeEvent("a"));
  ASSERT_EQ(*consumer.PollOnce(absl::Milliseconds(100)), 1);
  EXPECT_EQ(consumer.stats().failed, 1);
  EXPECT_EQ(PendingCount(), 1);  // Not acked.

  consumer.Start();
  ASSERT_TRUE(moot::testing::WaitFor([&] { return consumer.stats().handled == 1; }));
  consumer.Stop();
  EXPECT_EQ(rec.Count("a"), 3);
  EXPECT_EQ(consumer.stats().failed, 2);
  EXPECT_EQ(PendingCount(), 0);
  EXPECT_EQ(consumer.stats().dead_lettered, 0);
}

TEST_F(StreamConsumerTest, DeadLettersAfterMaxDeliveriesAndAcks) {
  Recorder rec;
  StreamConsumer consumer(*redis_, Options("c1"), [&](const events::v1::Event& e) {
    rec.Add(e.id());
    return absl::InternalError("always fails");
  });
  const std::string entry_id = Publish(MakeEvent("poison"));
  Publish(MakeEvent("fine-but-failing-too"));
  consumer.Start();
  ASSERT_TRUE(moot::testing::WaitFor([&] { return consumer.stats().dead_lettered == 2; }));
  consumer.Stop();
  EXPECT_EQ(rec.Count("poison"), 3);  // max_deliveries attempts, no more.
  EXPECT_EQ(PendingCount(), 0);

  auto dead = redis_->XRange(DeadLetterStream(kStream));
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 2u);
  const redis::StreamEntry& d = (*dead)[0];
  EXPECT_EQ(*d.Field("original_id"), entry_id);
  EXPECT_EQ(*d.Field("group"), "notifications");
  EXPECT_EQ(*d.Field("deliveries"), "4");
  events::v1::Event event;
  ASSERT_TRUE(event.ParseFromString(*d.Field(std::string(kFieldEvent))));
  EXPECT_EQ(event.id(), "poison");
}

TEST_F(StreamConsumerTest, UnparseableEntryIsDeadLetteredWithoutCallingTheHandler) {
  Recorder rec;
  StreamConsumer consumer(*redis_, Options("c1"), [&](const events::v1::Event& e) {
    rec.Add(e.id());
    return absl::OkStatus();
  });
  ASSERT_TRUE(consumer.EnsureGroup().ok());
  ASSERT_TRUE(redis_->XAdd(kStream, {{"event", "\xff\xff not a proto"}}).ok());
  ASSERT_TRUE(redis_->XAdd(kStream, {{"something", "else"}}).ok());
  ASSERT_EQ(*consumer.PollOnce(absl::Milliseconds(100)), 2);
  EXPECT_TRUE(rec.calls().empty());
  EXPECT_EQ(consumer.stats().dead_lettered, 2);
  EXPECT_EQ(PendingCount(), 0);
  EXPECT_EQ(*redis_->XLen(DeadLetterStream(kStream)), 2);
}

TEST_F(StreamConsumerTest, DuplicateEventIdIsAppliedOnce) {
  AppliedEvents applied(*db_, "notifications");
  StreamConsumer consumer(
      *redis_, Options("c1"),
      [](sql::Connection& tx, const events::v1::Event& e) {
        return tx.Execute("INSERT INTO effects (event_id, note) VALUES ($1, 'sent')", {e.id()})
            .status();
      },
      applied);
  Publish(MakeEvent("x"));
  Publish(MakeEvent("x"));  // The relay retried, or the producer sent it twice.
  Publish(MakeEvent("y"));
  consumer.Start();
  ASSERT_TRUE(moot::testing::WaitFor(
      [&] { return consumer.stats().handled + consumer.stats().duplicates == 3; }));
  consumer.Stop();
  EXPECT_EQ(consumer.stats().handled, 2);
  EXPECT_EQ(consumer.stats().duplicates, 1);
  EXPECT_EQ(EffectCount(), 2);
  EXPECT_EQ(PendingCount(), 0);
  EXPECT_TRUE(*applied.IsApplied("x"));
  EXPECT_FALSE(*applied.IsApplied("z"));
}

TEST_F(StreamConsumerTest, FailedTransactionalHandlerLeavesNoEffectAndNoMark) {
  AppliedEvents applied(*db_, "notifications");
  int calls = 0;
  StreamConsumer consumer(
      *redis_, Options("c1"),
      [&](sql::Connection& tx, const events::v1::Event& e) -> absl::Status {
        ++calls;
        MOOT_RETURN_IF_ERROR(
            tx.Execute("INSERT INTO effects (event_id, note) VALUES ($1, 'half')", {e.id()})
                .status());
        return absl::UnavailableError("then failed");
      },
      applied);
  ASSERT_TRUE(consumer.EnsureGroup().ok());
  Publish(MakeEvent("x"));
  ASSERT_EQ(*consumer.PollOnce(absl::Milliseconds(100)), 1);
  EXPECT_GE(calls, 1);
  EXPECT_EQ(EffectCount(), 0);
  EXPECT_FALSE(*applied.IsApplied("x"));
  EXPECT_EQ(PendingCount(), 1);
}

TEST_F(StreamConsumerTest, PlainHandlerWithAppliedEventsSkipsRedeliveredIds) {
  AppliedEvents applied(*db_, "notifications");
  Recorder rec;
  StreamConsumer consumer(
      *redis_, Options("c1"),
      [&](const events::v1::Event& e) {
        rec.Add(e.id());
        return absl::OkStatus();
      },
      &applied);
  ASSERT_TRUE(consumer.EnsureGroup().ok());
  Publish(MakeEvent("x"));
  Publish(MakeEvent("x"));
  ASSERT_EQ(*consumer.PollOnce(absl::Milliseconds(100)), 2);
  EXPECT_THAT(rec.calls(), ElementsAre("x"));
  EXPECT_EQ(consumer.stats().duplicates, 1);
}

TEST_F(StreamConsumerTest, StalePendingEntriesOfADeadConsumerAreReclaimed) {
  StreamConsumer probe(*redis_, Options("probe"),
                       [](const events::v1::Event&) { return absl::OkStatus(); });
  ASSERT_TRUE(probe.EnsureGroup().ok());
  Publish(MakeEvent("a"));
  Publish(MakeEvent("b"));
  // "dead" reads both entries and then disappears without acking them.
  auto taken = redis_->XReadGroup("notifications", "dead", kStream, 10, absl::ZeroDuration());
  ASSERT_TRUE(taken.ok());
  ASSERT_EQ(taken->size(), 2u);
  EXPECT_EQ(PendingCount(), 2);

  Recorder rec;
  StreamConsumer survivor(*redis_, Options("survivor"), [&](const events::v1::Event& e) {
    rec.Add(e.id());
    return absl::OkStatus();
  });
  survivor.Start();
  ASSERT_TRUE(moot::testing::WaitFor([&] { return survivor.stats().handled == 2; }));
  survivor.Stop();
  EXPECT_THAT(rec.calls(), ElementsAre("a", "b"));
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(StreamConsumerTest, LagCountsUndeliveredEntries) {
  StreamConsumer consumer(*redis_, Options("c1"),
                          [](const events::v1::Event&) { return absl::OkStatus(); });
  ASSERT_TRUE(consumer.EnsureGroup().ok());
  for (int i = 0; i < 5; ++i) {
    Publish(MakeEvent(absl::StrCat("e", i)));
  }
  ASSERT_TRUE(consumer.RefreshLag().ok());
  EXPECT_EQ(consumer.stats().lag, 5);
  ASSERT_EQ(*consumer.PollOnce(absl::Milliseconds(10)), 5);
  ASSERT_TRUE(consumer.RefreshLag().ok());
  EXPECT_EQ(consumer.stats().lag, 0);
}

TEST_F(StreamConsumerTest, SurvivesRedisRestartAndStopsPromptly) {
  Recorder rec;
  StreamConsumer consumer(*redis_, Options("c1"), [&](const events::v1::Event& e) {
    rec.Add(e.id());
    return absl::OkStatus();
  });
  consumer.Start();
  Publish(MakeEvent("before"));
  ASSERT_TRUE(moot::testing::WaitFor([&] { return consumer.stats().handled == 1; }));
  ASSERT_TRUE(server_->Kill().ok());
  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(moot::testing::WaitFor([&] { return redis_->Ping().ok(); }));
  Publish(MakeEvent("after"));
  ASSERT_TRUE(moot::testing::WaitFor([&] { return consumer.stats().handled == 2; }));
  const absl::Time start = absl::Now();
  consumer.Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_THAT(rec.calls(), ElementsAre("before", "after"));
}

}  // namespace
}  // namespace moot::events
