#include "libs/events/outbox_relay.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/events/outbox.h"
#include "libs/redis/redis_client.h"
#include "libs/sql/database.h"
#include "libs/status/macros.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/test_util.h"

namespace moot::events {
namespace {

using ::testing::ElementsAreArray;

events::v1::Event MakeEvent(int n) {
  events::v1::Event e;
  e.set_id(absl::StrCat("ev-", 1000 + n));
  e.set_type("meeting.scheduled");
  e.set_tenant("wm");
  e.set_subject(absl::StrCat("tenants/wm/bodies/pcp/meetings/m", n));
  e.set_source("scheduling");
  return e;
}

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = moot::testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto options = redis::ParseRedisUrl(server_->url());
    ASSERT_TRUE(options.ok());
    options->connect_timeout = absl::Milliseconds(300);
    options->command_timeout = absl::Milliseconds(500);
    options->initial_backoff = absl::Milliseconds(10);
    options->max_backoff = absl::Milliseconds(50);
    redis_ = std::make_unique<redis::RedisClient>(*options);
    auto db = sql::Open(absl::StrCat("sqlite://", dir_.path(), "/relay.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(Outbox::Migrate(*db_).ok());
    ASSERT_TRUE(db_->Transact([](sql::Connection& c) {
                     return c.ExecuteScript(
                         "CREATE TABLE meetings (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL)");
                   })
                    .ok());
  }

  // Commits a meeting row and its event in one transaction.
  absl::Status CommitMeeting(int n) {
    return db_->Transact([&](sql::Connection& tx) -> absl::Status {
      MOOT_RETURN_IF_ERROR(tx.Execute("INSERT INTO meetings (id, tenant_id) VALUES ($1, 'wm')",
                                      {absl::StrCat("m", n)})
                               .status());
      return outbox_.Append(tx, MakeEvent(n));
    });
  }

  int64_t Unsent() {
    int64_t depth = -1;
    EXPECT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                     MOOT_ASSIGN_OR_RETURN(depth, Outbox::Depth(c));
                     return absl::OkStatus();
                   })
                    .ok());
    return depth;
  }

  std::vector<std::string> StreamEventIds() {
    std::vector<std::string> ids;
    auto entries = redis_->XRange(kDefaultStream);
    if (!entries.ok()) {
      return ids;
    }
    for (const auto& e : *entries) {
      const std::string* payload = e.Field(kFieldEvent);
      events::v1::Event event;
      if (payload != nullptr && event.ParseFromString(*payload) &&
          *e.Field(kFieldId) == event.id()) {
        ids.push_back(event.id());
      }
    }
    return ids;
  }

  OutboxRelayOptions FastOptions() {
    OutboxRelayOptions o;
    o.poll_interval = absl::Milliseconds(20);
    o.initial_backoff = absl::Milliseconds(10);
    o.max_backoff = absl::Milliseconds(50);
    o.batch_size = 7;
    return o;
  }

  moot::testing::TempDir dir_;
  std::unique_ptr<moot::testing::RedisServer> server_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<sql::Database> db_;
  Outbox outbox_;
};

TEST_F(OutboxRelayTest, CommittedEventAppearsInTheStream) {
  ASSERT_TRUE(CommitMeeting(1).ok());
  EXPECT_EQ(Unsent(), 1);

  OutboxRelay relay(*db_, *redis_, FastOptions());
  absl::Mutex mu;
  std::vector<std::string> hooked;
  relay.SetHook([&](const events::v1::Event& e, absl::string_view entry_id) {
    absl::MutexLock lock(&mu);
    hooked.push_back(e.id());
    EXPECT_FALSE(entry_id.empty());
  });
  relay.Start();
  ASSERT_TRUE(moot::testing::WaitFor([&] { return StreamEventIds().size() == 1; }));
  relay.Stop();

  auto entries = redis_->XRange(kDefaultStream);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  const redis::StreamEntry& entry = (*entries)[0];
  EXPECT_EQ(*entry.Field(kFieldId), "ev-1001");
  EXPECT_EQ(*entry.Field(kFieldType), "meeting.scheduled");
  EXPECT_EQ(*entry.Field(kFieldTenant), "wm");
  events::v1::Event event;
  ASSERT_TRUE(event.ParseFromString(*entry.Field(kFieldEvent)));
  EXPECT_EQ(event.subject(), "tenants/wm/bodies/pcp/meetings/m1");
  EXPECT_EQ(Unsent(), 0);
  EXPECT_EQ(relay.depth(), 0);
  EXPECT_EQ(relay.relayed_total(), 1);
  absl::MutexLock lock(&mu);
  EXPECT_THAT(hooked, ElementsAreArray({"ev-1001"}));
}

TEST_F(OutboxRelayTest, RolledBackTransactionPublishesNothing) {
  absl::Status st = db_->Transact([&](sql::Connection& tx) -> absl::Status {
    MOOT_RETURN_IF_ERROR(outbox_.Append(tx, MakeEvent(1)));
    return absl::FailedPreconditionError("the state change failed");
  });
  EXPECT_FALSE(st.ok());
  OutboxRelay relay(*db_, *redis_, FastOptions());
  auto relayed = relay.RelayOnce();
  ASSERT_TRUE(relayed.ok()) << relayed.status();
  EXPECT_EQ(*relayed, 0);
  EXPECT_EQ(*redis_->XLen(kDefaultStream), 0);
}

TEST_F(OutboxRelayTest, AppendRejectsIncompleteEventsAndDuplicateIds) {
  events::v1::Event no_tenant = MakeEvent(1);
  no_tenant.clear_tenant();
  absl::Status st =
      db_->Transact([&](sql::Connection& tx) { return outbox_.Append(tx, no_tenant); });
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(
      db_->Transact([&](sql::Connection& tx) { return outbox_.Append(tx, MakeEvent(1)); }).ok());
  st = db_->Transact([&](sql::Connection& tx) { return outbox_.Append(tx, MakeEvent(1)); });
  EXPECT_EQ(st.code(), absl::StatusCode::kAlreadyExists) << st;
}

TEST_F(OutboxRelayTest, RedisDownKeepsRowsUnsentAndRelaysAllInOrderAfterRestart) {
  ASSERT_TRUE(server_->Kill().ok());
  OutboxRelay relay(*db_, *redis_, FastOptions());
  relay.Start();
  std::vector<std::string> expected;
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(CommitMeeting(i).ok());
    expected.push_back(absl::StrCat("ev-", 1000 + i));
    relay.Notify();
  }
  ASSERT_TRUE(moot::testing::WaitFor([&] { return relay.failures_total() >= 3; }));
  EXPECT_EQ(Unsent(), 20);
  EXPECT_EQ(relay.relayed_total(), 0);

  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(moot::testing::WaitFor([&] { return Unsent() == 0; }));
  relay.Stop();
  EXPECT_THAT(StreamEventIds(), ElementsAreArray(expected));
  EXPECT_EQ(relay.relayed_total(), 20);
  EXPECT_EQ(relay.depth(), 0);
}

TEST_F(OutboxRelayTest, ARowThatCannotBePublishedHoldsBackLaterRowsUntilItSucceeds) {
  // The first event targets a stream whose key is a plain string, so XADD fails (WRONGTYPE).
  ASSERT_TRUE(redis_->Command({"SET", "blocked", "not a stream"}).ok());
  ASSERT_TRUE(db_->Transact([&](sql::Connection& tx) {
                   return outbox_.Append(tx, MakeEvent(1), "blocked");
                 })
                  .ok());
  ASSERT_TRUE(CommitMeeting(2).ok());
  OutboxRelay relay(*db_, *redis_, FastOptions());
  auto relayed = relay.RelayOnce();
  EXPECT_EQ(relayed.status().code(), absl::StatusCode::kFailedPrecondition) << relayed.status();
  relayed = relay.RelayOnce();
  EXPECT_FALSE(relayed.ok());
  EXPECT_EQ(Unsent(), 2);  // Never skipped: the later row waits behind the failing one.
  EXPECT_EQ(*redis_->XLen(kDefaultStream), 0);

  ASSERT_TRUE(redis_->Command({"DEL", "blocked"}).ok());
  relayed = relay.RelayOnce();
  ASSERT_TRUE(relayed.ok()) << relayed.status();
  EXPECT_EQ(*relayed, 2);
  EXPECT_EQ(*redis_->XLen("blocked"), 1);
  EXPECT_THAT(StreamEventIds(), ElementsAreArray({"ev-1002"}));
  int64_t attempts = 0;
  ASSERT_TRUE(db_->WithConnection([&](sql::Connection& c) -> absl::Status {
                   MOOT_ASSIGN_OR_RETURN(
                       sql::Result r,
                       c.Execute("SELECT attempts FROM outbox WHERE id = 'ev-1001'"));
                   attempts = r.rows.at(0).Int(0);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(attempts, 3);
}

TEST_F(OutboxRelayTest, RepublishingARowDoesNotDuplicateTheStreamEntry) {
  ASSERT_TRUE(CommitMeeting(1).ok());
  OutboxRelay relay(*db_, *redis_, FastOptions());
  ASSERT_EQ(*relay.RelayOnce(), 1);
  // As if marking the row sent had failed after the XADD.
  ASSERT_TRUE(db_->WithConnection([](sql::Connection& c) {
                   return c.Execute("UPDATE outbox SET sent_at = NULL").status();
                 })
                  .ok());
  ASSERT_EQ(*relay.RelayOnce(), 1);
  EXPECT_EQ(*redis_->XLen(kDefaultStream), 1);
  EXPECT_EQ(Unsent(), 0);
}

TEST_F(OutboxRelayTest, NotifyWakesAnIdleRelayAndStopIsPrompt) {
  OutboxRelayOptions o = FastOptions();
  o.poll_interval = absl::Hours(1);
  OutboxRelay relay(*db_, *redis_, o);
  relay.Start();
  ASSERT_TRUE(CommitMeeting(1).ok());
  relay.Notify();
  EXPECT_TRUE(
      moot::testing::WaitFor([&] { return StreamEventIds().size() == 1; }, absl::Seconds(5)));
  const absl::Time start = absl::Now();
  relay.Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
}

// What ServiceHost wires: the database's after-commit hook wakes the relay, so an idle relay
// (polling hourly here) publishes every committed event without anyone calling Notify().
TEST_F(OutboxRelayTest, TheDatabaseAfterCommitHookWakesTheRelayForEveryCommit) {
  OutboxRelayOptions o = FastOptions();
  o.poll_interval = absl::Hours(1);
  OutboxRelay relay(*db_, *redis_, o);
  db_->SetAfterCommit([&relay] { relay.Notify(); });
  relay.Start();
  std::vector<std::string> expected;
  for (int i = 1; i <= 30; ++i) {  // More than one batch of 7.
    ASSERT_TRUE(CommitMeeting(i).ok());
    expected.push_back(absl::StrCat("ev-", 1000 + i));
  }
  EXPECT_TRUE(
      moot::testing::WaitFor([&] { return StreamEventIds().size() == 30; }, absl::Seconds(5)));
  relay.Stop();
  db_->SetAfterCommit(nullptr);
  EXPECT_THAT(StreamEventIds(), ElementsAreArray(expected));
  EXPECT_EQ(Unsent(), 0);
}

}  // namespace
}  // namespace moot::events
