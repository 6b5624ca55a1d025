#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/redis/redis_client.h"
#include "libs/status/errors.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/test_util.h"

namespace moot::redis {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = moot::testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  RedisOptions Options() {
    absl::StatusOr<RedisOptions> o = ParseRedisUrl(server_->url());
    EXPECT_TRUE(o.ok()) << o.status();
    o->connect_timeout = absl::Milliseconds(500);
    o->command_timeout = absl::Milliseconds(500);
    o->initial_backoff = absl::Milliseconds(10);
    o->max_backoff = absl::Milliseconds(100);
    return *o;
  }

  std::unique_ptr<moot::testing::RedisServer> server_;
};

TEST_F(RedisClientTest, CommandsReturnTypedReplies) {
  RedisClient client(Options());
  ASSERT_TRUE(client.Ping().ok());

  absl::StatusOr<Reply> r = client.Command({"SET", "k", std::string("a\0b", 3)});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->type, Reply::Type::kStatus);
  EXPECT_EQ(r->str, "OK");

  r = client.Command({"GET", "k"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type, Reply::Type::kString);
  EXPECT_EQ(r->str, std::string("a\0b", 3));

  r = client.Command({"GET", "missing"});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_nil());

  r = client.Command({"INCRBY", "n", "41"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type, Reply::Type::kInteger);
  EXPECT_EQ(r->integer, 41);

  r = client.Command({"RPUSH", "l", "x", "y"});
  ASSERT_TRUE(r.ok());
  r = client.Command({"LRANGE", "l", "0", "-1"});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->is_array());
  ASSERT_EQ(r->elements.size(), 2u);
  EXPECT_EQ(r->elements[1].str, "y");
}

TEST_F(RedisClientTest, ErrorRepliesBecomeStatusesWithReasons) {
  RedisClient client(Options());
  ASSERT_TRUE(client.Command({"SET", "s", "v"}).ok());
  absl::StatusOr<Reply> r = client.Command({"LPUSH", "s", "x"});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::Details(r.status()).metadata["redis_error"], "WRONGTYPE");

  r = client.Command({"NOSUCHCOMMAND"});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status::Details(r.status()).reason, "REDIS_ERROR");

  EXPECT_EQ(client.Command({}).status().code(), absl::StatusCode::kInvalidArgument);
  // The connection is still usable after error replies.
  EXPECT_TRUE(client.Ping().ok());
}

TEST_F(RedisClientTest, WrongPasswordIsUnauthenticated) {
  RedisOptions o = Options();
  o.password = "wrong";
  RedisClient client(o);
  absl::Status st = client.Ping();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnauthenticated) << st;
  EXPECT_EQ(status::Details(st).reason, "REDIS_AUTH_FAILED");

  o.password = "";
  RedisClient no_password(o);
  st = no_password.Ping();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnauthenticated) << st;
}

TEST_F(RedisClientTest, NothingListeningIsUnavailable) {
  RedisOptions o = Options();
  o.port = moot::testing::PickUnusedPort();
  RedisClient client(o);
  absl::Status st = client.Ping();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
  EXPECT_EQ(status::Details(st).reason, "REDIS_UNAVAILABLE");
}

TEST_F(RedisClientTest, KilledServerIsUnavailableAndRestartReconnects) {
  RedisClient client(Options());
  ASSERT_TRUE(client.Command({"SET", "durable", "1"}).ok());
  ASSERT_TRUE(server_->Kill().ok());

  const absl::Time start = absl::Now();
  absl::Status st = client.Ping();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
  st = client.Ping();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));

  ASSERT_TRUE(server_->Restart().ok());
  // Once the backoff window (<= max_backoff) has passed, a call reconnects and works.
  EXPECT_TRUE(moot::testing::WaitFor([&] { return client.Ping().ok(); }, absl::Seconds(5)));
  absl::StatusOr<Reply> r = client.Command({"GET", "durable"});
  ASSERT_TRUE(r.ok()) << r.status();
}

TEST_F(RedisClientTest, RestartBetweenCallsIsInvisibleToTheNextCall) {
  RedisClient client(Options());
  ASSERT_TRUE(client.Ping().ok());
  ASSERT_TRUE(server_->Restart().ok());
  // The pooled connection died with the old server; the client notices before using it.
  EXPECT_TRUE(client.Ping().ok());
}

TEST_F(RedisClientTest, HungServerTimesOutAsUnavailable) {
  RedisClient client(Options());
  ASSERT_TRUE(client.Ping().ok());
  ASSERT_TRUE(server_->Pause().ok());
  const absl::Time start = absl::Now();
  absl::Status st = client.Ping();
  const absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(server_->Resume().ok());
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
  EXPECT_GE(took, absl::Milliseconds(400));
  EXPECT_LT(took, absl::Seconds(2));
  EXPECT_TRUE(moot::testing::WaitFor([&] { return client.Ping().ok(); }, absl::Seconds(5)));
}

TEST_F(RedisClientTest, ConcurrentCallersShareThePool) {
  RedisClient client(Options());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&client] {
      for (int i = 0; i < 50; ++i) {
        EXPECT_TRUE(client.Command({"INCR", "counter"}).ok());
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  absl::StatusOr<Reply> r = client.Command({"GET", "counter"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->str, "400");
}

TEST_F(RedisClientTest, StreamCommands) {
  RedisClient client(Options());
  ASSERT_TRUE(client.XGroupCreate("s", "g", "0").ok());
  ASSERT_TRUE(client.XGroupCreate("s", "g", "0").ok());  // BUSYGROUP is fine.

  absl::StatusOr<std::string> id1 = client.XAdd("s", {{"a", "1"}}, 1000);
  absl::StatusOr<std::string> id2 = client.XAdd("s", {{"a", "2"}, {"b", "x"}});
  ASSERT_TRUE(id1.ok() && id2.ok());
  EXPECT_EQ(*client.XLen("s"), 2);

  auto all = client.XRange("s");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, *id1);
  EXPECT_THAT((*all)[1].fields, ElementsAre(Pair("a", "2"), Pair("b", "x")));
  auto last = client.XRevRange("s", "+", "-", 1);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].id, *id2);

  auto read = client.XReadGroup("g", "c1", "s", 10, absl::Milliseconds(100));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 2u);

  // Nothing new: the blocking read returns empty after its block time.
  const absl::Time start = absl::Now();
  auto empty = client.XReadGroup("g", "c1", "s", 10, absl::Milliseconds(200));
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->empty());
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(190));

  auto pending = client.XPending("s", "g", absl::ZeroDuration(), 10);
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].consumer, "c1");
  EXPECT_EQ((*pending)[0].delivery_count, 1);

  auto claimed = client.XClaim("s", "g", "c2", absl::ZeroDuration(), {*id1});
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  ASSERT_EQ(claimed->size(), 1u);
  pending = client.XPending("s", "g", absl::ZeroDuration(), 10, "-", "+", "c2");
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].delivery_count, 2);

  auto auto_claimed = client.XAutoClaim("s", "g", "c3", absl::ZeroDuration(), "0", 10);
  ASSERT_TRUE(auto_claimed.ok()) << auto_claimed.status();
  EXPECT_EQ(auto_claimed->entries.size(), 2u);

  EXPECT_EQ(*client.XAck("s", "g", {*id1, *id2}), 2);
  auto groups = client.XInfoGroups("s");
  ASSERT_TRUE(groups.ok()) << groups.status();
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].name, "g");
  EXPECT_EQ((*groups)[0].pending, 0);
  EXPECT_EQ((*groups)[0].lag, 0);

  EXPECT_EQ(client.XReadGroup("nogroup", "c", "s", 1, absl::ZeroDuration()).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace moot::redis

namespace moot::redis {
namespace {

TEST(RedisPipelineTest, SendsManyCommandsInOneRoundTripWithPerCommandErrors) {
  auto server = moot::testing::RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto options = ParseRedisUrl((*server)->url());
  ASSERT_TRUE(options.ok());
  RedisClient client(*options);
  auto replies = client.Pipeline({{"SET", "k", "1"},
                                  {"INCR", "k"},
                                  {"LPUSH", "k", "x"},  // WRONGTYPE: this command's error only.
                                  {"XADD", "s", "*", "f", "v"},
                                  {"GET", "k"}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 5u);
  EXPECT_TRUE((*replies)[0].ok());
  EXPECT_EQ((*replies)[1]->integer, 2);
  EXPECT_EQ((*replies)[2].status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*replies)[3].ok());
  EXPECT_EQ((*replies)[4]->str, "2");
  EXPECT_EQ(client.Pipeline({{"PING"}, {}}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(client.Pipeline({})->empty());
  ASSERT_TRUE((*server)->Kill().ok());
  EXPECT_EQ(client.Pipeline({{"PING"}}).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace moot::redis
