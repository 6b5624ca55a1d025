#include "libs/config/common_keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace moot::config {
namespace {

using ::testing::HasSubstr;

ConfigSchema Schema() {
  ConfigSchema s;
  AddCommonKeys(s, {.service_name = "scheduling",
                    .grpc_port = 50061,
                    .admin_port = 9061,
                    .database_url = "sqlite::memory:"});
  return s;
}

TEST(CommonKeysTest, DefaultsAreUsable) {
  absl::StatusOr<Config> c = Load(Schema(), Environment{{"MOOT_SOURCE_DIR", "/src"}}, {});
  ASSERT_TRUE(c.ok()) << c.status();
  CommonConfig cc = ReadCommonConfig(*c);
  EXPECT_EQ(cc.service_name, "scheduling");
  EXPECT_EQ(cc.grpc_listen, "127.0.0.1:50061");
  EXPECT_EQ(cc.admin_port, 9061);
  EXPECT_EQ(cc.database_url, "sqlite::memory:");
  EXPECT_EQ(cc.redis_url, "redis://127.0.0.1:6379");
  EXPECT_EQ(cc.log_level, "info");
  EXPECT_EQ(cc.shutdown_grace, absl::Seconds(10));
  EXPECT_EQ(cc.jwt_algorithms, (std::vector<std::string>{"HS256", "RS256", "ES256"}));
  EXPECT_TRUE(cc.jwt_public_key_files.empty());
  EXPECT_EQ(cc.jwt_leeway, absl::Seconds(30));
}

TEST(CommonKeysTest, OverridesAreRead) {
  absl::StatusOr<Config> c =
      Load(Schema(),
           Environment{{"MOOT_JWT_PUBLIC_KEYS", "k1=/etc/moot/k1.pem, k2=/etc/moot/k2.pem"},
                       {"MOOT_JWT_ALGORITHMS", "RS256, ES256"},
                       {"MOOT_JWT_HS256_SECRET", std::string(32, 'x')}},
           {"--grpc-listen=0.0.0.0:7000", "--log-level=debug", "--shutdown-grace=30s"});
  ASSERT_TRUE(c.ok()) << c.status();
  CommonConfig cc = ReadCommonConfig(*c);
  EXPECT_EQ(cc.grpc_listen, "0.0.0.0:7000");
  EXPECT_EQ(cc.log_level, "debug");
  EXPECT_EQ(cc.shutdown_grace, absl::Seconds(30));
  EXPECT_EQ(cc.jwt_algorithms, (std::vector<std::string>{"RS256", "ES256"}));
  ASSERT_EQ(cc.jwt_public_key_files.size(), 2u);
  EXPECT_EQ(cc.jwt_public_key_files[1].first, "k2");
  EXPECT_EQ(cc.jwt_public_key_files[1].second, "/etc/moot/k2.pem");
  EXPECT_EQ(cc.jwt_hs256_secret, std::string(32, 'x'));
}

struct BadCommon {
  std::string name;
  std::string key;
  std::string value;
  std::string want;
};

class CommonKeysBadTest : public ::testing::TestWithParam<BadCommon> {};

TEST_P(CommonKeysBadTest, Rejected) {
  const BadCommon& c = GetParam();
  absl::StatusOr<Config> got = Load(Schema(), Environment{{c.key, c.value}}, {});
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(std::string(got.status().message()), HasSubstr(c.key));
  EXPECT_THAT(std::string(got.status().message()), HasSubstr(c.want));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CommonKeysBadTest,
    ::testing::Values(
        BadCommon{"ListenWithoutPort", "MOOT_GRPC_LISTEN", "localhost", "host:port"},
        BadCommon{"ListenBadPort", "MOOT_GRPC_LISTEN", "localhost:99999", "host:port"},
        BadCommon{"AdminPortRange", "MOOT_ADMIN_PORT", "-1", "out of range"},
        BadCommon{"DatabaseUrl", "MOOT_DATABASE_URL", "mysql://x", "database URL"},
        BadCommon{"RedisUrl", "MOOT_REDIS_URL", "localhost:6379", "Redis URL"},
        BadCommon{"LogLevel", "MOOT_LOG_LEVEL", "chatty", "debug, info, warn, error"},
        BadCommon{"Grace", "MOOT_SHUTDOWN_GRACE", "1h", "out of range"},
        BadCommon{"AlgNone", "MOOT_JWT_ALGORITHMS", "HS256,none", "\"none\" is not supported"},
        BadCommon{"ShortSecret", "MOOT_JWT_HS256_SECRET", "short", "at least 32 bytes"},
        BadCommon{"PublicKeysSyntax", "MOOT_JWT_PUBLIC_KEYS", "k1", "kid=/path"},
        BadCommon{"Leeway", "MOOT_JWT_LEEWAY", "1h", "out of range"}),
    [](const auto& info) { return info.param.name; });

TEST(CommonKeysTest, DatabaseUrlRequiredWithoutDefault) {
  ConfigSchema s;
  AddCommonKeys(s, {.service_name = "x"});
  absl::StatusOr<Config> c = Load(s, Environment{}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("MOOT_DATABASE_URL is required"));
}

TEST(CommonKeysTest, SecretsAreRedactedInDescribe) {
  absl::StatusOr<Config> c =
      Load(Schema(), Environment{{"MOOT_REDIS_URL", "redis://:pw123@localhost:6379"}}, {});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->Describe(), ::testing::Not(HasSubstr("pw123")));
  EXPECT_THAT(c->Describe(), HasSubstr("MOOT_SERVICE_NAME=scheduling (default)"));
}

}  // namespace
}  // namespace moot::config
