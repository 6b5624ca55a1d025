#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/redis/redis_client.h"

namespace moot::redis {
namespace {

TEST(ParseRedisUrlTest, PasswordHostAndPort) {
  absl::StatusOr<RedisOptions> o = ParseRedisUrl("redis://:s3cret@10.0.0.5:6380");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->host, "10.0.0.5");
  EXPECT_EQ(o->port, 6380);
  EXPECT_EQ(o->password, "s3cret");
  EXPECT_EQ(o->username, "");
  EXPECT_EQ(o->db, 0);
}

TEST(ParseRedisUrlTest, HostOnlyKeepsDefaults) {
  absl::StatusOr<RedisOptions> o = ParseRedisUrl("redis://localhost");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->host, "localhost");
  EXPECT_EQ(o->port, 6379);
  EXPECT_EQ(o->password, "");
}

TEST(ParseRedisUrlTest, UserPercentEncodedPasswordAndDb) {
  absl::StatusOr<RedisOptions> o = ParseRedisUrl("redis://moot:p%40ss%3Aw@[::1]:7000/3");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->username, "moot");
  EXPECT_EQ(o->password, "p@ss:w");
  EXPECT_EQ(o->host, "::1");
  EXPECT_EQ(o->port, 7000);
  EXPECT_EQ(o->db, 3);
}

TEST(ParseRedisUrlTest, PasswordMayContainAt) {
  absl::StatusOr<RedisOptions> o = ParseRedisUrl("redis://:a@b@h:1");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->password, "a@b");
  EXPECT_EQ(o->host, "h");
}

TEST(ParseRedisUrlTest, RejectsBadUrls) {
  for (const char* url :
       {"http://h:1", "redis://", "redis://:pw@", "redis://h:0", "redis://h:99999", "redis://h:abc",
        "redis://nocolon@h", "redis://:%zz@h", "redis://:%4@h", "redis://h/x", "redis://[::1"}) {
    absl::StatusOr<RedisOptions> o = ParseRedisUrl(url);
    EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument) << url;
  }
}

TEST(ParseStreamEntryTest, ParsesFieldsAndDeletedEntries) {
  Reply entry;
  entry.type = Reply::Type::kArray;
  Reply id;
  id.type = Reply::Type::kString;
  id.str = "1-0";
  Reply fields;
  fields.type = Reply::Type::kArray;
  for (const char* s : {"a", "1", "b", "2"}) {
    Reply f;
    f.type = Reply::Type::kString;
    f.str = s;
    fields.elements.push_back(f);
  }
  entry.elements = {id, fields};
  absl::StatusOr<StreamEntry> e = ParseStreamEntry(entry);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->id, "1-0");
  ASSERT_NE(e->Field("b"), nullptr);
  EXPECT_EQ(*e->Field("b"), "2");
  EXPECT_EQ(e->Field("c"), nullptr);

  entry.elements[1] = Reply{};  // nil: the entry was deleted.
  e = ParseStreamEntry(entry);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->fields.empty());

  EXPECT_FALSE(ParseStreamEntry(id).ok());
}

}  // namespace
}  // namespace moot::redis
